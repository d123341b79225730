# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection's Windows modules refuse bad options before any change, naming the option and what it
allows (cases: tests/lab/faults/bad_input.py MODULE_CASES), through the simulated connection and module twins."""

import json

import pytest

from tests.lab.faults.bad_input import MODULE_CASES
from tests.lab.faults.lab import HOST_SECTIONS
from tests.lab.faults.matrix import LAB
from tests.lab.faults.simulated import call, connection


@pytest.fixture
def host_file(tmp_path):
    """A lab host with the built-in rules off, a rule rdp.windows does not own, and a QoS policy of its own."""
    state = LAB.healthy("h1")
    LAB.firewall_rule_off(state)
    state["firewall"]["rules"].append({"name": "Admin RDP", "group": "", "enabled": True, "action": "Allow",
                                       "direction": "Inbound", "protocol": "TCP", "local_ports": ["3389"],
                                       "remote_addresses": ["Any"], "profiles": ["Any"]})
    path = tmp_path / "h1.json"
    path.write_text(json.dumps(state))
    return path


def host_view(path):
    state = json.loads(path.read_text())
    return {section: state.get(section) for section in HOST_SECTIONS}


@pytest.mark.parametrize("case", MODULE_CASES, ids=lambda c: c.id)
def test_bad_module_options_are_refused_before_any_change(host_file, case):
    before = host_view(host_file)
    rc, result, dummy = call(connection(host_file), case.module, case.args)
    assert rc == 0 and result.get("failed"), result
    assert case.names in result["msg"], result["msg"]
    for fragment in case.allows:
        assert fragment in result["msg"], result["msg"]
    assert host_view(host_file) == before
    assert not result.get("changed")


def test_the_same_options_without_the_mistake_do_change_the_host(host_file):
    """The cases above fail for their mistake, not because the module never changes anything."""
    rc, result, dummy = call(connection(host_file), "rdp.windows.firewall",
                             {"enable_rules": ["RemoteDesktop-UserMode-In-TCP", "RemoteDesktop-UserMode-In-UDP"],
                              "remote_addresses": ["10.0.0.0/8"]})
    assert rc == 0 and result["changed"] and not result.get("failed")
    rc, result, dummy = call(connection(host_file), "rdp.windows.qos_policy", {"port": 3389, "dscp": 46})
    assert rc == 0 and result["changed"] and not result.get("failed")
