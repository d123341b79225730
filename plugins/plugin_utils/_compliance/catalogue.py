# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The control catalogue: every RDP prerequisite the collection audits and fixes, defined once.

Audit, remediation, diagnosis and the reports all read this list. To add a control, add one ``Control``
entry below; if it reads a kind of Windows object that already exists (see ``windows_objects``), nothing
else has to change.

``expect`` receives the validated desired state and the account SIDs the host resolved for ``rdp_users``;
``applies`` returns None when the control applies, or the reason it does not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from .desired_state import DesiredState
from .expectations import (AtLeastOrAbsent, Between, Equals, OneOf, Present, SetContains, SetExcludes,
                           SetIncludesAny)
from .firewall_addresses import normalize_address
from .windows_objects import (
    ADMINISTRATORS_SID, CREDSSP_POLICY, RDP_RULE_TCP, RDP_RULE_UDP, RDP_TCP, REMOTE_DESKTOP_USERS_SID,
    SCHANNEL_PROTOCOLS, TS, TS_POLICY, FirewallBuiltinRule, FirewallPortOpen, FirewallSources, GroupMembers,
    ListenerLive, QosMarking, RegistrySetting, RegistryValue, ServiceProperty, UserRight,
)

AREAS = ("connections", "listener", "service", "firewall", "tuning", "qos", "users", "compatibility")
CAUSES = ("network", "firewall", "service", "configuration", "permissions", "compatibility")
BASELINE = ("baseline", "hardened")
HARDENED = ("hardened",)
DEFAULT_RDP_PORT = 3389
RUNNING_START_MODES = ("manual", "auto", "delayed")
EVERYONE_SID = "S-1-1-0"
AUTHENTICATED_USERS_SID = "S-1-5-11"
USERS_SID = "S-1-5-32-545"


@dataclass(frozen=True)
class Control:
    id: str
    title: str
    area: str
    cause: str
    profiles: tuple
    reads: object
    expect: Callable
    rationale: str
    applies: Callable = lambda desired: None
    restart_required: bool = False
    fixable: bool = True


def _reg(path, name, policy=None, default=None, value_type="dword", policy_setting=""):
    local = RegistryValue(path, name) if path else None
    twin = RegistryValue(policy, name) if policy else None
    return RegistrySetting(local=local, policy=twin, value_type=value_type, default=default,
                           policy_setting=policy_setting)


def _policy_only(name, default=None, policy_setting=""):
    return RegistrySetting(local=None, policy=RegistryValue(TS_POLICY, name), default=default,
                           policy_setting=policy_setting)


def _needs_port(port_is_default):
    def applies(d):
        if (d.port == DEFAULT_RDP_PORT) != port_is_default:
            return f"rdp_port is {d.port}"
        return None
    return applies


def _needs_udp(port_is_default):
    base = _needs_port(port_is_default)

    def applies(d):
        if not d.udp_enabled:
            return "rdp_udp_enabled is false"
        return base(d)
    return applies


def _needs_qos(protocol):
    def applies(d):
        if d.qos_dscp is None:
            return "rdp_qos_dscp is null (QoS not managed)"
        if protocol == "UDP" and not d.udp_enabled:
            return "rdp_udp_enabled is false"
        return None
    return applies


def _users_apply(d):
    return None if d.users else "rdp_users is empty"


def _forbidden_deny_sids(d, sids):
    return (REMOTE_DESKTOP_USERS_SID, EVERYONE_SID, AUTHENTICATED_USERS_SID, USERS_SID) + tuple(sids)


TLS12_SERVER = SCHANNEL_PROTOCOLS + r"\TLS 1.2\Server"


def _network_logon_sids(d, sids):
    """Any of these in 'Access this computer from the network' lets the RDP users log on over the network."""
    return (EVERYONE_SID, AUTHENTICATED_USERS_SID, USERS_SID, REMOTE_DESKTOP_USERS_SID) + tuple(sids)


def _needs_nla(d):
    return None if d.nla_required else "rdp_nla_required is false: no network logon precedes the session"


