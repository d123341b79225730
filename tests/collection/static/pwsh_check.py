#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Static checks of the collection's PowerShell, without a PowerShell runtime.

Every ``.ps1``/``.psm1`` file: parses with tree-sitter-pwsh; calls only allowed commands (cmdlets of
cmdlet_allowlist.json, functions it defines or imports, allowed executables), with full names, parameters that
exist on the cmdlet and share a parameter set, no positional arguments, no Invoke-Expression, only allowed .NET
types, no localized names, no variables shadowed by dynamic scope, no ``.Count`` on what may be a scalar, no
``-contains`` on firewall port filters. Every module (plugins/modules/*.ps1) also: follows the Ansible.Basic
skeleton, sets strict mode, has a literal ``$spec`` that matches its documentation, guards every write with
check mode, and reports ``changed`` and ``diff`` (see check_mode.py and spec_doc.py).

Usage: python -m tests.collection.static.pwsh_check [FILE...]          findings (all files of the collection by default)
       python -m tests.collection.static.pwsh_check --usage [FILE...]  each cmdlet call with its parameter set and source
"""

from __future__ import annotations

import dataclasses
import fnmatch
import functools
import json
import os
import re
import sys

import yaml

if __package__ in (None, ""):
    sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..")))
    __package__ = "tests.collection.static"  # pylint: disable=redefined-builtin

from . import pwsh_ast as ast  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))

COMMON_PARAMETERS = ["Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ErrorVariable",
                     "WarningVariable", "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable"]
COMMON_ALIASES = {"vb": "Verbose", "db": "Debug", "ea": "ErrorAction", "wa": "WarningAction",
                  "infa": "InformationAction", "ev": "ErrorVariable", "wv": "WarningVariable",
                  "iv": "InformationVariable", "ov": "OutVariable", "ob": "OutBuffer", "pv": "PipelineVariable"}
SWITCH_COMMON = {"verbose", "debug", "whatif", "confirm"}
AUTOMATIC_VARIABLES = {"_", "psitem", "true", "false", "null", "args", "input", "this", "error", "matches",
                       "lastexitcode", "psscriptroot", "pscmdlet", "psboundparameters", "executioncontext",
                       "erroractionpreference", "module", "host", "home", "pid", "pwd", "myinvocation"}


@dataclasses.dataclass(frozen=True)
class Finding:
    rule: str
    path: str
    line: int
    message: str

    def __str__(self):
        return f"{self.path}:{self.line}: [{self.rule}] {self.message}"


@dataclasses.dataclass(frozen=True)
class Usage:
    """One cmdlet call: the parameters it names and the parameter sets that take them all."""
    path: str
    line: int
    cmdlet: str
    parameters: tuple
    parameter_sets: tuple
    source: str


class Tables:
    """The allow-tables: cmdlet_allowlist.json (generated) and allowed_commands.yml (reviewed by hand)."""

    def __init__(self, allowlist: dict, policy: dict):
        self.cmdlets = {name.lower(): dict(entry, name=name) for name, entry in allowlist["cmdlets"].items()}
        self.command_aliases = allowlist["command_aliases"]
        self.accelerators = {key.lower(): value for key, value in policy["accelerators"].items()}
        self.types = {name.lower() for name in policy["types"]}
        self.write_verbs = {verb.lower() for verb in policy["write_verbs"]}
        self.writes = {name.lower() for name in policy["writes"]}
        self.not_writes = {name.lower() for name in policy["not_writes"]}
        self.write_methods = {name.lower() for name in policy["write_methods"]}
        self.invoke_writes = {name.lower() for name in policy["invoke_writes"]}
        self.executables = {name.lower(): entry for name, entry in policy["executables"].items()}
        self.localized_names = {name.lower() for name in policy["localized_names"]}
        self.localized_fragments = [name.lower() for name in policy["localized_fragments"]]
        self.localized_parameters = policy["localized_parameters"]
        self.localized_exceptions = {name.lower(): {p.lower() for p in params}
                                     for name, params in policy.get("localized_parameter_exceptions", {}).items()}

    @classmethod
    @functools.lru_cache(maxsize=1)
    def load(cls):
        with open(os.path.join(HERE, "cmdlet_allowlist.json"), encoding="utf-8") as handle:
            allowlist = json.load(handle)
        with open(os.path.join(HERE, "allowed_commands.yml"), encoding="utf-8") as handle:
            policy = yaml.safe_load(handle)
        return cls(allowlist, policy)

    def is_write_cmdlet(self, name):
        lower = name.lower()
        if lower in self.not_writes:
            return False
        return lower in self.writes or lower.split("-", 1)[0] in self.write_verbs

    def resolve_type(self, name):
        lower = re.sub(r"`\d+$", "", name.strip().lower())
        return self.accelerators.get(lower, name).lower()


class Script:
    """One parsed PowerShell file and what the checks read from it."""

    def __init__(self, path, source: bytes, relpath=None):
        self.path = path
        self.relpath = relpath or os.path.relpath(path, REPO)
        self.source = source
        self.tree = ast.parse(source)
        self.root = self.tree.root_node
        self.functions = ast.functions(self.root)
        self.imported = imported_functions(source, path)
        self.commands = ast.commands(self.root)

    @classmethod
    def from_file(cls, path):
        with open(path, "rb") as handle:
            return cls(path, handle.read())

    @property
    def is_module(self):
        parts = os.path.normpath(self.relpath).split(os.sep)
        return self.path.endswith(".ps1") and len(parts) >= 2 and parts[-2] == "modules"

    def finding(self, rule, node_or_line, message):
        line = node_or_line if isinstance(node_or_line, int) else ast.line(node_or_line)
        return Finding(rule, self.relpath, line, message)

    def local_function(self, name):
        return self.functions.get(name.lower()) or self.imported.get(name.lower())


def imported_functions(source: bytes, path):
    """Functions of the collection's own module_utils imported with #AnsibleRequires -PowerShell."""
    found = {}
    utils = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(path))), "module_utils")
    for match in re.finditer(rb"^#AnsibleRequires\s+-PowerShell\s+(\S+)", source, re.M | re.I):
        name = match.group(1).decode().rsplit(".", 1)[-1]
        util = os.path.join(utils, f"{name}.psm1")
        if os.path.isfile(util):
            with open(util, "rb") as handle:
                found.update(ast.functions(ast.parse(handle.read()).root_node))
    return found


# --- command binding ----------------------------------------------------------------------------------------------
@dataclasses.dataclass
class Binding:
    named: list  # (canonical parameter name, element)
    findings: list
    sets: tuple = ()


def splat_keys(script, command, variable):
    """Keys of a splatted hashtable built from literals in the same function (or script level)."""
    scope = ast.enclosing_function(command.node) or script.root
    keys, problems = [], []
    assigned = [(left, value) for left, value in ast.assignments(scope, variable)
                if ast.enclosing_function(left) == ast.enclosing_function(command.node)]
    if not assigned:
        return None, [f"@{variable} is not built in this scope"]
    for _unused, value in assigned:
        literal = ast.unwrap(value)
        if literal.type != "hash_literal_expression":
            problems.append(f"${variable} = {ast.text(value)[:40]} is not a hashtable literal")
            continue
        keys.extend(str(key) for key in ast.hash_value(literal))
    wanted = "$" + variable.lower()
    for node in ast.descendants(scope, "assignment_expression"):
        target = ast.unwrap(node.children[0])
        if target.type == "member_access" and ast.text(target.named_children[0]).lower() == wanted:
            keys.append(ast.text(target.named_children[-1]))
        elif target.type == "element_access" and ast.text(target.named_children[0]).lower() == wanted:
            try:
                keys.append(str(ast.literal_value(target.named_children[1])))
            except ast.NotLiteral:
                problems.append(f"${variable}[{ast.text(target.named_children[1])}] has a computed key")
    for node in ast.descendants(scope, "invocation_expression"):
        named = node.named_children
        if named and ast.text(named[0]).lower() == wanted and len(named) > 1 and ast.text(named[1]).lower() == "add":
            arguments = ast.descendants(node, "argument_expression")
            try:
                keys.append(str(ast.literal_value(arguments[0])))
            except (ast.NotLiteral, IndexError):
                problems.append(f"${variable}.Add() has a computed key")
    return keys, problems


def _bind(script, command, parameters, switches, aliases, advanced, should_process):
    """Match a command's elements to the parameters it has. ``parameters``: lower name -> canonical name."""
    binding = Binding([], [])
    elements = command.elements
    index = 0
    while index < len(elements):
        element = elements[index]
        index += 1
        if element.kind == "splat":
            keys, problems = splat_keys(script, command, element.name)
            for problem in problems:
                binding.findings.append(script.finding(
                    "splat", element.node, f"{command.name}: {problem}; splat a hashtable literal so its "
                                           f"parameter names can be checked"))
            for key in keys or ():
                binding.named.append((_canonical(script, command, key, parameters, aliases, advanced,
                                                 should_process, binding, element.node), element))
            continue
        if element.kind == "value":
            binding.findings.append(script.finding(
                "positional", element.node, f"{command.name}: '{ast.text(element.node)[:40]}' is passed by "
                                            f"position; name its parameter"))
            continue
        canonical = _canonical(script, command, element.name, parameters, aliases, advanced, should_process,
                               binding, element.node)
        binding.named.append((canonical, element))
        is_switch = canonical is not None and canonical.lower() in switches
        if element.colon or (not is_switch and index < len(elements) and elements[index].kind == "value"):
            index += 1
    return binding


def _canonical(script, command, name, parameters, aliases, advanced, should_process, binding, node):
    lower = name.lower()
    if lower in parameters:
        return parameters[lower]
    if advanced:
        common = {p.lower(): p for p in COMMON_PARAMETERS}
        if should_process:
            common.update({"whatif": "WhatIf", "confirm": "Confirm"})
        if lower in common:
            return common[lower]
        if lower in COMMON_ALIASES:
            binding.findings.append(script.finding(
                "parameter-alias", node, f"{command.name}: -{name} is an alias of -{COMMON_ALIASES[lower]}"))
            return COMMON_ALIASES[lower]
    if lower in aliases:
        binding.findings.append(script.finding(
            "parameter-alias", node, f"{command.name}: -{name} is an alias of -{aliases[lower]}; use the full name"))
        return aliases[lower]
    candidates = sorted(p for p in list(parameters.values()) + COMMON_PARAMETERS if p.lower().startswith(lower))
    if candidates:
        binding.findings.append(script.finding(
            "parameter-abbreviation", node, f"{command.name}: -{name} abbreviates -{candidates[0]}"
                                            f"{' (ambiguous: ' + ', '.join(candidates) + ')' if len(candidates) > 1 else ''}"
                                            f"; write the full parameter name"))
        return candidates[0] if len(candidates) == 1 else None
    binding.findings.append(script.finding(
        "parameter-unknown", node, f"{command.name} has no parameter -{name}"))
    return None


def bind_cmdlet(script, command, entry):
    sets = {name: {p["name"].lower(): p for p in params} for name, params in entry["parameter_sets"].items()}
    parameters, switches = {}, {"verbose", "debug"}
    for params in sets.values():
        for lower, parameter in params.items():
            parameters.setdefault(lower, parameter["name"])
            if parameter["type"] is None:
                switches.add(lower)
    for name in entry.get("documented_only_parameters") or ():
        parameters.setdefault(name.lower(), name)
    if entry["supports_should_process"]:
        switches.update({"whatif", "confirm"})
    aliases = {alias.lower(): name for name, values in entry["aliases"].items() for alias in values}
    binding = _bind(script, command, parameters, switches, aliases, entry["common_parameters"],
                    entry["supports_should_process"])
    named = [name for name, _unused in binding.named if name]
    own = [name for name in named if name not in COMMON_PARAMETERS and name not in ("WhatIf", "Confirm")]
    matching = tuple(set_name for set_name, params in sets.items() if all(n.lower() in params for n in own))
    if own and not matching and len(own) == len([n for n, _unused in binding.named if n not in COMMON_PARAMETERS]):
        binding.findings.append(script.finding(
            "parameter-set", command.node, f"{command.name}: no parameter set takes "
                                           f"{', '.join('-' + n for n in own)} together (sets: {', '.join(sets)})"))
    binding.sets = matching if own else tuple(sets)
    return binding


def bind_function(script, command, function):
    parameters = {key: name for key, (name, _unused) in function.parameters.items()}
    return _bind(script, command, parameters, function.switches | {"verbose", "debug"}, {}, function.advanced,
                 function.should_process)


# --- file checks ------------------------------------------------------------------------------------------------------
def executable_of(command):
    """The executable name of ``& "$env:SystemRoot\\System32\\secedit.exe"`` or ``secedit.exe``."""
    raw = command.name.strip("'\"")
    base = re.split(r"[\\/]", raw)[-1].lower()
    return base if base.endswith(".exe") else None


def check_commands(script, tables, usages=None):
    findings = []
    for command in script.commands:
        name = command.name
        if command.operator and not name:
            if command.operator == ".":
                findings.append(script.finding("dot-source", command.node, "dot-sourcing runs code the checks "
                                                                           "cannot see"))
            continue
        if command.operator == "." and name:
            findings.append(script.finding("dot-source", command.node, f"dot-sourcing {name}"))
            continue
        lower = name.lower()
        if lower in ("invoke-expression", "iex"):
            findings.append(script.finding("invoke-expression", command.node,
                                           f"{name} runs a string as code; call the command directly"))
            continue
        function = script.local_function(name)
        if function is not None:
            findings.extend(bind_function(script, command, function).findings)
            continue
        if lower in tables.command_aliases:
            findings.append(script.finding("alias", command.node,
                                           f"'{name}' is an alias of {tables.command_aliases[lower]}; write the "
                                           f"full name"))
            continue
        executable = executable_of(command)
        if executable:
            if executable not in tables.executables:
                findings.append(script.finding("unknown-command", command.node,
                                               f"executable {executable} is not in allowed_commands.yml"))
            continue
        entry = tables.cmdlets.get(lower)
        if entry is None:
            findings.append(script.finding("unknown-command", command.node,
                                           f"{name} is neither an allowed cmdlet (tests/collection/static/allowed_commands.yml)"
                                           f" nor a function defined in this file or its module_utils"))
            continue
        binding = bind_cmdlet(script, command, entry)
        findings.extend(binding.findings)
        if usages is not None:
            usages.append(Usage(script.relpath, command.line, entry["name"],
                                tuple(sorted({n for n, _unused in binding.named if n})), binding.sets, entry["source"]))
    return findings


def check_types(script, tables):
    findings = []
    for literal in ast.type_literals(script.root):
        for name in ast.type_names(literal):
            if tables.resolve_type(name) not in tables.types:
                findings.append(script.finding("unknown-type", literal, f"[{name}] is not an allowed .NET type "
                                                                        f"(tests/collection/static/allowed_commands.yml)"))
    for command in script.commands:
        if command.name.lower() != "new-object":
            continue
        for index, element in enumerate(command.elements):
            if element.kind == "parameter" and element.name.lower() == "typename" and index + 1 < len(command.elements):
                spelled = ast.text(command.elements[index + 1].node).strip("'\"")
                for name in filter(None, (part.strip() for part in re.split(r"[\[\],]", spelled))):
                    if tables.resolve_type(name) not in tables.types:
                        findings.append(script.finding("unknown-type", element.node, f"New-Object -TypeName {spelled}:"
                                                                                     f" {name} is not an allowed .NET "
                                                                                     f"type"))
            if element.kind == "parameter" and element.name.lower() == "comobject":
                findings.append(script.finding("unknown-type", element.node, "COM objects are not allowed"))
    for node in ast.descendants(script.root, "invocation_expression"):
        named = node.named_children
        if named and named[0].type == "type_literal" and len(named) > 1 and ast.text(named[1]).lower() == "create" \
                and tables.resolve_type(ast.type_names(named[0])[0]) == "system.management.automation.scriptblock":
            findings.append(script.finding("invoke-expression", node, "[scriptblock]::Create runs a string as code"))
    return findings


def _string_values(script):
    for node in ast.descendants(script.root, "string_literal"):
        try:
            yield node, ast.literal_value(node)
        except ast.NotLiteral:
            yield node, ast.text(node)[1:-1]


def check_localized(script, tables):
    findings = []
    for node, value in _string_values(script):
        lower = str(value).lower()
        if lower in tables.localized_names or any(fragment in lower for fragment in tables.localized_fragments):
            findings.append(script.finding("localized-name", node,
                                           f"'{value}' is a localized name; address groups by SID and firewall "
                                           f"rules by Name or by the @FirewallAPI.dll,-28752 group"))
    for command in script.commands:
        for pattern, parameters in tables.localized_parameters.items():
            if not fnmatch.fnmatch(command.name.lower(), pattern.lower()):
                continue
            allowed = tables.localized_exceptions.get(command.name.lower(), set())
            for name, node in _named_parameters(script, command):
                if name.lower() in {p.lower() for p in parameters} and name.lower() not in allowed:
                    findings.append(script.finding("localized-name", node,
                                                   f"{command.name} -{name} matches localized names; use "
                                                   f"{'-SID' if 'LocalGroup' in command.name else '-Name or -Group'}"))
    return findings


def _named_parameters(script, command):
    """(name, node) of the parameters a command names, splatted hashtable keys included."""
    for element in command.elements:
        if element.kind == "parameter":
            yield element.name, element.node
        elif element.kind == "splat":
            keys, _unused = splat_keys(script, command, element.name)
            for key in keys or ():
                yield key, element.node


def _variables_in(node):
    names = set()
    for variable in ast.descendants(node, "variable"):
        raw = ast.text(variable).lstrip("$@").lower()
        if ":" in raw:
            continue  # $env:X, $script:X
        names.add(raw)
    return names - AUTOMATIC_VARIABLES


def _names_defined_in(function):
    names = set(function.parameters)
    for node in ast.descendants(function.node, "assignment_expression"):
        target = ast.unwrap(node.children[0])
        if target.type == "variable":
            names.add(ast.text(target).lstrip("$").lower())
    for node in ast.descendants(function.node, "foreach_statement"):
        variable = next((child for child in node.children if child.type == "variable"), None)
        if variable is not None:
            names.add(ast.text(variable).lstrip("$").lower())
    return names


def check_dynamic_scope(script):
    """A script block runs in a child scope of the function that invokes it: a variable it reads is
    resolved there first, so a parameter of that function with the same name (case-insensitive) hides the
    caller's variable."""
    findings = []
    for command in script.commands:
        function = script.local_function(command.name) if command.name else None
        if function is None:
            continue
        hidden = _names_defined_in(function)
        for element in command.elements:
            block = ast.unwrap(element.node)
            if block.type != "script_block_expression":
                continue
            for name in sorted(_variables_in(block) & hidden):
                findings.append(script.finding(
                    "dynamic-scope", element.node,
                    f"the script block passed to {function.name} reads ${name}, but inside {function.name} that "
                    f"name is {function.name}'s own variable, so the block sees {function.name}'s value"))
    return findings


COLLECTION_TYPES = re.compile(r"(\[\]$|^(array|hashtable|ordered|system\.collections\..*|.*list.*|.*dictionary.*)$)",
                              re.I)


def _returns_array(function):
    """Whether every way out of a function is a unary comma (``, @(...)`` or ``return , $list``), the idiom that
    keeps PowerShell from unrolling the array the function returns."""
    body = next((c for c in function.node.children if c.type == "script_block"), None)
    statements = [c for c in ast.descendants(body, "statement_list") if c.parent and c.parent.type == "script_block_body"
                  and c.parent.parent == body] if body else []
    if not statements or not statements[0].named_children:
        return False
    exits = [statements[0].named_children[-1]]
    exits += [node for node in ast.descendants(body, "flow_control_statement")
              if ast.text(node).lower().startswith("return") and ast.enclosing_function(node) == function.node]
    for node in exits:
        text = ast.text(node).strip()
        text = text[len("return"):].strip() if text.lower().startswith("return") else text
        if not text.startswith(","):
            return False
    return True


def _list_options(script):
    """Names of the module's list options: Ansible.Basic gives them as a List, never a single object."""
    from .spec_doc import module_spec  # pylint: disable=import-outside-toplevel
    spec, _unused = module_spec(script)
    options = (spec or {}).get("options") if isinstance(spec, dict) else None
    return {name.lower() for name, entry in (options or {}).items()
            if isinstance(entry, dict) and entry.get("type") == "list"}


def _array_safe(value_node, script=None):
    node = ast.unwrap(value_node)
    if node.type in ("array_expression", "hash_literal_expression", "array_literal_expression"):
        return True
    if script is not None and node.type == "command":
        function = script.local_function(ast.command_of(node).name)
        if function is not None and _returns_array(function):
            return True
    path = ast.member_path(node) if script is not None else None
    if path and len(path) in (2, 3) and [p.lower() for p in path[:-1]] in (["$params"], ["$module", "params"]) \
            and path[-1].lower() in _list_options(script):
        return True
    if node.type == "expression_with_unary_operator" and node.children and node.children[0].type == "cast_expression":
        node = node.children[0]
    if node.type == "cast_expression":
        literal = next(child for child in node.children if child.type == "type_literal")
        return bool(COLLECTION_TYPES.search(ast.text(literal).strip()[1:-1].strip()))
    if node.type == "command" and ast.command_of(node).name.lower() == "new-object":
        return True
    return False


def check_count_on_scalar(script):
    """Under Set-StrictMode -Version 2.0, ``$x.Count`` fails when $x holds a single object (PowerShell 5.1
    has no Count on scalars in strict mode) and is $null-unsafe. Every assignment of a variable whose Count
    is read must make it a collection: @(...), a typed collection, or a collection parameter."""
    findings = []
    for node in ast.descendants(script.root, "member_access"):
        member = next(child for child in node.children if child.type == "member_name")
        target = ast.unwrap(node.named_children[0])
        if ast.text(member).lower() != "count" or target.type != "variable":
            continue
        name = ast.text(target).lstrip("$").lower()
        if ":" in name or name in AUTOMATIC_VARIABLES:
            continue
        scope = ast.enclosing_function(node) or script.root
        unsafe = []
        function = script.functions.get(ast.text(next(c for c in scope.children if c.type == "function_name")).lower()) \
            if scope.type == "function_statement" else None
        if function is not None and name in function.parameters:
            kind = function.parameters[name][1]
            if not COLLECTION_TYPES.search(kind or ""):
                unsafe.append(f"parameter ${function.parameters[name][0]} is [{kind or 'untyped'}]")
        for left, value in ast.assignments(scope, name):
            if ast.assignment_operator(left) != "=":
                continue
            if ast.enclosing_function(left) == ast.enclosing_function(node) and not _array_safe(value, script):
                unsafe.append(f"line {ast.line(left)} assigns {ast.text(value)[:50]}")
        for loop in ast.descendants(scope, "foreach_statement"):
            variable = next((child for child in loop.children if child.type == "variable"), None)
            if variable is not None and ast.text(variable).lstrip("$").lower() == name:
                unsafe.append(f"line {ast.line(loop)} uses it as a foreach variable")
        for reason in unsafe:
            findings.append(script.finding("count-on-scalar", node,
                                           f"${name}.Count: {reason}, which may be a single object or $null; "
                                           f"wrap it in @(...)"))
    return findings


PORT_MEMBERS = {"localport", "remoteport"}


def check_port_filters(script):
    findings = []
    for node in ast.descendants(script.root, "comparison_expression"):
        operator = next((child for child in node.children if child.type == "comparison_operator"), None)
        if operator is None or ast.text(operator).lower().lstrip("-") not in (
                "contains", "notcontains", "in", "notin", "eq", "ne", "ieq", "ceq", "icontains", "ccontains"):
            continue
        members = {ast.text(m).lower() for m in ast.descendants(node, "member_name")}
        if members & PORT_MEMBERS:
            findings.append(script.finding("port-filter-match", node,
                                           "a firewall port filter holds ranges (3000-4000) and keywords (Any, "
                                           "RPC); compare with a range-aware test, not " + ast.text(operator)))
    return findings


def check_parse(script):
    if not script.root.has_error:
        return []
    position = ast.first_error(script.tree) or (1, 1)
    return [script.finding("parse", position[0], f"tree-sitter-pwsh cannot parse this file (first error at line "
                                                 f"{position[0]}, column {position[1]})")]


def check_script(script, tables=None, documentation=None, usages=None):
    """All findings for one file. ``documentation``: the module's DOCUMENTATION (from its .yml), if any."""
    from . import check_mode, spec_doc  # pylint: disable=import-outside-toplevel
    tables = tables or Tables.load()
    findings = check_parse(script)
    if findings:
        return findings
    findings += check_commands(script, tables, usages)
    findings += check_types(script, tables)
    findings += check_localized(script, tables)
    findings += check_dynamic_scope(script)
    findings += check_count_on_scalar(script)
    findings += check_port_filters(script)
    if script.is_module:
        findings += check_mode.check_module(script, tables, documentation)
        findings += spec_doc.check_spec(script, documentation)
    return sorted(set(findings), key=lambda f: (f.path, f.line, f.rule, f.message))


# --- the collection ------------------------------------------------------------------------------------------------
def discover(root=REPO):
    """Every .ps1/.psm1 of the collection (plugins/, roles/, playbooks/, extensions/), found at run time."""
    found = []
    for top in ("plugins", "roles", "playbooks", "extensions"):
        for directory, _unused, files in os.walk(os.path.join(root, top)):
            found.extend(os.path.join(directory, name) for name in files if name.endswith((".ps1", ".psm1")))
    return sorted(found)


def documentation_for(path):
    sidecar = os.path.splitext(path)[0] + ".yml"
    if not os.path.isfile(sidecar):
        return None
    with open(sidecar, encoding="utf-8") as handle:
        return yaml.safe_load(handle).get("DOCUMENTATION")


def main(argv):
    usage_mode = "--usage" in argv
    paths = [arg for arg in argv if not arg.startswith("--")] or discover()
    failed = False
    usages = []
    for path in paths:
        script = Script.from_file(path)
        for finding in check_script(script, documentation=documentation_for(path), usages=usages):
            failed = True
            if not usage_mode:
                print(finding)
    if usage_mode:
        print("| File:line | Cmdlet | Parameters | Parameter set(s) | Source |\n|---|---|---|---|---|")
        for usage in usages:
            print(f"| {usage.path}:{usage.line} | {usage.cmdlet} | {' '.join('-' + p for p in usage.parameters)} "
                  f"| {'; '.join(usage.parameter_sets)} | {usage.source} |")
    return 1 if failed and not usage_mode else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
