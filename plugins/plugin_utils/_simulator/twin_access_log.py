# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Twin of the ``access_log`` section of ``rdp.windows.host_info`` (``Get-AccessLogSummary`` in host_info.ps1).

Reads the same events with the same filters and caps, and aggregates them the same way: on the host, into
counts and top-N lists, so the result stays small however busy the log is. docs/access-log.md describes the
result; the rule deciding which failed logons are RDP logons is ``failure_kind``.
"""

from __future__ import annotations

import datetime

from . import event_log

TOP_N = 10
BLANK = ("", "-")


def _blank(value):
    return value is None or str(value).strip() in BLANK


def failure_kind(data):
    """Which 4625 failures are RDP logons.

    Logon type 10 (RemoteInteractive) is a logon through Remote Desktop Services. With NLA the credentials are
    checked before a session exists, so the failure is logged as a network logon (type 3), through NTLM, with
    no source address (the address is in RdpCoreTS 140). Type 3 failures that carry an address are file
    shares, WinRM, IIS...: they are not counted.
    """
    logon_type = str(data.get("LogonType", "")).strip()
    if logon_type == "10":
        return "remote_interactive"
    if (logon_type == "3" and _blank(data.get("IpAddress"))
            and str(data.get("AuthenticationPackageName", "")).strip().upper() == "NTLM"):
        return "nla"
    return None


def _prefilter_failure(data):
    """What the module's XPath keeps (the cap counts these): type 10, or type 3 with no address."""
    logon_type = data.get("LogonType")
    return logon_type == "10" or (logon_type == "3" and data.get("IpAddress") == "-")


def field_text(value):
    """A field as a trimmed lower-case key, '-' when blank."""
    return "-" if _blank(value) else str(value).strip().lower()


def normalize_address(address):
    text = str(address).strip()
    if text.lower().startswith("::ffff:") and text[7:].count(".") == 3:
        return text[7:]
    return text


def account_name(user, domain):
    user, domain = str(user or "").strip(), str(domain or "").strip()
    if _blank(user):
        return "-"
    return (user if _blank(domain) else f"{domain}\\{user}").lower()


def failure_source(data):
    """(kind, value): the client address, else the workstation name the client sent, else unknown."""
    if not _blank(data.get("IpAddress")):
        return "address", normalize_address(data["IpAddress"])
    if not _blank(data.get("WorkstationName")):
        return "workstation", str(data["WorkstationName"]).strip().upper()
    return "unknown", "-"


class Tally:
    """Counts per key, with the distinct values seen together with each key."""

    def __init__(self):
        self.hits = {}
        self.seen_with = {}

    def add(self, key, other=None):
        self.hits[key] = self.hits.get(key, 0) + 1
        seen = self.seen_with.setdefault(key, set())
        if other is not None:
            seen.add(other)

    def top(self, by_distinct=False):
        """The TOP_N biggest keys, biggest first; ties by key (ordinal order, as the module sorts)."""
        if by_distinct:
            order = sorted(self.hits, key=lambda k: (-len(self.seen_with[k]), -self.hits[k], k))
        else:
            order = sorted(self.hits, key=lambda k: (-self.hits[k], k))
        return order[:TOP_N]


def _read(state, log, event_id, hours, max_events, where=None):
    """Events plus what the summary says about the read itself (how many, whether the cap was hit)."""
    part = {"read": 0, "cap_reached": False, "oldest_read": None, "error": None}
    try:
        events = event_log.get_win_event(state, log, event_id, hours, max_events, where)
    except event_log.EventLogError as error:
        part["error"] = str(error)
        return [], part
    part["read"] = len(events)
    part["cap_reached"] = len(events) >= max_events
    part["oldest_read"] = events[-1]["time"] if events else None
    return events, part


