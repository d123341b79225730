# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The simulated registry behaves like Windows': hive path forms, case-insensitivity, types, access denied."""

from __future__ import annotations

import pytest

from ansible_collections.rdp.windows.plugins.plugin_utils._simulator.registry import (
    AccessDenied, Registry, RegistryError, canonical_path)

TS = r"HKLM\SYSTEM\CurrentControlSet\Control\Terminal Server"


@pytest.mark.parametrize("path", [
    r"HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server",
    r"HKLM\SYSTEM\CurrentControlSet\Control\Terminal Server",
    r"HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\Terminal Server",
    r"hklm:\SYSTEM\CurrentControlSet\Control\Terminal Server\\",
    "HKLM:/SYSTEM/CurrentControlSet/Control/Terminal Server",
    r"  HKLM:\\SYSTEM\CurrentControlSet\\Control\Terminal Server  ",
])
def test_hive_path_forms_are_one_key(path):
    assert canonical_path(path) == TS


def test_other_hives_and_unknown_drives():
    assert canonical_path(r"HKEY_CURRENT_USER\Software\X") == r"HKCU\Software\X"
    assert canonical_path("HKU:") == "HKU"
    with pytest.raises(RegistryError, match="Cannot find drive. A drive with the name 'HKXX' does not exist."):
        canonical_path(r"HKXX:\Software")


def make():
    return Registry({TS: {"fDenyTSConnections": {"type": "REG_DWORD", "value": 1}},
                     TS + r"\WinStations\RDP-Tcp": {"PortNumber": {"type": "REG_DWORD", "value": 3389}}})


def test_keys_and_value_names_are_case_insensitive():
    registry = make()
    assert registry.get(r"hklm:\system\currentcontrolset\control\TERMINAL SERVER", "FDENYTSCONNECTIONS") == {
        "type": "REG_DWORD", "value": 1}
    registry.set(r"HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server", "fdenytsconnections", "REG_DWORD", 0)
    assert list(registry.keys[TS]) == ["fDenyTSConnections"]  # the name keeps the case it was created with
    assert registry.get(TS, "fDenyTSConnections")["value"] == 0


def test_get_returns_a_copy_and_none_for_missing_values_or_keys():
    registry = make()
    registry.get(TS, "fDenyTSConnections")["value"] = 5
    assert registry.get(TS, "fDenyTSConnections")["value"] == 1
    assert registry.get(TS, "Missing") is None
    assert registry.get(TS + r"\Nope", "x") is None


def test_set_creates_the_key_in_canonical_form_and_checks_the_type():
    registry = make()
    registry.set(r"HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services", "KeepAliveEnable", "REG_DWORD", 1)
    assert r"HKLM\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services" in registry.keys
    with pytest.raises(RegistryError, match="unknown registry type REG_WORD"):
        registry.set(TS, "x", "REG_WORD", 1)


def test_delete_key_exists_subkeys_values():
    registry = make()
    assert registry.key_exists(r"HKLM:\SYSTEM\CurrentControlSet\Control")  # a parent of stored keys exists
    assert not registry.key_exists(r"HKLM:\SYSTEM\Nope")
    assert registry.subkeys(TS) == ["WinStations"]
    assert registry.values(TS + r"\winstations\rdp-tcp") == {"PortNumber": {"type": "REG_DWORD", "value": 3389}}
    assert registry.values(TS + r"\Nope") == {}
    assert registry.delete(TS, "FDENYTSCONNECTIONS") is True
    assert registry.delete(TS, "fDenyTSConnections") is False
    assert registry.delete(TS + r"\Nope", "x") is False


def test_access_denied_keys_and_their_subkeys():
    registry = Registry(make().keys, denied=[r"HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations"])
    with pytest.raises(AccessDenied, match=r"Requested registry access is not allowed. \(open HKLM"):
        registry.get(TS + r"\WinStations\RDP-Tcp", "PortNumber")
    with pytest.raises(AccessDenied, match="write to"):
        registry.set(TS + r"\winstations", "x", "REG_DWORD", 1)
    with pytest.raises(AccessDenied):
        registry.subkeys(TS + r"\WinStations")
    assert registry.get(TS, "fDenyTSConnections")["value"] == 1  # the parent stays readable
    assert isinstance(AccessDenied("x"), RegistryError)
