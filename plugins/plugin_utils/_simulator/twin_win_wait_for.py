# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Twin of ``ansible.windows.win_wait_for`` (3.3.0) for ports on the host itself.

The collection never calls it; the benchmark's baseline playbook checks that something listens on the RDP
port with it, the usual way. The real module opens a TCP connection to ``host:port`` every ``sleep``
seconds until it succeeds or ``timeout`` seconds have passed (with ``timeout: 0`` it never tries and fails).
The twin answers from the simulated listener at once and reports the time the real module would have
spent, without spending it: a benchmark with this twin is, if anything, kind to the baseline.
"""

from __future__ import annotations

import math

from .twin_ansible_windows import ModuleFailure

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1", "0.0.0.0")


def _validate(params):
    port, path, state = params.get("port"), params.get("path"), params["state"]
    result = {"changed": False, "elapsed": 0}
    if port is not None and path is not None:
        raise ModuleFailure("port and path parameter can not both be passed to win_wait_for", result)
    if params.get("exclude_hosts") is not None and state != "drained":
        raise ModuleFailure("exclude_hosts should only be with state=drained", result)
    if port is not None and params.get("regex") is not None:
        raise ModuleFailure("regex should by used when checking a string in a file in the win_wait_for module",
                            result)
    if port is None:
        raise ModuleFailure("the rdp.windows simulator models win_wait_for on ports only", result)
    if params["host"].lower() not in LOCAL_HOSTS:
        raise ModuleFailure("the rdp.windows simulator models win_wait_for on the host's own ports only", result)


def win_wait_for(host, params, check_mode):
    _validate(params)
    port, state, timeout = params["port"], params["state"], params["timeout"]
    delay = params.get("delay") or 0
    listening = host.port_owner(port) is not None
    wanted = {"started": True, "present": True, "stopped": False, "absent": False}.get(state)
    if wanted is None:
        raise ModuleFailure("the rdp.windows simulator does not model win_wait_for state=drained")
    if timeout > 0 and listening == wanted:
        return {"changed": False, "elapsed": float(delay), "wait_attempts": 1}
    attempts = math.ceil(timeout / max(params["sleep"], 1)) if timeout > 0 else 0
    verb = "start" if wanted else "stop"
    raise ModuleFailure(f"timeout while waiting for {params['host']}:{port} to {verb} listening",
                        {"changed": False, "elapsed": float(delay + max(timeout, 0)), "wait_attempts": attempts})
