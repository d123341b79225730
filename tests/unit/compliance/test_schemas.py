# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""docs/host_info.schema.json and docs/report.schema.json describe what the code really produces."""

from __future__ import annotations

import copy
import glob
import json
import os
import re

import jsonschema
import pytest

from ansible_collections.rdp.windows.plugins.plugin_utils._compliance import catalogue, evaluate
from ansible_collections.rdp.windows.plugins.plugin_utils._reports import fleet_report
from ansible_collections.rdp.windows.plugins.plugin_utils._compliance.desired_state import from_vars
from ansible_collections.rdp.windows.plugins.plugin_utils._compliance.host_query import build_query
from ansible_collections.rdp.windows.plugins.plugin_utils._simulator import twins
from ansible_collections.rdp.windows.plugins.plugin_utils._simulator.windows_host import WindowsHost
from tests.helpers import REPO
from tests.unit.host_facts import ALICE, TS, HostFacts


def load_schema(name):
    with open(os.path.join(REPO, "docs", name), encoding="utf-8") as handle:
        schema = json.load(handle)
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


HOST_INFO = load_schema("host_info.schema.json")
REPORT = load_schema("report.schema.json")
LAB_STATES = sorted(glob.glob(os.path.join(REPO, "lab", "hosts", "*.json")))


def errors(schema, instance, definition=None):
    if definition:
        schema = {"$defs": schema["$defs"], "$ref": f"#/$defs/{definition}"}
    validator = jsonschema.Draft202012Validator(schema)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(instance)]


# --- host_info ------------------------------------------------------------------------------------------------

def test_the_unit_test_facts_follow_the_schema():
    assert not errors(HOST_INFO, HostFacts().result())
    assert not errors(HOST_INFO, HostFacts(3390).result())


@pytest.mark.parametrize("path", LAB_STATES, ids=os.path.basename)
def test_the_twin_answer_for_each_lab_host_follows_the_schema(path):
    host = WindowsHost.load(path)
    query = build_query(catalogue.CONTROLS, from_vars({"rdp_profile": "hardened", "rdp_users": [ALICE, "LAB\\ghost"]}),
                        include_events=True, access_log_hours=24)
    result = twins.run(host, "rdp.windows.host_info", query)
    assert result["access_log"] is not None
    assert not result.get("failed"), result
    assert not errors(HOST_INFO, result)


@pytest.mark.parametrize("path", LAB_STATES, ids=os.path.basename)
def test_the_shared_sections_of_each_lab_state_follow_the_schema(path):
    with open(path, encoding="utf-8") as handle:
        state = json.load(handle)
    assert state["schema_version"] == 1
    problems = errors(HOST_INFO, state["os"], "os")
    for service in state["services"].values():
        problems += errors(HOST_INFO, service, "service")
    for rule in state["firewall"]["rules"] + state["firewall"]["policy_rules"]:
        problems += errors(HOST_INFO, rule, "firewall_rule")
    for profile in state["firewall"]["profiles"]:
        problems += errors(HOST_INFO, profile, "firewall_profile")
    for policy in state["qos_policies"]:
        problems += errors(HOST_INFO, policy, "qos_policy")
    problems += errors(HOST_INFO, state["listener"]["certificate"], "certificate")
    assert not problems


def test_a_failed_section_is_null_and_listed_in_errors():
    result = HostFacts().result()
    result.update(user_rights=None, qos_policies=None, os=None, listeners=[None],
                  errors=[{"section": "user_rights", "message": "secedit failed"}])
    result["services"]["TermService"] = None
    assert not errors(HOST_INFO, result)


BROKEN = [
    ("registry missing", lambda r: r.pop("registry")),
    ("schema version 2", lambda r: r.update(schema_version=2)),
    ("DWORD as a string", lambda r: r["registry"][1].update(value="0")),
    ("DWORD out of range", lambda r: r["registry"][1].update(value=-1)),
    ("absent value with data", lambda r: r["registry"][0].update(value=1)),
    ("unknown registry type", lambda r: r["registry"][1].update(type="DWORD")),
    ("service state as Windows prints it", lambda r: r["services"]["TermService"].update(state="Running")),
    ("service without its state", lambda r: r["services"]["TermService"].pop("state")),
    ("rule without policy source", lambda r: r["firewall"]["rules"][0].pop("policy_source")),
    ("rule action", lambda r: r["firewall"]["rules"][0].update(action="Permit")),
    ("member without SID", lambda r: r["groups"]["S-1-5-32-555"]["members"].append({"name": "x"})),
    ("group keyed by name", lambda r: r["groups"].update({"Remote Desktop Users": r["groups"]["S-1-5-32-555"]})),
    ("DSCP 64", lambda r: r["qos_policies"][0].update(dscp=64)),
    ("listener on UDP", lambda r: r["listeners"][0].update(protocol="UDP")),
    ("port 70000", lambda r: r["listener"].update(configured_port=70000)),
]


