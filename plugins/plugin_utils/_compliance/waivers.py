# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Waivers (``rdp_waivers``): accepted exceptions to a control on some hosts, for a limited time.

A waiver is ``{control, hosts, reason, expires, owner}``. ``hosts`` is an inventory host name pattern
(fnmatch, case-sensitive like Ansible host names), a group name, ``all``, or a list of these.
Waivers are validated before a host is read, and applied after evaluation:

- a control that fails (or cannot be read) on a host a waiver in force covers is reported ``waived``,
  with the waiver's reason, owner and expiry; it is never reported ``pass``;
- a waiver is in force up to and including its ``expires`` day (UTC); after that it no longer applies,
  the control keeps its evaluated status and the waiver is flagged ``expired``;
- a waiver covering a control that passes is flagged ``not_needed`` (it can be removed).

Remediation acts on ``fail`` only, so it leaves waived controls alone. Pure Python: no Ansible, no I/O.
"""

from __future__ import annotations

import datetime
import fnmatch
import re
from dataclasses import dataclass

from .desired_state import known_ids_hint
from .evaluate import host_status, summarize
from .input_problems import InputProblems

FIELDS = ("control", "hosts", "reason", "expires", "owner")
WAIVABLE_STATUSES = ("fail", "error")
STATES = ("applied", "expired", "not_needed")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class InvalidWaiver(InputProblems):
    """Raised with every problem found in ``rdp_waivers``, each naming the waiver."""


@dataclass(frozen=True)
class Waiver:
    control: str
    hosts: tuple
    reason: str
    expires: datetime.date
    owner: str

    def covers(self, hostname: str, groups=()) -> bool:
        """Whether the waiver names this host: by pattern on its inventory name, or by one of its groups."""
        groups = set(groups or ())
        return any(pattern == "all" or pattern in groups or fnmatch.fnmatchcase(hostname, pattern)
                   for pattern in self.hosts)

    def in_force(self, today: datetime.date) -> bool:
        return today <= self.expires

    def as_dict(self) -> dict:
        return {"control": self.control, "hosts": list(self.hosts), "reason": self.reason,
                "owner": self.owner, "expires": self.expires.isoformat()}


def today_utc() -> datetime.date:
    return datetime.datetime.now(datetime.timezone.utc).date()


def _label(index, item):
    """How a problem names the waiver: its position and, when readable, its control and owner."""
    label = f"rdp_waivers[{index}]"
    if isinstance(item, dict):
        known = [f"{key} {item[key]!r}" for key in ("control", "owner") if isinstance(item.get(key), str)]
        if known:
            label += f" ({', '.join(known)})"
    return label


def _parse_date(value):
    """A date from YAML (unquoted dates arrive as datetime.date) or from a 'YYYY-MM-DD' string."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and _DATE_RE.match(value.strip()):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _text(value):
    return value.strip() if isinstance(value, str) and value.strip() else None


def _host_patterns(value):
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, (list, tuple)) or not items:
        return None
    patterns = tuple(_text(item) for item in items)
    return None if None in patterns else patterns


def _one(index, item, known_controls, problems):
    label = _label(index, item)
    if not isinstance(item, dict):
        problems.append(f"{label} must be a dict with the keys {', '.join(FIELDS)}, got {item!r}")
        return None
    found = len(problems)
    unknown = sorted(str(key) for key in item if key not in FIELDS)
    if unknown:
        problems.append(f"{label}: unknown key(s) {', '.join(unknown)}; a waiver has {', '.join(FIELDS)}")
    control = _text(item.get("control"))
    if control is None:
        problems.append(f"{label}: control is missing; give the id of the waived control")
    elif known_controls is not None and control not in known_controls:
        problems.append(f"{label}: control {control!r} is not a control id of the catalogue; "
                        f"{known_ids_hint([control], known_controls)}")
    hosts = _host_patterns(item.get("hosts"))
    if hosts is None:
        problems.append(f"{label}: hosts must be a host name pattern, a group name, 'all', or a non-empty list "
                        f"of these, got {item.get('hosts')!r}")
    expires = _parse_date(item.get("expires"))
    if expires is None:
        what = "is missing" if item.get("expires") is None else f"{item.get('expires')!r} is not a date"
        problems.append(f"{label}: expires {what}; write it as YYYY-MM-DD (the last day the waiver applies)")
    reason = _text(item.get("reason"))
    if reason is None:
        problems.append(f"{label}: reason is missing; say why the control is waived")
    owner = _text(item.get("owner"))
    if owner is None:
        problems.append(f"{label}: owner is missing; name who accepted the risk")
    if len(problems) > found:
        return None
    return Waiver(control=control, hosts=hosts, reason=reason, expires=expires, owner=owner)


