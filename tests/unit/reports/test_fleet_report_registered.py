# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""fleet_report reads the results an rdp.windows.audit task registered (playbooks/audit.yml runs no other
per-host task) and prints every host's summary once for the fleet."""

from ansible_collections.rdp.windows.plugins.plugin_utils._reports import fleet_report

AUDIT = {"status": "non_compliant", "profile": "baseline",
         "controls": [{"id": "connections.allowed", "status": "fail", "expected": 0, "actual": 1, "source": "local"}]}


def test_a_registered_audit_result_becomes_the_recorded_result():
    registered = {"changed": False, "rdp_audit": AUDIT, "msg": "non_compliant: 1 failing control(s)"}
    assert fleet_report.recorded_result(registered, True) == dict(AUDIT, fail_on_drift=True)
    assert fleet_report.recorded_result(registered)["fail_on_drift"] is False


def test_unreachable_and_failed_hosts_keep_their_message():
    unreachable = fleet_report.recorded_result({"unreachable": True, "msg": "WinRM refused", "changed": False})
    assert unreachable == {"status": "unreachable", "message": "WinRM refused", "controls": []}
    failed = {"failed": True, "msg": "rdp.windows.host_info failed: boom",
              "rdp_audit": {"status": "error", "error": "boom", "controls": []}}
    assert fleet_report.recorded_result(failed) == {"status": "error", "message": "rdp.windows.host_info failed: boom",
                                                    "controls": []}
    assert fleet_report.recorded_result({"failed": True})["message"] == "audit failed"
    assert fleet_report.recorded_result(None) is None


def test_the_fleet_lines_show_each_host_with_its_failing_controls_and_findings():
    finding = {"id": "access.failures_from_source", "severity": "high", "message": "60 failures from 203.0.113.77"}
    report = fleet_report.build(["a", "b"], {"a": dict(AUDIT, fail_on_drift=False, findings=[finding])},
                                generated_at="2026-01-01T00:00:00+00:00")
    assert report["summary"]["non_compliant"] == 1 and report["summary"]["error"] == 1  # b recorded nothing
    lines = fleet_report.fleet_lines(report)
    assert lines[0] == "a: NON_COMPLIANT"
    assert any("FAIL  connections.allowed" in line for line in lines)
    assert any("FINDING HIGH   access.failures_from_source" in line for line in lines)
    assert lines[-2] == "b: ERROR" and lines[-1].startswith("  no result: the audit stopped before reading")
