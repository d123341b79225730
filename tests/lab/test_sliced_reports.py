# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Job slicing: two audit runs on two --limit subsets of the lab, merged with playbooks/merge_reports.yml,
give the report of one unsliced run (generated_at aside)."""

import json
import os
import shutil

import pytest
import yaml

from tests.helpers import REPO, build_lab, run_playbook
from tests.report_checks import prometheus_samples

LAB_HOSTS = sorted(yaml.safe_load(open(os.path.join(REPO, "lab", "causes.yml"), encoding="utf-8")))
# Two slices as AWX would cut them: every other host of the inventory.
SLICE_1 = ",".join(LAB_HOSTS[0::2])
SLICE_2 = ",".join(LAB_HOSTS[1::2])
WAIVER = [{"control": "listener.listening", "hosts": "rdp-d*", "reason": "RDP is off on purpose", "owner": "ops",
           "expires": "2099-01-01"}]


def _lab(directory, template):
    """A fresh copy of the same lab, so every run starts from identical hosts."""
    shutil.copytree(template, directory)
    return str(directory / "inventory.yml")


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("sliced")
    template = root / "template"
    build_lab(str(template))
    waivers = json.dumps({"rdp_waivers": WAIVER})
    out = {}
    for name, limit in (("whole", None), ("slice1", SLICE_1), ("slice2", SLICE_2)):
        inventory = _lab(root / name, template)
        run = run_playbook("audit.yml", inventory, "-e", waivers, "-e", f"rdp_report_dir={root / 'reports' / name}",
                           check=True, limit=limit)
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr
    merge = run_playbook("merge_reports.yml", str(root / "whole" / "inventory.yml"), "-e",
                         json.dumps({"rdp_merge_sources": [str(root / "reports" / "slice1" / "rdp-compliance.json"),
                                                           str(root / "reports" / "slice2" / "*.json")],
                                     "rdp_report_dir": str(root / "reports" / "merged")}),
                         env={"ANSIBLE_STDOUT_CALLBACK": "ansible.posix.json", "ANSIBLE_SHOW_CUSTOM_STATS": "1"})
    assert merge.returncode == 0, merge.stdout[-3000:] + merge.stderr
    out["merge_output"] = json.loads(merge.stdout)
    out["dirs"] = {name: root / "reports" / name for name in ("whole", "slice1", "slice2", "merged")}
    return out


def read(runs, name, fmt):
    return (runs["dirs"][name] / f"rdp-compliance.{fmt}").read_text(encoding="utf-8")


def test_the_slices_cover_the_lab_without_overlap(runs):
    first = json.loads(read(runs, "slice1", "json"))["hosts"]
    second = json.loads(read(runs, "slice2", "json"))["hosts"]
    whole = json.loads(read(runs, "whole", "json"))["hosts"]
    assert not set(first) & set(second) and set(first) | set(second) == set(whole)


def test_the_merged_report_is_the_report_of_one_run(runs):
    merged = json.loads(read(runs, "merged", "json"))
    whole = json.loads(read(runs, "whole", "json"))
    assert merged.pop("generated_at") and whole.pop("generated_at")
    assert merged == whole
    assert merged["waivers"][0]["applied_to"] == ["rdp-denied-by-policy", "rdp-disabled"]
    assert sorted(merged["hosts"]) == LAB_HOSTS


def test_the_other_formats_of_the_merge_match_too(runs):
    assert read(runs, "merged", "csv") == read(runs, "whole", "csv")
    merged, whole = (prometheus_samples(read(runs, name, "prom")) for name in ("merged", "whole"))
    merged.pop("rdp_compliance_last_run_timestamp_seconds")
    whole.pop("rdp_compliance_last_run_timestamp_seconds")
    assert merged == whole


@pytest.mark.parametrize("fmt", ["xml", "html", "md"])
def test_the_documents_of_the_merge_match_once_the_generation_time_is_set_aside(runs, fmt):
    def without_time(name):
        stamp = json.loads(read(runs, name, "json"))["generated_at"]
        return read(runs, name, fmt).replace(stamp, "TIME").replace(stamp[:19], "TIME")

    assert without_time("merged") == without_time("whole")


def test_the_merge_publishes_the_fleet_summary_as_artifacts(runs):
    artifact = runs["merge_output"]["global_custom_stats"]["rdp_compliance"]
    whole = json.loads(read(runs, "whole", "json"))
    assert artifact["hosts"] == len(LAB_HOSTS) and artifact["compliant_hosts"] == whole["summary"]["compliant"]


def test_merging_nothing_is_a_clear_error(tmp_path):
    run = run_playbook("merge_reports.yml", "localhost,", "-e",
                       json.dumps({"rdp_merge_sources": [str(tmp_path / "none" / "*.json")],
                                   "rdp_report_dir": str(tmp_path / "out")}))
    assert run.returncode != 0
    assert "sources: no report file matches" in run.stdout
    missing = run_playbook("merge_reports.yml", "localhost,", "-e", f"rdp_report_dir={tmp_path / 'out'}")
    assert missing.returncode != 0 and "rdp_merge_sources must be a non-empty list" in missing.stdout


def test_reports_of_an_earlier_run_are_left_out_with_a_maximum_age(runs, tmp_path):
    stale = json.loads(read(runs, "slice1", "json"))
    stale["generated_at"] = "2020-01-01T02:00:00+00:00"
    stale["hosts"]["retired-host"] = next(iter(stale["hosts"].values()))
    (tmp_path / "stale").mkdir()
    (tmp_path / "stale" / "rdp-compliance.json").write_text(json.dumps(stale))
    sources = [str(runs["dirs"][name] / "rdp-compliance.json") for name in ("slice1", "slice2")]
    merge = run_playbook("merge_reports.yml", "localhost,", "-e", json.dumps({
        "rdp_merge_sources": sources + [str(tmp_path / "stale" / "*.json")], "rdp_merge_max_age_hours": 12,
        "rdp_report_dir": str(tmp_path / "merged")}))
    assert merge.returncode == 0, merge.stdout + merge.stderr
    warnings = " ".join((merge.stdout + merge.stderr).split())  # the warning may be wrapped
    assert "stale/rdp-compliance.json is more than 12 hours older than the newest report: left out" in warnings
    merged = json.loads((tmp_path / "merged" / "rdp-compliance.json").read_text())
    whole = json.loads(read(runs, "whole", "json"))
    assert dict(merged, generated_at=None) == dict(whole, generated_at=None)
