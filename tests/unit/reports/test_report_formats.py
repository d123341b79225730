# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The report writers, each read back with an independent parser: structure, counts, escaping."""

import datetime
import json

import pytest

from ansible_collections.rdp.windows.plugins.plugin_utils._reports import (
    awx_artifacts, fleet_report, report_csv, report_files, report_html, report_junit, report_markdown, report_prometheus,
    report_view)
from ansible_collections.rdp.windows.plugins.plugin_utils._compliance import catalogue, waivers
from tests.report_checks import (HOSTILE, csv_rows, csv_unescape, junit_cases, junit_schema, markdown_tables,
                                 prometheus_samples)

GENERATED = "2026-06-15T08:30:00+00:00"
IDS = [control.id for control in catalogue.controls_for("baseline")]


def control(cid, status, value="x", **extra):
    entry = catalogue.BY_ID[cid]
    result = {"id": cid, "title": entry.title, "area": entry.area, "cause": entry.cause, "status": status,
              "expected": 0, "actual": value, "source": "local", "remediation": "fix it", "reason": None}
    result.update(extra)
    return result


def host(status, controls, **extra):
    return dict({"status": status, "profile": "baseline", "controls": controls,
                 "counts": {s: sum(1 for c in controls if c["status"] == s) for s in report_view.CONTROL_STATUSES},
                 "os": {"caption": "Windows Server 2022"}}, **extra)


def fleet(value):
    """A fleet in which ``value`` is everything a host could send back: values, reasons, messages."""
    rules = waivers.validate([{"control": IDS[2], "hosts": "web*", "reason": value, "owner": value,
                               "expires": "2026-12-31"}], catalogue.BY_ID)
    web01 = host("non_compliant", [control(IDS[0], "fail", value), control(IDS[1], "error", None, reason=value),
                                   control(IDS[2], "fail", value), control(IDS[3], "pass", 1),
                                   control(IDS[4], "not_applicable", None, reason="rdp_port is 3390")],
                 findings=[{"id": "access.account_from_many_sources", "severity": "high", "message": value,
                            "evidence": {"account": value}, "thresholds": {}}])
    web01 = waivers.apply(web01, rules, "web01", today=datetime.date(2026, 6, 15))
    results = {
        "web01": web01,
        "web02": host("compliant", [control(cid, "pass", 0) for cid in IDS[:5]]),
        "db01": {"status": "unreachable", "message": value, "controls": []},
        "db02": {"status": "error", "message": "Invalid input: " + value, "controls": []},
    }
    return fleet_report.build(sorted(results), results, generated_at=GENERATED)


@pytest.fixture(params=HOSTILE, ids=[f"hostile{index}" for index in range(len(HOSTILE))])
def hostile(request):
    return request.param, fleet(request.param)


# --- one source, six files -------------------------------------------------------------------------------

def test_every_format_is_rendered_from_the_same_report():
    files = report_files.render_all(fleet("v"))
    assert sorted(files) == ["rdp-compliance.csv", "rdp-compliance.html", "rdp-compliance.json", "rdp-compliance.md",
                             "rdp-compliance.prom", "rdp-compliance.xml"]
    assert report_files.render_all(fleet("v"), formats=["csv"]).keys() == {"rdp-compliance.csv"}
    with pytest.raises(ValueError, match="unknown report format"):
        report_files.render_all(fleet("v"), formats=["pdf"])


def test_the_json_report_reads_back_as_the_report_with_one_line_per_host(hostile):
    value, report = hostile
    text = report_files.render_json(report)
    assert json.loads(text) == report
    host_lines = [line for line in text.splitlines() if line.startswith('  "')]
    assert [json.loads("{" + line.rstrip(",") + "}").popitem()[0] for line in host_lines] == sorted(report["hosts"])


def test_a_json_report_without_hosts_is_valid_json():
    report = fleet_report.build([], {}, generated_at=GENERATED)
    assert json.loads(report_files.render_json(report)) == report


# --- JUnit ---------------------------------------------------------------------------------------------------

