# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/audit.yml fails exactly the non-compliant hosts whose rdp_fail_on_drift is true, after the report
of every host is written."""

import json

from tests.helpers import build_lab, run_playbook


def test_only_drifting_hosts_that_must_not_drift_fail(tmp_path):
    inventory = build_lab(str(tmp_path))
    reports = tmp_path / "r"
    run = run_playbook("audit.yml", inventory, "-e", f"rdp_report_dir={reports}", "-e", "rdp_fail_on_drift=true",
                       check=True, limit="healthy,throttled,tls12-disabled")
    assert run.returncode == 2, run.stdout + run.stderr
    report = json.loads((reports / "rdp-compliance.json").read_text())
    assert report["summary"]["hosts"] == 3 and report["summary"]["non_compliant"] == 2
    assert "fatal: [throttled]" in run.stdout and "fatal: [tls12-disabled]" in run.stdout
    assert "fatal: [healthy]" not in run.stdout
    assert "rdp_fail_on_drift is true" in run.stdout


def test_without_fail_on_drift_nothing_fails_and_the_fail_play_has_no_hosts(tmp_path):
    inventory = build_lab(str(tmp_path))
    run = run_playbook("audit.yml", inventory, "-e", f"rdp_report_dir={tmp_path / 'r'}", check=True,
                       limit="healthy,throttled")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "skipping: no hosts matched" in run.stdout
