# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run one ansible-playbook under measurement: wall time, CPU time of its whole process tree, the
controller's peak memory, each task's wall time, and the machine's load around it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
CONTROLLER = os.path.join(HERE, "controller.py")


def playbook_environment(latency, extra=None):
    env = dict(os.environ)
    env.update({
        "ANSIBLE_COLLECTIONS_PATH": os.path.join(REPO, ".build", "collections"),
        "ANSIBLE_CONFIG": os.path.join(REPO, "ansible.cfg"),
        "ANSIBLE_CALLBACK_PLUGINS": os.path.join(HERE, "callback_plugins"),
        "ANSIBLE_CALLBACKS_ENABLED": "rdp_bench_timer",
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_RETRY_FILES_ENABLED": "0",
        "RDP_SIMULATED_LATENCY": str(latency),
    })
    env.update(extra or {})
    return env


def run_playbook(playbook, inventory, work_dir, latency, forks, extra_args=(), label="run"):
    """Run ``ansible-playbook`` and return what was measured (the output goes to ``work_dir/<label>.log``)."""
    stats_file = os.path.join(work_dir, f"{label}.controller.json")
    timings_file = os.path.join(work_dir, f"{label}.tasks.json")
    log_file = os.path.join(work_dir, f"{label}.log")
    command = [sys.executable, CONTROLLER, "-i", inventory, playbook, "--forks", str(forks)] + list(extra_args)
    env = playbook_environment(latency, {"RDP_BENCH_CONTROLLER_STATS": stats_file,
                                         "RDP_BENCH_TIMINGS": timings_file})
    load_before = os.getloadavg()
    with open(log_file, "w", encoding="utf-8") as log:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=REPO)
        _pid, status, usage = os.wait4(process.pid, 0)  # rusage of the playbook and every worker it reaped
        wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    controller = _read_json(stats_file) or {}
    tasks = (_read_json(timings_file) or {}).get("tasks", [])
    peak = controller.get("peak_rss_kib")
    return {
        "command": ["ansible-playbook"] + command[2:],
        "returncode": process.returncode,
        "wall_seconds": round(wall, 3),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 3),
        "cpu_user_seconds": round(usage.ru_utime, 3),
        "cpu_system_seconds": round(usage.ru_stime, 3),
        "controller_cpu_seconds": controller.get("cpu_self_seconds"),
        "controller_peak_mib": round(peak / 1024, 1) if peak else None,
        "largest_process_peak_mib": round(usage.ru_maxrss / 1024, 1),
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in os.getloadavg()],
        "tasks": [{"name": t["name"], "seconds": t["seconds"], "results": t["results"]} for t in tasks],
        "log": os.path.relpath(log_file, REPO),
    }


def task_seconds(run, words):
    """Wall time of the first task whose name contains ``words`` (None if it did not run)."""
    for task in run.get("tasks", ()):
        if words.lower() in task["name"].lower():
            return task["seconds"]
    return None


def _read_json(path):
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)
