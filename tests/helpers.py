# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared helpers for the tests: build simulated hosts and run the real playbooks against them."""

import json
import os
import subprocess
import sys

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
LAB_BUILDER = os.path.join(REPO, "lab", "build_lab.py")


def build_lab(directory):
    """A fresh copy of the lab in ``directory``: hosts/*.json and inventory.yml."""
    subprocess.run([sys.executable, LAB_BUILDER, os.path.join(directory, "hosts")], check=True,
                   capture_output=True)
    return os.path.join(directory, "inventory.yml")


def run_playbook(playbook, inventory, *extra, check=False, limit=None, env=None):
    command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", inventory,
               os.path.join(REPO, "playbooks", playbook)]
    if check:
        command.append("--check")
    if limit:
        command += ["--limit", limit]
    command += list(extra)
    environment = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(REPO, ".build", "collections"),
                       ANSIBLE_CONFIG=os.path.join(REPO, "ansible.cfg"), ANSIBLE_NOCOLOR="1")
    environment.update(env or {})
    return subprocess.run(command, capture_output=True, text=True, env=environment, cwd=REPO, check=False)


def load_state(directory, host):
    with open(os.path.join(directory, "hosts", f"{host}.json"), encoding="utf-8") as handle:
        return json.load(handle)


def set_faults(directory, host, faults):
    """Schedule ``faults`` (the simulator's faults section, see docs/simulator.md) on a lab host."""
    state = load_state(directory, host)
    state["faults"] = faults
    with open(os.path.join(directory, "hosts", f"{host}.json"), "w", encoding="utf-8") as handle:
        json.dump(state, handle)


def calls(directory, host):
    path = os.path.join(directory, "hosts", f"{host}.json.calls.jsonl")
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]
