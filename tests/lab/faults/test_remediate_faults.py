# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/remediate.yml through every fault of the matrix (tests/lab/faults/matrix.py).

One fault lab, five runs of the whole lab: remediate under the faults; audit (does every "fixed" hold?);
clear the faults the way an administrator would (matrix ``clear``); remediate again; audit (compliant?);
remediate a third time (nothing to change). Every change on every host is accounted for against the steps
the result reports (tests/lab/faults/accounting.py); the totals go to docs/reliability.md.
"""

import pytest

from tests.lab.faults.accounting import account, step_objects
from tests.lab.faults.lab import FaultLab
from tests.lab.faults.matrix import ALICE_SID, FAULTS, ORPHAN_SID, RDP_TCP, TS, TS_POLICY

THREE_FIXES = ["connections.allowed", "firewall.builtin_tcp", "firewall.builtin_udp", "listener.listening",
               "tuning.max_outstanding_connections"]
FIREWALL_ON = [("firewall", "remotedesktop-usermode-in-tcp"), ("firewall", "remotedesktop-usermode-in-udp")]
DENY = ("registry", TS.lower(), "fdenytsconnections")
MOC = ("registry", TS.lower(), "maxoutstandingconnections")


@pytest.fixture(scope="module")
def remediated(tmp_path_factory, change_ledger):
    lab = FaultLab(tmp_path_factory.mktemp("remediate-faults"))
    runs = {"start": lab.snapshot_full()}
    runs["first"] = lab.remediate("first")
    runs["after_first"] = lab.snapshot_full()
    runs["writes_first"] = {host: lab.write_calls(host) for host in lab.hosts}
    runs["audit_first"] = lab.audit("after-first")
    for fault in FAULTS:
        lab.clear_faults(fault.id, fault.clear)
    runs["cleared"] = lab.snapshot_full()
    runs["second"] = lab.remediate("second")
    runs["after_second"] = lab.snapshot_full()
    runs["audit_final"] = lab.audit("final")
    runs["writes_before_third"] = {host: len(lab.write_calls(host)) for host in lab.hosts}
    runs["third"] = lab.remediate("third")
    runs["after_third"] = lab.snapshot_full()
    runs["writes_third"] = {host: lab.write_calls(host)[runs["writes_before_third"][host]:] for host in lab.hosts}
    runs["ledger"] = {}
    for host in lab.hosts:
        first = account(runs["start"][host], runs["after_first"][host], steps(runs["first"], host))
        second = account(runs["cleared"][host], runs["after_second"][host], steps(runs["second"], host))
        runs["ledger"][host] = (first, second)
        if host != "healthy":
            change_ledger[host] = {key: len(first[key]) + len(second[key]) for key in ("made", "reported", "lost")}
    return lab, runs


def steps(run, host):
    return ((run.report["hosts"].get(host) or {}).get("remediation") or {}).get("steps") or []


def entry(remediated, host, run="first"):
    return remediated[1][run].report["hosts"][host]


def status(host_entry):
    """The remediation's status (the report entry's own status is the host's audit status after the run)."""
    return (host_entry.get("remediation") or {}).get("status", host_entry["status"])


def outcomes(host_entry):
    """Every control that needed attention, with its outcome (not the compliant or not-applicable ones)."""
    return {c["id"]: c["outcome"] for c in host_entry["controls"]
            if c.get("outcome") not in (None, "already_compliant")
            and not (c.get("outcome") == "skipped" and str(c.get("why", "")).startswith("not applicable"))}


def why(host_entry, control_id):
    return next(c["why"] for c in host_entry["controls"] if c["id"] == control_id)


def step_statuses(remediated, host, run="first"):
    return [(s["module"], s["status"]) for s in steps(remediated[1][run], host)]


def made(remediated, host, run=0):
    return remediated[1]["ledger"][host][run]["made"]


def value(state, path, name):
    return state["registry"].get(path, {}).get(name)


# --- what holds for every fault ---------------------------------------------------------------------------

def test_every_run_survives_every_fault_and_reports_every_host(remediated):
    lab, runs = remediated
    for name in ("first", "second", "third"):
        run = runs[name]
        assert run.report is not None, run.run.stdout[-3000:]
        assert sorted(run.report["hosts"]) == sorted(lab.hosts), name
        assert "Traceback" not in run.run.stdout + run.run.stderr, name
    assert runs["first"].run.returncode == 2  # the hosts that failed fail the play, after the report is written
    assert runs["second"].run.returncode == 0 and runs["third"].run.returncode == 0


def test_no_change_is_lost_under_any_fault(remediated):
    """Every object that changed on a host is covered by a step the result reports as changed or unknown."""
    lab, runs = remediated
    for host in lab.hosts:
        for ledger in runs["ledger"][host]:
            assert ledger["lost"] == [], host


