# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The simulator's faults behave as docs/simulator.md (Faults) says."""

import json
import time

import pytest
from ansible.errors import AnsibleConnectionFailure

from ansible_collections.rdp.windows.plugins.plugin_utils._simulator.fresh_install import (
    TS, enable_remote_desktop, fresh_install)
from ansible_collections.rdp.windows.plugins.plugin_utils._simulator.registry import AccessDenied, Registry
from ansible_collections.rdp.windows.plugins.plugin_utils._simulator.windows_host import WindowsHost
from tests.lab.faults.simulated import call, connection

REGEDIT = "ansible.windows.win_regedit"
WRITE = {"path": "HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server", "name": "fDenyTSConnections",
         "data": 0, "type": "dword"}


@pytest.fixture
def host_file(tmp_path):
    path = tmp_path / "h.json"
    path.write_text(json.dumps(fresh_install("h1")))
    return path


def set_faults(path, faults, **extra):
    state = json.loads(path.read_text())
    state["faults"] = faults
    state.update(extra)
    path.write_text(json.dumps(state))


def state_of(path):
    return json.loads(path.read_text())


def outcomes(path):
    return [json.loads(line)["outcome"] for line in open(f"{path}.calls.jsonl", encoding="utf-8")]


def deny_value(path):
    return state_of(path)["registry"][TS]["fDenyTSConnections"]["value"]


def test_dropped_before_runs_nothing_and_says_refused(host_file):
    set_faults(host_file, [{"at": "before"}])
    with pytest.raises(AnsibleConnectionFailure, match="Connection refused"):
        call(connection(host_file), REGEDIT, WRITE)
    assert deny_value(host_file) == 1
    assert outcomes(host_file) == ["connection_lost_before"]
    assert state_of(host_file)["faults"] == []


def test_dropped_after_keeps_the_write_but_loses_the_reply(host_file):
    set_faults(host_file, [{"at": "after"}])
    with pytest.raises(AnsibleConnectionFailure, match="reset by peer"):
        call(connection(host_file), REGEDIT, WRITE)
    assert deny_value(host_file) == 0
    assert outcomes(host_file) == ["connection_lost_after"]


def test_timeout_waits_for_the_read_timeout_then_fails_like_winrm(host_file):
    set_faults(host_file, [{"at": "after", "kind": "timeout"}])
    started = time.monotonic()
    with pytest.raises(AnsibleConnectionFailure, match=r"Read timed out. \(read timeout=0.3\)"):
        call(connection(host_file, timeout=0.3), REGEDIT, WRITE)
    assert time.monotonic() - started >= 0.3
    assert deny_value(host_file) == 0
    assert outcomes(host_file) == ["timed_out_after"]


def test_timeout_before_is_a_connect_timeout_and_runs_nothing(host_file):
    set_faults(host_file, [{"at": "before", "kind": "timeout"}])
    with pytest.raises(AnsibleConnectionFailure, match="connect timeout"):
        call(connection(host_file), REGEDIT, WRITE)
    assert deny_value(host_file) == 1


def test_skip_lets_the_first_write_through_and_breaks_the_second(host_file):
    set_faults(host_file, [{"at": "before", "module": REGEDIT, "skip": 1}])
    conn = connection(host_file)
    rc, first, dummy = call(conn, REGEDIT, WRITE)
    assert rc == 0 and first["changed"]
    call(conn, "rdp.windows.host_info", {})  # another module does not consume the fault
    with pytest.raises(AnsibleConnectionFailure):
        call(conn, REGEDIT, dict(WRITE, name="fSingleSessionPerUser"))
    assert outcomes(host_file) == ["ok", "ok", "connection_lost_before"]
    assert state_of(host_file)["registry"][TS]["fSingleSessionPerUser"]["value"] == 1


def test_times_makes_an_outage_that_then_clears(host_file):
    set_faults(host_file, [{"at": "before", "times": 3}])
    conn = connection(host_file)
    for dummy in range(3):
        with pytest.raises(AnsibleConnectionFailure):
            call(conn, "rdp.windows.host_info", {})
    rc, result, dummy = call(conn, "rdp.windows.host_info", {})
    assert rc == 0 and "failed" not in result


def test_call_number_targets_one_round_trip(host_file):
    set_faults(host_file, [{"at": "module_error", "call": 2, "message": "boom"}])
    conn = connection(host_file)
    assert "failed" not in call(conn, "rdp.windows.host_info", {})[1]
    assert call(conn, "rdp.windows.host_info", {})[1] == {"failed": True, "msg": "boom"}
    assert "failed" not in call(conn, "rdp.windows.host_info", {})[1]


def test_corrupt_reply_after_the_module_ran(host_file):
    set_faults(host_file, [{"at": "corrupt", "stdout": "\x00garbage{"}])
    rc, text, dummy = call(connection(host_file), REGEDIT, WRITE)
    assert rc == 0 and text == "\x00garbage{"
    assert deny_value(host_file) == 0
    assert outcomes(host_file) == ["corrupt_reply"]


