# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Plan the remediation of a host: from the desired state, the host facts and their evaluation, the ordered
module calls that fix the FAILING controls, and what happens to the failing controls that get no call.

Only controls with status ``fail`` are planned; ``pass``, ``waived``, ``error`` and ``not_applicable`` never
are. The step of a control is derived from the kind of Windows object it reads (``windows_objects``), so a
new control of an existing kind needs nothing here.

Decisions (docs/remediation.md explains them):

- Group Policy. A registry setting whose effective value comes from the policy location and has a local
  twin is never written locally (the policy would still win, and the next refresh re-applies it); it is
  ``managed_by_policy``. With ``rdp_write_policy_keys`` on a host that is not domain-joined the policy key
  itself is written. Settings that exist only as policy are written to the policy location when the value
  is absent or the host is not domain-joined; a value present on a domain-joined host comes from a domain
  GPO and is ``managed_by_policy``. Firewall rules, user rights and QoS policies set by Group Policy are
  ``managed_by_policy`` too.
- Order. Firewall first (a new port is opened before the listener moves), then registry values, service
  start modes, service states (dependencies first), accounts and rights, QoS, and last one TermService
  restart if a change needs it, TermService is not started by the plan anyway, and ``rdp_restart_service``
  allows it; otherwise the restart is pending.
- WinRM is never touched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .._compliance import catalogue
from .._compliance.evaluate import REG_TYPES, normalize_address, rules_opening
from .._compliance.expectations import SetContains, SetExcludes, SetIncludesAny
from .._compliance.windows_objects import OWNED_QOS_POLICY, OWNED_RULE_PREFIX, RDP_FIREWALL_GROUP, RDP_TCP

REGEDIT = "ansible.windows.win_regedit"
SERVICE = "ansible.windows.win_service"
GROUP_MEMBERSHIP = "ansible.windows.win_group_membership"
USER_RIGHT = "ansible.windows.win_user_right"
FIREWALL = "rdp.windows.firewall"
QOS = "rdp.windows.qos_policy"

RDP_SERVICE = "TermService"
NEVER_TOUCHED_SERVICES = ("winrm",)
PHASES = ("firewall", "registry", "service_start_mode", "service_state", "accounts", "qos", "restart")
# Failing controls that keep TermService from listening: connections, listener and service settings.
LISTENER_PREREQUISITE_AREAS = ("connections", "listener", "service")
LISTENER_PREREQUISITE_CAUSES = ("configuration", "service")


@dataclass
class Step:
    """One module call. ``merge`` groups steps of one module into one call (e.g. every firewall change)."""

    controls: list
    module: str
    args: dict
    why: str
    phase: str
    restart: bool = False
    before: Any = None
    after: Any = None
    merge: str | None = None
    index: int = 0
    whys: dict = field(default_factory=dict)  # control id -> why, kept apart when steps merge

    def __post_init__(self):
        self.whys = self.whys or {cid: self.why for cid in self.controls}

    def as_dict(self):
        return {"index": self.index, "controls": list(self.controls), "module": self.module, "args": self.args,
                "why": self.why, "restart": self.restart, "phase": self.phase}


@dataclass(frozen=True)
class Disposition:
    """What happens to a failing control that gets no step of its own."""

    outcome: str  # managed_by_policy | skipped | resolved_by_steps | restart
    why: str
    policy: dict | None = None


@dataclass
class Plan:
    steps: list = field(default_factory=list)
    dispositions: dict = field(default_factory=dict)
    restart_controls: list = field(default_factory=list)
    restart_allowed: bool = False

    @property
    def restart_step(self):
        return next((step for step in self.steps if step.phase == "restart"), None)

    @property
    def restart_pending(self):
        """Controls whose change takes effect only after a TermService restart that this plan withholds."""
        return [] if self.restart_allowed or not self.restart_controls else list(self.restart_controls)

    def step_of(self, control_id):
        return next((step for step in self.steps if control_id in step.controls), None)

    def as_dict(self):
        return {"steps": [step.as_dict() for step in self.steps],
                "dispositions": {cid: {"outcome": d.outcome, "why": d.why, "policy": d.policy}
                                 for cid, d in self.dispositions.items()},
                "restart": {"needed": bool(self.restart_controls), "allowed": self.restart_allowed,
                            "controls": list(self.restart_controls)}}


