#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""docs/reliability.md from the fault matrix, the bad-input cases and the ledger of a run of their tests.

    python tests/lab/faults/reliability.py          # run tests/faults, write docs/reliability.json and .md
    python tests/lab/faults/reliability.py --render # re-render the .md from the committed .json

Every count in the document is computed here, from the matrix and the recorded test outcomes.
tests/lab/faults/test_reliability_doc.py checks that the committed document is what this script renders.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, REPO)

from tests.lab.faults import bad_input, matrix  # noqa: E402  pylint: disable=wrong-import-position

LEDGER = os.path.join(REPO, "docs", "reliability.json")
DOCUMENT = os.path.join(REPO, "docs", "reliability.md")
FILES = {workflow: f"tests/lab/faults/test_{workflow}_faults.py" for workflow in matrix.WORKFLOWS}
OTHER_SUITES = (
    ("Bad input, validation", "tests/lab/faults/test_bad_input.py", "test_bad_input_is_refused"),
    ("Bad input, through ansible-playbook (audit.yml and remediate.yml)", "tests/lab/faults/test_bad_input.py",
     "playbook_refuses_bad_input"),
    ("Bad module options (firewall, qos_policy)", "tests/lab/faults/test_module_options.py", ""),
    ("Bad probe options through diagnose.yml", "tests/lab/faults/test_bad_input.py",
     "diagnose_playbook_refuses_bad_probe_options"),
    ("Host data of the wrong shape (fuzzed)", "tests/lab/faults/test_untrusted_facts.py", ""),
    ("Hostile host strings, end to end", "tests/lab/faults/test_untrusted_output.py", ""),
    ("printable(): host text made inert", "tests/lab/faults/test_printable.py", ""),
    ("Secrets never shown (-vvv, faults, bad input)", "tests/lab/faults/test_secrets.py", ""),
    ("Simulator faults behave as documented", "tests/lab/faults/test_simulator_faults.py", ""),
)


def node(workflow, fault_id):
    return f"{FILES[workflow]}::{matrix.test_name(workflow, fault_id)}"


def outcome(ledger, nodeid):
    return ledger["tests"].get(nodeid, "not run")


def tested(fault):
    return [workflow for workflow in fault.expect if workflow in matrix.TESTED_WORKFLOWS]


def fault_status(ledger, fault):
    """survived: every expectation has a test and all passed; otherwise what is missing."""
    if len(tested(fault)) < len(fault.expect):
        return "not fully tested"
    outcomes = [outcome(ledger, node(workflow, fault.id)) for workflow in fault.expect]
    if all(result == "passed" for result in outcomes):
        return "survived"
    if "failed" in outcomes:
        return "FAILED"
    return "not fully tested"


def case_outcomes(ledger, needle):
    return {nodeid.split("[", 1)[1][:-1]: result for nodeid, result in ledger["tests"].items()
            if needle in nodeid and "[" in nodeid}


def counts(ledger):
    statuses = [fault_status(ledger, fault) for fault in matrix.FAULTS]
    validated = case_outcomes(ledger, "test_bad_input_is_refused")
    validated.update({"port-not-a-number": outcome(
        ledger, "tests/lab/faults/test_bad_input.py::test_a_port_that_is_not_a_number_is_refused_by_the_validation_too")})
    through_playbook = case_outcomes(ledger, "playbook_refuses_bad_input")
    modules = case_outcomes(ledger, "refused_before_any_change")
    probes = case_outcomes(ledger, "refused_before_any_connection")
    changes = ledger.get("changes", {})
    return {
        "faults": len(matrix.FAULTS),
        "faults_survived": statuses.count("survived"),
        "fault_expectations": sum(len(fault.expect) for fault in matrix.FAULTS),
        "fault_expectations_tested": sum(1 for fault in matrix.FAULTS for workflow in tested(fault)
                                         if outcome(ledger, node(workflow, fault.id)) == "passed"),
        "fault_expectations_pending": sum(len(fault.expect) - len(tested(fault)) for fault in matrix.FAULTS),
        "bad_inputs": len(bad_input.CASES) + len(bad_input.MODULE_CASES) + len(bad_input.PROBE_CASES),
        "bad_inputs_rejected": sum(1 for case in bad_input.CASES if validated.get(case.id) == "passed")
        + sum(1 for case in bad_input.MODULE_CASES if modules.get(case.id) == "passed")
        + sum(1 for case in bad_input.PROBE_CASES if probes.get(case.id) == "passed"),
        "bad_inputs_through_playbook": sum(1 for result in through_playbook.values() if result == "passed"),
        "bad_inputs_through_playbook_cases": sum(1 for case in bad_input.CASES if case.e2e),
        "bad_input_playbook_runs": sum(len(case.playbooks) for case in bad_input.CASES if case.e2e),
        "remediations_under_fault": len(changes),
        "changes_made": sum(entry["made"] for entry in changes.values()),
        "changes_reported": sum(entry["reported"] for entry in changes.values()),
        "changes_lost": sum(entry["lost"] for entry in changes.values()),
    }


