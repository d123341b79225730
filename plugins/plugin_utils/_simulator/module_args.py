# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How a Windows module checks its arguments, so that a twin accepts and rejects exactly what the module does,
with the same messages.

Two styles exist (ansible-core 2.19):
- Ansible.Basic (``#AnsibleRequires -CSharpUtil Ansible.Basic``), ported from ``AnsibleModule.CheckArguments``
  in ``module_utils/csharp/Ansible.Basic.cs``: option names are matched case-insensitively and unknown ones
  are rejected; a module without check mode support is skipped in check mode; then required options and
  defaults, type conversion, choices (case-insensitive), list elements and sub-options, in that order.
- Legacy (``#Requires -Module Ansible.ModuleUtils.Legacy``), ported from ``Get-AnsibleParam``: each option is
  read on its own; unknown options are ignored, invalid ints become null rather than failing.

Not reproduced: .NET's ordering of a Hashtable (the supported-parameters list follows the documentation's
order), environment variable expansion for ``path``, and account lookup for ``sid`` (kept as text).
"""

from __future__ import annotations

import copy

BOOLEANS_TRUE = ["y", "yes", "on", "1", "true", "t", "1.0"]
BOOLEANS_FALSE = ["n", "no", "off", "0", "false", "f", "0.0"]
PASS_VARS = ["check_mode", "debug", "diff", "keep_remote_files", "ignore_unknown_opts", "module_name", "no_log",
             "remote_tmp", "selinux_special_fs", "shell_executable", "socket", "syslog_facility", "target_log_info",
             "tracebacks_for", "tmpdir", "verbosity", "version"]
INVOCATION_ERROR = "Exception has been thrown by the target of an invocation."
FORMAT_ERROR = "Input string was not in a correct format."


class InvalidArguments(Exception):
    """The module called FailJson while checking its arguments."""


class CheckModeUnsupported(Exception):
    """The module exits with ``skipped`` because it does not support check mode."""


def dotnet_type(value):
    """The .NET type a JSON value has once Ansible.Basic has read it."""
    if isinstance(value, bool):
        return "System.Boolean"
    if isinstance(value, int):
        return "System.Int32" if -2 ** 31 <= value < 2 ** 31 else "System.Int64"
    if isinstance(value, float):
        return "System.Decimal"
    if isinstance(value, str):
        return "System.String"
    if isinstance(value, list):
        return "System.Collections.ArrayList"
    if isinstance(value, dict):
        return "System.Collections.Generic.Dictionary`2[System.String,System.Object]"
    return "System.Object"


def dotnet_str(value):
    """``value.ToString()`` in .NET."""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, (list, dict)):
        return dotnet_type(value)
    return str(value)


# --- Ansible.Basic type converters (ParseBool, ParseInt, ...) -------------------------------------------------------
def parse_bool(value):
    if isinstance(value, bool):
        return value
    text = dotnet_str(value).lower().strip()
    if text in BOOLEANS_TRUE:
        return True
    if text in BOOLEANS_FALSE:
        return False
    raise ValueError(f"The value '{text}' is not a valid boolean. Valid booleans include: "
                     f"{', '.join(BOOLEANS_TRUE + BOOLEANS_FALSE)}")


def parse_int(value):
    if isinstance(value, int) and not isinstance(value, bool):
        if not -2 ** 31 <= value < 2 ** 31:
            raise ValueError("Value was either too large or too small for an Int32.")
        return value
    text = dotnet_str(value).strip()
    if not text.lstrip("+-").isdigit():
        raise ValueError(FORMAT_ERROR)
    number = int(text)
    if not -2 ** 31 <= number < 2 ** 31:
        raise ValueError("Value was either too large or too small for an Int32.")
    return number


def parse_float(value):
    try:
        return float(dotnet_str(value))
    except ValueError as error:
        raise ValueError(FORMAT_ERROR) from error


def parse_list(value):
    if isinstance(value, list):
        return value
    if isinstance(value, str):
        return [part.strip() for part in value.split(",")]
    if isinstance(value, int) and not isinstance(value, bool):
        return [value]
    raise ValueError(f"{dotnet_type(value)} cannot be converted to a list")


def parse_dict(value):
    if isinstance(value, dict):
        return dict(value)
    if isinstance(value, str):
        import json  # pylint: disable=import-outside-toplevel
        if value.startswith("{") and value.endswith("}"):
            return json.loads(value)
        if "=" in value:
            fields = [field for field in value.replace(",", " ").split(" ") if field]
            return {key: (rest[0] if rest else None) for key, *rest in (field.split("=", 1) for field in fields)}
        raise ValueError("string cannot be converted to a dict, must either be a JSON string or in the key=value form")
    raise ValueError(f"{dotnet_type(value)} cannot be converted to a dict")


def parse_json(value):
    import json  # pylint: disable=import-outside-toplevel
    if isinstance(value, dict):
        return json.dumps(value)
    if isinstance(value, str):
        return value
    raise ValueError(f"{dotnet_type(value)} cannot be converted to json")


def parse_path(value):
    text = dotnet_str(value)
    if any(char in text for char in '"<>|') or any(ord(char) < 32 for char in text):
        raise ValueError("string value contains invalid path characters, cannot convert to path")
    return text


CONVERTERS = {"bool": parse_bool, "dict": parse_dict, "float": parse_float, "int": parse_int, "json": parse_json,
              "list": parse_list, "path": parse_path, "raw": lambda v: v, "sid": dotnet_str, "str": dotnet_str}


# --- Ansible.Basic ---------------------------------------------------------------------------------------------------
class BasicChecker:
    def __init__(self, module_name, supports_check_mode=True):
        self.module_name = module_name
        self.supports_check_mode = supports_check_mode
        self.context = []

    def _context(self, message):
        return f"{message} found in {' -> '.join(self.context)}" if self.context else message

    def check(self, options, args):
        params = dict(args)
        check_mode = parse_bool(params.get("_ansible_check_mode", False))
        legal = [f"_ansible_{name}" for name in PASS_VARS] + list(options) + list(_aliases(options))
        self._resolve_aliases(options, params)
        self._check_arguments(options, params, legal, root=True, check_mode=check_mode)
        return {key: value for key, value in params.items() if key in options}

    @staticmethod
    def _resolve_aliases(options, params):
        for name, spec in options.items():
            if spec.get("default") is not None and spec.get("required"):
                raise InvalidArguments(f"internal error: required and default are mutually exclusive for {name}")
            for alias in spec.get("aliases") or ():
                if alias in params:
                    params[name] = params[alias]

    def _check_unsupported(self, params, legal):
        lower = {name.lower(): name for name in legal}
        unsupported = []
        for key in list(params):
            if key in legal:
                continue
            if key.lower() in lower:
                params[lower[key.lower()]] = params.pop(key)  # case-insensitive match: renamed to the spec's case
            else:
                unsupported.append(key)
        for key in [k for k in params if k.startswith("_ansible_")]:
            del params[key]
        if unsupported:
            shown = [name for name in legal if not name.startswith("_ansible_")]
            message = f"Unsupported parameters for ({self.module_name}) module: {', '.join(unsupported)}"
            raise InvalidArguments(f"{self._context(message)}. Supported parameters include: {', '.join(shown)}")

    def _check_arguments(self, options, params, legal, root=False, check_mode=False):
        self._check_unsupported(params, legal)
        if root and check_mode and not self.supports_check_mode:
            raise CheckModeUnsupported(f"remote module ({self.module_name}) does not support check mode")
        missing = []
        for name, spec in options.items():
            if spec.get("default") is not None and name not in params:
                params[name] = copy.deepcopy(spec["default"])
            if spec.get("required") and name not in params:
                missing.append(name)
        if missing:
            raise InvalidArguments(self._context(f"missing required arguments: {', '.join(missing)}"))
        for name, spec in options.items():
            value = params.get(name)
            if value is None:
                continue
            kind = spec.get("type", "str")
            try:
                value = CONVERTERS[kind](value)
            except ValueError as error:
                raise InvalidArguments(self._context(
                    f"argument for {name} is of type {dotnet_type(value)} and we were unable to convert to {kind}: "
                    f"{error}")) from error
            params[name] = value
            choices = [dotnet_str(choice) for choice in spec.get("choices") or ()]
            if choices:
                values = [dotnet_str(v) for v in value] if kind == "list" else [dotnet_str(value)]
                wanted = {choice.lower() for choice in choices}
                no_match = [v for v in values if v.lower() not in wanted]
                if no_match:
                    how = "one or more of" if kind == "list" else "one of"
                    raise InvalidArguments(self._context(
                        f"value of {name} must be {how}: {', '.join(choices)}. Got no match for: {', '.join(no_match)}"))
        for name, spec in options.items():
            params.setdefault(name, None)
            self._check_sub_option(params, name, spec)

    def _check_sub_option(self, params, name, spec):
        kind, elements, value = spec.get("type", "str"), spec.get("elements"), params[name]
        if not (kind == "dict" or (kind == "list" and elements)):
            return
        if kind == "list":
            if value is None:
                return
            converted = []
            for element in value:
                if elements == "dict":
                    converted.append(self._sub_spec(spec, element, name))
                    continue
                try:
                    converted.append(CONVERTERS[elements](element))
                except ValueError as error:
                    raise InvalidArguments(self._context(
                        f"argument for list entry {name} is of type {dotnet_type(element)} and we were unable to "
                        f"convert to {elements}: {INVOCATION_ERROR}")) from error
            params[name] = converted
        else:
            params[name] = self._sub_spec(spec, value, name)

    def _sub_spec(self, spec, value, context):
        options = spec.get("options") or {}
        if spec.get("apply_defaults") and options and value is None:
            value = {}
        elif not options or value is None:
            return value
        self.context.append(context)
        try:
            params = parse_dict(value)
        except ValueError as error:
            raise InvalidArguments(str(error)) from error
        self._resolve_aliases(options, params)
        self._check_arguments(options, params, list(options) + list(_aliases(options)))
        self.context.pop()
        return {key: val for key, val in params.items() if key in options}


def _aliases(options):
    for spec in options.values():
        yield from spec.get("aliases") or ()


# --- Legacy (Get-AnsibleParam) -----------------------------------------------------------------------------------------
def check_legacy(options, args, supports_check_mode=True):
    """Ansible.ModuleUtils.Legacy: each documented option read by Get-AnsibleParam; unknown options ignored."""
    lower = {key.lower(): key for key in args}
    if parse_bool(args.get("_ansible_check_mode", False)) and not supports_check_mode:
        raise CheckModeUnsupported("remote module does not support check mode")
    params = {}
    for name, spec in options.items():
        found = next((lower[key.lower()] for key in [name] + list(spec.get("aliases") or ()) if key.lower() in lower),
                     None)
        value = args[found] if found is not None else None
        if found is None:
            if spec.get("required"):
                raise InvalidArguments(f"Get-AnsibleParam: Missing required argument: {name}")
            value = copy.deepcopy(spec.get("default"))
        elif spec.get("choices") and not any(dotnet_str(value).lower() == dotnet_str(c).lower()
                                             for c in spec["choices"]):
            raise InvalidArguments(f"Get-AnsibleParam: Argument {found} needs to be one of "
                                   f"{','.join(dotnet_str(c) for c in spec['choices'])} but was {dotnet_str(value)}.")
        params[name] = None if value is None else _legacy_convert(found or name, value, spec.get("type", "str"))
    return params


def _legacy_convert(name, value, kind):
    if kind == "str":
        return dotnet_str(value)
    if kind == "bool":
        return (isinstance(value, bool) and value) or dotnet_str(value).lower() in ("yes", "on", "1", "true")
    if kind == "int":
        try:
            return parse_int(value)
        except ValueError:
            return None  # -as [int] gives $null
    if kind == "list":
        try:
            return parse_list(value)
        except ValueError as error:
            raise InvalidArguments(f"Get-AnsibleParam: Parameter '{name}' is not a YAML list.") from error
    return value