@dataclass
class Context:
    desired: Any
    facts: dict
    results: dict  # control id -> evaluation result
    user_sids: list

    @property
    def domain_joined(self):
        return bool((self.facts.get("os") or {}).get("domain_joined"))

    @property
    def is_domain_controller(self):
        return bool((self.facts.get("os") or {}).get("is_domain_controller"))

    @property
    def sources(self):
        return ["Any"] if self.desired.sources_any else list(self.desired.allowed_sources)

    def service_state(self, name):
        return ((self.facts.get("services") or {}).get(name) or {}).get("state")


def _managed(why, policy=None):
    return Disposition("managed_by_policy", why, policy)


def _skipped(why):
    return Disposition("skipped", why)


# --- registry ----------------------------------------------------------------------------------------

def _registry_location(control, result, ctx):
    """Where to write, or the Disposition when remediation must not write (see the module docstring)."""
    reads = control.reads
    source = result["source"]
    if source != "policy":
        return reads.local or reads.policy, None
    policy = {"setting": reads.policy_setting, "path": reads.policy.path, "name": reads.policy.name,
              "value": result["actual"]}
    if reads.local is not None:
        if ctx.desired.write_policy_keys and not ctx.domain_joined:
            return reads.policy, None
        why = (f"Group Policy sets {reads.policy.path}\\{reads.policy.name}; change "
               f"'{reads.policy_setting or reads.policy.name}' in the GPO that sets it")
        if ctx.domain_joined:
            why += " (the host is domain-joined)"
        else:
            why += " or set rdp_write_policy_keys to write the policy key on this workgroup host"
        return None, _managed(why, policy)
    if not ctx.domain_joined:
        return reads.policy, None
    return None, _managed(f"a domain GPO sets {reads.policy.path}\\{reads.policy.name}; change "
                          f"'{reads.policy_setting or reads.policy.name}' in that GPO", policy)


def _describe_value(value, value_type):
    if value is None:
        return "absent"
    if isinstance(value, dict) and "wrong_type" in value:
        return f"{value.get('value')!r} ({value['wrong_type']})"
    return f"{value!r} ({REG_TYPES[value_type]})"


def plan_registry(control, result, expectation, ctx):
    location, disposition = _registry_location(control, result, ctx)
    if disposition:
        return disposition
    reads = control.reads
    target = expectation.target
    where = f"{location.path}\\{location.name}"
    before = {where: _describe_value(result["actual"] if result["source"] != "default" else None, reads.value_type)}
    if target is None:
        if result["source"] == "default":
            return _skipped(f"{where} is absent already; nothing to remove")
        args = {"path": location.path, "name": location.name, "state": "absent"}
        why = f"remove {where} so that the Windows default applies"
    else:
        args = {"path": location.path, "name": location.name, "data": target, "type": reads.value_type,
                "state": "present"}
        why = f"set {where} to {target!r} ({REG_TYPES[reads.value_type]})"
        if isinstance(result["actual"], dict) and "wrong_type" in result["actual"]:
            why += f", replacing a {result['actual']['wrong_type']} value"
    if location is reads.policy and reads.local is not None:
        why += " (policy key, rdp_write_policy_keys: a tattoo that a local GPO refresh may revert)"
    return Step([control.id], REGEDIT, args, why, "registry", restart=control.restart_required, before=before,
                after={where: _describe_value(target, reads.value_type)})


# --- services ------------------------------------------------------------------------------------------

_STATE_ACTIONS = {"running": "started", "stopped": "stopped"}


