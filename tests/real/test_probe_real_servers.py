# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The probe against real RDP servers on loopback: xrdp and FreeRDP's shadow server, in configurations that
accept TLS, accept CredSSP (NLA) only, accept Standard RDP Security only."""

from ansible_collections.rdp.windows.plugins.plugin_utils._diagnosis import rdp_probe

TIMEOUT = 3.0


def probe(server, **options):
    options.setdefault("timeout", TIMEOUT)
    return rdp_probe.probe("127.0.0.1", server.port, **options)


def ids(result):
    return [finding["id"] for finding in result["findings"]]


def test_xrdp_accepting_tls_selects_tls_and_shows_its_certificate(xrdp_tls, certificate):
    result = probe(xrdp_tls)
    assert result["stage_failed"] is None, result["error"]
    assert result["reachable"] and result["selected_protocol"] == "ssl"
    assert result["tls_version"] in ("TLSv1.2", "TLSv1.3")
    cert = result["certificate"]
    assert cert["thumbprint_sha1"] == certificate["sha1"]
    assert cert["subject"] == "CN=rdp.test" and cert["name_matches"] and cert["self_signed"]
    assert cert["days_left"] in (199, 200)
    assert "negotiation.nla_not_used" in ids(result)
    assert all(result[key] is not None for key in ("tcp_connect_ms", "negotiation_ms", "tls_ms"))


def test_xrdp_accepting_tls_refuses_standard_rdp_security(xrdp_tls):
    result = probe(xrdp_tls, protocols=["rdp"])
    assert result["stage_failed"] == "negotiation"
    assert result["negotiation_failure"] == "SSL_REQUIRED_BY_SERVER"


def test_xrdp_accepting_tls_refuses_credssp_only(xrdp_tls):
    result = probe(xrdp_tls, protocols=["hybrid"])
    assert result["stage_failed"] == "negotiation"
    assert result["negotiation_failure"] == "SSL_REQUIRED_BY_SERVER"


def test_xrdp_with_rdp_security_only_accepts_standard_rdp(xrdp_rdp_only):
    result = probe(xrdp_rdp_only, protocols=["rdp"])
    assert result["stage_failed"] is None and result["selected_protocol"] == "rdp"
    assert ids(result) == ["negotiation.standard_rdp_security_accepted"]


def test_xrdp_with_rdp_security_only_selects_standard_rdp_when_tls_is_offered(xrdp_rdp_only):
    # xrdp answers RDP_NEG_RSP with PROTOCOL_RDP where FreeRDP and Windows send SSL_NOT_ALLOWED_BY_SERVER:
    # both are legal, since every client accepts Standard RDP Security.
    result = probe(xrdp_rdp_only)
    assert result["stage_failed"] is None and result["selected_protocol"] == "rdp"
    assert ids(result) == ["negotiation.standard_rdp_security"]
    assert result["certificate"] is None


def test_freerdp_requiring_nla_selects_credssp_and_shows_its_certificate(shadow_nla, certificate):
    result = probe(shadow_nla)
    assert result["stage_failed"] is None, result["error"]
    assert result["selected_protocol"] == "hybrid"
    assert result["certificate"]["thumbprint_sha1"] == certificate["sha1"]
    assert "negotiation.nla_not_used" not in ids(result)


def test_freerdp_requiring_nla_refuses_a_tls_only_client(shadow_nla):
    result = probe(shadow_nla, protocols=["ssl"])
    assert result["stage_failed"] == "negotiation" and result["reachable"]
    assert result["negotiation_failure"] == "HYBRID_REQUIRED_BY_SERVER"
    assert result["certificate"] is None and result["tls_ms"] is None


def test_freerdp_requiring_nla_refuses_standard_rdp_security(shadow_nla):
    result = probe(shadow_nla, protocols=["rdp"])
    assert result["negotiation_failure"] == "HYBRID_REQUIRED_BY_SERVER"


def test_freerdp_with_tls_only_selects_tls(shadow_tls):
    result = probe(shadow_tls)
    assert result["stage_failed"] is None and result["selected_protocol"] == "ssl"
    assert "negotiation.nla_not_used" in ids(result)


def test_freerdp_with_tls_only_refuses_credssp_only(shadow_tls):
    result = probe(shadow_tls, protocols=["hybrid"])
    assert result["stage_failed"] == "negotiation"
    assert result["negotiation_failure"] == "SSL_REQUIRED_BY_SERVER"


def test_freerdp_with_rdp_security_only(shadow_rdp_only):
    refused = probe(shadow_rdp_only)
    accepted = probe(shadow_rdp_only, protocols=["rdp"])
    assert refused["negotiation_failure"] == "SSL_NOT_ALLOWED_BY_SERVER"
    assert accepted["stage_failed"] is None and accepted["selected_protocol"] == "rdp"
