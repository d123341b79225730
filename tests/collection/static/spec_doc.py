# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A module's ``$spec`` against its documentation: the part of ansible-test validate-modules that needs pwsh.

The spec is read from the source (a literal hashtable assigned to ``$spec`` at script level), so a spec built at
run time or merged from module_utils is reported, not guessed. Compared for every option and sub-option: the
names, ``type``, ``required``, ``default``, ``choices`` (as a set: their order changes nothing), ``elements``,
``aliases`` and ``no_log``.
"""

from __future__ import annotations

from . import pwsh_ast as ast

KEYS = ("type", "required", "default", "choices", "elements", "aliases", "no_log")


def module_spec(script):
    """(spec dict or None, problem or None) for the file's ``$spec``."""
    assigned = [(left, value) for left, value in ast.assignments(script.root, "spec")
                if ast.enclosing_function(left) is None]
    if not assigned:
        return None, "the module assigns no $spec at script level"
    if len(assigned) > 1:
        return None, f"$spec is assigned {len(assigned)} times; assign it once, as a literal"
    value = ast.unwrap(assigned[0][1])
    if value.type != "hash_literal_expression":
        return None, "$spec is not a hashtable literal, so it cannot be compared with the documentation"
    return ast.hash_value(value), None


def _normal(value, kind, elements=None):
    if value is None:
        return None
    if kind == "list":
        items = value if isinstance(value, list) else [value]
        return [_normal(item, elements or "raw") for item in items]
    if kind in ("str", "path", "sid") and not isinstance(value, (list, dict)):
        return str(value)
    if kind == "int" and not isinstance(value, bool):
        try:
            return int(value)
        except (TypeError, ValueError):
            return value
    if kind == "bool" and isinstance(value, str):
        return value.lower() in ("yes", "true", "on", "1")
    if kind == "float":
        try:
            return float(value)
        except (TypeError, ValueError):
            return value
    return value


def _as_list(value, key):
    """PowerShell turns ``aliases = 'key'`` into a one-element list; so does the documentation."""
    if key in ("choices", "aliases") and value is not None and not isinstance(value, list):
        return [value]
    return value


def _describe(value):
    return "absent" if value is None else repr(value)


def compare(spec_options, doc_options, where="option"):
    """Human-readable differences between ``$spec.options`` and the documentation's ``options``."""
    problems = []
    spec_options = spec_options or {}
    doc_options = doc_options or {}
    for name in sorted(set(spec_options) - set(doc_options)):
        problems.append(f"{where} {name} is in $spec but not documented")
    for name in sorted(set(doc_options) - set(spec_options)):
        problems.append(f"{where} {name} is documented but not in $spec")
    for name in sorted(set(spec_options) & set(doc_options)):
        spec, doc = spec_options[name] or {}, doc_options[name] or {}
        if not isinstance(spec, dict):
            problems.append(f"{where} {name}: the $spec entry is not a hashtable literal")
            continue
        label = f"{where} {name}"
        spec_type, doc_type = spec.get("type", "str"), doc.get("type", "str")
        if isinstance(spec_type, ast.Computed):
            spec_type = doc_type  # a delegate type converter cannot be compared statically
        if spec_type != doc_type:
            problems.append(f"{label}: type is {spec_type!r} in $spec but {doc_type!r} in the documentation")
        if bool(spec.get("required", False)) != bool(doc.get("required", False)):
            problems.append(f"{label}: required is {bool(spec.get('required', False))} in $spec but "
                            f"{bool(doc.get('required', False))} in the documentation")
        elements = doc.get("elements")
        spec_default = _normal(spec.get("default"), doc_type, elements)
        doc_default = _normal(doc.get("default"), doc_type, elements)
        if spec_default != doc_default:
            problems.append(f"{label}: default is {_describe(spec_default)} in $spec but {_describe(doc_default)} "
                            f"in the documentation")
        for key, normal in (("choices", lambda v: None if v is None else sorted(str(_normal(c, doc_type)) for c in v)),
                            ("elements", lambda v: v),
                            ("aliases", lambda v: sorted(v) if v else None),
                            ("no_log", bool)):
            if isinstance(spec.get(key), ast.Computed):
                continue  # computed at run time: cannot be compared statically
            spec_value, doc_value = normal(_as_list(spec.get(key), key)), normal(_as_list(doc.get(key), key))
            if spec_value != doc_value:
                problems.append(f"{label}: {key} is {_describe(spec_value)} in $spec but {_describe(doc_value)} in "
                                f"the documentation")
        if spec.get("options") or doc.get("suboptions"):
            problems += compare(spec.get("options"), doc.get("suboptions"), where=f"{label} sub-option")
    return problems


def check_spec(script, documentation):
    spec, problem = module_spec(script)
    if problem:
        return [script.finding("spec", 1, problem)]
    if not documentation:
        return []
    if isinstance(spec.get("options"), ast.Computed):
        return [script.finding("spec", 1, "$spec.options is computed at run time")]
    messages = compare(spec.get("options"), documentation.get("options"))
    return [script.finding("spec-doc", 1, message) for message in messages]
