# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Drive the simulated connection plugin directly (no ansible-playbook), for fast tests of its faults."""

import json

import yaml
from ansible import constants as C
from ansible.playbook.play_context import PlayContext

from ansible_collections.rdp.windows.plugins.connection import simulated

from ansible_collections.rdp.windows.plugins.plugin_utils._simulator.payload import SEPARATOR


def module_payload(fqcn, args):
    """The part of ansible-core's PowerShell payload the simulator reads: the exec manifest's module wrapper."""
    namespace, collection, name = fqcn.split(".")
    manifest = {"actions": [{"name": "module_wrapper.ps1", "params": {
        "Script": f"ansible_collections.{namespace}.{collection}.plugins.modules.{name}.ps1",
        "Variables": [{"Name": "complex_args", "Value": args}]}}]}
    return json.dumps({"name": "bootstrap"}).encode() + SEPARATOR + json.dumps(manifest).encode()


def connection(state_file, timeout=0.05):
    """The plugin with its documented options, without the plugin loader (tests import the collection directly)."""
    name = "rdp.windows.simulated"
    C.config.initialize_plugin_configuration_definitions(
        "connection", name, yaml.safe_load(simulated.DOCUMENTATION)["options"])
    play_context = PlayContext()
    play_context.remote_addr = "simhost"
    conn = simulated.Connection(play_context, None)
    conn._load_name = name  # pylint: disable=protected-access
    conn.set_options(var_options={"rdp_simulated_state": str(state_file), "rdp_simulated_timeout": timeout})
    return conn


def call(conn, fqcn, args):
    """One round trip: (rc, parsed JSON or the raw text, stderr)."""
    rc, stdout, stderr = conn.exec_command("", in_data=module_payload(fqcn, args))
    try:
        return rc, json.loads(stdout), stderr
    except ValueError:
        return rc, stdout.decode(), stderr
