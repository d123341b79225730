# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The real-host kit, proven on the simulated lab: the molecule lab scenario runs the audit -> remediate ->
remediate again -> audit -> diagnose sequence, the ansible-test integration targets pass against lab hosts, and
`make integration` without a host says what it needs. Stages whose playbook is not in the collection yet are
reported as skipped tests, never passed silently."""

import json
import os
import re
import subprocess
import sys

import pytest
import yaml

from tests.helpers import REPO

sys.path.insert(0, os.path.join(REPO, "tests", "integration"))
import kit  # noqa: E402  pylint: disable=wrong-import-position,import-error

BIN = os.path.dirname(sys.executable)
MOLECULE = os.path.join(REPO, "extensions", "molecule")


def has_playbook(name):
    return os.path.isfile(os.path.join(REPO, "playbooks", f"{name}.yml"))


def isolated_environment(home):
    """A fresh HOME, so that nothing molecule or ansible-test write can shadow or leak into later runs."""
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith(("ANSIBLE_", "MOLECULE_", "RDP_TEST_"))}
    environment.update(HOME=str(home), PATH=BIN + os.pathsep + os.environ.get("PATH", ""), ANSIBLE_NOCOLOR="1",
                       NO_COLOR="1")
    return environment


# --- make integration without a host --------------------------------------------------------------------------------
def test_make_integration_without_a_host_says_what_it_needs(tmp_path):
    run = subprocess.run(["make", "-s", "integration"], cwd=REPO, capture_output=True, text=True, check=False,
                         env=isolated_environment(tmp_path))
    assert run.returncode != 0
    assert "make integration needs a Windows host, and none is given." in run.stderr
    assert "RDP_TEST_HOST" in run.stderr and "Nothing was run." in run.stderr
    assert "ansible-test" not in run.stdout and "molecule" not in run.stdout


@pytest.mark.parametrize("environ,message", [
    ({"RDP_TEST_HOST": "h", "RDP_TEST_USER": "u", "RDP_TEST_PASSWORD": "p", "RDP_TEST_TRANSPORT": "basic"},
     "RDP_TEST_TRANSPORT='basic' is not one of ntlm, kerberos, credssp"),
    ({"RDP_TEST_HOST": "h", "RDP_TEST_PASSWORD": "p"}, "RDP_TEST_USER is not set (an administrator of the Windows host)"),
    ({"RDP_TEST_HOST": "h", "RDP_TEST_USER": "u"}, "RDP_TEST_PASSWORD is not set (needed for ntlm)"),
    ({"RDP_TEST_HOST": "h", "RDP_TEST_USER": "u", "RDP_TEST_PASSWORD": "p", "RDP_TEST_PORT": "0"},
     "RDP_TEST_PORT='0' is not a TCP port"),
])
def test_bad_host_settings_are_named(environ, message):
    with pytest.raises(kit.KitError) as raised:
        kit.host_settings(environ)
    assert str(raised.value) == message


def test_psrp_with_kerberos_needs_no_password():
    settings = kit.host_settings({"RDP_TEST_HOST": "win.lab.example", "RDP_TEST_USER": "admin@LAB.EXAMPLE",
                                  "RDP_TEST_CONNECTION": "psrp", "RDP_TEST_TRANSPORT": "kerberos"})
    assert settings == {"ansible_host": "win.lab.example", "ansible_user": "admin@LAB.EXAMPLE", "ansible_port": 5986,
                        "ansible_connection": "psrp", "ansible_psrp_auth": "kerberos",
                        "ansible_psrp_protocol": "https", "ansible_psrp_cert_validation": "ignore"}


def test_the_ansible_test_inventory_reads_back_as_written(tmp_path):
    settings = kit.host_settings({"RDP_TEST_HOST": "192.0.2.10", "RDP_TEST_USER": "Administrator",
                                  "RDP_TEST_PASSWORD": "p@ss word'\"", "RDP_TEST_TRANSPORT": "credssp"})
    path = tmp_path / "inventory.winrm"
    kit.write_private(str(path), kit.ini_inventory({"rdp-test-host": settings}, {"rdp_users": ["LAB\\alice"],
                                                                                 "rdp_port": 3390}))
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    listed = subprocess.run([os.path.join(BIN, "ansible-inventory"), "-i", str(path), "--host", "rdp-test-host"],
                            capture_output=True, text=True, check=True, env=isolated_environment(tmp_path))
    variables = json.loads(listed.stdout)
    assert variables["ansible_password"] == "p@ss word'\""
    assert variables["ansible_winrm_transport"] == "credssp" and variables["ansible_port"] == 5986
    assert variables["rdp_users"] == ["LAB\\alice"] and variables["rdp_port"] == 3390


# --- the molecule lab scenario ---------------------------------------------------------------------------------------
def test_the_lab_scenario_inventory_is_the_lab(tmp_path):
    script = os.path.join(MOLECULE, "lab", "inventory", "lab_inventory.py")
    listed = subprocess.run([os.path.join(BIN, "ansible-inventory"), "-i", script, "--list"], capture_output=True,
                            text=True, check=True, env=dict(isolated_environment(tmp_path), RDP_KIT_LAB="/lab-copy"))
    inventory = json.loads(listed.stdout)
    with open(os.path.join(REPO, "lab", "inventory.yml"), encoding="utf-8") as handle:
        lab = yaml.safe_load(handle)["rdp_lab"]
    assert sorted(inventory["rdp_lab"]["hosts"]) == sorted(lab["hosts"])
    for name, variables in inventory["_meta"]["hostvars"].items():
        assert variables["rdp_simulated_state"] == f"/lab-copy/hosts/{name}.json"
        assert variables["rdp_users"] == lab["vars"]["rdp_users"]
        assert variables.get("rdp_port") == (lab["hosts"][name] or {}).get("rdp_port")


@pytest.fixture(scope="module")
def lab_scenario(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    run = subprocess.run([os.path.join(BIN, "molecule"), "test", "-s", "lab"], cwd=REPO, capture_output=True,
                         text=True, check=False, env=isolated_environment(home))
    return run, home


def test_the_lab_scenario_passes(lab_scenario):
    run, _unused = lab_scenario
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-6000:]
    for step in ("syntax", "prepare", "converge", "idempotence", "verify"):
        assert re.search(rf"lab\W+{step}: Executed: Successful", output), step


def test_the_lab_scenario_runs_the_repository_code_and_installs_nothing(lab_scenario):
    _unused, home = lab_scenario
    installed = [os.path.join(root, name) for root, dirs, _unused in os.walk(home) for name in dirs if name == "rdp"]
    assert installed == []  # prerun: false: no copy in ~/.ansible/collections or molecule's cache


@pytest.mark.parametrize("stage", ["remediate", "diagnose"])
def test_the_lab_scenario_ran_the_stage(lab_scenario, stage):
    run, _unused = lab_scenario
    notice = f"RDP-KIT STAGE SKIPPED: playbooks/{stage}.yml is not in this"
    assert has_playbook(stage)
    assert notice not in " ".join((run.stdout + run.stderr).split())


# --- the ansible-test integration targets, on lab hosts -------------------------------------------------------------
@pytest.fixture(scope="module")
def lab_targets(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    return subprocess.run([sys.executable, os.path.join(REPO, "tests", "integration", "kit.py"), "lab"], cwd=REPO,
                          capture_output=True, text=True, check=False, env=isolated_environment(home))


def test_the_integration_targets_pass_on_lab_hosts(lab_targets):
    output = lab_targets.stdout + lab_targets.stderr
    assert lab_targets.returncode == 0, output[-6000:]
    assert "RDP-KIT RESULT: passed" in output
    targets = sorted(os.listdir(os.path.join(REPO, "tests", "integration", "targets")))
    for target in targets:
        assert f"Running {target} integration test" in output, target
    # only the tasks that need a real host are skipped on the lab: 4 tasks, 2 hosts
    assert output.count('"false_condition": "not (rdp_kit_simulated | default(false) | bool)"') == 8


@pytest.mark.parametrize("stage", ["remediate", "diagnose"])
def test_the_sequence_target_ran_the_stage(lab_targets, stage):
    output = lab_targets.stdout + lab_targets.stderr
    assert has_playbook(stage)
    assert f"SKIPPED: playbooks/{stage}.yml" not in output


# --- the report check the scenarios rely on catches what it should --------------------------------------------------
def _report(failing_source):
    return {"summary": {"hosts": 1, "compliant": 0, "non_compliant": 1, "unreachable": 0, "error": 0},
            "hosts": {"h1": {"status": "non_compliant", "controls": [
                {"id": "connections.allowed", "status": "fail", "source": failing_source},
                {"id": "listener.listening", "status": "fail", "source": "local"},
                {"id": "service.termservice.running", "status": "pass", "source": "local"}]}}}


@pytest.mark.parametrize("source,expected,after,passes", [
    ("policy", {"h1": ["connections.allowed", "listener.listening"]}, True, True),
    ("local", {}, True, False),
    ("local", {"h1": ["connections.allowed", "listener.listening"]}, False, True),
    ("local", {"h1": ["connections.allowed"]}, False, False),
])
def test_the_report_check_catches_what_it_should(tmp_path, source, expected, after, passes):
    (tmp_path / "report.json").write_text(json.dumps(_report(source)))
    playbook = tmp_path / "check.yml"
    playbook.write_text(yaml.safe_dump([{
        "name": "Check", "hosts": "localhost", "gather_facts": False,
        "tasks": [{"name": "Check",
                   "ansible.builtin.include_tasks": os.path.join(MOLECULE, "shared", "tasks", "check_report.yml"),
                   "vars": {"rdp_kit_report": str(tmp_path / "report.json"), "rdp_kit_after_remediation": after,
                            "rdp_kit_expected_failures": expected}}]}]))
    run = subprocess.run([os.path.join(BIN, "ansible-playbook"), str(playbook)], capture_output=True, text=True,
                         check=False, env=isolated_environment(tmp_path))
    assert (run.returncode == 0) == passes, run.stdout[-3000:]
