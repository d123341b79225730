# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/remediate.yml leaves a control under a waiver in force alone, fixes it once the waiver expired,
and refuses a bad waiver before the host is read."""

import json

from tests.helpers import build_lab, calls, load_state, run_playbook

TS = "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server"


def waiver(expires):
    return {"rdp_waivers": [{"control": "tuning.max_outstanding_connections", "hosts": "thrott*",
                             "reason": "load test rig", "owner": "perf-team", "expires": expires}]}


def remediate(tmp_path, extra):
    inventory = build_lab(str(tmp_path))
    run = run_playbook("remediate.yml", inventory, "-e", json.dumps(extra), "-e",
                       f"rdp_report_dir={tmp_path / 'r'}", limit="throttled")
    return run, load_state(str(tmp_path), "throttled")


def control(tmp_path, cid):
    report = json.loads((tmp_path / "r" / "rdp-remediation.json").read_text())
    return next(c for c in report["hosts"]["throttled"]["controls"] if c["id"] == cid)


def test_a_waived_control_is_left_alone(tmp_path):
    run, state = remediate(tmp_path, waiver("2099-12-31"))
    assert run.returncode == 0, run.stdout + run.stderr
    assert state["registry"][TS]["MaxOutstandingConnections"] == {"type": "REG_DWORD", "value": 10}
    assert control(tmp_path, "tuning.max_outstanding_connections")["outcome"] == "waived"
    assert [c["module"] for c in calls(str(tmp_path), "throttled")] == ["rdp.windows.host_info"]


def test_a_control_whose_waiver_expired_is_fixed(tmp_path):
    run, state = remediate(tmp_path, waiver("2020-01-01"))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "MaxOutstandingConnections" not in state["registry"][TS]
    assert control(tmp_path, "tuning.max_outstanding_connections")["outcome"] == "fixed"


def test_a_bad_waiver_stops_remediation_before_the_host_is_read(tmp_path):
    run, state = remediate(tmp_path, waiver("someday"))
    assert run.returncode != 0
    assert "rdp_waivers[0] (control 'tuning.max_outstanding_connections', owner 'perf-team'): expires 'someday' " \
           "is not a date" in run.stdout
    assert calls(str(tmp_path), "throttled") == []
    assert state["registry"][TS]["MaxOutstandingConnections"] == {"type": "REG_DWORD", "value": 10}
