# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""bin/rdp-check, run as a monitoring system runs it, against real RDP servers and misbehaving ports."""

import json
import os
import re
import subprocess
import sys
import time

import pytest

from tests import tcp_peers as peers
from tests.helpers import REPO

RDP_CHECK = os.path.join(REPO, "bin", "rdp-check")
# Nagios plugin guidelines: 'label'=value[UOM];[warn];[crit];[min];[max]
PERFDATA = re.compile(r"^[a-z_]+=(U|-?[0-9.]+(ms)?);[0-9:]*;[0-9:]*;[0-9]*;$")


def rdp_check(*arguments):
    start = time.monotonic()
    run = subprocess.run([sys.executable, RDP_CHECK, *map(str, arguments)], capture_output=True, text=True,
                         timeout=60, check=False)
    return run, time.monotonic() - start


def parse(run):
    lines = run.stdout.splitlines()
    assert len(lines) == 1 and not run.stderr, run.stdout + run.stderr
    text, _unused, perf = lines[0].partition(" | ")
    metrics = perf.split(" ")
    assert [m.split("=")[0] for m in metrics] == ["tcp_connect_ms", "negotiation_ms", "tls_ms", "cert_days_left"]
    assert all(PERFDATA.match(m) for m in metrics), metrics
    return text, dict(m.split("=", 1) for m in metrics)


def test_tls_accepted_is_ok_with_timings_and_certificate_days(xrdp_tls):
    run, _unused = rdp_check("127.0.0.1", "--port", xrdp_tls.port)
    text, perf = parse(run)
    assert run.returncode == 0 and text.startswith("RDP OK - 127.0.0.1:")
    assert "TLS without NLA over TLSv1" in text and "certificate expires in 19" in text
    assert perf["tls_ms"].endswith("ms;;;0;") and perf["cert_days_left"].startswith("19")


def test_nla_required_but_not_offered_is_critical(shadow_nla):
    run, _unused = rdp_check("127.0.0.1", "--port", shadow_nla.port, "--require", "tls")
    text, perf = parse(run)
    assert run.returncode == 2
    assert text.startswith("RDP CRITICAL - ") and "refuses the required TLS: HYBRID_REQUIRED_BY_SERVER" in text
    assert perf["tls_ms"].startswith("U;")


def test_nla_required_and_enforced_is_ok(shadow_nla):
    run, _unused = rdp_check("127.0.0.1", "--port", shadow_nla.port, "--require", "nla")
    text, _unused = parse(run)
    assert run.returncode == 0 and "NLA (CredSSP)" in text and "also accepts" not in text


def test_nla_required_from_a_server_that_prefers_tls_is_critical(shadow_any):
    # FreeRDP's server picks TLS over CredSSP when both are allowed (Windows picks CredSSP; that case is
    # tested against the simulated listener in tests/unit/diagnosis/test_rdp_check.py).
    run, _unused = rdp_check("127.0.0.1", "--port", shadow_any.port, "--require", "nla")
    text, _unused = parse(run)
    assert run.returncode == 2 and "selected TLS without NLA, nla is required" in text


def test_nla_required_from_a_tls_only_server_is_critical(shadow_tls):
    run, _unused = rdp_check("127.0.0.1", "--port", shadow_tls.port, "--require", "nla")
    text, _unused = parse(run)
    assert run.returncode == 2 and "selected TLS without NLA, nla is required" in text


def test_tls_required_and_standard_rdp_also_accepted_is_a_warning(shadow_any):
    run, _unused = rdp_check("127.0.0.1", "--port", shadow_any.port, "--require", "tls")
    text, _unused = parse(run)
    assert run.returncode == 1 and "also accepts Standard RDP Security" in text


@pytest.mark.parametrize("warn, crit, code, state", [(30, 7, 1, "WARNING"), (30, 12, 2, "CRITICAL"),
                                                     (9, 7, 0, "OK")])
def test_certificate_near_expiry(xrdp_expiring, warn, crit, code, state):
    run, _unused = rdp_check("127.0.0.1", "--port", xrdp_expiring.port, "--warn-days", warn, "--crit-days", crit)
    text, perf = parse(run)
    assert run.returncode == code and text.startswith(f"RDP {state} - ")
    assert "certificate expires in 9 days" in text or "certificate expires in 10 days" in text
    assert perf["cert_days_left"].split(";")[1:3] == [f"{warn}:", f"{crit}:"]


def test_closed_port_is_critical():
    with peers.closed_port() as port:
        run, took = rdp_check("127.0.0.1", "--port", port, "--timeout", 1)
    text, _unused = parse(run)
    assert run.returncode == 2 and "tcp refused" in text and took < 10


def test_silent_port_is_critical_within_the_timeout():
    with peers.ScriptedPeer(peers.silent) as port:
        run, took = rdp_check("127.0.0.1", "--port", port, "--timeout", 1)
    text, _unused = parse(run)
    assert run.returncode == 2 and "x224 no_reply" in text
    assert took < 1 + 5  # one step's timeout plus interpreter start-up on a loaded machine


def test_json_prints_the_module_result(xrdp_tls):
    run, _unused = rdp_check("127.0.0.1", "--port", xrdp_tls.port, "--json")
    result = json.loads(run.stdout)
    assert run.returncode == 0
    for key in ("reachable", "stage_failed", "tcp_connect_ms", "negotiation_ms", "tls_ms", "selected_protocol",
                "negotiation_failure", "certificate", "findings", "msg"):
        assert key in result
    assert result["selected_protocol"] == "ssl" and result["check"]["state"] == "OK"
    assert result["check"]["status_line"].startswith("RDP OK - ")


@pytest.mark.parametrize("arguments", [[], ["h", "--port", "0"], ["h", "--require", "kerberos"],
                                       ["h", "--timeout", "-1"], ["h", "--warn-days", "5", "--crit-days", "9"]])
def test_bad_arguments_are_unknown(arguments):
    run, _unused = rdp_check(*arguments)
    assert run.returncode == 3 and run.stdout.startswith("RDP UNKNOWN - invalid arguments")
