#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write tests/collection/static/cmdlet_allowlist.json from allowed_commands.yml and the reference cmdlet signatures.

For each allowed cmdlet the table keeps what the checks need and where it comes from: the module, the
Microsoft documentation page (``source``), every parameter set with its parameters (type, mandatory,
positional), parameter aliases and whether -WhatIf/-Confirm exist. It also keeps the command aliases of
every documented cmdlet, so an alias is reported as such even when its cmdlet is not allowed.

Usage: python tests/collection/static/build_allowlist.py [SIGNATURES_JSON]
       (default: $RDP_CMDLET_SIGNATURES or /work/shared/reference/cmdlet-signatures.json)
"""

import json
import os
import re
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ALLOWED = os.path.join(HERE, "allowed_commands.yml")
OUTPUT = os.path.join(HERE, "cmdlet_allowlist.json")
DEFAULT_SIGNATURES = "/work/shared/reference/cmdlet-signatures.json"


def signatures_path():
    return os.environ.get("RDP_CMDLET_SIGNATURES", DEFAULT_SIGNATURES)


def build(signatures, allowed):
    cmdlets = signatures["cmdlets"]
    missing = sorted(name for name in allowed["cmdlets"] if name not in cmdlets)
    if missing:
        raise SystemExit(f"not in the cmdlet signatures (check the spelling or the module): {', '.join(missing)}")
    table = {}
    for name in sorted(allowed["cmdlets"], key=str.lower):
        entry = cmdlets[name]
        table[name] = {
            "reason": allowed["cmdlets"][name],
            "module": entry["module"],
            "source": entry["source"],
            "common_parameters": entry["common_parameters"],
            "supports_should_process": entry["supports_should_process"],
            "parameter_sets": {
                set_name: [{key: parameter[key] for key in ("name", "type", "mandatory", "positional")}
                           for parameter in parameters]
                for set_name, parameters in entry["parameter_sets"].items()
            },
            "aliases": entry.get("aliases", {}),
            "documented_only_parameters": entry.get("documented_only_parameters", []),
        }
    command_aliases = {}
    for name, entry in cmdlets.items():
        for alias in entry.get("command_aliases") or ():
            command_aliases[alias.lower()] = name
    return {
        "generated_by": "tests/collection/static/build_allowlist.py from tests/collection/static/allowed_commands.yml",
        "signatures_from": signatures["generated_from"],
        "cmdlets": table,
        "command_aliases": dict(sorted(command_aliases.items())),
    }


def dumps(table):
    """Indented JSON with one line per parameter, so that a change reads as a one-line diff."""
    text = json.dumps(table, indent=1)
    return re.sub(r'\{\n\s+("name": [^{}]*?)\n\s+\}', lambda m: "{" + re.sub(r"\n\s+", " ", m.group(1)) + "}",
                  text) + "\n"


def main():
    with open(sys.argv[1] if len(sys.argv) > 1 else signatures_path(), encoding="utf-8") as handle:
        signatures = json.load(handle)
    with open(ALLOWED, encoding="utf-8") as handle:
        allowed = yaml.safe_load(handle)
    table = build(signatures, allowed)
    with open(OUTPUT, "w", encoding="utf-8") as handle:
        handle.write(dumps(table))
    print(f"{OUTPUT}: {len(table['cmdlets'])} cmdlets, {len(table['command_aliases'])} command aliases")


if __name__ == "__main__":
    main()
