# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""fleet_report reads the results an rdp.windows.audit task registered (playbooks/audit.yml runs no other
per-host task) and writes the report."""

import json

from ansible_collections.rdp.windows.plugins.plugin_utils import fleet_report

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


def test_the_report_is_written_as_json(tmp_path):
    report = fleet_report.build(["a", "b"], {"a": dict(AUDIT, fail_on_drift=False)}, generated_at="2026-01-01T00:00:00+00:00")
    path = fleet_report.write(report, str(tmp_path / "out"))
    assert json.loads(open(path, encoding="utf-8").read()) == report
    assert report["summary"] == {"hosts": 2, "compliant": 0, "non_compliant": 1, "unreachable": 1, "error": 0}
