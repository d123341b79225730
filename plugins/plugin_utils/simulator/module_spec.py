# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Option validation for module twins, from the real module's documentation.

A twin accepts exactly the options its module documents: ansible.windows modules from the documentation
shipped in the installed collection, this collection's modules from their ``.yml`` sidecars. Invalid
arguments fail with the messages Ansible.Basic gives.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re

import yaml

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

_COLLECTION_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))


def _ansible_windows_modules_dir():
    spec = importlib.util.find_spec("ansible_collections.ansible.windows")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("ansible.windows is not installed (it ships with the 'ansible' package)")
    return os.path.join(list(spec.submodule_search_locations)[0], "plugins", "modules")


def documentation_of(fqcn: str) -> dict:
    namespace, collection, name = fqcn.split(".")
    if (namespace, collection) == ("rdp", "windows"):
        with open(os.path.join(_COLLECTION_ROOT, "plugins", "modules", f"{name}.yml"), encoding="utf-8") as f:
            return yaml.safe_load(f)["DOCUMENTATION"]
    if (namespace, collection) == ("ansible", "windows"):
        with open(os.path.join(_ansible_windows_modules_dir(), f"{name}.py"), encoding="utf-8") as f:
            source = f.read()
        match = re.search(r"DOCUMENTATION\s*=\s*r?(['\"]{3})(.*?)\1", source, re.S)
        return yaml.safe_load(match.group(2))
    raise KeyError(f"no documentation source for {fqcn}")


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


class InvalidArguments(Exception):
    pass


def validate(fqcn: str, args: dict) -> dict:
    """Return the arguments with defaults applied, or raise InvalidArguments like Ansible.Basic would."""
    public = {key: value for key, value in args.items() if not key.startswith("_ansible_")}
    validator = ArgumentSpecValidator(argument_spec(fqcn))
    result = validator.validate(public)
    if result.error_messages:
        short = fqcn.rsplit(".", 1)[-1]
        messages = [re.sub(r"\(basic\.py\)|\(<unknown>\)", f"({short})", str(msg)) for msg in result.error_messages]
        raise InvalidArguments("; ".join(messages))
    return result.validated_parameters
