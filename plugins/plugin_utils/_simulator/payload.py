# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Read the PowerShell exec-wrapper payload that ansible-core 2.19 sends to a Windows host.

Layout (ansible/executor/powershell/module_manifest.py): bootstrap JSON, the bytes ``\\n\\0\\0\\0\\0\\n``, the
exec manifest JSON (optionally followed by another separator). The ``module_wrapper.ps1`` action names the
module script and carries the module arguments as the ``complex_args`` variable.
"""

from __future__ import annotations

import json

SEPARATOR = b"\n\0\0\0\0\n"


class PayloadError(ValueError):
    pass


def parse(in_data: bytes):
    """Return (module FQCN, module arguments) from a module payload."""
    parts = [part for part in in_data.split(SEPARATOR) if part.strip()]
    if len(parts) < 2:
        raise PayloadError("not an ansible-core PowerShell module payload (no exec manifest)")
    manifest = json.loads(parts[1])
    wrapper = next((a for a in manifest.get("actions", []) if a.get("name") == "module_wrapper.ps1"), None)
    if wrapper is None:
        raise PayloadError("the exec manifest has no module_wrapper.ps1 action")
    params = wrapper["params"]
    script = params["Script"]
    module = script[:-len(".ps1")] if script.endswith(".ps1") else script
    if module.startswith("ansible_collections."):
        namespace, collection, _plugins, _modules, name = module[len("ansible_collections."):].split(".")
        module = f"{namespace}.{collection}.{name}"
    args = {}
    for variable in params.get("Variables") or ():
        if variable.get("Name") == "complex_args":
            args = variable.get("Value") or {}
    return module, args
