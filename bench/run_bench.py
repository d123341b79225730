#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fleet-scale benchmark (issue 6): playbooks/audit.yml against the usual way (bench/baseline_audit.yml),
remediation of an all-broken fleet, the diagnosis probe and the report writer, on simulated fleets.

Run by ``make bench``. Settings (environment):
  BENCH_QUICK=1                 small and fast: N=5,20, latency 0 and 50 ms (results under bench/results/tmp/)
  BENCH_SIZES=10,100,1000       fleet sizes
  BENCH_LATENCIES=0,0.25        seconds added to every round trip by the simulated connection
  BENCH_FORKS=20                ansible-playbook --forks, the same for every playbook
  BENCH_BASELINE_MAX_N=100      larger sizes are extrapolated for the baseline (a straight line, marked ~)
  BENCH_PHASES=audit,baseline,remediate,probe,report   what to measure
  BENCH_REMEDIATE_ARGS, BENCH_PROBE_ARGS   extra ansible-playbook arguments (shell words)
  BENCH_UPDATE_DOCS=1           write the table into docs/performance.md (default: on for a full run)
  BENCH_ADD_TO=bench/results/latest.json   merge this run's measurements into an earlier results file
Prints the table and PASS/FAIL per target; exits 1 if a target fails.
``python bench/run_bench.py --render bench/results/latest.json`` rewrites the outputs from measured runs.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import shlex
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(REPO, ".build", "collections"))

import analysis  # noqa: E402  pylint: disable=wrong-import-position
import fleet  # noqa: E402  pylint: disable=wrong-import-position
import measure  # noqa: E402  pylint: disable=wrong-import-position

AUDIT = os.path.join(REPO, "playbooks", "audit.yml")
BASELINE = os.path.join(HERE, "baseline_audit.yml")
REMEDIATE = os.path.join(REPO, "playbooks", "remediate.yml")
DIAGNOSE = os.path.join(REPO, "playbooks", "diagnose.yml")
RESULTS = os.path.join(HERE, "results")
DOC = os.path.join(REPO, "docs", "performance.md")
DOC_BEGIN, DOC_END = "<!-- bench:begin -->", "<!-- bench:end -->"


def _numbers(name, default, kind):
    return [kind(x) for x in os.environ.get(name, default).split(",") if x]


def settings():
    quick = os.environ.get("BENCH_QUICK", "") not in ("", "0")
    config = {
        "quick": quick,
        "sizes": _numbers("BENCH_SIZES", "5,20" if quick else "10,100,1000", int),
        "latencies": _numbers("BENCH_LATENCIES", "0,0.05" if quick else "0,0.25", float),
        "forks": int(os.environ.get("BENCH_FORKS", "20")),
        "baseline_max_n": int(os.environ.get("BENCH_BASELINE_MAX_N", "20" if quick else "100")),
        "phases": os.environ.get("BENCH_PHASES", "audit,baseline,remediate,probe,report").split(","),
        "remediate_args": shlex.split(os.environ.get("BENCH_REMEDIATE_ARGS", "")),
        "probe_args": shlex.split(os.environ.get("BENCH_PROBE_ARGS", "")),
        "add_to": os.environ.get("BENCH_ADD_TO"),
    }
    config["out_dir"] = os.path.join(RESULTS, "tmp", "quick") if quick else RESULTS
    config["update_docs"] = os.environ.get("BENCH_UPDATE_DOCS", "0" if quick else "1") not in ("", "0")
    return config


def machine():
    import ansible  # pylint: disable=import-outside-toplevel

    with open("/proc/meminfo", encoding="ascii") as meminfo:
        total_kib = int(next(line for line in meminfo if line.startswith("MemTotal:")).split()[1])
    model = ""
    if os.path.exists("/proc/cpuinfo"):
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as cpuinfo:
            model = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "")
    return {"cpus": os.cpu_count(), "cpu_model": model, "memory_gib": round(total_kib / 1024 / 1024, 1),
            "python": platform.python_version(), "ansible_core": ansible.__version__,
            "platform": platform.platform(), "load_at_start": [round(x, 2) for x in os.getloadavg()]}


def _work_dir(config, phase, size, latency):
    path = os.path.join(RESULTS, "tmp", "runs", f"{phase}-n{size}-{int(latency * 1000)}ms")
    if os.path.isdir(path):
        shutil.rmtree(path)
    os.makedirs(path)
    return path


def _say(text):
    print(text, flush=True)


