# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every PowerShell file of the collection, found when the tests run, passes the static checks."""

import json
import os

import pytest
import yaml

from tests.collection.static import build_allowlist, pwsh_check

FILES = pwsh_check.discover()
MODULES = [path for path in FILES if pwsh_check.Script(path, b"", relpath=os.path.relpath(path, pwsh_check.REPO)).is_module]


def test_the_collection_has_powershell_to_check():
    assert any(path.endswith(os.path.join("modules", "host_info.ps1")) for path in FILES)


@pytest.mark.parametrize("path", FILES, ids=[os.path.relpath(p, pwsh_check.REPO) for p in FILES])
def test_powershell_file_passes_the_static_checks(path):
    script = pwsh_check.Script.from_file(path)
    findings = pwsh_check.check_script(script, documentation=pwsh_check.documentation_for(path))
    assert not findings, "\n" + "\n".join(map(str, findings))


@pytest.mark.parametrize("path", MODULES, ids=[os.path.basename(p) for p in MODULES])
def test_module_spec_matches_its_documentation(path):
    """Also part of the static checks above; kept separate so a spec/doc drift is named as such."""
    from tests.collection.static import spec_doc  # pylint: disable=import-outside-toplevel
    script = pwsh_check.Script.from_file(path)
    documentation = pwsh_check.documentation_for(path)
    assert documentation, f"{path} has no .yml documentation"
    spec, problem = spec_doc.module_spec(script)
    assert problem is None, problem
    assert spec_doc.compare(spec.get("options"), documentation.get("options")) == []


def _allowed():
    with open(build_allowlist.ALLOWED, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _generated():
    with open(build_allowlist.OUTPUT, encoding="utf-8") as handle:
        return json.load(handle)


def test_the_generated_allowlist_has_exactly_the_reviewed_cmdlets():
    allowed, generated = _allowed(), _generated()
    assert sorted(generated["cmdlets"]) == sorted(allowed["cmdlets"]), "run `make pwsh-allowlist`"
    for name, entry in generated["cmdlets"].items():
        assert entry["reason"] == allowed["cmdlets"][name], "run `make pwsh-allowlist`"
        assert entry["source"].startswith("MicrosoftDocs/"), name
        assert entry["parameter_sets"], name


@pytest.mark.skipif(not os.path.isfile(build_allowlist.signatures_path()),
                    reason="the reference cmdlet-signatures.json is not on this machine")
def test_the_generated_allowlist_is_what_the_generator_writes_today():
    with open(build_allowlist.signatures_path(), encoding="utf-8") as handle:
        signatures = json.load(handle)
    with open(build_allowlist.OUTPUT, encoding="utf-8") as handle:
        committed = handle.read()
    assert build_allowlist.dumps(build_allowlist.build(signatures, _allowed())) == committed, \
        "run `make pwsh-allowlist`"


def test_usage_report_names_a_parameter_set_and_a_source_for_every_cmdlet_call():
    usages = []
    for path in FILES:
        pwsh_check.check_script(pwsh_check.Script.from_file(path), documentation=pwsh_check.documentation_for(path),
                                usages=usages)
    assert usages
    for usage in usages:
        assert usage.parameter_sets, usage
        assert usage.source.startswith("MicrosoftDocs/"), usage
