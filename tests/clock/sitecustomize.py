# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Loaded (through PYTHONPATH) only by the time-travel runs of `make time-travel`, in every Python process they start.

Debian's libfaketime 0.9.10 makes Python's time.sleep fail with EINVAL (it sleeps with clock_nanosleep on an
absolute CLOCK_MONOTONIC deadline, which libfaketime rewrites); a select() timeout is relative and unaffected.
"""

import os
import select
import time

if os.environ.get("FAKETIME"):
    def _sleep(seconds):
        deadline = time.monotonic() + seconds
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return
            select.select([], [], [], left)

    time.sleep = _sleep
