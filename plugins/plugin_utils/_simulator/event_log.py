# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The simulated host's event logs, and ``Get-WinEvent`` over them.

An entry of ``state["event_log"]`` is one event record::

    {"log": "Security",                                   # the channel, as Get-WinEvent -LogName takes it
     "provider": "Microsoft-Windows-Security-Auditing",   # System/Provider/@Name
     "id": 4625,                                          # System/EventID
     "time": "2026-11-02T08:59:30Z",                      # System/TimeCreated/@SystemTime, UTC
     "data": {"LogonType": "3", "IpAddress": "-", ...}}   # the named fields of the event XML, as strings

``data`` holds what the event's XML holds: the ``<Data Name="...">`` elements of ``EventData`` (Security
events, RdpCoreTS 140) or the children of the ``UserData`` element (RemoteConnectionManager 1149:
``Param1`` user, ``Param2`` domain, ``Param3`` address). Events carry no message: a message is localized and
nothing may parse it. Windows writes ``-`` for an absent value, and so do the constructors below.

The host's clock is ``state["clock"]`` (ISO 8601 UTC) when set, else the controller's current time. The lab
sets it so that its state files, and the events in them, are the same at every build.

``state["event_logs_unreadable"]`` (log name -> message) makes reading a log fail as Windows would (the log
does not exist, access is denied).
"""

from __future__ import annotations

import datetime

SECURITY = "Security"
SECURITY_PROVIDER = "Microsoft-Windows-Security-Auditing"
RCM_LOG = "Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational"
RCM_PROVIDER = "Microsoft-Windows-TerminalServices-RemoteConnectionManager"
RDPCORETS_LOG = "Microsoft-Windows-RemoteDesktopServices-RdpCoreTS/Operational"
RDPCORETS_PROVIDER = "Microsoft-Windows-RemoteDesktopServices-RdpCoreTS"
NULL_SID = "S-1-0-0"


class EventLogError(Exception):
    """Reading a log failed (the message is what Get-WinEvent says)."""


def parse_time(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(datetime.timezone.utc)


def format_time(moment):
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def now(state):
    clock = state.get("clock")
    return parse_time(clock) if clock else datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)


def get_win_event(state, log, event_id, hours, max_events, where=None):
    """``Get-WinEvent -LogName log -FilterXPath <id, last `hours`, where> -MaxEvents max_events``.

    Newest first, at most ``max_events``. No matching event is an empty list (the module catches
    Get-WinEvent's NoMatchingEventsFound error), an unreadable log raises EventLogError.
    """
    unreadable = state.get("event_logs_unreadable", {})
    if log in unreadable:
        raise EventLogError(unreadable[log])
    clock = now(state)
    window = datetime.timedelta(hours=hours)
    matching = []
    for position, event in enumerate(state.get("event_log", ())):
        if event.get("log") != log or event.get("id") != event_id:
            continue
        moment = parse_time(event["time"])
        # timediff(@SystemTime) <= window: events stamped after the host's clock are kept too.
        if clock - moment > window:
            continue
        if where is not None and not where(event.get("data") or {}):
            continue
        matching.append((moment, position, event))
    # Newest first; of events written in the same second, the one written last comes first.
    matching.sort(key=lambda item: item[:2], reverse=True)
    return [item[2] for item in matching[:max_events]]


# --- constructors for lab hosts and tests: the fields Windows writes, with Windows' placeholders -----------

def rdp_authentication_succeeded(time, user, domain, address):
    """RemoteConnectionManager 1149: the network authentication of an RDP client succeeded."""
    return {"log": RCM_LOG, "provider": RCM_PROVIDER, "id": 1149, "time": time,
            "data": {"Param1": user, "Param2": domain, "Param3": address}}


def logon_failed(time, user, domain, logon_type, address="-", port="-", workstation="-",
                 sub_status="0xc000006a", package="NTLM", process_name="-"):
    """Security 4625. With NLA the failure is a network logon (type 3) with no source address; without NLA
    it is a RemoteInteractive logon (type 10) by winlogon with the client's address."""
    logon_process = "NtLmSsp " if package == "NTLM" else "User32 "
    return {"log": SECURITY, "provider": SECURITY_PROVIDER, "id": 4625, "time": time, "data": {
        "SubjectUserSid": NULL_SID, "SubjectUserName": "-", "SubjectDomainName": "-", "SubjectLogonId": "0x0",
        "TargetUserSid": NULL_SID, "TargetUserName": user, "TargetDomainName": domain,
        "Status": "0xc000006d", "FailureReason": "%%2313", "SubStatus": sub_status, "LogonType": str(logon_type),
        "LogonProcessName": logon_process, "AuthenticationPackageName": package, "WorkstationName": workstation,
        "TransmittedServices": "-", "LmPackageName": "-", "KeyLength": "0",
        "ProcessId": "0x0" if process_name == "-" else "0x2a4", "ProcessName": process_name,
        "IpAddress": address, "IpPort": port}}


def nla_logon_failed(time, user, domain, workstation="-", sub_status="0xc000006a"):
    return logon_failed(time, user, domain, 3, workstation=workstation, sub_status=sub_status)


def remote_interactive_logon_failed(time, user, domain, address, workstation="-", sub_status="0xc000006a"):
    return logon_failed(time, user, domain, 10, address=address, port="50123", workstation=workstation,
                        sub_status=sub_status, package="Negotiate",
                        process_name=r"C:\Windows\System32\winlogon.exe")


def rdp_connection_failed_bad_credentials(time, address):
    """RdpCoreTS 140: a client's connection failed because the user name or password is not correct."""
    return {"log": RDPCORETS_LOG, "provider": RDPCORETS_PROVIDER, "id": 140, "time": time,
            "data": {"IPString": address}}


def account_locked_out(time, user, caller_computer, sid):
    """Security 4740 (on the computer that holds the account: the host for local accounts, the PDC emulator
    for domain accounts). TargetDomainName is the caller computer, not the account's domain."""
    return {"log": SECURITY, "provider": SECURITY_PROVIDER, "id": 4740, "time": time, "data": {
        "TargetUserName": user, "TargetDomainName": caller_computer, "TargetSid": sid,
        "SubjectUserSid": "S-1-5-18", "SubjectUserName": "-", "SubjectDomainName": "-", "SubjectLogonId": "0x3e7"}}
