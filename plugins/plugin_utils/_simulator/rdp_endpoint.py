# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The RDP listener of a simulated Windows host, served on a real loopback socket.

What a client sees on a port is derived from the host's state, on Windows' terms (windows-rdp.md sections
0, 2, 4, 8 and 10), never from the control catalogue:
- nothing listens (TermService stopped, remote connections denied, listener disabled, or the listener is
  bound to another port): with the firewall on, Windows Firewall's port scanning prevention filter discards
  the SYN (the client times out); with the active profile off, the connection is refused;
- Windows Firewall: with the profile's default inbound action Block, a port no enabled Allow rule opens (or
  that a Block rule covers) silently drops the SYN: the client times out;
- another process owns the port: it accepts and closes without speaking RDP, or answers in its own protocol
  (``port_owner_replies``), which is garbage to an RDP client;
- TermService owns the port but is hung (``services.TermService.not_responding``): the connection is accepted
  and nothing ever answers;
- TermService listens: the X.224 negotiation follows SecurityLayer and UserAuthentication (policy beats
  local), then TLS with the listener certificate over the TLS versions SCHANNEL leaves enabled for servers.
  No enabled version, or a private key the service cannot read, fails the handshake (Schannel 36871/36870).

``serve`` runs it in-process for the duration of a probe: a silent drop is a listening socket whose accept
queue is full (the kernel then drops new SYNs, as a stealth firewall does); a refusal is a bound socket
that does not listen. Real TCP, X.224 and TLS bytes are exchanged.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import ipaddress
import os
import socket
import ssl
import tempfile
import threading
import warnings
from dataclasses import dataclass, field

try:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
except ImportError as error:  # a requirement of the collection (requirements.txt); absent in ansible-test's import test
    CRYPTOGRAPHY_ERROR = error
else:
    CRYPTOGRAPHY_ERROR = None

from .._diagnosis import rdp_negotiation as neg
from . import event_log
from .windows_host import RDP_TCP, TS_POLICY, WindowsHost

SCHANNEL_PROTOCOLS = r"HKLM\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols"
# TLS versions Windows' RDP stack can use. TLS 1.0 and 1.1 are enabled for servers by default up to
# Windows Server 2022 (Microsoft's TLS registry settings page); whether RDP uses TLS 1.3 is UNCONFIRMED, so
# the simulated listener stops at 1.2.
RDP_TLS_VERSIONS = (("TLS 1.0", ssl.TLSVersion.TLSv1), ("TLS 1.1", ssl.TLSVersion.TLSv1_1),
                    ("TLS 1.2", ssl.TLSVersion.TLSv1_2))
CONNECTION_TIMEOUT = 5.0


@dataclass
class ListenerBehaviour:
    """What the host does with an inbound TCP connection on one port."""

    kind: str  # "drop", "refuse", "foreign", "hung", "rdp"
    reason: str
    reply: bytes = b""  # what a foreign owner of the port answers (its own protocol), if anything
    security_layer: int = 2
    nla_required: bool = True
    tls_versions: list = field(default_factory=list)
    certificate: dict | None = None
    key_usable: bool = True
    clock_offset: datetime.timedelta = datetime.timedelta(0)


# --- the firewall ----------------------------------------------------------------------------------------

def _address_in(client, entries):
    for entry in entries or ["Any"]:
        text = str(entry).strip()
        if text.lower() in ("any", "*"):
            return True
        try:
            if "-" in text:
                first, _unused, last = text.partition("-")
                if ipaddress.ip_address(first.strip()) <= client <= ipaddress.ip_address(last.strip()):
                    return True
            elif client in ipaddress.ip_network(text, strict=False):
                return True
        except (ValueError, TypeError):
            continue  # LocalSubnet, DNS, ... do not cover a controller we know nothing about
    return False


def _port_in(port, entries):
    for entry in entries or ["Any"]:
        text = str(entry).strip()
        if text.lower() == "any":
            return True
        low, _unused, high = text.partition("-")
        if low.strip().isdigit() and int(low) <= port <= int((high or low).strip() or low):
            return True
    return False


def _active_profile(host):
    return "Domain" if host.os_info.get("domain_joined") else "Public"


