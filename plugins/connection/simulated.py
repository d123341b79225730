# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: simulated
short_description: Run Windows modules against a simulated Windows host (a JSON state file)
description:
  - A connection to a simulated Windows host for demos, tests and benchmarks. The host is a JSON state file
    in the schema that M(rdp.windows.host_info) returns, plus the simulator's own sections (see
    C(docs/simulator.md)).
  - Every module call is one round trip. ansible-core sends the same PowerShell payload it would send over
    WinRM; the connection answers it with a Python twin of the module that accepts exactly the options the
    real module documents, behaves like Windows for what matters to RDP, and writes changes back to the file.
  - Faults scheduled in the state file (connection refused or timing out before or after a call, module
    errors, corrupted replies) let tests exercise what happens when Windows or the network fail; see the
    Faults section of C(docs/simulator.md).
author:
  - rdp.windows contributors (@rdp-windows)
version_added: 0.1.0
options:
  state_file:
    description: Path of the JSON state file of this host.
    type: path
    required: true
    vars:
      - name: rdp_simulated_state
  latency:
    description: Seconds added to every round trip, to stand in for a real WinRM call.
    type: float
    default: 0.0
    vars:
      - name: rdp_simulated_latency
    env:
      - name: RDP_SIMULATED_LATENCY
  timeout:
    description:
      - Seconds a scheduled C(timeout) fault waits before the call fails, like the WinRM read timeout
        (C(ansible_winrm_connection_timeout) + 10) a real connection waits for a host that stopped answering.
    type: float
    default: 30.0
    vars:
      - name: rdp_simulated_timeout
"""

import json
import os
import time

from ansible.errors import AnsibleConnectionFailure, AnsibleError
from ansible.plugins.connection import ConnectionBase

from ansible_collections.rdp.windows.plugins.plugin_utils._simulator import payload, twins
from ansible_collections.rdp.windows.plugins.plugin_utils._simulator.windows_host import WindowsHost


class Connection(ConnectionBase):
    """Answers module payloads from a simulated host's state file."""

    transport = "rdp.windows.simulated"
    module_implementation_preferences = (".ps1", ".exe", "")
    allow_executable = False
    has_pipelining = True

    def __init__(self, *args, **kwargs):
        self.always_pipeline_modules = True
        self._shell_type = "powershell"
        super().__init__(*args, **kwargs)

    def _connect(self):
        if not self._connected:
            state_file = self.get_option("state_file")
            if not state_file or not os.path.isfile(state_file):
                raise AnsibleConnectionFailure(f"simulated host state file not found: {state_file}")
            self._connected = True
        return self

    def _record(self, state_file, module, args, outcome):
        entry = {"time": time.time(), "module": module, "check_mode": bool(args.get("_ansible_check_mode")),
                 "outcome": outcome}
        with open(f"{state_file}.calls.jsonl", "a", encoding="utf-8") as log:
            log.write(json.dumps(entry) + "\n")

    def exec_command(self, cmd, in_data=None, sudoable=True):
        super().exec_command(cmd, in_data=in_data, sudoable=sudoable)
        if not in_data:
            return 1, b"", b"the rdp.windows simulator runs modules only, not raw commands"
        try:
            module, args = payload.parse(in_data)
        except (ValueError, KeyError) as error:
            return 1, b"", f"rdp.windows simulator: {error}".encode()
        latency = float(self.get_option("latency") or 0)
        if latency:
            time.sleep(latency)
        state_file = self.get_option("state_file")
        with WindowsHost.locked(state_file):
            host = WindowsHost.load(state_file)
            calls = host.state.setdefault("counters", {}).get("round_trips", 0) + 1
            host.state["counters"]["round_trips"] = calls
            fault = host.take_fault("before", module, calls)
            if fault:
                host.save()
                self._record(state_file, module, args, self._outcome("before", fault))
            else:
                fault = host.take_fault("module_error", module, calls)
                if fault:
                    result = {"failed": True, "msg": fault.get("message", "simulated module failure")}
                else:
                    result = twins.run(host, module, args)
                corrupt = host.take_fault("corrupt", module, calls)
                fault = host.take_fault("after", module, calls)
                host.save()
                self._record(state_file, module, args, self._outcome("after", fault) if fault
                             else ("corrupt_reply" if corrupt else "ok"))
        if fault:
            self._fail(fault)
        if corrupt:
            return 0, corrupt.get("stdout", "#< CLIXML garbled").encode("utf-8", "replace"), b""
        return 0, json.dumps(result).encode(), b""

    @staticmethod
    def _outcome(point, fault):
        kind = "timed_out" if fault.get("kind") == "timeout" else "connection_lost"
        return f"{kind}_{point}"

    def _fail(self, fault):
        """Break the call like WinRM does: refused or reset at once, or silent until the read timeout."""
        host = self._play_context.remote_addr or "simulated-host"
        if fault.get("kind") == "timeout":
            seconds = float(self.get_option("timeout"))
            time.sleep(seconds)
            if fault.get("at") == "before":
                raise AnsibleConnectionFailure(fault.get("message") or (
                    f"winrm connection error: HTTPSConnectionPool(host='{host}', port=5986): Max retries exceeded "
                    f"with url: /wsman (Caused by ConnectTimeoutError('Connection to {host} timed out. "
                    f"(connect timeout={seconds:g})'))"))
            raise AnsibleConnectionFailure(fault.get("message") or (
                f"winrm connection error: HTTPSConnectionPool(host='{host}', port=5986): Read timed out. "
                f"(read timeout={seconds:g})"))
        if fault.get("at") == "before":
            raise AnsibleConnectionFailure(fault.get("message") or (
                f"winrm connection error: HTTPSConnectionPool(host='{host}', port=5986): Max retries exceeded "
                f"with url: /wsman (Caused by NewConnectionError('Failed to establish a new connection: "
                f"[Errno 111] Connection refused'))"))
        raise AnsibleConnectionFailure(fault.get("message") or (
            f"winrm connection error: ('Connection aborted.', ConnectionResetError(104, 'Connection reset by "
            f"peer')) (host {host})"))

    def put_file(self, in_path, out_path):
        raise AnsibleError("the rdp.windows simulator does not transfer files")

    def fetch_file(self, in_path, out_path):
        raise AnsibleError("the rdp.windows simulator does not transfer files")

    def close(self):
        self._connected = False
