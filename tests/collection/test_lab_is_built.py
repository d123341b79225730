# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The committed lab (lab/hosts/*.json, lab/inventory.yml) is exactly what lab/build_lab.py writes."""

from __future__ import annotations

import os

import yaml

from ansible_collections.rdp.windows.plugins.plugin_utils._compliance import catalogue
from tests.helpers import REPO, build_lab

LAB = os.path.join(REPO, "lab")


def _read(path):
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def test_the_committed_lab_is_the_builder_s_output(tmp_path):
    inventory = build_lab(str(tmp_path))
    built = sorted(os.listdir(tmp_path / "hosts"))
    committed = sorted(name for name in os.listdir(os.path.join(LAB, "hosts")) if name.endswith(".json"))
    assert committed == built, "run `make lab` and commit lab/"
    for name in built:
        assert _read(os.path.join(LAB, "hosts", name)) == _read(tmp_path / "hosts" / name), (
            f"lab/hosts/{name} differs from what lab/build_lab.py writes: run `make lab` and commit lab/")
    assert _read(os.path.join(LAB, "inventory.yml")) == _read(inventory), "run `make lab` and commit lab/"


def test_every_lab_host_has_its_cause_written_down():
    with open(os.path.join(LAB, "causes.yml"), encoding="utf-8") as handle:
        causes = yaml.safe_load(handle)
    with open(os.path.join(LAB, "inventory.yml"), encoding="utf-8") as handle:
        hosts = yaml.safe_load(handle)["rdp_lab"]["hosts"]
    assert sorted(causes) == sorted(hosts)
    assert len(hosts) >= 8
    assert causes["healthy"]["fails"] == [] and not causes["healthy"].get("findings")
    for name, entry in causes.items():
        assert entry["cause"] in (catalogue.CAUSES if entry["fails"] else (None,)), name
        assert set(entry["fails"]) <= set(catalogue.BY_ID), name