@pytest.mark.parametrize("name, breaks", BROKEN, ids=[name for name, _b in BROKEN])
def test_the_schema_rejects_a_wrong_shape(name, breaks):
    result = HostFacts().result()
    result["registry"].sort(key=lambda e: e["exists"])  # [0] absent, [1] a DWORD that exists
    breaks(result)
    assert errors(HOST_INFO, result), name


def _ps1_keys(text):
    """Keys the module writes: $module.Result.<key> and the keys of its hashtable literals (not $spec)."""
    body = text[text.index("$module = [Ansible.Basic.AnsibleModule]"):]
    top = set(re.findall(r"\$module\.Result\.(\w+)\s*=", body))
    inner = set(re.findall(r"(?:^|(?<=[\s;{]))([a-z][a-z_]*)\s*=\s", body, re.M))
    return top, inner


def _schema_properties(node, found=None):
    found = set() if found is None else found
    if isinstance(node, dict):
        found.update((node.get("properties") or {}).keys())
        for value in node.values():
            _schema_properties(value, found)
    elif isinstance(node, list):
        for value in node:
            _schema_properties(value, found)
    return found


def test_host_info_ps1_writes_the_documented_sections_and_fields():
    with open(os.path.join(REPO, "plugins", "modules", "host_info.ps1"), encoding="utf-8") as handle:
        top, inner = _ps1_keys(handle.read())
    assert set(HOST_INFO["required"]) <= top
    assert top <= set(HOST_INFO["properties"])
    internal = {"readable"}  # Get-PrivateKeyAccess's answer, returned as private_key_readable
    undocumented = inner - _schema_properties(HOST_INFO) - internal
    assert not undocumented


# --- report ---------------------------------------------------------------------------------------------------

def audited(facts, **variables):
    values = {"rdp_users": [ALICE]}
    values.update(variables)
    return evaluate.evaluate(catalogue.desired_for_catalogue(values), facts.result())


def sample_report():
    results = {"good": audited(HostFacts(), rdp_profile="hardened"),
               "bad": audited(HostFacts().set(TS, "fDenyTSConnections", 1).edit(
                   lambda data: data.update(services=None))),
               "down": {"status": "unreachable", "message": "WinRM refused", "controls": []},
               "odd": {"status": "weird"}}
    return fleet_report.build(["good", "bad", "down", "odd", "never"], results)


def test_a_fleet_report_follows_the_schema():
    report = sample_report()
    assert not errors(REPORT, report)
    statuses = {c["status"] for c in report["hosts"]["bad"]["controls"]}
    assert statuses == {"pass", "fail", "error", "not_applicable"}


REPORT_BROKEN = [
    ("summary without error count", lambda r: r["summary"].pop("error")),
    ("unknown host status", lambda r: r["hosts"]["good"].update(status="ok")),
    ("unknown control status", lambda r: r["hosts"]["good"]["controls"][0].update(status="passed")),
    ("unknown source", lambda r: r["hosts"]["good"]["controls"][0].update(source="gpo")),
    ("failing control without remediation",
     lambda r: next(c for c in r["hosts"]["bad"]["controls"] if c["status"] == "fail").update(remediation="")),
    ("error without reason",
     lambda r: next(c for c in r["hosts"]["bad"]["controls"] if c["status"] == "error").update(reason=None)),
    ("unreachable host with controls", lambda r: r["hosts"]["down"].update(controls=r["hosts"]["good"]["controls"])),
    ("control without id", lambda r: r["hosts"]["good"]["controls"][0].pop("id")),
    ("control id with a space", lambda r: r["hosts"]["good"]["controls"][0].update(id="listener nla")),
]


@pytest.mark.parametrize("name, breaks", REPORT_BROKEN, ids=[name for name, _b in REPORT_BROKEN])
def test_the_report_schema_rejects_a_wrong_report(name, breaks):
    report = copy.deepcopy(sample_report())
    breaks(report)
    assert errors(REPORT, report), name


def test_the_report_schema_is_open_to_added_properties():
    report = sample_report()
    report["formats"] = ["junit"]
    report["summary"]["waived"] = 1
    report["hosts"]["good"]["waivers"] = [{"control": "listener.nla", "expires": "2027-01-01"}]
    report["hosts"]["good"]["controls"][0]["waiver"] = {"reason": "legacy client", "owner": "ops"}
    assert not errors(REPORT, report)


def test_the_report_schema_enumerations_are_the_code_s():
    control = REPORT["$defs"]["control"]["properties"]
    assert control["area"]["enum"] == list(catalogue.AREAS)
    assert control["cause"]["enum"][:-1] == list(catalogue.CAUSES)
    assert REPORT["$defs"]["control_status"]["enum"] == list(evaluate.STATUSES)
    assert REPORT["$defs"]["host"]["properties"]["status"]["enum"] == list(fleet_report.HOST_STATUSES)
    assert set(REPORT["properties"]["summary"]["required"]) == {"hosts"} | set(fleet_report.HOST_STATUSES)
    assert set(REPORT["$defs"]["control"]["required"]) <= set(fleet_report.CONTROL_FIELDS)
