# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The diagnosis: combining the client's view and the host's into ranked findings."""

import datetime
import json

import pytest

from ansible_collections.rdp.windows.plugins.plugin_utils._compliance import catalogue
from ansible_collections.rdp.windows.plugins.plugin_utils._diagnosis import diagnose, rdp_probe
from ansible_collections.rdp.windows.plugins.plugin_utils._compliance.evaluate import evaluate
from ansible_collections.rdp.windows.plugins.plugin_utils._simulator import twin_host_info
from ansible_collections.rdp.windows.plugins.plugin_utils._simulator.windows_host import WindowsHost
from tests.helpers import build_lab

NOW = datetime.datetime(2026, 11, 26, tzinfo=datetime.timezone.utc)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    directory = tmp_path_factory.mktemp("lab")
    build_lab(str(directory))
    return directory / "hosts"


def desired(**variables):
    return catalogue.desired_for_catalogue(dict({"rdp_users": ["LAB\\alice"]}, **variables))


def host_view(lab, host, change=None, **variables):
    state = json.loads((lab / f"{host}.json").read_text())
    if change:
        change(state)
    wanted = desired(**variables)
    controls = catalogue.controls_for(wanted.profile)
    facts = twin_host_info.host_info(WindowsHost(state), diagnose.diagnostic_query(controls, wanted), False)
    return facts, evaluate(wanted, facts, controls)


def probe_result(stage=None, error_class=None, selected="hybrid", certificate=None, **extra):
    result = rdp_probe.empty_result("host1", 3389, ["ssl", "hybrid"])
    if stage:
        result.update(stage_failed=stage, error={"stage": stage, "class": error_class, "message": "it failed"})
    else:
        result.update(reachable=True, selected_protocol=selected, tls_version="TLSv1.2", certificate=certificate)
    result.update(extra)
    result["findings"] = rdp_probe.findings(result)
    return result


def certificate(days_left=150, self_signed=True, thumbprint="AB" * 20):
    return {"subject": "CN=host1", "issuer": "CN=host1", "days_left": days_left, "expired": days_left < 0,
            "not_yet_valid": False, "not_before": "2026-01-01T00:00:00Z", "not_after": "2027-01-01T00:00:00Z",
            "self_signed": self_signed, "name_matches": True, "name_checked": "host1", "key_type": "rsa",
            "key_bits": 2048, "signature_hash": "sha256", "thumbprint_sha1": thumbprint}


def top(diagnosis):
    return diagnosis["findings"][0]


def test_every_control_says_what_a_client_sees():
    assert set(catalogue.CLIENT_SYMPTOMS) == set(catalogue.BY_ID)
    assert set(catalogue.CLIENT_SYMPTOMS.values()) <= set(diagnose.SYMPTOM_WEIGHT)


def test_the_query_adds_events_and_the_diagnostic_registry_values():
    wanted = desired()
    query = diagnose.diagnostic_query(catalogue.controls_for("baseline"), wanted)
    assert query["include_events"] is True
    for entry in diagnose.DIAGNOSTIC_REGISTRY:
        assert query["registry"].count(entry) == 1
    names = {e["name"] for e in query["registry"]}
    assert {"AllowEncryptionOracle", "SSLCertificateSHA1Hash", "DisabledByDefault", "Functions"} <= names


@pytest.mark.parametrize("stage, error_class, identifier, cause", [
    ("dns", "not_found", "network.name_resolution", "network"),
    ("tcp", "unreachable", "network.unreachable", "network"),
    ("tcp", "timeout", "firewall.path", "firewall"),
    ("tcp", "refused", "network.refused", "network"),
    ("x224", "not_tpkt", "network.not_rdp", "network"),
    ("tls", "handshake_failed", "compatibility.tls", "compatibility"),
])
def test_a_client_failure_the_healthy_host_does_not_explain_lies_between_them(lab, stage, error_class,
                                                                              identifier, cause):
    facts, audit = host_view(lab, "healthy")
    diagnosis = diagnose.diagnose(probe_result(stage, error_class), facts, audit, now=NOW)
    assert diagnosis["status"] == "broken"
    assert top(diagnosis)["id"] == identifier and top(diagnosis)["cause"] == cause
    assert top(diagnosis)["fix"]["kind"] == "manual" and top(diagnosis)["evidence"]["client"]


