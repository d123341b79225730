# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/audit.yml on the lab writes every report format from the same data.

The lab is planted with what a hostile or broken host could send back (a firewall rule name, a service
state, a registry value, a connection error, an account name someone tried to log on with), with secrets in
the inventory, with waivers (one in force for a group, one expired) and an unreachable host. Every format
is read back with an independent parser, and the HTML page in a real headless browser (Debian's chromium).
"""

import json
import os

import pytest
import yaml

from tests.helpers import build_lab, calls, run_playbook
from tests.report_checks import (browser_dom, csv_rows, csv_unescape, junit_cases, junit_schema, markdown_tables,
                                 prometheus_samples)

RULE_NAME = "<script>document.body.setAttribute('data-pwned','rule')</script> | =cmd|' /C calc'!A0"
SERVICE_STATE = "=cmd|' /C calc'!A0"
REGISTRY_TEXT = "<img src=x onerror=\"document.body.setAttribute('data-pwned','reg')\"> | **bold** @here"
# Lower case: the access-log review folds account names to compare them.
ACCOUNT = "<svg onload=\"document.body.setattribute('data-pwned','account')\"> | =hyperlink(1) @admin"
FAULT = "WinRM refused: <b>x</b> | [click](http://evil.example) =HYPERLINK(\"http://evil.example\")"
SECRETS = {"ansible_password": "Pa55-secret-winrm-01", "ansible_winrm_password": "Pa55-secret-winrm-02",
           "ansible_become_password": "Pa55-secret-become-03", "ansible_psrp_password": "Pa55-secret-psrp-04",
           "monitoring_api_token": "tok-secret-5f1e2d3c4b5a6978"}
WAIVERS = [
    {"control": "qos.dscp_tcp", "hosts": "kiosks", "reason": "kiosk VLAN has no QoS <yet> | see CHG-42",
     "owner": "network-team", "expires": "2099-12-31"},
    {"control": "compatibility.tls12_server", "hosts": "tls12-*", "reason": "legacy clients",
     "owner": "app-team", "expires": "2020-01-01"},
]
FORMATS = ("json", "xml", "html", "md", "csv", "prom")


def _plant(lab):
    def edit(host, change):
        path = lab / "hosts" / f"{host}.json"
        state = json.loads(path.read_text())
        change(state)
        path.write_text(json.dumps(state))

    edit("port-changed", lambda s: s["firewall"]["rules"].append({
        "name": RULE_NAME, "display_name": RULE_NAME, "group": "", "display_group": "", "enabled": True,
        "action": "Block", "direction": "Inbound", "protocol": "TCP", "local_ports": ["3390"],
        "remote_addresses": ["Any"], "profiles": ["Any"], "program": "Any", "service": "Any"}))
    edit("termservice-disabled", lambda s: s["services"]["UmRdpService"].update(state=SERVICE_STATE))
    edit("throttled", lambda s: s["registry"]["HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server"].update(
        MaxOutstandingConnections={"type": "REG_SZ", "value": REGISTRY_TEXT}))
    edit("user-denied", lambda s: s.update(faults=[{"at": "before", "message": FAULT}]))
    edit("password-spray", lambda s: [event["data"].update(TargetUserName=ACCOUNT) for event in s["event_log"]
                                      if event["data"].get("TargetUserName") == "administrator"])
    inventory_path = lab / "inventory.yml"
    inventory = yaml.safe_load(inventory_path.read_text())
    inventory["rdp_lab"]["vars"].update(SECRETS)
    inventory["rdp_lab"]["vars"]["rdp_waivers"] = WAIVERS
    inventory["rdp_lab"]["children"] = {"kiosks": {"hosts": {"qos-missing": {}}}}
    inventory_path.write_text(yaml.safe_dump(inventory))
    return str(inventory_path)


@pytest.fixture(scope="module")
def lab_run(tmp_path_factory):
    lab = tmp_path_factory.mktemp("reports-lab")
    build_lab(str(lab))
    inventory = _plant(lab)
    reports = lab / "reports"
    run = run_playbook("audit.yml", inventory, "-e", f"rdp_report_dir={reports}", check=True,
                       env={"ANSIBLE_STDOUT_CALLBACK": "ansible.posix.json", "ANSIBLE_SHOW_CUSTOM_STATS": "1"})
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    files = {fmt: (reports / f"rdp-compliance.{fmt}").read_text(encoding="utf-8") for fmt in FORMATS}
    return {"lab": lab, "reports": reports, "run": run, "output": json.loads(run.stdout), "files": files,
            "report": json.loads(files["json"])}


def control(report, host, cid):
    return next(c for c in report["hosts"][host]["controls"] if c["id"] == cid)


def failing(report):
    return [(host, c["id"]) for host, entry in sorted(report["hosts"].items()) for c in entry["controls"]
            if c["status"] in ("fail", "error")]


# --- the JSON report: plants, waivers, unreachable host ------------------------------------------------------

def test_the_planted_values_reach_the_report_as_data(lab_run):
    report = lab_run["report"]
    assert RULE_NAME in control(report, "port-changed", "firewall.custom_port_tcp")["actual"]["blocked_by"]
    assert control(report, "termservice-disabled", "service.umrdpservice.running")["actual"] == SERVICE_STATE
    assert control(report, "throttled", "tuning.max_outstanding_connections")["actual"] == {
        "wrong_type": "REG_SZ", "value": REGISTRY_TEXT}
    assert report["hosts"]["user-denied"]["status"] == "unreachable"
    assert FAULT in report["hosts"]["user-denied"]["message"]
    assert any(ACCOUNT in finding["message"] for finding in report["hosts"]["password-spray"]["findings"])


def test_a_waiver_for_a_group_waives_the_control_with_its_reason(lab_run):
    report = lab_run["report"]
    waived = control(report, "qos-missing", "qos.dscp_tcp")
    assert waived["status"] == "waived"
    assert waived["waiver"] == dict(WAIVERS[0], hosts=["kiosks"], state="applied", original_status="fail")
    assert control(report, "qos-missing", "qos.dscp_udp")["status"] == "fail"


def test_an_expired_waiver_no_longer_applies_and_is_flagged(lab_run):
    report = lab_run["report"]
    tls = control(report, "tls12-disabled", "compatibility.tls12_server")
    assert tls["status"] == "fail" and tls["waiver"]["state"] == "expired"
    assert report["hosts"]["tls12-disabled"]["status"] == "non_compliant"
    expired = next(w for w in report["waivers"] if w["control"] == "compatibility.tls12_server")
    assert expired["state"] == "expired" and expired["expired_on"] == ["tls12-disabled"]
    warnings = [w for play in lab_run["output"]["plays"] for task in play["tasks"]
                for host, result in task["hosts"].items() for w in result.get("warnings", ())]
    assert any("compatibility.tls12_server (owner app-team) expired on 2020-01-01" in w for w in warnings)


def test_no_credential_or_connection_variable_reaches_any_report_or_the_artifacts(lab_run):
    written = sorted(os.listdir(lab_run["reports"]))
    assert written == sorted(f"rdp-compliance.{fmt}" for fmt in FORMATS)
    stats = json.dumps(lab_run["output"]["global_custom_stats"])
    for name in written:
        text = (lab_run["reports"] / name).read_text(encoding="utf-8")
        for variable, secret in SECRETS.items():
            assert secret not in text, f"{variable} leaked into {name}"
        assert "ansible_connection" not in text and "rdp_simulated_state" not in text, name
    for secret in SECRETS.values():
        assert secret not in stats


# --- AWX artifacts -------------------------------------------------------------------------------------------

def test_the_audit_publishes_a_compact_fleet_summary_as_artifacts(lab_run):
    artifact = lab_run["output"]["global_custom_stats"]["rdp_compliance"]
    report = lab_run["report"]
    assert artifact["hosts"] == len(report["hosts"]) and artifact["compliant"] is False
    assert (artifact["compliant_hosts"], artifact["non_compliant_hosts"], artifact["unreachable_hosts"]) == (
        report["summary"]["compliant"], report["summary"]["non_compliant"], report["summary"]["unreachable"])
    assert artifact["drifted"] == sorted(h for h, e in report["hosts"].items() if e["status"] == "non_compliant")
    assert artifact["not_audited"] == ["user-denied"]
    assert sum(artifact["failing_controls"].values()) == len(failing(report))
    assert artifact["waived_controls"] == 1 and artifact["expired_waivers"] == 1
    assert artifact["report_dir"] == str(lab_run["reports"])
    assert lab_run["output"]["custom_stats"] == {}  # not per host
    assert len(json.dumps(artifact)) < 4000


# --- JUnit ---------------------------------------------------------------------------------------------------

def test_junit_validates_and_has_one_case_per_host_and_control(lab_run):
    junit_schema().validate(lab_run["files"]["xml"])
    _unused, cases = junit_cases(lab_run["files"]["xml"])
    report = lab_run["report"]
    expected = {(host, c["id"]): {"pass": "pass", "fail": "failure", "error": "error", "waived": "skipped",
                                  "not_applicable": "skipped"}[c["status"]]
                for host, entry in report["hosts"].items() for c in entry["controls"]}
    expected[("user-denied", "rdp.reachable")] = "error"
    assert {(classname, name): tag for classname, name, tag, _unused, _unused in cases} == expected
    assert len(cases) == len(expected)
    detail = next(text for cls, name, _unused, _unused, text in cases
                  if (cls, name) == ("port-changed", "firewall.custom_port_tcp"))
    assert RULE_NAME in detail


# --- CSV -----------------------------------------------------------------------------------------------------

def test_csv_matches_the_report_and_neutralizes_formulas(lab_run):
    rows = csv_rows(lab_run["files"]["csv"])
    report = lab_run["report"]
    assert {(r["host"], r["control"]): r["status"] for r in rows if r["control"]} == {
        (host, c["id"]): c["status"] for host, entry in report["hosts"].items() for c in entry["controls"]}
    state = next(r for r in rows
                 if (r["host"], r["control"]) == ("termservice-disabled", "service.umrdpservice.running"))
    assert state["actual"] == "'" + SERVICE_STATE and csv_unescape(state["actual"]) == SERVICE_STATE
    unreachable = next(r for r in rows if r["host"] == "user-denied")
    assert FAULT in unreachable["message"] and not unreachable["control"]
    for row in rows:
        for cell in row.values():
            assert not cell.lstrip(" ").startswith(("=", "+", "-", "@", "\t", "\r")), cell


# --- Markdown ------------------------------------------------------------------------------------------------

def test_markdown_tables_show_the_planted_values_as_text(lab_run):
    tables, document = markdown_tables(lab_run["files"]["md"])
    for table in tables:
        assert len({len(row) for row in table}) == 1
    rows = next(t for t in tables if t[0][:2] == ["Host", "Control"])[1:]
    assert [(row[0], row[1]) for row in rows] == failing(lab_run["report"])
    actual = {(row[0], row[1]): row[4] for row in rows}
    assert actual[("termservice-disabled", "service.umrdpservice.running")] == SERVICE_STATE
    assert RULE_NAME in actual[("port-changed", "firewall.custom_port_tcp")]
    assert REGISTRY_TEXT in actual[("throttled", "tuning.max_outstanding_connections")]
    findings = next(t for t in tables if t[0] == ["Host", "Severity", "Finding", "Message"])
    assert any(ACCOUNT in row[3] for row in findings[1:])
    waivers = next(t for t in tables if "Owner" in t[0])
    assert waivers[1:] and any(row[7] == WAIVERS[0]["reason"] for row in waivers[1:])
    assert not document.xpath("//script|//img|//a|//b|//strong[.='bold']")


# --- Prometheus ----------------------------------------------------------------------------------------------

def test_prometheus_parses_and_its_numbers_match_the_json(lab_run):
    import datetime
    samples = prometheus_samples(lab_run["files"]["prom"])
    report = lab_run["report"]
    hosts = {dict(labels)["status"]: value for labels, value in samples["rdp_compliance_hosts"].items()}
    assert hosts == {key: report["summary"][key] for key in ("compliant", "non_compliant", "unreachable", "error")}
    per_control, per_area = {}, {}
    for entry in report["hosts"].values():
        for c in entry["controls"]:
            bad = 1 if c["status"] in ("fail", "error") else 0
            per_control[(c["id"], c["area"])] = per_control.get((c["id"], c["area"]), 0) + bad
            per_area[c["area"]] = per_area.get(c["area"], 0) + bad
    assert {(dict(l)["control"], dict(l)["area"]): v
            for l, v in samples["rdp_compliance_control_failing_hosts"].items()} == per_control
    assert {dict(l)["area"]: v for l, v in samples["rdp_compliance_failing_controls"].items()} == per_area
    assert samples["rdp_compliance_last_run_timestamp_seconds"][frozenset()] == datetime.datetime.fromisoformat(
        report["generated_at"]).timestamp()
    assert samples["rdp_compliance_expired_waivers"][frozenset()] == 1
    severities = [f["severity"] for entry in report["hosts"].values() for f in entry.get("findings") or ()]
    assert {dict(l)["severity"]: v for l, v in samples["rdp_compliance_access_findings"].items()} == {
        severity: severities.count(severity) for severity in ("info", "medium", "high")}
    assert samples["rdp_compliance_host_audited"][frozenset({("host", "user-denied")})] == 0


# --- HTML in a real browser ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def page(lab_run):
    return browser_dom(lab_run["reports"] / "rdp-compliance.html")


def test_the_page_renders_and_its_script_ran(page):
    body = page.xpath("//body")[0]
    assert body.get("data-ready") == "true"
    assert body.get("data-pwned") is None
    assert page.xpath("//h1")[0].text_content() == "RDP compliance report"


def test_the_page_counts_match_the_json(lab_run, page):
    report = lab_run["report"]
    tile = {t.get("data-count"): int(t.xpath('.//span[@class="n"]')[0].text_content())
            for t in page.xpath('//div[@data-count]')}
    assert {key: tile[key] for key in ("hosts", "compliant", "non_compliant", "unreachable", "error")} == report[
        "summary"]
    assert tile["failing_controls"] == len(failing(report))
    assert tile["waived_controls"] == 1 and tile["expired_waivers"] == 1
    findings = sum(len(entry.get("findings") or ()) for entry in report["hosts"].values())
    assert findings and tile["findings"] == findings
    assert len(page.xpath('//table[@id="findings-table"]/tbody/tr')) == findings
    rows = page.xpath('//table[@id="failing-table"]/tbody/tr')
    assert [(row.get("data-host"), row.get("data-control")) for row in rows] == failing(report)
    assert page.xpath('//span[@id="failing-shown"]')[0].text_content() == str(len(rows))
    assert len(page.xpath('//details[@class="host"]')) == len(report["hosts"])
    assert len(page.xpath('//table[@id="waivers-table"]/tbody/tr')) == len(report["waivers"])
    assert [row.get("data-host") for row in page.xpath('//table[@id="unreached-table"]/tbody/tr')] == ["user-denied"]


def test_the_charts_show_the_counts_by_area_and_by_host(lab_run, page):
    report = lab_run["report"]
    by_area = {}
    for entry in report["hosts"].values():
        for c in entry["controls"]:
            by_area.setdefault(c["area"], {}).setdefault(c["status"], 0)
            by_area[c["area"]][c["status"]] += 1
    bars = page.xpath('//*[local-name()="svg"][@id="chart-areas"]/*[local-name()="g"]')
    drawn = {group.get("data-label"): {rect.get("data-status"): int(rect.get("data-count"))
                                       for rect in group.xpath('./*[local-name()="rect"]')} for group in bars}
    assert drawn == {area: {s: n for s, n in counts.items() if s != "not_applicable"}
                     for area, counts in by_area.items()}
    host_bars = page.xpath('//*[local-name()="svg"][@id="chart-hosts"]/*[local-name()="g"]')
    assert sorted(group.get("data-label") for group in host_bars) == sorted(report["hosts"])


def test_the_planted_values_show_as_text_in_the_page(page):
    def actual(host, cid):
        cells = page.xpath(f'//table[@id="failing-table"]//tr[@data-host="{host}"][@data-control="{cid}"]'
                           f'/td[contains(@class, "actual")]')
        return cells[0].text_content()

    assert actual("termservice-disabled", "service.umrdpservice.running") == SERVICE_STATE
    assert RULE_NAME in actual("port-changed", "firewall.custom_port_tcp")
    assert REGISTRY_TEXT in actual("throttled", "tuning.max_outstanding_connections")
    assert FAULT in page.xpath('//table[@id="unreached-table"]//tr/td[3]')[0].text_content()
    assert any(ACCOUNT in cell.text_content() for cell in page.xpath('//table[@id="findings-table"]//tr/td[4]'))
    assert len(page.xpath("//script")) == 1
    assert not page.xpath("//img|//b|//a|//*[local-name()='svg'][@onload]")


def test_the_table_filters_and_sorts_from_the_link(lab_run):
    path = lab_run["reports"] / "rdp-compliance.html"
    filtered = browser_dom(path, "q=TLS%201.2")
    visible = [row.get("data-host") for row in filtered.xpath('//table[@id="failing-table"]/tbody/tr')
               if row.get("hidden") is None]
    assert visible == ["tls12-disabled", "tls12-disabled"]  # compatibility.tls12_server and its _default
    assert filtered.xpath('//span[@id="failing-shown"]')[0].text_content() == "2"
    ordered = browser_dom(path, "sort=host&dir=desc")
    hosts = [row.get("data-host") for row in ordered.xpath('//table[@id="failing-table"]/tbody/tr')]
    assert hosts == sorted((h for h, _unused in failing(lab_run["report"])), reverse=True)
    assert ordered.xpath('//th[@data-key="host"]')[0].get("aria-sort") == "descending"


# --- bad waivers stop the audit before a host is read -------------------------------------------------------

def test_a_bad_waiver_is_an_error_naming_it_before_any_host_is_read(tmp_path):
    inventory = build_lab(str(tmp_path))
    bad = [{"control": "connections.alowed", "hosts": "all", "reason": "typo", "owner": "me",
            "expires": "2099-01-01"}]
    run = run_playbook("audit.yml", inventory, "-e", json.dumps({"rdp_waivers": bad}), "-e",
                       f"rdp_report_dir={tmp_path / 'r'}", check=True, limit="healthy,rdp-disabled")
    assert run.returncode != 0, run.stdout + run.stderr  # invalid input fails the run, after the report is written
    report = json.loads((tmp_path / "r" / "rdp-compliance.json").read_text())
    for host in ("healthy", "rdp-disabled"):
        assert report["hosts"][host]["status"] == "error"
        assert "rdp_waivers[0] (control 'connections.alowed', owner 'me'): control 'connections.alowed' is not a " \
               "control id" in report["hosts"][host]["message"]
        assert calls(str(tmp_path), host) == []


def test_an_unquoted_yaml_date_is_a_valid_expiry(tmp_path):
    inventory = build_lab(str(tmp_path))
    extra = tmp_path / "waivers.yml"
    extra.write_text("rdp_waivers:\n  - control: connections.allowed\n    hosts: rdp-disabled\n"
                     "    reason: test\n    owner: me\n    expires: 2099-12-31\n")
    run = run_playbook("audit.yml", inventory, "-e", f"@{extra}", "-e", f"rdp_report_dir={tmp_path / 'r'}",
                       check=True, limit="rdp-disabled")
    assert run.returncode == 0, run.stdout + run.stderr
    report = json.loads((tmp_path / "r" / "rdp-compliance.json").read_text())
    assert control(report, "rdp-disabled", "connections.allowed")["status"] == "waived"
    assert control(report, "rdp-disabled", "connections.allowed")["waiver"]["expires"] == "2099-12-31"
