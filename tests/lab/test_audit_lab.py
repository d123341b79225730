# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/audit.yml with ansible-playbook against the simulated lab."""

import collections
import json
import os

import jsonschema
import pytest
import yaml

from tests.helpers import REPO, build_lab, calls, load_state, run_playbook, set_faults

AuditedLab = collections.namedtuple("AuditedLab", "lab report run before")
CAUSES = yaml.safe_load(open(os.path.join(REPO, "lab", "causes.yml"), encoding="utf-8"))
REPORT_SCHEMA = json.load(open(os.path.join(REPO, "docs", "report.schema.json"), encoding="utf-8"))


@pytest.fixture(scope="module")
def audited_lab(tmp_path_factory):
    lab = tmp_path_factory.mktemp("lab")
    inventory = build_lab(str(lab))
    before = {host: load_state(str(lab), host) for host in CAUSES}
    reports = lab / "reports"
    run = run_playbook("audit.yml", inventory, "-e", f"rdp_report_dir={reports}", check=True)
    assert run.returncode == 0, run.stdout + run.stderr
    report = json.loads((reports / "rdp-compliance.json").read_text())
    return AuditedLab(lab, report, run, before)


def test_every_lab_host_is_in_the_report(audited_lab):
    report = audited_lab.report
    assert sorted(report["hosts"]) == sorted(CAUSES)
    assert report["summary"] == {"hosts": 12, "compliant": 2, "non_compliant": 10, "unreachable": 0, "error": 0}


@pytest.mark.parametrize("host", sorted(CAUSES))
def test_each_host_fails_exactly_the_controls_of_its_cause(audited_lab, host):
    report = audited_lab.report
    entry = report["hosts"][host]
    failing = sorted(c["id"] for c in entry["controls"] if c["status"] in ("fail", "error"))
    assert failing == sorted(CAUSES[host]["fails"])
    assert entry["status"] == ("compliant" if not CAUSES[host]["fails"] else "non_compliant")


def test_the_report_follows_its_schema(audited_lab):
    jsonschema.validate(audited_lab.report, REPORT_SCHEMA, cls=jsonschema.Draft202012Validator)


def test_a_policy_value_is_reported_as_coming_from_policy(audited_lab):
    report = audited_lab.report
    allowed = next(c for c in report["hosts"]["rdp-denied-by-policy"]["controls"] if c["id"] == "connections.allowed")
    assert allowed["source"] == "policy" and allowed["actual"] == 1
    assert "Group Policy" in allowed["remediation"]
    local = next(c for c in report["hosts"]["rdp-disabled"]["controls"] if c["id"] == "connections.allowed")
    assert local["source"] == "local"


def test_audit_costs_one_round_trip_per_host_and_changes_nothing(audited_lab):
    lab, before = audited_lab.lab, audited_lab.before
    for host in CAUSES:
        assert [c["module"] for c in calls(str(lab), host)] == ["rdp.windows.host_info"]
        after = load_state(str(lab), host)
        after["counters"], before[host]["counters"] = {}, {}
        assert after == before[host]


def test_output_names_failing_controls(audited_lab):
    run = audited_lab.run
    assert "FAIL  connections.allowed" in run.stdout
    assert "tls12-disabled: NON_COMPLIANT" in run.stdout


def test_an_unreachable_host_is_reported_and_does_not_stop_the_run(tmp_path):
    inventory = build_lab(str(tmp_path))
    set_faults(str(tmp_path), "throttled", [{"at": "before", "message": "simulated: WinRM connection refused"}])
    run = run_playbook("audit.yml", inventory, "-e", f"rdp_report_dir={tmp_path / 'r'}", check=True,
                       limit="throttled,healthy")
    assert run.returncode == 0, run.stdout + run.stderr
    report = json.loads((tmp_path / "r" / "rdp-compliance.json").read_text())
    jsonschema.validate(report, REPORT_SCHEMA, cls=jsonschema.Draft202012Validator)
    assert report["hosts"]["throttled"]["status"] == "unreachable"
    assert report["hosts"]["healthy"]["status"] == "compliant"
    assert report["summary"]["unreachable"] == 1
