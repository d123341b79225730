# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fleet report built from the per-host results, and the readable per-host summary."""

from __future__ import annotations

import datetime

from ansible_collections.rdp.windows.plugins.plugin_utils._compliance import catalogue, evaluate
from ansible_collections.rdp.windows.plugins.plugin_utils._reports import fleet_report
from tests.unit.host_facts import ALICE, TS, HostFacts


def audited(facts):
    desired = catalogue.desired_for_catalogue({"rdp_users": [ALICE]})
    audit = evaluate.evaluate(desired, facts.result())
    audit["os"] = facts.data["os"]
    return audit


def test_build_counts_hosts_by_status_and_keeps_the_inventory_order():
    results = {
        "good": audited(HostFacts()),
        "bad": audited(HostFacts().set(TS, "fDenyTSConnections", 1)),
        "down": {"status": "unreachable", "message": "WinRM refused", "controls": []},
        "broken": {"status": "error", "message": "host_info failed", "controls": []},
    }
    report = fleet_report.build(["good", "bad", "down", "broken", "never"], results, generated_at="2026-11-26T00:00:00+00:00")
    assert report["schema_version"] == fleet_report.SCHEMA_VERSION == 1
    assert report["generated_at"] == "2026-11-26T00:00:00+00:00"
    assert list(report["hosts"]) == ["good", "bad", "down", "broken", "never"]
    assert report["summary"] == {"hosts": 5, "compliant": 1, "non_compliant": 1, "unreachable": 1, "error": 2}
    assert report["hosts"]["never"]["status"] == "error" and report["hosts"]["never"]["controls"] == []
    assert report["hosts"]["never"]["message"].startswith("no result: the audit stopped before reading this host")
    assert report["hosts"]["down"]["message"] == "WinRM refused"
    failing = [c for c in report["hosts"]["bad"]["controls"] if c["status"] == "fail"]
    assert [c["id"] for c in failing] == ["connections.allowed"]
    assert failing[0]["expected"] == 0 and failing[0]["actual"] == 1 and failing[0]["source"] == "local"
    assert report["hosts"]["good"]["os"] == {
        "caption": "Microsoft Windows Server 2022 Datacenter", "version": "10.0.20348", "domain_joined": True,
        "is_domain_controller": False}


def test_generated_at_defaults_to_now_in_utc():
    report = fleet_report.build([], {})
    generated = datetime.datetime.fromisoformat(report["generated_at"])
    assert generated.utcoffset() == datetime.timedelta(0)
    assert abs((datetime.datetime.now(datetime.timezone.utc) - generated).total_seconds()) < 60
    assert report["summary"] == {"hosts": 0, "compliant": 0, "non_compliant": 0, "unreachable": 0, "error": 0}


def test_only_the_audit_fields_reach_the_report():
    result = audited(HostFacts())
    result.update(ansible_password="secret", ansible_host="10.0.0.5", fail_on_drift=True)
    result["controls"][0]["ansible_password"] = "secret"
    result["os"]["hostname"] = "INTERNAL-NAME"
    entry = fleet_report.host_entry(result)
    text = repr(entry)
    assert "secret" not in text and "10.0.0.5" not in text and "INTERNAL-NAME" not in text
    assert set(entry) == {"status", "controls", "profile", "counts", "os"}
    assert set(entry["controls"][0]) == set(fleet_report.CONTROL_FIELDS)


def test_an_unknown_status_is_reported_as_error():
    entry = fleet_report.host_entry({"status": "weird", "controls": [{"id": "x"}]})
    assert entry == {"status": "error", "message": "the audit recorded an unknown status 'weird'", "controls": []}
    assert fleet_report.host_entry({})["status"] == "error"  # nothing recorded: not blamed on the network


def test_summary_lines_name_each_failing_control_with_values_source_and_fix():
    lines = fleet_report.summary_lines("bad", audited(HostFacts().set(TS, "fDenyTSConnections", 1)))
    assert lines[0] == "bad: NON_COMPLIANT"
    assert lines[1] == "  FAIL  connections.allowed: expected 0, actual 1 (from local)"
    assert lines[2].strip().startswith("fix: Set HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\"
                                       "fDenyTSConnections to 0")
    assert len(lines) == 3
    error = audited(HostFacts().edit(lambda data: data.update(services=None)))
    error_lines = fleet_report.summary_lines("err", error)
    assert "  ERROR service.termservice.start_mode: host_info returned no services" in error_lines
    assert fleet_report.summary_lines("ok", audited(HostFacts())) == ["ok: COMPLIANT"]
    assert fleet_report.summary_lines("down", {"status": "unreachable", "message": "refused"}) == [
        "down: UNREACHABLE", "  refused"]