def plan_service(control, result, expectation, ctx):
    reads = control.reads
    if reads.service.lower() in NEVER_TOUCHED_SERVICES:
        return _skipped(f"{reads.service} carries the Ansible connection; remediation never touches it")
    if result["actual"] == "not_installed":
        return _skipped(f"the {reads.service} service is not installed")
    target = expectation.target
    before = {f"{reads.service}.{reads.prop}": result["actual"]}
    after = {f"{reads.service}.{reads.prop}": target}
    if reads.prop == "start_mode":
        return Step([control.id], SERVICE, {"name": reads.service, "start_mode": target},
                    f"set the {reads.service} start mode to {target}", "service_start_mode",
                    before=before, after=after)
    action = _STATE_ACTIONS.get(target)
    if action is None:
        return _skipped(f"no service action reaches state {target!r}")
    return Step([control.id], SERVICE, {"name": reads.service, "state": action},
                f"{'start' if action == 'started' else 'stop'} the {reads.service} service", "service_state",
                before=before, after=after)


# --- firewall ------------------------------------------------------------------------------------------

def _addresses(rule):
    return sorted({normalize_address(a) for a in rule.get("remote_addresses") or ["Any"]})


def _is_policy_rule(rule):
    return str(rule.get("policy_source", "Local")).lower() == "grouppolicy"


def _is_ours_to_scope(rule):
    return rule.get("group") == RDP_FIREWALL_GROUP or str(rule.get("name", "")).startswith(OWNED_RULE_PREFIX)


def plan_firewall_builtin(control, result, expectation, ctx):
    reads = control.reads
    if result["source"] == "policy":
        return _managed(f"Group Policy sets the firewall rule {reads.rule_name}; enable it in that GPO",
                        {"rule": reads.rule_name})
    if not (result["actual"] or {}).get("exists"):
        return _skipped(f"the built-in rule {reads.rule_name} does not exist on this host")
    return Step([control.id], FIREWALL, {"enable_rules": [reads.rule_name], "remote_addresses": ctx.sources},
                f"enable the built-in rule {reads.rule_name}", "firewall", merge="firewall",
                before={reads.rule_name: result["actual"]}, after={reads.rule_name: expectation.target})


def plan_firewall_port(control, result, expectation, ctx):
    actual = result["actual"] or {}
    port, protocol = ctx.desired.port, control.reads.protocol
    if actual.get("blocked_by"):
        blockers = ", ".join(actual["blocked_by"])
        if result["source"] == "policy":
            return _managed(f"block rule(s) {blockers} override every allow rule for {protocol} {port}; "
                            f"they come from Group Policy", {"rules": actual["blocked_by"]})
        return _skipped(f"block rule(s) {blockers} override every allow rule for {protocol} {port}; "
                        f"rdp.windows does not remove rules it does not own")
    return Step([control.id], FIREWALL, {"port": port, "protocols": [protocol], "remote_addresses": ctx.sources},
                f"open {protocol} {port} with a collection-owned inbound rule", "firewall", merge="firewall",
                before={f"{protocol}/{port}": "closed"}, after={f"{protocol}/{port}": "open"})


def plan_firewall_sources(control, result, expectation, ctx):
    wanted = sorted({normalize_address(a) for a in ctx.sources})
    port = ctx.desired.port
    rules = rules_opening(ctx.facts, port, "TCP") + rules_opening(ctx.facts, port, "UDP")
    wrong = [rule for rule in rules if _addresses(rule) != wanted]
    policy = sorted({r["name"] for r in wrong if _is_policy_rule(r)})
    if policy:
        return _managed(f"Group Policy rule(s) {', '.join(policy)} open the RDP port to other addresses; "
                        f"scope them in that GPO", {"rules": policy})
    foreign = sorted({r["name"] for r in wrong if not _is_ours_to_scope(r)})
    if foreign:
        return _skipped(f"rule(s) {', '.join(foreign)} open the RDP port to other addresses and are neither "
                        f"built-in Remote Desktop rules nor owned by rdp.windows; scope or remove them")
    scope = list(dict.fromkeys(r["name"] for r in wrong))
    return Step([control.id], FIREWALL, {"scope_rules": scope, "remote_addresses": ctx.sources},
                f"set the remote addresses of {', '.join(scope)} to {', '.join(ctx.sources)}", "firewall",
                merge="firewall", before={name: result["actual"] for name in scope},
                after={name: wanted for name in scope})