def _successes(state, hours, max_events):
    events, part = _read(state, event_log.RCM_LOG, 1149, hours, max_events)
    accounts, sources = Tally(), Tally()
    for event in events:
        data = event.get("data") or {}
        address = "-" if _blank(data.get("Param3")) else normalize_address(data["Param3"])
        accounts.add(account_name(data.get("Param1"), data.get("Param2")))
        sources.add(address)
    part.update(count=len(events), distinct_accounts=len(accounts.hits), distinct_sources=len(sources.hits),
                top_accounts=[{"name": k, "count": accounts.hits[k]} for k in accounts.top()],
                top_sources=[{"address": k, "count": sources.hits[k]} for k in sources.top()])
    return part


def _failures(state, hours, max_events):
    events, part = _read(state, event_log.SECURITY, 4625, hours, max_events, _prefilter_failure)
    kinds = {"remote_interactive": 0, "nla": 0}
    sources, accounts, statuses = Tally(), Tally(), Tally()
    kind_of = {}
    for event in events:
        data = event.get("data") or {}
        kind = failure_kind(data)
        if kind is None:
            continue
        kinds[kind] += 1
        source = failure_source(data)
        source_key = f"{source[0]}|{source[1]}"
        kind_of[source_key] = source
        account = account_name(data.get("TargetUserName"), data.get("TargetDomainName"))
        sources.add(source_key, account)
        accounts.add(account, None if source[0] == "unknown" else source_key)
        statuses.add(field_text(data.get("SubStatus")))

    def source_entry(key):
        kind, value = kind_of[key]
        return {"source": value, "kind": kind, "failures": sources.hits[key],
                "distinct_accounts": len(sources.seen_with[key])}

    def account_entry(key):
        return {"name": key, "failures": accounts.hits[key], "distinct_sources": len(accounts.seen_with[key])}

    part.update(
        count=sum(kinds.values()), by_kind=kinds,
        distinct_sources=len(sources.hits), distinct_accounts=len(accounts.hits),
        top_sources=[source_entry(k) for k in sources.top()],
        top_accounts=[account_entry(k) for k in accounts.top()],
        top_accounts_by_sources=[account_entry(k) for k in accounts.top(by_distinct=True)],
        top_sub_statuses=[{"sub_status": k, "count": statuses.hits[k]} for k in statuses.top()],
    )
    return part


def _nla_failures(state, hours, max_events):
    events, part = _read(state, event_log.RDPCORETS_LOG, 140, hours, max_events)
    addresses = Tally()
    for event in events:
        address = (event.get("data") or {}).get("IPString")
        addresses.add("-" if _blank(address) else normalize_address(address))
    part.update(count=len(events), distinct_addresses=len(addresses.hits),
                top_addresses=[{"address": k, "failures": addresses.hits[k]} for k in addresses.top()])
    return part


def _lockouts(state, hours, max_events):
    events, part = _read(state, event_log.SECURITY, 4740, hours, max_events)
    accounts = Tally()
    caller = {}
    for event in events:
        data = event.get("data") or {}
        name = field_text(data.get("TargetUserName"))
        accounts.add(name)
        computer = data.get("TargetDomainName")
        caller.setdefault(name, "-" if _blank(computer) else str(computer).strip())  # newest first: the latest
    part.update(count=len(events), distinct_accounts=len(accounts.hits),
                top_accounts=[{"name": k, "count": accounts.hits[k], "last_caller": caller[k]}
                              for k in accounts.top()])
    return part


def access_log(state, hours, max_events):
    """The summary host_info returns for ``access_log_hours``/``access_log_max_events``."""
    clock = event_log.now(state)
    return {
        "hours": hours,
        "since": event_log.format_time(clock - datetime.timedelta(hours=hours)),
        "until": event_log.format_time(clock),
        "max_events": max_events,
        "top": TOP_N,
        "successes": _successes(state, hours, max_events),
        "failures": _failures(state, hours, max_events),
        "nla_failures": _nla_failures(state, hours, max_events),
        "lockouts": _lockouts(state, hours, max_events),
    }
