# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connect to an RDP listener the way a client does, without credentials, and say what happened.

Steps: name resolution, TCP connect, X.224 Connection Request with RDP_NEG_REQ, the server's Connection
Confirm, and when TLS was selected the TLS handshake on the same socket and the server certificate; then a
clean close. No CredSSP data and no credentials are ever sent.

Each step has its own deadline (``timeout`` seconds): a peer that never answers, or trickles bytes, cannot
hold a step longer than that. TCP tries at most ``MAX_ADDRESSES`` resolved addresses. Every failure ends in
``stage_failed`` and an ``error`` with a class from ``ERROR_CLASSES``; this module raises only for bad
options (``ProbeInputError``), before any connection is made.

Plain Python (sockets, ssl, cryptography); no Ansible.
"""

from __future__ import annotations

import errno
import ipaddress
import selectors
import socket
import ssl
import threading
import time
import warnings

from . import rdp_certificate
from .._compliance.input_problems import InputProblems
from . import rdp_negotiation as neg

DEFAULT_PORT = 3389
DEFAULT_TIMEOUT = 3.0
MAX_TIMEOUT = 60.0
DEFAULT_PROTOCOLS = ("ssl", "hybrid")
DEFAULT_WARN_DAYS = 30
MAX_ADDRESSES = 3
STAGES = ("dns", "tcp", "x224", "negotiation", "tls")
TLS_VERSIONS = {"1.0": ssl.TLSVersion.TLSv1, "1.1": ssl.TLSVersion.TLSv1_1, "1.2": ssl.TLSVersion.TLSv1_2,
                "1.3": ssl.TLSVersion.TLSv1_3}
DEFAULT_TLS_MIN_VERSION = "1.2"

ERROR_CLASSES = {
    "dns": ("not_found", "timeout"),
    "tcp": ("refused", "timeout", "unreachable", "error"),
    "x224": ("closed", "reset", "no_reply", "slow_reply") + tuple(neg.ERROR_CODES),
    "negotiation": ("failure", "protocol_not_requested"),
    "tls": ("handshake_failed", "protocol_version", "closed", "reset", "timeout", "bad_certificate"),
}


class ProbeInputError(InputProblems):
    """Options that cannot be probed; ``problems`` lists each one, naming the option."""


class StageFailure(Exception):
    def __init__(self, stage, error_class, message):
        self.stage, self.error_class, self.message = stage, error_class, message
        super().__init__(message)


# --- options ------------------------------------------------------------------------------------------

def validate_options(host, port, timeout, protocols, tls_min_version=DEFAULT_TLS_MIN_VERSION):
    problems = []
    if not isinstance(host, str) or not host.strip() or len(host) > 253 or any(c.isspace() for c in host):
        problems.append(f"host must be a host name or an IP address, got {host!r}")
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        problems.append(f"port must be an integer from 1 to 65535, got {port!r}")
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 < timeout <= MAX_TIMEOUT:
        problems.append(f"timeout must be a number of seconds above 0 and at most {MAX_TIMEOUT:g}, got {timeout!r}")
    if not isinstance(protocols, (list, tuple)) or not protocols:
        problems.append(f"protocols must be a non-empty list of {', '.join(neg.PROTOCOLS)}, got {protocols!r}")
    else:
        unknown = [p for p in protocols if p not in neg.PROTOCOLS]
        if unknown:
            problems.append(f"protocols: unknown {', '.join(map(str, unknown))}; allowed: {', '.join(neg.PROTOCOLS)}")
        if "rdp" in protocols and len(set(protocols)) > 1:
            problems.append("protocols: 'rdp' (Standard RDP Security) cannot be combined with others; a client "
                            "offering TLS or CredSSP always accepts Standard RDP Security as well")
    if tls_min_version not in TLS_VERSIONS:
        problems.append(f"tls_min_version must be one of {', '.join(TLS_VERSIONS)}, got {tls_min_version!r}")
    if problems:
        raise ProbeInputError(problems)


# --- timing helpers ------------------------------------------------------------------------------------

def _ms(start):
    return round((time.monotonic() - start) * 1000, 1)


def _remaining(deadline):
    return deadline - time.monotonic()


# --- the steps -----------------------------------------------------------------------------------------

def resolve(host, port, timeout):
    """Resolved (family, sockaddr) pairs, at most MAX_ADDRESSES; getaddrinfo runs in a thread so a slow
    resolver cannot exceed the deadline."""
    try:
        address = ipaddress.ip_address(host.strip("[]"))
        family = socket.AF_INET6 if address.version == 6 else socket.AF_INET
        return [(family, (str(address), port) if family == socket.AF_INET else (str(address), port, 0, 0))]
    except ValueError:
        pass
    outcome = {}

    def lookup():
        try:
            outcome["infos"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError, OSError) as error:
            outcome["error"] = error

    worker = threading.Thread(target=lookup, name=f"rdp-probe-dns-{host}", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise StageFailure("dns", "timeout", f"resolving {host} took longer than {timeout:g}s")
    if "error" in outcome:
        raise StageFailure("dns", "not_found", f"cannot resolve {host}: {outcome['error']}")
    found = []
    for family, _type, _proto, _name, sockaddr in outcome["infos"]:
        if (family, sockaddr) not in found:
            found.append((family, sockaddr))
    if not found:
        raise StageFailure("dns", "not_found", f"{host} has no address")
    return found[:MAX_ADDRESSES]


def _tcp_failure(error, sockaddr, timeout):
    where = f"{sockaddr[0]} port {sockaddr[1]}"
    if isinstance(error, ConnectionRefusedError):
        return StageFailure("tcp", "refused", f"connection refused by {where}: nothing listens, or a firewall "
                                              f"rejects it")
    if isinstance(error, (socket.timeout, TimeoutError)):
        return StageFailure("tcp", "timeout", f"no answer from {where} within {timeout:g}s: a firewall drops "
                                              f"the connection, the host is down, or nothing listens behind "
                                              f"Windows Firewall (which discards instead of refusing)")
    if getattr(error, "errno", None) in (errno.EHOSTUNREACH, errno.ENETUNREACH, errno.EADDRNOTAVAIL):
        return StageFailure("tcp", "unreachable", f"{where} is unreachable: {error}")
    return StageFailure("tcp", "error", f"cannot connect to {where}: {error}")


def connect(addresses, timeout):
    """The first address that accepts a TCP connection, as (socket, sockaddr, milliseconds)."""
    first_failure = None
    for family, sockaddr in addresses:
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        start = time.monotonic()
        try:
            sock.connect(sockaddr)
            return sock, sockaddr, _ms(start)
        except OSError as error:
            sock.close()
            first_failure = first_failure or _tcp_failure(error, sockaddr, timeout)
    raise first_failure


def receive_into(sock, buffer, count, deadline):
    """Read until ``buffer`` holds ``count`` bytes, before ``deadline``; a trickling peer cannot extend it.
    On failure ``buffer`` keeps what arrived."""
    while len(buffer) < count:
        remaining = _remaining(deadline)
        if remaining <= 0:
            raise socket.timeout()
        sock.settimeout(remaining)
        chunk = sock.recv(count - len(buffer))
        if not chunk:
            raise EOFError()
        buffer += chunk
    return bytes(buffer)


def _x224_failure(error, got, timeout):
    if isinstance(error, EOFError):
        if not got:
            return StageFailure("x224", "closed", "the listener accepted the TCP connection and closed it without "
                                                  "answering the Connection Request")
        return StageFailure("x224", "truncated", f"the connection closed after {len(got)} bytes of the "
                                                 f"Connection Confirm ({got[:16].hex(' ')})")
    if isinstance(error, (socket.timeout, TimeoutError)):
        if got:
            return StageFailure("x224", "slow_reply", f"only {len(got)} bytes of the Connection Confirm arrived "
                                                      f"within {timeout:g}s")
        return StageFailure("x224", "no_reply", f"the listener accepted the TCP connection but sent nothing "
                                                f"within {timeout:g}s")
    if isinstance(error, ConnectionResetError):
        return StageFailure("x224", "reset", "the listener reset the connection instead of answering")
    return StageFailure("x224", "reset", f"the connection failed while negotiating: {error}")


def negotiate(sock, protocols, timeout):
    """Send the Connection Request and read the Connection Confirm; returns (confirm, milliseconds)."""
    start = time.monotonic()
    deadline = start + timeout
    buffer = bytearray()
    try:
        sock.settimeout(timeout)
        sock.sendall(neg.build_connection_request(protocols))
        length = neg.confirm_length(receive_into(sock, buffer, neg.TPKT_HEADER_LENGTH, deadline))
        return neg.parse_connection_confirm(receive_into(sock, buffer, length, deadline)), _ms(start)
    except neg.NegotiationError as error:
        raise StageFailure("x224", error.code, f"{error} (first bytes: {bytes(buffer[:16]).hex(' ')})") from None
    except (EOFError, OSError) as error:
        raise _x224_failure(error, bytes(buffer), timeout) from None


def tls_context(tls_min_version):
    """A client context that accepts any certificate (the probe reports on it instead) and any cipher the
    server may offer, so that weak settings are described rather than hidden behind a failure."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with warnings.catch_warnings():  # TLS 1.0/1.1 are deprecated: asking for them is the point here
        warnings.simplefilter("ignore", DeprecationWarning)
        context.minimum_version = TLS_VERSIONS[tls_min_version]
    context.set_ciphers("ALL:@SECLEVEL=0")
    return context