def test_junit_validates_and_maps_statuses(hostile):
    value, report = hostile
    text = report_junit.render(report)
    junit_schema().validate(text)
    root, cases = junit_cases(text)
    outcome = {(classname, name): tag for classname, name, tag, _unused, _unused in cases}
    assert outcome[("web01", IDS[0])] == "failure"
    assert outcome[("web01", IDS[1])] == "error"
    assert outcome[("web01", IDS[2])] == "skipped"  # waived
    assert outcome[("web01", IDS[3])] == "pass"
    assert outcome[("web01", IDS[4])] == "skipped"  # not applicable
    assert outcome[("db01", "rdp.reachable")] == "error" and outcome[("db02", "rdp.reachable")] == "error"
    assert (root.get("tests"), root.get("failures"), root.get("errors"), root.get("skipped")) == (
        str(len(cases)), "1", "3", "2")
    for suite in root.iter("testsuite"):
        tags = [next(iter(case), None) for case in suite.iter("testcase")]
        assert int(suite.get("tests")) == len(tags)
        assert int(suite.get("failures")) == sum(1 for t in tags if t is not None and t.tag == "failure")


def test_junit_carries_hostile_values_as_text(hostile):
    value, report = hostile
    _unused, cases = junit_cases(report_junit.render(report))
    details = {(classname, name): (message, text) for classname, name, _unused, message, text in cases}
    assert f"actual: {value}\n" in details[("web01", IDS[0])][1]
    assert details[("web01", IDS[1])][0] == value
    assert details[("db01", "rdp.reachable")][0] == f"unreachable: {value}"
    assert value in details[("web01", IDS[2])][0]  # the waiver's reason


def test_junit_survives_control_characters_xml_cannot_carry():
    text = report_junit.render(fleet("bell\x07 nul\x00 esc\x1b"))
    junit_schema().validate(text)
    assert "bell\\x07 nul\\x00 esc\\x1b" in text


# --- CSV -----------------------------------------------------------------------------------------------------

def test_csv_has_one_row_per_host_and_control_and_one_per_host_not_audited(hostile):
    value, report = hostile
    rows = csv_rows(report_csv.render(report))
    assert len(rows) == 5 + 5 + 1 + 1
    by_key = {(row["host"], row["control"]): row for row in rows}
    assert csv_unescape(by_key[("web01", IDS[0])]["actual"]) == value
    assert csv_unescape(by_key[("web01", IDS[1])]["reason"]) == value
    assert by_key[("web01", IDS[2])]["status"] == "waived"
    assert csv_unescape(by_key[("web01", IDS[2])]["waiver_owner"]) == value
    assert csv_unescape(by_key[("db01", "")]["message"]) == value
    assert by_key[("db01", "")]["host_status"] == "unreachable"


def test_no_csv_cell_can_start_a_formula(hostile):
    _unused, report = hostile
    for row in csv_rows(report_csv.render(report)):
        for cell in row.values():
            assert not cell.lstrip(" ").startswith(("=", "+", "-", "@", "\t", "\r")), cell


@pytest.mark.parametrize("value, cell", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"), ("  =1", "'  =1"), ("a=1", "a=1"), ("", ""), (None, ""), (3389, "3389"),
])
def test_csv_cells(value, cell):
    assert report_csv.cell(value) == cell


# --- Markdown ------------------------------------------------------------------------------------------------

def test_markdown_tables_keep_their_shape_and_show_hostile_values_as_text(hostile):
    value, report = hostile
    tables, document = markdown_tables(report_markdown.render(report))
    for table in tables:
        assert len({len(row) for row in table}) == 1, table  # no value split a row into more cells
    failing = next(table for table in tables if table[0][:2] == ["Host", "Control"])
    assert [row[1] for row in failing[1:]] == [IDS[0], IDS[1]]
    assert failing[1][4] == value  # actual
    assert failing[2][6] == value  # an error shows its reason
    unreached = next(table for table in tables if table[0] == ["Host", "Status", "Message"])
    assert unreached[1] == ["db01", "unreachable", value]
    findings = next(table for table in tables if table[0] == ["Host", "Severity", "Finding", "Message"])
    assert findings[1:] == [["web01", "high", "access.account_from_many_sources", value]]
    waiver_table = next(table for table in tables if table[0][0] == "Control" and "Owner" in table[0])
    assert waiver_table[1][2] == value and waiver_table[1][7] == value
    assert not document.xpath("//script|//img|//a|//code|//em|//strong[contains(., 'bold')]|//del")


def test_markdown_stops_long_tables_and_points_to_the_csv():
    text = report_markdown.render(fleet("v"), max_rows=1)
    assert "Only the first 1 of 2 rows are shown; rdp-compliance.csv has them all." in text


# --- HTML (structure; the browser test renders it) ----------------------------------------------------------