def test_read_only_key_can_be_read_but_not_written(host_file):
    set_faults(host_file, [], registry_read_only=[TS])
    conn = connection(host_file)
    dummy, info, dummy = call(conn, "rdp.windows.host_info", {"registry": [{"path": WRITE["path"], "name": WRITE["name"]}]})
    assert info["registry"][0]["value"] == 1 and "error" not in info["registry"][0]
    dummy, result, dummy = call(conn, REGEDIT, WRITE)
    assert result["failed"] and "Requested registry access is not allowed" in result["msg"]
    assert deny_value(host_file) == 1


def test_denied_key_can_be_neither_read_nor_written(host_file):
    set_faults(host_file, [], registry_denied=[TS])
    conn = connection(host_file)
    dummy, info, dummy = call(conn, "rdp.windows.host_info", {"registry": [{"path": WRITE["path"], "name": WRITE["name"]}]})
    assert "not allowed" in info["registry"][0]["error"] and info["registry"][0]["exists"] is False
    assert call(conn, REGEDIT, WRITE)[1]["failed"]


def test_read_only_covers_subkeys_only_by_path_segment():
    registry = Registry({}, read_only=["HKLM\\SOFTWARE\\A"])
    registry.set("HKLM\\SOFTWARE\\AB", "x", "REG_DWORD", 1)
    with pytest.raises(AccessDenied):
        registry.set("HKLM:\\Software\\a\\child", "x", "REG_DWORD", 1)


def test_missing_key_is_created_by_a_write(host_file):
    path = "HKLM:\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.2\\Server"
    conn = connection(host_file)
    dummy, info, dummy = call(conn, "rdp.windows.host_info", {"registry": [{"path": path, "name": "Enabled"}]})
    assert info["registry"][0]["key_exists"] is False and info["registry"][0]["exists"] is False
    assert call(conn, REGEDIT, {"path": path, "name": "Enabled", "data": 1, "type": "dword"})[1]["changed"]
    assert WindowsHost.load(str(host_file)).registry.get(path, "Enabled") == {"type": "REG_DWORD", "value": 1}


def test_wrong_type_is_reported_and_converted(host_file):
    state = state_of(host_file)
    state["registry"][TS]["fDenyTSConnections"] = {"type": "REG_SZ", "value": "0"}
    host_file.write_text(json.dumps(state))
    conn = connection(host_file)
    dummy, info, dummy = call(conn, "rdp.windows.host_info", {"registry": [{"path": WRITE["path"], "name": WRITE["name"]}]})
    assert (info["registry"][0]["type"], info["registry"][0]["value"]) == ("REG_SZ", "0")
    dummy, result, dummy = call(conn, REGEDIT, WRITE)
    assert result["changed"] and result["data_type_changed"]
    assert state_of(host_file)["registry"][TS]["fDenyTSConnections"] == {"type": "REG_DWORD", "value": 0}


def test_policy_refresh_after_write_reverts_a_gpo_owned_local_value(host_file):
    state = enable_remote_desktop(state_of(host_file))
    state["group_policy"] = {"registry": {TS: {"fDenyTSConnections": {"type": "REG_DWORD", "value": 1}}},
                             "refresh_after_write": True}
    state["registry"][TS]["fDenyTSConnections"]["value"] = 1
    host_file.write_text(json.dumps(state))
    dummy, result, dummy = call(connection(host_file), REGEDIT, WRITE)
    assert result["changed"]  # the module saw its write succeed ...
    assert deny_value(host_file) == 1  # ... and the refresh put the policy's value back


def test_service_that_fails_to_start_keeps_its_new_start_mode(host_file):
    state = state_of(host_file)
    state["services"]["TermService"].update(state="stopped", start_mode="disabled", fails_to_start=True)
    host_file.write_text(json.dumps(state))
    dummy, result, dummy = call(connection(host_file), "ansible.windows.win_service",
                                {"name": "TermService", "start_mode": "manual", "state": "started"})
    assert result["failed"] and "did not respond to the start" in result["msg"]
    assert state_of(host_file)["services"]["TermService"]["start_mode"] == "manual"
    assert state_of(host_file)["services"]["TermService"]["state"] == "stopped"


def test_start_mode_set_by_policy_cannot_change(host_file):
    state = state_of(host_file)
    state["services"]["TermService"].update(start_mode="disabled", state="stopped", policy_start_mode=True)
    host_file.write_text(json.dumps(state))
    dummy, result, dummy = call(connection(host_file), "ansible.windows.win_service",
                                {"name": "TermService", "start_mode": "manual"})
    assert result["failed"] and "Access is denied" in result["msg"]
    assert state_of(host_file)["services"]["TermService"]["start_mode"] == "disabled"


def test_a_denied_parent_key_fails_per_value_not_the_whole_read(host_file):
    """Access denied on Terminal Server also covers RDP-Tcp; host_info still answers, TermService still listens."""
    set_faults(host_file, [], registry_denied=[TS])
    dummy, info, dummy = call(connection(host_file), "rdp.windows.host_info", {
        "registry": [{"path": TS + "\\WinStations\\RDP-Tcp", "name": "PortNumber"}]})
    assert "failed" not in info
    assert "not allowed" in info["registry"][0]["error"]
    assert info["listener"]["configured_port"] == 3389
    assert {"section": "listener", "message": info["errors"][0]["message"]} in info["errors"]
