# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Module-level checks: the Ansible.Basic skeleton, strict mode, the check-mode claim, writes guarded by
check mode, and ``changed``/``diff`` reported from a comparison.

A write is guarded when it can only run with check mode off:
- it passes ``-WhatIf:$module.CheckMode``;
- it sits in the branch of an ``if``/``elseif``/``else`` that runs only when check mode is off (conditions
  built from ``$module.CheckMode``, a variable assigned from it, ``-not``, ``-and``, ``-or``, ``-eq $true/$false``);
- an earlier ``if (<check mode>) { ...; return | exit | throw | $module.ExitJson() }`` in the same block ends the
  run in check mode;
- it sits in a function whose every call is guarded; or, for a cmdlet that supports -WhatIf inside a
  ``[CmdletBinding(SupportsShouldProcess)]`` function or inside ``if ($PSCmdlet.ShouldProcess(...))``, every
  call of that function passes ``-WhatIf:$module.CheckMode`` or is guarded.
"""

from __future__ import annotations

import re

from . import pwsh_ast as ast

EXIT_CALL = re.compile(r"^\$module\.(ExitJson|FailJson)\s*\(", re.I)


class Guards:
    def __init__(self, script):
        self.script = script
        self.aliases = set()
        for node in ast.descendants(script.root, "assignment_expression"):
            target = ast.unwrap(node.children[0])
            value = next(child for child in node.children if child.type == "assignment_value")
            if target.type == "variable" and _is_module_check_mode(value):
                self.aliases.add(ast.text(target).lower())

    def is_check_ref(self, node):
        node = ast.unwrap(node)
        return _is_module_check_mode(node) or (node.type == "variable" and ast.text(node).lower() in self.aliases)

    def safe_when(self, expr, outcome):
        """'check' or 'should_process' if ``expr`` evaluating to ``outcome`` means no write may happen in
        check mode; None if nothing can be said."""
        node = ast.unwrap(expr)
        if self.is_check_ref(node):
            return "check" if outcome is False else None
        if node.type == "invocation_expression" and re.match(r"\$PSCmdlet\.ShouldProcess\b", ast.text(node), re.I):
            return "should_process" if outcome is True else None
        if node.type == "expression_with_unary_operator" and node.children \
                and ast.text(node.children[0]).lower() in ("-not", "!"):
            return self.safe_when(node.children[-1], not outcome)
        if node.type == "logical_expression":
            left, operator, right = node.children[0], ast.text(node.children[1]).lower(), node.children[-1]
            first, second = self.safe_when(left, outcome), self.safe_when(right, outcome)
            either = (operator == "-and") == outcome
            if either:
                return first or second
            return (first if first == second else "should_process") if first and second else None
        if node.type == "comparison_expression":
            operator = next((c for c in node.children if c.type == "comparison_operator"), None)
            operands = [c for c in node.children if c.type != "comparison_operator"]
            if operator is not None and len(operands) == 2 and ast.text(operator).lower() in ("-eq", "-ne"):
                for subject, other in (operands, reversed(operands)):
                    literal = ast.text(ast.unwrap(other)).lower()
                    if literal in ("$true", "$false"):
                        same = (literal == "$true") == (ast.text(operator).lower() == "-eq")
                        return self.safe_when(subject, outcome if same else not outcome)
        return None

    def guard_of(self, node):
        """('safe', kind) | ('function', function node, kind or None) | ('unsafe', None)."""
        child = node
        should_process = None
        for parent in ast.ancestors(node):
            kind = self._branch_guard(parent, child)
            if kind == "check":
                return "safe", "check"
            if kind == "should_process":
                should_process = "should_process"
            if parent.type == "statement_list" and self._exited_before(parent, child):
                return "safe", "check"
            if parent.type == "function_statement":
                return "function", parent, should_process
            child = parent
        return "unsafe", None

    def _branch_guard(self, parent, child):
        if parent.type == "if_statement" and child.type == "statement_block":
            return self.safe_when(_condition(parent), True)
        if parent.type == "elseif_clause" and child.type == "statement_block":
            own = self.safe_when(_condition(parent), True)
            previous = [self.safe_when(c, False) for c in _previous_conditions(parent)]
            return own or next((p for p in previous if p), None)
        if parent.type == "else_clause":
            if_statement = parent.parent
            conditions = [_condition(if_statement)] + [_condition(c) for c in ast.descendants(if_statement, "elseif_clause")
                                                       if c.parent.parent == if_statement]
            return next((k for k in (self.safe_when(c, False) for c in conditions) if k), None)
        return None

    def _exited_before(self, statement_list, child):
        for sibling in statement_list.named_children:
            if sibling == child or sibling.start_byte >= child.start_byte:
                return False
            if sibling.type != "if_statement" or any(c.type in ("elseif_clauses", "else_clause") for c in sibling.children):
                continue
            block = next(c for c in sibling.children if c.type == "statement_block")
            if _ends_run(block) and self.safe_when(_condition(sibling), False) == "check":
                return True
        return False

    def passes_whatif_check_mode(self, command):
        for index, element in enumerate(command.elements):
            if element.kind == "parameter" and element.name.lower() == "whatif":
                if not element.colon:
                    return True  # always -WhatIf: never writes
                value = command.elements[index + 1].node if index + 1 < len(command.elements) else None
                return value is not None and self.is_check_ref(value)
        return False


def _is_module_check_mode(node):
    path = ast.member_path(node)
    return path is not None and [p.lower() for p in path] == ["$module", "checkmode"]


def _condition(statement):
    return next(child for child in statement.children if child.type == "pipeline")


def _previous_conditions(elseif_clause):
    if_statement = elseif_clause.parent.parent
    conditions = [_condition(if_statement)]
    for clause in elseif_clause.parent.named_children:
        if clause == elseif_clause:
            break
        conditions.append(_condition(clause))
    return conditions


def _ends_run(block):
    statements = [c for c in ast.descendants(block, "statement_list") if c.parent == block]
    if not statements or not statements[0].named_children:
        return False
    last = statements[0].named_children[-1]
    if last.type == "flow_control_statement":
        return ast.text(last).split()[0].lower() in ("return", "exit", "throw", "break", "continue")
    return bool(EXIT_CALL.match(ast.text(last).strip()))


# --- write sites -------------------------------------------------------------------------------------------------
def write_sites(script, tables):
    """(node, description, supports -WhatIf, Command or None) of everything in the file that changes the host."""
    from .pwsh_check import executable_of  # pylint: disable=import-outside-toplevel
    sites = []
    for command in script.commands:
        if not command.name or script.local_function(command.name):
            continue
        entry = tables.cmdlets.get(command.name.lower())
        name = entry["name"] if entry else command.name
        unknown_write = not entry and tables.is_write_cmdlet(command.name) and not executable_of(command)
        if entry and tables.is_write_cmdlet(name) or unknown_write:
            sites.append((command.node, f"{name} (line {command.line})",
                          bool(entry and entry["supports_should_process"]), command))
            continue
        executable = executable_of(command)
        if executable and executable in tables.executables:
            arguments = {ast.text(e.node).lower() for e in command.elements}
            writes = {a.lower() for a in tables.executables[executable].get("write_arguments", ())}
            if arguments & writes:
                sites.append((command.node, f"{executable} {' '.join(sorted(arguments & writes))} "
                                            f"(line {command.line})", False, command))
    for node in ast.descendants(script.root, "invocation_expression"):
        members = [c for c in node.children if c.type == "member_name"]
        if not members:
            continue
        method = ast.text(members[-1]).lower()
        if method in tables.write_methods:
            sites.append((node, f".{ast.text(members[-1])}() (line {ast.line(node)})", False, None))
        elif method == "invoke":
            arguments = ast.descendants(node, "argument_expression")
            try:
                first = str(ast.literal_value(arguments[0])).lower() if arguments else ""
            except ast.NotLiteral:
                first = ""
            if first in tables.invoke_writes:
                sites.append((node, f".Invoke('{first}') (line {ast.line(node)})", False, None))
    return sites


def check_writes_guarded(script, tables):
    guards = Guards(script)
    findings = []
    pending = {}  # function name (lower) -> (description, whatif is enough)
    for node, description, supports_whatif, command in write_sites(script, tables):
        if command is not None and guards.passes_whatif_check_mode(command):
            continue
        result = guards.guard_of(node)
        if result[0] == "safe":
            continue
        if result[0] == "function":
            function = ast.function_of(result[1])
            whatif_enough = result[2] == "should_process" or (supports_whatif and function.should_process)
            previous = pending.get(function.name.lower())
            if previous is None or (previous[1] and not whatif_enough):
                pending[function.name.lower()] = (description, whatif_enough)
            continue
        findings.append(script.finding("unguarded-write", node,
                                       f"{description} can run in check mode; guard it with "
                                       f"if (-not $module.CheckMode) or -WhatIf:$module.CheckMode"))
    checked = set()
    while pending:
        name, (description, whatif_enough) = pending.popitem()
        if (name, whatif_enough) in checked:
            continue
        checked.add((name, whatif_enough))
        for command in script.commands:
            if command.name.lower() != name:
                continue
            if whatif_enough and guards.passes_whatif_check_mode(command):
                continue
            result = guards.guard_of(command.node)
            if result[0] == "safe":
                continue
            if result[0] == "function":
                caller = ast.function_of(result[1])
                pending.setdefault(caller.name.lower(), (f"{command.name} -> {description}", False))
                continue
            findings.append(script.finding(
                "unguarded-write", command.node,
                f"{command.name} writes ({description}) and is called without a check-mode guard"
                f"{' or -WhatIf:$module.CheckMode' if whatif_enough else ''}"))
    return findings


# --- module checks -----------------------------------------------------------------------------------------------
def _top_level(script, node):
    return ast.enclosing_function(node) is None


def check_skeleton(script):
    findings = []
    source = script.source.decode("utf-8", errors="replace")
    if not source.startswith("#!powershell"):
        findings.append(script.finding("module-skeleton", 1, "a module starts with #!powershell"))
    if not re.search(r"^#AnsibleRequires -CSharpUtil Ansible\.Basic\s*$", source, re.M):
        findings.append(script.finding("module-skeleton", 1, "#AnsibleRequires -CSharpUtil Ansible.Basic is missing"))
    creates = [value for _unused, value in ast.assignments(script.root, "module")
               if re.match(r"\[Ansible\.Basic\.AnsibleModule\]::Create\(\s*\$args\s*,\s*\$spec\b", ast.text(value), re.I)]
    if not creates:
        findings.append(script.finding("module-skeleton", 1, "$module = [Ansible.Basic.AnsibleModule]::Create($args, "
                                                             "$spec) is missing"))
    if not re.search(r"\$module\.ExitJson\(\)", source, re.I):
        findings.append(script.finding("module-skeleton", 1, "$module.ExitJson() is never called"))
    return findings


def check_strict_mode(script):
    for command in script.commands:
        if command.name.lower() != "set-strictmode" or not _top_level(script, command.node):
            continue
        values = [ast.text(e.node).strip("'\"").lower() for e in command.elements if e.kind == "value"]
        if values and values[0] in ("2.0", "2", "3.0", "3", "latest"):
            return []
    return [script.finding("strict-mode", 1, "the module does not run Set-StrictMode -Version 2.0 (or later) at "
                                             "script level")]


def _support(documentation, attribute):
    attributes = (documentation or {}).get("attributes") or {}
    return (attributes.get(attribute) or {}).get("support")


def _spec_value(script, key):
    from .spec_doc import module_spec  # pylint: disable=import-outside-toplevel
    spec, _unused = module_spec(script)
    return (spec or {}).get(key)


def check_check_mode_claim(script, documentation):
    claimed = _support(documentation, "check_mode")
    declared = bool(_spec_value(script, "supports_check_mode"))
    if claimed is None:
        return [script.finding("check-mode-claim", 1, "the documentation has no attributes.check_mode.support")]
    if (claimed in ("full", "partial")) != declared:
        return [script.finding("check-mode-claim", 1,
                               f"the documentation says check_mode support is {claimed!r} but $spec has "
                               f"supports_check_mode = {declared}")]
    return []


def _result_assignments(script, *path):
    wanted = [p.lower() for p in path]
    found = []
    for node in ast.descendants(script.root, "assignment_expression"):
        target = ast.member_path(node.children[0])
        if target and [p.lower() for p in target] == wanted:
            found.append((node, next(c for c in node.children if c.type == "assignment_value")))
    return found


CONDITIONAL = {"if_statement", "elseif_clause", "else_clause", "switch_statement"}


def check_changed_and_diff(script, tables, documentation):
    findings = []
    changed = _result_assignments(script, "$module", "Result", "changed")
    writes = write_sites(script, tables)
    if writes and not changed:
        findings.append(script.finding("changed-not-reported", 1, "the module writes but never sets "
                                                                  "$module.Result.changed"))
    for node, value in changed:
        literal = ast.text(ast.unwrap(value)).lower()
        inside_condition = any(a.type in CONDITIONAL for a in ast.ancestors(node))
        if literal == "$true" and not inside_condition:
            findings.append(script.finding("changed-hardcoded", node, "$module.Result.changed = $true whatever the "
                                                                      "host's state; set it from a comparison"))
    if _support(documentation, "diff_mode") in ("full", "partial"):
        for key in ("before", "after"):
            if not _result_assignments(script, "$module", "Diff", key):
                findings.append(script.finding("diff-not-reported", 1, f"the documentation claims diff support but "
                                                                       f"$module.Diff.{key} is never set"))
    return findings


def check_module(script, tables, documentation):
    findings = check_skeleton(script) + check_strict_mode(script)
    if not documentation:
        findings.append(script.finding("spec-doc", 1, "the module has no .yml documentation next to it"))
    else:
        findings += check_check_mode_claim(script, documentation)
        findings += check_changed_and_diff(script, tables, documentation)
    if _spec_value(script, "supports_check_mode"):
        findings += check_writes_guarded(script, tables)
    return findings
