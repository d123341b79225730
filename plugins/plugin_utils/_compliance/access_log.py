# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Access-log review: signs of password spraying or brute force in the RDP logon summary of a host.

``rdp.windows.host_info`` summarizes the logons on the host (docs/access-log.md); this module turns that
summary into findings with the thresholds the user set. Findings are reported, never acted on, and they do
not change a host's compliance status: that status says whether the host is configured right, and what other
people do to a host is not its configuration. Pure Python: no Ansible, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .desired_state import InvalidInput

DEFAULTS = {
    "rdp_access_log_hours": 24,
    "rdp_access_log_max_events": 5000,
    "rdp_spray_failures_per_source": 20,
    "rdp_spray_sources_per_account": 5,
}
# (low, high) of each variable; rdp_access_log_hours may also be null (no review).
RANGES = {
    "rdp_access_log_hours": (1, 8760),
    "rdp_access_log_max_events": (1, 100000),
    "rdp_spray_failures_per_source": (1, 1000000),
    "rdp_spray_sources_per_account": (2, 100000),
}
# Options of rdp.windows.audit: the variable names without the prefix.
OPTIONS = tuple(name[len("rdp_"):] for name in DEFAULTS)
PARTS = (("successes", "successful RDP authentications (RemoteConnectionManager 1149)"),
         ("failures", "failed RDP logons (Security 4625)"),
         ("nla_failures", "failed NLA connections (RdpCoreTS 140)"),
         ("lockouts", "account lockouts (Security 4740)"))


@dataclass(frozen=True)
class Settings:
    hours: int | None = 24
    max_events: int = 5000
    failures_per_source: int = 20
    sources_per_account: int = 5

    @property
    def enabled(self):
        return self.hours is not None

    def thresholds(self):
        return {"rdp_spray_failures_per_source": self.failures_per_source,
                "rdp_spray_sources_per_account": self.sources_per_account}


def _as_int(name, value, problems, allow_none=False):
    low, high = RANGES[name]
    if value is None and allow_none:
        return None
    if isinstance(value, str) and re.fullmatch(r"[0-9]+", value.strip()):
        value = int(value.strip())  # not str.isdigit(): it accepts '³', which int() then refuses
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        extra = " or null (no access-log review)" if allow_none else ""
        problems.append(f"{name} must be an integer from {low} to {high}{extra}, got {value!r}")
        return None
    return value


def settings_from_vars(variables):
    """Validated settings from ``rdp_*`` variables (missing ones take their defaults); raises InvalidInput."""
    values = dict(DEFAULTS)
    values.update({key: value for key, value in variables.items() if key in DEFAULTS})
    problems = []
    hours = _as_int("rdp_access_log_hours", values["rdp_access_log_hours"], problems, allow_none=True)
    max_events = _as_int("rdp_access_log_max_events", values["rdp_access_log_max_events"], problems)
    per_source = _as_int("rdp_spray_failures_per_source", values["rdp_spray_failures_per_source"], problems)
    per_account = _as_int("rdp_spray_sources_per_account", values["rdp_spray_sources_per_account"], problems)
    if problems:
        raise InvalidInput(problems)
    return Settings(hours, max_events, per_source, per_account)


def variables_from_options(args):
    """Action options (``access_log_hours``) as the variables they mirror; a null hours option is kept."""
    found = {}
    for option in OPTIONS:
        if option in args and (args[option] is not None or option == "access_log_hours"):
            found[f"rdp_{option}"] = args[option]
    return found


def query_options(settings):
    """The host_info options that ask for the summary (none when the review is off)."""
    if not settings.enabled:
        return {}
    return {"access_log_hours": settings.hours, "access_log_max_events": settings.max_events}


# --- findings ------------------------------------------------------------------------------------------------

def _finding(finding_id, severity, message, evidence, thresholds):
    return {"id": finding_id, "severity": severity, "message": message, "evidence": evidence,
            "thresholds": thresholds}


def _source_findings(summary, settings):
    """Many failures from one source: a 4625 source (address or workstation name) or an RdpCoreTS 140 address."""
    threshold = settings.failures_per_source
    hours = summary.get("hours")
    found = []
    failures = summary.get("failures") or {}
    for entry in failures.get("top_sources") or ():
        if entry.get("kind") == "unknown" or entry.get("failures", 0) < threshold:
            continue
        label = "workstation name" if entry.get("kind") == "workstation" else "address"
        found.append(_finding(
            "access.failures_from_source", "medium",
            f"{entry['failures']} failed RDP logons in {hours} h from {label} {entry['source']} "
            f"({entry.get('distinct_accounts', 0)} account(s) tried; threshold {threshold})",
            {"event": "Security 4625", "source": entry["source"], "source_kind": entry.get("kind"),
             "failures": entry["failures"], "distinct_accounts": entry.get("distinct_accounts"),
             "window_hours": hours},
            {"rdp_spray_failures_per_source": threshold}))
    nla = summary.get("nla_failures") or {}
    for entry in nla.get("top_addresses") or ():
        if entry.get("address") in (None, "-") or entry.get("failures", 0) < threshold:
            continue
        found.append(_finding(
            "access.failures_from_source", "medium",
            f"{entry['failures']} RDP connections from {entry['address']} failed on a wrong user name or "
            f"password in {hours} h (threshold {threshold})",
            {"event": "RdpCoreTS 140", "source": entry["address"], "source_kind": "address",
             "failures": entry["failures"], "window_hours": hours},
            {"rdp_spray_failures_per_source": threshold}))
    return found


