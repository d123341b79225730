# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Hostile strings planted in simulated hosts stay inert end to end: nothing is templated or executed, the
printed summary cannot be forged or recoloured, and the report keeps them as data."""

import json
import os

import pytest

from ansible_collections.rdp.windows.plugins.plugin_utils._reports.printable import printable
from ansible_collections.rdp.windows.plugins.plugin_utils._simulator import event_log
from tests.helpers import build_lab, load_state, run_playbook

MARKER = "PWNED-BY-HOST-DATA"


def hostile(directory, field):
    """One hostile string per field, so each path can be traced: template, markup, escapes, forged lines."""
    return (f"{{{{ lookup('pipe', 'touch {directory}/{MARKER}-{field}') }}}}<script>alert('{field}')</script>"
            f"<!--\x1b[2J\x1b[31m\u202e{field}\r\nok: [forged-{field}]\n=HYPERLINK(\"http://x/{field}\")|{field}|")


@pytest.fixture(scope="module")
def hostile_lab(tmp_path_factory):
    directory = tmp_path_factory.mktemp("hostile")
    inventory = build_lab(str(directory))
    state_file = directory / "hosts" / "healthy.json"
    state = json.loads(state_file.read_text())
    state["port_owners"] = {"TCP/3389": hostile(directory, "owner")}
    state["services"]["SessionEnv"]["start_mode"] = hostile(directory, "startmode")
    state["groups"]["S-1-5-32-555"]["members"].append(hostile(directory, "member"))
    state["os"]["caption"] = hostile(directory, "caption")
    state["qos_policies"][0]["dscp"] = hostile(directory, "dscp")
    # Whoever tries to log on chooses the user and workstation names that end up in the access-log findings.
    for n in range(6):
        state["event_log"].append(event_log.nla_logon_failed(
            event_log.format_time(event_log.now(state)), hostile(directory, "account"), "",
            workstation=f"{hostile(directory, 'workstation')}{n}"))
    state_file.write_text(json.dumps(state))
    failing = directory / "hosts" / "throttled.json"
    state = json.loads(failing.read_text())
    state["faults"] = [{"at": "module_error", "message": hostile(directory, "error")}]
    failing.write_text(json.dumps(state))
    # The server's certificate is untrusted too: its name reaches the probe's findings (RDP works there).
    certified = directory / "hosts" / "user-missing.json"
    state = json.loads(certified.read_text())
    state["listener"]["certificate"]["subject"] = "CN=rdp\x1b[2J\r\nok: [forged-cn]"
    certified.write_text(json.dumps(state))
    failing_write = directory / "hosts" / "rdp-disabled.json"
    state = json.loads(failing_write.read_text())
    state["faults"] = [{"at": "module_error", "module": "ansible.windows.win_regedit",
                        "message": hostile(directory, "writeerror")}]
    failing_write.write_text(json.dumps(state))
    reports = directory / "reports"
    run = run_playbook("audit.yml", inventory, "-e", f"rdp_report_dir={reports}", "-e", "rdp_users_exclusive=true",
                       "-vvv", check=True, limit="healthy,throttled")
    diagnosis = run_playbook("diagnose.yml", inventory, "-e", f"rdp_report_dir={reports}", "-e",
                             "rdp_users_exclusive=true", "-e", "rdp_probe_timeout=2", "-vvv",
                             limit="healthy,rdp-disabled,user-missing")
    remediation = run_playbook("remediate.yml", inventory, "-e", f"rdp_report_dir={reports}", "-e",
                               "rdp_users_exclusive=true", "-e", '{"rdp_remediate_serial": 10}', "-vvv", "--diff",
                               limit="healthy,rdp-disabled")
    return directory, run, reports, (remediation, diagnosis)


def test_the_run_completes(hostile_lab):
    dummy, run, dummy, dummy = hostile_lab
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "healthy: NON_COMPLIANT" in run.stdout and "throttled: ERROR" in run.stdout


def test_host_data_is_never_templated_or_executed(hostile_lab):
    directory, dummy, dummy, dummy = hostile_lab
    assert not [name for name in os.listdir(directory) if name.startswith(MARKER)]


def test_the_printed_output_cannot_be_forged_or_recoloured(hostile_lab):
    dummy, run, dummy, (remediation, diagnosis) = hostile_lab
    for stream in (run.stdout, run.stderr, remediation.stdout, remediation.stderr, diagnosis.stdout, diagnosis.stderr):
        assert "\x1b" not in stream and "\r" not in stream and "\u202e" not in stream
        assert not [line for line in stream.splitlines() if line.lstrip().startswith("ok: [forged-")]


def test_the_report_keeps_host_data_as_inert_text(hostile_lab):
    directory, dummy, reports, dummy = hostile_lab
    report = json.loads((reports / "rdp-compliance.json").read_text())
    controls = {c["id"]: c for c in report["hosts"]["healthy"]["controls"]}
    assert controls["listener.listening"]["actual"]["owner"] == printable(hostile(directory, "owner"))
    assert controls["service.sessionenv.start_mode"]["actual"] == printable(hostile(directory, "startmode"))
    assert printable(hostile(directory, "member")) in controls["users.remote_desktop_users"]["actual"]
    assert report["hosts"]["healthy"]["os"]["caption"] == printable(hostile(directory, "caption"))
    assert report["hosts"]["throttled"]["status"] == "error"
    assert printable(hostile(directory, "error")) in report["hosts"]["throttled"]["message"]


def test_attacker_chosen_logon_names_reach_the_findings_inert(hostile_lab):
    directory, run, dummy, dummy = hostile_lab
    assert "FINDING HIGH   access.account_from_many_sources" in run.stdout
    # The name is shown (as text: the other tests prove the output stays inert and nothing is templated).
    assert f"{MARKER}-account".lower() in run.stdout  # the summary folds account names to lower case


def test_hostile_data_never_makes_a_control_pass(hostile_lab):
    dummy, dummy, reports, dummy = hostile_lab
    report = json.loads((reports / "rdp-compliance.json").read_text())
    controls = {c["id"]: c for c in report["hosts"]["healthy"]["controls"]}
    for control_id in ("listener.listening", "service.sessionenv.start_mode", "users.remote_desktop_users",
                       "qos.dscp_tcp"):
        assert controls[control_id]["status"] == "fail", control_id


def test_the_audit_did_not_change_the_hostile_host(hostile_lab):
    directory, dummy, dummy, dummy = hostile_lab
    assert load_state(str(directory), "healthy")["os"]["caption"] == hostile(directory, "caption")


def test_remediation_reports_hostile_host_data_inert(hostile_lab):
    directory, dummy, reports, (remediation, dummy) = hostile_lab
    assert "rdp-disabled: FAILED" in remediation.stdout, remediation.stdout[-3000:]
    report = json.loads((reports / "rdp-remediation.json").read_text())
    healthy = {c["id"]: c for c in report["hosts"]["healthy"]["controls"]}
    assert healthy["listener.listening"]["outcome"] == "skipped"
    assert printable(hostile(directory, "owner")) in healthy["listener.listening"]["why"]
    failed = {c["id"]: c for c in report["hosts"]["rdp-disabled"]["controls"]}
    assert printable(hostile(directory, "writeerror")) in failed["connections.allowed"]["why"]
    assert not [name for name in os.listdir(directory) if name.startswith(MARKER)]


def test_the_diagnosis_of_a_hostile_host_is_written_and_inert(hostile_lab):
    directory, dummy, reports, (dummy, diagnosis) = hostile_lab
    assert diagnosis.returncode == 0, diagnosis.stdout[-3000:]
    report = json.loads((reports / "rdp-diagnosis.json").read_text())
    healthy = report["healthy"]
    assert healthy["findings"][0]["id"] == "listener.listening"
    shown = json.dumps(healthy)
    assert "\\u001b" not in shown and "\\r\\n" not in shown  # escaped by printable(), not raw in the JSON
    certified = json.dumps(report["user-missing"])
    assert "forged-cn" in certified and "\\u001b" not in certified, certified
    assert not [name for name in os.listdir(directory) if name.startswith(MARKER)]


def test_every_report_format_keeps_hostile_host_data_inert(hostile_lab):
    """The report writers escape per format (their own tests); end to end, a planted string stays text."""
    import csv  # pylint: disable=import-outside-toplevel
    from lxml import etree  # pylint: disable=import-outside-toplevel
    dummy, dummy, reports, dummy = hostile_lab
    for name in ("rdp-compliance", "rdp-remediation"):
        html = (reports / f"{name}.html").read_text()
        assert "<script>alert(" not in html and "<!--\\x1b" not in html  # markup from the host stays text
        assert "<script>alert(" not in (reports / f"{name}.md").read_text()
        etree.parse(str(reports / f"{name}.xml"))
        with open(reports / f"{name}.csv", encoding="utf-8", newline="") as handle:
            cells = [cell for row in csv.reader(handle) for cell in row]
        assert any("HYPERLINK" in cell for cell in cells)
        assert not [cell for cell in cells if cell[:1] in ("=", "+", "@") or cell.startswith("-=")], name
