# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Each twin accepts exactly the options of the module it stands for, and rejects a wrong option name or value
the way that module does, with its message.

The module's options are read three independent ways and must agree: the documentation the twin is built
from (this collection's .yml, the installed ansible.windows .py), the module's own PowerShell (its literal
``$spec`` read with tree-sitter, or a Legacy module's Get-AnsibleParam calls), and what the twin accepts.
Twins are found in _simulator/twins.py when the tests run, so a twin added later is checked too.
"""

import os
import re

import pytest

from ansible_collections.rdp.windows.plugins.plugin_utils._simulator import module_spec, twins
from ansible_collections.rdp.windows.plugins.plugin_utils._simulator.module_args import (
    CheckModeUnsupported, InvalidArguments)
from tests.helpers import build_lab
from tests.collection.static import spec_doc
from tests.collection.static.pwsh_check import Script

FQCNS = sorted(twins.TWINS)
BASIC = [f for f in FQCNS if module_spec.argument_style(f)[0] == "basic"]
LEGACY = [f for f in FQCNS if module_spec.argument_style(f)[0] == "legacy"]
# Options a Legacy module reads that its upstream documentation leaves out (community.windows 3.1.0 reads them
# with Get-AnsibleParam; win_firewall_rule.py does not document them).
UNDOCUMENTED_UPSTREAM = {"community.windows.win_firewall_rule": {"edge", "interfacetypes", "security"}}


def options_of(fqcn):
    return module_spec.legacy_spec(fqcn) if fqcn in LEGACY else module_spec.argument_spec(fqcn)


def sample(spec):
    """A valid value for an option."""
    if spec.get("choices"):
        return spec["choices"][0]
    kind = spec.get("type", "str")
    if kind == "list":
        if spec.get("elements") == "dict":
            return [{name: sample(sub) for name, sub in (spec.get("options") or {}).items() if sub.get("required")}]
        return ["S-1-5-32-555"]
    return {"int": 3389, "bool": True, "dict": {}, "float": 1.5}.get(kind, "HKLM:\\SOFTWARE\\x")


def minimal_args(fqcn):
    return {name: sample(spec) for name, spec in options_of(fqcn).items() if spec.get("required")}


def rejection(fqcn, args):
    with pytest.raises(InvalidArguments) as raised:
        module_spec.validate(fqcn, dict(args, _ansible_module_name=fqcn))
    return str(raised.value)


def test_every_module_the_collection_calls_has_a_twin():
    """Windows modules named (by FQCN) in roles, playbooks, action plugins and the planning code all have a twin."""
    called = set()
    repo = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
    for top in ("roles", "playbooks", "plugins/action", "plugins/plugin_utils"):
        for directory, _unused, files in os.walk(os.path.join(repo, top)):
            for name in files:
                with open(os.path.join(directory, name), encoding="utf-8", errors="replace") as handle:
                    called.update(re.findall(r"\b((?:ansible|rdp)\.windows\.\w+)\b", handle.read()))
    # the Windows modules among them: those with PowerShell (rdp.windows.audit and the like run on the controller)
    windows_modules = {fqcn for fqcn in called
                       if os.path.isfile(module_spec._module_path(fqcn, ".ps1"))}  # pylint: disable=protected-access
    assert {"rdp.windows.host_info", "ansible.windows.win_regedit"} <= windows_modules
    assert windows_modules <= set(FQCNS), sorted(windows_modules - set(FQCNS))


# --- the options: documentation == PowerShell == twin ---------------------------------------------------------------
def _powershell_options(fqcn):
    path = module_spec._module_path(fqcn, ".ps1")  # pylint: disable=protected-access
    script = Script(path, open(path, "rb").read(), relpath=f"plugins/modules/{os.path.basename(path)}")
    spec, problem = spec_doc.module_spec(script)
    assert problem is None, f"{path}: {problem}"
    return spec["options"]


@pytest.mark.parametrize("fqcn", BASIC)
def test_twin_options_are_the_options_of_the_modules_spec(fqcn):
    documented = module_spec.documentation_of(fqcn)["options"]
    problems = spec_doc.compare(_powershell_options(fqcn), documented)
    # upstream documentation omits no_log; it changes what is logged, not what is accepted
    problems = [p for p in problems if not (fqcn.startswith("ansible.") and ": no_log is" in p)]
    assert problems == []
    assert set(module_spec.argument_spec(fqcn)) == set(documented)


@pytest.mark.parametrize("fqcn", LEGACY)
def test_legacy_twin_reads_the_options_the_module_reads(fqcn):
    documented = module_spec.documentation_of(fqcn)["options"]
    code = module_spec.legacy_spec(fqcn)
    undocumented = UNDOCUMENTED_UPSTREAM.get(fqcn, set())
    assert set(code) - undocumented == set(documented) and undocumented <= set(code)
    for name, entry in code.items():
        if name in undocumented:
            continue
        assert bool(entry.get("required")) == bool(documented[name].get("required")), name
        assert sorted(entry.get("choices") or []) == sorted(documented[name].get("choices") or []), name
        assert entry.get("default") == documented[name].get("default"), name


# --- rejection, as the module rejects ------------------------------------------------------------------------------
@pytest.mark.parametrize("fqcn", FQCNS)
def test_minimal_arguments_are_accepted(fqcn):
    params = module_spec.validate(fqcn, minimal_args(fqcn))
    assert set(params) == set(options_of(fqcn))


@pytest.mark.parametrize("fqcn", BASIC)
def test_unknown_option_is_rejected_like_ansible_basic(fqcn):
    message = rejection(fqcn, dict(minimal_args(fqcn), nmae="x"))
    prefix = f"Unsupported parameters for ({fqcn}) module: nmae. Supported parameters include: "
    assert message.startswith(prefix)
    listed = message[len(prefix):].split(", ")
    options = module_spec.argument_spec(fqcn)
    aliases = [alias for spec in options.values() for alias in spec.get("aliases") or ()]
    assert sorted(listed) == sorted(list(options) + aliases)


@pytest.mark.parametrize("fqcn", LEGACY)
def test_unknown_option_is_ignored_like_get_ansibleparam(fqcn):
    """Legacy modules never look at options they do not read: a misspelt optional option is silently ignored
    on Windows (here `stat: absent` leaves state at its default). The twin does the same, so tests see it."""
    params = module_spec.validate(fqcn, dict(minimal_args(fqcn), nmae="x"))
    assert "nmae" not in params


@pytest.mark.parametrize("fqcn", FQCNS)
def test_option_names_are_matched_without_case(fqcn):
    args = {name.upper(): value for name, value in minimal_args(fqcn).items()}
    params = module_spec.validate(fqcn, args)
    assert set(params) == set(options_of(fqcn))


CHOICES = [(fqcn, name) for fqcn in FQCNS for name, spec in options_of(fqcn).items() if spec.get("choices")]


@pytest.mark.parametrize("fqcn,option", CHOICES, ids=[f"{f}.{o}" for f, o in CHOICES])
def test_a_value_outside_the_choices_is_rejected(fqcn, option):
    choices = options_of(fqcn)[option]["choices"]
    message = rejection(fqcn, dict(minimal_args(fqcn), **{option: "bogus"}))
    if fqcn in LEGACY:
        assert message == f"Get-AnsibleParam: Argument {option} needs to be one of {','.join(choices)} but was bogus."
    else:
        how = "one or more of" if options_of(fqcn)[option].get("type") == "list" else "one of"
        assert message == f"value of {option} must be {how}: {', '.join(map(str, choices))}. Got no match for: bogus"
    accepted = module_spec.validate(fqcn, dict(minimal_args(fqcn), **{option: str(choices[0]).upper()}))
    value = accepted[option][0] if isinstance(accepted[option], list) else accepted[option]
    assert str(value).lower() == str(choices[0]).lower()  # choices are matched without case


REQUIRED = [f for f in FQCNS if any(spec.get("required") for spec in options_of(f).values())]


@pytest.mark.parametrize("fqcn", REQUIRED)
def test_a_missing_required_option_is_rejected(fqcn):
    required = [name for name, spec in options_of(fqcn).items() if spec.get("required")]
    message = rejection(fqcn, {})
    if fqcn in LEGACY:
        assert message == f"Get-AnsibleParam: Missing required argument: {required[0]}"
    else:
        assert message == f"missing required arguments: {', '.join(required)}"


TYPED = [(fqcn, name, spec["type"]) for fqcn in BASIC for name, spec in options_of(fqcn).items()
         if spec.get("type") in ("int", "bool", "list", "dict") and not spec.get("choices")]


@pytest.mark.parametrize("fqcn,option,kind", TYPED, ids=[f"{f}.{o}" for f, o, _unused in TYPED])
def test_a_value_of_the_wrong_type_is_rejected(fqcn, option, kind):
    wrong, reason = {
        "int": ("many", "Input string was not in a correct format."),
        "bool": ("maybe", "The value 'maybe' is not a valid boolean. Valid booleans include: y, yes, on, 1, true, t, "
                          "1.0, n, no, off, 0, false, f, 0.0"),
        "list": (True, "System.Boolean cannot be converted to a list"),
        "dict": ("text", "string cannot be converted to a dict, must either be a JSON string or in the key=value form"),
    }[kind]
    message = rejection(fqcn, dict(minimal_args(fqcn), **{option: wrong}))
    source_type = "System.Boolean" if wrong is True else "System.String"
    assert message == f"argument for {option} is of type {source_type} and we were unable to convert to {kind}: {reason}"


def test_sub_option_errors_name_where_they_were_found():
    message = rejection("rdp.windows.host_info", {"registry": [{"path": "HKLM:\\x", "nmae": "y"}]})
    assert message == ("Unsupported parameters for (rdp.windows.host_info) module: nmae found in registry. "
                       "Supported parameters include: path, name")


def test_a_module_without_check_mode_support_is_skipped_in_check_mode(monkeypatch):
    monkeypatch.setattr(module_spec, "argument_style", lambda fqcn: ("basic", False))
    with pytest.raises(CheckModeUnsupported, match=r"^remote module \(rdp.windows.host_info\) does not support check"):
        module_spec.validate("rdp.windows.host_info", {"_ansible_check_mode": True,
                                                       "_ansible_module_name": "rdp.windows.host_info"})


def test_the_twin_returns_the_rejection_as_a_module_failure():
    args = {"path": "HKLM:\\x", "nmae": "y", "_ansible_module_name": "ansible.windows.win_regedit"}
    result = twins.run(None, "ansible.windows.win_regedit", args)
    assert result["failed"] is True
    assert result["msg"].startswith("Unsupported parameters for (ansible.windows.win_regedit) module: nmae.")


def test_a_rejection_reaches_the_playbook_through_the_simulated_connection(tmp_path):
    """The whole path: ansible-core builds the PowerShell payload, the connection hands it to the twin."""
    import subprocess  # pylint: disable=import-outside-toplevel
    import sys  # pylint: disable=import-outside-toplevel
    inventory = build_lab(str(tmp_path))
    run = subprocess.run([os.path.join(os.path.dirname(sys.executable), "ansible"), "healthy", "-i", inventory,
                          "-m", "ansible.windows.win_regedit", "-a", "path=HKLM:\\SOFTWARE\\x name=y type=dwrd"],
                         capture_output=True, text=True, env=dict(os.environ, ANSIBLE_NOCOLOR="1"), check=False)
    assert run.returncode == 2, run.stdout + run.stderr
    assert ("value of type must be one of: none, binary, dword, expandstring, multistring, string, qword. "
            "Got no match for: dwrd") in " ".join(run.stdout.split())