# --- accounts ------------------------------------------------------------------------------------------

def plan_group(control, result, expectation, ctx):
    reads = control.reads
    if ctx.is_domain_controller:
        return _skipped("domain controller: the group is managed in Active Directory")
    group = (ctx.facts.get("groups") or {}).get(reads.sid) or {}
    if not group.get("name"):
        return _skipped(f"host_info reported no name for the group {reads.sid}")
    if not isinstance(expectation, SetContains):
        return _skipped(f"no group remediation for {type(expectation).__name__}")
    actual = set(result["actual"] or ())
    required = list(expectation.required)
    extra = actual - set(required) - set(expectation.allowed_extra)
    # ansible.windows 3.3.0 finds the group by its localized name, members by SID.
    if expectation.exclusive and extra:
        members = required + sorted(actual & set(expectation.allowed_extra))
        args = {"name": group["name"], "members": members, "state": "pure"}
        why = f"make {group['name']} ({reads.sid}) hold exactly {', '.join(members)}"
    else:
        members = [sid for sid in required if sid not in actual]
        args = {"name": group["name"], "members": members, "state": "present"}
        why = f"add {', '.join(members)} to {group['name']} ({reads.sid})"
    after = sorted(members) if args["state"] == "pure" else sorted(actual | set(members))
    return Step([control.id], GROUP_MEMBERSHIP, args, why, "accounts", before={reads.sid: sorted(actual)},
                after={reads.sid: after})


def plan_user_right(control, result, expectation, ctx):
    name = control.reads.name
    if result["source"] == "policy":
        return _managed(f"Group Policy (User Rights Assignment) sets {name}; change it in that GPO",
                        {"right": name})
    actual = list(result["actual"] or ())
    if isinstance(expectation, SetContains):
        if expectation.exclusive:
            users, action = list(expectation.required), "set"
            after = sorted(users)
        else:
            users, action = [sid for sid in expectation.required if sid not in actual], "add"
            after = sorted(set(actual) | set(users))
    elif isinstance(expectation, SetIncludesAny):
        users, action = [expectation.preferred], "add"
        after = sorted(set(actual) | set(users))
    elif isinstance(expectation, SetExcludes):
        users, action = sorted(set(actual) & set(expectation.forbidden)), "remove"
        after = sorted(set(actual) - set(users))
    else:
        return _skipped(f"no user-right remediation for {type(expectation).__name__}")
    verb = {"add": "grant", "remove": "revoke", "set": "set"}[action]
    return Step([control.id], USER_RIGHT, {"name": name, "users": users, "action": action},
                f"{verb} {name} {'to' if action != 'remove' else 'from'} {', '.join(users)}", "accounts",
                before={name: sorted(actual)}, after={name: after})


# --- QoS -----------------------------------------------------------------------------------------------

def _qos_protocol(ctx):
    """TCP, UDP or Both: every protocol a QoS control of the profile wants marked, not only the failing one,
    so that updating the one owned policy never unmarks the other protocol."""
    wanted = []
    for control in catalogue.controls_for(ctx.desired.profile):
        if control.reads.kind == "qos" and control.applies(ctx.desired) is None \
                and control.id not in ctx.desired.controls_skip and control.reads.protocol not in wanted:
            wanted.append(control.reads.protocol)
    return "Both" if len(wanted) > 1 else wanted[0]


def plan_qos(control, result, expectation, ctx):
    actual = result["actual"] or {}
    owner = actual.get("policy")
    if result["source"] == "policy" and owner != OWNED_QOS_POLICY:
        return _managed(f"the Group Policy QoS policy {owner} marks the RDP port with DSCP {actual.get('dscp')}; "
                        f"change it in that GPO", {"qos_policy": owner})
    dscp = ctx.desired.qos_dscp
    why = f"mark RDP traffic (source port {ctx.desired.port}) with DSCP {dscp} in {OWNED_QOS_POLICY}"
    if owner and owner != OWNED_QOS_POLICY:
        why += f"; the policy {owner} (DSCP {actual.get('dscp')}) is not owned by rdp.windows and is left in place"
    args = {"name": OWNED_QOS_POLICY, "state": "present", "port": ctx.desired.port, "protocol": _qos_protocol(ctx),
            "dscp": dscp}
    return Step([control.id], QOS, args, why, "qos", merge="qos",
                before={f"{control.reads.protocol}/{ctx.desired.port}": actual.get("dscp")},
                after={f"{control.reads.protocol}/{ctx.desired.port}": dscp})


