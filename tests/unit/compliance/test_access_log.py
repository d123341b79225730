# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""plugin_utils/_compliance/access_log.py: settings validation and findings from an access-log summary."""

import pytest

from ansible_collections.rdp.windows.plugins.plugin_utils._compliance import access_log
from ansible_collections.rdp.windows.plugins.plugin_utils._reports import fleet_report
from ansible_collections.rdp.windows.plugins.plugin_utils._compliance.access_log import Settings, findings, settings_from_vars
from ansible_collections.rdp.windows.plugins.plugin_utils._compliance.desired_state import InvalidInput

DEFAULT = Settings()


def part(**extra):
    base = {"read": 0, "cap_reached": False, "oldest_read": None, "error": None, "count": 0}
    base.update(extra)
    return base


def summary(sources=(), accounts=(), addresses=(), distinct_sources=None, distinct_accounts=None,
            distinct_addresses=None, **parts):
    """A summary as host_info returns it; lists are given biggest first, as the host sorts them."""
    result = {
        "hours": 24, "since": "2026-11-01T09:00:00Z", "until": "2026-11-02T09:00:00Z", "max_events": 5000,
        "top": 10,
        "successes": part(top_accounts=[], top_sources=[], distinct_accounts=0, distinct_sources=0),
        "failures": part(top_sources=list(sources), top_accounts=list(accounts), top_accounts_by_sources=list(accounts),
                         distinct_sources=len(sources) if distinct_sources is None else distinct_sources,
                         distinct_accounts=len(accounts) if distinct_accounts is None else distinct_accounts),
        "nla_failures": part(top_addresses=list(addresses),
                             distinct_addresses=len(addresses) if distinct_addresses is None else distinct_addresses),
        "lockouts": part(top_accounts=[], distinct_accounts=0),
    }
    for name, changes in parts.items():
        result[name].update(changes)
    return result


def source(value, failures, kind="address", accounts=1):
    return {"source": value, "kind": kind, "failures": failures, "distinct_accounts": accounts}


def account(name, distinct_sources, failures=None):
    return {"name": name, "failures": failures or distinct_sources, "distinct_sources": distinct_sources}


def ids(found):
    return [f["id"] for f in found]


# --- settings ----------------------------------------------------------------------------------------------

def test_defaults():
    assert settings_from_vars({}) == Settings(24, 5000, 20, 5)
    assert access_log.query_options(settings_from_vars({})) == {"access_log_hours": 24, "access_log_max_events": 5000}


def test_null_hours_turns_the_review_off():
    settings = settings_from_vars({"rdp_access_log_hours": None})
    assert not settings.enabled and access_log.query_options(settings) == {}
    assert findings(None, settings) == []


def test_numbers_given_as_text_are_accepted():
    assert settings_from_vars({"rdp_spray_failures_per_source": "7"}).failures_per_source == 7


@pytest.mark.parametrize("name, value, message", [
    ("rdp_access_log_hours", 0, "rdp_access_log_hours must be an integer from 1 to 8760 or null"),
    ("rdp_access_log_hours", 8761, "rdp_access_log_hours must be an integer from 1 to 8760"),
    ("rdp_access_log_max_events", None, "rdp_access_log_max_events must be an integer from 1 to 100000, got None"),
    ("rdp_access_log_max_events", 100001, "rdp_access_log_max_events must be an integer from 1 to 100000"),
    ("rdp_spray_failures_per_source", True, "rdp_spray_failures_per_source must be an integer"),
    ("rdp_spray_failures_per_source", "many", "rdp_spray_failures_per_source must be an integer"),
    ("rdp_spray_sources_per_account", 1, "rdp_spray_sources_per_account must be an integer from 2 to 100000"),
])
def test_bad_values_are_named(name, value, message):
    with pytest.raises(InvalidInput) as error:
        settings_from_vars({name: value})
    assert message in str(error.value)


def test_every_problem_is_reported_at_once():
    with pytest.raises(InvalidInput) as error:
        settings_from_vars({"rdp_spray_failures_per_source": 0, "rdp_spray_sources_per_account": 0})
    assert len(error.value.problems) == 2


def test_options_map_to_variables_and_a_null_hours_option_is_kept():
    args = {"access_log_hours": None, "spray_failures_per_source": 9, "access_log_max_events": None, "port": 3389}
    assert access_log.variables_from_options(args) == {"rdp_access_log_hours": None,
                                                       "rdp_spray_failures_per_source": 9}


# --- many failures from one source ------------------------------------------------------------------------------

def test_a_source_at_the_threshold_is_flagged_one_below_is_not():
    found = findings(summary(sources=[source("203.0.113.7", 20, accounts=12), source("10.0.0.5", 19)]), DEFAULT)
    assert ids(found) == ["access.failures_from_source"]
    assert found[0]["evidence"] == {"event": "Security 4625", "source": "203.0.113.7", "source_kind": "address",
                                    "failures": 20, "distinct_accounts": 12, "window_hours": 24}
    assert found[0]["thresholds"] == {"rdp_spray_failures_per_source": 20}
    assert found[0]["severity"] == "medium"


