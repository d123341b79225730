#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run ansible-playbook in this process and, when it exits, record the controller's own peak memory.

The benchmark starts every playbook through this wrapper: ``VmHWM`` (the peak resident set size) of the
controller process itself is read from /proc when ansible-playbook exits, and written as JSON to the
file named by RDP_BENCH_CONTROLLER_STATS. Ansible's forked workers leave with os._exit and never run the
exit hook; the process id check makes sure of it.

Usage: RDP_BENCH_CONTROLLER_STATS=out.json python bench/controller.py [ansible-playbook arguments]
"""

import atexit
import json
import os
import resource
import sys

STATS_FILE = os.environ.pop("RDP_BENCH_CONTROLLER_STATS", None)
CONTROLLER_PID = os.getpid()


def _status_kib(field):
    with open(f"/proc/{CONTROLLER_PID}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return None


def record():
    if os.getpid() != CONTROLLER_PID or not STATS_FILE:
        return
    usage = resource.getrusage(resource.RUSAGE_SELF)
    stats = {"peak_rss_kib": _status_kib("VmHWM"), "rss_at_exit_kib": _status_kib("VmRSS"),
             "cpu_self_seconds": usage.ru_utime + usage.ru_stime}
    with open(STATS_FILE, "w", encoding="utf-8") as handle:
        json.dump(stats, handle)


if __name__ == "__main__":
    atexit.register(record)
    from ansible.cli.playbook import main

    sys.argv[0] = "ansible-playbook"
    main()