def _tls_failure(error, timeout):
    if isinstance(error, (socket.timeout, TimeoutError)):
        return StageFailure("tls", "timeout", f"the TLS handshake did not finish within {timeout:g}s")
    if isinstance(error, ssl.SSLEOFError) or isinstance(error, EOFError):
        return StageFailure("tls", "closed", "the server closed the connection during the TLS handshake")
    if isinstance(error, ConnectionResetError):
        return StageFailure("tls", "reset", "the server reset the connection during the TLS handshake")
    reason = (getattr(error, "reason", None) or "").upper()
    if "VERSION" in reason or "UNSUPPORTED_PROTOCOL" in reason:
        return StageFailure("tls", "protocol_version", f"no TLS version in common with the server: {error}")
    return StageFailure("tls", "handshake_failed", f"the TLS handshake failed: {error}")


def _wait(sock, event, deadline):
    remaining = _remaining(deadline)
    if remaining <= 0:
        raise socket.timeout()
    with selectors.DefaultSelector() as selector:
        selector.register(sock, event)
        if not selector.select(remaining):
            raise socket.timeout()


def tls_handshake(sock, server_name, timeout, tls_min_version):
    """TLS on the negotiated socket, bounded by a deadline; returns (tls socket, milliseconds)."""
    start = time.monotonic()
    deadline = start + timeout
    sni = None
    if server_name:
        try:
            ipaddress.ip_address(server_name)
        except ValueError:
            sni = server_name
    try:
        sock.setblocking(False)
        tls = tls_context(tls_min_version).wrap_socket(sock, server_hostname=sni, do_handshake_on_connect=False)
    except (ssl.SSLError, OSError, ValueError) as error:
        raise _tls_failure(error, timeout) from None
    try:
        while True:
            try:
                tls.do_handshake()
                return tls, _ms(start)
            except ssl.SSLWantReadError:
                _wait(tls, selectors.EVENT_READ, deadline)
            except ssl.SSLWantWriteError:
                _wait(tls, selectors.EVENT_WRITE, deadline)
    except (ssl.SSLError, OSError) as error:
        _close(tls)
        raise _tls_failure(error, timeout) from None