# --- the listener ----------------------------------------------------------------------------------------

def _listeners(ctx):
    return ctx.facts.get("listeners") or []


def plan_listener(control, result, expectation, ctx, plan):
    """The live listener has no step: the other steps and, when needed, the final restart resolve it."""
    port = ctx.desired.port
    here = next((entry for entry in _listeners(ctx) if entry.get("port") == port), {})
    if here.get("listening") and here.get("owner") != RDP_SERVICE:
        return _skipped(f"port {port} is held by {here.get('owner')}; free it or choose another rdp_port")
    blockers = [cid for cid, d in plan.dispositions.items() if d.outcome in ("managed_by_policy", "skipped")
                and _is_listener_prerequisite(catalogue.BY_ID[cid])]
    blockers += [cid for cid, r in ctx.results.items() if r["status"] in ("error", "waived")
                 and _is_listener_prerequisite(catalogue.BY_ID[cid])]
    if blockers:
        return _skipped(f"waits on {', '.join(sorted(blockers))}, which this run does not change")
    if _starts_termservice(plan, ctx):
        return Disposition("resolved_by_steps", f"{RDP_SERVICE} starts after the other changes and binds port {port}")
    elsewhere = [entry["port"] for entry in _listeners(ctx)
                 if entry.get("owner") == RDP_SERVICE and entry.get("listening") and entry.get("port") != port]
    if elsewhere:
        return Disposition("restart", f"{RDP_SERVICE} listens on {elsewhere[0]}; it moves to {port} when restarted")
    if ctx.service_state(RDP_SERVICE) != "running":
        return _skipped(f"{RDP_SERVICE} is not running and this run does not start it")
    prerequisites = [step for step in plan.steps
                     if any(_is_listener_prerequisite(catalogue.BY_ID[cid]) for cid in step.controls)]
    if prerequisites:
        ids = sorted({cid for step in prerequisites for cid in step.controls})
        return Disposition("resolved_by_steps", f"TermService listens once {', '.join(ids)} are fixed")
    if _listener_key_missing(ctx):
        return _skipped(f"the listener's configuration ({RDP_TCP}) does not exist, so {RDP_SERVICE} creates no "
                        f"listener and a restart would not either: restore the key (manual)")
    return Disposition("restart", f"{RDP_SERVICE} runs but does not listen on {port}; a restart re-creates the "
                                  f"listener")


def _listener_key_missing(ctx):
    """host_info says, for each registry value read, whether its key exists: RDP-Tcp missing means no listener."""
    entries = [entry for entry in ctx.facts.get("registry") or ()
               if isinstance(entry, dict) and str(entry.get("path", "")).lower() == RDP_TCP.lower()]
    return bool(entries) and all(entry.get("key_exists") is False for entry in entries)


def _is_listener_prerequisite(control):
    return (control.reads.kind != "listener" and control.area in LISTENER_PREREQUISITE_AREAS
            and control.cause in LISTENER_PREREQUISITE_CAUSES)


def _starts_termservice(plan, ctx):
    return ctx.service_state(RDP_SERVICE) != "running" and any(
        step.module == SERVICE and step.args.get("name", "").lower() == RDP_SERVICE.lower()
        and step.args.get("state") == "started" for step in plan.steps)


PLANNERS = {
    "registry": plan_registry,
    "service": plan_service,
    "firewall_builtin": plan_firewall_builtin,
    "firewall_port": plan_firewall_port,
    "firewall_sources": plan_firewall_sources,
    "group": plan_group,
    "user_right": plan_user_right,
    "qos": plan_qos,
}


# --- assembling the plan ----------------------------------------------------------------------------------

