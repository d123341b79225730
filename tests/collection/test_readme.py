# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The README starts with make demo / make test and lists every control of the catalogue."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from ansible_collections.rdp.windows.plugins.plugin_utils._compliance import catalogue
from tests.helpers import REPO

with open(os.path.join(REPO, "README.md"), encoding="utf-8") as handle:
    README = handle.read()


def test_the_readme_starts_with_make_demo_and_make_test():
    first_block = README.split("```bash", 1)[1].split("```", 1)[0].strip().splitlines()
    assert first_block[0].startswith("make demo") and first_block[1].startswith("make test")


def test_the_controls_table_is_the_catalogue_s():
    generated = subprocess.run([sys.executable, os.path.join(REPO, "docs", "controls_table.py")], capture_output=True,
                               text=True, check=True).stdout.strip()
    assert generated in README, "the README's table of controls is out of date: run `make readme`"
    listed = re.findall(r"^\| `([a-z0-9_.]+)` \|", README, re.M)
    assert listed == [control.id for control in catalogue.CONTROLS]


def test_the_controls_page_is_the_catalogue_s():
    generated = subprocess.run([sys.executable, os.path.join(REPO, "docs", "controls_table.py"), "--page"],
                               capture_output=True, text=True, check=True).stdout
    with open(os.path.join(REPO, "docs", "controls.md"), encoding="utf-8") as handle:
        assert handle.read() == generated, "docs/controls.md is out of date: run `make readme`"
    assert generated.count("\n## `") == len(catalogue.CONTROLS)


def test_the_documents_the_readme_names_exist():
    for path in re.findall(r"`((?:docs|lab|plugins|roles|changelogs)/[^`*<>]+?|CHANGELOG\.rst)`", README):
        if "<" not in path and "*" not in path:
            assert os.path.exists(os.path.join(REPO, path.split(",")[0].strip())), path
