# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Loaded through PYTHONPATH by `make time-travel` only, in every Python process of the run (pytest, each
ansible-playbook and its workers): the wall clock is moved by RDP_CLOCK_SHIFT ("+3y", "-1y", "+40d") with
time-machine, and keeps ticking. Monotonic clocks are left alone, so timeouts behave as usual.

Debian's faketime is the other way to run the same tests (FAKETIME set): with it, this file only replaces
time.sleep, which libfaketime 0.9.10 breaks on Python 3.11 (clock_nanosleep on an absolute CLOCK_MONOTONIC
deadline returns EINVAL); a select() timeout is relative and unaffected.
"""

import datetime
import os
import re
import select
import time


def _sleep(seconds):
    deadline = time.monotonic() + seconds
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return
        select.select([], [], [], left)


def _shift(text):
    match = re.fullmatch(r"([+-])(\d+)([yd])", text.strip())
    if not match:
        raise SystemExit(f"RDP_CLOCK_SHIFT must look like +3y, -1y or +40d, not {text!r}")
    sign, count, unit = match.groups()
    days = int(count) * (365 if unit == "y" else 1)
    return datetime.timedelta(days=days if sign == "+" else -days)


if os.environ.get("FAKETIME"):
    time.sleep = _sleep
elif os.environ.get("RDP_CLOCK_SHIFT"):
    import time_machine

    time_machine.travel(datetime.datetime.now(datetime.timezone.utc) + _shift(os.environ["RDP_CLOCK_SHIFT"]),
                        tick=True).start()
