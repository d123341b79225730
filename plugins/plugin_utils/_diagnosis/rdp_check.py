# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``rdp-check``: the controller-side probe as a monitoring plugin (Nagios, Icinga, Naemon, Zabbix, Sensu).

One status line ``RDP <STATE> - <text> | <perfdata>`` and the exit code 0 OK, 1 WARNING, 2 CRITICAL,
3 UNKNOWN. CRITICAL when RDP is unreachable, TLS fails, the certificate has expired or expires within
``--crit-days``, or the listener refuses the required security; WARNING when the certificate expires within
``--warn-days`` or the listener also accepts a weaker protocol than the required one. ``--json`` prints the
probe's result (what rdp.windows.probe returns) with the check's verdict instead of the status line.
"""

from __future__ import annotations

import argparse
import json
import sys

from . import rdp_probe

OK, WARNING, CRITICAL, UNKNOWN = 0, 1, 2, 3
STATE_NAMES = {OK: "OK", WARNING: "WARNING", CRITICAL: "CRITICAL", UNKNOWN: "UNKNOWN"}
# What each --require offers first, what it must get, and the weaker offers that must then be refused.
REQUIREMENTS = {
    None: {"label": None, "offer": ["ssl", "hybrid"], "accept": None, "weaker": []},
    "tls": {"label": "TLS", "offer": ["ssl"], "accept": ("ssl",), "weaker": [["rdp"]]},
    "nla": {"label": "NLA", "offer": ["ssl", "hybrid", "hybrid_ex"], "accept": ("hybrid", "hybrid_ex"),
            "weaker": [["ssl"], ["rdp"]]},
}
PROTOCOL_LABELS = {"rdp": "Standard RDP Security", "ssl": "TLS without NLA", "hybrid": "NLA (CredSSP)",
                   "hybrid_ex": "NLA (CredSSP, early authorization)", "rdstls": "RDSTLS", "rdsaad": "RDS AAD"}


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    """Argument errors are UNKNOWN (exit 3), as monitoring plugins must, not argparse's exit 2."""

    def error(self, message):
        raise UsageError(message)


def parser():
    command = Parser(prog="rdp-check", description="Check an RDP listener the way a client connects to it.")
    command.add_argument("host", help="host name or address of the RDP server")
    command.add_argument("--port", "-p", type=int, default=rdp_probe.DEFAULT_PORT, help="TCP port (3389)")
    command.add_argument("--warn-days", type=int, default=30, help="WARNING when the certificate expires within "
                                                                   "this many days (30)")
    command.add_argument("--crit-days", type=int, default=7, help="CRITICAL when the certificate expires within "
                                                                  "this many days (7)")
    command.add_argument("--timeout", "-t", type=float, default=rdp_probe.DEFAULT_TIMEOUT,
                         help="seconds per step: resolution, connect, negotiation, TLS (3)")
    command.add_argument("--require", choices=("nla", "tls"),
                         help="nla: CredSSP must be selected and TLS-only and Standard RDP refused; tls: TLS "
                              "without NLA must be accepted and Standard RDP refused")
    command.add_argument("--server-name", help="name the certificate must match (default: HOST)")
    command.add_argument("--json", action="store_true", help="print the probe result as JSON instead")
    return command


def _certificate_state(cert, warn_days, crit_days):
    if cert is None:
        return OK, None
    days = cert["days_left"]
    if cert["expired"]:
        return CRITICAL, f"certificate expired on {cert['not_after']}"
    if cert["not_yet_valid"]:
        return CRITICAL, f"certificate not valid before {cert['not_before']}"
    if days < crit_days:
        return CRITICAL, f"certificate expires in {days} days"
    if days < warn_days:
        return WARNING, f"certificate expires in {days} days"
    return OK, f"certificate expires in {days} days"


