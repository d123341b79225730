# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The desired state: the user's ``rdp_*`` variables, validated, with their documented defaults.

Every check happens here, before anything touches a host. A bad value raises ``InvalidInput`` whose
message names the variable and what it accepts; all problems are reported at once.
"""

from __future__ import annotations

import difflib
import ipaddress
import re
from dataclasses import dataclass, field
from typing import Any

from .input_problems import InputProblems

PROFILES = ("baseline", "hardened")
WINRM_PORTS = (5985, 5986)

DEFAULTS = {
    "rdp_profile": "baseline",
    "rdp_port": 3389,
    "rdp_nla_required": True,
    "rdp_allowed_sources": ["any"],
    "rdp_udp_enabled": True,
    "rdp_users": [],
    "rdp_users_exclusive": False,
    "rdp_qos_dscp": 46,
    "rdp_max_outstanding_connections": None,
    "rdp_keep_alive_interval": 1,
    "rdp_idle_session_limit_ms": 900000,
    "rdp_disconnected_session_limit_ms": 60000,
    "rdp_fail_on_drift": False,
    "rdp_restart_service": False,
    "rdp_write_policy_keys": False,
    "rdp_controls_skip": [],
}

# Characters Windows does not allow in a user or group name (the backslash is allowed once, as DOMAIN\name).
_ILLEGAL_ACCOUNT_CHARS = set('"/[]:;|=,+*?<>')
_SID_RE = re.compile(r"^S-1-\d+(-\d+)+$")
_FIREWALL_KEYWORDS = {"any", "localsubnet", "dns", "dhcp", "wins", "defaultgateway", "internet", "intranet"}


class InvalidInput(InputProblems):
    """Raised with every problem found in the user's variables or module options."""


@dataclass(frozen=True)
class DesiredState:
    profile: str = "baseline"
    port: int = 3389
    nla_required: bool = True
    allowed_sources: tuple = ("any",)
    udp_enabled: bool = True
    users: tuple = ()
    users_exclusive: bool = False
    qos_dscp: int | None = 46
    max_outstanding_connections: int | None = None
    keep_alive_interval: int | None = 1
    idle_session_limit_ms: int = 900000
    disconnected_session_limit_ms: int = 60000
    fail_on_drift: bool = False
    restart_service: bool = False
    write_policy_keys: bool = False
    controls_skip: tuple = ()
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def sources_any(self) -> bool:
        return any(s.lower() == "any" for s in self.allowed_sources)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _as_int(name: str, value: Any, low: int, high: int, problems: list, allow_none=False):
    if value is None and allow_none:
        return None
    if isinstance(value, str) and re.fullmatch(r"[0-9]+", value.strip()):
        value = int(value.strip())  # not str.isdigit(): it accepts '³', which int() then refuses
    if not _is_int(value) or not low <= value <= high:
        extra = " or null" if allow_none else ""
        problems.append(f"{name} must be an integer from {low} to {high}{extra}, got {value!r}")
        return None
    return value


def _as_bool(name: str, value: Any, problems: list):
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "yes", "1", "false", "no", "0"):
        return value.lower() in ("true", "yes", "1")
    problems.append(f"{name} must be a boolean (true or false), got {value!r}")
    return None


def _as_list(name: str, value: Any, problems: list):
    if isinstance(value, str):
        problems.append(f"{name} must be a list, got the string {value!r}; write it as [{value!r}]")
        return None
    if not isinstance(value, (list, tuple)):
        problems.append(f"{name} must be a list, got {value!r}")
        return None
    return list(value)


def validate_source(address: Any) -> str | None:
    """Return why ``address`` is not a valid firewall remote address, or None if it is."""
    if not isinstance(address, str) or not address.strip():
        return f"{address!r} is not an address"
    text = address.strip()
    if text.lower() in _FIREWALL_KEYWORDS:
        return None
    try:
        if "-" in text:
            first, last = (part.strip() for part in text.split("-", 1))
            if ipaddress.ip_address(first).version != ipaddress.ip_address(last).version:
                return f"{text!r} mixes IPv4 and IPv6"
            if ipaddress.ip_address(first) > ipaddress.ip_address(last):
                return f"{text!r} is a range whose start is after its end"
            return None
        if "/" in text:
            ipaddress.ip_network(text, strict=False)
            prefix = text.split("/", 1)[1]
            if not prefix.isdigit():
                return f"{text!r} has a malformed prefix length"
            return None
        ipaddress.ip_address(text)
        return None
    except ValueError:
        return f"{text!r} is not an IP address, CIDR network, range (a-b) or firewall keyword"


