# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one rdp.windows.host_info query built from the controls of a run."""

from __future__ import annotations

from ansible_collections.rdp.windows.plugins.plugin_utils._compliance import catalogue
from ansible_collections.rdp.windows.plugins.plugin_utils._compliance.desired_state import from_vars
from ansible_collections.rdp.windows.plugins.plugin_utils._compliance.host_query import build_query
from ansible_collections.rdp.windows.plugins.plugin_utils._simulator import module_spec

HARDENED = from_vars({"rdp_profile": "hardened", "rdp_users": ["LAB\\alice", "S-1-5-32-545"], "rdp_port": 3390})


def test_every_registry_location_of_every_control_is_read_once():
    query = build_query(catalogue.CONTROLS, HARDENED)
    wanted = {(loc.path, loc.name) for c in catalogue.CONTROLS if c.reads.kind == "registry"
              for loc in c.reads.locations()}
    asked = [(entry["path"], entry["name"]) for entry in query["registry"]]
    assert len(asked) == len(set(asked))
    assert set(asked) == wanted
    assert (r"HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services", "fDenyTSConnections") in asked
    assert (r"HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server", "fDenyTSConnections") in asked


def test_services_rules_groups_rights_accounts_and_port():
    query = build_query(catalogue.CONTROLS, HARDENED)
    assert query["services"] == ["TermService", "UmRdpService", "SessionEnv"]
    assert query["firewall_group"] == "@FirewallAPI.dll,-28752"
    assert query["firewall_rules"] == ["RemoteDesktop-UserMode-In-TCP", "RemoteDesktop-UserMode-In-UDP"]
    assert query["groups"] == ["S-1-5-32-555"]
    assert query["user_rights"] == ["SeRemoteInteractiveLogonRight", "SeDenyRemoteInteractiveLogonRight",
                                    "SeNetworkLogonRight", "SeDenyNetworkLogonRight"]
    assert query["accounts"] == ["LAB\\alice", "S-1-5-32-545"]
    assert query["port"] == 3390
    assert query["include_events"] is False and "access_log_hours" not in query


def test_remote_desktop_users_is_always_read_and_optional_parts_on_request():
    only_registry = [catalogue.BY_ID["listener.nla"]]
    query = build_query(only_registry, from_vars({}), include_events=True, access_log_hours=24)
    assert query["groups"] == ["S-1-5-32-555"]
    assert query["services"] == [] and query["firewall_rules"] == [] and query["user_rights"] == []
    assert len(query["registry"]) == 2
    assert query["include_events"] is True and query["access_log_hours"] == 24


def test_a_baseline_query_does_not_read_hardened_only_values():
    names = {entry["name"] for entry in build_query(catalogue.controls_for("baseline"), from_vars({}))["registry"]}
    assert "MaxIdleTime" not in names and "AllowEncryptionOracle" not in names
    assert "fDenyTSConnections" in names


def test_the_query_is_valid_for_the_documented_host_info_options():
    query = build_query(catalogue.CONTROLS, HARDENED, include_events=True, access_log_hours=1)
    assert module_spec.validate("rdp.windows.host_info", query)["port"] == 3390
