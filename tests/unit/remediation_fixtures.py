# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Lab host states and the facts host_info returns for them, for the remediation unit tests.

The facts come from the simulator's host_info twin, so the planner is tested against the same structure the
real module returns, for hosts built the way lab/build_lab.py builds them.
"""

import copy
import importlib.util
import os

from ansible_collections.rdp.windows.plugins.plugin_utils._compliance import catalogue
from ansible_collections.rdp.windows.plugins.plugin_utils._compliance.evaluate import evaluate
from ansible_collections.rdp.windows.plugins.plugin_utils._compliance.host_query import build_query
from ansible_collections.rdp.windows.plugins.plugin_utils._remediation.plan import build_plan
from ansible_collections.rdp.windows.plugins.plugin_utils._simulator import twins
from ansible_collections.rdp.windows.plugins.plugin_utils._simulator.windows_host import WindowsHost

from tests.helpers import REPO

_spec = importlib.util.spec_from_file_location("build_lab", os.path.join(REPO, "lab", "build_lab.py"))
build_lab = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build_lab)

ALICE = "LAB\\alice"
ALICE_SID = build_lab.ALICE_SID


def lab_state(name):
    """The state of one lab host, as lab/build_lab.py writes it."""
    breakage, host_vars = build_lab.HOSTS[name]
    state = build_lab.healthy(name, port=host_vars.get("rdp_port", 3389))
    if breakage:
        breakage(state)
    return copy.deepcopy(state)


def desired(**variables):
    variables.setdefault("rdp_users", [ALICE])
    return catalogue.desired_for_catalogue(variables)


def read(state, wanted):
    host = WindowsHost(state)
    query = build_query(catalogue.controls_for(wanted.profile), wanted)
    return twins.run(host, "rdp.windows.host_info", query)


def plan_for(state, **variables):
    """(plan, evaluation, facts) for a host state and rdp_* variables."""
    wanted = desired(**variables)
    facts = read(state, wanted)
    evaluation = evaluate(wanted, facts)
    return build_plan(wanted, facts, evaluation), evaluation, facts


def statuses(evaluation):
    return {control["id"]: control["status"] for control in evaluation["controls"]}


def failing(evaluation):
    return sorted(cid for cid, status in statuses(evaluation).items() if status == "fail")