def validate_account(account: Any) -> str | None:
    """Return why ``account`` is not a plausible Windows account name or SID, or None if it is."""
    if not isinstance(account, str) or not account.strip():
        return f"{account!r} is not an account name"
    text = account.strip()
    if text.upper().startswith("S-1-"):
        return None if _SID_RE.match(text.upper()) else f"{text!r} is not a well-formed SID"
    name = text
    if "\\" in text:
        domain, name = text.split("\\", 1)
        if not domain or "\\" in name:
            return f"{text!r} must be DOMAIN\\name with a single backslash"
    elif "@" in text:
        name, _sep, domain = text.partition("@")
        if not name or not domain:
            return f"{text!r} is not a valid user@domain name"
    bad = sorted(set(name) & _ILLEGAL_ACCOUNT_CHARS)
    if bad:
        return f"{text!r} contains characters Windows does not allow in account names: {' '.join(bad)}"
    if any(ord(char) < 32 or ord(char) == 127 for char in text):
        return f"{text!r} contains control characters, which Windows does not allow in account names"
    if len(name) > 256 or not name.strip(" ."):
        return f"{text!r} is not a valid account name"
    return None


def known_ids_hint(unknown, known) -> str:
    """'did you mean ...?' for a likely typo, else the list of control ids (the allowed values)."""
    close = [match for name in unknown for match in difflib.get_close_matches(str(name), list(known), n=1)]
    if close:
        return "did you mean " + ", ".join(repr(match) for match in close) + "?"
    return f"control ids are: {', '.join(sorted(known))}"


def from_vars(variables: dict, known_control_ids=()) -> DesiredState:
    """Build a DesiredState from ``rdp_*`` variables (missing ones take their defaults)."""
    values = dict(DEFAULTS)
    values.update({k: v for k, v in variables.items() if k in DEFAULTS})
    problems: list = []

    profile = values["rdp_profile"]
    if profile not in PROFILES:
        problems.append(f"rdp_profile must be one of {', '.join(PROFILES)}, got {profile!r}")
    port = _as_int("rdp_port", values["rdp_port"], 1, 65535, problems)
    if port in WINRM_PORTS:
        problems.append(f"rdp_port must not be {port}: WinRM listens on {' and '.join(map(str, WINRM_PORTS))}, and "
                        f"moving RDP there would break both; choose another port from 1 to 65535")
        port = None
    nla = _as_bool("rdp_nla_required", values["rdp_nla_required"], problems)
    udp = _as_bool("rdp_udp_enabled", values["rdp_udp_enabled"], problems)
    exclusive = _as_bool("rdp_users_exclusive", values["rdp_users_exclusive"], problems)
    fail = _as_bool("rdp_fail_on_drift", values["rdp_fail_on_drift"], problems)
    restart = _as_bool("rdp_restart_service", values["rdp_restart_service"], problems)
    write_policy = _as_bool("rdp_write_policy_keys", values["rdp_write_policy_keys"], problems)
    dscp = _as_int("rdp_qos_dscp", values["rdp_qos_dscp"], 0, 63, problems, allow_none=True)
    moc = _as_int("rdp_max_outstanding_connections", values["rdp_max_outstanding_connections"],
                  1, 0xFFFFFFFF, problems, allow_none=True)
    keep_alive = _as_int("rdp_keep_alive_interval", values["rdp_keep_alive_interval"], 1, 999999, problems,
                         allow_none=True)
    idle = _as_int("rdp_idle_session_limit_ms", values["rdp_idle_session_limit_ms"], 60000, 900000, problems)
    disconnected = _as_int("rdp_disconnected_session_limit_ms", values["rdp_disconnected_session_limit_ms"],
                           60000, 432000000, problems)

    sources = _as_list("rdp_allowed_sources", values["rdp_allowed_sources"], problems)
    if sources is not None:
        if not sources:
            problems.append("rdp_allowed_sources must not be empty: it would block every RDP client; "
                            "use ['any'] to allow all addresses")
        for source in sources:
            why = validate_source(source)
            if why:
                problems.append(f"rdp_allowed_sources: {why}")
        if len(sources) > 1 and any(str(s).lower() == "any" for s in sources):
            problems.append("rdp_allowed_sources: 'any' cannot be combined with specific addresses")

    users = _as_list("rdp_users", values["rdp_users"], problems)
    for user in users or ():
        why = validate_account(user)
        if why:
            problems.append(f"rdp_users: {why}")
    if exclusive and users is not None and not users:
        problems.append("rdp_users_exclusive is true but rdp_users is empty: that would empty Remote Desktop Users; "
                        "list the accounts to keep, or set rdp_users_exclusive to false")

    skip = _as_list("rdp_controls_skip", values["rdp_controls_skip"], problems)
    if known_control_ids and skip:
        unknown = [c for c in skip if c not in known_control_ids]
        if unknown:
            problems.append(f"rdp_controls_skip names unknown controls: {', '.join(map(str, unknown))}; "
                            f"{known_ids_hint(unknown, known_control_ids)}")

    if problems:
        raise InvalidInput(problems)
    return DesiredState(
        profile=profile, port=port, nla_required=nla, allowed_sources=tuple(str(s).strip() for s in sources),
        udp_enabled=udp, users=tuple(u.strip() for u in users), users_exclusive=exclusive, qos_dscp=dscp,
        max_outstanding_connections=moc, keep_alive_interval=keep_alive, idle_session_limit_ms=idle,
        disconnected_session_limit_ms=disconnected, fail_on_drift=fail, restart_service=restart,
        write_policy_keys=write_policy, controls_skip=tuple(skip),
    )
