# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Map action options to the rdp_* variables they mirror, so validation names what the user set."""

from __future__ import annotations

from .._compliance.desired_state import DEFAULTS

# Every desired-state variable is also an option of the audit and remediate actions, without the prefix.
DESIRED_OPTIONS = tuple(name[len("rdp_"):] for name in DEFAULTS)
# null is meaningful for these ("do not manage"); for the others null means "use the default".
NULLABLE_OPTIONS = ("qos_dscp", "max_outstanding_connections", "keep_alive_interval")


def desired_variables(args: dict) -> dict:
    """Option ``port`` -> variable ``rdp_port``; options not given keep their documented defaults."""
    return {f"rdp_{name}": args[name] for name in DESIRED_OPTIONS
            if name in args and (args[name] is not None or name in NULLABLE_OPTIONS)}


def unknown_options(args: dict, extra=()) -> list:
    allowed = set(DESIRED_OPTIONS) | set(extra)
    return sorted(key for key in args if key not in allowed and not key.startswith("_"))


def missing_variables(args: dict, options) -> list:
    """The rdp_* variables that stand in for ``options`` not given in ``args`` (``port`` -> ``rdp_port``)."""
    return [f"rdp_{name}" for name in options if name not in args]


def with_host_variables(args: dict, host_variables: dict) -> dict:
    """Options given win; an option not given takes the host's variable of the same name (rdp_port -> port)."""
    merged = {name[len("rdp_"):]: value for name, value in host_variables.items()}
    merged.update(args)
    return merged


def unsupported(module: str, args: dict, extra=(), consequence: str = ""):
    """The failed result for options ``module`` does not have (Ansible.Basic's wording), or None."""
    unknown = unknown_options(args, extra)
    if not unknown:
        return None
    return {"failed": True, "msg": f"Unsupported parameters for ({module}): {', '.join(unknown)}"
                                   + (f"; {consequence}" if consequence else "")}


def refused(problems, consequence: str = "nothing was read or changed") -> dict:
    """The failed result for input refused before the host is touched, naming every problem."""
    problems = list(problems)
    return {"failed": True, "msg": f"Invalid input, {consequence}: {'; '.join(problems)}", "problems": problems}