def _finish(run, phase, size, latency, work, ok, problem=None):
    run.update(phase=phase, size=size, latency=latency, ok=ok, problem=problem,
               round_trips=analysis.round_trips(analysis.read_calls(os.path.join(work, "hosts"))))
    run["round_trips"].pop("per_host_counts")
    _say(f"  {phase:9} N={size:<5} {int(latency * 1000):>4} ms: {run['wall_seconds']:8.1f} s wall, "
         f"{run['cpu_seconds']:8.1f} s CPU, {run['round_trips']['per_host']:.2f} RT/host"
         + ("" if ok else f"  PROBLEM: {problem}"))
    return run


def measure_audit(config, size, latency):
    work = _work_dir(config, "audit", size, latency)
    inventory = fleet.build(work, size, forks=config["forks"])
    reports = os.path.join(work, "reports")
    run = measure.run_playbook(AUDIT, inventory, work, latency, config["forks"],
                               ["--check", "-e", f"rdp_report_dir={reports}"], label="audit")
    report_path = os.path.join(reports, "rdp-compliance.json")
    summary = None
    if os.path.exists(report_path):
        with open(report_path, encoding="utf-8") as handle:
            summary = json.load(handle)["summary"]
    problem = None
    if run["returncode"] != 0:
        problem = f"ansible-playbook exited {run['returncode']} (see {run['log']})"
    elif not summary or summary["hosts"] != size or summary["unreachable"] or summary["error"]:
        problem = f"the report does not cover {size} audited hosts: {summary}"
    run["report_summary"] = summary
    run["report_task_seconds"] = measure.task_seconds(run, "compliance report")
    return _finish(run, "audit", size, latency, work, problem is None, problem)


def measure_baseline(config, size, latency):
    work = _work_dir(config, "baseline", size, latency)
    inventory = fleet.build(work, size, forks=config["forks"])
    run = measure.run_playbook(BASELINE, inventory, work, latency, config["forks"], ["--check"], label="baseline")
    problem = None if run["returncode"] == 0 else f"ansible-playbook exited {run['returncode']} (see {run['log']})"
    return _finish(run, "baseline", size, latency, work, problem is None, problem)


def measure_remediation(config, size, latency):
    """Remediate a fleet where every host is broken; the bound uses the failing controls an audit found first."""
    work = _work_dir(config, "remediate", size, latency)
    inventory = fleet.build(work, size, broken_only=True, forks=config["forks"])
    hosts = os.path.join(work, "hosts")
    before = measure.run_playbook(AUDIT, inventory, work, 0, config["forks"],
                                  ["--check", "-e", f"rdp_report_dir={os.path.join(work, 'before')}"],
                                  label="audit-before")
    with open(os.path.join(work, "before", "rdp-compliance.json"), encoding="utf-8") as handle:
        failing = analysis.failing_controls(json.load(handle))
    _clear_calls(hosts)
    run = measure.run_playbook(REMEDIATE, inventory, work, latency, config["forks"],
                               ["-e", f"rdp_report_dir={os.path.join(work, 'reports')}"] + config["remediate_args"],
                               label="remediate")
    run["over_bound"] = analysis.remediation_bound(analysis.read_calls(hosts), failing)
    run["failing_before"] = sum(failing.values())
    remediation_report = os.path.join(work, "reports", "rdp-remediation.json")
    if os.path.exists(remediation_report):
        with open(remediation_report, encoding="utf-8") as handle:
            run["remediation_summary"] = json.load(handle).get("summary")
    run = _finish(run, "remediate", size, latency, work, run["returncode"] == 0,
                  None if run["returncode"] == 0 else f"ansible-playbook exited {run['returncode']} (see {run['log']})")
    calls = analysis.read_calls(hosts)
    after = measure.run_playbook(AUDIT, inventory, work, 0, config["forks"],
                                 ["--check", "-e", f"rdp_report_dir={os.path.join(work, 'after')}"],
                                 label="audit-after")
    with open(os.path.join(work, "after", "rdp-compliance.json"), encoding="utf-8") as handle:
        run["compliant_after"] = json.load(handle)["summary"]
    run["audit_before_seconds"], run["audit_after_seconds"] = before["wall_seconds"], after["wall_seconds"]
    run["notes"] = (f"{sum(len(c) for c in calls.values())} RT for {run['failing_before']} failing controls; "
                    f"{len(run['over_bound'])} hosts over the bound; remediation report: "
                    f"{run.get('remediation_summary')}; audit after: {run['compliant_after']['compliant']}/{size} "
                    f"compliant")
    return run


