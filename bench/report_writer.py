# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Time the report writer alone: the fleet report of N hosts built and written the way the
rdp.windows.report action does it (fleet_report.build, then every format of report_files), from real
audit results of the lab's hosts cloned to N names."""

from __future__ import annotations

import json
import os
import tempfile
import time

from ansible_collections.rdp.windows.plugins.plugin_utils._compliance import catalogue
from ansible_collections.rdp.windows.plugins.plugin_utils._reports import fleet_report, report_files
from ansible_collections.rdp.windows.plugins.plugin_utils._compliance.evaluate import evaluate
from ansible_collections.rdp.windows.plugins.plugin_utils._compliance.host_query import build_query
from ansible_collections.rdp.windows.plugins.plugin_utils._simulator import twins
from ansible_collections.rdp.windows.plugins.plugin_utils._simulator.windows_host import WindowsHost

import fleet  # bench/fleet.py


def audited_results(count):
    """{host: the result the audit records for it} for ``count`` hosts cloned from the lab's variants."""
    per_variant = {}
    results = {}
    for index, (name, variant, breakage, host_vars) in enumerate(fleet.plan(count)):
        if variant not in per_variant:
            variables = {"rdp_users": ["LAB\\alice"]}
            variables.update({f"{key}": value for key, value in host_vars.items()})
            desired = catalogue.desired_for_catalogue(variables)
            controls = catalogue.controls_for(desired.profile)
            host = WindowsHost(fleet.build_state(index, breakage, host_vars))
            facts = twins.run(host, "rdp.windows.host_info", build_query(controls, desired))
            audit = evaluate(desired, facts, controls)
            audit["os"] = facts.get("os", {})
            per_variant[variant] = dict(audit, fail_on_drift=False)
        results[name] = json.loads(json.dumps(per_variant[variant]))  # a separate copy per host, as in hostvars
    return results


def time_writer(count):
    results = audited_results(count)
    hosts = list(results)
    with tempfile.TemporaryDirectory() as directory:
        start, cpu_start = time.perf_counter(), time.process_time()
        report = fleet_report.build(hosts, results)
        for name, text in report_files.render_all(report).items():
            with open(os.path.join(directory, name), "w", encoding="utf-8") as handle:
                handle.write(text)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        files = sorted(os.listdir(directory))
        size = sum(os.path.getsize(os.path.join(directory, name)) for name in files)
    return {"hosts": count, "seconds": round(seconds, 4), "cpu_seconds": round(cpu, 4), "bytes": size, "summary": report["summary"],
            "files": files}
