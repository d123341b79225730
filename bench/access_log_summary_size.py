#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Print the size of the access-log summary (the simulator's twin of host_info's) for logs of growing size.

Each log holds N failed RDP logons from many addresses against many accounts, and as many RdpCoreTS 140
events, all inside the window. The figures show that the summary stays the same size whatever N and the cap.

Usage: python bench/access_log_summary_size.py [N ...]   (default: 1000 10000 100000)
"""

import datetime
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "plugins", "plugin_utils"))

from simulator import event_log as ev  # noqa: E402  pylint: disable=wrong-import-position
from simulator.twin_access_log import access_log  # noqa: E402  pylint: disable=wrong-import-position

CLOCK = "2026-11-02T09:00:00Z"


def busy_log(count):
    clock = ev.parse_time(CLOCK)
    events = []
    for n in range(count):
        moment = ev.format_time(clock - datetime.timedelta(seconds=n % 80000))
        address = f"198.51.{n % 200}.{n % 251}"
        events.append(ev.remote_interactive_logon_failed(moment, f"user{n % 997}", "", address))
        events.append(ev.rdp_connection_failed_bad_credentials(moment, address))
    return {"clock": CLOCK, "event_log": events}


def main(sizes):
    print(f"{'events':>8} {'cap':>7} {'read':>7} {'cap hit':>7} {'distinct src':>12} {'summary bytes':>13} "
          f"{'twin s':>8}")
    for count in sizes:
        state = busy_log(count)
        for cap in (5000, 2 * count):
            started = time.perf_counter()
            summary = access_log(state, 24, cap)
            elapsed = time.perf_counter() - started
            failures = summary["failures"]
            print(f"{count:>8} {cap:>7} {failures['read']:>7} {str(failures['cap_reached']):>7} "
                  f"{failures['distinct_sources']:>12} {len(json.dumps(summary)):>13} {elapsed:>8.2f}")


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [1000, 10000, 100000])
