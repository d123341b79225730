# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Contract tables (tests/collection/contracts/<module>.yml): every row holds for the module's twin, and names a function
that exists in the module's PowerShell. Tables are found when the tests run; every PowerShell module needs one."""

import copy
import glob
import os

import pytest
import yaml

from ansible_collections.rdp.windows.plugins.plugin_utils._simulator import module_spec, twins
from ansible_collections.rdp.windows.plugins.plugin_utils._simulator.fresh_install import fresh_install
from ansible_collections.rdp.windows.plugins.plugin_utils._simulator.windows_host import WindowsHost
from tests.collection.static import pwsh_ast, spec_doc
from tests.collection.static.pwsh_check import Script

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
TABLE_PATHS = sorted(glob.glob(os.path.join(HERE, "*.yml")))
RULE_DEFAULTS = {"display_name": None, "display_group": None, "program": None, "service": None, "enabled": True,
                 "action": "Allow", "direction": "Inbound", "profiles": ["Any"], "remote_addresses": ["Any"]}


def load(path):
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


TABLES = {os.path.basename(path): load(path) for path in TABLE_PATHS}
ROWS = [(name, row) for name, table in TABLES.items() for row in table["rows"]]


# --- host state and matching ---------------------------------------------------------------------------------------
def merge(target, changes):
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            merge(target[key], value)
        else:
            target[key] = copy.deepcopy(value)


def build_host(changes):
    state = fresh_install("contract-host", "2022", domain="LAB")
    changes = copy.deepcopy(changes or {})
    for rule in changes.pop("add_firewall_rules", []):
        state["firewall"]["rules"].append(dict(RULE_DEFAULTS, **rule))
    for rule in changes.pop("add_policy_firewall_rules", []):
        state["firewall"]["policy_rules"].append(dict(RULE_DEFAULTS, **rule))
    for name in changes.pop("remove_services", []):
        del state["services"][name]
    for name, fields in changes.pop("update_firewall_rules", {}).items():
        next(rule for rule in state["firewall"]["rules"] if rule["name"] == name).update(fields)
    merge(state, changes)
    return WindowsHost(state)


def mismatches(expected, actual, where="result"):
    """Why ``actual`` does not match ``expected`` (a subset match), as readable lines; empty when it matches."""
    if isinstance(expected, dict) and expected and set(expected) <= {"contains", "excludes"}:
        if not isinstance(actual, list):
            return [f"{where}: expected a list, got {actual!r}"]
        return [f"{where}: no element matches {item!r}" for item in expected.get("contains", ())
                if not any(not mismatches(item, each) for each in actual)] + \
            [f"{where}: an element matches {item!r}, which must not be there" for item in expected.get("excludes", ())
             if any(not mismatches(item, each) for each in actual)]
    if isinstance(expected, dict) and set(expected) == {"matches"}:
        return [] if isinstance(actual, str) and expected["matches"] in actual else \
            [f"{where}: {actual!r} does not contain {expected['matches']!r}"]
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{where}: expected a dict, got {actual!r}"]
        problems = []
        for key, value in expected.items():
            if key not in actual:
                problems.append(f"{where}.{key}: missing")
            else:
                problems += mismatches(value, actual[key], f"{where}.{key}")
        return problems
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [f"{where}: expected {len(expected)} elements, got {actual!r}"]
        return [problem for index, (e, a) in enumerate(zip(expected, actual))
                for problem in mismatches(e, a, f"{where}[{index}]")]
    return [] if expected == actual else [f"{where}: expected {expected!r}, got {actual!r}"]


def run_row(table, row):
    host = build_host(row.get("host"))
    before = copy.deepcopy(host.state)
    args = dict(copy.deepcopy(row.get("args") or {}), _ansible_check_mode=bool(row.get("check_mode")),
                _ansible_diff=bool(row.get("diff")), _ansible_module_name=table["module"])
    return twins.run(host, table["module"], args), host, before


# --- the tests -----------------------------------------------------------------------------------------------------
def test_every_powershell_module_has_a_contract_table():
    modules = sorted(glob.glob(os.path.join(REPO, "plugins", "modules", "*.ps1")))
    assert modules
    missing = [os.path.relpath(path, REPO) for path in modules
               if os.path.splitext(os.path.basename(path))[0] + ".yml" not in TABLES]
    assert not missing, f"no contract table in tests/collection/contracts/ for {missing}"


def script_level_text(script):
    """The source of the statements outside any function (the module's main flow)."""
    body = next((node for node in script.root.named_children if node.type == "statement_list"), None)
    statements = body.named_children if body is not None else []
    return "\n".join(pwsh_ast.text(node) for node in statements if node.type != "function_statement")


