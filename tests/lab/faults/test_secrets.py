# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""No password, token or connection secret appears in any output, result, report or log, even with -vvv,
on the happy path, under faults and on invalid input."""

import os
import secrets as random_secrets

import pytest
import yaml

from tests.helpers import build_lab, run_playbook, set_faults

SECRET_VARIABLES = ("ansible_password", "ansible_winrm_password", "ansible_psrp_password", "ansible_become_password",
                    "ansible_winrm_cert_key_pem", "ansible_psrp_certificate_key_pem", "rdp_awx_token", "vault_token")


def plant_secrets(inventory_path):
    """Give every secret variable a unique value in the lab inventory; return the values."""
    with open(inventory_path, encoding="utf-8") as handle:
        inventory = yaml.safe_load(handle)
    values = {name: f"S3cr3t-{name}-{random_secrets.token_hex(8)}" for name in SECRET_VARIABLES}
    inventory["rdp_lab"]["vars"].update(values)
    inventory["rdp_lab"]["vars"]["ansible_user"] = "LAB\\svc-ansible"
    with open(inventory_path, "w", encoding="utf-8") as handle:
        yaml.safe_dump(inventory, handle)
    return values


def files_under(directory):
    for root, dummy, names in os.walk(directory):
        for name in names:
            yield os.path.join(root, name)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    directory = tmp_path_factory.mktemp("secrets")
    inventory = build_lab(str(directory))
    values = plant_secrets(inventory)
    for host, fault in (("throttled", {"at": "before"}), ("qos-missing", {"at": "module_error", "message": "boom"})):
        set_faults(str(directory), host, [fault])
    log = directory / "ansible.log"
    env = {"ANSIBLE_LOG_PATH": str(log)}
    outputs = [
        run_playbook("audit.yml", inventory, "-vvv", "-e", f"rdp_report_dir={directory}/reports", check=True, env=env),
        run_playbook("audit.yml", inventory, "-vvv", "-e", "rdp_port=0", "-e", f"rdp_report_dir={directory}/bad",
                     check=True, limit="healthy", env=env),
        run_playbook("remediate.yml", inventory, "-vvv", "--diff", "-e", f"rdp_report_dir={directory}/remediation",
                     "-e", '{"rdp_remediate_serial": 20, "rdp_max_fail_percentage": 100}', env=env),
        run_playbook("remediate.yml", inventory, "-vvv", "-e", "rdp_qos_dscp=64", "-e",
                     f"rdp_report_dir={directory}/bad-remediation", limit="healthy", env=env),
    ]
    return directory, values, outputs


def test_the_runs_went_through_their_paths(runs):
    directory, dummy, outputs = runs
    assert outputs[0].returncode == 0 and "throttled: UNREACHABLE" in outputs[0].stdout
    assert "qos-missing: ERROR" in outputs[0].stdout
    assert outputs[1].returncode != 0 and "rdp_port must be an integer" in outputs[1].stdout + outputs[1].stderr
    assert os.path.exists(directory / "reports" / "rdp-compliance.json") and os.path.exists(directory / "ansible.log")
    assert "rdp-disabled: COMPLIANT" in outputs[2].stdout and "qos-missing: COMPLIANT" in outputs[2].stdout
    assert os.path.exists(directory / "remediation" / "rdp-remediation.json")
    assert outputs[3].returncode != 0 and "rdp_qos_dscp must be an integer" in outputs[3].stdout + outputs[3].stderr


def test_no_secret_in_stdout_or_stderr(runs):
    dummy, values, outputs = runs
    for run in outputs:
        for name, value in values.items():
            assert value not in run.stdout and value not in run.stderr, name


def test_no_secret_in_any_file_the_runs_wrote(runs):
    """Reports, the ansible log, the simulator's state files and calls logs (not the inventory itself)."""
    directory, values, dummy = runs
    checked = 0
    for path in files_under(directory):
        if os.path.basename(path) == "inventory.yml":
            continue
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
        checked += 1
        for name, value in values.items():
            assert value not in text, f"{name} in {path}"
    assert checked > 20
