#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The real-host kit: run the integration targets (ansible-test windows-integration) and the molecule scenario
against a Windows host, or against the simulated lab.

  python tests/integration/kit.py real   # make integration: the host given by RDP_TEST_* (docs/testing.md)
  python tests/integration/kit.py lab    # the same targets against two simulated lab hosts (make test)

RDP_TEST_HOST, RDP_TEST_USER, RDP_TEST_PASSWORD     the host and an administrator account
RDP_TEST_CONNECTION  winrm (default) or psrp
RDP_TEST_TRANSPORT   ntlm (default), kerberos or credssp
RDP_TEST_PORT        default 5986 (https) or 5985 (http)
RDP_TEST_SCHEME      https (default) or http
RDP_TEST_CERT_VALIDATION  ignore (default, for a throwaway VM's self-signed certificate) or validate
RDP_TEST_VARS_FILE   optional YAML file of rdp_* variables (desired state) for the playbooks
RDP_TEST_TARGETS     optional ansible-test targets to run (default: every target with the windows alias)

ansible-test runs from a copy of the working tree (it needs an ansible_collections/rdp/windows path outside the
repository's git tree), so what runs is the code as it is now, committed or not. The inventories, which hold
the password, are written to a private temporary directory and removed afterwards.
"""

import os
import shutil
import stat
import subprocess
import sys
import tempfile

import yaml

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.path.dirname(sys.executable)
TRANSPORTS = ("ntlm", "kerberos", "credssp")
CONNECTIONS = ("winrm", "psrp")
LAB_HOSTS = ("healthy", "firewall-rule-off")
NO_HOST_MESSAGE = """\
make integration needs a Windows host, and none is given.

Set at least RDP_TEST_HOST, RDP_TEST_USER and RDP_TEST_PASSWORD (an administrator of a throwaway Windows VM
reachable over WinRM or PSRP), for example:

  RDP_TEST_HOST=192.0.2.10 RDP_TEST_USER=Administrator RDP_TEST_PASSWORD=... make integration

Optional: RDP_TEST_CONNECTION (winrm|psrp), RDP_TEST_TRANSPORT (ntlm|kerberos|credssp), RDP_TEST_PORT,
RDP_TEST_SCHEME (https|http), RDP_TEST_CERT_VALIDATION (ignore|validate), RDP_TEST_VARS_FILE.
See docs/testing.md for preparing the VM. Nothing was run.
"""


class KitError(SystemExit):
    pass


def host_settings(environ):
    """Connection variables for the host named in the environment, or None when no host is given."""
    if not environ.get("RDP_TEST_HOST"):
        return None
    connection = environ.get("RDP_TEST_CONNECTION", "winrm")
    transport = environ.get("RDP_TEST_TRANSPORT", "ntlm")
    scheme = environ.get("RDP_TEST_SCHEME", "https")
    validation = environ.get("RDP_TEST_CERT_VALIDATION", "ignore")
    for name, value, allowed in (("RDP_TEST_CONNECTION", connection, CONNECTIONS),
                                 ("RDP_TEST_TRANSPORT", transport, TRANSPORTS),
                                 ("RDP_TEST_SCHEME", scheme, ("https", "http")),
                                 ("RDP_TEST_CERT_VALIDATION", validation, ("ignore", "validate"))):
        if value not in allowed:
            raise KitError(f"{name}={value!r} is not one of {', '.join(allowed)}")
    if not environ.get("RDP_TEST_USER"):
        raise KitError("RDP_TEST_USER is not set (an administrator of the Windows host)")
    if not environ.get("RDP_TEST_PASSWORD") and transport != "kerberos":
        raise KitError(f"RDP_TEST_PASSWORD is not set (needed for {transport})")
    port = environ.get("RDP_TEST_PORT", "5986" if scheme == "https" else "5985")
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise KitError(f"RDP_TEST_PORT={port!r} is not a TCP port")
    settings = {"ansible_host": environ["RDP_TEST_HOST"], "ansible_user": environ["RDP_TEST_USER"],
                "ansible_port": int(port), "ansible_connection": connection}
    if environ.get("RDP_TEST_PASSWORD"):
        settings["ansible_password"] = environ["RDP_TEST_PASSWORD"]
    if connection == "winrm":
        settings.update(ansible_winrm_transport=transport, ansible_winrm_scheme=scheme,
                        ansible_winrm_server_cert_validation=validation)
    else:
        settings.update(ansible_psrp_auth=transport, ansible_psrp_protocol=scheme,
                        ansible_psrp_cert_validation=validation)
    return settings


def desired_state(environ):
    path = environ.get("RDP_TEST_VARS_FILE")
    if not path:
        return {}
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    if not isinstance(data, dict):
        raise KitError(f"RDP_TEST_VARS_FILE {path} must hold a mapping of variables")
    return data


def _host_value(value):
    """A host variable on an INI host line: Ansible splits the line like a shell, then reads a Python literal."""
    return '"' + repr(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def ini_inventory(hosts, group_vars):
    """ansible-test's inventory: an INI file with a windows group. Every value is written as a Python literal,
    so that passwords with quotes or spaces and lists of accounts read back exactly."""
    lines = ["[windows]"]
    for name, variables in hosts.items():
        lines.append(" ".join([name] + [f"{key}={_host_value(value)}" for key, value in variables.items()]))
    lines += ["", "[windows:vars]"] + [f"{key}={value!r}" for key, value in group_vars.items()]
    lines += ["", "[testhost:children]", "windows", ""]
    return "\n".join(lines)


def write_private(path, text):
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)


def copy_collection(destination):
    """The working tree (tracked and untracked, not ignored files) at destination/ansible_collections/rdp/windows."""
    root = os.path.join(destination, "ansible_collections", "rdp", "windows")
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO, capture_output=True,
                            check=True).stdout.decode().split("\0")
    for relative in filter(None, listed):
        source = os.path.join(REPO, relative)
        if os.path.isfile(source) and not os.path.islink(source):
            target = os.path.join(root, relative)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copy2(source, target)
    return root


def run(command, cwd, environ):
    print(f"=== {' '.join(command)}", flush=True)
    return subprocess.run(command, cwd=cwd, env=environ, check=False).returncode


def run_ansible_test(inventory, environ, workdir, targets):
    collection = copy_collection(workdir)
    command = [os.path.join(BIN, "ansible-test"), "windows-integration", "--local", "--python", "3.11",
               "--inventory", inventory, "--allow-destructive", "--color", "no", "-v"] + targets
    return run(command, collection, dict(environ, PATH=BIN + os.pathsep + environ.get("PATH", "")))


def run_molecule(scenario, environ):
    command = [os.path.join(BIN, "molecule"), "test", "-s", scenario]
    return run(command, REPO, dict(environ, PATH=BIN + os.pathsep + environ.get("PATH", "")))


def real(environ):
    settings = host_settings(environ)
    if settings is None:
        sys.stderr.write(NO_HOST_MESSAGE)
        return 2
    variables = desired_state(environ)
    targets = environ.get("RDP_TEST_TARGETS", "").split()
    workdir = tempfile.mkdtemp(prefix="rdp-kit-")
    try:
        inventory = os.path.join(workdir, "inventory.winrm")
        write_private(inventory, ini_inventory({"rdp-test-host": settings}, variables))
        molecule_inventory = os.path.join(workdir, "molecule-hosts.yml")
        write_private(molecule_inventory, yaml.safe_dump(
            {"windows": {"hosts": {"rdp-test-host": settings}, "vars": variables}}, default_flow_style=False))
        failures = []
        if run_ansible_test(inventory, environ, os.path.join(workdir, "collection"), targets):
            failures.append("ansible-test windows-integration")
        if run_molecule("windows", dict(environ, RDP_KIT_INVENTORY=molecule_inventory)):
            failures.append("molecule scenario windows")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print("RDP-KIT RESULT: " + ("failed: " + ", ".join(failures) if failures else "passed"))
    return 1 if failures else 0


def lab(environ):
    """The integration targets through ansible-test against simulated lab hosts (the kit's own test)."""
    workdir = tempfile.mkdtemp(prefix="rdp-kit-lab-")
    try:
        hosts_dir = os.path.join(workdir, "lab", "hosts")
        subprocess.run([sys.executable, os.path.join(REPO, "lab", "build_lab.py"), hosts_dir], check=True,
                       capture_output=True)
        hosts = {name: {"ansible_host": "127.0.0.1", "ansible_user": "lab",
                        "ansible_connection": "rdp.windows.simulated",
                        "rdp_simulated_state": os.path.join(hosts_dir, f"{name}.json")} for name in LAB_HOSTS}
        inventory = os.path.join(workdir, "inventory.winrm")
        write_private(inventory, ini_inventory(hosts, {"rdp_kit_simulated": True, "rdp_users": ["LAB\\alice"]}))
        code = run_ansible_test(inventory, environ, os.path.join(workdir, "collection"),
                                environ.get("RDP_TEST_TARGETS", "").split())
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"RDP-KIT RESULT: {'passed' if code == 0 else 'failed'}")
    return code


def main(argv):
    if argv[:1] == ["real"]:
        return real(dict(os.environ))
    if argv[:1] == ["lab"]:
        return lab(dict(os.environ))
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
