# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Make the repository importable as ansible_collections.rdp.windows (the Makefile links it under .build)."""

import os
import sys

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
COLLECTIONS = os.path.join(REPO, ".build", "collections")
LINK = os.path.join(COLLECTIONS, "ansible_collections", "rdp", "windows")

if not os.path.exists(LINK):
    os.makedirs(os.path.dirname(LINK), exist_ok=True)
    os.symlink(os.path.join("..", "..", "..", ".."), LINK)
if COLLECTIONS not in sys.path:
    sys.path.insert(0, COLLECTIONS)
os.environ.setdefault("ANSIBLE_COLLECTIONS_PATH", COLLECTIONS)
os.environ.setdefault("ANSIBLE_CONFIG", os.path.join(REPO, "ansible.cfg"))

# The kinds of test, by folder (tests/README.md): `make quick` runs what is neither slow nor needs a server.
FOLDER_MARKERS = {"lab": ("lab", "slow"), "real": ("real", "slow")}


def pytest_configure(config):
    config.addinivalue_line("markers", "lab: runs playbooks against the simulated lab (tests/lab)")
    config.addinivalue_line("markers", "real: needs real RDP servers or the real-host kit (tests/real)")
    config.addinivalue_line("markers", "slow: takes seconds or more (playbook runs, builds); left out of make quick")


def pytest_collection_modifyitems(config, items):
    import pytest  # pylint: disable=import-outside-toplevel
    for item in items:
        parts = os.path.relpath(str(item.path), REPO).split(os.sep)
        for marker in FOLDER_MARKERS.get(parts[1] if len(parts) > 2 else "", ()):
            item.add_marker(getattr(pytest.mark, marker))
