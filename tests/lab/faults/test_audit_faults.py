# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/audit.yml through every fault of the matrix (tests/lab/faults/matrix.py), in one run of the
whole fault lab, then again after the connection faults clear."""

import pytest

from tests.lab.faults.lab import FaultLab, control, erroring, failing
from tests.lab.faults.matrix import ALICE_SID, FAULTS, ORPHAN_SID

# What the three-way broken base host fails (RDP disabled, throttled, firewall rules off).
BROKEN3 = sorted(["connections.allowed", "listener.listening", "firewall.builtin_tcp", "firewall.builtin_udp",
                  "tuning.max_outstanding_connections"])
RDP_TCP_REGISTRY_CONTROLS = sorted(["listener.enabled", "listener.logon_enabled", "listener.port",
                                    "listener.all_adapters", "listener.nla", "listener.security_layer"])
SERVICE_DOWN = sorted(["listener.listening", "service.termservice.start_mode", "service.termservice.running",
                       "service.umrdpservice.running"])


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    lab = FaultLab(tmp_path_factory.mktemp("audit-faults"))
    before = lab.snapshot()
    first = lab.audit("first")
    after = lab.snapshot()
    for fault in FAULTS:
        if fault.connection_fault:
            lab.clear_faults(fault.id)
    cleared = lab.audit("cleared")
    return lab, before, after, first, cleared


def host(audited, name):
    return audited[3].report["hosts"][name]


def host_after_clearing(audited, name):
    return audited[4].report["hosts"][name]


# --- what holds for every fault ---------------------------------------------------------------------------

def test_the_run_survives_every_fault_and_reports_every_host(audited):
    lab, dummy, dummy, first, cleared = audited
    assert first.run.returncode == 0, first.run.stdout[-3000:] + first.run.stderr[-3000:]
    assert sorted(first.report["hosts"]) == sorted(lab.hosts)
    assert "Traceback" not in first.run.stdout + first.run.stderr
    assert cleared.run.returncode == 0
    assert first.report["summary"] == {"hosts": len(lab.hosts), "compliant": 2, "non_compliant": len(lab.hosts) - 7,
                                       "unreachable": 3, "error": 2}


def test_the_audit_changes_nothing_on_any_host_under_any_fault(audited):
    lab, before, after, dummy, dummy = audited
    for name in lab.hosts:
        assert after[name] == before[name], name
        assert lab.write_calls(name) == [], name


def test_no_faulty_host_is_reported_compliant(audited):
    """Except a hung TermService: its configuration is right and only a client sees the hang (diagnose does)."""
    for fault in FAULTS:
        if fault.id != "probe-target-silent":
            assert host(audited, fault.id)["status"] != "compliant", fault.id
    assert host(audited, "healthy")["status"] == "compliant"


def test_after_the_connection_faults_clear_the_audit_reports_the_real_state(audited):
    for fault in FAULTS:
        if fault.connection_fault:
            entry = host_after_clearing(audited, fault.id)
            assert (entry["status"], failing(entry), erroring(entry)) == ("non_compliant", BROKEN3, []), fault.id


# --- one test per fault -----------------------------------------------------------------------------------

def test_audit__connection_refused_before(audited):
    entry = host(audited, "connection-refused-before")
    assert entry["status"] == "unreachable" and entry["controls"] == []
    assert "Connection refused" in entry["message"]
    assert "connection-refused-before: UNREACHABLE" in audited[3].run.stdout


def test_audit__connection_timeout_before(audited):
    entry = host(audited, "connection-timeout-before")
    assert entry["status"] == "unreachable" and entry["controls"] == []
    assert "timed out" in entry["message"]


def test_audit__connection_lost_after_read(audited):
    lab = audited[0]
    entry = host(audited, "connection-lost-after-read")
    assert entry["status"] == "unreachable" and entry["controls"] == []
    assert "Connection reset" in entry["message"]
    assert [c["outcome"] for c in lab.calls("connection-lost-after-read")][0] == "connection_lost_after"


def test_audit__corrupt_reply(audited):
    entry = host(audited, "corrupt-reply")
    assert entry["status"] == "error" and entry["controls"] == []
    assert "rdp.windows.host_info failed" in entry["message"]
    assert "CLIXML" not in entry["message"]  # the garbled reply itself is not echoed


def test_audit__malformed_reply(audited):
    entry = host(audited, "malformed-reply")
    assert entry["status"] == "non_compliant" and "os" not in entry
    statuses = {c["status"] for c in entry["controls"]}
    assert statuses == {"error", "not_applicable"}
    for result in entry["controls"]:
        if result["status"] == "error" and result["id"] != "users.remote_desktop_users":
            assert "unexpected shape" in result["reason"], result
    assert "LAB\\alice" in control(entry, "users.remote_desktop_users")["reason"]  # accounts was a list


def test_audit__module_error(audited):
    entry = host(audited, "module-error")
    assert entry["status"] == "error" and entry["controls"] == []
    assert "Not enough quota is available" in entry["message"]


def test_audit__registry_access_denied(audited):
    entry = host(audited, "registry-access-denied")
    assert entry["status"] == "non_compliant"
    assert erroring(entry) == RDP_TCP_REGISTRY_CONTROLS
    assert failing(entry) == BROKEN3
    for control_id in RDP_TCP_REGISTRY_CONTROLS:
        result = control(entry, control_id)
        assert "Requested registry access is not allowed" in result["reason"]
        assert result["actual"] is None and result["source"] is None


def test_audit__registry_read_only(audited):
    entry = host(audited, "registry-read-only")
    assert (failing(entry), erroring(entry)) == (BROKEN3, [])


def test_audit__registry_wrong_type(audited):
    entry = host(audited, "registry-wrong-type")
    assert failing(entry) == ["connections.allowed", "listener.listening"]
    allowed = control(entry, "connections.allowed")
    assert allowed["actual"] == {"value": "0", "wrong_type": "REG_SZ"}
    assert "REG_SZ" in allowed["reason"] and "REG_DWORD" in allowed["reason"]
    assert "to 0 (REG_DWORD)" in allowed["remediation"]


def test_audit__registry_key_missing(audited):
    entry = host(audited, "registry-key-missing")
    assert (failing(entry), erroring(entry)) == (["listener.listening"], [])
    for control_id in RDP_TCP_REGISTRY_CONTROLS:
        assert control(entry, control_id)["source"] == "default", control_id
    assert control(entry, "listener.listening")["actual"] == {"listening": False, "owner": None}


def test_audit__policy_key_missing(audited):
    entry = host(audited, "policy-key-missing")
    assert (failing(entry), erroring(entry)) == (["tuning.max_outstanding_connections"], [])
    assert control(entry, "connections.allowed")["source"] == "local"
    assert control(entry, "listener.nla")["source"] == "local"


def test_audit__service_fails_to_start(audited):
    entry = host(audited, "service-fails-to-start")
    assert (failing(entry), erroring(entry)) == (SERVICE_DOWN, [])


def test_audit__service_start_mode_by_policy(audited):
    entry = host(audited, "service-start-mode-by-policy")
    assert (failing(entry), erroring(entry)) == (SERVICE_DOWN, [])


def test_audit__gpo_reverts_after_write(audited):
    entry = host(audited, "gpo-reverts-after-write")
    assert failing(entry) == ["connections.allowed", "listener.listening"]
    assert control(entry, "connections.allowed")["actual"] == 1


def test_audit__orphaned_sid(audited):
    entry = host(audited, "orphaned-sid")
    assert (failing(entry), erroring(entry)) == (["users.remote_desktop_users"], [])
    members = control(entry, "users.remote_desktop_users")["actual"]
    assert sorted(members) == sorted([ALICE_SID, ORPHAN_SID])


def test_audit__domain_controller(audited):
    entry = host(audited, "domain-controller")
    assert (failing(entry), erroring(entry)) == (["users.logon_right"], [])
    group = control(entry, "users.remote_desktop_users")
    assert group["status"] == "not_applicable" and "domain controller" in group["reason"]
    right = control(entry, "users.logon_right")
    assert right["source"] == "policy" and right["remediation"].startswith("Managed by Group Policy")


def test_audit__localized_host(audited):
    entry = host(audited, "localized-host")
    assert (failing(entry), erroring(entry)) == (
        ["firewall.builtin_tcp", "firewall.builtin_udp", "users.remote_desktop_users"], [])
    fix = control(entry, "firewall.builtin_tcp")["remediation"]
    assert "RemoteDesktop-UserMode-In-TCP" in fix and "Remotedesktop" not in fix


def test_audit__port_in_use(audited):
    entry = host(audited, "port-in-use")
    assert (failing(entry), erroring(entry)) == (["listener.listening"], [])
    assert control(entry, "listener.listening")["actual"] == {"listening": True, "owner": "javaw.exe"}


def test_audit__firewall_rule_from_gpo(audited):
    entry = host(audited, "firewall-rule-from-gpo")
    assert (failing(entry), erroring(entry)) == (["firewall.allowed_sources"], [])
    for control_id in ("firewall.builtin_tcp", "firewall.builtin_udp"):
        result = control(entry, control_id)
        assert result["status"] == "not_applicable" and "GPO-RemoteDesktop-UserMode-In" in result["reason"]
    sources = control(entry, "firewall.allowed_sources")
    assert sources["source"] == "policy" and sources["actual"] == ["10.0.0.0/8"]
    assert sources["remediation"].startswith("Managed by Group Policy")


def test_audit__probe_target_silent(audited):
    entry = host(audited, "probe-target-silent")
    assert (entry["status"], failing(entry), erroring(entry)) == ("compliant", [], [])


def test_audit__probe_target_garbage(audited):
    entry = host(audited, "probe-target-garbage")
    assert (failing(entry), erroring(entry)) == (["listener.listening"], [])
    listening = control(entry, "listener.listening")
    assert listening["actual"] == {"listening": True, "owner": "nginx.exe"}
    assert listening["remediation"].startswith("Free the RDP port: nginx.exe holds it")
