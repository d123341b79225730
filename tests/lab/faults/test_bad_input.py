# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bad input is refused before anything is read or changed, with a message naming the variable and the
values it allows (cases: tests/lab/faults/bad_input.py)."""

import json
import os

import pytest

from ansible_collections.rdp.windows.plugins.plugin_utils._compliance import access_log, catalogue, waivers
from ansible_collections.rdp.windows.plugins.plugin_utils._diagnosis import rdp_probe
from ansible_collections.rdp.windows.plugins.plugin_utils._compliance.desired_state import DEFAULTS, InvalidInput
from tests.lab.faults.bad_input import CASES, GOOD_WAIVER, PROBE_CASES
from tests.helpers import build_lab, calls, load_state, run_playbook


def validate(variables):
    """What the audit action runs before its first call to a host (remediate runs the first of them)."""
    problems = []
    for check in (catalogue.desired_for_catalogue, access_log.settings_from_vars,
                  lambda v: waivers.validate(v.get("rdp_waivers"), known_controls=catalogue.BY_ID)):
        try:
            check(variables)
        except (InvalidInput, waivers.InvalidWaiver) as error:
            problems += error.problems
    if problems:
        raise InvalidInput(problems)


def message_for(case):
    with pytest.raises((InvalidInput, ValueError)) as caught:
        validate(case.variables)
    return str(caught.value)


@pytest.mark.parametrize("case", [c for c in CASES if c.id != "port-not-a-number"], ids=lambda c: c.id)
def test_bad_input_is_refused_naming_the_variable_and_what_it_allows(case):
    message = message_for(case)
    assert case.names in message, message
    for fragment in case.allows:
        assert fragment in message, message


def test_a_port_that_is_not_a_number_is_refused_by_the_validation_too():
    message = message_for(next(c for c in CASES if c.id == "port-not-a-number"))
    assert "rdp_port must be an integer from 1 to 65535" in message


def test_every_problem_is_reported_at_once():
    with pytest.raises(InvalidInput) as caught:
        validate({"rdp_port": 0, "rdp_qos_dscp": 64, "rdp_allowed_sources": []})
    assert [p.split()[0] for p in caught.value.problems] == ["rdp_port", "rdp_qos_dscp", "rdp_allowed_sources"]


@pytest.mark.parametrize("variables", [
    {"rdp_port": "3390"}, {"rdp_port": 1}, {"rdp_port": 65535}, {"rdp_qos_dscp": 0}, {"rdp_qos_dscp": 63},
    {"rdp_qos_dscp": None}, {"rdp_allowed_sources": ["LocalSubnet", "10.0.0.0/8", "fe80::/10", "10.0.0.1-10.0.0.9"]},
    {"rdp_users": ["LAB\\alice", "alice@lab.example", "S-1-5-21-1-2-3-1105", ".\\admin"]},
    {"rdp_profile": "hardened", "rdp_nla_required": True}, {"rdp_keep_alive_interval": None},
], ids=json.dumps)
def test_the_edges_of_what_is_allowed_are_accepted(variables):
    validate(variables)


def test_there_are_at_least_25_cases_and_each_names_a_documented_variable():
    assert len(CASES) >= 25
    assert len({c.id for c in CASES}) == len(CASES)
    for case in CASES:
        variable = case.names.split("[")[0]
        assert variable in DEFAULTS or variable in access_log.DEFAULTS or variable == "rdp_waivers", case.id


def test_an_expired_waiver_is_not_bad_input_it_stops_applying():
    """Expiry is not a mistake in the input: the waiver is accepted, then flagged expired by the audit."""
    expired = dict(GOOD_WAIVER, expires="2020-01-01")
    validate({"rdp_waivers": [expired]})
    audit = {"status": "non_compliant", "controls": [{"id": "connections.allowed", "status": "fail"}]}
    applied = waivers.apply(audit, waivers.validate([expired], known_controls=catalogue.BY_ID), "h")
    control = applied["controls"][0]
    assert control["status"] == "fail" and control["waiver"]["state"] == "expired"


# --- through ansible-playbook: the host is not touched ------------------------------------------------------

E2E = [(case, playbook) for case in CASES if case.e2e for playbook in case.playbooks]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    directory = tmp_path_factory.mktemp("bad-input")
    return str(directory), build_lab(str(directory))


@pytest.mark.parametrize(("case", "playbook"), E2E, ids=[f"{case.id}-{playbook}" for case, playbook in E2E])
def test_the_playbook_refuses_bad_input_without_reading_the_host(lab, case, playbook):
    """rdp-disabled is broken: a remediation that went ahead would write to it."""
    directory, inventory = lab
    before = load_state(directory, "rdp-disabled")
    calls_before = len(calls(directory, "rdp-disabled"))
    run = run_playbook(playbook, inventory, "-e", json.dumps(case.variables), "-e",
                       f"rdp_report_dir={directory}/reports-{case.id}", check=playbook == "audit.yml",
                       limit="rdp-disabled")
    output = run.stdout + run.stderr
    assert run.returncode != 0, output
    assert case.names in output and all(fragment in output for fragment in case.allows), output
    assert load_state(directory, "rdp-disabled") == before
    assert len(calls(directory, "rdp-disabled")) == calls_before  # not even read
    report = f"{directory}/reports-{case.id}/rdp-compliance.json"
    if playbook == "audit.yml" and os.path.exists(report):  # the action refused it: the report says why
        with open(report, encoding="utf-8") as handle:
            entry = json.load(handle)["hosts"]["rdp-disabled"]
        assert entry["status"] == "error" and case.names in entry["message"], entry
    else:  # the role's argument spec refused it before the action ran (wrong type, not one of the choices)
        assert "Validation of arguments failed" in output or playbook == "remediate.yml", output


# --- the probe --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("case", PROBE_CASES, ids=lambda c: c.id)
def test_bad_probe_options_are_refused_before_any_connection(case):
    options = dict({"host": "rdp01.example", "port": 3389, "timeout": rdp_probe.DEFAULT_TIMEOUT,
                    "protocols": list(rdp_probe.DEFAULT_PROTOCOLS)}, **case.options)
    with pytest.raises(rdp_probe.ProbeInputError) as caught:
        rdp_probe.validate_options(options["host"], options["port"], options["timeout"], options["protocols"],
                                   options.get("tls_min_version", rdp_probe.DEFAULT_TLS_MIN_VERSION))
    assert case.names in str(caught.value) and all(fragment in str(caught.value) for fragment in case.allows)


@pytest.mark.parametrize("case", [c for c in PROBE_CASES if c.e2e], ids=lambda c: c.id)
def test_the_diagnose_playbook_refuses_bad_probe_options_without_reading_the_host(lab, case):
    directory, inventory = lab
    before, calls_before = load_state(directory, "healthy"), len(calls(directory, "healthy"))
    run = run_playbook("diagnose.yml", inventory, "-e", json.dumps(case.e2e), "-e",
                       f"rdp_report_dir={directory}/reports-{case.id}", limit="healthy")
    output = run.stdout + run.stderr
    # Refused by the probe's validation ("nothing was probed") or its argument spec (choices), naming the option.
    assert run.returncode != 0 and case.names in output, output
    assert "nothing was probed" in output or "must be one or more of: rdp, ssl, hybrid" in output, output
    assert load_state(directory, "healthy") == before and len(calls(directory, "healthy")) == calls_before
