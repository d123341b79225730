# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""`make time-travel` really moves the clock the tests see (tests/clock/sitecustomize.py): the kernel's file
times are not moved, so a file written now shows the shift. Without a shift, both clocks agree."""

import datetime
import os
import subprocess
import sys

SHIFTS = {"+3y": 3 * 365, "-1y": -365}


def _shift_days(tmp_path):
    probe = tmp_path / "now"
    probe.write_text("", encoding="utf-8")
    kernel = datetime.datetime.fromtimestamp(os.stat(probe).st_mtime, datetime.timezone.utc)
    return (datetime.datetime.now(datetime.timezone.utc) - kernel).total_seconds() / 86400


def test_the_clock_is_moved_exactly_when_asked(tmp_path):
    expected = SHIFTS.get(os.environ.get("RDP_CLOCK_SHIFT", ""), 0)
    assert abs(_shift_days(tmp_path) - expected) < 0.01


def test_a_child_python_sees_the_same_clock(tmp_path):
    code = "import datetime; print(datetime.datetime.now(datetime.timezone.utc).isoformat())"
    child = datetime.datetime.fromisoformat(subprocess.run([sys.executable, "-c", code], capture_output=True,
                                                           text=True, check=True).stdout.strip())
    assert abs((child - datetime.datetime.now(datetime.timezone.utc)).total_seconds()) < 60
