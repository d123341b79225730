# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Validation of the rdp_* variables: every class of bad input is refused with a message naming the variable."""

from __future__ import annotations

import pytest

from ansible_collections.rdp.windows.plugins.plugin_utils._compliance import catalogue, desired_state
from ansible_collections.rdp.windows.plugins.plugin_utils._action.action_args import (
    DESIRED_OPTIONS, NULLABLE_OPTIONS, desired_variables, unknown_options)
from ansible_collections.rdp.windows.plugins.plugin_utils._compliance.desired_state import DEFAULTS, InvalidInput, from_vars


def test_defaults_are_the_documented_ones():
    desired = from_vars({})
    assert desired == desired_state.DesiredState()
    assert (desired.profile, desired.port, desired.nla_required, desired.allowed_sources, desired.udp_enabled) == (
        "baseline", 3389, True, ("any",), True)
    assert desired.users == () and desired.users_exclusive is False and desired.qos_dscp == 46
    assert desired.max_outstanding_connections is None and desired.fail_on_drift is False
    assert desired.sources_any


def test_role_defaults_match_the_validator_defaults():
    import yaml  # pylint: disable=import-outside-toplevel
    from tests.helpers import REPO  # pylint: disable=import-outside-toplevel
    with open(f"{REPO}/roles/audit/defaults/main.yml", encoding="utf-8") as handle:
        role_defaults = yaml.safe_load(handle)
    with open(f"{REPO}/roles/audit/meta/argument_specs.yml", encoding="utf-8") as handle:
        spec = yaml.safe_load(handle)["argument_specs"]["main"]["options"]
    for name, value in DEFAULTS.items():
        if name in ("rdp_restart_service", "rdp_write_policy_keys"):
            continue  # remediation only
        assert role_defaults[name] == value, name
        if name[len("rdp_"):] in NULLABLE_OPTIONS:
            # Null means "do not manage": Ansible rejects null for an option whose spec has a non-null default,
            # so the spec has none and its description states the default.
            assert spec[name].get("default") is None, name
            assert value is None or f"default {value}" in spec[name]["description"], name
        else:
            assert spec[name].get("default") == value, name


INVALID = [
    ({"rdp_profile": "strict"}, "rdp_profile must be one of baseline, hardened, got 'strict'"),
    ({"rdp_port": 0}, "rdp_port must be an integer from 1 to 65535, got 0"),
    ({"rdp_port": 65536}, "rdp_port must be an integer from 1 to 65535"),
    ({"rdp_port": "rdp"}, "rdp_port must be an integer"),
    ({"rdp_port": True}, "rdp_port must be an integer"),
    ({"rdp_port": 3389.5}, "rdp_port must be an integer"),
    ({"rdp_nla_required": "maybe"}, "rdp_nla_required must be a boolean (true or false), got 'maybe'"),
    ({"rdp_udp_enabled": 2}, "rdp_udp_enabled must be a boolean"),
    ({"rdp_users_exclusive": None}, "rdp_users_exclusive must be a boolean"),
    ({"rdp_fail_on_drift": "sometimes"}, "rdp_fail_on_drift must be a boolean"),
    ({"rdp_restart_service": []}, "rdp_restart_service must be a boolean"),
    ({"rdp_write_policy_keys": "x"}, "rdp_write_policy_keys must be a boolean"),
    ({"rdp_allowed_sources": "10.0.0.0/8"}, "rdp_allowed_sources must be a list, got the string '10.0.0.0/8'"),
    ({"rdp_allowed_sources": {"a": 1}}, "rdp_allowed_sources must be a list"),
    ({"rdp_allowed_sources": []}, "rdp_allowed_sources must not be empty"),
    ({"rdp_allowed_sources": ["10.0.0.300"]}, "rdp_allowed_sources: '10.0.0.300' is not an IP address"),
    ({"rdp_allowed_sources": ["any", "10.0.0.1"]}, "rdp_allowed_sources: 'any' cannot be combined"),
    ({"rdp_allowed_sources": ["10.0.0.9-10.0.0.1"]}, "start is after its end"),
    ({"rdp_allowed_sources": ["10.0.0.1-::1"]}, "mixes IPv4 and IPv6"),
    ({"rdp_allowed_sources": ["10.0.0.0/8x"]}, "rdp_allowed_sources: '10.0.0.0/8x'"),
    ({"rdp_allowed_sources": [""]}, "rdp_allowed_sources: '' is not an address"),
    ({"rdp_allowed_sources": [42]}, "rdp_allowed_sources: 42 is not an address"),
    ({"rdp_users": "LAB\\alice"}, "rdp_users must be a list, got the string"),
    ({"rdp_users": ["LAB\\al*ice"]}, "rdp_users: 'LAB\\\\al*ice' contains characters Windows does not allow"),
    ({"rdp_users": ["LAB\\x\\y"]}, "must be DOMAIN\\name with a single backslash"),
    ({"rdp_users": ["\\alice"]}, "must be DOMAIN\\name with a single backslash"),
    ({"rdp_users": ["alice@"]}, "is not a valid user@domain name"),
    ({"rdp_users": ["S-1-5-X"]}, "'S-1-5-X' is not a well-formed SID"),
    ({"rdp_users": ["..."]}, "is not a valid account name"),
    ({"rdp_users": [None]}, "rdp_users: None is not an account name"),
    ({"rdp_users_exclusive": True}, "rdp_users_exclusive is true but rdp_users is empty"),
    ({"rdp_qos_dscp": 64}, "rdp_qos_dscp must be an integer from 0 to 63 or null, got 64"),
    ({"rdp_qos_dscp": -1}, "rdp_qos_dscp must be an integer from 0 to 63 or null"),
    ({"rdp_max_outstanding_connections": 0}, "rdp_max_outstanding_connections must be an integer from 1"),
    ({"rdp_keep_alive_interval": 0}, "rdp_keep_alive_interval must be an integer from 1 to 999999 or null"),
    ({"rdp_idle_session_limit_ms": 1000}, "rdp_idle_session_limit_ms must be an integer from 60000 to 900000"),
    ({"rdp_idle_session_limit_ms": None}, "rdp_idle_session_limit_ms must be an integer"),
    ({"rdp_disconnected_session_limit_ms": 432000001}, "rdp_disconnected_session_limit_ms must be an integer"),
    ({"rdp_controls_skip": "listener.nla"}, "rdp_controls_skip must be a list"),
]


