# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""AWX: the drift gate branches on the audit's artifact, the awx.awx setup uses only options the installed
awx.awx modules document, and docs/awx.md names exactly the variables the roles and playbooks accept."""

import glob
import json
import os
import re
import subprocess
import sys

import pytest
import yaml

from ansible_collections.rdp.windows.plugins.plugin_utils._reports import awx_artifacts, fleet_report
from tests.helpers import REPO, run_playbook

ANSIBLE_DOC = os.path.join(os.path.dirname(sys.executable), "ansible-doc")
DOCS = open(os.path.join(REPO, "docs", "awx.md"), encoding="utf-8").read()


def artifact(drifted):
    results = {name: {"status": "non_compliant" if name in drifted else "compliant", "controls": []}
               for name in ("web01", "web02", "web03")}
    return awx_artifacts.summary(fleet_report.build(sorted(results), results, "2026-06-15T02:00:00+00:00"))


def gate(tmp_path, *extra):
    run = run_playbook("drift_gate.yml", "localhost,", *extra,
                       env={"ANSIBLE_STDOUT_CALLBACK": "ansible.posix.json", "ANSIBLE_SHOW_CUSTOM_STATS": "1"})
    return run, json.loads(run.stdout)


# --- the drift gate ------------------------------------------------------------------------------------------

@pytest.mark.slow
def test_the_gate_fails_on_drift_and_hands_the_drifted_hosts_to_remediation(tmp_path):
    run, output = gate(tmp_path, "-e", json.dumps({"rdp_compliance": artifact(["web01", "web03"])}))
    assert run.returncode == 2
    assert output["global_custom_stats"] == {"rdp_targets": "web01,web03"}
    assert "2 host(s) drifted (allowed: 0): web01, web03" in run.stdout


@pytest.mark.slow
def test_the_gate_passes_a_compliant_fleet_and_publishes_nothing(tmp_path):
    run, output = gate(tmp_path, "-e", json.dumps({"rdp_compliance": artifact([])}))
    assert run.returncode == 0, run.stdout
    assert output["global_custom_stats"] == {}


@pytest.mark.slow
def test_the_gate_tolerates_what_the_workflow_allows(tmp_path):
    run, _unused = gate(tmp_path, "-e", json.dumps({"rdp_compliance": artifact(["web02"]), "rdp_gate_max_drifted": 1}))
    assert run.returncode == 0, run.stdout


@pytest.mark.slow
def test_the_gate_without_an_audit_says_so(tmp_path):
    run, _unused = gate(tmp_path)
    assert run.returncode == 2 and "rdp_compliance (the artifact of playbooks/audit.yml" in run.stdout


# --- awx.awx setup as code -----------------------------------------------------------------------------------

def _documented(modules):
    """FQCN -> documented options, from one ansible-doc call."""
    run = subprocess.run([ANSIBLE_DOC, "-j", *sorted(modules)], capture_output=True, text=True, check=True)
    return {name: doc["doc"]["options"] for name, doc in json.loads(run.stdout).items()}


def _check_options(given, documented, where, problems):
    for key, value in given.items():
        if key not in documented:
            problems.append(f"{where}: {key} is not an option")
            continue
        spec = documented[key]
        choices = spec.get("choices")
        if choices and isinstance(value, str) and "{{" not in value and value not in choices:
            problems.append(f"{where}.{key}: {value!r} not in {choices}")
        sub = spec.get("suboptions")
        if sub and isinstance(value, dict):
            _check_options(value, sub, f"{where}.{key}", problems)
        if sub and isinstance(value, list):
            for index, item in enumerate(value):
                _check_options(item, sub, f"{where}.{key}[{index}]", problems)


def test_the_awx_setup_uses_only_documented_options_of_awx_awx():
    with open(os.path.join(REPO, "playbooks", "awx_configure.yml"), encoding="utf-8") as handle:
        play = yaml.load(handle, Loader=yaml.BaseLoader)[0]  # BaseLoader: every value a string, as written
    tasks = [(task["name"], module, task[module]) for task in play["tasks"] for module in task
             if module.startswith("awx.awx.")]
    modules = {module for _unused, module, _unused in tasks}
    documented = _documented(modules)
    problems = []
    for name, module, options in tasks:
        _check_options(options, documented[module], f"{name}: {module}", problems)
    assert problems == []
    assert {"awx.awx.project", "awx.awx.inventory", "awx.awx.credential", "awx.awx.job_template",
            "awx.awx.workflow_job_template", "awx.awx.schedule", "awx.awx.notification_template",
            "awx.awx.execution_environment"} <= modules


def test_the_awx_setup_describes_a_workflow_whose_links_exist():
    with open(os.path.join(REPO, "playbooks", "awx_configure.yml"), encoding="utf-8") as handle:
        play = yaml.load(handle, Loader=yaml.BaseLoader)[0]
    templates = {task["awx.awx.job_template"]["name"]: task["awx.awx.job_template"] for task in play["tasks"]
                 if "awx.awx.job_template" in task}
    assert templates["RDP audit"]["job_type"] == "check" and templates["RDP remediate"]["job_type"] == "run"
    workflow = next(task["awx.awx.workflow_job_template"] for task in play["tasks"]
                    if "awx.awx.workflow_job_template" in task)
    nodes = {node["identifier"]: node for node in workflow["workflow_nodes"]}
    for node in nodes.values():
        template = node["unified_job_template"]
        assert template["type"] == "workflow_approval" or template["name"] in templates
        for links in (node.get("related") or {}).values():
            assert all(link["identifier"] in nodes for link in links)
    assert nodes["gate"]["related"] == {"failure_nodes": [{"identifier": "approve"}]}
    assert nodes["approve"]["related"] == {"success_nodes": [{"identifier": "remediate"}]}


# --- docs/awx.md and the variables -------------------------------------------------------------------------

# playbooks/remediate.yml is written in another branch; until it exists, docs/awx.md may name the variables the
# remediation template's survey sets. Once it exists, it must read them like any other variable.
REMEDIATE_PLAYBOOK_VARIABLES = {"rdp_restart_service", "rdp_remediate_serial", "rdp_max_fail_percentage"}


def _role_variables():
    names = set()
    for path in glob.glob(os.path.join(REPO, "roles", "*", "meta", "argument_specs.yml")):
        with open(path, encoding="utf-8") as handle:
            for spec in yaml.safe_load(handle)["argument_specs"].values():
                names |= set(spec.get("options") or {})
    return names


VARIABLE = re.compile(r"\brdp_[a-z0-9_]+\b(?!\.yml)")  # not the site project's playbooks/rdp_audit.yml


def _playbook_variables():
    """rdp_* names the playbooks read or publish (set_stats artifacts included). awx_configure.yml counts only for
    its own rdp_awx_* settings: the survey variables it defines are not accepted just because it names them."""
    names = set()
    for path in glob.glob(os.path.join(REPO, "playbooks", "*.yml")):
        with open(path, encoding="utf-8") as handle:
            found = set(VARIABLE.findall(handle.read()))
        names |= {n for n in found if n.startswith("rdp_awx_")} if path.endswith("awx_configure.yml") else found
    return names


def _accepted():
    accepted = _role_variables() | _playbook_variables()
    if not os.path.exists(os.path.join(REPO, "playbooks", "remediate.yml")):
        accepted |= REMEDIATE_PLAYBOOK_VARIABLES
    return accepted


def test_docs_awx_names_every_variable_the_roles_accept():
    assert sorted(_role_variables() - set(VARIABLE.findall(DOCS))) == []


def test_every_variable_docs_awx_names_is_accepted_somewhere():
    assert sorted(set(VARIABLE.findall(DOCS)) - _accepted()) == []


def test_every_variable_the_awx_setup_sets_is_accepted_somewhere():
    with open(os.path.join(REPO, "playbooks", "awx_configure.yml"), encoding="utf-8") as handle:
        play = yaml.load(handle, Loader=yaml.BaseLoader)[0]
    names = set()
    for task in play["tasks"]:
        template = task.get("awx.awx.job_template") or {}
        names |= set(template.get("extra_vars") or {})
        names |= {question["variable"] for question in (template.get("survey_spec") or {}).get("spec", ())}
    assert names and sorted(names - _accepted()) == []


@pytest.mark.parametrize("playbook", ["audit.yml", "merge_reports.yml", "drift_gate.yml", "awx_configure.yml"])
def test_docs_awx_shows_each_playbook_it_relies_on(playbook):
    assert f"playbooks/{playbook}" in DOCS or f"rdp.windows.{playbook[:-4]}" in DOCS
