# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PowerShell syntax trees from tree-sitter-pwsh 0.38.1, and the few shapes the checks read from them:
commands and their elements, function definitions, type literals and literal values (for ``$spec``)."""

from __future__ import annotations

import dataclasses
import functools
import re

import tree_sitter
import tree_sitter_pwsh

WRAPPERS = {"pipeline", "pipeline_chain", "unary_expression", "parenthesized_expression", "argument_expression",
            "assignment_value", "left_assignment_expression"}


@functools.lru_cache(maxsize=1)
def _parser():
    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_pwsh.language()))


def parse(source: bytes) -> tree_sitter.Tree:
    return _parser().parse(source)


def text(node) -> str:
    return node.text.decode("utf-8", errors="replace")


def line(node) -> int:
    return node.start_point[0] + 1


def walk(node):
    """Every node below ``node`` (itself included), in source order."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children))


def descendants(node, *types):
    return [each for each in walk(node) if each.type in types]


def ancestors(node):
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


def unwrap(node):
    """The expression inside pipeline/unary/parenthesis wrappers that hold a single named child."""
    while node is not None and node.type in WRAPPERS:
        named = [child for child in node.named_children if child.type != "comment"]
        if len(named) != 1:
            return node
        node = named[0]
    return node


def first_error(tree):
    """(line, column) of the first ERROR or MISSING node, or None."""
    for node in walk(tree.root_node):
        if node.type == "ERROR" or node.is_missing:
            return node.start_point[0] + 1, node.start_point[1] + 1
    return None


# --- commands -------------------------------------------------------------------------------------------------
@dataclasses.dataclass
class Element:
    kind: str  # "parameter", "value" or "splat"
    node: object
    name: str = ""  # parameter name without the dash, or splatted variable name
    colon: bool = False  # -Name:value


@dataclasses.dataclass
class Command:
    node: object
    name: str  # the command name as written ("" for an invocation of an expression)
    operator: str  # "", "&" or "."
    name_node: object
    elements: list

    @property
    def line(self):
        return line(self.node)


def _elements(node):
    """The parameters and values of a command. Nodes that touch (no separator between them) are one
    argument: tree-sitter-pwsh splits ``$_.Trim()`` into ``$_.Trim`` and ``()``, PowerShell does not."""
    found = []
    if node is None:
        return found
    previous_end = None
    for child in node.named_children:
        if child.type in ("command_argument_sep", "comment"):
            if text(child) == ":" and found and found[-1].kind == "parameter":
                found[-1].colon = True  # -Name:value
            previous_end = None
            continue
        if previous_end == child.start_byte and found and found[-1].kind == "value":
            previous_end = child.end_byte
            continue
        previous_end = child.end_byte
        if child.type == "command_parameter":
            raw = text(child)
            colon = raw.endswith(":")
            found.append(Element("parameter", child, raw.lstrip("-").rstrip(":"), colon))
        elif child.type == "unary_expression" and unwrap(child).type == "variable" and text(unwrap(child)).startswith("@"):
            found.append(Element("splat", child, text(unwrap(child))[1:]))
        else:
            found.append(Element("value", child))
    return found


def command_of(node) -> Command:
    operator, name, name_node, elements_node = "", "", None, None
    for child in node.children:
        if child.type == "command_invocation_operator":
            operator = text(child).strip()
        elif child.type == "command_name":
            name, name_node = text(child), child
        elif child.type == "command_name_expr":
            name_node = child
            name = "" if text(child).startswith("$") else text(child)
        elif child.type == "command_elements":
            elements_node = child
    return Command(node, name, operator, name_node, _elements(elements_node))


def commands(root):
    return [command_of(node) for node in descendants(root, "command")]


# --- functions --------------------------------------------------------------------------------------------------
@dataclasses.dataclass
class Function:
    name: str
    node: object
    parameters: dict  # lower-case name -> (name, type text or "")
    advanced: bool  # [CmdletBinding()] or [Parameter()]: common parameters apply
    should_process: bool

    @property
    def switches(self):
        return {key for key, (_unused, kind) in self.parameters.items() if kind.lower() in ("switch", "[switch]")}


def _attribute_names(node):
    return [text(attr).strip("[]").split("(")[0].strip().lower() for attr in descendants(node, "attribute")]


def function_of(node) -> Function:
    name = text(next(child for child in node.children if child.type == "function_name"))
    parameters, advanced, should_process = {}, False, False
    block = next((child for child in node.children if child.type == "script_block"), None)
    param_block = next((child for child in block.children if child.type == "param_block"), None) if block else None
    if param_block is not None:
        for attribute in descendants(param_block, "attribute"):
            attribute_text = text(attribute)
            if re.match(r"\[\s*(CmdletBinding|Parameter)\b", attribute_text, re.I):
                advanced = True
            if re.match(r"\[\s*CmdletBinding\b", attribute_text, re.I) and "supportsshouldprocess" in attribute_text.lower():
                should_process = True
        for parameter in descendants(param_block, "script_parameter"):
            variable = next(child for child in parameter.children if child.type == "variable")
            kind = ""
            for literal in descendants(parameter, "type_literal"):
                kind = text(literal).strip()[1:-1].strip()
            parameters[text(variable)[1:].lower()] = (text(variable)[1:], kind)
    # function Name($a, $b) form
    for child in node.children:
        if child.type == "function_parameter_declaration":
            for variable in descendants(child, "variable"):
                parameters[text(variable)[1:].lower()] = (text(variable)[1:], "")
    return Function(name, node, parameters, advanced, should_process)


