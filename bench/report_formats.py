#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How long rendering the six report formats takes, and how big the files are, for fleets of N hosts.

Each host is evaluated for real: the lab's hosts (lab/build_lab.py) are answered by the host_info twin and
evaluated against the baseline catalogue, then repeated to reach N hosts (a tenth of them unreachable).

Usage: python bench/report_formats.py [N ...]     (default: 100 1000 5000)
"""

import copy
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(REPO, ".build", "collections"))

from ansible_collections.rdp.windows.plugins.plugin_utils._compliance import (  # noqa: E402  pylint: disable=wrong-import-position
    catalogue)
from ansible_collections.rdp.windows.plugins.plugin_utils._reports import fleet_report, report_files  # noqa: E402
from ansible_collections.rdp.windows.plugins.plugin_utils._compliance.evaluate import evaluate  # noqa: E402
from ansible_collections.rdp.windows.plugins.plugin_utils._compliance.host_query import build_query  # noqa: E402
from ansible_collections.rdp.windows.plugins.plugin_utils._simulator.twin_host_info import host_info  # noqa: E402
from ansible_collections.rdp.windows.plugins.plugin_utils._simulator.windows_host import WindowsHost  # noqa: E402


def lab_audits():
    import json
    with tempfile.TemporaryDirectory() as directory:
        subprocess.run([sys.executable, os.path.join(REPO, "lab", "build_lab.py"), os.path.join(directory, "hosts")],
                       check=True, capture_output=True)
        desired = catalogue.desired_for_catalogue({"rdp_users": ["LAB\\alice"]})
        controls = catalogue.controls_for(desired.profile)
        audits = []
        for name in sorted(os.listdir(os.path.join(directory, "hosts"))):
            if not name.endswith(".json"):
                continue
            with open(os.path.join(directory, "hosts", name), encoding="utf-8") as handle:
                host = WindowsHost(json.load(handle))
            facts = host_info(host, build_query(controls, desired), check_mode=True)
            audit = evaluate(desired, facts, controls)
            audit["os"] = facts.get("os", {})
            audits.append(audit)
    return audits


def fleet(size, audits):
    results = {}
    for index in range(size):
        name = f"host{index:05d}.contoso.com"
        results[name] = None if index % 10 == 9 else copy.deepcopy(audits[index % len(audits)])
    return fleet_report.build(sorted(results), results, generated_at="2026-11-26T02:00:00+00:00")


def main(sizes):
    audits = lab_audits()
    print(f"{'hosts':>6} {'format':>10} {'seconds':>8} {'bytes':>12}")
    for size in sizes:
        report = fleet(size, audits)
        for name, (extension, render) in report_files.FORMATS.items():
            started = time.perf_counter()
            text = render(report)
            elapsed = time.perf_counter() - started
            print(f"{size:>6} {name:>10} {elapsed:>8.3f} {len(text.encode('utf-8')):>12,}")


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [100, 1000, 5000])
