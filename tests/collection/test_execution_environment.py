# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The execution environment builds from the collection: ansible-builder reads execution-environment.yml and
finds requirements.txt and bindep.txt at the collection root (building the image needs podman or docker and a
registry, which the tests do not have)."""

import os
import subprocess
import sys

import yaml
from packaging.requirements import Requirement

from tests.helpers import REPO

BUILDER = os.path.join(os.path.dirname(sys.executable), "ansible-builder")


def _requirements(path):
    with open(path, encoding="utf-8") as handle:
        return [Requirement(line.split("#")[0].strip()) for line in handle if line.split("#")[0].strip()]


def test_ansible_builder_create_writes_a_build_context(tmp_path):
    context = tmp_path / "context"
    run = subprocess.run([BUILDER, "create", "-f", os.path.join(REPO, "execution-environment.yml"), "--context",
                          str(context), "--output-filename", "Containerfile"],
                         capture_output=True, text=True, cwd=REPO, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    containerfile = (context / "Containerfile").read_text()
    assert 'ARG EE_BASE_IMAGE="quay.io/centos/centos:stream9"' in containerfile
    assert "ansible-core==2.19.14" in containerfile
    assert (context / "_build" / "requirements.txt").read_text() == open(os.path.join(REPO, "requirements.txt"),
                                                                         encoding="utf-8").read()
    assert (context / "_build" / "bindep.txt").read_text() == open(os.path.join(REPO, "bindep.txt"),
                                                                   encoding="utf-8").read()
    galaxy = yaml.safe_load((context / "_build" / "requirements.yml").read_text())
    assert [collection["name"] for collection in galaxy["collections"]] == ["ansible.windows"]


def test_ansible_builder_finds_the_requirements_of_the_installed_collection():
    run = subprocess.run([BUILDER, "introspect", "--sanitize", os.path.join(REPO, ".build", "collections")],
                         capture_output=True, text=True, cwd=REPO, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    found = yaml.safe_load(run.stdout.split("\n", 1)[1] if run.stdout.startswith("#") else run.stdout)
    python = [line.split("#")[0].strip() for line in found["python"] if "rdp.windows" in line]
    system = [line.split("#")[0].strip() for line in found["system"] if "rdp.windows" in line]
    assert [str(r) for r in _requirements(os.path.join(REPO, "requirements.txt"))] == [
        str(Requirement(line)) for line in python]
    assert "krb5-workstation [platform:rpm]" in system and "krb5-devel [compile platform:rpm]" in system


def test_the_ee_covers_winrm_and_psrp_with_ntlm_kerberos_and_credssp():
    requirements = _requirements(os.path.join(REPO, "requirements.txt"))
    wanted = {requirement.name.lower(): requirement for requirement in requirements}
    assert {"kerberos", "credssp"} <= wanted["pywinrm"].extras  # NTLM comes with pywinrm itself
    assert {"kerberos", "credssp"} <= wanted["pypsrp"].extras


def test_the_pinned_development_versions_satisfy_the_ee_requirements():
    """What the tests run with (requirements-dev.txt) is what the EE accepts, so the EE is not untested."""
    pinned = {}
    with open(os.path.join(REPO, "requirements-dev.txt"), encoding="utf-8") as handle:
        for line in handle:
            text = line.split("#")[0].strip()
            if "==" in text:
                name, version = text.split("==")
                pinned[name.lower()] = version
    for requirement in _requirements(os.path.join(REPO, "requirements.txt")):
        assert requirement.name.lower() in pinned, f"{requirement.name} is not pinned in requirements-dev.txt"
        assert requirement.specifier.contains(pinned[requirement.name.lower()]), requirement