def measure_probe(config, size, latency):
    work = _work_dir(config, "probe", size, latency)
    inventory = fleet.build(work, size, forks=config["forks"])
    run = measure.run_playbook(DIAGNOSE, inventory, work, latency, config["forks"],
                               ["-e", f"rdp_report_dir={os.path.join(work, 'reports')}"] + config["probe_args"],
                               label="probe")
    problem = None if run["returncode"] == 0 else f"ansible-playbook exited {run['returncode']} (see {run['log']})"
    run = _finish(run, "probe", size, latency, work, problem is None, problem)
    run["notes"] = ", ".join(f"{module}: {count}" for module, count in sorted(run["round_trips"]["by_module"].items()))
    return run


def _clear_calls(hosts_dir):
    for name in os.listdir(hosts_dir):
        if name.endswith(".calls.jsonl"):
            os.remove(os.path.join(hosts_dir, name))


def measure_all(config):
    runs, skipped = [], []
    phases = config["phases"]
    for latency in config["latencies"]:
        for size in config["sizes"]:
            if "audit" in phases:
                runs.append(measure_audit(config, size, latency))
            if "baseline" in phases and size <= config["baseline_max_n"]:
                runs.append(measure_baseline(config, size, latency))
            if "remediate" in phases:
                if os.path.exists(REMEDIATE):
                    runs.append(measure_remediation(config, size, latency))
                else:
                    skipped.append("remediate: playbooks/remediate.yml does not exist on this branch")
            if "probe" in phases:
                if os.path.exists(DIAGNOSE):
                    runs.append(measure_probe(config, size, latency))
                else:
                    skipped.append("probe: playbooks/diagnose.yml does not exist on this branch")
    return runs, sorted(set(skipped))


def measure_writer(config):
    import report_writer  # pylint: disable=import-outside-toplevel

    size = max(config["sizes"] + [analysis.REPORT_SIZE]) if not config["quick"] else analysis.REPORT_SIZE
    return report_writer.time_writer(size)


def plot(rows, path):
    import matplotlib  # pylint: disable=import-outside-toplevel

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # pylint: disable=import-outside-toplevel

    figure, axes = plt.subplots(figsize=(7.5, 4.8))
    colours = ["tab:blue", "tab:orange", "tab:green", "tab:red"]
    for index, latency in enumerate(sorted({row["latency"] for row in rows})):
        colour = colours[index % len(colours)]
        mine = [row for row in rows if row["latency"] == latency]
        label = f"{int(latency * 1000)} ms/round trip"
        axes.plot([r["size"] for r in mine], [r["ours"]["wall_seconds"] for r in mine], "o-", color=colour,
                  label=f"rdp.windows audit, {label}")
        measured = [r for r in mine if r["baseline"] and not r["baseline"].get("extrapolated")]
        axes.plot([r["size"] for r in measured], [r["baseline"]["wall_seconds"] for r in measured], "s--",
                  color=colour, label=f"baseline (one task per setting), {label}")
        guessed = [r for r in mine if r["baseline"] and r["baseline"].get("extrapolated")]
        if guessed and measured:
            axes.plot([measured[-1]["size"]] + [r["size"] for r in guessed],
                      [measured[-1]["baseline"]["wall_seconds"]] + [r["baseline"]["wall_seconds"] for r in guessed],
                      ":", color=colour)
            axes.plot([r["size"] for r in guessed], [r["baseline"]["wall_seconds"] for r in guessed], "s",
                      markerfacecolor="white", color=colour, label=f"baseline extrapolated, {label}")
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("hosts (N)")
    axes.set_ylabel("wall time (s)")
    axes.set_title("Audit wall time against fleet size (simulated hosts, same forks)")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(fontsize=7)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def markdown(results):
    config, host = results["settings"], results["machine"]
    lines = [f"Measured {results['finished_at']} on {host['cpus']} cores ({host['cpu_model'] or 'unknown CPU'}), "
             f"{host['memory_gib']} GiB, Python {host['python']}, ansible-core {host['ansible_core']}; forks "
             f"{config['forks']}. Load average at start {host['load_at_start']}, at end {results['load_at_end']} "
             f"(the machine is shared: other jobs ran at the same time).", ""]
    lines += analysis.table_lines(results["rows"])
    lines += ["", "RT = module round trips per host (counted by the simulated connection); wall x, CPU x, RT x = "
              "baseline / ours; `~` = baseline extrapolated (straight line through its measured sizes), not run.", ""]
    if any(r["phase"] in ("remediate", "probe") for r in results["runs"]):
        lines += analysis.other_lines(results["runs"]) + [""]
    for skipped in results["skipped"]:
        lines.append(f"- Not measured: {skipped}")
    for added in results.get("added", ()):
        lines.append(f"- {', '.join(added['phases'])} measured later, {added['finished_at']} (load "
                     f"{added['load_at_start']} at start, {added['load_at_end']} at end)")
    writer = results.get("report_writer")
    if writer:
        lines.append(f"- Report writer alone, {writer['hosts']} hosts, {len(writer['files'])} formats: "
                     f"{writer['seconds']:.2f} s wall, {writer['cpu_seconds']:.2f} s CPU "
                     f"({writer['bytes'] // 1024} KiB)")
    lines += ["", "| target | status | measured |", "|---|---|---|"]
    lines += [f"| {t['target']} | {t['status']} | {t['detail']} |" for t in results["targets"]]
    return lines


