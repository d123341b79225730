# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Option validation for module twins, from the real module's documentation.

A twin accepts exactly the options its module documents: ansible.windows modules from the documentation
shipped in the installed collection, this collection's modules from their ``.yml`` sidecars. Arguments are
checked the way the module's own PowerShell checks them (Ansible.Basic or the Legacy Get-AnsibleParam, see
module_args.py), with the same messages.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re

import yaml

from . import module_args
from .module_args import CheckModeUnsupported, InvalidArguments  # noqa: F401  pylint: disable=unused-import

_COLLECTION_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))


# Collections whose installed module documentation twins are validated against (both ship with 'ansible').
INSTALLED_COLLECTIONS = (("ansible", "windows"), ("community", "windows"))


def _installed_modules_dir(namespace, collection):
    spec = importlib.util.find_spec(f"ansible_collections.{namespace}.{collection}")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"{namespace}.{collection} is not installed (it ships with the 'ansible' package)")
    return os.path.join(list(spec.submodule_search_locations)[0], "plugins", "modules")


def _module_path(fqcn: str, extension: str) -> str:
    namespace, collection, name = fqcn.split(".")
    if (namespace, collection) == ("rdp", "windows"):
        return os.path.join(_COLLECTION_ROOT, "plugins", "modules", f"{name}{extension}")
    if (namespace, collection) in INSTALLED_COLLECTIONS:
        return os.path.join(_installed_modules_dir(namespace, collection), f"{name}{extension}")
    raise KeyError(f"no documentation source for {fqcn}")


# libyaml when PyYAML has it: every module call of a simulated host reads its module's documentation, and the
# pure-Python parser made that most of a worker's time (docs/performance.md).
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.lru_cache(maxsize=None)
def documentation_of(fqcn: str) -> dict:
    if fqcn.startswith("rdp.windows."):
        with open(_module_path(fqcn, ".yml"), encoding="utf-8") as f:
            return yaml.load(f, Loader=_YAML_LOADER)["DOCUMENTATION"]  # nosec B506 - a safe loader
    with open(_module_path(fqcn, ".py"), encoding="utf-8") as f:
        source = f.read()
    match = re.search(r"DOCUMENTATION\s*=\s*r?(['\"]{3})(.*?)\1", source, re.S)
    return yaml.load(match.group(2), Loader=_YAML_LOADER)  # nosec B506 - a safe loader


@functools.lru_cache(maxsize=None)
def argument_style(fqcn: str) -> tuple:
    """("basic" or "legacy", supports check mode), read from the module's PowerShell source."""
    try:
        with open(_module_path(fqcn, ".ps1"), encoding="utf-8") as f:
            source = f.read()
    except FileNotFoundError:
        source = ""
    if re.search(r"^#Requires -Module Ansible\.ModuleUtils\.Legacy", source, re.M | re.I):
        # Parse-Args takes $args by position or as -arguments $args (win_wait_for, win_copy, win_reg_stat).
        return "legacy", bool(re.search(r"Parse-Args\s+(-arguments\s+)?\$args\s+-supports_check_mode\s+\$true",
                                        source, re.I))
    support = ((documentation_of(fqcn).get("attributes") or {}).get("check_mode") or {}).get("support")
    if support is None:
        return "basic", bool(re.search(r"supports_check_mode\s*=\s*\$true", source, re.I))
    return "basic", support in ("full", "partial")


_GET_ANSIBLE_PARAM = re.compile(r'Get-AnsibleParam\s+-obj\s+\$params\s+-name\s+"(\w+)"(.*)$', re.M | re.I)


@functools.lru_cache(maxsize=None)
def legacy_spec(fqcn: str) -> dict:
    """The options a Legacy module reads, in the order its Get-AnsibleParam calls read them (the order decides
    which error comes first), with their type, default, ValidateSet and failifempty."""
    with open(_module_path(fqcn, ".ps1"), encoding="utf-8") as f:
        source = f.read()
    spec = {}
    for name, rest in _GET_ANSIBLE_PARAM.findall(source):
        if name.startswith("_ansible_"):
            continue
        entry = {"type": (re.search(r'-type\s+"(\w+)"', rest, re.I) or [None, "raw"])[1]}
        default = re.search(r'-default\s+("([^"]*)"|\$(true|false)|(-?\d+)\b)', rest, re.I)
        if default and default.group(4) is not None:
            entry["default"] = int(default.group(4))  # -default 300 (win_wait_for's timeout)
        elif default:
            entry["default"] = default.group(2) if default.group(2) is not None else default.group(3).lower() == "true"
        choices = re.search(r'-validateset\s+((?:"[^"]*"\s*,\s*)*"[^"]*")', rest, re.I)
        if choices:
            entry["choices"] = re.findall(r'"([^"]*)"', choices.group(1))
        if re.search(r"-failifempty\s+\$true", rest, re.I):
            entry["required"] = True
        aliases = re.search(r'-aliases\s+((?:"[^"]*"\s*,\s*)*"[^"]*")', rest, re.I)
        if aliases:
            entry["aliases"] = re.findall(r'"([^"]*)"', aliases.group(1))
        spec[name] = entry
    return spec


def _to_spec(options: dict) -> dict:
    spec = {}
    for name, doc in (options or {}).items():
        entry = {"type": doc.get("type", "str")}
        for key in ("required", "default", "choices", "aliases", "elements", "no_log"):
            if key in doc:
                entry[key] = doc[key]
        if doc.get("suboptions"):
            entry["options"] = _to_spec(doc["suboptions"])
        spec[name] = entry
    return spec


@functools.lru_cache(maxsize=None)
def argument_spec(fqcn: str) -> dict:
    return _to_spec(documentation_of(fqcn).get("options"))


def validate(fqcn: str, args: dict) -> dict:
    """The arguments as the module sees them (defaults applied, types converted), or InvalidArguments with the
    module's own message, or CheckModeUnsupported."""
    style, check_mode = argument_style(fqcn)
    if style == "legacy":
        return module_args.check_legacy(legacy_spec(fqcn), args, supports_check_mode=check_mode)
    checker = module_args.BasicChecker(args.get("_ansible_module_name") or fqcn, supports_check_mode=check_mode)
    return checker.check(argument_spec(fqcn), args)
