# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Merging the reports of sliced runs gives the report of one run."""

import datetime

import pytest

from ansible_collections.rdp.windows.plugins.plugin_utils._compliance import catalogue, waivers
from ansible_collections.rdp.windows.plugins.plugin_utils._reports import fleet_report, report_merge

CONTROL = catalogue.CONTROLS[0]


def result(status):
    control = {"id": CONTROL.id, "title": CONTROL.title, "area": CONTROL.area, "cause": CONTROL.cause,
               "status": "fail" if status == "non_compliant" else "pass", "expected": 0, "actual": 1,
               "source": "local", "remediation": "", "reason": None}
    return {"status": status, "profile": "baseline", "controls": [control], "counts": {}}


RESULTS = {"a": result("compliant"), "b": result("non_compliant"), "c": None, "d": result("non_compliant")}


def test_two_slices_merge_into_the_report_of_one_run():
    rules = waivers.validate([{"control": CONTROL.id, "hosts": "d", "reason": "r", "owner": "o",
                               "expires": "2030-01-01"}], catalogue.BY_ID)
    results = dict(RESULTS, d=waivers.apply(RESULTS["d"], rules, "d", today=datetime.date(2026, 1, 1)))
    whole = fleet_report.build(sorted(results), results, generated_at="2026-01-01T10:00:00+00:00")
    first = fleet_report.build(["a", "c"], results, generated_at="2026-01-01T10:00:00+00:00")
    second = fleet_report.build(["b", "d"], results, generated_at="2026-01-01T10:05:00+00:00")
    merged, duplicates, too_old = report_merge.merge([("s1", first), ("s2", second)])
    assert duplicates == {} and too_old == []
    assert merged["generated_at"] == "2026-01-01T10:05:00+00:00"
    assert dict(merged, generated_at=None) == dict(whole, generated_at=None)
    assert merged["waivers"][0]["applied_to"] == ["d"]


def test_a_host_in_two_reports_keeps_its_newest_entry():
    old = fleet_report.build(["b"], RESULTS, generated_at="2026-01-01T10:00:00+00:00")
    new = fleet_report.build(["b"], {"b": result("compliant")}, generated_at="2026-01-02T10:00:00Z")
    merged, duplicates, _unused = report_merge.merge([("new", new), ("old", old)])
    assert merged["hosts"]["b"]["status"] == "compliant"
    assert duplicates == {"b": ["new", "old"]}


def test_reports_much_older_than_the_newest_are_left_out_with_max_age():
    yesterday = fleet_report.build(["a", "b"], RESULTS, generated_at="2026-01-01T02:00:00+00:00")
    tonight = fleet_report.build(["b", "d"], RESULTS, generated_at="2026-01-02T02:10:00+00:00")
    slice_2 = fleet_report.build(["c"], RESULTS, generated_at="2026-01-02T02:00:00+00:00")
    sources = [("old/1", yesterday), ("new/1", tonight), ("new/2", slice_2)]
    merged, _unused, too_old = report_merge.merge(sources, max_age=datetime.timedelta(hours=12))
    assert sorted(merged["hosts"]) == ["b", "c", "d"] and too_old == ["old/1"]
    assert sorted(report_merge.merge(sources)[0]["hosts"]) == ["a", "b", "c", "d"]


@pytest.mark.parametrize("report, message", [
    ({"schema_version": 1, "generated_at": "2026-01-01T00:00:00+00:00"}, "not an rdp-compliance report"),
    ({"schema_version": 2, "generated_at": "2026-01-01T00:00:00+00:00", "hosts": {}}, "schema_version 2"),
    ({"schema_version": 1, "generated_at": "yesterday", "hosts": {}}, "'yesterday' is not an ISO 8601 time"),
    ([], "not an rdp-compliance report"),
])
def test_what_is_not_a_report_is_refused_naming_the_file(report, message):
    with pytest.raises(report_merge.MergeError, match=message) as error:
        report_merge.merge([("slice-3/rdp-compliance.json", report)])
    assert str(error.value).startswith("slice-3/rdp-compliance.json: ")


def test_nothing_to_merge_is_an_error():
    with pytest.raises(report_merge.MergeError, match="no report"):
        report_merge.merge([])
