# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ansible-doc renders every documented plugin, module and role of the collection (found on disk, so new
ones are covered when they land)."""

from __future__ import annotations

import glob
import json
import os
import re
import subprocess
import sys

import pytest

from tests.helpers import REPO

ANSIBLE_DOC = os.path.join(os.path.dirname(sys.executable), "ansible-doc")
# Plugin types documented by a DOCUMENTATION string in plugins/<type>/<name>.py.
PY_DOC_TYPES = ("become", "cache", "callback", "cliconf", "connection", "httpapi", "inventory", "lookup", "netconf",
                "shell", "strategy", "terminal", "vars")
# Plugin types documented by a <name>.yml sidecar per plugin.
YML_DOC_TYPES = ("filter", "test")


def _stems(pattern):
    return {os.path.basename(path).split(".")[0] for path in glob.glob(os.path.join(REPO, pattern))} - {"__init__"}


def documented():
    found = {"module": _stems("plugins/modules/*.py") | _stems("plugins/modules/*.yml") | _stems("plugins/modules/*.ps1")}
    for plugin_type in PY_DOC_TYPES:
        found[plugin_type] = _stems(f"plugins/{plugin_type}/*.py")
    for plugin_type in YML_DOC_TYPES:
        found[plugin_type] = _stems(f"plugins/{plugin_type}/*.yml")
    specs = glob.glob(os.path.join(REPO, "roles", "*", "meta", "argument_specs.yml"))
    found["role"] = {path.split(os.sep)[-3] for path in specs}
    return {plugin_type: sorted(f"rdp.windows.{name}" for name in names) for plugin_type, names in found.items() if names}


DOCUMENTED = documented()


def ansible_doc(*args):
    environment = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(REPO, ".build", "collections"),
                       ANSIBLE_CONFIG=os.path.join(REPO, "ansible.cfg"), ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0")
    return subprocess.run([ANSIBLE_DOC, *args], capture_output=True, text=True, env=environment, check=False)


def test_the_required_documentation_is_found():
    assert {"rdp.windows.host_info", "rdp.windows.audit", "rdp.windows.report"} <= set(DOCUMENTED["module"])
    assert "rdp.windows.simulated" in DOCUMENTED["connection"]
    assert "rdp.windows.audit" in DOCUMENTED["role"]


@pytest.mark.parametrize("plugin_type", sorted(DOCUMENTED))
def test_ansible_doc_parses_every_documentation(plugin_type):
    names = DOCUMENTED[plugin_type]
    run = ansible_doc("-t", plugin_type, "--json", *names)
    assert run.returncode == 0, run.stderr
    assert "WARNING" not in run.stderr and "ERROR" not in run.stderr, run.stderr
    docs = json.loads(run.stdout)
    assert sorted(docs) == names
    for name in names:
        doc = docs[name]["doc"] if plugin_type != "role" else docs[name]["entry_points"]["main"]
        assert doc.get("short_description"), name
        if plugin_type == "module":
            assert doc.get("description") and docs[name].get("examples"), name
            assert doc.get("attributes", {}).get("check_mode"), f"{name} documents no check_mode support"


@pytest.mark.parametrize("plugin_type", sorted(DOCUMENTED))
def test_ansible_doc_renders_every_documentation_as_text(plugin_type):
    names = DOCUMENTED[plugin_type]
    run = ansible_doc("-t", plugin_type, *names)
    assert run.returncode == 0, run.stderr
    assert "WARNING" not in run.stderr and "ERROR" not in run.stderr, run.stderr
    header = "> ROLE: " if plugin_type == "role" else f"> {plugin_type.upper()} "
    for name in names:  # without color ansible-doc marks the name *bold*
        assert re.search(rf"^{re.escape(header)}\*?{re.escape(name)}\*? \(", run.stdout, re.M), name
