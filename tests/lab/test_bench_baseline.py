# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The benchmark's baseline playbook (bench/baseline_audit.yml) really runs its modules against the simulated
lab: one round trip per setting, in check mode, changing nothing, and it finds the drift it can see."""

import os
import re

from tests.helpers import REPO, build_lab, calls, load_state, run_playbook

BASELINE = os.path.join(REPO, "bench", "baseline_audit.yml")
HOSTS = ("healthy", "rdp-disabled", "firewall-rule-off", "port-changed")


def _changed_tasks(stdout):
    changed, task = {}, None
    for line in stdout.splitlines():
        match = re.match(r"TASK \[(.*)\]", line)
        if match:
            task = match.group(1)
        match = re.match(r"changed: \[(.*?)\]", line)
        if match:
            changed.setdefault(match.group(1), set()).add(task)
    return changed


def test_baseline_audits_one_setting_per_round_trip_and_changes_nothing(tmp_path):
    inventory = build_lab(str(tmp_path))
    before = {host: load_state(str(tmp_path), host) for host in HOSTS}
    run = run_playbook(BASELINE, inventory, check=True, limit=",".join(HOSTS))
    assert run.returncode == 0, run.stdout + run.stderr
    for host in HOSTS:
        made = calls(str(tmp_path), host)
        assert len(made) == 29 and all(call["check_mode"] and call["outcome"] == "ok" for call in made)
        assert {call["module"] for call in made} == {
            "ansible.windows.win_regedit", "ansible.windows.win_service", "ansible.windows.win_wait_for",
            "community.windows.win_firewall_rule", "ansible.windows.win_group_membership",
            "ansible.windows.win_user_right"}
        after = load_state(str(tmp_path), host)
        after["counters"], before[host]["counters"] = {}, {}
        assert after == before[host]
    changed = _changed_tasks(run.stdout)
    assert "Remote connections are allowed (fDenyTSConnections = 0)" in changed["rdp-disabled"]
    assert "Something listens on the RDP port" in changed["rdp-disabled"]
    assert "The built-in Remote Desktop TCP rule is enabled" in changed["firewall-rule-off"]
    assert "A rule opens the custom RDP port over TCP" in changed["port-changed"]
    assert "Remote connections are allowed (fDenyTSConnections = 0)" not in changed["healthy"]