def _rule_matches(rule, port, client, profile, owner):
    if not rule.get("enabled") or rule.get("direction", "Inbound") != "Inbound":
        return False
    if str(rule.get("protocol", "")).upper() not in ("TCP", "ANY"):
        return False
    profiles = [str(p) for p in rule.get("profiles") or ["Any"]]
    if "Any" not in profiles and profile not in profiles:
        return False
    service = rule.get("service")
    if service and str(service).lower() not in ("any", "*") and (owner or "").lower() != str(service).lower():
        return False
    return _port_in(port, rule.get("local_ports")) and _address_in(client, rule.get("remote_addresses"))


def firewall_allows(host, port, client="127.0.0.1", owner=None):
    """(allowed, reason) for an inbound TCP connection, as Windows Firewall decides it."""
    profile_name = _active_profile(host)
    profiles = {p.get("name"): p for p in host.state.get("firewall", {}).get("profiles", [])}
    profile = profiles.get(profile_name, {"enabled": True, "default_inbound_action": "Block"})
    if not profile.get("enabled", True):
        return True, f"the {profile_name} firewall profile is off"
    client = ipaddress.ip_address(client)
    rules = [r for r in host.firewall_rules("ActiveStore") if _rule_matches(r, port, client, profile_name, owner)]
    blocking = [r["name"] for r in rules if r.get("action") == "Block"]
    if blocking:
        return False, f"the inbound rule {blocking[0]} blocks TCP {port}"
    if any(r.get("action") == "Allow" for r in rules):
        return True, "an inbound rule allows it"
    if profile.get("default_inbound_action", "Block") == "Allow":
        return True, "the profile allows inbound connections by default"
    return False, f"no enabled inbound rule allows TCP {port} in the {profile_name} profile"


# --- the listener ----------------------------------------------------------------------------------------

def _effective_dword(host, name, default):
    for path in (TS_POLICY, RDP_TCP):
        entry = host.registry.get(path, name)
        if entry is not None and entry["type"] == "REG_DWORD":
            return entry["value"]
    return default


def server_tls_versions(host):
    """TLS versions SCHANNEL leaves enabled for servers: ``Enabled`` 0 disables one, and so does a non-zero
    ``DisabledByDefault`` for a caller (like RDP) that does not ask for the version by name."""
    enabled = []
    for name, version in RDP_TLS_VERSIONS:
        key = f"{SCHANNEL_PROTOCOLS}\\{name}\\Server"
        switch = host.registry.get(key, "Enabled")
        by_default = host.registry.get(key, "DisabledByDefault")
        if switch is not None and switch["value"] == 0:
            continue
        if by_default is not None and by_default["value"] != 0:
            continue
        enabled.append(version)
    return enabled


def firewall_on(host):
    profiles = {p.get("name"): p for p in host.state.get("firewall", {}).get("profiles", [])}
    return profiles.get(_active_profile(host), {}).get("enabled", True)


def listener_behaviour(host: WindowsHost, port: int, client: str = "127.0.0.1") -> ListenerBehaviour:
    owner = host.port_owner(port)
    if owner is None:
        why = _why_nothing_listens(host, port)
        if firewall_on(host):
            # Windows Firewall's "Port Scanning Prevention Filter" (a WFP stealth discard) drops the SYN of
            # a port nobody listens on instead of answering with a reset: the client times out.
            return ListenerBehaviour("drop", f"{why}; Windows Firewall silently discards connections to a port "
                                             f"nobody listens on")
        return ListenerBehaviour("refuse", why)
    allowed, why = firewall_allows(host, port, client, owner="termservice" if owner == "TermService" else owner)
    if not allowed:
        return ListenerBehaviour("drop", f"Windows Firewall drops it: {why}")
    if owner != "TermService":
        reply = str(host.state.get("port_owner_replies", {}).get(f"TCP/{port}", ""))
        return ListenerBehaviour("foreign", f"{owner} listens on TCP {port}, not TermService",
                                 reply=reply.encode("utf-8", "replace"))
    if host.service("TermService").get("not_responding"):
        # The kernel completes the handshake from the listen backlog; the wedged service never reads it.
        return ListenerBehaviour("hung", "TermService accepts connections but does not respond (hung)")
    security_layer = _effective_dword(host, "SecurityLayer", 2)
    nla = _effective_dword(host, "UserAuthentication", 1) != 0
    if nla and security_layer == 0:
        security_layer = 1  # Windows corrects this inconsistent pair itself (event 1050)
    certificate = host.state.get("listener", {}).get("certificate")
    return ListenerBehaviour(
        "rdp", "TermService listens", security_layer=security_layer, nla_required=nla,
        tls_versions=server_tls_versions(host), certificate=certificate,
        key_usable=bool(certificate) and certificate.get("private_key_readable", True) is not False,
        clock_offset=datetime.datetime.now(datetime.timezone.utc) - event_log.now(host.state))


