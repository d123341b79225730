# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""rdp_waivers: validation naming the waiver, matching hosts and groups, application after evaluation."""

import datetime

import pytest

from ansible_collections.rdp.windows.plugins.plugin_utils._compliance import catalogue, waivers
from ansible_collections.rdp.windows.plugins.plugin_utils._reports import fleet_report

TODAY = datetime.date(2026, 6, 15)
KNOWN = catalogue.BY_ID


def waiver(**changes):
    item = {"control": "connections.allowed", "hosts": "web*", "reason": "kiosk, RDP off by design",
            "expires": "2026-12-31", "owner": "alice@example.com"}
    item.update(changes)
    return {key: value for key, value in item.items() if value is not None}


def audit(*statuses):
    """A host audit whose controls take the ids of the catalogue in order, with these statuses."""
    controls = [{"id": control.id, "title": control.title, "area": control.area, "cause": control.cause,
                 "status": status, "expected": 0, "actual": 1, "source": "local", "remediation": "fix it",
                 "reason": None} for control, status in zip(catalogue.CONTROLS, statuses)]
    return {"status": "non_compliant" if {"fail", "error"} & set(statuses) else "compliant", "profile": "baseline",
            "counts": {}, "controls": controls}


# --- validation ------------------------------------------------------------------------------------------

def test_a_valid_list_gives_waivers():
    rules = waivers.validate([waiver(), waiver(hosts=["db01", "sql_servers"], expires=datetime.date(2027, 1, 1))],
                             KNOWN)
    assert rules[0] == waivers.Waiver("connections.allowed", ("web*",), "kiosk, RDP off by design",
                                      datetime.date(2026, 12, 31), "alice@example.com")
    assert rules[1].hosts == ("db01", "sql_servers") and rules[1].expires == datetime.date(2027, 1, 1)


def test_none_and_empty_are_no_waivers():
    assert waivers.validate(None, KNOWN) == [] and waivers.validate([], KNOWN) == []


@pytest.mark.parametrize("item, expected", [
    (waiver(control="connections.alowed"), "rdp_waivers[0] (control 'connections.alowed', owner "
                                           "'alice@example.com'): control 'connections.alowed' is not a control id"),
    (waiver(expires=None), "rdp_waivers[0] (control 'connections.allowed', owner 'alice@example.com'): expires is "
                           "missing"),
    (waiver(expires="31/12/2026"), "expires '31/12/2026' is not a date; write it as YYYY-MM-DD"),
    (waiver(expires="2026-02-30"), "expires '2026-02-30' is not a date"),
    (waiver(expires=20261231), "expires 20261231 is not a date"),
    (waiver(reason=None), "reason is missing"),
    (waiver(reason="   "), "reason is missing"),
    (waiver(owner=None), "owner is missing"),
    (waiver(hosts=None), "hosts must be a host name pattern"),
    (waiver(hosts=[]), "hosts must be a host name pattern"),
    (waiver(hosts=["web*", ""]), "hosts must be a host name pattern"),
    (waiver(control=None), "control is missing"),
    (dict(waiver(), expiry="2026-01-01"), "unknown key(s) expiry"),
    ("connections.allowed", "rdp_waivers[0] must be a dict"),
])
def test_each_bad_waiver_is_an_error_naming_it(item, expected):
    with pytest.raises(waivers.InvalidWaiver) as error:
        waivers.validate([item], KNOWN)
    assert expected in str(error.value)


def test_every_problem_is_reported_at_once_with_the_position_of_each_waiver():
    with pytest.raises(waivers.InvalidWaiver) as error:
        waivers.validate([waiver(), waiver(control="nope"), waiver(reason=None, expires="soon")], KNOWN)
    assert [problem.split(":")[0] for problem in error.value.problems] == [
        "rdp_waivers[1] (control 'nope', owner 'alice@example.com')",
        "rdp_waivers[2] (control 'connections.allowed', owner 'alice@example.com')",
        "rdp_waivers[2] (control 'connections.allowed', owner 'alice@example.com')"]


def test_not_a_list_is_an_error():
    with pytest.raises(waivers.InvalidWaiver, match="rdp_waivers must be a list"):
        waivers.validate({"control": "connections.allowed"}, KNOWN)


# --- matching --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("hosts, hostname, groups, covered", [
    ("web*", "web01", (), True),
    ("web*", "db01", (), False),
    ("web*", "WEB01", (), False),  # Ansible host names are case-sensitive
    ("web0[1-3]", "web02", (), True),
    ("kiosks", "pc17", ("windows", "kiosks"), True),
    ("kiosks", "kiosks-old", (), False),
    ("all", "anything", (), True),
    (["db01", "kiosks"], "db01", (), True),
    (["db01", "kiosks"], "pc17", ("kiosks",), True),
    (["db01", "kiosks"], "pc18", ("servers",), False),
])
def test_a_waiver_covers_hosts_by_name_pattern_or_group(hosts, hostname, groups, covered):
    rule = waivers.validate([waiver(hosts=hosts)], KNOWN)[0]
    assert rule.covers(hostname, groups) is covered


# --- application -----------------------------------------------------------------------------------------