def test_html_shows_hostile_values_as_text_and_runs_only_its_own_script(hostile):
    import lxml.html
    value, report = hostile
    page = report_html.render(report)
    document = lxml.html.fromstring(page)
    assert len(document.xpath("//script")) == 1 and document.xpath("//script")[0].text.strip().startswith("(function")
    assert not document.xpath("//img|//iframe|//object|//embed|//link|//a|//*[@onerror]|//*[@onload]")
    actual = document.xpath('//table[@id="failing-table"]//tr[@data-control=$c]/td[contains(@class, "actual")]',
                            c=IDS[0])
    assert actual[0].text_content() == value
    message = document.xpath('//table[@id="unreached-table"]//tr[@data-host="db01"]/td[3]')
    assert message[0].text_content() == value
    finding = document.xpath('//table[@id="findings-table"]//tr[@data-host="web01"]/td[4]')
    assert finding[0].text_content() == value


def test_html_loads_nothing_from_anywhere():
    page = report_html.render(fleet("v"))
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "") and "https://" not in page
    assert f'content="{report_html.CSP}"' in page
    assert "default-src 'none'" in report_html.CSP and "'unsafe-inline'" not in report_html.CSP


# --- Prometheus ----------------------------------------------------------------------------------------------

def test_prometheus_parses_and_matches_the_report():
    report = fleet("v")
    samples = prometheus_samples(report_prometheus.render(report))
    hosts = samples["rdp_compliance_hosts"]
    assert {dict(labels)["status"]: value for labels, value in hosts.items()} == {
        "compliant": 1, "non_compliant": 1, "unreachable": 1, "error": 1}
    assert samples["rdp_compliance_last_run_timestamp_seconds"][frozenset()] == datetime.datetime.fromisoformat(
        GENERATED).timestamp()
    failing_by_control = {dict(labels)["control"]: value
                          for labels, value in samples["rdp_compliance_control_failing_hosts"].items()}
    assert failing_by_control == {IDS[0]: 1, IDS[1]: 1, IDS[2]: 0, IDS[3]: 0, IDS[4]: 0}
    area = catalogue.BY_ID[IDS[0]].area
    assert samples["rdp_compliance_failing_controls"][frozenset({("area", area)})] == sum(
        1 for cid in IDS[:2] if catalogue.BY_ID[cid].area == area)
    assert sum(samples["rdp_compliance_waived_controls"].values()) == 1
    assert samples["rdp_compliance_expired_waivers"][frozenset()] == 0
    assert {dict(labels)["severity"]: value for labels, value in samples["rdp_compliance_access_findings"].items()} == {
        "info": 0, "medium": 0, "high": 1}
    assert samples["rdp_compliance_host_compliant"] == {
        frozenset({("host", h)}): v for h, v in (("db01", 0), ("db02", 0), ("web01", 0), ("web02", 1))}
    assert samples["rdp_compliance_host_audited"][frozenset({("host", "db01")})] == 0
    assert samples["rdp_compliance_host_failing_controls"] == {
        frozenset({("host", "web01")}): 2, frozenset({("host", "web02")}): 0}


def test_prometheus_label_values_round_trip(hostile):
    value, _unused = hostile
    report = fleet("v")
    report["hosts"] = {value + '\n"\\': report["hosts"]["web02"]}
    samples = prometheus_samples(report_prometheus.render(report))
    assert list(samples["rdp_compliance_host_compliant"]) == [frozenset({("host", value + '\n"\\')})]


# --- AWX artifacts -------------------------------------------------------------------------------------------

def test_the_artifact_is_a_compact_summary():
    artifact = awx_artifacts.summary(fleet("v"), "/srv/reports")
    assert artifact == {
        "generated_at": GENERATED, "compliant": False, "hosts": 4, "compliant_hosts": 1, "non_compliant_hosts": 1,
        "unreachable_hosts": 1, "error_hosts": 1, "drifted": ["web01"], "not_audited": ["db01", "db02"],
        "hosts_listed_max": awx_artifacts.MAX_HOSTS_LISTED, "failing_controls": {IDS[0]: 1, IDS[1]: 1},
        "waived_controls": 1, "expired_waivers": 0, "report_dir": "/srv/reports"}


def test_the_artifact_lists_at_most_the_cap_of_host_names():
    results = {f"h{index:04d}": {"status": "unreachable", "controls": []} for index in range(250)}
    artifact = awx_artifacts.summary(fleet_report.build(sorted(results), results, generated_at=GENERATED))
    assert len(artifact["not_audited"]) == awx_artifacts.MAX_HOSTS_LISTED and artifact["unreachable_hosts"] == 250