def test_a_step_reported_changed_changed_the_host_or_its_controls_are_reported_failed(remediated):
    lab, runs = remediated
    for host in lab.hosts:
        for run, ledger in (("first", runs["ledger"][host][0]), ("second", runs["ledger"][host][1])):
            host_entry = entry(remediated, host, run)
            for step in steps(runs[run], host):
                if step["status"] != "changed" or step_objects(step, runs["start"][host]) & set(ledger["made"]):
                    continue
                assert {outcomes(host_entry)[cid] for cid in step["controls"]} == {"failed"}, (host, step["index"])


def test_nothing_reported_fixed_is_contradicted_by_a_fresh_audit(remediated):
    lab, runs = remediated
    for host in lab.hosts:
        audit = {c["id"]: c["status"] for c in runs["audit_first"].report["hosts"][host]["controls"]}
        for control_id, outcome in outcomes(entry(remediated, host)).items():
            if outcome == "fixed":
                assert audit[control_id] == "pass", (host, control_id)


def test_no_host_under_a_fault_is_reported_compliant_by_the_first_run(remediated):
    converging_on_their_own = {"registry-wrong-type", "policy-key-missing", "orphaned-sid", "localized-host",
                               "probe-target-silent"}  # nothing wrong in the host's own view: nothing to change
    for fault in FAULTS:
        if fault.id not in converging_on_their_own:
            assert status(entry(remediated, fault.id)) != "compliant", fault.id


def test_after_the_faults_clear_a_second_run_converges_and_a_third_changes_nothing(remediated):
    lab, runs = remediated
    for host in lab.hosts:
        assert status(entry(remediated, host, "second")) == "compliant", host
        assert runs["audit_final"].report["hosts"][host]["status"] == "compliant", host
        third = entry(remediated, host, "third")
        assert status(third) == "compliant" and third["message"].endswith("nothing was changed"), host
        assert runs["after_third"][host]["registry"] == runs["after_second"][host]["registry"], host
        assert [c for c in runs["writes_third"][host] if c["outcome"] != "ok"] == [], host


# --- one test per fault -----------------------------------------------------------------------------------

def _nothing_changed(remediated, host, words, host_status="unreachable"):
    """The run stopped before any write (never reached, or a read it could not understand); the second run fixes
    all three controls."""
    dummy, runs = remediated
    host_entry = entry(remediated, host)
    assert status(host_entry) == host_status and host_entry["controls"] == []
    assert "nothing was changed" in host_entry["message"] and words in host_entry["message"]
    assert made(remediated, host) == [] and runs["writes_first"][host] == []
    assert sorted(outcomes(entry(remediated, host, "second"))) == THREE_FIXES


def test_remediate__connection_refused_before(remediated):
    _nothing_changed(remediated, "connection-refused-before", "Connection refused")


def test_remediate__connection_timeout_before(remediated):
    _nothing_changed(remediated, "connection-timeout-before", "timed out")


def test_remediate__connection_lost_after_read(remediated):
    _nothing_changed(remediated, "connection-lost-after-read", "Connection reset")


def _dropped_between_writes(remediated, host, words):
    dummy, runs = remediated
    host_entry = entry(remediated, host)
    assert status(host_entry) == "unreachable" and words in host_entry["message"]
    assert step_statuses(remediated, host) == [("rdp.windows.firewall", "changed"),
                                               ("ansible.windows.win_regedit", "changed"),
                                               ("ansible.windows.win_regedit", "unknown")]
    assert host_entry["remediation"]["applied"] == [1, 2] and host_entry["remediation"]["in_flight"] == [3]
    assert "fixed" not in outcomes(host_entry).values()
    assert made(remediated, host) == sorted(FIREWALL_ON + [DENY])
    assert value(runs["after_first"][host], TS, "MaxOutstandingConnections")["value"] == 10  # never ran
    assert outcomes(entry(remediated, host, "second")) == {"tuning.max_outstanding_connections": "fixed"}


def test_remediate__connection_lost_between_writes(remediated):
    _dropped_between_writes(remediated, "connection-lost-between-writes", "Connection refused")


def test_remediate__connection_timeout_between_writes(remediated):
    _dropped_between_writes(remediated, "connection-timeout-between-writes", "timed out")


def test_remediate__connection_lost_after_write(remediated):
    dummy, runs = remediated
    host_entry = entry(remediated, "connection-lost-after-write")
    assert status(host_entry) == "unreachable"
    assert step_statuses(remediated, "connection-lost-after-write") == [
        ("rdp.windows.firewall", "changed"), ("ansible.windows.win_regedit", "unknown"),
        ("ansible.windows.win_regedit", "not_attempted")]
    assert outcomes(host_entry)["connections.allowed"] == "unknown"
    assert "whether it changed the host is unknown" in why(host_entry, "connections.allowed")
    assert outcomes(host_entry)["tuning.max_outstanding_connections"] == "skipped"
    assert "fixed" not in outcomes(host_entry).values()
    # The write did happen; the result says it may have.
    assert value(runs["after_first"]["connection-lost-after-write"], TS, "fDenyTSConnections")["value"] == 0
    assert outcomes(entry(remediated, "connection-lost-after-write", "second")) == {
        "tuning.max_outstanding_connections": "fixed"}


