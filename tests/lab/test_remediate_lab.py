# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/remediate.yml with ansible-playbook against the simulated lab: --check --diff predicts the first
run and changes nothing, the run fixes every broken host (a fresh audit passes), a second run changes nothing,
the Group Policy host is left alone, bad input changes nothing, failures are reported exactly and stop the
rollout."""

import json
import os
import subprocess
import sys

import pytest
import yaml

from tests.helpers import REPO, build_lab, calls, load_state, run_playbook, set_faults

CAUSES = yaml.safe_load(open(os.path.join(REPO, "lab", "causes.yml"), encoding="utf-8"))
BROKEN = sorted(host for host, cause in CAUSES.items() if cause["fails"] and host != "rdp-denied-by-policy")
ALL_AT_ONCE = ("-e", "rdp_remediate_serial=100%")


def without_counters(state):
    return dict(state, counters={})


def report(directory, name="rdp-remediation"):
    with open(os.path.join(directory, f"{name}.json"), encoding="utf-8") as handle:
        return json.load(handle)


def changes(entry):
    """What a host's run changed (or would change): module, arguments, status and diff of every step."""
    return [(s["module"], s["args"], s["status"], s.get("diff")) for s in entry["remediation"]["steps"]]


def outcomes(entry):
    return {c["id"]: c["outcome"] for c in entry["controls"] if c["outcome"] not in ("already_compliant", "skipped")}


@pytest.fixture(scope="module")
def remediated_lab(tmp_path_factory):
    lab = str(tmp_path_factory.mktemp("lab"))
    inventory = build_lab(lab)
    pristine = {host: load_state(lab, host) for host in CAUSES}
    runs = {}
    runs["check"] = run_playbook("remediate.yml", inventory, "--diff", *ALL_AT_ONCE, "-e",
                                 f"rdp_report_dir={lab}/check", check=True)
    after_check = {host: load_state(lab, host) for host in CAUSES}
    runs["first"] = run_playbook("remediate.yml", inventory, "--diff", *ALL_AT_ONCE, "-e", f"rdp_report_dir={lab}/first")
    after_first = {host: load_state(lab, host) for host in CAUSES}
    runs["audit"] = run_playbook("audit.yml", inventory, "-e", f"rdp_report_dir={lab}/audit", check=True)
    runs["second"] = run_playbook("remediate.yml", inventory, *ALL_AT_ONCE, "-e", f"rdp_report_dir={lab}/second")
    for name, run in runs.items():
        assert run.returncode == 0, f"{name} run failed:\n{run.stdout}\n{run.stderr}"
    return {"lab": lab, "runs": runs, "pristine": pristine, "after_check": after_check, "after_first": after_first,
            "check": report(f"{lab}/check"), "first": report(f"{lab}/first"),
            "audit": report(f"{lab}/audit", "rdp-compliance"), "second": report(f"{lab}/second")}


def test_check_mode_changes_nothing(remediated_lab):
    for host in CAUSES:
        assert without_counters(remediated_lab["after_check"][host]) == without_counters(remediated_lab["pristine"][host])


@pytest.mark.parametrize("host", BROKEN)
def test_check_diff_predicts_exactly_the_changes_of_the_first_run(remediated_lab, host):
    predicted = remediated_lab["check"]["hosts"][host]
    done = remediated_lab["first"]["hosts"][host]
    assert changes(predicted), f"{host}: check mode predicted no change"
    assert changes(predicted) == changes(done)
    assert predicted["remediation"]["status"] in ("would_change", "restart_pending")


@pytest.mark.parametrize("host", BROKEN)
def test_remediation_fixes_every_broken_host_and_a_fresh_audit_passes(remediated_lab, host):
    entry = remediated_lab["first"]["hosts"][host]
    assert entry["status"] == "compliant"
    assert entry["remediation"]["status"] in ("compliant", "restart_pending")
    assert sorted(cid for cid, outcome in outcomes(entry).items()) == sorted(CAUSES[host]["fails"])
    assert set(outcomes(entry).values()) <= {"fixed", "restart_pending"}
    assert remediated_lab["audit"]["hosts"][host]["status"] == "compliant"


@pytest.mark.parametrize("host", BROKEN)
def test_round_trips_are_one_read_one_write_per_failing_control_and_one_verify(remediated_lab, host):
    first = [c for c in calls(remediated_lab["lab"], host) if not c["check_mode"]]
    first = first[:first.index(next(c for c in first[1:] if c["module"] == "rdp.windows.host_info")) + 1]
    writes = first[1:-1]
    assert first[0]["module"] == first[-1]["module"] == "rdp.windows.host_info"
    assert 1 <= len(writes) <= len(CAUSES[host]["fails"])
    assert "rdp.windows.host_info" not in [c["module"] for c in writes]