@pytest.mark.parametrize("variables, message", INVALID, ids=[str(v) for v, _m in INVALID])
def test_invalid_input_names_the_variable(variables, message):
    with pytest.raises(InvalidInput) as error:
        from_vars(variables)
    assert message in str(error.value)
    assert all(problem.startswith(tuple(variables)) for problem in error.value.problems)


def test_every_problem_is_reported_at_once():
    with pytest.raises(InvalidInput) as error:
        from_vars({"rdp_port": 0, "rdp_profile": "x", "rdp_qos_dscp": 99, "rdp_users": ["a*"]})
    assert len(error.value.problems) == 4
    assert [p.split(" ")[0].rstrip(":") for p in error.value.problems] == [
        "rdp_profile", "rdp_port", "rdp_qos_dscp", "rdp_users"]


def test_unknown_control_ids_in_rdp_controls_skip_are_refused():
    with pytest.raises(InvalidInput, match="rdp_controls_skip names unknown controls: listener.nope"):
        catalogue.desired_for_catalogue({"rdp_controls_skip": ["listener.nla", "listener.nope"]})
    assert catalogue.desired_for_catalogue({"rdp_controls_skip": ["listener.nla"]}).controls_skip == ("listener.nla",)


def test_hardened_profile_requires_nla():
    with pytest.raises(InvalidInput, match="rdp_nla_required cannot be false with rdp_profile hardened"):
        catalogue.desired_for_catalogue({"rdp_profile": "hardened", "rdp_nla_required": False})
    assert not catalogue.desired_for_catalogue({"rdp_nla_required": False}).nla_required


VALID = [
    ({"rdp_port": "3390"}, "port", 3390),
    ({"rdp_port": 65535}, "port", 65535),
    ({"rdp_nla_required": "no"}, "nla_required", False),
    ({"rdp_udp_enabled": "yes"}, "udp_enabled", True),
    ({"rdp_fail_on_drift": "true"}, "fail_on_drift", True),
    ({"rdp_qos_dscp": None}, "qos_dscp", None),
    ({"rdp_qos_dscp": 0}, "qos_dscp", 0),
    ({"rdp_keep_alive_interval": None}, "keep_alive_interval", None),
    ({"rdp_max_outstanding_connections": 0xFFFFFFFF}, "max_outstanding_connections", 0xFFFFFFFF),
    ({"rdp_allowed_sources": [" 10.0.0.0/8 ", "LocalSubnet", "fe80::/64", "10.1.1.1-10.1.1.9"]}, "allowed_sources",
     ("10.0.0.0/8", "LocalSubnet", "fe80::/64", "10.1.1.1-10.1.1.9")),
    ({"rdp_allowed_sources": ["ANY"]}, "sources_any", True),
    ({"rdp_users": ["LAB\\alice", "bob@lab.example", "S-1-5-32-545", " carol "]}, "users",
     ("LAB\\alice", "bob@lab.example", "S-1-5-32-545", "carol")),
    ({"rdp_users": ["LAB\\alice"], "rdp_users_exclusive": True}, "users_exclusive", True),
    ({"unrelated": "ignored", "ansible_host": "x"}, "profile", "baseline"),
]


@pytest.mark.parametrize("variables, attribute, value", VALID, ids=[str(v) for v, _a, _x in VALID])
def test_valid_input_is_accepted_and_converted(variables, attribute, value):
    assert getattr(from_vars(variables), attribute) == value


def test_action_options_map_to_their_variables():
    assert len(DESIRED_OPTIONS) == len(DEFAULTS)
    args = {"port": 3390, "profile": None, "qos_dscp": None, "users": ["LAB\\alice"], "facts": {}}
    assert desired_variables(args) == {"rdp_port": 3390, "rdp_qos_dscp": None, "rdp_users": ["LAB\\alice"]}
    assert set(NULLABLE_OPTIONS) <= set(DESIRED_OPTIONS)
    assert unknown_options({"port": 1, "prot": 2, "_ansible_check_mode": True, "facts": {}}, ("facts",)) == ["prot"]