def test_remediate__connection_lost_before_verify(remediated):
    host_entry = entry(remediated, "connection-lost-before-verify")
    assert status(host_entry) == "unreachable" and "verify read" in host_entry["message"]
    assert [s for dummy, s in step_statuses(remediated, "connection-lost-before-verify")] == ["changed"] * 3
    assert set(outcomes(host_entry).values()) == {"unknown"}
    assert made(remediated, "connection-lost-before-verify") == sorted(FIREWALL_ON + [DENY, MOC])
    second = entry(remediated, "connection-lost-before-verify", "second")
    assert outcomes(second) == {} and second["message"].endswith("nothing was changed")


def test_remediate__corrupt_reply(remediated):
    _nothing_changed(remediated, "corrupt-reply", "rdp.windows.host_info failed", "error")


def test_remediate__malformed_reply(remediated):
    _nothing_changed(remediated, "malformed-reply", "unexpected shape", "error")


def test_remediate__module_error(remediated):
    _nothing_changed(remediated, "module-error", "Not enough quota is available", "error")


def test_remediate__registry_access_denied(remediated):
    dummy, runs = remediated
    host_entry = entry(remediated, "registry-access-denied")
    assert status(host_entry) == "incomplete"
    found = outcomes(host_entry)
    assert sorted(c for c, o in found.items() if o == "fixed") == [
        "connections.allowed", "firewall.builtin_tcp", "firewall.builtin_udp", "tuning.max_outstanding_connections"]
    unreadable = sorted(c for c, o in found.items() if o == "skipped" and "not allowed" in why(host_entry, c))
    assert unreadable == ["listener.all_adapters", "listener.enabled", "listener.logon_enabled", "listener.nla",
                          "listener.port", "listener.security_layer"]
    assert found["listener.listening"] == "skipped"
    assert runs["after_first"]["registry-access-denied"]["registry"][RDP_TCP] == \
        runs["start"]["registry-access-denied"]["registry"][RDP_TCP]


def test_remediate__registry_read_only(remediated):
    dummy, runs = remediated
    host_entry = entry(remediated, "registry-read-only")
    assert status(host_entry) == "failed"
    found = outcomes(host_entry)
    assert found["connections.allowed"] == "failed"
    assert "Requested registry access is not allowed" in why(host_entry, "connections.allowed")
    assert (found["firewall.builtin_tcp"], found["firewall.builtin_udp"]) == ("fixed", "fixed")
    assert found["tuning.max_outstanding_connections"] == "skipped"  # not attempted after the failure
    assert made(remediated, "registry-read-only") == FIREWALL_ON
    assert sorted(outcomes(entry(remediated, "registry-read-only", "second"))) == [
        "connections.allowed", "listener.listening", "tuning.max_outstanding_connections"]


def test_remediate__registry_wrong_type(remediated):
    dummy, runs = remediated
    host_entry = entry(remediated, "registry-wrong-type")
    assert status(host_entry) == "compliant"
    assert outcomes(host_entry) == {"connections.allowed": "fixed", "listener.listening": "fixed"}
    assert "replacing a REG_SZ value" in why(host_entry, "connections.allowed")
    assert value(runs["after_first"]["registry-wrong-type"], TS, "fDenyTSConnections") == {
        "type": "REG_DWORD", "value": 0}


def test_remediate__registry_key_missing(remediated):
    dummy, runs = remediated
    host_entry = entry(remediated, "registry-key-missing")
    assert status(host_entry) == "incomplete"
    assert outcomes(host_entry) == {"listener.listening": "skipped"}
    assert "does not exist" in why(host_entry, "listener.listening")
    assert runs["writes_first"]["registry-key-missing"] == []
    assert RDP_TCP not in runs["after_first"]["registry-key-missing"]["registry"]


def test_remediate__policy_key_missing(remediated):
    dummy, runs = remediated
    host_entry = entry(remediated, "policy-key-missing")
    assert status(host_entry) == "compliant"
    assert outcomes(host_entry) == {"tuning.max_outstanding_connections": "fixed"}
    assert made(remediated, "policy-key-missing") == [MOC]
    assert TS_POLICY not in runs["after_first"]["policy-key-missing"]["registry"]