def verdict(primary, weaker_results, require, warn_days, crit_days):
    """(state, text) from the probe with the required offer and the probes with weaker offers."""
    where = f"{primary['host']}:{primary['port']}"
    if primary["error"]:
        error = primary["error"]
        if error["stage"] == "negotiation" and require:
            return CRITICAL, (f"{where} refuses the required {REQUIREMENTS[require]['label']}: "
                              f"{primary['negotiation_failure'] or error['message']}")
        return CRITICAL, f"{where} {error['stage']} {error['class']}: {error['message']}"
    selected = primary["selected_protocol"]
    accept = REQUIREMENTS[require]["accept"]
    if accept and selected not in accept:
        return CRITICAL, f"{where} selected {PROTOCOL_LABELS.get(selected, selected)}, {require} is required"
    state = OK
    parts = [f"{where} {PROTOCOL_LABELS.get(selected, selected)}"
             + (f" over {primary['tls_version']}" if primary["tls_version"] else "")]
    cert_state, cert_text = _certificate_state(primary["certificate"], warn_days, crit_days)
    state = max(state, cert_state)
    if cert_text:
        parts.append(cert_text)
    for result in weaker_results:
        if result["error"] is None and result["selected_protocol"] not in (accept or ()):
            state = max(state, WARNING)
            parts.append(f"also accepts {PROTOCOL_LABELS.get(result['selected_protocol'])}")
    return state, ", ".join(parts)


def _perf(label, value, unit="", warn="", crit="", minimum="0"):
    shown = "U" if value is None else f"{value:g}{unit}" if isinstance(value, float) else f"{value}{unit}"
    return f"{label}={shown};{warn};{crit};{minimum};"


def perfdata(primary, warn_days, crit_days):
    cert = primary["certificate"]
    return " ".join([
        _perf("tcp_connect_ms", primary["tcp_connect_ms"], "ms"),
        _perf("negotiation_ms", primary["negotiation_ms"], "ms"),
        _perf("tls_ms", primary["tls_ms"], "ms"),
        # "N:" is the plugin range "alert when below N"
        _perf("cert_days_left", cert["days_left"] if cert else None, "", f"{warn_days}:", f"{crit_days}:", ""),
    ])


def check(arguments):
    """Run the probes; returns (exit code, output text)."""
    if arguments.crit_days > arguments.warn_days:
        raise UsageError(f"--crit-days ({arguments.crit_days}) must not exceed --warn-days ({arguments.warn_days})")
    requirement = REQUIREMENTS[arguments.require]
    options = {"timeout": arguments.timeout, "warn_days": arguments.warn_days}
    try:
        primary = rdp_probe.probe(arguments.host, arguments.port, protocols=requirement["offer"],
                                  server_name=arguments.server_name, **options)
        weaker = []
        if primary["error"] is None:
            weaker = [rdp_probe.probe(arguments.host, arguments.port, protocols=offer,
                                      server_name=arguments.server_name, **options)
                      for offer in requirement["weaker"]]
    except rdp_probe.ProbeInputError as error:
        raise UsageError(str(error)) from None
    state, text = verdict(primary, weaker, arguments.require, arguments.warn_days, arguments.crit_days)
    line = f"RDP {STATE_NAMES[state]} - {text} | {perfdata(primary, arguments.warn_days, arguments.crit_days)}"
    if arguments.json:
        result = dict(primary, msg=rdp_probe.summary(primary))
        result["check"] = {"state": STATE_NAMES[state], "exit_code": state, "status_line": line,
                           "weaker_offers": [{"protocols": r["requested_protocols"], "accepted": r["error"] is None,
                                              "selected_protocol": r["selected_protocol"]} for r in weaker]}
        return state, json.dumps(result, indent=2, sort_keys=True)
    return state, line


def main(argv=None):
    try:
        state, output = check(parser().parse_args(argv))
    except UsageError as error:
        state, output = UNKNOWN, f"RDP UNKNOWN - invalid arguments: {error}"
    except Exception as error:  # pylint: disable=broad-except  # a monitoring plugin answers UNKNOWN, never a trace
        state, output = UNKNOWN, f"RDP UNKNOWN - internal error: {type(error).__name__}: {error}"
    print(output)
    return state


if __name__ == "__main__":
    sys.exit(main())