def _account_findings(summary, settings):
    """One account failing from many sources: a distributed guess at one account's password."""
    threshold = settings.sources_per_account
    hours = summary.get("hours")
    found = []
    for entry in (summary.get("failures") or {}).get("top_accounts_by_sources") or ():
        if entry.get("distinct_sources", 0) < threshold:
            continue
        found.append(_finding(
            "access.account_from_many_sources", "high",
            f"account {entry['name']} failed to log on over RDP from {entry['distinct_sources']} sources "
            f"({entry.get('failures', 0)} failures) in {hours} h (threshold {threshold})",
            {"event": "Security 4625", "account": entry["name"], "distinct_sources": entry["distinct_sources"],
             "failures": entry.get("failures"), "window_hours": hours},
            {"rdp_spray_sources_per_account": threshold}))
    return found


def _truncation_findings(summary, settings):
    """A top list sorted by the flagged number whose last entry is still over the threshold, with more entries
    than listed: more sources or accounts may be over it. Say so rather than stay silent."""
    failures = summary.get("failures") or {}
    nla = summary.get("nla_failures") or {}
    checks = (
        ("Security 4625", "sources", failures.get("top_sources"), failures.get("distinct_sources"), "failures",
         settings.failures_per_source),
        ("Security 4625", "accounts", failures.get("top_accounts_by_sources"), failures.get("distinct_accounts"),
         "distinct_sources", settings.sources_per_account),
        ("RdpCoreTS 140", "addresses", nla.get("top_addresses"), nla.get("distinct_addresses"), "failures",
         settings.failures_per_source),
    )
    notes = []
    for event, noun, listed, total, metric, threshold in checks:
        listed, total = listed or [], total or 0
        if listed and total > len(listed) and listed[-1].get(metric, 0) >= threshold:
            notes.append(_finding(
                "access.more_not_listed", "info",
                f"all {len(listed)} listed {noun} of {event} are over the threshold and {total - len(listed)} "
                f"more were not listed (the summary keeps the top {len(listed)})",
                {"event": event, "listed": len(listed), "distinct": total}, {}))
    return notes


def _coverage_findings(summary, settings):
    """What the review could not see: an unreadable log, or a cap that cut the window short."""
    notes = []
    for part, label in PARTS:
        entry = summary.get(part) or {}
        if entry.get("error"):
            notes.append(_finding(
                "access.log_unreadable", "info", f"{label} could not be read: {entry['error']}",
                {"part": part, "error": entry["error"]}, {}))
        elif entry.get("cap_reached"):
            notes.append(_finding(
                "access.log_cap_reached", "info",
                f"read the newest {entry.get('read')} {label}, the cap (rdp_access_log_max_events); older ones "
                f"in the window were not read (oldest read: {entry.get('oldest_read')})",
                {"part": part, "read": entry.get("read"), "oldest_read": entry.get("oldest_read"),
                 "since": summary.get("since")},
                {"rdp_access_log_max_events": settings.max_events}))
    return notes


def findings(summary, settings):
    """Findings from a host's access-log summary; none when there is no summary."""
    if not summary:
        return []
    found = _source_findings(summary, settings) + _account_findings(summary, settings)
    return found + _truncation_findings(summary, settings) + _coverage_findings(summary, settings)


def review(facts, settings):
    """(summary, findings) from what host_info returned; a missing summary is said, not ignored."""
    if not settings.enabled:
        return None, []
    summary = facts.get("access_log")
    if summary is None:
        errors = facts.get("errors") if isinstance(facts.get("errors"), list) else ()
        error = next((e.get("message") for e in errors if isinstance(e, dict) and e.get("section") == "access_log"),
                     None) or "host_info returned no access_log"
        return None, [_unreadable(error)]
    try:
        return summary, findings(summary, settings)
    except (AttributeError, TypeError, ValueError, KeyError) as error:
        # Host data is untrusted: a summary of the wrong shape is reported, it does not stop the audit.
        return None, [_unreadable(f"host_info returned an access_log of an unexpected shape ({type(error).__name__})")]


def _unreadable(error):
    return _finding("access.log_unreadable", "info", f"the RDP logons could not be reviewed: {error}",
                    {"part": None, "error": error}, {})


def summary_lines(found):
    """Lines for the playbook output, after the host's controls."""
    return [f"  FINDING {f['severity'].upper():6} {f['id']}: {f['message']}" for f in found]
