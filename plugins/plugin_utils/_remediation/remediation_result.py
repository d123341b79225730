# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Turn a remediation run (the plan, what each step did, the evaluations before and after) into the
per-control outcomes, the host status and the lines printed for a person. Pure Python.

Outcomes: ``fixed``, ``already_compliant``, ``waived``, ``skipped`` (why), ``managed_by_policy``,
``restart_pending``, ``failed`` (why); in check mode ``would_fix`` instead of ``fixed``; ``unknown`` for the
controls of a step whose connection was lost while it ran.
"""

from __future__ import annotations

OUTCOMES = ("fixed", "would_fix", "already_compliant", "waived", "skipped", "managed_by_policy",
            "restart_pending", "failed", "unknown")
# Host statuses, most serious first: the first that applies wins.
HOST_STATUSES = ("unreachable", "failed", "managed_by_policy", "incomplete", "restart_pending", "would_change",
                 "compliant")
STEP_STATUSES = ("changed", "ok", "failed", "not_attempted", "unknown")


def _outcome(outcome, why=None, **extra):
    entry = {"outcome": outcome, "why": why}
    entry.update(extra)
    return entry


def _unevaluated(before):
    status = before["status"]
    if status == "pass":
        return _outcome("already_compliant")
    if status == "waived":
        return _outcome("waived", before.get("reason"))
    if status == "not_applicable":
        return _outcome("skipped", f"not applicable: {before.get('reason')}", not_applicable=True)
    return _outcome("skipped", f"could not be evaluated: {before.get('reason')}")


def _step_problem(step, record, stopped_at):
    if record["status"] == "failed":
        return _outcome("failed", f"step {step.index} ({step.module}) failed: {record.get('msg')}", step=step.index)
    if record["status"] == "unknown":
        return _outcome("unknown", f"the connection was lost while step {step.index} ({step.module}) ran; whether it "
                                   f"changed the host is unknown", step=step.index)
    if record["status"] == "not_attempted":
        return _outcome("skipped", f"not attempted: the run stopped at step {stopped_at}", step=step.index)
    return None


def control_outcome(before, after, plan, records, check_mode):
    """The outcome of one control. ``after`` is its evaluation after the run (None in check mode or when the
    verify read did not happen); ``records`` maps step index -> what the step did."""
    if before["status"] != "fail":
        return _unevaluated(before)
    cid = before["id"]
    disposition = plan.dispositions.get(cid)
    if disposition and disposition.outcome == "managed_by_policy":
        return _outcome("managed_by_policy", disposition.why, policy=disposition.policy)
    if disposition and disposition.outcome == "skipped":
        return _outcome("skipped", disposition.why)
    step = plan.step_of(cid)
    why = step.whys.get(cid, step.why) if step and not disposition else (disposition.why if disposition else None)
    pending = cid in plan.restart_pending
    if step is not None:
        stopped_at = next((r["index"] for r in records.values() if r["status"] in ("failed", "unknown")), None)
        problem = _step_problem(step, records[step.index], stopped_at)
        if problem:
            return problem
        if records[step.index]["status"] == "ok" and step.phase != "restart":
            if check_mode or after is None or after["status"] != "pass":
                return _outcome("failed", f"step {step.index} ({step.module}) reported nothing to change, but the "
                                          f"control fails", step=step.index)
    index = step.index if step else None
    if check_mode:
        return _outcome("restart_pending" if pending else "would_fix", why, step=index)
    if after is None:
        if pending:
            return _outcome("restart_pending", why, step=index)
        return _outcome("unknown", "the host was not read again after the changes", step=index)
    if after["status"] == "pass":
        return _outcome("restart_pending" if pending else "fixed", why, step=index)
    if pending:
        return _outcome("restart_pending", f"{why}; takes effect when TermService restarts", step=index)
    detail = after.get("reason") or (f"expected {after.get('expected')}, actual {after.get('actual')} "
                                     f"(from {after.get('source')})")
    return _outcome("failed", f"still fails after its change: {detail}", step=index)


def host_status(outcomes, records, unreachable, check_mode):
    present = {entry["outcome"] for entry in outcomes}
    incomplete = any(e["outcome"] == "skipped" and not e.get("not_applicable") for e in outcomes)
    changes = any(r["status"] == "changed" for r in records.values())
    applies = {
        "unreachable": unreachable,
        "failed": "failed" in present or any(r["status"] == "failed" for r in records.values()),
        "managed_by_policy": "managed_by_policy" in present,
        "incomplete": incomplete or "unknown" in present,
        "restart_pending": "restart_pending" in present,
        "would_change": check_mode and changes,
        "compliant": True,
    }
    return next(status for status in HOST_STATUSES if applies[status])


def count(outcomes):
    counts = {outcome: 0 for outcome in OUTCOMES}
    for entry in outcomes:
        counts[entry["outcome"]] += 1
    return counts


def summary_lines(hostname, result):
    """Readable lines: the host status, then each control that needed attention and what became of it."""
    counts = ", ".join(f"{n} {name}" for name, n in result["counts"].items() if n)
    lines = [f"{hostname}: {result['status'].upper()} ({counts})"]
    for control in result["controls"]:
        if control["outcome"] in ("already_compliant",) or control.get("not_applicable"):
            continue
        lines.append(f"  {control['outcome']:<17} {control['id']}" + (f": {control['why']}" if control["why"] else ""))
    if result.get("restart", {}).get("pending"):
        lines.append(f"  restart pending: TermService must restart for {', '.join(result['restart']['pending'])} "
                     f"(set rdp_restart_service to true to let remediation do it; it disconnects RDP users)")
    if result.get("not_attempted"):
        lines.append(f"  steps not attempted: {', '.join(map(str, result['not_attempted']))}")
    if not result.get("changed") and result["status"] == "compliant":
        lines.append("  nothing to change")
    return lines


def report_entry(before, after, controls, remediation, message):
    """This host's entry for the remediation report (rdp.windows.report): the audit of the host as it is now
    (the verify read, or the first read when nothing was read again) with each control's outcome."""
    audit = after or before
    outcomes = {control["id"]: control for control in controls}
    entry_controls = []
    for control in audit["controls"]:
        merged = dict(control)
        merged["outcome"] = outcomes[control["id"]]["outcome"]
        merged["why"] = outcomes[control["id"]]["why"]
        entry_controls.append(merged)
    summary = {key: value for key, value in remediation.items() if key != "controls"}
    status = "unreachable" if remediation["status"] == "unreachable" else audit["status"]
    return {"status": status, "message": message, "profile": audit.get("profile"),
            "counts": audit.get("counts"), "os": before.get("os"), "controls": entry_controls,
            "remediation": summary}
