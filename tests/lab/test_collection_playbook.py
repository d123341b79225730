# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""`ansible-playbook rdp.windows.audit` (the collection's playbook by FQCN) audits the lab from any directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import jsonschema
import yaml

from tests.helpers import REPO, build_lab, load_state

with open(os.path.join(REPO, "lab", "causes.yml"), encoding="utf-8") as handle:
    CAUSES = yaml.safe_load(handle)
with open(os.path.join(REPO, "docs", "report.schema.json"), encoding="utf-8") as handle:
    REPORT_SCHEMA = json.load(handle)


def test_the_audit_playbook_runs_by_fqcn_against_the_lab(tmp_path):
    inventory = build_lab(str(tmp_path / "lab"))
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    before = {host: load_state(str(tmp_path / "lab"), host) for host in CAUSES}
    environment = {key: value for key, value in os.environ.items() if not key.startswith("ANSIBLE_")}
    environment.update(ANSIBLE_COLLECTIONS_PATH=os.path.join(REPO, ".build", "collections"), ANSIBLE_NOCOLOR="1")
    command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "rdp.windows.audit",
               "-i", inventory, "--check", "-e", "rdp_report_dir=reports"]
    run = subprocess.run(command, capture_output=True, text=True, env=environment, cwd=workdir, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "failed=0" in run.stdout and "unreachable=0" in run.stdout

    report = json.loads((workdir / "reports" / "rdp-compliance.json").read_text(encoding="utf-8"))
    jsonschema.validate(report, REPORT_SCHEMA, cls=jsonschema.Draft202012Validator)
    assert sorted(report["hosts"]) == sorted(CAUSES)
    for host, cause in CAUSES.items():
        entry = report["hosts"][host]
        assert entry["status"] == ("non_compliant" if cause["fails"] else "compliant"), host
        failing = sorted(c["id"] for c in entry["controls"] if c["status"] in ("fail", "error"))
        assert failing == sorted(cause["fails"]), host
        after = load_state(str(tmp_path / "lab"), host)
        after["counters"], before[host]["counters"] = {}, {}
        assert after == before[host], f"the audit changed {host}"
