# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The probe against misbehaving loopback peers: every failure has a stage and a class, within its time."""

import hashlib
import ssl
import threading
import time
import warnings

import pytest
from cryptography.hazmat.primitives import serialization

from ansible_collections.rdp.windows.plugins.plugin_utils._diagnosis import rdp_negotiation as neg
from ansible_collections.rdp.windows.plugins.plugin_utils._diagnosis import rdp_probe
from tests import tcp_peers as peers

TIMEOUT = 0.6
# Probes expected to succeed return as soon as they are done; a generous timeout keeps them from failing
# on a loaded machine without slowing them down.
SUCCEEDS = 10.0
# A step may take its timeout plus scheduling noise on a loaded machine, never a multiple of it.
SLACK = 0.8


def timed_probe(port, **options):
    options.setdefault("timeout", TIMEOUT)
    start = time.monotonic()
    result = rdp_probe.probe("127.0.0.1", port, **options)
    return result, time.monotonic() - start


def assert_failed(result, stage, error_class):
    assert result["stage_failed"] == stage, result["error"]
    assert result["error"]["class"] == error_class, result["error"]
    assert error_class in rdp_probe.ERROR_CLASSES[stage]
    assert result["findings"][0]["id"] == f"{stage}.{error_class}"
    assert result["findings"][0]["severity"] == "critical"


def test_closed_port_is_refused_at_tcp():
    with peers.closed_port() as port:
        result, took = timed_probe(port)
    assert_failed(result, "tcp", "refused")
    assert result["reachable"] is False and result["tcp_connect_ms"] is None
    assert took < TIMEOUT


def test_dropped_syn_times_out_at_tcp_within_the_timeout():
    with peers.dropping_port() as port:
        result, took = timed_probe(port)
    assert_failed(result, "tcp", "timeout")
    assert TIMEOUT * 0.9 <= took < TIMEOUT + SLACK


def test_a_peer_that_accepts_and_never_answers():
    with peers.ScriptedPeer(peers.silent) as port:
        result, took = timed_probe(port)
    assert_failed(result, "x224", "no_reply")
    assert result["tcp_connect_ms"] is not None and result["reachable"] is False
    assert took < TIMEOUT + SLACK


def test_a_peer_that_accepts_and_closes():
    with peers.ScriptedPeer(peers.close_immediately) as port:
        result, _unused = timed_probe(port)
    assert result["stage_failed"] == "x224" and result["error"]["class"] in ("closed", "reset")


def test_garbage_reply_is_not_tpkt():
    with peers.ScriptedPeer(peers.answer(b"HTTP/1.1 400 Bad Request\r\n\r\n")) as port:
        result, _unused = timed_probe(port)
    assert_failed(result, "x224", "not_tpkt")
    assert "48 54 54 50" in result["error"]["message"]


def test_oversized_reply_is_refused_before_reading_it():
    with peers.ScriptedPeer(peers.answer(b"\x03\x00\xff\xff" + b"\x00" * 100)) as port:
        result, _unused = timed_probe(port)
    assert_failed(result, "x224", "oversized")


def test_truncated_reply_then_close():
    def handler(connection, stopping):
        peers.read_request(connection)
        connection.sendall(neg.build_connection_confirm(selected="ssl")[:9])
        connection.close()
    with peers.ScriptedPeer(handler) as port:
        result, _unused = timed_probe(port)
    assert_failed(result, "x224", "truncated")


def test_a_trickling_peer_cannot_extend_the_deadline():
    reply = neg.build_connection_confirm(selected="ssl")
    with peers.ScriptedPeer(peers.trickle(reply, TIMEOUT / 4)) as port:
        result, took = timed_probe(port)
    assert_failed(result, "x224", "slow_reply")
    assert took < TIMEOUT + SLACK


def test_negotiation_failure_is_named():
    with peers.ScriptedPeer(peers.answer(neg.build_connection_confirm(failure=5))) as port:
        result, _unused = timed_probe(port, protocols=["ssl"])
    assert_failed(result, "negotiation", "failure")
    assert result["negotiation_failure"] == "HYBRID_REQUIRED_BY_SERVER"
    assert result["negotiation_failure_code"] == 5 and result["reachable"] is True