CONTROLS = (
    # --- connections ---------------------------------------------------------------------------------
    Control(
        id="connections.allowed", title="Remote connections to this computer are allowed",
        area="connections", cause="configuration", profiles=BASELINE,
        reads=_reg(TS, "fDenyTSConnections", policy=TS_POLICY, default=1,
                   policy_setting="Computer Configuration > Administrative Templates > Windows Components > "
                                  "Remote Desktop Services > Remote Desktop Session Host > Connections > "
                                  "Allow users to connect remotely by using Remote Desktop Services"),
        expect=lambda d, sids: Equals(0),
        rationale="fDenyTSConnections=1 (the Windows default) refuses every RDP connection.",
    ),
    Control(
        id="connections.not_draining", title="The session host is not in drain mode",
        area="connections", cause="configuration", profiles=BASELINE,
        reads=_reg(TS, "TSServerDrainMode", default=0),
        expect=lambda d, sids: Equals(0),
        rationale="In drain mode (TSServerDrainMode=1) the host refuses new logons.",
    ),
    # --- listener ------------------------------------------------------------------------------------
    Control(
        id="listener.enabled", title="The RDP-Tcp listener is enabled",
        area="listener", cause="configuration", profiles=BASELINE,
        reads=_reg(RDP_TCP, "fEnableWinStation", default=1),
        expect=lambda d, sids: Equals(1),
        rationale="fEnableWinStation=0 disables the RDP-Tcp listener.",
    ),
    Control(
        id="listener.logon_enabled", title="The RDP-Tcp listener accepts logons",
        area="listener", cause="configuration", profiles=BASELINE,
        reads=_reg(RDP_TCP, "fLogonDisabled", default=0),
        expect=lambda d, sids: Equals(0),
        rationale="fLogonDisabled=1 makes the listener refuse every logon.",
    ),
    Control(
        id="listener.port", title="The RDP-Tcp listener uses the configured port",
        area="listener", cause="network", profiles=BASELINE,
        reads=_reg(RDP_TCP, "PortNumber", default=DEFAULT_RDP_PORT),
        expect=lambda d, sids: Equals(d.port),
        rationale="Clients connect to rdp_port; the listener must be on that port (it moves only after a "
                  "TermService restart).",
        restart_required=True,
    ),
    Control(
        id="listener.all_adapters", title="The RDP-Tcp listener listens on all network adapters",
        area="listener", cause="network", profiles=BASELINE,
        reads=_reg(RDP_TCP, "LanAdapter", default=0),
        expect=lambda d, sids: Equals(0),
        rationale="LanAdapter other than 0 binds the listener to one adapter; clients on others are refused.",
        restart_required=True,
    ),
    Control(
        id="listener.nla", title="Network Level Authentication matches rdp_nla_required",
        area="listener", cause="compatibility", profiles=BASELINE,
        reads=_reg(RDP_TCP, "UserAuthentication", policy=TS_POLICY, default=1,
                   policy_setting="... > Remote Desktop Session Host > Security > Require user authentication "
                                  "for remote connections by using Network Level Authentication"),
        expect=lambda d, sids: Equals(1 if d.nla_required else 0),
        rationale="NLA authenticates the user before a session is created (CIS 18.10.57.3.9.4).",
    ),
    Control(
        id="listener.security_layer", title="The listener uses TLS (Negotiate or SSL security layer)",
        area="listener", cause="compatibility", profiles=BASELINE,
        reads=_reg(RDP_TCP, "SecurityLayer", policy=TS_POLICY, default=1,
                   policy_setting="... > Remote Desktop Session Host > Security > Require use of specific "
                                  "security layer for remote (RDP) connections"),
        expect=lambda d, sids: Equals(2) if d.profile == "hardened" else OneOf((1, 2), preferred=2),
        rationale="SecurityLayer=0 (native RDP security) cannot carry NLA and does not authenticate the "
                  "server; hardened requires 2 (SSL/TLS, CIS 18.10.57.3.9.3).",
    ),
    Control(
        id="listener.encryption_level", title="The client connection encryption level is High or FIPS",
        area="listener", cause="compatibility", profiles=HARDENED,
        reads=_reg(RDP_TCP, "MinEncryptionLevel", policy=TS_POLICY, default=3,
                   policy_setting="... > Remote Desktop Session Host > Security > Set client connection "
                                  "encryption level"),
        expect=lambda d, sids: OneOf((3, 4), preferred=3),
        rationale="Low or Client Compatible native RDP encryption is weak (CIS 18.10.57.3.9.5).",
    ),
    Control(
        id="listener.listening", title="TermService is listening on the RDP port",
        area="listener", cause="service", profiles=BASELINE,
        reads=ListenerLive(),
        expect=lambda d, sids: Present({"listening": True, "owner": "TermService"}),
        rationale="Configuration can be right while nothing, or another process, listens on the port.",
        restart_required=True,
    ),
    # --- services --------------------------------------------------------------------------------------
    Control(
        id="service.termservice.start_mode", title="Remote Desktop Services (TermService) is not disabled",
        area="service", cause="service", profiles=BASELINE,
        reads=ServiceProperty("TermService", "start_mode"),
        expect=lambda d, sids: OneOf(RUNNING_START_MODES, preferred="manual"),
        rationale="A disabled TermService cannot start; Microsoft: do not disable it (default Manual).",
    ),
    Control(
        id="service.termservice.running", title="Remote Desktop Services (TermService) is running",
        area="service", cause="service", profiles=BASELINE,
        reads=ServiceProperty("TermService", "state"),
        expect=lambda d, sids: Equals("running"),
        rationale="TermService owns the RDP listener.",
    ),
    Control(
        id="service.umrdpservice.start_mode", title="UmRdpService (port redirector) is not disabled",
        area="service", cause="service", profiles=BASELINE,
        reads=ServiceProperty("UmRdpService", "start_mode"),
        expect=lambda d, sids: OneOf(RUNNING_START_MODES, preferred="manual"),
        rationale="Microsoft lists UmRdpService as required on the RDP target.",
    ),
    Control(
        id="service.umrdpservice.running", title="UmRdpService (port redirector) is running",
        area="service", cause="service", profiles=BASELINE,
        reads=ServiceProperty("UmRdpService", "state"),
        expect=lambda d, sids: Equals("running"),
        rationale="UmRdpService depends on TermService and handles redirection in sessions.",
    ),
    Control(
        id="service.sessionenv.start_mode", title="Remote Desktop Configuration (SessionEnv) is not disabled",
        area="service", cause="service", profiles=BASELINE,
        reads=ServiceProperty("SessionEnv", "start_mode"),
        expect=lambda d, sids: OneOf(RUNNING_START_MODES, preferred="manual"),
        rationale="SessionEnv recreates the listener's self-signed certificate; CIS L2 client lists disable it.",
    ),
    # --- firewall ----------------------------------------------------------------------------------------
    Control(
        id="firewall.builtin_tcp", title="Built-in rule 'Remote Desktop - User Mode (TCP-In)' is enabled",
        area="firewall", cause="firewall", profiles=BASELINE,
        reads=FirewallBuiltinRule(RDP_RULE_TCP, "TCP"),
        expect=lambda d, sids: Present({"enabled": True, "action": "Allow"}),
        applies=_needs_port(True),
        rationale="The built-in rule opens TCP 3389 for TermService; it is disabled on a fresh install.",
    ),
    Control(
        id="firewall.builtin_udp", title="Built-in rule 'Remote Desktop - User Mode (UDP-In)' is enabled",
        area="firewall", cause="firewall", profiles=BASELINE,
        reads=FirewallBuiltinRule(RDP_RULE_UDP, "UDP"),
        expect=lambda d, sids: Present({"enabled": True, "action": "Allow"}),
        applies=_needs_udp(True),
        rationale="RDP over UDP (3389) improves interactivity; TCP still works without it.",
    ),
    Control(
        id="firewall.custom_port_tcp", title="An inbound rule allows TCP on the custom RDP port",
        area="firewall", cause="firewall", profiles=BASELINE,
        reads=FirewallPortOpen("TCP"),
        expect=lambda d, sids: Present({"open": True}),
        applies=_needs_port(False),
        rationale="The built-in rules are pinned to 3389; after a port change the new port must be opened.",
    ),
    Control(
        id="firewall.custom_port_udp", title="An inbound rule allows UDP on the custom RDP port",
        area="firewall", cause="firewall", profiles=BASELINE,
        reads=FirewallPortOpen("UDP"),
        expect=lambda d, sids: Present({"open": True}),
        applies=_needs_udp(False),
        rationale="The built-in UDP rule is pinned to 3389.",
    ),
    Control(
        id="firewall.allowed_sources", title="RDP firewall rules accept exactly rdp_allowed_sources",
        area="firewall", cause="firewall", profiles=BASELINE,
        reads=FirewallSources("TCP"),
        expect=lambda d, sids: SetContains(
            required=tuple(sorted({normalize_address(s) for s in d.allowed_sources})), exclusive=True),
        rationale="Rules scoped to other addresses refuse legitimate clients or admit unwanted ones.",
    ),
    # --- tuning --------------------------------------------------------------------------------------------
    Control(
        id="tuning.max_outstanding_connections", title="MaxOutstandingConnections does not throttle the listener",
        area="tuning", cause="configuration", profiles=BASELINE,
        reads=_reg(TS, "MaxOutstandingConnections"),
        expect=lambda d, sids: AtLeastOrAbsent(
            minimum=d.max_outstanding_connections or 50, absent_ok=d.max_outstanding_connections is None),
        rationale="Past MaxOutstandingConnections pending connections the listener stops listening "
                  "(event 1006); values below the old Windows default of 50 throttle ordinary use.",
    ),
    Control(
        id="tuning.keep_alive", title="RDP keep-alive is enabled",
        area="tuning", cause="network", profiles=BASELINE,
        reads=_policy_only("KeepAliveEnable", default=0,
                           policy_setting="... > Remote Desktop Session Host > Connections > Configure keep-alive "
                                          "connection interval"),
        expect=lambda d, sids: Equals(1),
        applies=lambda d: None if d.keep_alive_interval is not None else "rdp_keep_alive_interval is null",
        rationale="Without keep-alive, dropped sessions linger and clients cannot reconnect (Microsoft).",
    ),
    Control(
        id="tuning.keep_alive_interval", title="RDP keep-alive interval is rdp_keep_alive_interval minutes",
        area="tuning", cause="network", profiles=BASELINE,
        reads=_policy_only("KeepAliveInterval",
                           policy_setting="... > Remote Desktop Session Host > Connections > Configure keep-alive "
                                          "connection interval"),
        expect=lambda d, sids: Equals(d.keep_alive_interval),
        applies=lambda d: None if d.keep_alive_interval is not None else "rdp_keep_alive_interval is null",
        rationale="The interval in minutes between keep-alive probes.",
    ),
    Control(
        id="tuning.idle_session_limit", title="Idle sessions are limited",
        area="tuning", cause="configuration", profiles=HARDENED,
        reads=_policy_only("MaxIdleTime",
                           policy_setting="... > Remote Desktop Session Host > Session Time Limits > Set time limit "
                                          "for active but idle Remote Desktop Services sessions"),
        expect=lambda d, sids: Between(1, d.idle_session_limit_ms, preferred=d.idle_session_limit_ms),
        rationale="CIS 18.10.57.3.10.1: idle sessions end after at most 15 minutes (not never).",
    ),
    Control(
        id="tuning.disconnected_session_limit", title="Disconnected sessions are ended",
        area="tuning", cause="configuration", profiles=HARDENED,
        reads=_policy_only("MaxDisconnectionTime",
                           policy_setting="... > Remote Desktop Session Host > Session Time Limits > Set time "
                                          "limit for disconnected sessions"),
        expect=lambda d, sids: Between(1, d.disconnected_session_limit_ms,
                                       preferred=d.disconnected_session_limit_ms),
        rationale="CIS 18.10.57.3.10.2: disconnected sessions end after one minute.",
    ),
    # --- QoS ------------------------------------------------------------------------------------------------
    Control(
        id="qos.dscp_tcp", title="RDP traffic over TCP is marked with rdp_qos_dscp",
        area="qos", cause="network", profiles=BASELINE,
        reads=QosMarking("TCP"),
        expect=lambda d, sids: Present({"dscp": d.qos_dscp}),
        applies=_needs_qos("TCP"),
        rationale="DSCP 46 (Expedited Forwarding) keeps RDP interactive on congested links (Microsoft AVD).",
    ),
    Control(
        id="qos.dscp_udp", title="RDP traffic over UDP is marked with rdp_qos_dscp",
        area="qos", cause="network", profiles=BASELINE,
        reads=QosMarking("UDP"),
        expect=lambda d, sids: Present({"dscp": d.qos_dscp}),
        applies=_needs_qos("UDP"),
        rationale="The UDP transport carries most RDP graphics when enabled.",
    ),
    # --- users -------------------------------------------------------------------------------------------------
    Control(
        id="users.remote_desktop_users", title="Remote Desktop Users (S-1-5-32-555) holds rdp_users",
        area="users", cause="permissions", profiles=BASELINE,
        reads=GroupMembers(REMOTE_DESKTOP_USERS_SID),
        expect=lambda d, sids: SetContains(required=tuple(sids), exclusive=d.users_exclusive),
        applies=_users_apply,
        rationale="Non-administrators may log on over RDP through membership of Remote Desktop Users.",
    ),
    Control(
        id="users.logon_right", title="Remote Desktop Users hold 'Allow log on through Remote Desktop Services'",
        area="users", cause="permissions", profiles=BASELINE,
        reads=UserRight("SeRemoteInteractiveLogonRight"),
        expect=lambda d, sids: SetContains(required=(ADMINISTRATORS_SID, REMOTE_DESKTOP_USERS_SID)),
        rationale="Without SeRemoteInteractiveLogonRight a user is refused after authenticating.",
    ),
    Control(
        id="users.deny_logon_right", title="'Deny log on through Remote Desktop Services' does not block RDP users",
        area="users", cause="permissions", profiles=BASELINE,
        reads=UserRight("SeDenyRemoteInteractiveLogonRight"),
        expect=lambda d, sids: SetExcludes(forbidden=_forbidden_deny_sids(d, sids)),
        rationale="The deny right overrides every allow; CIS 2.2.27 puts all local accounts in it.",
    ),
    Control(
        id="users.network_logon_right", title="RDP users hold 'Access this computer from the network' (NLA)",
        area="users", cause="permissions", profiles=BASELINE,
        reads=UserRight("SeNetworkLogonRight"),
        expect=lambda d, sids: SetIncludesAny(candidates=_network_logon_sids(d, sids),
                                              preferred=REMOTE_DESKTOP_USERS_SID),
        applies=_needs_nla,
        rationale="With NLA the client authenticates with a network logon before the session starts; a user "
                  "without this right gets 'Access denied, restricted type of logon'. Hardening that leaves only "
                  "Administrators in it locks every other RDP user out.",
    ),
    Control(
        id="users.deny_network_logon_right",
        title="'Deny access to this computer from the network' does not block RDP users (NLA)",
        area="users", cause="permissions", profiles=BASELINE,
        reads=UserRight("SeDenyNetworkLogonRight"),
        expect=lambda d, sids: SetExcludes(forbidden=_forbidden_deny_sids(d, sids)),
        applies=_needs_nla,
        rationale="With NLA the network logon comes first, so this deny right refuses RDP users before the "
                  "session exists, whatever the RDP rights say. CIS's 'Local account and member of Administrators "
                  "group' in it also stops local administrators from connecting with NLA.",
    ),
    # --- compatibility ---------------------------------------------------------------------------------------------
    Control(
        id="compatibility.tls12_server", title="TLS 1.2 is not disabled for servers (SCHANNEL)",
        area="compatibility", cause="compatibility", profiles=BASELINE,
        reads=_reg(TLS12_SERVER, "Enabled", default=1),
        expect=lambda d, sids: Between(1, 0xFFFFFFFF, preferred=1),
        rationale="With TLS 1.2 disabled for servers the listener cannot complete TLS (Schannel 36871); "
                  "clients report an internal error.",
        restart_required=True,
    ),
    Control(
        id="compatibility.tls12_server_default", title="TLS 1.2 is not disabled by default for servers (SCHANNEL)",
        area="compatibility", cause="compatibility", profiles=BASELINE,
        reads=_reg(TLS12_SERVER, "DisabledByDefault", default=0),
        expect=lambda d, sids: Equals(0),
        rationale="DisabledByDefault=1 keeps TLS 1.2 from callers that do not ask for it by name, and the RDP "
                  "listener does not: with Enabled=1 the handshake still fails. Scripts that disable a protocol "
                  "set both values, so re-enabling only Enabled leaves RDP broken.",
        restart_required=True,
    ),
    Control(
        id="compatibility.credssp_oracle", title="CredSSP Encryption Oracle Remediation is not 'Vulnerable'",
        area="compatibility", cause="compatibility", profiles=HARDENED,
        reads=RegistrySetting(local=None, policy=RegistryValue(CREDSSP_POLICY, "AllowEncryptionOracle"),
                              default=1,
                              policy_setting="Computer Configuration > Administrative Templates > System > "
                                             "Credentials Delegation > Encryption Oracle Remediation"),
        expect=lambda d, sids: OneOf((0, 1), preferred=1),
        rationale="AllowEncryptionOracle=2 accepts unpatched CredSSP clients (CVE-2018-0886).",
    ),
)