def _why_nothing_listens(host, port):
    termservice = host.service("TermService")
    if not termservice or termservice.get("state") != "running":
        return "nothing listens: TermService is not running"
    if host.connections_denied():
        return "nothing listens: remote connections are denied (fDenyTSConnections)"
    if port != host.listener_port():
        return f"nothing listens on {port}: the listener is bound to {host.listener_port()}"
    return "nothing listens: the RDP-Tcp listener is disabled"


def select_protocol(behaviour: ListenerBehaviour, request: neg.ConnectionRequest):
    """(selected protocol name or None, failure code or None) as the listener answers a request."""
    offered = set(request.names)
    tls_offered = [name for name in ("hybrid_ex", "hybrid", "ssl") if name in offered]
    if behaviour.nla_required:
        credssp = [name for name in ("hybrid_ex", "hybrid") if name in offered]
        if not credssp:
            return None, neg.FAILURE_CODES["HYBRID_REQUIRED_BY_SERVER"]
        choice = credssp[0]
    elif behaviour.security_layer == 0:
        if request.requested:
            return None, neg.FAILURE_CODES["SSL_NOT_ALLOWED_BY_SERVER"]
        return "rdp", None
    elif tls_offered:
        choice = tls_offered[0]
    elif behaviour.security_layer == 1:
        return "rdp", None
    else:
        return None, neg.FAILURE_CODES["SSL_REQUIRED_BY_SERVER"]
    if not behaviour.certificate:
        return None, neg.FAILURE_CODES["SSL_CERT_NOT_ON_SERVER"]
    return choice, None


# --- the certificate ----------------------------------------------------------------------------------------

def _when(text):
    return datetime.datetime.fromisoformat(str(text).replace("Z", "+00:00"))


def _name(text):
    try:
        return x509.Name.from_rfc4514_string(text)
    except ValueError:
        return x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, str(text))])


@functools.lru_cache(maxsize=64)
def certificate_pem(subject, issuer, not_before, not_after, self_signed, san_dns=()):
    """A certificate with the listener certificate's fields (cached: RSA key generation is slow)."""
    if CRYPTOGRAPHY_ERROR is not None:
        raise ImportError(f"the simulated RDP listener needs the Python package cryptography: {CRYPTOGRAPHY_ERROR}")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    signer = key if self_signed else rsa.generate_private_key(public_exponent=65537, key_size=2048)
    builder = (x509.CertificateBuilder().subject_name(_name(subject))
               .issuer_name(_name(subject if self_signed else issuer)).public_key(key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(_when(not_before)).not_valid_after(_when(not_after)))
    if san_dns:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in san_dns]), False)
    cert = builder.sign(signer, hashes.SHA256())
    return (cert.public_bytes(serialization.Encoding.PEM),
            key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption()))


def _shifted(text, offset):
    """A validity date of the host's timeline on the controller's: the host's clock may be set (the lab's is),
    and a client compares the certificate with its own time."""
    return (_when(text) + offset).isoformat()


def tls_context(behaviour: ListenerBehaviour):
    cert = behaviour.certificate
    offset = datetime.timedelta(days=behaviour.clock_offset.days)  # whole days: the cache stays warm all day
    cert_pem, key_pem = certificate_pem(cert.get("subject", "CN=localhost"), cert.get("issuer", ""),
                                        _shifted(cert.get("not_before"), offset),
                                        _shifted(cert.get("not_after"), offset),
                                        bool(cert.get("self_signed", True)), tuple(cert.get("san_dns") or ()))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    with tempfile.TemporaryDirectory() as directory:
        cert_path, key_path = os.path.join(directory, "c.pem"), os.path.join(directory, "k.pem")
        with open(cert_path, "wb") as handle:
            handle.write(cert_pem)
        with open(key_path, "wb") as handle:
            handle.write(key_pem)
        context.load_cert_chain(cert_path, key_path)
    context.set_ciphers("ALL:@SECLEVEL=0")
    with warnings.catch_warnings():  # TLS 1.0/1.1 are deprecated, and exactly what Windows still enables
        warnings.simplefilter("ignore", DeprecationWarning)
        context.minimum_version = min(behaviour.tls_versions)
        context.maximum_version = max(behaviour.tls_versions)
    return context


