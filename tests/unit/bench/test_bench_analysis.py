# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The benchmark harness's arithmetic (bench/analysis.py) and fleet generator (bench/fleet.py). Nothing here
times anything: the figures are made up, the verdicts must follow from them."""

import json
import os
import sys

import pytest

from tests.helpers import REPO

sys.path.insert(0, os.path.join(REPO, "bench"))

import analysis  # noqa: E402  pylint: disable=wrong-import-position
import fleet  # noqa: E402  pylint: disable=wrong-import-position


def _write_calls(directory, host, modules):
    (directory / f"{host}.json").write_text("{}")
    if modules is not None:
        lines = [json.dumps({"module": m, "check_mode": True, "outcome": "ok"}) for m in modules]
        (directory / f"{host}.json.calls.jsonl").write_text("\n".join(lines) + "\n")


def test_round_trips_are_counted_per_host_and_by_module(tmp_path):
    _write_calls(tmp_path, "a", ["rdp.windows.host_info"])
    _write_calls(tmp_path, "b", ["ansible.windows.win_regedit"] * 3 + ["ansible.windows.win_service"])
    _write_calls(tmp_path, "c", None)  # never called: zero round trips, still a host
    trips = analysis.round_trips(analysis.read_calls(str(tmp_path)))
    assert trips["hosts"] == 3 and trips["total"] == 5
    assert (trips["min"], trips["max"]) == (0, 4)
    assert trips["per_host"] == pytest.approx(5 / 3, abs=0.001)
    assert trips["by_module"] == {"rdp.windows.host_info": 1, "ansible.windows.win_regedit": 3,
                                  "ansible.windows.win_service": 1}


def test_remediation_bound_is_one_read_one_write_per_failing_control_and_one_verify(tmp_path):
    _write_calls(tmp_path, "fine", ["read", "write", "write", "verify"])
    _write_calls(tmp_path, "over", ["read", "write", "write", "verify"])
    calls = analysis.read_calls(str(tmp_path))
    assert analysis.remediation_bound(calls, {"fine": 2, "over": 1}) == {"over": {"round_trips": 4, "allowed": 3}}


def test_failing_controls_counts_fail_and_error_only():
    report = {"hosts": {"h": {"controls": [{"status": "fail"}, {"status": "error"}, {"status": "pass"},
                                           {"status": "waived"}]}, "u": {"controls": []}}}
    assert analysis.failing_controls(report) == {"h": 2, "u": 0}


def test_linear_fit_and_extrapolation():
    assert analysis.linear_fit([(10, 12.0), (100, 102.0)]) == pytest.approx((2.0, 1.0))
    assert analysis.extrapolate([(10, 12.0), (100, 102.0)], 1000) == pytest.approx(1002.0)
    with pytest.raises(ValueError):
        analysis.linear_fit([(10, 1.0)])


def test_memory_growth_accepts_linear_and_rejects_quadratic():
    linear = analysis.memory_growth({10: 70.0, 100: 77.0, 1000: 147.0})
    assert linear["verdict"] is True
    quadratic = analysis.memory_growth({10: 70.0, 100: 71.0, 1000: 170.0})
    assert quadratic["verdict"] is False
    assert analysis.memory_growth({10: 70.0, 100: 71.0})["verdict"] is None


def _run(phase, size, latency, wall, cpu, per_host, modules=("rdp.windows.host_info",), peak=80.0, **extra):
    trips = {"per_host": per_host, "min": int(per_host), "max": int(per_host),
             "by_module": {m: int(per_host * size) for m in modules}}
    return dict({"phase": phase, "size": size, "latency": latency, "wall_seconds": wall, "cpu_seconds": cpu,
                 "round_trips": trips, "controller_peak_mib": peak, "ok": True}, **extra)


RUNS = [
    _run("audit", 10, 0.0, 3.0, 2.0, 1), _run("baseline", 10, 0.0, 15.0, 14.0, 26, ("ansible.windows.win_regedit",)),
    _run("audit", 100, 0.0, 7.0, 6.0, 1), _run("baseline", 100, 0.0, 150.0, 140.0, 26, ("x.y.z",)),
    _run("audit", 1000, 0.0, 60.0, 55.0, 1, report_task_seconds=2.5),
]


def test_rows_pair_each_audit_with_the_baseline_and_extrapolate_where_it_was_not_run():
    rows = analysis.comparison_rows(RUNS)
    assert [row["size"] for row in rows] == [10, 100, 1000]
    assert rows[1]["wall_ratio"] == pytest.approx(150.0 / 7.0)
    assert rows[1]["round_trip_ratio"] == pytest.approx(26.0)
    estimate = rows[2]["baseline"]
    assert estimate["extrapolated"] and estimate["extrapolated_from"] == [10, 100]
    assert estimate["wall_seconds"] == pytest.approx(15.0 + (150.0 - 15.0) / 90 * 990)
    table = analysis.table_lines(rows)
    assert len(table) == 2 + 3
    assert "~" in table[-1] and "~" not in table[-2]
    assert "21.4x" in table[3]


def test_targets_follow_from_the_figures():
    rows = analysis.comparison_rows(RUNS)
    verdicts = {t["target"]: t["status"] for t in analysis.targets(RUNS, rows, {"hosts": 1000, "seconds": 1.0},
                                                                   {"cpus": 2, "memory_gib": 23.5}, [0.0, 0.25])}

    def by_start(text):
        return next(status for name, status in verdicts.items() if name.startswith(text))
    assert by_start("audit: exactly 1 round trip") == "PASS"
    assert by_start("audit >= 20x faster than baseline at N=100, 0 ms") == "PASS"
    assert by_start("audit >= 20x faster than baseline at N=100, 250 ms") == "NOT MEASURED"
    assert by_start("audit of N=1000 completes") == "PASS"
    assert by_start("report for 1000 hosts") == "PASS"
    assert by_start("remediation") == "NOT MEASURED"


def test_targets_fail_when_the_figures_miss_them():
    slow = [dict(run) for run in RUNS]
    slow[2] = _run("audit", 100, 0.0, 9.0, 8.0, 1)  # 150 / 9 = 16.7x
    slow[4] = _run("audit", 1000, 0.0, 60.0, 55.0, 2, ("rdp.windows.host_info", "ansible.windows.win_regedit"),
                   report_task_seconds=6.0)
    rows = analysis.comparison_rows(slow)
    found = {t["target"].split(" ")[0] + t["target"].split(" ")[1]: t for t in
             analysis.targets(slow, rows, None, {"cpus": 2, "memory_gib": 23.5}, [0.0])}
    assert found["audit:exactly"]["status"] == "FAIL"
    assert found["audit>="]["status"] == "FAIL" and "16.7x" in found["audit>="]["detail"]
    assert found["reportfor"]["status"] == "FAIL"


def test_a_failed_run_fails_the_speedup_target():
    broken = [dict(run) for run in RUNS]
    broken[2] = dict(broken[2], ok=False, problem="ansible-playbook exited 2")
    row = analysis.comparison_rows(broken)[1]
    verdict = analysis.target_speedup([row], 0.0)
    assert verdict["status"] == "FAIL" and "exited 2" in verdict["detail"]


def test_remediation_target_fails_when_a_host_needs_more_round_trips():
    run = _run("remediate", 10, 0.0, 5.0, 4.0, 3, over_bound={"h1": {"round_trips": 9, "allowed": 4}})
    assert analysis.target_remediation([run])["status"] == "FAIL"
    run["over_bound"] = {}
    assert analysis.target_remediation([run])["status"] == "PASS"


def test_fleet_plan_cycles_the_lab_variants_under_unique_names():
    plan = fleet.plan(25)
    names = [host[0] for host in plan]
    assert len(set(names)) == 25
    variants = [host[1] for host in plan]
    count = len(fleet.LAB.HOSTS)
    assert variants[:count] == list(fleet.LAB.HOSTS) and variants[count] == variants[0]
    port_changed = next(host[3] for host in plan if host[1] == "port-changed")
    assert port_changed == {"rdp_port": 3390}
    broken = {host[1] for host in fleet.plan(30, broken_only=True)}
    assert "healthy" not in broken and "rdp-disabled" in broken and "password-spray" not in broken


def test_fleet_hosts_have_their_own_computer_names(tmp_path):
    inventory = fleet.build(str(tmp_path), 12)
    states = {path: json.loads((tmp_path / "hosts" / path).read_text())
              for path in os.listdir(tmp_path / "hosts")}
    assert len(states) == 12
    assert len({state["os"]["hostname"] for state in states.values()}) == 12
    text = open(inventory, encoding="utf-8").read()
    assert "h0000-healthy:" in text and "rdp_port: 3390" in text


def test_a_later_run_replaces_the_same_measurement_in_the_results_file(tmp_path):
    import run_bench  # noqa: E402  pylint: disable=import-outside-toplevel

    earlier = {"runs": [_run("audit", 10, 0.0, 3.0, 2.0, 1), _run("probe", 10, 0.0, 9.0, 8.0, 1)],
               "skipped": ["probe: playbooks/diagnose.yml does not exist on this branch"]}
    path = tmp_path / "latest.json"
    path.write_text(json.dumps(earlier))
    new = {"runs": [_run("probe", 10, 0.0, 5.0, 4.0, 1)], "skipped": [], "finished_at": "later",
           "machine": {"load_at_start": [1, 1, 1]}, "load_at_end": [2, 2, 2]}
    merged = run_bench.add_to(str(path), new)
    assert [(r["phase"], r["wall_seconds"]) for r in merged["runs"]] == [("audit", 3.0), ("probe", 5.0)]
    assert merged["skipped"] == [] and merged["added"][0]["phases"] == ["probe"]
