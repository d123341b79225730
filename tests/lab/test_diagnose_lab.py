# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/diagnose.yml against the simulated lab: each broken host's top finding names its real cause."""

import json
import os

import pytest
import yaml

from tests.helpers import REPO, build_lab, calls, load_state, run_playbook, set_faults

CAUSES = yaml.safe_load(open(os.path.join(REPO, "lab", "causes.yml"), encoding="utf-8"))


@pytest.fixture(scope="module")
def diagnosed_lab(tmp_path_factory):
    lab = tmp_path_factory.mktemp("lab")
    inventory = build_lab(str(lab))
    before = {host: load_state(str(lab), host) for host in CAUSES}
    reports = lab / "reports"
    run = run_playbook("diagnose.yml", inventory, "-e", f"rdp_report_dir={reports}")
    assert run.returncode == 0, run.stdout + run.stderr
    diagnoses = json.loads((reports / "rdp-diagnosis.json").read_text())
    return lab, diagnoses, run, before


def test_every_lab_host_is_diagnosed(diagnosed_lab):
    _unused, diagnoses, _unused, _unused = diagnosed_lab
    assert sorted(diagnoses) == sorted(CAUSES)


@pytest.mark.parametrize("host", sorted(h for h in CAUSES if CAUSES[h]["cause"]))
def test_the_top_finding_names_the_real_cause(diagnosed_lab, host):
    _unused, diagnoses, _unused, _unused = diagnosed_lab
    diagnosis = diagnoses[host]
    top = diagnosis["findings"][0]
    assert diagnosis["status"] in ("broken", "degraded")
    assert top["cause"] == CAUSES[host]["cause"] == diagnosis["most_likely_cause"], top
    assert set(top["fix"]["controls"]) <= set(CAUSES[host]["fails"]) and top["fix"]["controls"]
    assert top["evidence"]["host"]


@pytest.mark.parametrize("host", sorted(h for h in CAUSES if not CAUSES[h]["cause"]))
def test_hosts_without_a_cause_are_healthy(diagnosed_lab, host):
    _unused, diagnoses, _unused, _unused = diagnosed_lab
    diagnosis = diagnoses[host]
    assert diagnosis["status"] == "healthy" and diagnosis["client_symptom"] == "connected"
    assert {f["severity"] for f in diagnosis["findings"]} <= {"info"}


@pytest.mark.parametrize("host, symptom", [
    ("healthy", "connected"), ("firewall-rule-off", "dropped"), ("port-changed", "dropped"),
    ("termservice-disabled", "dropped"), ("rdp-disabled", "dropped"), ("tls12-disabled", "tls_failed"),
    ("user-denied", "connected"), ("throttled", "connected"),
])
def test_the_client_view_comes_from_real_sockets(diagnosed_lab, host, symptom):
    _unused, diagnoses, _unused, _unused = diagnosed_lab
    assert diagnoses[host]["client_symptom"] == symptom
    assert diagnoses[host]["probe"]["host"] == host


def test_the_top_finding_has_evidence_from_both_ends_when_the_client_failed(diagnosed_lab):
    _unused, diagnoses, _unused, _unused = diagnosed_lab
    for host in ("firewall-rule-off", "port-changed", "termservice-disabled", "tls12-disabled"):
        evidence = diagnoses[host]["findings"][0]["evidence"]
        assert evidence["client"] and evidence["host"], host


def test_events_are_part_of_the_evidence(diagnosed_lab):
    _unused, diagnoses, _unused, _unused = diagnosed_lab
    assert any("event 36871" in line for line in diagnoses["tls12-disabled"]["findings"][0]["evidence"]["host"])
    assert any("event 1006" in line for line in diagnoses["throttled"]["findings"][0]["evidence"]["host"])


def test_one_round_trip_per_host_and_nothing_changes(diagnosed_lab):
    lab, _unused, _unused, before = diagnosed_lab
    for host in CAUSES:
        assert [c["module"] for c in calls(str(lab), host)] == ["rdp.windows.host_info"]
        after = load_state(str(lab), host)
        after["counters"], before[host]["counters"] = {}, {}
        assert after == before[host]


def test_output_shows_the_cause_and_the_fix(diagnosed_lab):
    _unused, _unused, run, _unused = diagnosed_lab
    assert "firewall-rule-off: broken: most likely firewall" in run.stdout
    assert "healthy: healthy: a client negotiates hybrid" in run.stdout


def test_a_host_that_cannot_be_read_is_still_diagnosed_from_the_client_side(tmp_path):
    inventory = build_lab(str(tmp_path))
    set_faults(str(tmp_path), "firewall-rule-off", [{"at": "before", "message": "simulated: WinRM connection refused"}])
    run = run_playbook("diagnose.yml", inventory, "-e", f"rdp_report_dir={tmp_path / 'r'}",
                       limit="firewall-rule-off")
    assert run.returncode == 0, run.stdout + run.stderr
    diagnosis = json.loads((tmp_path / "r" / "rdp-diagnosis.json").read_text())["firewall-rule-off"]
    ids = [f["id"] for f in diagnosis["findings"]]
    assert ids[0] == "firewall.path" and "host.unreadable" in ids and diagnosis["audit"] is None
