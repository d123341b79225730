# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fault tests' ledger: when RDP_FAULT_LEDGER names a file, the outcome of every test of this directory
and the change accounting of every remediation under a fault (``change_ledger``) are written to it at the
end of the run. ``tests/lab/faults/reliability.py`` renders docs/reliability.md from it."""

import json
import os

import pytest

LEDGER_ENV = "RDP_FAULT_LEDGER"
_OUTCOMES = {}
_CHANGES = {}


def pytest_runtest_logreport(report):
    if "tests/lab/faults/" not in report.nodeid:
        return
    if report.when == "call" or report.failed or report.skipped:
        previous = _OUTCOMES.get(report.nodeid)
        if previous in (None, "passed"):
            _OUTCOMES[report.nodeid] = report.outcome


def pytest_sessionfinish(session):
    path = os.environ.get(LEDGER_ENV)
    if not path:
        return
    with open(path, "w", encoding="utf-8") as handle:
        json.dump({"tests": dict(sorted(_OUTCOMES.items())), "changes": dict(sorted(_CHANGES.items()))}, handle,
                  indent=1, sort_keys=True)
        handle.write("\n")


@pytest.fixture(scope="session")
def change_ledger():
    """``change_ledger[fault_id] = {"made": n, "reported": n, "lost": n}`` for each remediation under a fault."""
    return _CHANGES