def unimplemented_rows(table, script):
    """Rows whose implemented_by names no function of the PowerShell (read with tree-sitter), no literal $spec,
    or, for {script: text}, no statement of the main flow containing that text."""
    functions = {function.name.lower() for function in pwsh_ast.functions(script.root).values()}
    spec, _unused = spec_doc.module_spec(script)
    main_flow = script_level_text(script)
    missing = []
    for row in table["rows"]:
        named = row["implemented_by"]
        if isinstance(named, dict):
            found = named.get("script", "\0") in main_flow
        elif named == "$spec":
            found = spec is not None
        else:
            found = named.lower() in functions
        if not found:
            missing.append(f"{row['id']}: {table['powershell']} has no {named}")
    return missing


@pytest.mark.parametrize("name", sorted(TABLES))
def test_table_rows_name_functions_of_the_powershell(name):
    table = TABLES[name]
    script = Script.from_file(os.path.join(REPO, table["powershell"]))
    ids = [row["id"] for row in table["rows"]]
    assert len(ids) == len(set(ids)), "row ids must be unique"
    assert unimplemented_rows(table, script) == []
    for row in table["rows"]:
        assert row.get("does"), f"{row['id']}: say what the module does"


@pytest.mark.parametrize("name,row", ROWS, ids=[f"{name[:-4]}:{row['id']}" for name, row in ROWS])
def test_twin_satisfies_the_contract_row(name, row):
    table = TABLES[name]
    result, host, before = run_row(table, row)
    if "expect_failed" in row:
        assert result.get("failed"), result
        assert row["expect_failed"] in result["msg"], result["msg"]
        problems = []
    else:
        assert not result.get("failed"), result.get("msg")
        problems = mismatches(row.get("expect") or {}, result)
    if row.get("expect_host"):
        problems += mismatches(row["expect_host"], host.state, "host")
    if row.get("expect_host_unchanged"):
        after = copy.deepcopy(host.state)
        if after != before:
            problems.append("the host changed")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", sorted(TABLES))
def test_twin_returns_only_documented_keys(name):
    table = TABLES[name]
    documented = set(module_spec.documentation_of(table["module"]) and _returns(table["module"]))
    for row in table["rows"]:
        result, _unused, _unused = run_row(table, row)
        if result.get("failed"):
            continue
        extra = set(result) - documented - {"changed", "diff", "warnings", "msg"}
        assert not extra, f"{row['id']}: the twin returns undocumented keys {sorted(extra)}"


def _returns(fqcn):
    name = fqcn.rsplit(".", 1)[-1]
    return set(load(os.path.join(REPO, "plugins", "modules", f"{name}.yml")).get("RETURN") or {})


def test_matching_rules_are_strict():
    assert mismatches({"a": [1, 2]}, {"a": [1, 2], "b": 3}) == []
    assert mismatches({"a": [1]}, {"a": [1, 2]})
    assert mismatches({"a": {"contains": [{"x": 1}]}}, {"a": [{"x": 2}]})
    assert mismatches({"a": {"excludes": [{"x": 1}]}}, {"a": [{"x": 1, "y": 2}]})
    assert mismatches({"a": None}, {"a": 0})
    assert mismatches({"a": {"matches": "denied"}}, {"a": "allowed"})


def test_a_row_the_twin_does_not_satisfy_is_caught():
    table = TABLES["host_info.yml"]
    row = copy.deepcopy(next(r for r in table["rows"] if r["id"] == "firewall-port-range"))
    row["expect"]["firewall"]["rules"]["contains"][0]["action"] = "Allow"
    result, _unused, _unused = run_row(table, row)
    assert mismatches(row["expect"], result) == [
        "result.firewall.rules: no element matches {'name': 'Corp-Range-Block', 'action': 'Allow'}"]


def test_a_row_naming_a_missing_function_is_caught(tmp_path):
    source = open(os.path.join(REPO, "plugins", "modules", "host_info.ps1"), encoding="utf-8").read()
    broken = source.replace("Function Test-PortInFilter {", "Function Test-PortInRange {")
    script = Script(str(tmp_path / "host_info.ps1"), broken.encode(), relpath="plugins/modules/host_info.ps1")
    assert unimplemented_rows(TABLES["host_info.yml"], script) == [
        "firewall-port-range: plugins/modules/host_info.ps1 has no Test-PortInFilter",
        "firewall-any-port-not-returned: plugins/modules/host_info.ps1 has no Test-PortInFilter"]
