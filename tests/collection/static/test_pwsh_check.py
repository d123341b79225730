# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Each static check catches a defect planted in a module that otherwise passes every check
(fixtures/good_module.ps1), and stays quiet on the correct forms next to it."""

import copy
import os

import pytest
import yaml

from tests.collection.static import pwsh_check
from tests.collection.static.pwsh_check import Script, check_script

HERE = os.path.dirname(os.path.abspath(__file__))
GOOD_PATH = os.path.join(HERE, "fixtures", "good_module.ps1")
with open(GOOD_PATH, encoding="utf-8") as _handle:
    GOOD = _handle.read()
with open(os.path.join(HERE, "fixtures", "good_module.yml"), encoding="utf-8") as _handle:
    GOOD_DOC = yaml.safe_load(_handle)["DOCUMENTATION"]


def run(source, documentation=None, relpath="plugins/modules/good_module.ps1"):
    script = Script(GOOD_PATH, source.encode("utf-8"), relpath=relpath)
    return check_script(script, documentation=GOOD_DOC if documentation is None else documentation)


def planted(old, new):
    assert old in GOOD, f"the fixture no longer contains {old!r}"
    return GOOD.replace(old, new, 1)


def rules(findings):
    return sorted({finding.rule for finding in findings})


def test_the_fixture_passes_every_check():
    assert run(GOOD) == []


GUARDED_BLOCK = "if ($changed -and -not $module.CheckMode) {\n"
MAIN_FLOW = "$params = $module.Params\n"

DEFECTS = [
    # (id, old, new, rule, words the message must contain)
    ("unclosed brace", "    Set-ItemProperty @properties -Type DWord\n}", "    Set-ItemProperty @properties -Type DWord\n",
     "parse", "cannot parse"),
    ("command alias", "$key = Get-Item -LiteralPath", "$key = gi -LiteralPath", "alias", "'gi' is an alias of Get-Item"),
    ("unknown cmdlet", "Test-Path -LiteralPath", "Test-Item -LiteralPath", "unknown-command", "Test-Item"),
    ("wrong parameter name", "Get-Item -LiteralPath $Path", "Get-Item -LiteralPth $Path", "parameter-unknown",
     "Get-Item has no parameter -LiteralPth"),
    ("abbreviated parameter", "Get-Item -LiteralPath $Path", "Get-Item -Literal $Path", "parameter-abbreviation",
     "-Literal abbreviates -LiteralPath"),
    ("parameter alias", "Remove-ItemProperty -LiteralPath $Path", "Remove-ItemProperty -PSPath $Path",
     "parameter-alias", "-PSPath is an alias of -LiteralPath"),
    ("common parameter alias", "-ErrorAction SilentlyContinue", "-ea SilentlyContinue", "parameter-alias",
     "-ea is an alias of -ErrorAction"),
    ("parameters of two sets", "Get-Item -LiteralPath $Path", "Get-Item -LiteralPath $Path -Path $Path",
     "parameter-set", "no parameter set takes -LiteralPath, -Path together"),
    ("positional argument", "Get-Item -LiteralPath $Path", "Get-Item $Path", "positional",
     "'$Path' is passed by position"),
    ("wrong parameter of a local function", "Get-CurrentValue -Path $params.path", "Get-CurrentValue -Key $params.path",
     "parameter-unknown", "Get-CurrentValue has no parameter -Key"),
    ("wrong key in a splatted hashtable", "$properties.Value = $Data", "$properties.Data = $Data",
     "parameter-unknown", "Set-ItemProperty has no parameter -Data"),
    ("splatting a computed hashtable", "$properties = @{ LiteralPath = $Path; Name = $Name }",
     "$properties = $PSBoundParameters", "splat", "is not a hashtable literal"),
    ("Invoke-Expression", MAIN_FLOW, MAIN_FLOW + "Invoke-Expression -Command $params.name\n", "invoke-expression",
     "runs a string as code"),
    ("iex", MAIN_FLOW, MAIN_FLOW + "iex $params.name\n", "invoke-expression", "runs a string as code"),
    ("[scriptblock]::Create", MAIN_FLOW, MAIN_FLOW + "$block = [scriptblock]::Create($params.name)\n",
     "invoke-expression", "[scriptblock]::Create"),
    ("unknown .NET type", MAIN_FLOW, MAIN_FLOW + "$client = [System.Net.WebClient]::new()\n", "unknown-type",
     "[System.Net.WebClient]"),
    ("unknown type for New-Object", MAIN_FLOW, MAIN_FLOW + "$client = New-Object -TypeName System.Net.WebClient\n",
     "unknown-type", "System.Net.WebClient"),
    ("group by localized name", "Get-LocalGroup -SID $Sid", "Get-LocalGroup -Name 'Remote Desktop Users'",
     "localized-name", "use -SID"),
    ("firewall rule by display group", GUARDED_BLOCK,
     GUARDED_BLOCK + "        Enable-NetFirewallRule -DisplayGroup $params.name\n", "localized-name",
     "Enable-NetFirewallRule -DisplayGroup"),
    ("localized literal", MAIN_FLOW, MAIN_FLOW + "$group = 'Administrators'\n", "localized-name",
     "'Administrators' is a localized name"),
    ("variable hidden by dynamic scope", "    param ([Parameter(Mandatory = $true)][scriptblock]$Reader)\n",
     "    param ([Parameter(Mandatory = $true)][scriptblock]$Reader)\n    $params = @{}\n", "dynamic-scope",
     "reads $params"),
    (".Count on what may be a scalar", "$members = @(Get-CimInstance -ClassName Win32_GroupUser -Filter "
                                       "\"GroupComponent LIKE '%$($group.Name)%'\")",
     "$members = Get-CimInstance -ClassName Win32_GroupUser -Filter \"GroupComponent LIKE '%$($group.Name)%'\"",
     "count-on-scalar", "$members.Count"),
    ("no strict mode", "Set-StrictMode -Version 2.0\n", "", "strict-mode", "Set-StrictMode"),
    ("no ExitJson", "$module.ExitJson()", "", "module-skeleton", "ExitJson"),
    ("spec default differs", "data = @{ type = 'int'; default = 0 }", "data = @{ type = 'int'; default = 1 }",
     "spec-doc", "option data: default is 1 in $spec but 0 in the documentation"),
    ("spec choices differ", "choices = @('present', 'absent')", "choices = @('present', 'absent', 'query')",
     "spec-doc", "option state: choices"),
    ("option missing from spec", "        members = @{ type = 'list'; elements = 'str'; default = @('S-1-5-32-555') }\n",
     "", "spec-doc", "option members is documented but not in $spec"),
    ("spec required differs", "name = @{ type = 'str'; required = $true }", "name = @{ type = 'str' }", "spec-doc",
     "option name: required is False in $spec but True"),
    ("spec type differs", "data = @{ type = 'int'", "data = @{ type = 'str'", "spec-doc",
     "option data: type is 'str' in $spec but 'int'"),
    ("spec elements differ", "elements = 'str'", "elements = 'int'", "spec-doc", "option members: elements is 'int'"),
    ("check mode claimed but not declared", "supports_check_mode = $true", "supports_check_mode = $false",
     "check-mode-claim", "supports_check_mode = False"),
    ("guard of the wrong polarity", "if ($changed -and -not $module.CheckMode)", "if ($changed -and $module.CheckMode)",
     "unguarded-write", "Set-Value writes ("),
    ("no guard", "if ($changed -and -not $module.CheckMode)", "if ($changed)", "unguarded-write",
     "Set-Value writes"),
    ("guard in an -or", "if ($changed -and -not $module.CheckMode)", "if ($changed -or -not $module.CheckMode)",
     "unguarded-write", "Set-Value writes"),
    ("no -WhatIf for a ShouldProcess function", "-Name $params.name -WhatIf:$module.CheckMode", "-Name $params.name",
     "unguarded-write", "Remove-Value writes (Remove-ItemProperty"),
    ("-WhatIf that is not check mode", "-WhatIf:$module.CheckMode", "-WhatIf:$changed", "unguarded-write",
     "Remove-Value writes"),
    (".NET registry write", MAIN_FLOW, MAIN_FLOW + "$key = Get-Item -LiteralPath $params.path\n"
                                                   "$key.SetValue($params.name, 1)\n", "unguarded-write", ".SetValue()"),
    ("ADSI member added", MAIN_FLOW, MAIN_FLOW + "$group = [ADSI]$params.path\n$group.psbase.Invoke('Add', $params.name)\n",
     "unguarded-write", ".Invoke('add')"),
    ("secedit /configure", MAIN_FLOW, MAIN_FLOW + "& secedit.exe /configure /db $params.path /cfg $params.name\n",
     "unguarded-write", "secedit.exe /configure"),
    ("changed hard-coded", "$module.Result.changed = $changed", "$module.Result.changed = $true", "changed-hardcoded",
     "whatever the host's state"),
    ("changed never set", "$module.Result.changed = $changed\n", "", "changed-not-reported", "never sets"),
]


@pytest.mark.parametrize("old,new,rule,words", [d[1:] for d in DEFECTS], ids=[d[0] for d in DEFECTS])
def test_a_planted_defect_is_caught_by_its_check(old, new, rule, words):
    findings = run(planted(old, new))
    assert rules(findings) == [rule], "\n".join(map(str, findings))
    assert any(words in finding.message for finding in findings), "\n".join(map(str, findings))


def test_a_diff_claimed_but_never_set_is_caught():
    source = GOOD.replace("    $module.Diff.after = @{ data = $params.data }\n", "")
    source = source.replace("    $module.Diff.after = @{ data = $null }\n", "")
    findings = run(source)
    assert rules(findings) == ["diff-not-reported"]
    assert "$module.Diff.after is never set" in findings[0].message


def test_an_option_documented_but_not_in_the_spec_is_caught_from_the_documentation_side():
    documentation = copy.deepcopy(GOOD_DOC)
    documentation["options"]["force"] = {"description": "x", "type": "bool", "default": False}
    findings = run(GOOD, documentation=documentation)
    assert [f.message for f in findings] == ["option force is documented but not in $spec"]


def test_a_module_without_documentation_is_caught():
    findings = run(GOOD, documentation=False)
    assert "spec-doc" in rules(findings) or "check-mode-claim" in rules(findings)


def test_sub_options_are_compared():
    source = planted("        path = @{ type = 'str'; required = $true }\n",
                     "        path = @{ type = 'str'; required = $true }\n"
                     "        query = @{ type = 'dict'; options = @{ key = @{ type = 'str'; default = 'a' } } }\n")
    documentation = copy.deepcopy(GOOD_DOC)
    documentation["options"]["query"] = {"description": "x", "type": "dict",
                                         "suboptions": {"key": {"description": "k", "type": "str", "default": "b"}}}
    findings = run(source, documentation=documentation)
    assert [f.message for f in findings] == ["option query sub-option key: default is 'a' in $spec but 'b' in the "
                                             "documentation"]


# --- correct forms the checks must accept -------------------------------------------------------------------------
@pytest.mark.parametrize("old,new", [
    pytest.param(GUARDED_BLOCK, "if ($module.CheckMode) {\n        $module.Result.changed = $changed\n"
                                "        $module.ExitJson()\n    }\n    " + GUARDED_BLOCK.replace(
                                    "-and -not $module.CheckMode", ""), id="early exit in check mode"),
    pytest.param("if ($changed -and -not $module.CheckMode)", "if ($changed -and ($module.CheckMode -eq $false))",
                 id="-eq $false"),
    pytest.param("$params = $module.Params\n", "$params = $module.Params\n$checkOnly = $module.CheckMode\n",
                 id="alias variable (unused)"),
    pytest.param("Remove-ItemProperty -LiteralPath $Path -Name $Name",
                 "if ($PSCmdlet.ShouldProcess($Name)) {\n        $key = Get-Item -LiteralPath $Path\n"
                 "        $key.DeleteValue($Name)\n    }", id=".NET write inside ShouldProcess"),
])
def test_correct_guards_pass(old, new):
    assert run(planted(old, new)) == []


def test_a_check_mode_alias_variable_guards_writes():
    source = planted("$params = $module.Params\n", "$params = $module.Params\n$checkOnly = $module.CheckMode\n")
    source = source.replace("if ($changed -and -not $module.CheckMode)", "if ($changed -and -not $checkOnly)")
    assert run(source) == []


def test_a_net_write_in_a_should_process_function_is_not_covered_by_whatif():
    source = planted("Remove-ItemProperty -LiteralPath $Path -Name $Name",
                     "$key = Get-Item -LiteralPath $Path\n    $key.DeleteValue($Name)")
    findings = run(source)
    assert rules(findings) == ["unguarded-write"]
    assert "Remove-Value writes (.DeleteValue()" in findings[0].message


def test_writes_in_a_function_called_from_an_unguarded_function_are_traced_to_the_top():
    source = planted("Function Invoke-Reader {", "Function Update-All {\n    Set-Value -Path 'HKLM:\\x' -Name 'y' "
                                                 "-Data 1\n}\n\nFunction Invoke-Reader {")
    source = source.replace(MAIN_FLOW, MAIN_FLOW + "Update-All\n")
    findings = run(source)
    assert rules(findings) == ["unguarded-write"]
    assert "Update-All writes (Set-Value -> " in findings[0].message


def test_a_read_only_module_needs_no_changed():
    source = "\n".join(line for line in GOOD.splitlines() if "Set-Value -Path" not in line and
                       "Remove-Value -Path" not in line and "$module.Result.changed" not in line)
    source = source.replace("Function Set-Value {", "Function Unused-Set {").replace("Function Remove-Value {",
                                                                                     "Function Unused-Remove {")
    findings = run(source)
    # the functions still write but are never called: nothing can run in check mode; changed is still expected
    assert rules(findings) == ["changed-not-reported"]


# --- snippets (module_utils files: only the file-level checks) ----------------------------------------------------
def snippet(source):
    return run(source, relpath="plugins/module_utils/Snippet.psm1")


@pytest.mark.parametrize("source,rule", [
    ("Get-ChildItem -LiteralPath 'C:\\' | % { $_.Name }", "alias"),
    ("Get-ChildItem -LiteralPath 'C:\\' | Where-Object { $_.Name }", "positional"),
    ("Get-NetFirewallPortFilter -PolicyStore ActiveStore | Where-Object -FilterScript { $_.LocalPort -contains '3389' }",
     "port-filter-match"),
    ("Get-NetFirewallRule -PolicyStore ActiveStore -DisplayName 'x'", "localized-name"),
    ("$x = \"BUILTIN\\Remote Desktop Users\"", "localized-name"),
    (". $script", "dot-source"),
    ("& \"$env:SystemRoot\\System32\\netsh.exe\" advfirewall show", "unknown-command"),
    ("Function Get-A {\n    param ($Name)\n    & $Name\n}\nforeach ($name in @(1)) { Get-A -Name { $name } }",
     "dynamic-scope"),
    ("Function Get-A {\n    @(1, 2)\n}\n$a = Get-A\n$a.Count", "count-on-scalar"),
    ("$d = New-Object -TypeName 'System.Collections.Generic.Dictionary[string,System.Net.WebClient]'", "unknown-type"),
    ("$filter = @{ DisplayGroup = 'x'; PolicyStore = 'ActiveStore' }\nGet-NetFirewallRule @filter", "localized-name"),
])
def test_file_level_checks_on_snippets(source, rule):
    assert rules(snippet(source)) == [rule]


@pytest.mark.parametrize("source", [
    "Get-ChildItem -LiteralPath 'Cert:\\LocalMachine\\Remote Desktop' -ErrorAction SilentlyContinue",
    "$sid = [System.Security.Principal.SecurityIdentifier]'S-1-5-32-555'",
    "$list = [System.Collections.Generic.List[object]]@()\n$list.Count",
    "Function Get-A {\n    param ([string[]]$Names)\n    $Names.Count\n}",
    "$text = ConvertTo-Thing -Value $_.Trim()\nFunction ConvertTo-Thing {\n    param ($Value)\n    $Value\n}",
    "& \"$env:SystemRoot\\System32\\secedit.exe\" /export /cfg $file /areas USER_RIGHTS",
    "Export-ModuleMember -Function Get-A",
    "Function Get-A {\n    if ($true) {\n        return , @()\n    }\n    , @(1, 2)\n}\n$a = Get-A\n$a.Count",
    "$d = New-Object -TypeName 'System.Collections.Generic.Dictionary[string,System.Collections.Generic.HashSet[string]]'",
])
def test_file_level_checks_accept_correct_code(source):
    assert snippet(source) == []


def test_hex_literals_are_read_as_powershell_reads_them():
    from tests.collection.static import pwsh_ast  # pylint: disable=import-outside-toplevel
    tree = pwsh_ast.parse(b"$a = 0xFFFFFFFF\n$b = 0xFFFFFFFFL\n$c = 1KB")
    values = [pwsh_ast.literal_value(value) for name in "abc" for _unused, value in pwsh_ast.assignments(tree.root_node, name)]
    assert values == [-1, 0xFFFFFFFF, 1024]


def test_discovery_finds_every_powershell_file_of_the_collection(tmp_path):
    for relative in ("plugins/modules/a.ps1", "plugins/module_utils/B.psm1", "roles/r/files/c.ps1", "tests/x.ps1"):
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("")
    found = [os.path.relpath(p, tmp_path) for p in pwsh_check.discover(str(tmp_path))]
    assert found == ["plugins/module_utils/B.psm1", "plugins/modules/a.ps1", "roles/r/files/c.ps1"]


def test_functions_imported_from_module_utils_count_as_defined(tmp_path):
    utils = tmp_path / "plugins" / "module_utils"
    modules = tmp_path / "plugins" / "modules"
    utils.mkdir(parents=True)
    modules.mkdir(parents=True)
    (utils / "RdpState.psm1").write_text("Function Get-RdpThing {\n    param ([string]$Name)\n    $Name\n}\n"
                                         "Export-ModuleMember -Function Get-RdpThing\n")
    source = b"#AnsibleRequires -PowerShell ..module_utils.RdpState\nGet-RdpThing -Name 'x'\nGet-RdpThing -Nam 'x'\n"
    script = Script(str(modules / "m.ps1"), source, relpath="plugins/modules/m.psm1")
    findings = pwsh_check.check_commands(script, pwsh_check.Tables.load())
    assert [f.rule for f in findings] == ["parameter-abbreviation"]