def validate(items, known_controls=None):
    """``rdp_waivers`` -> list of Waiver; raises InvalidWaiver naming every bad waiver."""
    if items is None:
        return []
    if not isinstance(items, (list, tuple)):
        raise InvalidWaiver([f"rdp_waivers must be a list of waivers, got {items!r}"])
    problems: list = []
    waivers = [_one(index, item, known_controls, problems) for index, item in enumerate(items)]
    if problems:
        raise InvalidWaiver(problems)
    return waivers


def _choose(candidates, today):
    """The waiver that speaks for a control: the in-force one lasting longest, else the last to expire."""
    in_force = [waiver for waiver in candidates if waiver.in_force(today)]
    return max(in_force or candidates, key=lambda waiver: waiver.expires)


def _apply_to_control(control, waiver, today):
    control = dict(control)
    record = waiver.as_dict()
    if not waiver.in_force(today):
        record["state"] = "expired"
    elif control.get("status") in WAIVABLE_STATUSES:
        record["state"] = "applied"
        record["original_status"] = control["status"]
        control["status"] = "waived"
    else:
        record["state"] = "not_needed"
    control["waiver"] = record
    return control


def apply(audit, waivers, hostname, groups=(), today=None):
    """The audit of one host with the waivers that cover it applied (a new dict; ``audit`` is unchanged)."""
    today = today or today_utc()
    mine = [waiver for waiver in waivers if waiver.covers(hostname, groups)]
    if not mine:
        return audit
    controls = []
    for control in audit.get("controls") or ():
        candidates = [waiver for waiver in mine if waiver.control == control.get("id")]
        controls.append(_apply_to_control(control, _choose(candidates, today), today) if candidates else control)
    result = dict(audit, controls=controls, counts=summarize(controls), status=host_status(controls))
    return result


def expired(audit):
    """The expired waivers recorded on a host's controls (to warn about them)."""
    return [dict(control["waiver"], control=control["id"]) for control in audit.get("controls") or ()
            if (control.get("waiver") or {}).get("state") == "expired"]


def fleet_waivers(hosts):
    """Every waiver that met a host of the report, with the hosts it applied to, expired on, or was not needed on.

    ``hosts`` is the report's host name -> entry mapping; the result is sorted and deterministic, so sliced
    reports merge into the same list as one run.
    """
    merged = {}
    for name in sorted(hosts):
        for control in hosts[name].get("controls") or ():
            record = control.get("waiver")
            if not record:
                continue
            key = (record.get("control") or control.get("id"), tuple(record.get("hosts") or ()),
                   record.get("reason"), record.get("owner"), record.get("expires"))
            entry = merged.setdefault(key, {
                "control": key[0], "hosts": list(key[1]), "reason": key[2], "owner": key[3], "expires": key[4],
                "state": "expired" if record.get("state") == "expired" else "in_force",
                "applied_to": [], "not_needed_on": [], "expired_on": [],
            })
            bucket = {"applied": "applied_to", "not_needed": "not_needed_on"}.get(record.get("state"), "expired_on")
            entry[bucket].append(name)
    return [merged[key] for key in sorted(merged, key=lambda k: (k[4] or "", k[0] or "", k[1], k[3] or ""))]