# --- serving ---------------------------------------------------------------------------------------------------

def _read_packet(connection):
    header = b""
    while len(header) < neg.TPKT_HEADER_LENGTH:
        chunk = connection.recv(neg.TPKT_HEADER_LENGTH - len(header))
        if not chunk:
            raise EOFError
        header += chunk
    length = neg.request_length(header)
    body = b""
    while len(body) < length - len(header):
        chunk = connection.recv(length - len(header) - len(body))
        if not chunk:
            raise EOFError
        body += chunk
    return header + body


def handle_connection(connection, behaviour: ListenerBehaviour):
    """One client connection to the simulated listener."""
    connection.settimeout(CONNECTION_TIMEOUT)
    if behaviour.kind == "foreign":
        connection.recv(1024)
        if behaviour.reply:
            connection.sendall(behaviour.reply)  # its own protocol: garbage to an RDP client
        return
    if behaviour.kind == "hung":
        while connection.recv(1024):
            pass  # never answers; holds the connection until the client gives up (or CONNECTION_TIMEOUT)
        return
    request = neg.parse_connection_request(_read_packet(connection))
    selected, failure = select_protocol(behaviour, request)
    if failure is not None:
        connection.sendall(neg.build_connection_confirm(failure=failure))
        return
    if not request.negotiation:
        connection.sendall(neg.build_connection_confirm(negotiated=False))
    else:
        connection.sendall(neg.build_connection_confirm(selected=selected, flags=0x1F & ~0x04))
    if selected not in neg.TLS_PROTOCOLS:
        connection.recv(1024)
        return
    if not behaviour.tls_versions or not behaviour.key_usable:
        connection.recv(4096)  # the ClientHello; Schannel cannot create the server credential
        return
    with tls_context(behaviour).wrap_socket(connection, server_side=True) as tls:
        tls.recv(1)  # until the client closes; a probe sends no CredSSP data


class Endpoint:
    """Serve ``behaviour`` on a loopback port chosen by the kernel."""

    def __init__(self, behaviour: ListenerBehaviour):
        self.behaviour = behaviour
        self.sockets = []
        self.threads = []
        self.stopping = threading.Event()
        self.port = None

    def __enter__(self):
        kind = self.behaviour.kind
        server = socket.socket()
        self.sockets.append(server)
        server.bind(("127.0.0.1", 0))
        self.port = server.getsockname()[1]
        if kind == "refuse":
            return self  # bound, never listening: connections are refused and no one else gets the port
        if kind == "drop":
            server.listen(0)
            self.sockets.append(socket.create_connection(("127.0.0.1", self.port), timeout=2))
            return self  # the accept queue is full: new SYNs are dropped
        server.listen(8)
        server.settimeout(0.05)
        acceptor = threading.Thread(target=self._accept, args=(server,), daemon=True, name="rdp-endpoint")
        self.threads.append(acceptor)
        acceptor.start()
        return self

    def _accept(self, server):
        while not self.stopping.is_set():
            try:
                connection, _unused = server.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            self.sockets.append(connection)
            worker = threading.Thread(target=self._serve, args=(connection,), daemon=True)
            self.threads.append(worker)
            worker.start()

    def _serve(self, connection):
        with contextlib.suppress(OSError, EOFError, ssl.SSLError, neg.NegotiationError, ValueError):
            handle_connection(connection, self.behaviour)
        with contextlib.suppress(OSError):
            connection.close()

    def __exit__(self, *exc):
        self.stopping.set()
        for sock in self.sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                sock.close()
        for thread in self.threads:
            thread.join(2)


@contextlib.contextmanager
def serve(state_file: str, port: int, client: str = "127.0.0.1"):
    """The simulated host's listener for ``port`` on a loopback port: yields (behaviour, loopback port)."""
    behaviour = listener_behaviour(WindowsHost.load(state_file), port, client)
    with Endpoint(behaviour) as endpoint:
        yield behaviour, endpoint.port