def test_a_dropped_connection_explained_by_the_host_firewall_names_the_control(lab):
    facts, audit = host_view(lab, "firewall-rule-off")
    diagnosis = diagnose.diagnose(probe_result("tcp", "timeout"), facts, audit, now=NOW)
    finding = top(diagnosis)
    assert finding["id"] == "firewall.builtin_tcp" and finding["fix"]["kind"] == "control"
    assert finding["fix"]["controls"] == ["firewall.builtin_tcp"]
    assert finding["evidence"]["client"] and finding["evidence"]["host"]
    assert "firewall.path" not in [f["id"] for f in diagnosis["findings"]]


def test_nothing_listening_folds_the_listener_control_into_its_cause(lab):
    facts, audit = host_view(lab, "termservice-disabled")
    diagnosis = diagnose.diagnose(probe_result("tcp", "timeout"), facts, audit, now=NOW)
    ids = [f["id"] for f in diagnosis["findings"]]
    assert ids[:2] == ["service.termservice.start_mode", "service.termservice.running"]
    assert "listener.listening" not in ids
    assert any("listener.listening" in line for line in top(diagnosis)["evidence"]["host"])
    assert any("event 7000" in line for line in top(diagnosis)["evidence"]["host"])


def test_a_policy_value_is_fixed_in_its_gpo(lab):
    facts, audit = host_view(lab, "rdp-denied-by-policy")
    finding = top(diagnose.diagnose(probe_result("tcp", "timeout"), facts, audit, now=NOW))
    assert finding["id"] == "connections.allowed" and finding["fix"]["kind"] == "policy"
    assert "Group Policy" in finding["fix"]["text"]


def test_a_host_that_should_refuse_but_a_client_connected_is_flagged_as_contradiction(lab):
    facts, audit = host_view(lab, "rdp-disabled")
    connected = diagnose.diagnose(probe_result(certificate=certificate()), facts, audit, now=NOW)
    dropped = diagnose.diagnose(probe_result("tcp", "timeout"), facts, audit, now=NOW)
    assert top(connected)["score"] < top(dropped)["score"]
    assert any("pending restart" in line for line in top(connected)["evidence"]["client"])


def test_unreadable_private_key_explains_a_tls_failure(lab):
    def key_denied(state):
        state["listener"]["certificate"]["private_key_readable"] = False
    facts, audit = host_view(lab, "healthy", key_denied)
    finding = top(diagnose.diagnose(probe_result("tls", "closed"), facts, audit, now=NOW))
    assert finding["id"] == "certificate.private_key" and finding["cause"] == "compatibility"


def _all_tls_off(state):
    for version in ("TLS 1.0", "TLS 1.1"):
        state["registry"][f"{diagnose.SCHANNEL_PROTOCOLS.replace('HKLM:', 'HKLM')}\\{version}\\Server"] = {
            "Enabled": {"type": "REG_DWORD", "value": 0}}
    state["registry"][f"{diagnose.SCHANNEL_PROTOCOLS.replace('HKLM:', 'HKLM')}\\TLS 1.2\\Server"] = {
        "Enabled": {"type": "REG_DWORD", "value": 1}, "DisabledByDefault": {"type": "REG_DWORD", "value": 1}}


def test_tls12_enabled_but_disabled_by_default_is_named_by_its_control(lab):
    facts, audit = host_view(lab, "healthy", _all_tls_off)
    assert diagnose.server_tls_versions(facts) == []
    finding = top(diagnose.diagnose(probe_result("tls", "protocol_version"), facts, audit, now=NOW))
    assert finding["id"] == "compatibility.tls12_server_default"


def test_every_tls_version_disabled_without_the_control_failing(lab):
    skipped = ["compatibility.tls12_server", "compatibility.tls12_server_default"]
    facts, audit = host_view(lab, "healthy", _all_tls_off, rdp_controls_skip=skipped)
    assert diagnose.server_tls_versions(facts) == []
    finding = top(diagnose.diagnose(probe_result("tls", "protocol_version"), facts, audit, now=NOW))
    assert finding["id"] == "compatibility.schannel"
    assert any("no TLS version" in line for line in finding["evidence"]["host"])


def test_expired_certificate_seen_by_the_client():
    diagnosis = diagnose.diagnose(probe_result(certificate=certificate(days_left=-2)), now=NOW)
    assert top(diagnosis)["id"] == "certificate.expired" and diagnosis["status"] == "broken"
    assert "Remote Desktop store" in top(diagnosis)["fix"]["text"]


