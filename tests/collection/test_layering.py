# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The layers of docs/architecture.md, enforced on the imports of every Python file under plugins/.

plugin_utils holds only private packages (a leading underscore, an __init__ that says so). Pure logic imports no
Ansible; the compliance core imports no other layer; reports and compliance never import the simulator, and the
simulator never reads the catalogue (it models Windows on its own terms).
"""

from __future__ import annotations

import ast
import os

import pytest

from tests.helpers import REPO

PLUGIN_UTILS = os.path.join(REPO, "plugins", "plugin_utils")
# Which packages each layer may import (besides itself and the standard library).
MAY_IMPORT = {
    "_compliance": set(),
    "_remediation": {"_compliance"},
    "_reports": {"_compliance"},
    # The simulated listener speaks the protocol with the probe's codec (checked against real servers).
    "_simulator": {"_diagnosis"},
    "_diagnosis": {"_compliance", "_remediation"},
    # What the action plugins share; the probe runner hands a simulated host's listener to the probe.
    "_action": {"_compliance", "_remediation", "_diagnosis", "_reports", "_simulator"},
}
# Plugins outside plugin_utils: action plugins never reach into the simulator but through _action.
PLUGIN_MAY_IMPORT = {
    "action": {"_action", "_compliance", "_remediation", "_diagnosis", "_reports"},
    "connection": {"_simulator"},
    "modules": set(),
    "doc_fragments": set(),
}
PREFIX = "ansible_collections.rdp.windows.plugins.plugin_utils."


def _python_files(folder):
    for root, _dirs, files in os.walk(folder):
        for name in files:
            if name.endswith(".py"):
                yield os.path.join(root, name)


def _imports(path):
    """(absolute module name or None, relative level, module) of every import, nested ones included."""
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read(), path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, 0, None
        elif isinstance(node, ast.ImportFrom):
            yield node.module or "", node.level, [alias.name for alias in node.names]


def _layers_used(path, own):
    """The plugin_utils packages a file imports, and whether it imports Ansible."""
    used, ansible = set(), False
    for module, level, names in _imports(path):
        if level == 0:
            ansible |= module == "ansible" or module.startswith("ansible.")
            if module.startswith(PREFIX):
                used.add(module[len(PREFIX):].split(".")[0])
            elif module == PREFIX.rstrip("."):
                used.update(names or ())
        elif level == 1:
            used.add(own)
        else:
            used.add(module.split(".")[0] if module else (names or [""])[0])
    return used - {own}, ansible


def test_plugin_utils_holds_only_private_packages():
    entries = sorted(os.listdir(PLUGIN_UTILS))
    assert entries == sorted(MAY_IMPORT), "a new package needs its place in docs/architecture.md and here"
    for package in entries:
        with open(os.path.join(PLUGIN_UTILS, package, "__init__.py"), encoding="utf-8") as handle:
            assert "internal use of the rdp.windows collection" in handle.read(), package


@pytest.mark.parametrize("package", sorted(MAY_IMPORT))
def test_each_layer_imports_only_the_layers_below_it(package):
    for path in _python_files(os.path.join(PLUGIN_UTILS, package)):
        used, ansible = _layers_used(path, package)
        assert used <= MAY_IMPORT[package], f"{os.path.relpath(path, REPO)} imports {sorted(used - MAY_IMPORT[package])}"
        if package != "_action":
            assert not ansible, f"{os.path.relpath(path, REPO)} imports Ansible: pure logic must not"


@pytest.mark.parametrize("kind", sorted(PLUGIN_MAY_IMPORT))
def test_plugins_reach_plugin_utils_through_their_layers(kind):
    for path in _python_files(os.path.join(REPO, "plugins", kind)):
        used, _ansible = _layers_used(path, None)
        used.discard(None)
        assert used <= PLUGIN_MAY_IMPORT[kind], f"{os.path.relpath(path, REPO)} imports {sorted(used)}"


def test_the_checker_sees_a_forbidden_import(tmp_path):
    """A planted defect: the compliance core importing the simulator is caught."""
    planted = tmp_path / "bad.py"
    planted.write_text("from .._simulator import windows_host\nfrom ansible.errors import AnsibleError\n",
                       encoding="utf-8")
    used, ansible = _layers_used(str(planted), "_compliance")
    assert used == {"_simulator"} and ansible
