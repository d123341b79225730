# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Record how long each task of a benchmark run took (wall time), as JSON in RDP_BENCH_TIMINGS."""

from __future__ import annotations

DOCUMENTATION = r"""
name: rdp_bench_timer
type: aggregate
short_description: Write each task's wall time to the file named by RDP_BENCH_TIMINGS (benchmark only)
description:
  - Used by bench/run_bench.py, for example to time the task that writes the compliance report.
requirements:
  - enable in configuration
"""

import json
import os
import time

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "rdp_bench_timer"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self._tasks = []
        self._current = None

    def _finish_current(self):
        if self._current is not None:
            self._current["end"] = self._current.get("last_result", time.time())
            self._current["seconds"] = round(self._current["end"] - self._current["start"], 4)
            self._current.pop("last_result", None)
            self._tasks.append(self._current)
            self._current = None

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._finish_current()
        self._current = {"name": task.get_name(), "start": time.time(), "results": 0}

    def _result(self, *_args, **_kwargs):
        if self._current is not None:
            self._current["last_result"] = time.time()
            self._current["results"] += 1

    v2_runner_on_ok = v2_runner_on_failed = v2_runner_on_skipped = v2_runner_on_unreachable = _result

    def v2_playbook_on_stats(self, stats):
        self._finish_current()
        path = os.environ.get("RDP_BENCH_TIMINGS")
        if path:
            with open(path, "w", encoding="utf-8") as handle:
                json.dump({"tasks": self._tasks}, handle, indent=1)
