# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The access-log review through ansible-playbook against the lab: the planted burst is flagged, quiet hosts
are not, findings never change compliance, and the review rides on the audit's single round trip."""

import json
import os

import pytest
import yaml

from tests.helpers import REPO, build_lab, calls, run_playbook

CAUSES = yaml.safe_load(open(os.path.join(REPO, "lab", "causes.yml"), encoding="utf-8"))
PAIR = "password-spray,healthy"


def audit(tmp_path, *extra, limit=PAIR):
    inventory = build_lab(str(tmp_path))
    run = run_playbook("audit.yml", inventory, "-e", f"rdp_report_dir={tmp_path / 'r'}", *extra, check=True,
                       limit=limit)
    assert run.returncode == 0, run.stdout + run.stderr
    return json.loads((tmp_path / "r" / "rdp-compliance.json").read_text()), run


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    return audit(tmp_path_factory.mktemp("lab"), limit=None)


def test_the_planted_burst_is_flagged_with_its_evidence(audited):
    report, run = audited
    entry = report["hosts"]["password-spray"]
    ids = sorted({f["id"] for f in entry["findings"]})
    assert ids == sorted(CAUSES["password-spray"]["findings"])
    source = next(f for f in entry["findings"] if f["id"] == "access.failures_from_source")
    assert source["evidence"]["source"] == "203.0.113.77" and source["evidence"]["failures"] == 60
    assert source["thresholds"] == {"rdp_spray_failures_per_source": 20}
    account = next(f for f in entry["findings"] if f["id"] == "access.account_from_many_sources")
    assert account["evidence"]["account"] == "administrator" and account["evidence"]["distinct_sources"] == 8
    assert "FINDING HIGH   access.account_from_many_sources" in run.stdout


def test_findings_do_not_change_compliance(audited):
    report = audited[0]
    assert report["hosts"]["password-spray"]["status"] == "compliant"


@pytest.mark.parametrize("host", sorted(h for h in CAUSES if h != "password-spray"))
def test_quiet_hosts_are_not_flagged(audited, host):
    report = audited[0]
    entry = report["hosts"][host]
    assert entry["findings"] == []
    log = entry["access_log"]
    assert log["successes"]["count"] == 3 and log["successes"]["top_accounts"] == [{"name": "lab\\alice", "count": 3}]
    # The burst of three days ago is outside the 24 h window: only alice's mistyped password is in it.
    assert log["failures"]["count"] == 1 and log["failures"]["by_kind"] == {"remote_interactive": 0, "nla": 1}


def test_a_longer_window_sees_the_old_burst(tmp_path):
    report = audit(tmp_path, "-e", "rdp_access_log_hours=96", limit="healthy")[0]
    findings = report["hosts"]["healthy"]["findings"]
    assert [(f["id"], f["evidence"]["source"]) for f in findings] == [("access.failures_from_source", "192.0.2.200")]
    assert report["hosts"]["healthy"]["status"] == "compliant"


def test_thresholds_can_be_raised_so_the_burst_is_not_flagged(tmp_path):
    report = audit(tmp_path, "-e", "rdp_spray_failures_per_source=61", "-e", "rdp_spray_sources_per_account=9",
                   limit="password-spray")[0]
    assert report["hosts"]["password-spray"]["findings"] == []


def test_a_hit_cap_is_reported(tmp_path):
    report = audit(tmp_path, "-e", "rdp_access_log_max_events=50", limit="password-spray")[0]
    log = report["hosts"]["password-spray"]["access_log"]
    assert log["failures"]["read"] == 50 and log["failures"]["cap_reached"] is True
    capped = [f for f in report["hosts"]["password-spray"]["findings"] if f["id"] == "access.log_cap_reached"]
    assert sorted(f["evidence"]["part"] for f in capped) == ["failures", "nla_failures"]


def test_the_review_can_be_turned_off(tmp_path):
    report = audit(tmp_path, "-e", '{"rdp_access_log_hours": null}')[0]
    for entry in report["hosts"].values():
        assert entry["findings"] == [] and "access_log" not in entry


def test_bad_thresholds_fail_before_the_host_is_read(tmp_path):
    inventory = build_lab(str(tmp_path))
    run = run_playbook("audit.yml", inventory, "-e", f"rdp_report_dir={tmp_path / 'r'}", "-e",
                       "rdp_spray_sources_per_account=1", check=True, limit="healthy")
    assert "rdp_spray_sources_per_account must be an integer from 2 to 100000" in run.stdout
    assert calls(str(tmp_path), "healthy") == []


def test_the_review_costs_no_extra_round_trip(tmp_path):
    inventory = build_lab(str(tmp_path))
    run = run_playbook("audit.yml", inventory, "-e", f"rdp_report_dir={tmp_path / 'r'}", check=True,
                       limit="password-spray")
    assert run.returncode == 0, run.stdout + run.stderr
    assert [c["module"] for c in calls(str(tmp_path), "password-spray")] == ["rdp.windows.host_info"]
