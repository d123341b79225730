# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The simulator's twin of host_info's access-log summary: which events count, the window, the cap, the
top lists, and a size that does not grow with the log."""

import json

import pytest

from ansible_collections.rdp.windows.plugins.plugin_utils._simulator import event_log as ev
from ansible_collections.rdp.windows.plugins.plugin_utils._simulator import twins
from ansible_collections.rdp.windows.plugins.plugin_utils._simulator.twin_access_log import (
    TOP_N, access_log, failure_kind)
from ansible_collections.rdp.windows.plugins.plugin_utils._simulator.windows_host import WindowsHost

CLOCK = "2026-11-02T09:00:00Z"


def at(seconds_before):
    return ev.format_time(ev.parse_time(CLOCK) - __import__("datetime").timedelta(seconds=seconds_before))


def state(*events, **extra):
    return dict({"clock": CLOCK, "event_log": list(events)}, **extra)


def summarize(*events, hours=24, max_events=5000, **extra):
    return access_log(state(*events, **extra), hours, max_events)


# --- which failures are RDP logons -------------------------------------------------------------------------------

@pytest.mark.parametrize("event, kind", [
    (ev.remote_interactive_logon_failed(CLOCK, "bob", "LAB", "203.0.113.5"), "remote_interactive"),
    (ev.nla_logon_failed(CLOCK, "bob", "LAB"), "nla"),
    (ev.logon_failed(CLOCK, "bob", "LAB", 3, address="10.0.0.9"), None),          # a file share, WinRM...
    (ev.logon_failed(CLOCK, "bob", "LAB", 3, package="Kerberos"), None),
    (ev.logon_failed(CLOCK, "bob", "LAB", 2), None),                              # at the console
])
def test_failure_kind(event, kind):
    assert failure_kind(event["data"]) == kind


def test_only_rdp_failures_are_counted():
    log = summarize(ev.remote_interactive_logon_failed(at(10), "bob", "", "203.0.113.5"),
                    ev.nla_logon_failed(at(20), "bob", ""),
                    ev.logon_failed(at(30), "bob", "", 3, address="10.0.0.9"),
                    ev.logon_failed(at(40), "bob", "", 3, package="Kerberos"))["failures"]
    assert log["by_kind"] == {"remote_interactive": 1, "nla": 1}
    assert log["count"] == 2
    # The Kerberos type 3 failure without an address passes the host-side filter and is read, not counted.
    assert log["read"] == 3


# --- the window ---------------------------------------------------------------------------------------------------

def test_the_window_includes_its_start_and_excludes_what_is_older():
    window = 24 * 3600
    log = summarize(ev.rdp_authentication_succeeded(at(window), "alice", "LAB", "10.0.0.21"),
                    ev.rdp_authentication_succeeded(at(window + 1), "alice", "LAB", "10.0.0.21"),
                    ev.rdp_authentication_succeeded(at(-60), "alice", "LAB", "10.0.0.21"))  # clock skew: kept
    assert log["successes"]["count"] == 2
    assert (log["since"], log["until"]) == ("2026-11-01T09:00:00Z", CLOCK)


def test_a_shorter_window_reads_less():
    events = [ev.nla_logon_failed(at(3600 * h), "bob", "") for h in range(1, 10)]
    assert summarize(*events, hours=4)["failures"]["count"] == 4   # 1 h to 4 h ago, the start included
    assert summarize(*events, hours=10)["failures"]["count"] == 9


# --- sources, accounts, ties -------------------------------------------------------------------------------------

def test_sources_are_addresses_else_workstation_names():
    log = summarize(ev.remote_interactive_logon_failed(at(1), "a", "", "::ffff:203.0.113.5"),
                    ev.remote_interactive_logon_failed(at(2), "b", "", "203.0.113.5"),
                    ev.nla_logon_failed(at(3), "a", "", workstation="kali"),
                    ev.nla_logon_failed(at(4), "a", ""))["failures"]
    assert log["top_sources"] == [
        {"source": "203.0.113.5", "kind": "address", "failures": 2, "distinct_accounts": 2},
        {"source": "-", "kind": "unknown", "failures": 1, "distinct_accounts": 1},
        {"source": "KALI", "kind": "workstation", "failures": 1, "distinct_accounts": 1},
    ]
    # An unknown source is not a distinct source of the account.
    assert log["top_accounts"][0] == {"name": "a", "failures": 3, "distinct_sources": 2}


def test_account_names_are_case_insensitive_and_keep_their_domain():
    log = summarize(ev.nla_logon_failed(at(1), "Administrator", ""),
                    ev.nla_logon_failed(at(2), "ADMINISTRATOR", ""),
                    ev.nla_logon_failed(at(3), "administrator", "LAB"))["failures"]
    assert [(a["name"], a["failures"]) for a in log["top_accounts"]] == [("administrator", 2),
                                                                         ("lab\\administrator", 1)]


def test_ties_are_broken_by_name_and_lists_are_cut_at_top_n():
    events = [ev.nla_logon_failed(at(n), f"user{n:02d}", "") for n in range(TOP_N + 5)]
    log = summarize(*events)["failures"]
    assert [a["name"] for a in log["top_accounts"]] == [f"user{n:02d}" for n in range(TOP_N)]
    assert log["distinct_accounts"] == TOP_N + 5


def test_accounts_by_sources_puts_the_most_spread_account_first():
    events = [ev.nla_logon_failed(at(n), "alice", "", workstation="PC-ALICE") for n in range(50)]
    events += [ev.nla_logon_failed(at(100 + n), "administrator", "", workstation=f"BOT{n}") for n in range(6)]
    log = summarize(*events)["failures"]
    assert log["top_accounts"][0]["name"] == "alice"
    assert log["top_accounts_by_sources"][0] == {"name": "administrator", "failures": 6, "distinct_sources": 6}


def test_successes_nla_addresses_and_lockouts():
    log = summarize(ev.rdp_authentication_succeeded(at(1), "alice", "LAB", "10.0.0.21"),
                    ev.rdp_authentication_succeeded(at(2), "Alice", "lab", "10.0.0.22"),
                    ev.rdp_connection_failed_bad_credentials(at(3), "203.0.113.5"),
                    ev.account_locked_out(at(4), "Backup", "KALI", "S-1-5-21-1-2-3-1003"),
                    ev.account_locked_out(at(5), "backup", "OLDPC", "S-1-5-21-1-2-3-1003"))
    assert log["successes"]["top_accounts"] == [{"name": "lab\\alice", "count": 2}]
    assert log["successes"]["distinct_sources"] == 2
    assert log["nla_failures"]["top_addresses"] == [{"address": "203.0.113.5", "failures": 1}]
    assert log["lockouts"]["top_accounts"] == [{"name": "backup", "count": 2, "last_caller": "KALI"}]


# --- errors -------------------------------------------------------------------------------------------------------

def test_an_unreadable_log_is_reported_in_its_part_only():
    log = summarize(ev.rdp_authentication_succeeded(at(1), "alice", "LAB", "10.0.0.21"),
                    event_logs_unreadable={ev.SECURITY: "Attempted to perform an unauthorized operation."})
    assert log["failures"]["error"] == "Attempted to perform an unauthorized operation."
    assert log["lockouts"]["error"] and log["failures"]["count"] == 0
    assert log["successes"]["error"] is None and log["successes"]["count"] == 1


def test_host_info_returns_the_summary_only_when_asked_and_rejects_bad_values():
    host = WindowsHost(state(ev.nla_logon_failed(at(1), "bob", "")))
    assert "access_log" not in twins.run(host, "rdp.windows.host_info", {})
    answer = twins.run(host, "rdp.windows.host_info", {"access_log_hours": 24})
    assert answer["access_log"]["failures"]["count"] == 1 and answer["access_log"]["max_events"] == 5000
    failed = twins.run(host, "rdp.windows.host_info", {"access_log_hours": 0})
    assert failed["failed"] and "access_log_hours" in failed["msg"]


# --- the bound -----------------------------------------------------------------------------------------------------

def busy_log(count):
    """``count`` failed RDP logons from many addresses against many accounts, plus as many 140 events."""
    events = []
    for n in range(count):
        address = f"198.51.{n % 200}.{n % 251}"
        events.append(ev.remote_interactive_logon_failed(at(n % 80000), f"user{n % 997}", "", address))
        events.append(ev.rdp_connection_failed_bad_credentials(at(n % 80000), address))
    return events


def lists_of(summary):
    return [value for part in summary.values() if isinstance(part, dict)
            for value in part.values() if isinstance(value, list)]


@pytest.fixture(scope="module")
def busy():
    return busy_log(100000)


def test_a_100000_event_log_gives_a_bounded_summary_and_reports_the_cap(busy):
    summary = access_log(state(*busy), 24, 5000)
    failures = summary["failures"]
    assert failures["read"] == 5000 and failures["cap_reached"] is True
    assert summary["nla_failures"]["cap_reached"] is True
    assert failures["oldest_read"] > summary["since"]      # the cap, not the window, ended the read
    assert all(len(values) <= TOP_N for values in lists_of(summary))
    assert len(json.dumps(summary)) < 8000


def test_the_summary_size_does_not_grow_with_the_events_read(busy):
    small = access_log(state(*busy_log(2000)), 24, 200000)
    large = access_log(state(*busy), 24, 200000)
    assert large["failures"]["read"] == 100000 and not large["failures"]["cap_reached"]
    assert small["failures"]["distinct_sources"] < large["failures"]["distinct_sources"]
    assert all(len(values) <= TOP_N for values in lists_of(large))
    # Only the digits of the counts differ.
    assert len(json.dumps(large)) - len(json.dumps(small)) < 500


def test_get_win_event_reads_newest_first_and_stops_at_the_cap():
    events = [ev.nla_logon_failed(at(60), "first", ""), ev.nla_logon_failed(at(60), "second", ""),
              ev.nla_logon_failed(at(120), "older", ""), ev.nla_logon_failed(at(0), "newest", "")]
    read = ev.get_win_event(state(*events), ev.SECURITY, 4625, 24, 3)
    assert [e["data"]["TargetUserName"] for e in read] == ["newest", "second", "first"]


def test_the_twin_reads_what_the_powershell_module_reads():
    """No PowerShell runs here: check that the module and its twin name the same logs, ids, filter and top N."""
    import os
    import re
    from tests.helpers import REPO
    with open(os.path.join(REPO, "plugins", "module_utils", "AccessLog.psm1"), encoding="utf-8") as handle:
        module = handle.read()
    assert re.search(r"^\$AccessLogTopCount = (\d+)$", module, re.M).group(1) == str(TOP_N)
    for log in (ev.RCM_LOG, ev.SECURITY, ev.RDPCORETS_LOG):
        assert f"-LogName '{log}'" in module
    assert sorted(map(int, re.findall(r"EventID=(\d+)", module))) == [140, 1149, 4625, 4740]
    assert ("Data[@Name='LogonType']='10' or (Data[@Name='LogonType']='3' and Data[@Name='IpAddress']='-')"
            in module)
    for field in ("Param1", "Param2", "Param3", "TargetUserName", "TargetDomainName", "IpAddress",
                  "WorkstationName", "SubStatus", "IPString", "LogonType", "AuthenticationPackageName"):
        assert f"'{field}'" in module
