# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Running the documented commands changes no tracked file, and the collection tarball carries no run artefact
(call logs, locks, reports) even when the tree it is built from holds some."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile

import pytest

from tests.helpers import REPO

BIN = os.path.dirname(sys.executable)
# What a run leaves behind: the simulated connection's call log and lock, reports, caches.
ARTEFACTS = ("lab/hosts/healthy.json.calls.jsonl", "lab/hosts/healthy.json.lock", "rdp-reports/rdp-compliance.json",
             "playbooks/rdp-reports/rdp-diagnosis.json", "plugins/action/__pycache__/audit.cpython-311.pyc",
             ".build/lab/hosts/healthy.json")


def _git(*args):
    return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=True).stdout


def _tracked_files():
    return [path for path in _git("ls-files", "-z").split("\0") if path and os.path.isfile(os.path.join(REPO, path))]


@pytest.mark.slow
def test_the_readme_lab_command_changes_no_tracked_file():
    """`ansible-playbook playbooks/audit.yml --check -l healthy` with the default inventory (ansible.cfg): the lab
    it runs against is the one `make setup` builds under .build/, never the committed lab/."""
    if not os.path.exists(os.path.join(REPO, ".build", "lab", "inventory.yml")):  # what `make setup` builds
        live_hosts = os.path.join(REPO, ".build", "lab", "hosts")
        subprocess.run([sys.executable, os.path.join(REPO, "lab", "build_lab.py"), live_hosts], check=True)
    before = _git("status", "--porcelain")
    run = subprocess.run([os.path.join(BIN, "ansible-playbook"), "playbooks/audit.yml", "--check", "-l", "healthy"],
                         cwd=REPO, capture_output=True, text=True, check=False,
                         env=dict(os.environ, ANSIBLE_CONFIG=os.path.join(REPO, "ansible.cfg")))
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "healthy" in run.stdout and "unreachable=0" in run.stdout
    assert _git("status", "--porcelain") == before
    assert not [name for name in os.listdir(os.path.join(REPO, "lab", "hosts")) if not name.endswith(".json")]


@pytest.mark.slow
def test_the_tarball_carries_no_run_artefacts(tmp_path):
    tree = tmp_path / "ansible_collections" / "rdp" / "windows"
    for path in _tracked_files():
        os.makedirs(tree / os.path.dirname(path), exist_ok=True)
        shutil.copy2(os.path.join(REPO, path), tree / path)
    for artefact in ARTEFACTS:
        os.makedirs(tree / os.path.dirname(artefact), exist_ok=True)
        (tree / artefact).write_text("{}\n", encoding="utf-8")
    out = tmp_path / "dist"
    subprocess.run([os.path.join(BIN, "ansible-galaxy"), "collection", "build", str(tree), "--output-path", str(out)],
                   check=True, capture_output=True, text=True)
    (tarball,) = out.iterdir()
    with tarfile.open(tarball) as archive:
        members = set(archive.getnames())
    assert "plugins/modules/host_info.ps1" in members and "lab/hosts/healthy.json" in members
    assert not [artefact for artefact in ARTEFACTS if artefact in members]
    assert not [name for name in members if name.endswith((".calls.jsonl", ".lock", ".pyc"))]
