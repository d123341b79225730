# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Real RDP servers on loopback for the tests: Debian's xrdp and FreeRDP's shadow server (on an Xvfb display).

``make system-deps`` (a dependency of ``make test``) installs the packages. Each server runs in its own
session (process group) and is stopped, with everything it forked, when its context ends.
"""

import os
import select
import shutil
import signal
import socket
import subprocess
import time

from tests.tcp_peers import free_port, wait_for_port

REQUIRED = {"xrdp": "xrdp", "freerdp-shadow-cli": "freerdp2-shadow-x11", "Xvfb": "xvfb"}


def missing_programs():
    return [f"{program} (package {package})" for program, package in REQUIRED.items() if not shutil.which(program)]


def require_programs():
    missing = missing_programs()
    if missing:
        raise RuntimeError(f"real RDP servers are not installed: {', '.join(missing)}; run `make system-deps` "
                           f"(as root) or `make test`, which installs them")


def _stop(process):
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(3)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(3)
    except ProcessLookupError:
        pass


def _start(command, log_path, env=None, pass_fds=()):
    log = open(log_path, "ab")  # pylint: disable=consider-using-with  # closed by the process' exit
    try:
        return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                env=env, start_new_session=True, pass_fds=pass_fds)
    finally:
        log.close()


class Xrdp:
    """xrdp with its own xrdp.ini: ``security_layer`` is ``tls``, ``rdp`` or ``negotiate``."""

    def __init__(self, directory, security_layer, cert_pem=None, key_pem=None):
        self.directory = str(directory)
        self.security_layer = security_layer
        self.port = free_port()
        self.process = None
        os.makedirs(self.directory, exist_ok=True)
        self.cert = os.path.join(self.directory, "cert.pem")
        self.key = os.path.join(self.directory, "key.pem")
        if cert_pem:
            with open(self.cert, "wb") as handle:
                handle.write(cert_pem)
            with open(self.key, "wb") as handle:
                handle.write(key_pem)
            os.chmod(self.key, 0o600)

    def ini(self):
        return "\n".join([
            "[Globals]", "ini_version=1", "fork=true", f"port=tcp://127.0.0.1:{self.port}",
            f"security_layer={self.security_layer}", "crypt_level=high",
            f"certificate={self.cert}", f"key_file={self.key}", "ssl_protocols=TLSv1.2, TLSv1.3",
            "[Logging]", f"LogFile={os.path.join(self.directory, 'xrdp.log')}", "LogLevel=INFO",
            "EnableSyslog=false", "EnableConsole=false",
            "[Xorg]", "name=Xorg", "lib=libxup.so", "username=ask", "password=ask", "ip=127.0.0.1", "port=-1",
            "code=20", "",
        ])

    def __enter__(self):
        require_programs()
        path = os.path.join(self.directory, "xrdp.ini")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(self.ini())
        self.process = _start(["xrdp", "--nodaemon", "--config", path], os.path.join(self.directory, "out.log"))
        if not wait_for_port(self.port, process=self.process):
            self.__exit__()
            raise RuntimeError(f"xrdp did not start on port {self.port}: {self.log()}")
        return self

    def log(self):
        text = ""
        for name in ("out.log", "xrdp.log"):
            path = os.path.join(self.directory, name)
            if os.path.exists(path):
                with open(path, encoding="utf-8", errors="replace") as handle:
                    text += handle.read()[-2000:]
        return text

    def __exit__(self, *exc):
        _stop(self.process)


class Xvfb:
    """A virtual X display for the shadow server; Xvfb picks a free display number itself."""

    def __init__(self, directory):
        self.directory = str(directory)
        self.process = None
        self.display = None
        self.read_end = None

    def __enter__(self):
        require_programs()
        # Xvfb writes the number and the newline separately: the pipe stays open until Xvfb stops, or
        # a write to a closed pipe would kill it.
        self.read_end, write_end = os.pipe()
        try:
            self.process = _start(["Xvfb", "-displayfd", str(write_end), "-screen", "0", "640x480x24", "-noreset",
                                   "-nolisten", "tcp"], os.path.join(self.directory, "xvfb.log"),
                                  pass_fds=(write_end,))
        finally:
            os.close(write_end)
        text = b""
        deadline = time.monotonic() + 15
        while not text.endswith(b"\n") and time.monotonic() < deadline:
            ready, _unused, _unused = select.select([self.read_end], [], [], max(0.0, deadline - time.monotonic()))
            chunk = os.read(self.read_end, 32) if ready else b""
            if not chunk:
                break
            text += chunk
        number = text.decode().strip()
        if not number.isdigit():
            self.__exit__()
            raise RuntimeError("Xvfb did not report a display")
        self.display = f":{number}"
        if not self._wait_for_socket(f"/tmp/.X11-unix/X{number}"):
            self.__exit__()
            raise RuntimeError(f"Xvfb display {self.display} does not accept connections")
        return self

    def _wait_for_socket(self, path, seconds=15.0):
        """Xvfb reports its display number slightly before X clients can connect to it."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and self.process.poll() is None:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
                try:
                    client.connect(path)
                    return True
                except OSError:
                    time.sleep(0.05)
        return False

    def __exit__(self, *exc):
        _stop(self.process)
        if self.read_end is not None:
            os.close(self.read_end)
            self.read_end = None


class ShadowServer:
    """freerdp-shadow-cli on an Xvfb display: ``security`` is ``nla``, ``tls``, ``rdp`` or None (all).
    Its certificate is read from $XDG_CONFIG_HOME/freerdp/shadow/shadow.{crt,key}; ours is put there."""

    def __init__(self, directory, display, security, cert_pem, key_pem):
        self.directory = str(directory)
        self.display = display
        self.security = security
        self.port = free_port()
        self.process = None
        shadow = os.path.join(self.directory, "config", "freerdp", "shadow")
        os.makedirs(shadow, exist_ok=True)
        with open(os.path.join(shadow, "shadow.crt"), "wb") as handle:
            handle.write(cert_pem)
        with open(os.path.join(shadow, "shadow.key"), "wb") as handle:
            handle.write(key_pem)

    def __enter__(self):
        require_programs()
        env = dict(os.environ, DISPLAY=self.display, HOME=self.directory,
                   XDG_CONFIG_HOME=os.path.join(self.directory, "config"))
        command = ["freerdp-shadow-cli", f"/port:{self.port}", "/bind-address:127.0.0.1"]
        if self.security:
            command.append(f"/sec:{self.security}")
        self.process = _start(command, os.path.join(self.directory, "shadow.log"), env=env)
        if not wait_for_port(self.port, process=self.process):
            self.__exit__()
            raise RuntimeError(f"freerdp-shadow-cli did not start on port {self.port}")
        time.sleep(0.2)
        return self

    def __exit__(self, *exc):
        _stop(self.process)