def _close(sock, tls=False):
    """Close cleanly: send TLS close_notify without waiting for the peer's, then shut the socket down."""
    try:
        if tls:
            sock.setblocking(False)
            try:
                sock.unwrap()
            except (ssl.SSLError, OSError, ValueError):
                pass
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
    finally:
        sock.close()


# --- the result ----------------------------------------------------------------------------------------

def empty_result(host, port, protocols):
    return {
        "host": host, "port": port, "address": None, "reachable": False, "stage_failed": None, "error": None,
        "requested_protocols": list(protocols), "tcp_connect_ms": None, "negotiation_ms": None, "tls_ms": None,
        "elapsed_ms": None, "negotiated": None, "selected_protocol": None, "negotiation_failure": None,
        "negotiation_failure_code": None, "negotiation_failure_meaning": None, "server_flags": [],
        "tls_version": None, "tls_cipher": None, "certificate": None, "findings": [],
    }


def _record_confirm(result, confirm, protocols):
    result["reachable"] = True
    result["negotiated"] = confirm.negotiated
    result["server_flags"] = list(confirm.flags)
    if confirm.failure_code is not None:
        result["negotiation_failure"] = confirm.failure_name
        result["negotiation_failure_code"] = confirm.failure_code
        result["negotiation_failure_meaning"] = confirm.failure_meaning
        raise StageFailure("negotiation", "failure",
                           f"the server refused the requested protocols ({', '.join(protocols)}): "
                           f"{confirm.failure_name}, {confirm.failure_meaning}")
    result["selected_protocol"] = confirm.selected_protocol
    # Standard RDP Security has no bit in requestedProtocols: every client accepts it, so a server may
    # select it whatever was offered (xrdp does; Windows with SecurityLayer 0 answers with a failure).
    if confirm.selected_protocol not in set(protocols) | {"rdp"}:
        raise StageFailure("negotiation", "protocol_not_requested",
                           f"the server selected {confirm.selected_protocol}, which was not requested "
                           f"({', '.join(protocols)})")


