# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""rdp-check's verdicts against listeners that behave as Windows does (the simulated listener over real
sockets), and its handling of arguments and internal errors."""

import json

import pytest

from ansible_collections.rdp.windows.plugins.plugin_utils._diagnosis import rdp_check, rdp_probe
from ansible_collections.rdp.windows.plugins.plugin_utils._simulator import rdp_endpoint
from ansible_collections.rdp.windows.plugins.plugin_utils._simulator.windows_host import RDP_TCP
from tests.helpers import build_lab


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    directory = tmp_path_factory.mktemp("lab")
    build_lab(str(directory))
    return directory / "hosts"


def windows_host(lab, tmp_path, host="healthy", **listener_values):
    state = json.loads((lab / f"{host}.json").read_text())
    for name, value in listener_values.items():
        state["registry"][RDP_TCP][name] = {"type": "REG_DWORD", "value": value}
    path = tmp_path / f"{host}.json"
    path.write_text(json.dumps(state))
    return path


def run_check(state_file, *arguments, capsys):
    with rdp_endpoint.serve(str(state_file), 3389) as (_unused, port):
        code = rdp_check.main(["127.0.0.1", "--port", str(port), "--timeout", "1", "--server-name", "healthy",
                               *arguments])
    output = capsys.readouterr().out.strip()
    return code, output


def test_windows_requiring_nla_passes_require_nla(lab, tmp_path, capsys):
    code, line = run_check(windows_host(lab, tmp_path), "--require", "nla", capsys=capsys)
    assert code == 0 and line.startswith("RDP OK - 127.0.0.1:") and "NLA (CredSSP, early authorization) over TLSv1.2" in line


def test_windows_with_nla_off_selects_credssp_but_also_accepts_tls_only(lab, tmp_path, capsys):
    code, line = run_check(windows_host(lab, tmp_path, UserAuthentication=0), "--require", "nla", capsys=capsys)
    assert code == 1 and line.startswith("RDP WARNING - ") and "also accepts TLS without NLA" in line
    assert "Standard RDP" not in line.split("|")[0]  # SecurityLayer 2 still refuses Standard RDP Security


def test_windows_negotiate_layer_without_nla_also_accepts_standard_rdp(lab, tmp_path, capsys):
    state = windows_host(lab, tmp_path, UserAuthentication=0, SecurityLayer=1)
    code, line = run_check(state, "--require", "tls", capsys=capsys)
    assert code == 1 and "also accepts Standard RDP Security" in line


def test_windows_requiring_nla_refuses_require_tls(lab, tmp_path, capsys):
    code, line = run_check(windows_host(lab, tmp_path), "--require", "tls", capsys=capsys)
    assert code == 2 and "refuses the required TLS: HYBRID_REQUIRED_BY_SERVER" in line


def test_tls_handshake_failure_is_critical(lab, tmp_path, capsys):
    code, line = run_check(windows_host(lab, tmp_path, host="tls12-disabled"), capsys=capsys)
    assert code == 2 and "tls protocol_version" in line


def test_nothing_listening_behind_the_firewall_is_critical(lab, tmp_path, capsys):
    code, line = run_check(windows_host(lab, tmp_path, host="termservice-disabled"), capsys=capsys)
    assert code == 2 and "tcp timeout" in line and "tcp_connect_ms=U;" in line


def probe_with_certificate(days_left, expired=False):
    result = rdp_probe.empty_result("h", 3389, ["ssl", "hybrid"])
    result.update(selected_protocol="hybrid", tls_version="TLSv1.2", tcp_connect_ms=1.0, negotiation_ms=2.0,
                  tls_ms=3.5, certificate={"days_left": days_left, "expired": expired, "not_yet_valid": False,
                                           "not_after": "2026-12-01T00:00:00Z", "not_before": "x"})
    return result


@pytest.mark.parametrize("days, expired, state", [(100, False, 0), (20, False, 1), (3, False, 2), (-1, True, 2)])
def test_certificate_thresholds(days, expired, state):
    verdict, text = rdp_check.verdict(probe_with_certificate(days, expired), [], None, 30, 7)
    assert verdict == state and "certificate" in text


def test_perfdata_uses_below_threshold_ranges():
    perf = rdp_check.perfdata(probe_with_certificate(12), 30, 7)
    assert perf == "tcp_connect_ms=1ms;;;0; negotiation_ms=2ms;;;0; tls_ms=3.5ms;;;0; cert_days_left=12;30:;7:;;"


def test_an_internal_error_is_unknown_not_a_trace(monkeypatch, capsys):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")
    monkeypatch.setattr(rdp_probe, "probe", broken)
    assert rdp_check.main(["host1"]) == 3
    assert capsys.readouterr().out.strip() == "RDP UNKNOWN - internal error: RuntimeError: boom"


@pytest.mark.parametrize("arguments, message", [
    ([], "required: host"), (["h", "--port", "70000"], "port must be an integer"),
    (["h", "--require", "x"], "invalid choice"), (["h", "--timeout", "0"], "timeout must be"),
    (["h", "--warn-days", "3"], "--crit-days (7) must not exceed --warn-days (3)"),
])
def test_bad_arguments_are_unknown(arguments, message, capsys):
    assert rdp_check.main(arguments) == 3
    output = capsys.readouterr().out
    assert output.startswith("RDP UNKNOWN - invalid arguments") and message in output