def test_remediate__service_fails_to_start(remediated):
    host_entry = entry(remediated, "service-fails-to-start")
    assert status(host_entry) == "failed"
    assert outcomes(host_entry) == {"service.termservice.start_mode": "fixed", "service.termservice.running": "failed",
                                    "service.umrdpservice.running": "skipped", "listener.listening": "failed"}
    assert "did not respond to the start" in why(host_entry, "service.termservice.running")
    assert made(remediated, "service-fails-to-start") == [("service", "termservice", "start_mode")]


def test_remediate__service_start_mode_by_policy(remediated):
    host_entry = entry(remediated, "service-start-mode-by-policy")
    assert status(host_entry) == "failed"
    found = outcomes(host_entry)
    assert found["service.termservice.start_mode"] == "failed" and found["service.termservice.running"] == "skipped"
    assert "Access is denied" in why(host_entry, "service.termservice.start_mode")
    assert "fixed" not in found.values() and made(remediated, "service-start-mode-by-policy") == []


def test_remediate__gpo_reverts_after_write(remediated):
    dummy, runs = remediated
    host_entry = entry(remediated, "gpo-reverts-after-write")
    assert status(host_entry) == "failed"
    assert outcomes(host_entry) == {"connections.allowed": "failed", "listener.listening": "failed"}
    assert "still fails after its change" in why(host_entry, "connections.allowed")
    assert step_statuses(remediated, "gpo-reverts-after-write") == [("ansible.windows.win_regedit", "changed")]
    assert value(runs["after_first"]["gpo-reverts-after-write"], TS, "fDenyTSConnections")["value"] == 1


def test_remediate__orphaned_sid(remediated):
    dummy, runs = remediated
    host_entry = entry(remediated, "orphaned-sid")
    assert status(host_entry) == "compliant"
    assert outcomes(host_entry) == {"users.remote_desktop_users": "fixed"}
    assert runs["after_first"]["orphaned-sid"]["groups"]["S-1-5-32-555"]["members"] == [ALICE_SID]
    assert ORPHAN_SID in runs["start"]["orphaned-sid"]["groups"]["S-1-5-32-555"]["members"]


def test_remediate__domain_controller(remediated):
    dummy, runs = remediated
    host_entry = entry(remediated, "domain-controller")
    assert status(host_entry) == "managed_by_policy"
    assert outcomes(host_entry) == {"users.logon_right": "managed_by_policy"}
    assert runs["writes_first"]["domain-controller"] == []


def test_remediate__localized_host(remediated):
    dummy, runs = remediated
    host_entry = entry(remediated, "localized-host")
    assert status(host_entry) == "compliant"
    assert outcomes(host_entry) == {"firewall.builtin_tcp": "fixed", "firewall.builtin_udp": "fixed",
                                    "users.remote_desktop_users": "fixed"}
    by_module = {s["module"]: s["args"] for s in steps(runs["first"], "localized-host")}
    assert by_module["ansible.windows.win_group_membership"]["name"] == "Remotedesktopbenutzer"
    assert by_module["rdp.windows.firewall"]["enable_rules"] == ["RemoteDesktop-UserMode-In-TCP",
                                                                 "RemoteDesktop-UserMode-In-UDP"]
    assert ALICE_SID in runs["after_first"]["localized-host"]["groups"]["S-1-5-32-555"]["members"]


def test_remediate__port_in_use(remediated):
    dummy, runs = remediated
    host_entry = entry(remediated, "port-in-use")
    assert status(host_entry) == "incomplete"
    assert outcomes(host_entry) == {"listener.listening": "skipped"}
    assert "held by javaw.exe" in why(host_entry, "listener.listening")
    assert runs["writes_first"]["port-in-use"] == []


def test_remediate__firewall_rule_from_gpo(remediated):
    dummy, runs = remediated
    host_entry = entry(remediated, "firewall-rule-from-gpo")
    assert status(host_entry) == "managed_by_policy"
    assert outcomes(host_entry) == {"firewall.allowed_sources": "managed_by_policy"}
    assert runs["writes_first"]["firewall-rule-from-gpo"] == []
    assert runs["after_first"]["firewall-rule-from-gpo"]["firewall"] == runs["start"]["firewall-rule-from-gpo"]["firewall"]


def test_remediate__probe_target_silent(remediated):
    dummy, runs = remediated
    host_entry = entry(remediated, "probe-target-silent")
    assert status(host_entry) == "compliant" and outcomes(host_entry) == {}
    assert host_entry["message"].endswith("nothing was changed") and runs["writes_first"]["probe-target-silent"] == []


def test_remediate__probe_target_garbage(remediated):
    dummy, runs = remediated
    host_entry = entry(remediated, "probe-target-garbage")
    assert status(host_entry) == "incomplete"
    assert outcomes(host_entry) == {"listener.listening": "skipped"}
    assert "held by nginx.exe" in why(host_entry, "listener.listening")
    assert runs["writes_first"]["probe-target-garbage"] == []