def test_a_selected_protocol_that_was_not_requested_is_a_negotiation_failure():
    with peers.ScriptedPeer(peers.answer(neg.build_connection_confirm(selected="hybrid"))) as port:
        result, _unused = timed_probe(port, protocols=["ssl"])
    assert_failed(result, "negotiation", "protocol_not_requested")


def test_legacy_server_without_negotiation_data():
    legacy = neg.build_connection_confirm(negotiated=False)
    with peers.ScriptedPeer(peers.answer(legacy)) as port:
        offered_tls, _unused = timed_probe(port, timeout=SUCCEEDS)
        offered_rdp, _unused = timed_probe(port, protocols=["rdp"], timeout=SUCCEEDS)
    assert offered_tls["stage_failed"] is None and offered_tls["selected_protocol"] == "rdp"
    assert offered_tls["findings"][0]["id"] == "negotiation.standard_rdp_security"
    assert "legacy" in offered_tls["findings"][0]["message"]
    assert offered_rdp["stage_failed"] is None and offered_rdp["selected_protocol"] == "rdp"
    assert offered_rdp["negotiated"] is False


def test_standard_rdp_security_is_reported_as_a_warning():
    with peers.ScriptedPeer(peers.answer(neg.build_connection_confirm(selected="rdp"))) as port:
        result, _unused = timed_probe(port, protocols=["rdp"], timeout=SUCCEEDS)
    assert result["stage_failed"] is None and result["selected_protocol"] == "rdp"
    assert [f["id"] for f in result["findings"]] == ["negotiation.standard_rdp_security_accepted"]


def test_tls_selected_then_silence_times_out_in_the_tls_stage():
    with peers.ScriptedPeer(peers.answer(neg.build_connection_confirm(selected="ssl"))) as port:
        result, took = timed_probe(port)
    assert_failed(result, "tls", "timeout")
    assert took < 2 * TIMEOUT + SLACK


def test_tls_selected_then_garbage_fails_the_handshake():
    def garbage(connection, stopping):
        connection.recv(4096)
        connection.sendall(b"\x15\x03\x03\x00\x02\x02\x28" + b"not tls at all" * 4)
        stopping.wait(5)
    with peers.ScriptedPeer(peers.answer(neg.build_connection_confirm(selected="ssl"), then=garbage)) as port:
        result, _unused = timed_probe(port)
    assert result["stage_failed"] == "tls"
    assert result["error"]["class"] in ("handshake_failed", "closed")


def tls_listener(cert_pem, key_pem, tmp_path, selected="hybrid", min_version=ssl.TLSVersion.TLSv1_2,
                 max_version=ssl.TLSVersion.TLSv1_3):
    (tmp_path / "c.pem").write_bytes(cert_pem)
    (tmp_path / "k.pem").write_bytes(key_pem)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(tmp_path / "c.pem"), str(tmp_path / "k.pem"))
    context.set_ciphers("ALL:@SECLEVEL=0")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        context.minimum_version, context.maximum_version = min_version, max_version

    def then(connection, stopping):
        try:
            with context.wrap_socket(connection, server_side=True) as tls:
                tls.settimeout(2)
                tls.recv(1)
        except (ssl.SSLError, OSError):
            pass
    return peers.ScriptedPeer(peers.answer(neg.build_connection_confirm(selected=selected), then=then))


def test_tls_handshake_and_certificate(tmp_path):
    cert, cert_pem, key_pem = peers.make_certificate("rdp.test", days_left=100, sans=("rdp.test", "127.0.0.1"))
    with tls_listener(cert_pem, key_pem, tmp_path) as port:
        result, _unused = timed_probe(port, server_name="rdp.test", timeout=SUCCEEDS)
    assert result["stage_failed"] is None and result["reachable"] is True
    assert result["selected_protocol"] == "hybrid" and result["tls_version"] in ("TLSv1.2", "TLSv1.3")
    described = result["certificate"]
    assert described["subject"] == "CN=rdp.test" and described["san_dns"] == ["rdp.test"]
    assert described["san_ip"] == ["127.0.0.1"]
    assert described["days_left"] in (99, 100) and not described["expired"]
    assert described["self_signed"] is True and described["name_matches"] is True
    der = cert.public_bytes(serialization.Encoding.DER)
    assert described["thumbprint_sha1"] == hashlib.sha1(der).hexdigest().upper()
    assert result["tls_ms"] is not None and result["negotiation_ms"] is not None
    assert [f["id"] for f in result["findings"]] == ["certificate.self_signed"]


