# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Misbehaving TCP peers on loopback ports chosen by the kernel: closed, silent, dropping, garbage,
trickling, and scripted RDP listeners. Each is a context manager that yields its port and stops its threads."""

import contextlib
import datetime
import socket
import threading
import time

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID


@contextlib.contextmanager
def closed_port():
    """A port bound but not listening: connecting is refused, and no other process can take the port."""
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    try:
        yield holder.getsockname()[1]
    finally:
        holder.close()


@contextlib.contextmanager
def dropping_port():
    """A port whose accept queue is full: the kernel drops every new SYN, like a stealth firewall."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    port = server.getsockname()[1]
    filler = socket.create_connection(("127.0.0.1", port), timeout=2)
    try:
        yield port
    finally:
        filler.close()
        server.close()


class ScriptedPeer:
    """Accepts connections and runs ``handler(connection)`` for each, in a thread."""

    def __init__(self, handler):
        self.handler = handler
        self.server = socket.socket()
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(16)
        self.server.settimeout(0.1)
        self.port = self.server.getsockname()[1]
        self.stopping = threading.Event()
        self.threads = []
        self.connections = []
        self.acceptor = threading.Thread(target=self._accept, daemon=True)

    def _accept(self):
        while not self.stopping.is_set():
            try:
                connection, _unused = self.server.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            self.connections.append(connection)
            thread = threading.Thread(target=self._run, args=(connection,), daemon=True)
            self.threads.append(thread)
            thread.start()

    def _run(self, connection):
        try:
            self.handler(connection, self.stopping)
        except OSError:
            pass

    def __enter__(self):
        self.acceptor.start()
        return self.port

    def __exit__(self, *exc):
        self.stopping.set()
        self.acceptor.join(2)
        for connection in self.connections:
            with contextlib.suppress(OSError):
                connection.close()
        for thread in self.threads:
            thread.join(2)
        self.server.close()


def read_request(connection, timeout=2):
    connection.settimeout(timeout)
    header = connection.recv(4)
    if len(header) < 4:
        return header
    length = int.from_bytes(header[2:4], "big")
    rest = b""
    while len(rest) < length - 4:
        chunk = connection.recv(length - 4 - len(rest))
        if not chunk:
            break
        rest += chunk
    return header + rest


def silent(connection, stopping):
    """Accept, then never answer."""
    stopping.wait(30)


def answer(data, then=None):
    """Read the Connection Request, send ``data``, then run ``then`` (default: wait until stopped)."""
    def handler(connection, stopping):
        read_request(connection)
        connection.sendall(data)
        if then:
            then(connection, stopping)
        else:
            stopping.wait(30)
    return handler


def trickle(data, interval):
    """Read the request, then send ``data`` one byte every ``interval`` seconds."""
    def handler(connection, stopping):
        read_request(connection)
        for byte in data:
            if stopping.wait(interval):
                return
            connection.sendall(bytes([byte]))
        stopping.wait(30)
    return handler


def close_immediately(connection, stopping):
    connection.close()


def make_certificate(common_name="rdp.test", days_left=180, days_old=10, sans=("rdp.test",), key="ec",
                     issuer_name=None):
    """A self-signed (or, with ``issuer_name``, CA-signed) certificate and its key, both PEM."""
    now = datetime.datetime.now(datetime.timezone.utc)
    subject_key = ec.generate_private_key(ec.SECP256R1()) if key == "ec" else rsa.generate_private_key(65537, 2048)
    issuer_key = subject_key if issuer_name is None else ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    issuer = subject if issuer_name is None else x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer_name)])
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
               .public_key(subject_key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(days=days_old))
               .not_valid_after(now + datetime.timedelta(days=days_left)))
    if sans:
        names = []
        for name in sans:
            try:
                import ipaddress
                names.append(x509.IPAddress(ipaddress.ip_address(name)))
            except ValueError:
                names.append(x509.DNSName(name))
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    cert = builder.sign(issuer_key, hashes.SHA256())
    cert_pem = cert.public_bytes(serialization.Encoding.PEM)
    key_pem = subject_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                        serialization.NoEncryption())
    return cert, cert_pem, key_pem


def wait_for_port(port, seconds=15.0, process=None):
    """Wait until something accepts on the port (and the process, if given, is still alive)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            return False
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.1)
    return False


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
