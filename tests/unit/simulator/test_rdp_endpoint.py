# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The simulated listener: what a real client (the probe) sees of each lab host, over real sockets."""

import json
import os

import pytest

from ansible_collections.rdp.windows.plugins.plugin_utils._diagnosis import rdp_probe
from ansible_collections.rdp.windows.plugins.plugin_utils._simulator import rdp_endpoint
from ansible_collections.rdp.windows.plugins.plugin_utils._simulator.windows_host import RDP_TCP, TS_POLICY
from tests.helpers import build_lab

# A silent drop costs the whole step timeout, so tests expecting one use SILENT; a probe that succeeds
# returns as soon as the handshake is done, so its generous TIMEOUT only matters on a loaded machine
# (the listener generates its certificate while the probe waits).
TIMEOUT = 10.0
SILENT = 0.5
SCHANNEL = r"HKLM\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols"


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    directory = tmp_path_factory.mktemp("lab")
    build_lab(str(directory))
    return directory / "hosts"


def probe_host(state_file, port=3389, host="healthy", **options):
    options.setdefault("timeout", TIMEOUT)
    with rdp_endpoint.serve(str(state_file), port) as (behaviour, loopback_port):
        result = rdp_probe.probe("127.0.0.1", loopback_port, server_name=host, **options)
    return behaviour, result


def edited(lab, tmp_path, host, change):
    state = json.loads((lab / f"{host}.json").read_text())
    change(state)
    path = tmp_path / f"{host}.json"
    path.write_text(json.dumps(state))
    return path


def test_healthy_host_negotiates_credssp_and_presents_its_certificate(lab):
    behaviour, result = probe_host(lab / "healthy.json")
    assert behaviour.kind == "rdp"
    assert result["stage_failed"] is None and result["selected_protocol"] == "hybrid"
    assert result["tls_version"] == "TLSv1.2"
    cert = result["certificate"]
    assert cert["subject"] == "CN=healthy" and cert["self_signed"] and cert["name_matches"]
    assert cert["key_type"] == "rsa" and cert["key_bits"] == 2048
    assert 140 < cert["days_left"] <= 152
    assert [f["severity"] for f in result["findings"]] == ["info"]


@pytest.mark.parametrize("host, port, stage, error_class, reason", [
    ("rdp-disabled", 3389, "tcp", "timeout", "fDenyTSConnections"),
    ("rdp-denied-by-policy", 3389, "tcp", "timeout", "fDenyTSConnections"),
    ("termservice-disabled", 3389, "tcp", "timeout", "TermService is not running"),
    ("firewall-rule-off", 3389, "tcp", "timeout", "no enabled inbound rule allows TCP 3389"),
    ("port-changed", 3390, "tcp", "timeout", "no enabled inbound rule allows TCP 3390"),
    ("port-changed", 3389, "tcp", "timeout", "bound to 3390"),
    ("tls12-disabled", 3389, "tls", "protocol_version", "TermService listens"),
])
def test_broken_hosts_fail_where_windows_would(lab, host, port, stage, error_class, reason):
    behaviour, result = probe_host(lab / f"{host}.json", port=port, host=host,
                                   timeout=SILENT if error_class == "timeout" else TIMEOUT)
    assert reason in behaviour.reason
    assert result["stage_failed"] == stage and result["error"]["class"] == error_class, result["error"]


def test_nothing_listening_is_refused_when_the_firewall_profile_is_off(lab, tmp_path):
    def firewall_off(state):
        for profile in state["firewall"]["profiles"]:
            profile["enabled"] = False
    behaviour, result = probe_host(edited(lab, tmp_path, "termservice-disabled", firewall_off))
    assert behaviour.kind == "refuse" and "TermService is not running" in behaviour.reason
    assert result["error"]["class"] == "refused"


@pytest.mark.parametrize("host", ["user-missing", "user-denied", "throttled", "qos-missing"])
def test_hosts_broken_after_the_handshake_still_negotiate(lab, host):
    _unused, result = probe_host(lab / f"{host}.json", host=host)
    assert result["stage_failed"] is None and result["selected_protocol"] == "hybrid"


def test_tls12_disabled_still_speaks_tls_1_1_to_a_legacy_client(lab):
    _unused, result = probe_host(lab / "tls12-disabled.json", host="tls12-disabled", tls_min_version="1.0")
    assert result["stage_failed"] is None and result["tls_version"] == "TLSv1.1"