def test_expiring_mismatched_ca_signed_certificate(tmp_path):
    _unused, cert_pem, key_pem = peers.make_certificate("other.test", days_left=5, sans=("other.test",),
                                                        issuer_name="Lab CA")
    with tls_listener(cert_pem, key_pem, tmp_path, selected="ssl") as port:
        result, _unused = timed_probe(port, server_name="rdp.test", warn_days=30, timeout=SUCCEEDS)
    ids = [f["id"] for f in result["findings"]]
    assert ids == ["negotiation.nla_not_used", "certificate.expires_soon", "certificate.name_mismatch"]
    assert result["certificate"]["self_signed"] is False and result["certificate"]["issuer"] == "CN=Lab CA"


def test_expired_certificate_is_critical(tmp_path):
    _unused, cert_pem, key_pem = peers.make_certificate("rdp.test", days_left=-3, days_old=30)
    with tls_listener(cert_pem, key_pem, tmp_path) as port:
        result, _unused = timed_probe(port, server_name="rdp.test", timeout=SUCCEEDS)
    assert result["stage_failed"] is None
    assert result["findings"][0]["id"] == "certificate.expired" and result["certificate"]["expired"]


def test_a_server_with_only_old_tls_fails_a_modern_client_and_passes_a_legacy_one(tmp_path):
    _unused, cert_pem, key_pem = peers.make_certificate("rdp.test", key="rsa")
    with tls_listener(cert_pem, key_pem, tmp_path, min_version=ssl.TLSVersion.TLSv1,
                      max_version=ssl.TLSVersion.TLSv1_1) as port:
        modern, _unused = timed_probe(port)
        legacy, _unused = timed_probe(port, tls_min_version="1.0", timeout=SUCCEEDS)
    assert_failed(modern, "tls", "protocol_version")
    assert legacy["stage_failed"] is None and legacy["tls_version"] in ("TLSv1", "TLSv1.1")
    assert "tls.old_version" in [f["id"] for f in legacy["findings"]]


def test_unresolvable_name_fails_at_dns():
    result = rdp_probe.probe("no-such-host.invalid", 3389, timeout=TIMEOUT)
    assert result["stage_failed"] == "dns" and result["error"]["class"] in ("not_found", "timeout")


def test_slow_resolver_is_bounded(monkeypatch):
    release = threading.Event()

    def slow(*args, **kwargs):
        release.wait(5)
        raise OSError("too late")
    monkeypatch.setattr(rdp_probe.socket, "getaddrinfo", slow)
    start = time.monotonic()
    result = rdp_probe.probe("slow.example", 3389, timeout=0.3)
    release.set()
    assert_failed(result, "dns", "timeout")
    assert time.monotonic() - start < 0.3 + SLACK


@pytest.mark.parametrize("options, message", [
    ({"host": ""}, "host must be"),
    ({"port": 0}, "port must be an integer from 1 to 65535"),
    ({"port": True}, "port must be"),
    ({"timeout": 0}, "timeout must be"),
    ({"timeout": 600}, "at most 60"),
    ({"protocols": []}, "protocols must be a non-empty list"),
    ({"protocols": ["tls"]}, "protocols: unknown tls; allowed: rdp, ssl, hybrid"),
    ({"protocols": ["rdp", "ssl"]}, "cannot be combined"),
    ({"tls_min_version": "1.4"}, "tls_min_version must be one of"),
])
def test_bad_options_are_refused_before_connecting(options, message):
    arguments = dict({"host": "127.0.0.1", "port": 3389}, **options)
    with pytest.raises(rdp_probe.ProbeInputError, match=message):
        rdp_probe.probe(**arguments)
