# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Twins of the modules only the benchmark's baseline playbook calls: community.windows.win_firewall_rule and
ansible.windows.win_wait_for, run through twins.run (option validation from the installed documentation)."""

import copy
import importlib.util
import os

import pytest

from ansible_collections.rdp.windows.plugins.plugin_utils._simulator import module_spec, twins
from ansible_collections.rdp.windows.plugins.plugin_utils._simulator.twin_community_windows import com_view
from ansible_collections.rdp.windows.plugins.plugin_utils._simulator.windows_host import WindowsHost
from tests.helpers import LAB_BUILDER

_SPEC = importlib.util.spec_from_file_location("rdp_test_build_lab", LAB_BUILDER)
LAB = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(LAB)

RULE = "win_firewall_rule"
FW = "community.windows.win_firewall_rule"
TCP_DISPLAY = "Remote Desktop - User Mode (TCP-In)"


@pytest.fixture(name="host")
def fixture_host():
    return WindowsHost(copy.deepcopy(LAB.healthy("bench-test")))


def _fw(host, check=True, **options):
    return twins.run(host, FW, dict(options, _ansible_check_mode=check, _ansible_diff=True))


def _rule(host, name):
    return next(r for r in host.firewall_rules("PersistentStore") if r["name"] == name)


def test_options_are_validated_from_the_installed_community_windows_documentation(host):
    spec = module_spec.argument_spec(FW)
    assert spec["enabled"]["aliases"] == ["enable"] and spec["action"]["choices"] == ["allow", "block"]
    result = _fw(host, name=TCP_DISPLAY, action="permit")
    assert result["failed"] and "action" in result["msg"]


def test_rules_are_found_by_display_name_not_by_their_stable_name(host):
    result = _fw(host, name=TCP_DISPLAY, enabled=True, action="allow")
    assert result == {"changed": False, "msg": f"Firewall rule(s) changed '' - unchanged '{TCP_DISPLAY}'",
                      "diff": {"prepared": f"[{TCP_DISPLAY}]\n"}}
    by_rule_name = _fw(host, name="RemoteDesktop-UserMode-In-TCP", enabled=True)
    assert by_rule_name["changed"] and by_rule_name["msg"] == "Firewall rule 'RemoteDesktop-UserMode-In-TCP' created."


def test_a_disabled_rule_is_reported_in_check_mode_and_enabled_otherwise(host):
    _rule(host, "RemoteDesktop-UserMode-In-TCP")["enabled"] = False
    checked = _fw(host, name=TCP_DISPLAY, enabled=True, action="allow")
    assert checked["changed"] and "-Enabled='False'\n+Enabled='True'" in checked["diff"]["prepared"]
    assert _rule(host, "RemoteDesktop-UserMode-In-TCP")["enabled"] is False
    assert _fw(host, check=False, name=TCP_DISPLAY, enabled=True)["changed"]
    assert _rule(host, "RemoteDesktop-UserMode-In-TCP")["enabled"] is True


def test_only_the_options_given_are_compared(host):
    rule = _rule(host, "RemoteDesktop-UserMode-In-TCP")
    rule["profiles"] = ["Domain"]
    assert not _fw(host, name=TCP_DISPLAY, enabled=True)["changed"]
    assert _fw(host, name=TCP_DISPLAY, profiles=["domain", "private", "public"])["changed"]


def test_remote_addresses_compare_in_com_form(host):
    rule = _rule(host, "RemoteDesktop-UserMode-In-TCP")
    assert com_view(rule)["RemoteAddresses"] == "*"
    assert not _fw(host, name=TCP_DISPLAY, remoteip="any")["changed"]
    rule["remote_addresses"] = ["10.0.0.0/255.0.0.0", "192.168.1.5/255.255.255.255"]
    assert not _fw(host, name=TCP_DISPLAY, remoteip="192.168.1.5,10.0.0.0/8")["changed"]
    assert _fw(host, name=TCP_DISPLAY, remoteip="any")["changed"]


def test_a_missing_rule_is_created_with_the_module_defaults(host):
    result = _fw(host, check=False, name="Remote Desktop - Custom Port (TCP-In)", localport="3390", protocol="tcp",
                 direction="in", action="allow", enabled=True)
    assert result["changed"]
    created = next(r for r in host.firewall_rules("PersistentStore")
                   if r.get("display_name") == "Remote Desktop - Custom Port (TCP-In)")
    assert created["local_ports"] == ["3390"] and created["protocol"] == "TCP" and created["enabled"]
    assert created["profiles"] == ["Any"] and created["remote_addresses"] == ["Any"]
    assert not _fw(host, name="Remote Desktop - Custom Port (TCP-In)", localport="3390", protocol="tcp")["changed"]


def test_ports_need_a_protocol_and_a_name_or_group_is_required(host):
    assert _fw(host, name="x", localport="3390")["failed"]
    assert _fw(host, enabled=True)["msg"] == "Either name or group must be specified"


def test_a_group_matches_the_com_grouping_and_absent_removes(host):
    result = _fw(host, group="@FirewallAPI.dll,-28752", enabled=True)
    assert result["changed"] and "Remote Desktop - Shadow (TCP-In)" in result["msg"]
    assert _fw(host, check=False, name=TCP_DISPLAY, state="absent")["changed"]
    assert not any(r["name"] == "RemoteDesktop-UserMode-In-TCP" for r in host.firewall_rules("PersistentStore"))
    assert _fw(host, name=TCP_DISPLAY, state="absent")["msg"] == f"Firewall rule '{TCP_DISPLAY}' does not exist."


def _wait(host, **options):
    return twins.run(host, "ansible.windows.win_wait_for", dict(options, _ansible_check_mode=True))


def test_win_wait_for_succeeds_when_termservice_listens(host):
    assert _wait(host, port=3389, timeout=1) == {"changed": False, "elapsed": 0.0, "wait_attempts": 1}


def test_win_wait_for_times_out_like_the_module_when_nothing_listens(host):
    host.registry.set(r"HKLM\SYSTEM\CurrentControlSet\Control\Terminal Server", "fDenyTSConnections", "REG_DWORD", 1)
    result = _wait(host, port=3389, timeout=2)
    assert result["failed"] and result["msg"] == "timeout while waiting for 127.0.0.1:3389 to start listening"
    assert result["elapsed"] == 2.0 and result["wait_attempts"] == 2
    assert _wait(host, port=3389, timeout=0)["wait_attempts"] == 0
    assert not _wait(host, port=3389, state="stopped", timeout=1).get("failed")


def test_win_wait_for_rejects_what_the_module_rejects(host):
    assert _wait(host, port=3389, path="C:\\x")["msg"] == "port and path parameter can not both be passed to win_wait_for"
    assert _wait(host, port=3389, exclude_hosts=["a"])["msg"] == "exclude_hosts should only be with state=drained"
    assert _wait(host, port=3389, state="waiting")["failed"]


def test_the_baseline_modules_are_registered():
    assert twins.TWINS[FW].__name__ == RULE
    assert os.path.basename(module_spec._installed_modules_dir("community", "windows")) == "modules"
