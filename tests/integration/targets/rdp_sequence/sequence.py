#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run the collection's playbooks in the order an administrator would, against the "windows" group, and check
each stage: audit -> remediate -> remediate again (zero changes) -> audit (all pass, unless Group Policy owns a
failing setting) -> diagnose. A stage whose playbook is not in the collection yet is reported as skipped.

The desired state (rdp_users and the other rdp_* variables) comes from the inventory: ansible-test passes no
environment variables through (tests/integration/kit.py writes them into the inventory).
"""

import argparse
import json
import os
import subprocess
import sys


def collection_playbook(name):
    """Path of playbooks/<name>.yml of rdp.windows in ANSIBLE_COLLECTIONS_PATH, or None."""
    for root in os.environ.get("ANSIBLE_COLLECTIONS_PATH", "").split(os.pathsep):
        for base in (root, os.path.join(root, "ansible_collections")):
            path = os.path.join(base, "rdp", "windows", "playbooks", f"{name}.yml")
            if os.path.isfile(path):
                return path
    return None


def playbook(name, inventory, *extra, json_output=False):
    command = ["ansible-playbook", collection_playbook(name), "-i", inventory, "--limit", "windows", *extra]
    environment = dict(os.environ)
    if json_output:
        environment.update(ANSIBLE_STDOUT_CALLBACK="ansible.builtin.json")
    print(f"=== {' '.join(command)}", flush=True)
    run = subprocess.run(command, env=environment, capture_output=json_output, text=True, check=False)
    if json_output:
        sys.stdout.write(run.stdout[-4000:])
        sys.stderr.write(run.stderr)
    return run


def report(directory):
    with open(os.path.join(directory, "rdp-compliance.json"), encoding="utf-8") as handle:
        return json.load(handle)


def check_audited(data, stage):
    summary = data["summary"]
    if summary["unreachable"] or summary["error"] or not data["hosts"]:
        raise SystemExit(f"{stage}: hosts unreachable or in error: {summary}")


def check_after_remediation(data):
    """Every host passes, unless Group Policy owns one of its failing controls: remediation leaves that setting
    (and what depends on it, such as the listener when a policy denies connections) to the policy."""
    for host, entry in data["hosts"].items():
        failing = [c for c in entry["controls"] if c["status"] in ("fail", "error")]
        if failing and not any(c.get("source") == "policy" for c in failing):
            raise SystemExit(f"after remediation {host} still fails {[c['id'] for c in failing]}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--inventory", required=True)
    parser.add_argument("--output", required=True)
    args = parser.parse_args()
    stages = []

    run = playbook("audit", args.inventory, "--check", "-e", f"rdp_report_dir={args.output}/before")
    if run.returncode:
        raise SystemExit("audit before remediation failed")
    check_audited(report(f"{args.output}/before"), "audit before")
    stages.append(("audit", "passed"))

    if collection_playbook("remediate"):
        if playbook("remediate", args.inventory).returncode:
            raise SystemExit("remediate failed")
        stages.append(("remediate", "passed"))
        again = playbook("remediate", args.inventory, json_output=True)
        if again.returncode:
            raise SystemExit("remediate (second run) failed")
        stats = json.loads(again.stdout)["stats"]
        changed = {host: s["changed"] for host, s in stats.items() if s["changed"]}
        if changed:
            raise SystemExit(f"the second remediation changed something: {changed}")
        stages.append(("remediate again: zero changes", "passed"))
        if playbook("audit", args.inventory, "--check", "-e", f"rdp_report_dir={args.output}/after").returncode:
            raise SystemExit("audit after remediation failed")
        after = report(f"{args.output}/after")
        check_audited(after, "audit after")
        check_after_remediation(after)
        stages.append(("audit after: all pass (or owned by policy)", "passed"))
    else:
        stages.append(("remediate, remediate again, audit after", "SKIPPED: playbooks/remediate.yml not in the collection"))

    if collection_playbook("diagnose"):
        if playbook("diagnose", args.inventory, "-e", f"rdp_report_dir={args.output}/diagnosis").returncode:
            raise SystemExit("diagnose failed")
        stages.append(("diagnose", "passed"))
    else:
        stages.append(("diagnose", "SKIPPED: playbooks/diagnose.yml not in the collection"))

    for name, outcome in stages:
        print(f"RDP-KIT STAGE {name}: {outcome}")


if __name__ == "__main__":
    main()
