#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Inventory of the molecule lab scenario: the hosts and variables of lab/inventory.yml (so it never drifts from
the lab), with each host's state file in the copy of the lab that the prepare step writes to $RDP_KIT_LAB."""

import json
import os
import sys

import yaml

LAB_INVENTORY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "lab", "inventory.yml")


def inventory():
    with open(LAB_INVENTORY, encoding="utf-8") as handle:
        lab = yaml.safe_load(handle)["rdp_lab"]
    state_dir = os.path.join(os.environ.get("RDP_KIT_LAB", ""), "hosts")
    group_vars = {key: value for key, value in lab["vars"].items() if key != "rdp_simulated_state"}
    hostvars = {name: dict(variables or {}, rdp_simulated_state=os.path.join(state_dir, f"{name}.json"))
                for name, variables in lab["hosts"].items()}
    return {"rdp_lab": {"hosts": sorted(hostvars), "vars": group_vars}, "_meta": {"hostvars": hostvars}}


if __name__ == "__main__":
    print(json.dumps(inventory() if "--list" in sys.argv else {}))