def update_doc(lines, plot_name):
    if not os.path.exists(DOC):
        return False
    with open(DOC, encoding="utf-8") as handle:
        text = handle.read()
    if DOC_BEGIN not in text or DOC_END not in text:
        return False
    head, rest = text.split(DOC_BEGIN, 1)
    tail = rest.split(DOC_END, 1)[1]
    body = "\n".join(lines + ["", f"![Audit wall time against N](../bench/results/{plot_name})"])
    with open(DOC, "w", encoding="utf-8") as handle:
        handle.write(f"{head}{DOC_BEGIN}\n{body}\n{DOC_END}{tail}")
    return True


def publish(results, out_dir, update_docs):
    """Targets, table, plot, JSON and (optionally) docs/performance.md from the measured runs."""
    results["rows"] = analysis.comparison_rows(results["runs"])
    results["targets"] = analysis.targets(results["runs"], results["rows"], results.get("report_writer"),
                                          results["machine"], results["settings"]["latencies"])
    lines = markdown(results)
    plot_name = "wall_time.png"
    if results["rows"]:
        plot(results["rows"], os.path.join(out_dir, plot_name))
    with open(os.path.join(out_dir, "latest.json"), "w", encoding="utf-8") as handle:
        json.dump(results, handle, indent=1, default=str)
    with open(os.path.join(out_dir, "latest.md"), "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    _say("")
    _say("\n".join(lines))
    _say(f"\nresults: {os.path.relpath(out_dir, REPO)}/latest.json, latest.md, {plot_name}")
    if update_docs and update_doc(lines, plot_name):
        _say(f"updated {os.path.relpath(DOC, REPO)}")
    return 1 if any(t["status"] == "FAIL" for t in results["targets"]) else 0


def render_only(path):
    """``--render RESULTS.json``: recompute the targets and rewrite the outputs from measured runs, no new run."""
    with open(path, encoding="utf-8") as handle:
        results = json.load(handle)
    out_dir = os.path.dirname(os.path.abspath(path))
    return publish(results, out_dir, update_docs=not results["settings"].get("quick"))


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--render":
        return render_only(sys.argv[2])
    config = settings()
    os.makedirs(config["out_dir"], exist_ok=True)
    host = machine()
    _say(f"rdp.windows benchmark: sizes {config['sizes']}, latencies {config['latencies']} s, forks {config['forks']}, "
         f"baseline run up to N={config['baseline_max_n']}; {host['cpus']} cores, {host['memory_gib']} GiB, "
         f"load {host['load_at_start']}")
    runs, skipped = measure_all(config)
    writer = measure_writer(config) if "report" in config["phases"] else None
    results = {
        "finished_at": datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat(),
        "settings": {k: v for k, v in config.items() if k != "out_dir"}, "machine": host,
        "load_at_end": [round(x, 2) for x in os.getloadavg()], "runs": runs, "skipped": skipped,
        "report_writer": writer,
    }
    if config["add_to"]:
        return publish(add_to(config["add_to"], results), os.path.dirname(os.path.abspath(config["add_to"])),
                       config["update_docs"])
    return publish(results, config["out_dir"], config["update_docs"])


def add_to(path, new):
    """Merge new runs into an earlier results file: a run of the same phase, size and latency is replaced."""
    with open(path, encoding="utf-8") as handle:
        results = json.load(handle)
    keys = {(r["phase"], r["size"], r["latency"]) for r in new["runs"]}
    results["runs"] = [r for r in results["runs"] if (r["phase"], r["size"], r["latency"]) not in keys] + new["runs"]
    measured = {r["phase"] for r in new["runs"]}
    results["skipped"] = [s for s in results["skipped"] if s.split(":")[0] not in measured] + new["skipped"]
    results.setdefault("added", []).append({"finished_at": new["finished_at"], "phases": sorted(measured),
                                            "load_at_start": new["machine"]["load_at_start"],
                                            "load_at_end": new["load_at_end"]})
    if new.get("report_writer"):
        results["report_writer"] = new["report_writer"]
    return results


if __name__ == "__main__":
    sys.exit(main())