def test_a_failing_control_covered_by_a_waiver_in_force_is_waived_never_pass():
    rules = waivers.validate([waiver()], KNOWN)
    result = waivers.apply(audit("fail", "pass"), rules, "web01", today=TODAY)
    waived = result["controls"][0]
    assert waived["status"] == "waived"
    assert waived["waiver"] == {"control": "connections.allowed", "hosts": ["web*"],
                                "reason": "kiosk, RDP off by design", "owner": "alice@example.com",
                                "expires": "2026-12-31", "state": "applied", "original_status": "fail"}
    assert result["status"] == "compliant"
    assert result["counts"]["waived"] == 1 and result["counts"]["pass"] == 1 and result["counts"]["fail"] == 0


def test_a_control_that_cannot_be_read_can_be_waived_too():
    result = waivers.apply(audit("error"), waivers.validate([waiver()], KNOWN), "web01", today=TODAY)
    assert result["controls"][0]["status"] == "waived"
    assert result["controls"][0]["waiver"]["original_status"] == "error"


def test_the_waiver_applies_on_its_expiry_day_and_not_after():
    rules = waivers.validate([waiver(expires="2026-06-15")], KNOWN)
    assert waivers.apply(audit("fail"), rules, "web01", today=TODAY)["controls"][0]["status"] == "waived"
    later = waivers.apply(audit("fail"), rules, "web01", today=TODAY + datetime.timedelta(days=1))
    assert later["controls"][0]["status"] == "fail"
    assert later["controls"][0]["waiver"]["state"] == "expired"
    assert later["status"] == "non_compliant"
    assert waivers.expired(later) == [dict(later["controls"][0]["waiver"])]


def test_a_passing_control_stays_pass_and_the_waiver_is_flagged_not_needed():
    result = waivers.apply(audit("pass"), waivers.validate([waiver()], KNOWN), "web01", today=TODAY)
    assert result["controls"][0]["status"] == "pass"
    assert result["controls"][0]["waiver"]["state"] == "not_needed"


def test_a_host_not_covered_is_unchanged():
    original = audit("fail")
    assert waivers.apply(original, waivers.validate([waiver()], KNOWN), "db01", today=TODAY) is original


def test_group_membership_comes_from_the_inventory_groups():
    rules = waivers.validate([waiver(hosts="kiosks")], KNOWN)
    assert waivers.apply(audit("fail"), rules, "pc17", ["kiosks"], today=TODAY)["controls"][0]["status"] == "waived"
    assert waivers.apply(audit("fail"), rules, "pc17", ["servers"], today=TODAY)["controls"][0]["status"] == "fail"


def test_an_expired_waiver_does_not_hide_one_in_force_for_the_same_control():
    rules = waivers.validate([waiver(expires="2026-01-01", reason="old"), waiver(expires="2026-09-01", reason="new")],
                             KNOWN)
    control = waivers.apply(audit("fail"), rules, "web01", today=TODAY)["controls"][0]
    assert control["status"] == "waived" and control["waiver"]["reason"] == "new"


def test_a_waiver_only_touches_its_own_control():
    result = waivers.apply(audit("fail", "fail"), waivers.validate([waiver()], KNOWN), "web01", today=TODAY)
    assert [c["status"] for c in result["controls"]] == ["waived", "fail"]
    assert "waiver" not in result["controls"][1]
    assert result["status"] == "non_compliant"


def test_the_input_audit_is_not_modified():
    original = audit("fail")
    waivers.apply(original, waivers.validate([waiver()], KNOWN), "web01", today=TODAY)
    assert original["controls"][0]["status"] == "fail" and "waiver" not in original["controls"][0]


# --- in the fleet report ---------------------------------------------------------------------------------

def test_the_report_lists_each_waiver_with_the_hosts_it_applied_to_expired_on_or_was_not_needed_on():
    rules = waivers.validate([waiver(), waiver(control="connections.not_draining", expires="2026-01-01",
                                               reason="drain test")], KNOWN)
    results = {
        "web01": waivers.apply(audit("fail", "fail"), rules, "web01", today=TODAY),
        "web02": waivers.apply(audit("pass", "pass"), rules, "web02", today=TODAY),
        "db01": waivers.apply(audit("fail", "fail"), rules, "db01", today=TODAY),
    }
    report = fleet_report.build(["web01", "web02", "db01"], results, generated_at="2026-06-15T00:00:00+00:00")
    assert report["hosts"]["web01"]["controls"][0]["waiver"]["state"] == "applied"
    assert "waiver" not in report["hosts"]["db01"]["controls"][0]
    assert report["waivers"] == [
        {"control": "connections.not_draining", "hosts": ["web*"], "reason": "drain test", "owner": "alice@example.com",
         "expires": "2026-01-01", "state": "expired", "applied_to": [], "not_needed_on": [],
         "expired_on": ["web01", "web02"]},
        {"control": "connections.allowed", "hosts": ["web*"], "reason": "kiosk, RDP off by design",
         "owner": "alice@example.com", "expires": "2026-12-31", "state": "in_force", "applied_to": ["web01"],
         "not_needed_on": ["web02"], "expired_on": []},
    ]
    assert report["summary"]["compliant"] == 1  # web02; web01 still fails connections.not_draining