def test_a_ca_certificate_expiring_soon_is_a_warning_a_self_signed_one_is_not():
    managed = diagnose.diagnose(probe_result(certificate=certificate(days_left=10, self_signed=False)), now=NOW)
    automatic = diagnose.diagnose(probe_result(certificate=certificate(days_left=10)), now=NOW)
    assert top(managed)["id"] == "certificate.expires_soon" and managed["status"] == "degraded"
    assert "certificate.expires_soon" not in [f["id"] for f in automatic["findings"]]


def test_a_certificate_that_is_not_the_bound_one(lab):
    def bound(state):
        state["listener"]["certificate"]["thumbprint"] = "CD" * 20
    facts, audit = host_view(lab, "healthy", bound)
    diagnosis = diagnose.diagnose(probe_result(certificate=certificate()), facts, audit, now=NOW)
    assert "certificate.not_bound_one" in [f["id"] for f in diagnosis["findings"]]


def test_event_1006_without_a_throttling_setting(lab):
    def flood(state):
        state["event_log"].append({"log": "System", "id": 1006, "time": state["clock"], "data": {},
                                   "provider": "Microsoft-Windows-TerminalServices-RemoteConnectionManager"})
    facts, audit = host_view(lab, "healthy", flood)
    diagnosis = diagnose.diagnose(probe_result(certificate=certificate()), facts, audit, now=NOW)
    assert top(diagnosis)["id"] == "network.incomplete_connections" and diagnosis["status"] == "degraded"


@pytest.mark.parametrize("value, identifier, severity", [(0, "compatibility.credssp_force_updated", "info"),
                                                         (2, "compatibility.credssp_vulnerable", "warning")])
def test_credssp_setting_from_the_registry(lab, value, identifier, severity):
    path = r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System\CredSSP\Parameters"

    def credssp(state):
        state["registry"][path] = {"AllowEncryptionOracle": {"type": "REG_DWORD", "value": value}}
    facts, audit = host_view(lab, "healthy", credssp)
    found = {f["id"]: f for f in diagnose.diagnose(probe_result(certificate=certificate()), facts, audit,
                                                   now=NOW)["findings"]}
    assert found[identifier]["severity"] == severity


def test_weak_security_seen_only_by_the_client_is_reported(lab):
    facts, audit = host_view(lab, "healthy")
    diagnosis = diagnose.diagnose(probe_result(selected="rdp"), facts, audit, now=NOW)
    assert top(diagnosis)["id"] == "probe.negotiation.standard_rdp_security"
    assert diagnosis["status"] == "degraded"


def test_healthy_host(lab):
    facts, audit = host_view(lab, "healthy")
    diagnosis = diagnose.diagnose(probe_result(certificate=certificate()), facts, audit, now=NOW)
    assert diagnosis["status"] == "healthy" and diagnosis["most_likely_cause"] is None
    assert {f["severity"] for f in diagnosis["findings"]} <= {"info"}
    assert diagnosis["summary"].startswith("healthy: a client negotiates hybrid")


def test_without_probe_and_facts_the_status_is_unknown():
    assert diagnose.diagnose()["status"] == "unknown"


def test_host_unreadable_still_diagnoses_the_client_view():
    diagnosis = diagnose.diagnose(probe_result("tcp", "timeout"), host_error="WinRM refused")
    ids = [f["id"] for f in diagnosis["findings"]]
    assert ids[0] == "firewall.path" and "host.unreadable" in ids


def test_ranks_are_consecutive_and_scores_descending(lab):
    facts, audit = host_view(lab, "firewall-rule-off")
    findings = diagnose.diagnose(probe_result("tcp", "timeout"), facts, audit, now=NOW)["findings"]
    assert [f["rank"] for f in findings] == list(range(1, len(findings) + 1))
    assert [f["score"] for f in findings] == sorted((f["score"] for f in findings), reverse=True)
    assert all(f["cause"] in catalogue.CAUSES for f in findings)


@pytest.mark.parametrize("years_later", [0, 3])
def test_the_host_judges_its_bound_certificate_by_its_own_clock(lab, years_later):
    """Without a probe, the bound certificate's age is measured on the host's clock (host_time), whatever day the
    controller has: the lab's certificate is valid on the lab's clock."""
    facts, audit = host_view(lab, "healthy")
    later = NOW.replace(year=NOW.year + years_later)
    assert "certificate.expired" not in [f["id"] for f in diagnose.diagnose(None, facts, audit, now=later)["findings"]]
    facts["host_time"] = "2031-01-01T00:00:00.0000000Z"
    expired = diagnose.diagnose(None, facts, audit, now=NOW)
    assert "certificate.expired" in [f["id"] for f in expired["findings"]]