def test_every_tls_version_disabled_fails_every_client(lab, tmp_path):
    def disable_all(state):
        for version in ("TLS 1.0", "TLS 1.1", "TLS 1.2"):
            state["registry"][f"{SCHANNEL}\\{version}\\Server"] = {"Enabled": {"type": "REG_DWORD", "value": 0}}
    _unused, result = probe_host(edited(lab, tmp_path, "healthy", disable_all), tls_min_version="1.0")
    assert result["stage_failed"] == "tls" and result["error"]["class"] in ("closed", "reset", "handshake_failed")


def test_nla_required_refuses_a_client_without_credssp(lab):
    _unused, result = probe_host(lab / "healthy.json", protocols=["ssl"])
    assert result["negotiation_failure"] == "HYBRID_REQUIRED_BY_SERVER"


def test_nla_off_with_tls_required(lab, tmp_path):
    def nla_off(state):
        state["registry"][RDP_TCP]["UserAuthentication"] = {"type": "REG_DWORD", "value": 0}
    path = edited(lab, tmp_path, "healthy", nla_off)
    _unused, tls_only = probe_host(path, protocols=["ssl"])
    _unused, rdp_only = probe_host(path, protocols=["rdp"])
    assert tls_only["selected_protocol"] == "ssl"
    assert rdp_only["negotiation_failure"] == "SSL_REQUIRED_BY_SERVER"


def test_rdp_security_layer_from_policy(lab, tmp_path):
    def rdp_security(state):
        state["registry"].setdefault(TS_POLICY, {}).update(
            SecurityLayer={"type": "REG_DWORD", "value": 0}, UserAuthentication={"type": "REG_DWORD", "value": 0})
    path = edited(lab, tmp_path, "healthy", rdp_security)
    _unused, default = probe_host(path)
    _unused, rdp_only = probe_host(path, protocols=["rdp"])
    assert default["negotiation_failure"] == "SSL_NOT_ALLOWED_BY_SERVER"
    assert rdp_only["selected_protocol"] == "rdp"


def test_unreadable_private_key_fails_the_tls_handshake(lab, tmp_path):
    def key_denied(state):
        state["listener"]["certificate"]["private_key_readable"] = False
    _unused, result = probe_host(edited(lab, tmp_path, "healthy", key_denied))
    assert result["stage_failed"] == "tls"


def test_another_process_on_the_port_does_not_speak_rdp(lab, tmp_path):
    def squatter(state):
        state["port_owners"] = {"TCP/3389": "nginx"}
        state["firewall"]["rules"].append({"name": "web", "enabled": True, "action": "Allow", "direction": "Inbound",
                                           "protocol": "TCP", "local_ports": ["3389"], "remote_addresses": ["Any"],
                                           "profiles": ["Any"]})
    behaviour, result = probe_host(edited(lab, tmp_path, "healthy", squatter))
    assert behaviour.kind == "foreign"
    assert result["stage_failed"] == "x224" and result["error"]["class"] in ("closed", "no_reply")


def test_a_block_rule_wins_over_the_allow_rule(lab, tmp_path):
    def blocked(state):
        state["firewall"]["policy_rules"].append({"name": "block-rdp", "enabled": True, "action": "Block",
                                                  "direction": "Inbound", "protocol": "TCP",
                                                  "local_ports": ["3389"], "remote_addresses": ["Any"],
                                                  "profiles": ["Domain"]})
    behaviour, result = probe_host(edited(lab, tmp_path, "healthy", blocked), timeout=SILENT)
    assert "block-rdp" in behaviour.reason and result["error"]["class"] == "timeout"


def test_rules_scoped_to_other_sources_drop_the_controller(lab, tmp_path):
    def scoped(state):
        for rule in state["firewall"]["rules"]:
            rule["remote_addresses"] = ["10.0.0.0/8"]
    behaviour, _unused = probe_host(edited(lab, tmp_path, "healthy", scoped), timeout=0.2)
    assert behaviour.kind == "drop"
    assert rdp_endpoint.listener_behaviour(
        rdp_endpoint.WindowsHost.load(str(tmp_path / "healthy.json")), 3389, client="10.1.2.3").kind == "rdp"


def test_the_endpoint_never_reads_the_catalogue():
    source = open(os.path.join(os.path.dirname(rdp_endpoint.__file__), "rdp_endpoint.py"), encoding="utf-8").read()
    assert "catalogue" not in source.replace("control catalogue", "") and "evaluate" not in source
