# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A Windows registry as Windows behaves: case-insensitive keys and value names, typed values, keys that
must exist before a value is read, access-denied keys (no access at all) and read-only keys (the ACL
grants read but not write, as on keys owned by TrustedInstaller or locked down by a security baseline).

Keys are stored in the state file under their canonical long form (``HKLM\\SOFTWARE\\...``) with the
case they were created with; lookups ignore case like Windows does.
"""

from __future__ import annotations

HIVES = {
    "HKLM": "HKLM", "HKEY_LOCAL_MACHINE": "HKLM",
    "HKCU": "HKCU", "HKEY_CURRENT_USER": "HKCU",
    "HKU": "HKU", "HKEY_USERS": "HKU",
    "HKCR": "HKCR", "HKEY_CLASSES_ROOT": "HKCR",
    "HKCC": "HKCC", "HKEY_CURRENT_CONFIG": "HKCC",
}
TYPES = ("REG_SZ", "REG_EXPAND_SZ", "REG_BINARY", "REG_DWORD", "REG_MULTI_SZ", "REG_QWORD", "REG_NONE")


class RegistryError(Exception):
    """A failure Windows would raise (the message is the one PowerShell shows)."""


class AccessDenied(RegistryError):
    pass


def canonical_path(path: str) -> str:
    """``HKLM:\\Software\\X``, ``HKLM\\Software\\X`` and ``HKEY_LOCAL_MACHINE\\Software\\X`` are one key."""
    text = path.replace("/", "\\").strip()
    hive, _sep, rest = text.partition("\\")
    hive = hive.rstrip(":").upper()
    if hive not in HIVES:
        raise RegistryError(f"Cannot find drive. A drive with the name '{hive}' does not exist.")
    rest = "\\".join(part for part in rest.split("\\") if part)
    return HIVES[hive] + ("\\" + rest if rest else "")


class Registry:
    def __init__(self, keys: dict, denied: list | None = None, read_only: list | None = None):
        self.keys = keys  # canonical path -> {value name: {"type": REG_*, "value": data}}
        self.denied = [canonical_path(p).lower() for p in denied or ()]
        self.read_only = [canonical_path(p).lower() for p in read_only or ()]

    def _find_key(self, path):
        wanted = canonical_path(path).lower()
        for key in self.keys:
            if key.lower() == wanted:
                return key
        return None

    def _check_access(self, path, write=False):
        wanted = canonical_path(path).lower()
        for denied in self.denied + (self.read_only if write else []):
            if wanted == denied or wanted.startswith(denied + "\\"):
                verb = "write to" if write else "open"
                raise AccessDenied(f"Requested registry access is not allowed. ({verb} {canonical_path(path)})")

    def key_exists(self, path) -> bool:
        self._check_access(path)
        wanted = canonical_path(path).lower()
        return any(key.lower() == wanted or key.lower().startswith(wanted + "\\") for key in self.keys)

    def get(self, path, name, check_access=True):
        """Return {"type", "value"} or None when the value (or its key) does not exist. Windows itself (a service
        running as SYSTEM) reads with ``check_access=False``: an ACL that denies the Ansible user does not stop it."""
        if check_access:
            self._check_access(path)
        key = self._find_key(path)
        if key is None:
            return None
        for value_name, entry in self.keys[key].items():
            if value_name.lower() == name.lower():
                return dict(entry)
        return None

    def set(self, path, name, reg_type, value):
        if reg_type not in TYPES:
            raise RegistryError(f"unknown registry type {reg_type}")
        self._check_access(path, write=True)
        key = self._find_key(path)
        if key is None:
            key = canonical_path(path)
            self.keys[key] = {}
        for value_name in list(self.keys[key]):
            if value_name.lower() == name.lower():
                self.keys[key][value_name] = {"type": reg_type, "value": value}
                return
        self.keys[key][name] = {"type": reg_type, "value": value}

    def delete(self, path, name) -> bool:
        self._check_access(path, write=True)
        key = self._find_key(path)
        if key is None:
            return False
        for value_name in list(self.keys[key]):
            if value_name.lower() == name.lower():
                del self.keys[key][value_name]
                return True
        return False

    def subkeys(self, path):
        """Names of the direct subkeys of ``path``."""
        self._check_access(path)
        prefix = canonical_path(path).lower() + "\\"
        names = set()
        for key in self.keys:
            if key.lower().startswith(prefix):
                names.add(key[len(prefix):].split("\\", 1)[0])
        return sorted(names)

    def values(self, path):
        self._check_access(path)
        key = self._find_key(path)
        return dict(self.keys[key]) if key else {}