BY_ID = {control.id: control for control in CONTROLS}


def controls_for(profile: str):
    return [control for control in CONTROLS if profile in control.profiles]


def validate_catalogue():
    """Internal consistency of the catalogue itself (run by the tests)."""
    problems = []
    seen = set()
    for control in CONTROLS:
        if control.id in seen:
            problems.append(f"duplicate id {control.id}")
        seen.add(control.id)
        if control.area not in AREAS:
            problems.append(f"{control.id}: unknown area {control.area}")
        if control.cause not in CAUSES:
            problems.append(f"{control.id}: unknown cause {control.cause}")
        if not set(control.profiles) <= {"baseline", "hardened"} or "hardened" not in control.profiles:
            problems.append(f"{control.id}: profiles must include hardened: {control.profiles}")
        if not control.id.startswith(control.area.split(".")[0]):
            problems.append(f"{control.id}: id does not start with its area {control.area}")
    return problems


def desired_for_catalogue(variables: dict) -> DesiredState:
    """Validate variables, including the checks that need the catalogue (control ids)."""
    from .desired_state import InvalidInput, from_vars

    desired = from_vars(variables, known_control_ids=tuple(BY_ID))
    if desired.profile == "hardened" and not desired.nla_required:
        raise InvalidInput(["rdp_nla_required cannot be false with rdp_profile hardened: the hardened profile "
                            "requires Network Level Authentication"])
    return desired