def functions(root):
    return {function_of(node).name.lower(): function_of(node) for node in descendants(root, "function_statement")}


def enclosing_function(node):
    return next((each for each in ancestors(node) if each.type == "function_statement"), None)


# --- types --------------------------------------------------------------------------------------------------------
def type_literals(root):
    """Every [Type] written in the file (casts, static calls, -is/-as, parameter types, catch types),
    except attribute names such as [Parameter()]."""
    return descendants(root, "type_literal")


def type_names(type_literal_node):
    """The type names a type literal mentions: ``[List[object]]`` -> ["List", "object"]; arrays stripped."""
    spec = text(type_literal_node).strip()
    spec = spec[1:-1] if spec.startswith("[") and spec.endswith("]") else spec
    names = []
    for part in re.split(r"[\[\],]", spec):
        part = part.strip()
        if part:
            names.append(part)
    return names


# --- literal values ------------------------------------------------------------------------------------------------
class NotLiteral(ValueError):
    """The expression is computed at run time; its value cannot be known statically."""


def _string(node):
    raw = text(node)
    if raw.startswith("@'") or raw.startswith('@"'):
        body = raw[2:-2].strip("\r\n")
        if raw.startswith('@"') and "$" in body:
            raise NotLiteral(raw)
        return body
    if raw.startswith("'"):
        return raw[1:-1].replace("''", "'")
    body = raw[1:-1]
    if re.search(r"(?<!`)\$", body):
        raise NotLiteral(raw)
    return re.sub(r"`(.)", r"\1", body)


def _integer(raw):
    cleaned = raw.lower().rstrip("l")
    for suffix, factor in (("kb", 1 << 10), ("mb", 1 << 20), ("gb", 1 << 30), ("tb", 1 << 40)):
        if cleaned.endswith(suffix):
            return _integer(cleaned[:-2]) * factor
    if cleaned.startswith("0x"):
        value = int(cleaned, 16)
        # PowerShell 5.1 reads 32-bit hex literals as Int32: 0xFFFFFFFF is -1.
        if not raw.lower().endswith("l") and value <= 0xFFFFFFFF and value > 0x7FFFFFFF:
            value -= 1 << 32
        return value
    return int(cleaned)


def _array_items(node):
    items = []
    for statement in node.named_children:
        if statement.type == "statement_list":
            for each in statement.named_children:
                value = literal_value(each)
                items.extend(value if isinstance(value, _Flat) else [value])
    return items


class _Flat(list):
    """A comma list inside @(...): its items are spliced into the array."""


def literal_value(node):
    node = unwrap(node)
    kind = node.type
    if kind == "string_literal":
        return _string(node)
    if kind in ("expandable_string_literal", "verbatim_string_characters"):
        return _string(node)
    if kind == "integer_literal":
        return _integer(text(node))
    if kind == "real_literal":
        return float(text(node))
    if kind == "variable":
        name = text(node).lower()
        if name in ("$true", "$false", "$null"):
            return {"$true": True, "$false": False, "$null": None}[name]
        raise NotLiteral(text(node))
    if kind == "array_expression":
        return _array_items(node)
    if kind == "array_literal_expression":
        return _Flat(literal_value(child) for child in node.named_children)
    if kind == "hash_literal_expression":
        return hash_value(node)
    if kind == "expression_with_unary_operator":
        children = node.children
        if children and text(children[0]) == "-" and len(children) == 2:
            return -literal_value(children[1])
        if children and children[0].type == "cast_expression":
            return literal_value(children[0])
    if kind == "cast_expression":
        inner = [child for child in node.named_children if child.type != "type_literal"]
        if len(inner) == 1:
            return literal_value(inner[0])
    raise NotLiteral(text(node))


def hash_value(node):
    result = {}
    body = next((child for child in node.named_children if child.type == "hash_literal_body"), None)
    for entry in body.named_children if body else ():
        if entry.type != "hash_entry":
            continue
        key_node = next(child for child in entry.named_children if child.type == "key_expression")
        key = literal_value(key_node.named_children[0]) if key_node.named_children[0].type != "simple_name" \
            else text(key_node.named_children[0])
        value_node = [child for child in entry.named_children if child.type != "key_expression"][0]
        try:
            result[key] = literal_value(value_node)
        except NotLiteral as error:
            result[key] = Computed(str(error))
    return result


@dataclasses.dataclass(frozen=True)
class Computed:
    """A value computed at run time (for example a delegate type): compared by its source text."""
    source: str


def assignments(root, variable):
    """(left node, value node) of every ``$variable = ...`` in the file."""
    found = []
    wanted = "$" + variable.lower()
    for node in descendants(root, "assignment_expression"):
        left = next(child for child in node.children if child.type == "left_assignment_expression")
        target = unwrap(left)
        if target.type == "variable" and text(target).lower() == wanted:
            value = next(child for child in node.children if child.type == "assignment_value")
            found.append((target, value))
    return found


def assignment_operator(target):
    """``=``, ``+=``... of the assignment whose left side is ``target``."""
    node = next(each for each in ancestors(target) if each.type == "assignment_expression")
    return text(next(child for child in node.children if child.type == "assignment_operator"))


def member_path(node):
    """``$module.Result.changed`` -> ["$module", "Result", "changed"]; None for other expressions."""
    node = unwrap(node)
    parts = []
    while node is not None and node.type == "member_access":
        member = next(child for child in node.children if child.type == "member_name")
        parts.append(text(member))
        node = unwrap(node.named_children[0])
    if node is None or node.type != "variable":
        return None
    return [text(node)] + list(reversed(parts))