def _cell(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def render(ledger):
    figures = counts(ledger)
    lines = [
        "# Reliability: faults, bad input, secrets and untrusted data",
        "",
        "Generated by `tests/lab/faults/reliability.py` from the fault matrix (`tests/lab/faults/matrix.py`), the bad-input",
        "cases (`tests/lab/faults/bad_input.py`) and the outcomes of their tests recorded in `docs/reliability.json`.",
        "Do not edit by hand: `python tests/lab/faults/reliability.py` runs the tests and rewrites both files;",
        "`tests/lab/faults/test_reliability_doc.py` fails when this page and the matrix disagree.",
        "",
        "## Counts",
        "",
        "| | |",
        "|---|---|",
        f"| Faults in the matrix | {figures['faults']} |",
        f"| Faults survived (every expected outcome tested and passing) | {figures['faults_survived']} |",
        f"| Expected outcomes (fault x workflow) tested and passing | {figures['fault_expectations_tested']} of "
        f"{figures['fault_expectations']} |",
        f"| Expected outcomes without a test yet (pending) | {figures['fault_expectations_pending']} |",
        f"| Bad inputs rejected before the host is read | {figures['bad_inputs_rejected']} of {figures['bad_inputs']} |",
        f"| ... of them variables also run through audit.yml and remediate.yml (host state and calls log "
        f"unchanged) | {figures['bad_inputs_through_playbook_cases']} cases, "
        f"{figures['bad_inputs_through_playbook']} of {figures['bad_input_playbook_runs']} playbook runs passed |",
        f"| Remediations run under a fault | {figures['remediations_under_fault']} |",
        f"| Changes made on hosts under faults / reported by the result | {figures['changes_made']} / "
        f"{figures['changes_reported']} |",
        f"| Changes lost (made on a host but not reported) | {figures['changes_lost']} |",
        "",
        "A fault is injected into one simulated host of a fault lab (see the Faults section of `docs/simulator.md`);",
        "the tests run the real playbooks against it with `ansible-playbook` and compare the host's state file",
        "and calls log before and after.",
        "",
        "## Faults",
        "",
        "| Fault | Injected as | Cleared by (then a re-run must converge) | Workflow | Expected outcome | Test | Result |",
        "|---|---|---|---|---|---|---|",
    ]
    for fault in matrix.FAULTS:
        for workflow, expected in fault.expect.items():
            if workflow in matrix.TESTED_WORKFLOWS:
                nodeid = node(workflow, fault.id)
                test, result = f"`{nodeid}`", outcome(ledger, nodeid)
            else:
                test, result = "none yet", "pending"
            lines.append(f"| {_cell(fault.title)} (`{fault.id}`) | `{_cell(fault.inject)}` | {_cell(fault.cleared_by)} | "
                         f"{workflow} | {_cell(expected)} | {test} | {result} |")
    lines += ["", "## Bad input", "",
              "Each case must be refused with a message that names the variable and the values it allows, before",
              "anything is read from or written to a host.", "",
              "| Case | Input | Message names | and says | Through ansible-playbook |", "|---|---|---|---|---|"]
    for case in bad_input.CASES:
        lines.append(f"| `{case.id}` | `{_cell(json.dumps(case.variables))}` | `{case.names}` | "
                     f"{_cell(', '.join(case.allows))} | {'yes' if case.e2e else ''} |")
    lines += ["", "Options of the collection's Windows modules, called directly (through the simulated connection and "
              "the module twins; `plugins/modules/*.ps1` make the same checks before their first change):", "",
              "| Case | Module | Options | Message names | and says |", "|---|---|---|---|---|"]
    for case in bad_input.MODULE_CASES:
        lines.append(f"| `{case.id}` | `{case.module}` | `{_cell(json.dumps(case.args))}` | `{case.names}` | "
                     f"{_cell(', '.join(case.allows))} |")
    lines += ["", "Options of `rdp.windows.probe` (the `rdp_probe_*` variables of `diagnose.yml`), refused before any "
              "connection:", "", "| Case | Options | Message names | and says |", "|---|---|---|---|"]
    for case in bad_input.PROBE_CASES:
        lines.append(f"| `{case.id}` | `{_cell(json.dumps(case.options))}` | `{case.names}` | "
                     f"{_cell(', '.join(case.allows))} |")
    lines += ["", "## Secrets and untrusted data", "",
              "Secret inventory variables (`ansible_password`, `ansible_winrm_password`, `ansible_psrp_password`, "
              "`ansible_become_password`, PEM keys, tokens) get unique planted values; audit.yml and remediate.yml run "
              "with `-vvv` (and `--diff`), under faults and on invalid input, and no value may appear in stdout, "
              "stderr, the ansible log, any report, state or calls file. Hostile strings (Jinja templates, HTML, "
              "terminal escapes, bidi overrides, forged output lines, spreadsheet formulas) are planted in simulated "
              "hosts, in a module error message, in failed-logon names and in the listener certificate; audit, "
              "remediate and diagnose must print them inert (`plugins/plugin_utils/_reports/printable.py`), never template "
              "them, and keep every report format valid.",
              "", "## Other suites", "", "| What | Tests | Passed |", "|---|---|---|"]
    for title, path, needle in OTHER_SUITES:
        results = [result for nodeid, result in ledger["tests"].items()
                   if nodeid.startswith(path + "::") and needle in nodeid]
        lines.append(f"| {title} | `{path}` | {results.count('passed')} of {len(results)} |")
    return "\n".join(lines) + "\n"


def main(argv):
    if "--render" not in argv:
        env = dict(os.environ, RDP_FAULT_LEDGER=LEDGER)
        run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/lab/faults",
                              "--ignore=tests/lab/faults/test_reliability_doc.py"],
                             cwd=REPO, env=env, check=False)
        if run.returncode not in (0, 1):
            return run.returncode
    with open(LEDGER, encoding="utf-8") as handle:
        ledger = json.load(handle)
    with open(DOCUMENT, "w", encoding="utf-8") as handle:
        handle.write(render(ledger))
    print(json.dumps(counts(ledger), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
