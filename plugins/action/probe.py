# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action for rdp.windows.probe: connect to the host's RDP port from the controller, as a client would.

For a host on the ``rdp.windows.simulated`` connection, the host's simulated listener is served on a loopback
port for the duration of the probe, so the same bytes are exchanged as with a real host.
"""

from __future__ import annotations

from ansible.plugins.action import ActionBase

from ansible_collections.rdp.windows.plugins.plugin_utils._diagnosis import rdp_negotiation, rdp_probe
from ansible_collections.rdp.windows.plugins.plugin_utils._action.action_args import refused
from ansible_collections.rdp.windows.plugins.plugin_utils._reports.printable import inert, printable
from ansible_collections.rdp.windows.plugins.plugin_utils._action.probe_runner import run_probe

SIMULATED = "rdp.windows.simulated"

ARGUMENT_SPEC = {
    "host": {"type": "str"},
    "port": {"type": "int"},
    "timeout": {"type": "float", "default": rdp_probe.DEFAULT_TIMEOUT},
    "protocols": {"type": "list", "elements": "str", "default": list(rdp_probe.DEFAULT_PROTOCOLS),
                  "choices": list(rdp_negotiation.PROTOCOLS)},
    "tls_min_version": {"type": "str", "default": rdp_probe.DEFAULT_TLS_MIN_VERSION,
                        "choices": list(rdp_probe.TLS_VERSIONS)},
    "warn_days": {"type": "int", "default": rdp_probe.DEFAULT_WARN_DAYS},
    "server_name": {"type": "str"},
}


class ActionModule(ActionBase):
    _supports_check_mode = True
    _supports_async = False
    TRANSFERS_FILES = False

    def _var(self, task_vars, name, default=None):
        value = task_vars.get(name, default)
        return self._templar.template(value) if value is not None else default

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        task_vars = task_vars or {}
        _unused, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        inventory_name = task_vars.get("inventory_hostname", "localhost")
        host = args["host"] or self._var(task_vars, "ansible_host", inventory_name)
        port = args["port"] or int(self._var(task_vars, "rdp_port", rdp_probe.DEFAULT_PORT))
        options = {"timeout": args["timeout"], "protocols": args["protocols"],
                   "tls_min_version": args["tls_min_version"], "warn_days": args["warn_days"]}
        simulated = None
        if getattr(self._connection, "transport", None) == SIMULATED:
            simulated = self._connection.get_option("state_file")
        try:
            rdp_probe.validate_options(host, port, args["timeout"], args["protocols"], args["tls_min_version"])
            outcome = run_probe(host, port, options, server_name=args["server_name"], simulated_state=simulated)
        except rdp_probe.ProbeInputError as error:
            return dict(result, **refused(error.problems, "nothing was probed"))
        # What the server sent (certificate names, failure text) as Ansible prints it: inert.
        result.update(inert(outcome))
        result.update(changed=False, msg=printable(rdp_probe.summary(outcome)))
        return result