@pytest.mark.parametrize("host", BROKEN + ["healthy", "rdp-denied-by-policy"])
def test_a_second_run_changes_nothing_and_says_so(remediated_lab, host):
    entry = remediated_lab["second"]["hosts"][host]
    assert entry["remediation"]["changed"] is False and entry["remediation"]["steps"] == []
    assert calls(remediated_lab["lab"], host)[-1]["module"] == "rdp.windows.host_info"
    assert f"{host}: " in remediated_lab["runs"]["second"].stdout


def test_the_second_run_reports_zero_changes(remediated_lab):
    recap = remediated_lab["runs"]["second"].stdout.split("PLAY RECAP")[1]
    assert "changed=0" in recap and "changed=1" not in recap


def test_the_group_policy_host_ends_managed_by_policy_and_unchanged(remediated_lab):
    for run in ("first", "second"):
        entry = remediated_lab[run]["hosts"]["rdp-denied-by-policy"]
        assert entry["remediation"]["status"] == "managed_by_policy"
        assert outcomes(entry)["connections.allowed"] == "managed_by_policy"
        assert "Allow users to connect remotely" in next(
            c["why"] for c in entry["controls"] if c["id"] == "connections.allowed")
    assert without_counters(remediated_lab["after_first"]["rdp-denied-by-policy"]) == without_counters(
        remediated_lab["pristine"]["rdp-denied-by-policy"])
    assert "managed_by_policy connections.allowed" in remediated_lab["runs"]["first"].stdout


def test_the_healthy_host_is_not_touched(remediated_lab):
    assert without_counters(remediated_lab["after_first"]["healthy"]) == without_counters(
        remediated_lab["pristine"]["healthy"])
    # check, first remediation, audit, second remediation: one read each and nothing else
    assert [c["module"] for c in calls(remediated_lab["lab"], "healthy")] == ["rdp.windows.host_info"] * 4


def test_output_prints_the_outcome_of_each_control(remediated_lab):
    out = remediated_lab["runs"]["first"].stdout
    assert "fixed             connections.allowed" in out
    assert "restart_pending   compatibility.tls12_server" in out
    assert "--- before: step 1: ansible.windows.win_regedit (connections.allowed)" in out


# --- bad input ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("extra, variable", [
    ({"rdp_port": 0}, "rdp_port"),
    ({"rdp_port": 65536}, "rdp_port"),
    ({"rdp_port": "abc"}, "rdp_port"),
    ({"rdp_qos_dscp": 64}, "rdp_qos_dscp"),
    ({"rdp_allowed_sources": []}, "rdp_allowed_sources"),
    ({"rdp_profile": "hardened", "rdp_nla_required": False}, "rdp_nla_required"),
    ({"rdp_users": ["LAB\\alice", "LAB\\nobody"]}, "rdp_users"),
])
def test_bad_input_fails_before_anything_changes(tmp_path, extra, variable):
    lab = str(tmp_path)
    inventory = build_lab(lab)
    before = load_state(lab, "user-missing")
    run = run_playbook("remediate.yml", inventory, "-e", json.dumps(extra), "-e", f"rdp_report_dir={lab}/r",
                       limit="user-missing")
    assert run.returncode != 0
    assert variable in run.stdout
    assert without_counters(load_state(lab, "user-missing")) == without_counters(before)
    # only the unknown account needs the host to answer; nothing is ever written
    assert [c["module"] for c in calls(lab, "user-missing")] in ([], ["rdp.windows.host_info"])


# --- failures half way, lost connections, the rollout ---------------------------------------------------------

def test_a_failure_half_way_is_reported_exactly_and_a_second_run_finishes(tmp_path):
    lab = str(tmp_path)
    inventory = build_lab(lab)
    set_faults(lab, "termservice-disabled", [{"at": "module_error", "module": "ansible.windows.win_service",
                                              "call": 3, "message": "simulated: Access is denied"}])
    run = run_playbook("remediate.yml", inventory, *ALL_AT_ONCE, "-e", f"rdp_report_dir={lab}/r",
                       limit="termservice-disabled")
    assert run.returncode != 0
    entry = report(f"{lab}/r")["hosts"]["termservice-disabled"]
    remediation = entry["remediation"]
    assert remediation["status"] == "failed"
    assert remediation["applied"] == [1] and remediation["failed_steps"] == [2] and remediation["not_attempted"] == [3]
    assert outcomes(entry)["service.termservice.start_mode"] == "fixed"
    assert outcomes(entry)["service.termservice.running"] == "failed"
    assert load_state(lab, "termservice-disabled")["services"]["TermService"]["start_mode"] == "manual"
    again = run_playbook("remediate.yml", inventory, *ALL_AT_ONCE, "-e", f"rdp_report_dir={lab}/r",
                         limit="termservice-disabled")
    assert again.returncode == 0, again.stdout
    assert report(f"{lab}/r")["hosts"]["termservice-disabled"]["remediation"]["status"] == "compliant"