def probe(host, port=DEFAULT_PORT, timeout=DEFAULT_TIMEOUT, protocols=DEFAULT_PROTOCOLS,
          tls_min_version=DEFAULT_TLS_MIN_VERSION, server_name=None, warn_days=DEFAULT_WARN_DAYS):
    """Probe ``host``:``port``. ``server_name`` is the name the certificate must match (default ``host``)."""
    validate_options(host, port, timeout, protocols, tls_min_version)
    protocols = list(dict.fromkeys(protocols))
    result = empty_result(host, port, protocols)
    start = time.monotonic()
    sock = tls = None
    try:
        addresses = resolve(host, port, timeout)
        sock, sockaddr, result["tcp_connect_ms"] = connect(addresses, timeout)
        result["address"] = sockaddr[0]
        confirm, result["negotiation_ms"] = negotiate(sock, protocols, timeout)
        _record_confirm(result, confirm, protocols)
        if result["selected_protocol"] in neg.TLS_PROTOCOLS:
            tls, result["tls_ms"] = tls_handshake(sock, server_name or host, timeout, tls_min_version)
            sock = None
            result["tls_version"] = tls.version()
            result["tls_cipher"] = (tls.cipher() or (None,))[0]
            der = tls.getpeercert(binary_form=True)
            if der:
                try:
                    result["certificate"] = rdp_certificate.describe(der, server_name or host)
                except ValueError as error:
                    raise StageFailure("tls", "bad_certificate", f"the server certificate cannot be parsed: "
                                                                 f"{error}") from None
    except StageFailure as failure:
        result["stage_failed"] = failure.stage
        result["error"] = {"stage": failure.stage, "class": failure.error_class, "message": failure.message}
    finally:
        if tls is not None:
            _close(tls, tls=True)
        if sock is not None:
            _close(sock)
    result["elapsed_ms"] = _ms(start)
    result["findings"] = findings(result, warn_days)
    return result


