# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Probe a host, real or simulated: a simulated host's listener is served on a loopback port for the
duration of the probe (simulator/rdp_endpoint.py), so the same bytes are exchanged as with a real host."""

from __future__ import annotations

from .._diagnosis import rdp_probe


def run_probe(host, port, options, server_name=None, simulated_state=None):
    """rdp_probe.probe's result for ``host``:``port``; with ``simulated_state`` (the state file of a
    simulated host) the simulated listener answers, and the result names the host and port probed."""
    if simulated_state is None:
        return rdp_probe.probe(host, port, server_name=server_name, **options)
    rdp_probe.validate_options(host, port, options.get("timeout", rdp_probe.DEFAULT_TIMEOUT),
                               options.get("protocols", rdp_probe.DEFAULT_PROTOCOLS),
                               options.get("tls_min_version", rdp_probe.DEFAULT_TLS_MIN_VERSION))
    from .._simulator import rdp_endpoint  # only lab runs need the simulator

    with rdp_endpoint.serve(simulated_state, port) as (behaviour, loopback_port):
        outcome = rdp_probe.probe("127.0.0.1", loopback_port, server_name=server_name or host, **options)
    outcome.update(host=host, port=port)
    outcome["simulated"] = {"endpoint": f"127.0.0.1:{loopback_port}", "listener": behaviour.kind,
                            "reason": behaviour.reason}
    return outcome
