# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Merge the fleet reports of sliced runs (AWX job slicing, or several --limit runs) into one report.

The hosts of all reports are put together and the summary and waivers are computed again, so the merge of
the slices of a run is the report one unsliced run would have written (except ``generated_at``, which is
the newest of the slices'). A host found in more than one report keeps its newest entry. With ``max_age``,
reports generated longer than that before the newest one (yesterday's slices left in a shared directory) are
left out. Pure Python.
"""

from __future__ import annotations

import datetime

from . import fleet_report


class MergeError(ValueError):
    pass


def _moment(report, origin):
    text = str(report.get("generated_at") or "")
    try:
        moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as error:
        raise MergeError(f"{origin}: generated_at {text!r} is not an ISO 8601 time") from error
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.timezone.utc)


def _check(origin, report):
    if not isinstance(report, dict) or not isinstance(report.get("hosts"), dict):
        raise MergeError(f"{origin}: not an rdp-compliance report (no hosts)")
    if report.get("schema_version") != fleet_report.SCHEMA_VERSION:
        raise MergeError(f"{origin}: schema_version {report.get('schema_version')!r}, this collection reads "
                         f"{fleet_report.SCHEMA_VERSION}")
    return _moment(report, origin)


def merge(reports, max_age=None):
    """``reports``: (origin, report dict) pairs; ``max_age``: a datetime.timedelta or None.

    Returns (merged report, hosts found in more than one report -> origins, origins left out as too old).
    """
    if not reports:
        raise MergeError("no report to merge")
    moments = [_check(origin, report) for origin, report in reports]
    newest = max(moments)
    too_old = [origin for (origin, _unused), moment in zip(reports, moments)
               if max_age is not None and moment < newest - max_age]
    chosen = {}
    seen = {}
    for (origin, report), moment in zip(reports, moments):
        if origin in too_old:
            continue
        for name, entry in report["hosts"].items():
            seen.setdefault(name, []).append(origin)
            if name not in chosen or moment > chosen[name][0]:
                chosen[name] = (moment, entry)
    hosts = {name: entry for name, (_unused, entry) in chosen.items()}
    merged = fleet_report.assemble(hosts, newest.isoformat())
    duplicates = {name: origins for name, origins in sorted(seen.items()) if len(origins) > 1}
    return merged, duplicates, too_old