# --- findings ----------------------------------------------------------------------------------------------

def _finding(identifier, severity, message):
    return {"id": identifier, "severity": severity, "message": message}


def _failure_finding(result):
    error = result["error"]
    identifier = f"{error['stage']}.{error['class']}"
    return _finding(identifier, "critical", error["message"])


def _protocol_findings(result):
    found = []
    selected, requested = result["selected_protocol"], result["requested_protocols"]
    if selected == "rdp" and requested != ["rdp"]:
        legacy = " (it does not support negotiation: a legacy server)" if result["negotiated"] is False else ""
        found.append(_finding("negotiation.standard_rdp_security", "warning",
                              f"the server chose Standard RDP Security although {', '.join(requested)} was "
                              f"offered{legacy}: no TLS, the server is not authenticated"))
    elif selected == "rdp":
        found.append(_finding("negotiation.standard_rdp_security_accepted", "warning",
                              "the server accepts Standard RDP Security (no TLS, no NLA) when a client asks "
                              "for it"))
    if selected == "ssl" and ({"hybrid", "hybrid_ex"} & set(requested)):
        found.append(_finding("negotiation.nla_not_used", "warning",
                              "the client offered CredSSP but the server chose TLS only: Network Level "
                              "Authentication is not required"))
    if result["tls_version"] in ("TLSv1", "TLSv1.1"):
        found.append(_finding("tls.old_version", "warning", f"the server negotiated {result['tls_version']}"))
    return found


def _certificate_findings(cert, warn_days):
    found = []
    if cert["expired"]:
        found.append(_finding("certificate.expired", "critical", f"the certificate expired on {cert['not_after']}"))
    elif cert["not_yet_valid"]:
        found.append(_finding("certificate.not_yet_valid", "critical",
                              f"the certificate is valid only from {cert['not_before']}"))
    elif cert["days_left"] < warn_days:
        found.append(_finding("certificate.expires_soon", "warning",
                              f"the certificate expires in {cert['days_left']} days ({cert['not_after']})"))
    if not cert["name_matches"]:
        found.append(_finding("certificate.name_mismatch", "warning",
                              f"the certificate ({cert['subject']}) does not match the name "
                              f"{cert['name_checked']}: clients warn about it"))
    if cert["self_signed"]:
        found.append(_finding("certificate.self_signed", "info",
                              "the certificate is self-signed (the Windows default): clients cannot verify it"))
    if cert["key_type"] == "rsa" and (cert["key_bits"] or 0) < 2048:
        found.append(_finding("certificate.weak_key", "warning", f"RSA key of {cert['key_bits']} bits"))
    if cert["signature_hash"] in ("md5", "sha1"):
        found.append(_finding("certificate.weak_signature", "warning",
                              f"signed with {cert['signature_hash']}"))
    return found


def findings(result, warn_days=DEFAULT_WARN_DAYS):
    """What the probe's observations mean, most severe first."""
    found = []
    if result["error"]:
        found.append(_failure_finding(result))
    found += _protocol_findings(result)
    if result["certificate"]:
        found += _certificate_findings(result["certificate"], warn_days)
    order = {"critical": 0, "warning": 1, "info": 2}
    return sorted(found, key=lambda item: order[item["severity"]])


def summary(result):
    """One line saying what a client sees, e.g. ``host:3389 hybrid over TLSv1.2, certificate CN=x (152 days)``."""
    where = f"{result['host']}:{result['port']}"
    if result["error"]:
        return f"{where} {result['error']['stage']} {result['error']['class']}: {result['error']['message']}"
    text = f"{where} {result['selected_protocol']}"
    if result["tls_version"]:
        text += f" over {result['tls_version']}"
    cert = result["certificate"]
    if cert:
        text += f", certificate {cert['subject']} ({cert['days_left']} days left)"
    return text