def _merge(steps):
    """One call per merge group: lists are united in order, scalars must agree."""
    merged, by_key = [], {}
    for step in steps:
        if step.merge is None or step.merge not in by_key:
            merged.append(step)
            if step.merge is not None:
                by_key[step.merge] = step
            continue
        into = by_key[step.merge]
        into.controls.extend(step.controls)
        into.whys.update(step.whys)
        into.why = "; ".join(dict.fromkeys(into.whys.values()))
        into.restart = into.restart or step.restart
        into.before = dict(into.before or {}, **(step.before or {}))
        into.after = dict(into.after or {}, **(step.after or {}))
        for key, value in step.args.items():
            if key not in into.args:
                into.args[key] = value
            elif isinstance(value, list):
                into.args[key] = list(dict.fromkeys(into.args[key] + value))
            elif into.args[key] != value:
                raise ValueError(f"conflicting {key} for {step.module}: {into.args[key]!r} and {value!r}")
    return merged


def _service_order(steps, facts):
    """Start the services a service depends on first (UmRdpService depends on TermService)."""
    services = facts.get("services") or {}
    names = [step.args["name"] for step in steps]

    def depth(name, seen=()):
        deps = [d for d in (services.get(name) or {}).get("depends_on") or () if d in names and d not in seen]
        return 1 + max((depth(d, seen + (name,)) for d in deps), default=0)
    return sorted(steps, key=lambda step: depth(step.args["name"]))


def _order(steps, facts):
    ordered = []
    for phase in PHASES:
        in_phase = [step for step in steps if step.phase == phase]
        ordered.extend(_service_order(in_phase, facts) if phase == "service_state" else in_phase)
    for index, step in enumerate(ordered, start=1):
        step.index = index
    return ordered


def _restart_step(controls):
    return Step(list(controls), SERVICE, {"name": RDP_SERVICE, "state": "restarted", "force_dependent_services": True},
                f"restart {RDP_SERVICE} once so that {', '.join(controls)} take effect (disconnects RDP users; their "
                f"sessions survive)", "restart", before={RDP_SERVICE: "running"}, after={RDP_SERVICE: "restarted"})


def _assert_winrm_untouched(steps):
    for step in steps:
        if step.module == SERVICE and step.args.get("name", "").lower() in NEVER_TOUCHED_SERVICES:
            raise AssertionError(f"the plan would touch {step.args['name']}")


def build_plan(desired, facts, evaluation):
    """The ordered plan for the failing controls of ``evaluation`` (the result of ``evaluate.evaluate``)."""
    results = {result["id"]: result for result in evaluation["controls"]}
    ctx = Context(desired, facts, results, evaluation.get("user_sids") or [])
    plan = Plan(restart_allowed=desired.restart_service)
    failing = [catalogue.BY_ID[cid] for cid, result in results.items() if result["status"] == "fail"]
    steps = []
    for control in failing:
        if control.reads.kind == "listener":
            continue
        if not control.fixable:
            plan.dispositions[control.id] = _skipped("not fixable automatically; see the rationale")
            continue
        planner = PLANNERS.get(control.reads.kind)
        if planner is None:
            plan.dispositions[control.id] = _skipped(f"no remediation for objects of kind {control.reads.kind}")
            continue
        expectation = control.expect(desired, ctx.user_sids)
        outcome = planner(control, results[control.id], expectation, ctx)
        if isinstance(outcome, Step):
            steps.append(outcome)
        else:
            plan.dispositions[control.id] = outcome
    plan.steps = _merge(steps)
    restart = [cid for step in plan.steps if step.restart for cid in step.controls]
    for control in failing:
        if control.reads.kind == "listener":
            disposition = plan_listener(control, results[control.id], None, ctx, plan)
            plan.dispositions[control.id] = disposition
            if disposition.outcome == "restart":
                restart.append(control.id)
    if restart and not _starts_termservice(plan, ctx):
        plan.restart_controls = restart
        if desired.restart_service:
            plan.steps.append(_restart_step(restart))
    plan.steps = _order(plan.steps, facts)
    _assert_winrm_untouched(plan.steps)
    return plan
