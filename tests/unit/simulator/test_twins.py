# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Module calls answered by twins: options validated like the real module, host_info read-only and tolerant."""

from __future__ import annotations

import copy

from ansible_collections.rdp.windows.plugins.plugin_utils._compliance import catalogue
from ansible_collections.rdp.windows.plugins.plugin_utils._compliance.desired_state import from_vars
from ansible_collections.rdp.windows.plugins.plugin_utils._compliance.host_query import build_query
from ansible_collections.rdp.windows.plugins.plugin_utils._simulator import payload, twins
from ansible_collections.rdp.windows.plugins.plugin_utils._simulator.fresh_install import (
    enable_remote_desktop, fresh_install)
from ansible_collections.rdp.windows.plugins.plugin_utils._simulator.windows_host import WindowsHost

QUERY = build_query(catalogue.CONTROLS, from_vars({"rdp_profile": "hardened", "rdp_users": ["LAB\\ghost"]}))


def rdp_host(**kwargs):
    return WindowsHost(enable_remote_desktop(fresh_install("web01", domain="LAB", **kwargs)))


def test_unknown_options_fail_like_ansible_basic():
    result = twins.run(rdp_host(), "rdp.windows.host_info", {"registry": [], "bogus": 1})
    assert result["failed"] is True
    assert result["msg"].startswith(
        "Unsupported parameters for (rdp.windows.host_info) module: bogus. Supported parameters include:")
    result = twins.run(rdp_host(), "ansible.windows.win_service", {"name": "TermService", "state": "running"})
    assert result == {"failed": True, "msg": "value of state must be one of: absent, paused, started, stopped, "
                                             "restarted. Got no match for: running"}  # Ansible.Basic's wording


def test_a_module_without_a_twin_fails_like_a_missing_module():
    result = twins.run(rdp_host(), "community.windows.win_regmerge", {})
    assert result["failed"] and "no twin" in result["msg"]


def test_host_info_is_read_only_and_answers_the_query():
    host = rdp_host()
    before = copy.deepcopy(host.state)
    result = twins.run(host, "rdp.windows.host_info", dict(QUERY, _ansible_check_mode=True))
    assert host.state == before
    assert result["changed"] is False and result["schema_version"] == 1
    assert [(e["path"], e["name"]) for e in result["registry"]] == [(q["path"], q["name"]) for q in QUERY["registry"]]
    deny = next(e for e in result["registry"] if e["name"] == "fDenyTSConnections" and "Policies" not in e["path"])
    assert (deny["exists"], deny["type"], deny["value"]) == (True, "REG_DWORD", 0)
    assert result["accounts"] == {"LAB\\ghost": {"sid": None, "error": "account 'LAB\\ghost' could not be found"}}
    assert result["listeners"] == [{"port": 3389, "protocol": "TCP", "listening": True, "owner": "TermService"}]


def test_host_info_reports_a_denied_key_per_value():
    host = rdp_host()
    host.registry.denied = [r"hklm\system\currentcontrolset\control\terminal server\winstations"]
    result = twins.run(host, "rdp.windows.host_info", QUERY)
    port = next(e for e in result["registry"] if e["name"] == "PortNumber")
    assert port["exists"] is False and "Requested registry access is not allowed" in port["error"]
    deny = next(e for e in result["registry"] if e["name"] == "fDenyTSConnections" and "Policies" not in e["path"])
    assert "error" not in deny


def test_host_info_keeps_orphaned_sids_and_knows_domain_controllers_have_no_local_groups():
    host = rdp_host()
    host.state["groups"]["S-1-5-32-555"]["members"] = ["S-1-5-21-9-9-9-1105"]
    result = twins.run(host, "rdp.windows.host_info", QUERY)
    assert result["groups"]["S-1-5-32-555"]["members"] == [{"sid": "S-1-5-21-9-9-9-1105", "name": None}]
    dc_result = twins.run(rdp_host(domain_controller=True), "rdp.windows.host_info", QUERY)
    assert dc_result["groups"]["S-1-5-32-555"]["exists"] is False
    assert dc_result["groups"]["S-1-5-32-555"]["reason"] == "domain controller: no local groups"


def test_payload_parse_reads_the_module_and_its_arguments():
    manifest = {"actions": [{"name": "exec_wrapper.ps1"}, {"name": "module_wrapper.ps1", "params": {
        "Script": "ansible_collections.rdp.windows.plugins.modules.host_info.ps1",
        "Variables": [{"Name": "complex_args", "Value": {"port": 3390}}]}}]}
    data = b'{"bootstrap": true}' + payload.SEPARATOR + repr(manifest).replace("'", '"').encode()
    assert payload.parse(data) == ("rdp.windows.host_info", {"port": 3390})
    try:
        payload.parse(b"Get-Item C:\\")
    except payload.PayloadError as error:
        assert "not an ansible-core PowerShell module payload" in str(error)
    else:
        raise AssertionError("a raw command is not a module payload")