def test_tied_sources_are_all_flagged_in_the_hosts_order():
    found = findings(summary(sources=[source("198.51.100.1", 30), source("198.51.100.2", 30)]), DEFAULT)
    assert [f["evidence"]["source"] for f in found] == ["198.51.100.1", "198.51.100.2"]


def test_a_workstation_name_is_a_source_an_unknown_source_is_not():
    found = findings(summary(sources=[source("-", 500, kind="unknown"), source("KALI", 40, kind="workstation")]),
                     DEFAULT)
    assert [f["evidence"]["source"] for f in found] == ["KALI"]
    assert "workstation name KALI" in found[0]["message"]


def test_nla_failures_by_address_are_a_source_too():
    found = findings(summary(addresses=[{"address": "203.0.113.9", "failures": 25}, {"address": "-", "failures": 90}]),
                     DEFAULT)
    assert [(f["evidence"]["event"], f["evidence"]["source"]) for f in found] == [("RdpCoreTS 140", "203.0.113.9")]


def test_a_lower_threshold_flags_more():
    low = Settings(failures_per_source=5)
    assert len(findings(summary(sources=[source("10.0.0.5", 6)]), low)) == 1
    assert findings(summary(sources=[source("10.0.0.5", 6)]), DEFAULT) == []


# --- one account from many sources ------------------------------------------------------------------------------

def test_an_account_failing_from_enough_sources_is_flagged_high():
    found = findings(summary(accounts=[account("administrator", 5, failures=9), account("alice", 4)]), DEFAULT)
    assert ids(found) == ["access.account_from_many_sources"]
    assert found[0]["severity"] == "high"
    assert found[0]["evidence"]["account"] == "administrator" and found[0]["evidence"]["failures"] == 9
    assert found[0]["thresholds"] == {"rdp_spray_sources_per_account": 5}


def test_many_failures_from_few_sources_are_not_an_account_finding():
    assert findings(summary(accounts=[account("alice", 1, failures=500)]), DEFAULT) == []


# --- what the review could not see ------------------------------------------------------------------------------

def test_a_full_top_list_over_the_threshold_says_more_were_not_listed():
    listed = [source(f"198.51.100.{n}", 50 - n) for n in range(10)]
    found = findings(summary(sources=listed, distinct_sources=37), DEFAULT)
    assert ids(found).count("access.failures_from_source") == 10
    note = next(f for f in found if f["id"] == "access.more_not_listed")
    assert note["severity"] == "info" and note["evidence"] == {"event": "Security 4625", "listed": 10, "distinct": 37}


def test_no_note_when_the_last_listed_entry_is_under_the_threshold():
    listed = [source("198.51.100.1", 50)] + [source(f"198.51.100.{n}", 3) for n in range(2, 11)]
    assert "access.more_not_listed" not in ids(findings(summary(sources=listed, distinct_sources=37), DEFAULT))


def test_a_reached_cap_and_an_unreadable_log_are_reported():
    found = findings(summary(failures={"read": 5000, "cap_reached": True, "oldest_read": "2026-11-02T07:00:00Z"},
                             lockouts={"error": "Attempted to perform an unauthorized operation."}), DEFAULT)
    capped = next(f for f in found if f["id"] == "access.log_cap_reached")
    assert capped["evidence"]["part"] == "failures" and capped["evidence"]["oldest_read"] == "2026-11-02T07:00:00Z"
    assert capped["thresholds"] == {"rdp_access_log_max_events": 5000}
    unreadable = next(f for f in found if f["id"] == "access.log_unreadable")
    assert unreadable["evidence"]["part"] == "lockouts" and "unauthorized" in unreadable["message"]


def test_a_quiet_summary_has_no_findings():
    assert findings(summary(sources=[source("10.0.0.21", 1)], accounts=[account("lab\\alice", 1)]), DEFAULT) == []


def test_the_fleet_report_carries_findings_and_the_summary():
    quiet = summary()
    entry = fleet_report.host_entry({"status": "compliant", "controls": [], "findings": [], "access_log": quiet})
    assert entry["findings"] == [] and entry["access_log"] == quiet


def test_review_says_when_the_host_made_no_summary():
    summary_, found = access_log.review({"errors": [{"section": "access_log", "message": "boom"}]}, DEFAULT)
    assert summary_ is None and ids(found) == ["access.log_unreadable"] and "boom" in found[0]["message"]
    assert access_log.review({}, Settings(hours=None)) == (None, [])
    quiet = summary()
    assert access_log.review({"access_log": quiet}, DEFAULT) == (quiet, [])
