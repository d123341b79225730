# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Windows objects a control reads: registry values (with their policy twin), services, firewall
rules, groups by SID, user rights, QoS policies and the live listener.

These are plain descriptions. ``host_query`` turns the objects of a set of controls into the one query that
``rdp.windows.host_info`` answers in a single round trip.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

TS = r"HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server"
RDP_TCP = TS + r"\WinStations\RDP-Tcp"
TS_POLICY = r"HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services"
CREDSSP_POLICY = r"HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System\CredSSP\Parameters"
SCHANNEL_PROTOCOLS = r"HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols"

REMOTE_DESKTOP_USERS_SID = "S-1-5-32-555"
ADMINISTRATORS_SID = "S-1-5-32-544"
RDP_FIREWALL_GROUP = "@FirewallAPI.dll,-28752"
RDP_RULE_TCP = "RemoteDesktop-UserMode-In-TCP"
RDP_RULE_UDP = "RemoteDesktop-UserMode-In-UDP"
OWNED_RULE_PREFIX = "rdp.windows-"
OWNED_RULE_GROUP = "rdp.windows"
OWNED_QOS_PREFIX = "rdp.windows-"
OWNED_QOS_POLICY = OWNED_QOS_PREFIX + "RDP"


def owned_rule_name(protocol: str) -> str:
    """The one collection-owned inbound rule per protocol that opens a custom RDP port."""
    return f"{OWNED_RULE_PREFIX}RDP-In-{protocol.upper()}"


@dataclass(frozen=True)
class RegistryValue:
    path: str
    name: str


@dataclass(frozen=True)
class RegistrySetting:
    """A registry value whose effective value is: policy value if present, else local value, else default.

    ``local`` is None for settings that exist only as policy (keep-alive, session limits, CredSSP);
    ``policy`` is None for settings without a policy twin (PortNumber, LanAdapter, ...).
    """

    local: RegistryValue | None
    policy: RegistryValue | None
    value_type: str = "dword"
    default: Any = None
    policy_setting: str = ""

    kind = "registry"

    def locations(self):
        return [loc for loc in (self.policy, self.local) if loc is not None]


@dataclass(frozen=True)
class ServiceProperty:
    service: str
    prop: str  # "state" or "start_mode"

    kind = "service"


@dataclass(frozen=True)
class FirewallBuiltinRule:
    """A built-in Remote Desktop rule, addressed by its stable Name (never by its localized display name)."""

    rule_name: str
    protocol: str

    kind = "firewall_builtin"


@dataclass(frozen=True)
class FirewallPortOpen:
    """Some enabled inbound allow rule covers the RDP port for this protocol (needed for a custom port)."""

    protocol: str

    kind = "firewall_port"


@dataclass(frozen=True)
class FirewallSources:
    """The remote addresses accepted by the enabled rules that open the RDP port."""

    protocol: str = "TCP"

    kind = "firewall_sources"


@dataclass(frozen=True)
class GroupMembers:
    sid: str

    kind = "group"


@dataclass(frozen=True)
class UserRight:
    name: str

    kind = "user_right"


@dataclass(frozen=True)
class QosMarking:
    """A QoS policy marks traffic sent from the RDP port with a DSCP value."""

    protocol: str

    kind = "qos"


@dataclass(frozen=True)
class ListenerLive:
    """What actually listens on the configured RDP port, and whether it is TermService."""

    kind = "listener"
