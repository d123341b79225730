# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""docs/reliability.md is what tests/lab/faults/reliability.py renders, and the matrix it renders is complete."""

import ast
import json
import os

from tests.lab.faults import bad_input, matrix, reliability


def test_the_document_is_the_rendering_of_the_matrix_and_the_recorded_run():
    with open(reliability.LEDGER, encoding="utf-8") as handle:
        ledger = json.load(handle)
    with open(reliability.DOCUMENT, encoding="utf-8") as handle:
        assert handle.read() == reliability.render(ledger), "run: python tests/lab/faults/reliability.py"


def test_the_recorded_run_covers_the_whole_matrix_and_nothing_failed():
    with open(reliability.LEDGER, encoding="utf-8") as handle:
        ledger = json.load(handle)
    figures = reliability.counts(ledger)
    fully_tested = [f for f in matrix.FAULTS if set(f.expect) <= set(matrix.TESTED_WORKFLOWS)]
    assert figures["faults_survived"] == len(fully_tested)
    assert figures["fault_expectations_tested"] + figures["fault_expectations_pending"] == \
        figures["fault_expectations"]
    assert figures["bad_inputs_rejected"] == figures["bad_inputs"] == \
        len(bad_input.CASES) + len(bad_input.MODULE_CASES) + len(bad_input.PROBE_CASES)
    assert figures["bad_inputs_through_playbook"] == figures["bad_input_playbook_runs"]
    assert figures["changes_lost"] == 0
    assert "failed" not in ledger["tests"].values()


def test_every_expected_outcome_has_its_test():
    for workflow in matrix.TESTED_WORKFLOWS:
        path = reliability.FILES[workflow]
        expected = {matrix.test_name(workflow, fault.id) for fault in matrix.FAULTS if workflow in fault.expect}
        if not expected:
            continue
        with open(os.path.join(reliability.REPO, path), encoding="utf-8") as handle:
            defined = {n.name for n in ast.parse(handle.read()).body if isinstance(n, ast.FunctionDef)}
        assert sorted(expected - defined) == [], path
        assert sorted(n for n in defined if "__" in n and n not in expected) == [], path


def test_fault_ids_are_unique_and_every_fault_says_what_to_expect():
    assert len(matrix.BY_ID) == len(matrix.FAULTS)
    for fault in matrix.FAULTS:
        assert fault.expect and set(fault.expect) <= set(matrix.WORKFLOWS), fault.id