# What an RDP client sees when a control fails, for the diagnosis (plugin_utils/_diagnosis/diagnose.py):
#   no_listener  nothing accepts RDP on the port (behind Windows Firewall the SYN is silently dropped)
#   blocked      Windows Firewall drops the connection
#   throttled    the listener stops accepting for a while under load (event 1006)
#   security     the X.224 negotiation refuses the client's security protocols
#   tls          the TLS handshake fails
#   credssp      the connection fails in CredSSP (NLA), after TLS, for some clients
#   logon        the connection works; the logon of (some) users is refused
#   degraded     RDP works, with worse performance, resilience or features
CLIENT_SYMPTOMS = {
    "connections.allowed": "no_listener", "connections.not_draining": "logon",
    "listener.enabled": "no_listener", "listener.logon_enabled": "logon", "listener.port": "no_listener",
    "listener.all_adapters": "no_listener", "listener.nla": "security", "listener.security_layer": "security",
    "listener.encryption_level": "security", "listener.listening": "no_listener",
    "service.termservice.start_mode": "no_listener", "service.termservice.running": "no_listener",
    "service.umrdpservice.start_mode": "degraded", "service.umrdpservice.running": "degraded",
    "service.sessionenv.start_mode": "degraded",
    "firewall.builtin_tcp": "blocked", "firewall.builtin_udp": "degraded", "firewall.custom_port_tcp": "blocked",
    "firewall.custom_port_udp": "degraded", "firewall.allowed_sources": "blocked",
    "tuning.max_outstanding_connections": "throttled", "tuning.keep_alive": "degraded",
    "tuning.keep_alive_interval": "degraded", "tuning.idle_session_limit": "degraded",
    "tuning.disconnected_session_limit": "degraded",
    "qos.dscp_tcp": "degraded", "qos.dscp_udp": "degraded",
    "users.remote_desktop_users": "logon", "users.logon_right": "logon", "users.deny_logon_right": "logon",
    "users.network_logon_right": "logon", "users.deny_network_logon_right": "logon",
    "compatibility.tls12_server": "tls", "compatibility.tls12_server_default": "tls", "compatibility.credssp_oracle": "credssp",
}
