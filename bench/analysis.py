# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The benchmark's arithmetic: round trips from the simulated hosts' call logs, ratios, extrapolation,
the results table and the verdict on each target of issue 6. Plain Python, no timing, unit-tested."""

from __future__ import annotations

import glob
import json
import os

SPEEDUP_TARGET = 20.0
SPEEDUP_SIZE = 100
REPORT_SECONDS_TARGET = 5.0
REPORT_SIZE = 1000
# Controller memory "grows at most linearly": the memory each extra host costs between the two largest
# fleets may not exceed 1.5 times what it costs between the two smallest, plus this much per host for noise.
MEMORY_SLOPE_FACTOR = 1.5
MEMORY_SLOPE_NOISE_MIB = 0.02


# --- round trips ------------------------------------------------------------------------------------------
def read_calls(hosts_dir):
    """{host: [call, ...]} from every ``<host>.json.calls.jsonl`` the simulated connection wrote."""
    calls = {}
    for path in sorted(glob.glob(os.path.join(hosts_dir, "*.json"))):
        host = os.path.basename(path)[:-len(".json")]
        log = path + ".calls.jsonl"
        entries = []
        if os.path.exists(log):
            with open(log, encoding="utf-8") as handle:
                entries = [json.loads(line) for line in handle if line.strip()]
        calls[host] = entries
    return calls


def round_trips(calls):
    """Per-host round-trip counts, overall and by module, from read_calls()."""
    per_host = {host: len(entries) for host, entries in calls.items()}
    by_module = {}
    for entries in calls.values():
        for entry in entries:
            by_module[entry["module"]] = by_module.get(entry["module"], 0) + 1
    counts = list(per_host.values()) or [0]
    return {"hosts": len(per_host), "total": sum(counts), "min": min(counts), "max": max(counts),
            "per_host": round(sum(counts) / max(len(per_host), 1), 3), "by_module": by_module,
            "per_host_counts": per_host}


def remediation_bound(calls, failing):
    """Hosts whose remediation took more than 1 read + 1 write per failing control + 1 verify read.

    ``failing`` maps host -> number of failing controls found by the audit before remediation."""
    over = {}
    for host, entries in calls.items():
        allowed = 2 + failing.get(host, 0)
        if len(entries) > allowed:
            over[host] = {"round_trips": len(entries), "allowed": allowed}
    return over


def failing_controls(report):
    """host -> number of failing controls, from an rdp-compliance.json report."""
    return {host: sum(1 for control in entry.get("controls", ()) if control.get("status") in ("fail", "error"))
            for host, entry in report.get("hosts", {}).items()}


# --- arithmetic ----------------------------------------------------------------------------------------------
def ratio(numerator, denominator):
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def linear_fit(points):
    """Least-squares line through [(x, y), ...]; returns (intercept, slope)."""
    if len(points) < 2:
        raise ValueError("a line needs at least two points")
    n = len(points)
    xs, ys = [x for x, y in points], [y for x, y in points]
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    spread = sum((x - mean_x) ** 2 for x in xs)
    if not spread:
        raise ValueError("the points need two different x values")
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / spread
    return mean_y - slope * mean_x, slope


def extrapolate(points, x):
    intercept, slope = linear_fit(points)
    return intercept + slope * x


def memory_growth(peaks_mib):
    """Judge controller peak memory against fleet size: {size: MiB} -> verdict with the two slopes."""
    sizes = sorted(peaks_mib)
    if len(sizes) < 3:
        return {"verdict": None, "reason": "needs three fleet sizes"}
    low = (peaks_mib[sizes[1]] - peaks_mib[sizes[0]]) / (sizes[1] - sizes[0])
    high = (peaks_mib[sizes[-1]] - peaks_mib[sizes[-2]]) / (sizes[-1] - sizes[-2])
    allowed = MEMORY_SLOPE_FACTOR * max(low, 0.0) + MEMORY_SLOPE_NOISE_MIB
    return {"verdict": high <= allowed, "slope_small_mib_per_host": round(low, 4),
            "slope_large_mib_per_host": round(high, 4), "allowed_mib_per_host": round(allowed, 4),
            "sizes": sizes}


# --- results -----------------------------------------------------------------------------------------------
def find(runs, phase, size, latency):
    for run in runs:
        if run["phase"] == phase and run["size"] == size and run["latency"] == latency:
            return run
    return None


def baseline_estimate(runs, size, latency):
    """The baseline at a size it was not run at: a straight line through its measured sizes (same latency)."""
    measured = sorted((run["size"], run["wall_seconds"], run["cpu_seconds"]) for run in runs
                      if run["phase"] == "baseline" and run["latency"] == latency and run.get("ok"))
    if len(measured) < 2:
        return None
    return {"phase": "baseline", "size": size, "latency": latency, "extrapolated": True, "ok": True,
            "extrapolated_from": [m[0] for m in measured],
            "wall_seconds": extrapolate([(m[0], m[1]) for m in measured], size),
            "cpu_seconds": extrapolate([(m[0], m[2]) for m in measured], size),
            "round_trips": {"per_host": find(runs, "baseline", measured[-1][0], latency)["round_trips"]["per_host"]},
            "controller_peak_mib": None}


def comparison_rows(runs):
    """One row per (latency, size) where the audit ran: ours, the baseline (measured or extrapolated), ratios."""
    rows = []
    audits = sorted((run for run in runs if run["phase"] == "audit"), key=lambda r: (r["latency"], r["size"]))
    for ours in audits:
        base = find(runs, "baseline", ours["size"], ours["latency"]) or \
            baseline_estimate(runs, ours["size"], ours["latency"])
        rows.append({
            "latency": ours["latency"], "size": ours["size"], "ours": ours, "baseline": base,
            "wall_ratio": ratio(base and base["wall_seconds"], ours["wall_seconds"]),
            "cpu_ratio": ratio(base and base["cpu_seconds"], ours["cpu_seconds"]),
            "round_trip_ratio": ratio(base and base["round_trips"]["per_host"], ours["round_trips"]["per_host"]),
        })
    return rows


def _fmt(value, digits=1, suffix=""):
    if value is None:
        return "-"
    return f"{value:.{digits}f}{suffix}"


def _side(run):
    if run is None:
        return ["-", "-", "-", "-"]
    mark = "~" if run.get("extrapolated") else ""
    return [_fmt(run["round_trips"]["per_host"], 2), mark + _fmt(run["wall_seconds"]),
            mark + _fmt(run["cpu_seconds"]), _fmt(run.get("controller_peak_mib"), 0)]


TABLE_HEADER = ["latency", "N", "ours RT/host", "ours wall s", "ours CPU s", "ours peak MiB",
                "base RT/host", "base wall s", "base CPU s", "base peak MiB", "wall x", "CPU x", "RT x"]


def table_lines(rows):
    """The comparison as a Markdown table (``~`` marks an extrapolated baseline figure)."""
    lines = ["| " + " | ".join(TABLE_HEADER) + " |", "|" + "---|" * len(TABLE_HEADER)]
    for row in rows:
        cells = [f"{int(row['latency'] * 1000)} ms", str(row["size"])] + _side(row["ours"]) + _side(row["baseline"])
        cells += [_fmt(row["wall_ratio"], 1, "x"), _fmt(row["cpu_ratio"], 1, "x"), _fmt(row["round_trip_ratio"], 0, "x")]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def other_lines(runs):
    """Remediation and probe runs as a Markdown table."""
    lines = ["| phase | latency | N | RT/host (min-max) | wall s | CPU s | peak MiB | notes |", "|---|---|---|---|---|---|---|---|"]
    for run in sorted((r for r in runs if r["phase"] in ("remediate", "probe")),
                      key=lambda r: (r["phase"], r["latency"], r["size"])):
        trips = run["round_trips"]
        lines.append(f"| {run['phase']} | {int(run['latency'] * 1000)} ms | {run['size']} | "
                     f"{trips['per_host']:.2f} ({trips['min']}-{trips['max']}) | {_fmt(run['wall_seconds'])} | "
                     f"{_fmt(run['cpu_seconds'])} | {_fmt(run.get('controller_peak_mib'), 0)} | "
                     f"{run.get('notes', '')} |")
    return lines


# --- targets -------------------------------------------------------------------------------------------------
def _target(name, verdict, detail):
    status = "NOT MEASURED" if verdict is None else ("PASS" if verdict else "FAIL")
    return {"target": name, "status": status, "detail": detail}


def target_round_trips(runs):
    audits = [run for run in runs if run["phase"] == "audit"]
    if not audits:
        return _target("audit: exactly 1 round trip per host", None, "no audit run")
    bad = [f"N={r['size']}@{int(r['latency'] * 1000)}ms: {r['round_trips']['min']}-{r['round_trips']['max']} "
           f"({', '.join(sorted(r['round_trips']['by_module']))})" for r in audits
           if not (r["round_trips"]["min"] == r["round_trips"]["max"] == 1
                   and set(r["round_trips"]["by_module"]) == {"rdp.windows.host_info"})]
    detail = "; ".join(bad) if bad else f"every host of {len(audits)} audit runs: 1 rdp.windows.host_info call"
    return _target("audit: exactly 1 round trip per host", not bad, detail)


def target_speedup(rows, latency):
    name = f"audit >= {SPEEDUP_TARGET:.0f}x faster than baseline at N={SPEEDUP_SIZE}, {int(latency * 1000)} ms"
    row = next((r for r in rows if r["size"] == SPEEDUP_SIZE and r["latency"] == latency), None)
    if row is None or row["wall_ratio"] is None:
        return _target(name, None, f"N={SPEEDUP_SIZE} at {int(latency * 1000)} ms not measured for both")
    if row["baseline"].get("extrapolated"):
        return _target(name, None, "baseline only extrapolated at this size")
    failed = [side for side in ("ours", "baseline") if not row[side].get("ok")]
    if failed:
        return _target(name, False, f"the {' and '.join(failed)} run failed: "
                                    f"{'; '.join(str(row[side].get('problem')) for side in failed)}")
    return _target(name, row["wall_ratio"] >= SPEEDUP_TARGET,
                   f"baseline {row['baseline']['wall_seconds']:.1f} s / ours {row['ours']['wall_seconds']:.1f} s "
                   f"= {row['wall_ratio']:.1f}x (CPU time: {row['cpu_ratio']:.1f}x)")


def target_large_fleet(runs, machine):
    name = f"audit of N={REPORT_SIZE} completes (this machine: {machine.get('cpus')} cores, " \
           f"{machine.get('memory_gib')} GiB)"
    large = [r for r in runs if r["phase"] == "audit" and r["size"] >= REPORT_SIZE]
    if not large:
        return _target(name, None, f"no audit run at N>={REPORT_SIZE}")
    bad = [f"N={r['size']}@{int(r['latency'] * 1000)}ms: {r.get('problem')}" for r in large if not r.get("ok")]
    return _target(name, not bad, "; ".join(bad) or
                   ", ".join(f"{r['wall_seconds']:.0f} s at {int(r['latency'] * 1000)} ms" for r in large))


def target_memory(runs):
    name = "controller peak memory grows at most linearly with N"
    verdicts = []
    for latency in sorted({r["latency"] for r in runs if r["phase"] == "audit"}):
        peaks = {r["size"]: r["controller_peak_mib"] for r in runs
                 if r["phase"] == "audit" and r["latency"] == latency and r.get("controller_peak_mib")}
        growth = memory_growth(peaks)
        if growth["verdict"] is None:
            continue
        verdicts.append((latency, growth))
    if not verdicts:
        return _target(name, None, "needs audit runs at three sizes")
    detail = "; ".join(f"{int(lat * 1000)} ms: {g['slope_large_mib_per_host']} MiB/host for N {g['sizes'][-2]}->"
                       f"{g['sizes'][-1]} vs {g['slope_small_mib_per_host']} for N {g['sizes'][0]}->{g['sizes'][1]} "
                       f"(allowed {g['allowed_mib_per_host']})" for lat, g in verdicts)
    return _target(name, all(growth["verdict"] for latency, growth in verdicts), detail)


def target_report(runs, writer):
    name = f"report for {REPORT_SIZE} hosts written in < {REPORT_SECONDS_TARGET:.0f} s"
    in_play = [r["report_task_seconds"] for r in runs
               if r["phase"] == "audit" and r["size"] == REPORT_SIZE and r.get("report_task_seconds") is not None]
    figures = [("report task in the playbook", max(in_play))] if in_play else []
    if writer and writer.get("hosts") == REPORT_SIZE:
        figures.append(("report writer alone", writer["seconds"]))
    if not figures:
        return _target(name, None, f"no report of {REPORT_SIZE} hosts measured")
    return _target(name, all(seconds < REPORT_SECONDS_TARGET for label, seconds in figures),
                   ", ".join(f"{label}: {seconds:.2f} s" for label, seconds in figures))


def target_remediation(runs):
    name = "remediation: 1 read + at most 1 write per failing control + 1 verify per host"
    remediations = [r for r in runs if r["phase"] == "remediate"]
    if not remediations:
        return _target(name, None, "playbooks/remediate.yml not measured (not on this branch yet?)")
    bad = [f"N={r['size']}@{int(r['latency'] * 1000)}ms: {len(r['over_bound'])} hosts over the bound"
           for r in remediations if r.get("over_bound")]
    failed = [f"N={r['size']}@{int(r['latency'] * 1000)}ms: {r.get('problem')}" for r in remediations if not r.get("ok")]
    detail = "; ".join(bad + failed) or f"{len(remediations)} runs within the bound"
    return _target(name, not bad and not failed, detail)


def targets(runs, rows, writer, machine, latencies):
    found = [target_round_trips(runs)]
    found += [target_speedup(rows, latency) for latency in latencies]
    found += [target_large_fleet(runs, machine), target_memory(runs), target_report(runs, writer),
              target_remediation(runs)]
    return found