def test_a_connection_lost_during_a_write_is_recorded_as_unreachable(tmp_path):
    lab = str(tmp_path)
    inventory = build_lab(lab)
    set_faults(lab, "termservice-disabled", [{"at": "before", "module": "ansible.windows.win_service", "call": 3,
                                              "message": "simulated: WinRM connection reset"}])
    run = run_playbook("remediate.yml", inventory, *ALL_AT_ONCE, "-e", f"rdp_report_dir={lab}/r",
                       limit="termservice-disabled,user-missing")
    assert run.returncode != 0
    hosts = report(f"{lab}/r")["hosts"]
    lost = hosts["termservice-disabled"]
    assert lost["status"] == "unreachable"
    assert lost["remediation"]["applied"] == [1] and lost["remediation"]["in_flight"] == [2]
    assert lost["remediation"]["not_attempted"] == [3]
    assert hosts["user-missing"]["remediation"]["status"] == "compliant"
    again = run_playbook("remediate.yml", inventory, *ALL_AT_ONCE, "-e", f"rdp_report_dir={lab}/r",
                         limit="termservice-disabled")
    assert again.returncode == 0, again.stdout


def test_a_failing_host_stops_the_rollout(tmp_path):
    lab = str(tmp_path)
    inventory = build_lab(lab)
    set_faults(lab, "firewall-rule-off", [{"at": "module_error", "module": "rdp.windows.firewall",
                                           "message": "simulated: the firewall service is not running"}])
    hosts = ["rdp-disabled", "firewall-rule-off", "throttled", "user-denied"]  # inventory order
    pristine = {host: load_state(lab, host) for host in hosts}
    # default serial: one host first (rdp-disabled), then 10 % (firewall-rule-off, which fails), then 25 %;
    # default threshold 0 %: the rollout stops after the failing batch
    run = run_playbook("remediate.yml", inventory, "-e", f"rdp_report_dir={lab}/r", limit=",".join(hosts))
    assert run.returncode != 0
    assert [host for host in hosts if calls(lab, host)] == ["rdp-disabled", "firewall-rule-off"]
    for host in ("throttled", "user-denied"):
        assert load_state(lab, host) == pristine[host]
    written = report(f"{lab}/r")["hosts"]
    assert sorted(written) == ["firewall-rule-off", "rdp-disabled"]
    assert written["firewall-rule-off"]["remediation"]["status"] == "failed"
    assert written["rdp-disabled"]["remediation"]["status"] == "compliant"


def test_the_threshold_lets_a_rollout_continue_past_a_failure(tmp_path):
    lab = str(tmp_path)
    inventory = build_lab(lab)
    set_faults(lab, "firewall-rule-off", [{"at": "module_error", "module": "rdp.windows.firewall"}])
    run = run_playbook("remediate.yml", inventory, "-e", f"rdp_report_dir={lab}/r", "-e", "rdp_remediate_serial=1",
                       "-e", "rdp_max_fail_percentage=100", limit="firewall-rule-off,rdp-disabled")
    assert run.returncode != 0
    assert sorted(report(f"{lab}/r")["hosts"]) == ["firewall-rule-off", "rdp-disabled"]
    assert report(f"{lab}/r")["hosts"]["rdp-disabled"]["remediation"]["status"] == "compliant"


# --- the playbook by its FQCN, and the documentation -----------------------------------------------------------

def test_runs_as_rdp_windows_remediate(tmp_path):
    lab = str(tmp_path)
    inventory = build_lab(lab)
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(REPO, ".build", "collections"),
               ANSIBLE_CONFIG=os.path.join(REPO, "ansible.cfg"), ANSIBLE_NOCOLOR="1")
    run = subprocess.run([os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", inventory,
                          "rdp.windows.remediate", "--check", "-l", "throttled", "-e", f"rdp_report_dir={lab}/r"],
                         capture_output=True, text=True, env=env, cwd=REPO, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "would_fix         tuning.max_outstanding_connections" in run.stdout


@pytest.mark.parametrize("module", ["remediate", "firewall", "qos_policy", "report"])
def test_ansible_doc_renders(module):
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(REPO, ".build", "collections"),
               ANSIBLE_CONFIG=os.path.join(REPO, "ansible.cfg"), ANSIBLE_NOCOLOR="1")
    run = subprocess.run([os.path.join(os.path.dirname(sys.executable), "ansible-doc"), f"rdp.windows.{module}"],
                         capture_output=True, text=True, env=env, cwd=REPO, check=False)
    assert run.returncode == 0 and "ERROR" not in run.stderr and "WARNING" not in run.stderr, run.stderr
    assert "OPTIONS" in run.stdout and "EXAMPLES" in run.stdout
