# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Diagnose RDP failures ("error code 0x4") from both ends: what a client saw (the probe) and what the host
says (host_info facts, the catalogue's evaluation, recent events), combined into ranked findings.

Each finding has a cause (the seed's categories: network, firewall, service, configuration, permissions,
compatibility), a severity, a score that orders the findings, the evidence from each end, and the fix: the
control ``remediate.yml`` changes, the Group Policy setting to change, or a manual step. The format is
documented in docs/diagnose.md. Pure Python: no Ansible, no I/O.
"""

from __future__ import annotations

import datetime

from .._compliance.catalogue import BY_ID, CLIENT_SYMPTOMS, CONTROLS
from .._compliance.host_query import build_query
from .._compliance.windows_objects import CREDSSP_POLICY, RDP_TCP, SCHANNEL_PROTOCOLS

STATUSES = ("healthy", "degraded", "broken", "unknown")
SEVERITIES = ("critical", "warning", "info")
TLS_VERSIONS = ("TLS 1.0", "TLS 1.1", "TLS 1.2", "TLS 1.3")
CIPHER_POLICY = r"HKLM:\SOFTWARE\Policies\Microsoft\Cryptography\Configuration\SSL\00010002"
FIPS_POLICY = r"HKLM:\SYSTEM\CurrentControlSet\Control\Lsa\FIPSAlgorithmPolicy"

# Registry values the diagnosis reads besides the controls' own: SCHANNEL, CredSSP, cipher suites, FIPS and
# the listener's certificate binding.
DIAGNOSTIC_REGISTRY = tuple(
    [{"path": f"{SCHANNEL_PROTOCOLS}\\{version}\\Server", "name": name}
     for version in TLS_VERSIONS for name in ("Enabled", "DisabledByDefault")]
    + [{"path": CREDSSP_POLICY, "name": "AllowEncryptionOracle"},
       {"path": CIPHER_POLICY, "name": "Functions"},
       {"path": FIPS_POLICY, "name": "Enabled"},
       {"path": RDP_TCP, "name": "SSLCertificateSHA1Hash"}])


def diagnostic_query(controls, desired):
    """The audit's host_info query, with events and the registry values only the diagnosis reads."""
    query = build_query(controls, desired, include_events=True)
    for entry in DIAGNOSTIC_REGISTRY:
        if entry not in query["registry"]:
            query["registry"].append(dict(entry))
    return query


# How much a failing control weighs by what the client sees, before agreement with the probe.
SYMPTOM_WEIGHT = {"no_listener": 60, "blocked": 60, "tls": 60, "security": 55, "throttled": 50, "logon": 45,
                  "credssp": 35, "degraded": 20}
SYMPTOM_SEVERITY = {"no_listener": "critical", "blocked": "critical", "tls": "critical", "security": "critical",
                    "throttled": "critical", "logon": "critical", "credssp": "warning", "degraded": "warning"}
# Which control symptoms explain each thing the probe can see.
EXPLAINS = {
    "dropped": ("blocked", "no_listener"),
    "refused": ("no_listener",),
    "not_rdp": ("no_listener", "throttled"),
    "negotiation_refused": ("security",),
    "tls_failed": ("tls",),
    "connected": ("logon", "credssp", "degraded", "throttled"),
}
# Symptoms that cannot coexist with a client that connected (the host's own view is then stale, e.g. a
# change that waits for a TermService restart, or the probe reached another machine).
CONTRADICTED_BY_CONNECTED = ("no_listener", "blocked", "tls")
# Events that corroborate a symptom: (provider fragment, ids).
CORROBORATING_EVENTS = {
    "throttled": (("RemoteConnectionManager", (1006,)),),
    "tls": (("Schannel", (36870, 36871)),),
    "no_listener": (("Service Control Manager", (7000, 7001, 7022, 7023, 7024, 7031, 7034)),),
    "security": (("RemoteConnectionManager", (1050,)),),
}
# A control that only restates another failure: folded into the finding of the control that explains it.
CONSEQUENCES = {"listener.listening": "no_listener", "service.umrdpservice.running": "no_listener"}


def _finding(identifier, cause, title, severity, score, client=(), host=(), fix=None):
    return {"id": identifier, "cause": cause, "title": title, "severity": severity, "score": score,
            "evidence": {"client": list(client), "host": list(host)},
            "fix": fix or {"kind": "none", "controls": [], "text": ""}}


# --- the client's view ----------------------------------------------------------------------------------------

def client_symptom(probe):
    """What the probe saw, as one word: connected, dropped, refused, unreachable, dns, not_rdp,
    negotiation_refused, tls_failed; None when there was no probe."""
    if not probe:
        return None
    error = probe.get("error")
    if not error:
        return "connected"
    stage, error_class = error.get("stage"), error.get("class")
    if stage == "dns":
        return "dns"
    if stage == "tcp":
        return {"refused": "refused", "timeout": "dropped"}.get(error_class, "unreachable")
    if stage == "x224":
        return "not_rdp"
    if stage == "negotiation":
        return "negotiation_refused"
    return "tls_failed"


def client_evidence(probe):
    if not probe:
        return ["the controller did not probe the RDP port"]
    where = f"{probe.get('host')}:{probe.get('port')}"
    if probe.get("error"):
        return [f"{where}: {probe['error']['stage']} {probe['error']['class']}: {probe['error']['message']}"]
    text = f"{where}: negotiated {probe.get('selected_protocol')}"
    if probe.get("tls_version"):
        text += f" over {probe['tls_version']}"
    return [text]


# --- the host's view --------------------------------------------------------------------------------------------

def _registry_value(facts, path, name):
    for entry in (facts or {}).get("registry") or ():
        if entry.get("path", "").lower() == path.lower() and entry.get("name", "").lower() == name.lower():
            return entry.get("value") if entry.get("exists") else None
    return None


def server_tls_versions(facts):
    """TLS versions SCHANNEL leaves enabled for servers (absent values: enabled by default)."""
    enabled = []
    for version in TLS_VERSIONS[:3]:
        path = f"{SCHANNEL_PROTOCOLS}\\{version}\\Server"
        switch = _registry_value(facts, path, "Enabled")
        by_default = _registry_value(facts, path, "DisabledByDefault")
        if switch == 0 or (by_default not in (None, 0)):
            continue
        enabled.append(version)
    return enabled


def relevant_events(facts, symptom):
    found = []
    for provider, ids in CORROBORATING_EVENTS.get(symptom, ()):
        for event in (facts or {}).get("events") or ():
            if isinstance(event, dict) and provider in str(event.get("provider", "")) and event.get("id") in ids:
                found.append(event)
    return found


def describe_event(event):
    return (f"event {event.get('id')} ({event.get('provider')}, {event.get('time_created')}): "
            f"{str(event.get('message', ''))[:160]}")


def describe_control(result):
    text = f"{result['id']}: {result['title']}: actual {result.get('actual')!r}"
    if result.get("source"):
        text += f" (from {result['source']})"
    if result["status"] == "error":
        return f"{result['id']}: could not be read: {result.get('reason')}"
    return text + f", expected {result.get('expected')!r}"


# --- findings from failing controls -----------------------------------------------------------------------------

def _control_fix(result, plan=None):
    """How to fix a failing control: by remediation (kind control) only when its plan would change it."""
    control = BY_ID.get(result["id"])
    if result.get("source") == "policy" and control is not None and control.reads.kind == "registry":
        return {"kind": "policy", "controls": [result["id"]], "text": result.get("remediation", "")}
    if result["status"] == "error":
        return {"kind": "manual", "controls": [result["id"]],
                "text": f"Make the host readable, then audit again: {result.get('reason')}"}
    if control is not None and not control.fixable:
        return {"kind": "manual", "controls": [result["id"]], "text": result.get("remediation", "")}
    disposition = plan.dispositions.get(result["id"]) if plan is not None else None
    if disposition is not None and disposition.outcome == "managed_by_policy":
        return {"kind": "policy", "controls": [result["id"]], "text": disposition.why}
    if disposition is not None and disposition.outcome == "skipped":
        return {"kind": "manual", "controls": [result["id"]],
                "text": f"{result.get('remediation', '')} (rdp.windows.remediate leaves it: {disposition.why})"}
    if control is not None and control.reads.kind == "listener" and _foreign_owner(result.get("actual")):
        # Remediation does not stop other programs: the port must be freed by hand.
        return {"kind": "manual", "controls": [result["id"]], "text": result.get("remediation", "")}
    return {"kind": "control", "controls": [result["id"]],
            "text": f"{result.get('remediation', '')} (rdp.windows.remediate fixes control {result['id']})"}


def _foreign_owner(actual):
    owner = actual.get("owner") if isinstance(actual, dict) else None
    return owner if owner and owner != "TermService" else None


def control_findings(audit, facts, probe_symptom, probe, plan=None):
    findings = []
    for result in (audit or {}).get("controls") or ():
        if result["status"] not in ("fail", "error"):
            continue
        symptom = CLIENT_SYMPTOMS.get(result["id"], "degraded")
        score = SYMPTOM_WEIGHT[symptom]
        client = []
        if probe_symptom is not None:
            if symptom in EXPLAINS.get(probe_symptom, ()):
                score += 40 if probe_symptom != "connected" else 5
                client = client_evidence(probe)
            elif probe_symptom == "connected" and symptom in CONTRADICTED_BY_CONNECTED:
                score -= 30
                client = client_evidence(probe) + ["a client connected although this control fails: a pending "
                                                   "restart, or the probe reached another listener"]
        events = relevant_events(facts, symptom)
        score += 10 if events else 0
        host = [describe_control(result)] + [describe_event(e) for e in events[:3]]
        findings.append(_finding(result["id"], result["cause"], result["title"], SYMPTOM_SEVERITY[symptom], score,
                                 client=client, host=host, fix=_control_fix(result, plan)))
    return _fold_consequences(findings)


def _fold_consequences(findings):
    """A control that only restates another failure (nothing listens because TermService is stopped) becomes
    evidence of the finding that explains it."""
    kept = []
    for finding in findings:
        symptom = CONSEQUENCES.get(finding["id"])
        causes = [f for f in findings if f is not finding and f["id"] not in CONSEQUENCES
                  and CLIENT_SYMPTOMS.get(f["id"]) == symptom]
        if symptom and causes:
            best = max(causes, key=lambda f: f["score"])
            best["evidence"]["host"].extend(finding["evidence"]["host"])
            continue
        kept.append(finding)
    return kept


# --- findings only one end can show ------------------------------------------------------------------------------

def _termservice_holds(facts, port):
    listeners = (facts or {}).get("listeners")
    return isinstance(listeners, list) and any(
        isinstance(entry, dict) and entry.get("port") == port and entry.get("listening")
        and entry.get("owner") == "TermService" for entry in listeners)


def unexplained_probe_finding(probe, probe_symptom, findings, facts=None):
    """The client failed and nothing on the host explains it: the cause is between them (or the host's view
    could not be read)."""
    if probe_symptom in (None, "connected"):
        return None
    explained = [f for f in findings if CLIENT_SYMPTOMS.get(f["id"]) in EXPLAINS.get(probe_symptom, ())]
    if explained:
        return None
    client = client_evidence(probe)
    port = probe.get("port")
    silent = ((probe.get("error") or {}).get("class")) == "no_reply"
    if probe_symptom == "not_rdp" and silent and _termservice_holds(facts, port):
        # The host says TermService owns the port, yet the connection was accepted and never answered: the
        # service is stuck (a reply in another protocol points between the two ends instead).
        return _finding("service.termservice_not_answering", "service",
                        f"TermService holds TCP {port} but does not answer as RDP", "critical", 95, client=client,
                        host=[f"TermService is the process listening on TCP {port} (host_info)"],
                        fix={"kind": "manual", "controls": [],
                             "text": "Restart TermService (this disconnects RDP users); if it hangs again, look for "
                                     "Service Control Manager and TerminalServices errors in the System log. If a "
                                     "proxy or load balancer sits in front of the host, check it too"})
    table = {
        "dns": ("network.name_resolution", "network", "The host name does not resolve",
                "Fix the DNS record, or probe the name clients use"),
        "unreachable": ("network.unreachable", "network", "The host is unreachable from the controller",
                        "Check routing between the controller and the host, and that the host is up"),
        "dropped": ("firewall.path", "firewall",
                    f"Something between the controller and the host drops TCP {port}",
                    f"Allow TCP {port} to the host on the firewalls, security groups or VPN between the client "
                    f"and the host (the host's own firewall and listener look right)"),
        "refused": ("network.refused", "network", f"The connection to TCP {port} is refused",
                    f"Check that the name reaches this host and that nothing in between rejects TCP {port}"),
        "not_rdp": ("network.not_rdp", "network", f"Something accepts TCP {port} but does not answer as RDP",
                    "Check for a proxy, load balancer or other program answering on the port"),
        "negotiation_refused": ("compatibility.negotiation", "compatibility",
                                "The listener refuses the offered security protocols",
                                "Offer what the listener requires (see the failure code), or align "
                                "SecurityLayer and UserAuthentication"),
        "tls_failed": ("compatibility.tls", "compatibility", "The TLS handshake fails",
                       "Check SCHANNEL protocol and cipher-suite settings and the listener certificate's key"),
    }
    identifier, cause, title, text = table[probe_symptom]
    if not facts:
        # Nothing on the host "explains" it only because the host could not be read: say so, claim nothing.
        title += " (the host could not be read, so it may be the host itself)"
        text = text.replace(" (the host's own firewall and listener look right)", "")
        text += "; and read the host again (WinRM) to check its own firewall and listener"
    return _finding(identifier, cause, title, "critical", 95, client=client,
                    fix={"kind": "manual", "controls": [], "text": text})


def certificate_findings(probe, facts, now):
    """The listener certificate: expired or expiring (probe or host), private key unreadable, not the bound one."""
    found = []
    presented = (probe or {}).get("certificate")
    bound = ((facts or {}).get("listener") or {}).get("certificate")
    cert = presented or bound
    if cert:
        # The host judges its own certificate by its own clock (host_info's host_time), as TermService does.
        days = presented["days_left"] if presented else _days_left(bound.get("not_after"), _host_now(facts, now))
        self_signed = bool(cert.get("self_signed"))
        if days is not None and days < 0:
            fix = ("Delete the expired self-signed certificate from the Remote Desktop store and restart "
                   "TermService so Windows creates a new one" if self_signed else
                   "Renew the certificate and bind the new thumbprint to RDP-Tcp (SSLCertificateSHA1Hash)")
            found.append(_finding("certificate.expired", "compatibility", "The listener certificate has expired",
                                  "critical", 85, client=client_evidence(probe) if presented else [],
                                  host=[f"certificate {cert.get('subject')} expired on {cert.get('not_after')}"]
                                  + [describe_event(e) for e in _certificate_events(facts)],
                                  fix={"kind": "manual", "controls": [], "text": fix}))
        elif days is not None and days < 30 and not self_signed:
            found.append(_finding("certificate.expires_soon", "compatibility",
                                  f"The listener certificate expires in {days} days", "warning", 30,
                                  host=[f"certificate {cert.get('subject')} valid until {cert.get('not_after')}"],
                                  fix={"kind": "manual", "controls": [],
                                       "text": "Renew the certificate and bind the new thumbprint to RDP-Tcp"}))
    if bound and bound.get("private_key_readable") is False:
        found.append(_finding("certificate.private_key", "compatibility",
                              "TermService (NETWORK SERVICE) cannot read the certificate's private key",
                              "critical", 70 + (40 if client_symptom(probe) == "tls_failed" else 0),
                              client=client_evidence(probe) if client_symptom(probe) == "tls_failed" else [],
                              host=[f"key file {bound.get('key_file')}: NETWORK SERVICE has no read access"]
                              + [describe_event(e) for e in relevant_events(facts, "tls")[:2]],
                              fix={"kind": "manual", "controls": [],
                                   "text": "Grant NETWORK SERVICE Read on the key file (MachineKeys), then "
                                           "restart TermService"}))
    thumbprint = (bound or {}).get("thumbprint")
    if presented and thumbprint and thumbprint.replace(" ", "").upper() != presented["thumbprint_sha1"]:
        found.append(_finding("certificate.not_bound_one", "network",
                              "The certificate the client sees is not the one bound to the listener", "warning",
                              25, client=[f"presented thumbprint {presented['thumbprint_sha1']}"],
                              host=[f"bound thumbprint {thumbprint}"],
                              fix={"kind": "manual", "controls": [],
                                   "text": "Look for a TLS-inspecting device or another RDP listener in between"}))
    return found


def _certificate_events(facts):
    return [e for e in (facts or {}).get("events") or () if e.get("id") in (1057, 1058)]


def _host_now(facts, now):
    moment = _parse_time((facts or {}).get("host_time"))
    return moment or now


def _parse_time(text):
    try:
        moment = datetime.datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.timezone.utc)


def _days_left(not_after, now):
    moment = _parse_time(not_after)
    return None if moment is None else int((moment - now).total_seconds() // 86400)


def tls_settings_findings(probe, facts, findings):
    """TLS failures the catalogue's control does not explain: every server version disabled, a cipher-suite
    policy, FIPS mode."""
    if not facts or client_symptom(probe) not in ("tls_failed", None):
        return []
    if any(CLIENT_SYMPTOMS.get(f["id"]) == "tls" for f in findings):
        return []
    host = []
    enabled = server_tls_versions(facts)
    if not enabled:
        host.append("SCHANNEL: no TLS version from 1.0 to 1.2 is enabled for servers")
    if _registry_value(facts, CIPHER_POLICY, "Functions"):
        host.append(f"a cipher-suite policy restricts TLS ({CIPHER_POLICY}\\Functions)")
    if _registry_value(facts, FIPS_POLICY, "Enabled") == 1:
        host.append("FIPS mode is enforced (FIPSAlgorithmPolicy Enabled=1)")
    host += [describe_event(e) for e in relevant_events(facts, "tls")[:2]]
    if not host:
        return []
    return [_finding("compatibility.schannel", "compatibility", "SCHANNEL settings can stop the TLS handshake",
                     "critical" if probe else "warning", 80 if probe else 40, client=client_evidence(probe),
                     host=host, fix={"kind": "manual", "controls": [],
                                     "text": "Enable TLS 1.2 for servers and remove the restricting policy"})]


def credssp_findings(facts, audit):
    if any(c["id"] == "compatibility.credssp_oracle" for c in (audit or {}).get("controls") or ()):
        return []
    value = _registry_value(facts, CREDSSP_POLICY, "AllowEncryptionOracle")
    if value == 0:
        return [_finding("compatibility.credssp_force_updated", "compatibility",
                         "CredSSP 'Force Updated Clients': clients without the 2018 CredSSP update are refused",
                         "info", 10, host=[f"{CREDSSP_POLICY}\\AllowEncryptionOracle = 0"],
                         fix={"kind": "manual", "controls": [], "text": "Update the clients (keep this setting)"})]
    if value == 2:
        return [_finding("compatibility.credssp_vulnerable", "compatibility",
                         "CredSSP 'Vulnerable': unpatched clients are accepted (CVE-2018-0886)", "warning", 15,
                         host=[f"{CREDSSP_POLICY}\\AllowEncryptionOracle = 2"],
                         fix={"kind": "control", "controls": ["compatibility.credssp_oracle"],
                              "text": "Set Encryption Oracle Remediation to Mitigated (1)"})]
    return []


def throttling_event_finding(facts, findings):
    """Event 1006 without a throttling setting to blame: the listener was overwhelmed (a scan or a flood)."""
    if any(CLIENT_SYMPTOMS.get(f["id"]) == "throttled" for f in findings):
        return []
    events = relevant_events(facts, "throttled")
    if not events:
        return []
    return [_finding("network.incomplete_connections", "network",
                     "The listener stopped accepting connections after many incomplete ones (event 1006)",
                     "warning", 35, host=[describe_event(e) for e in events[:3]],
                     fix={"kind": "manual", "controls": [],
                          "text": "Find the source of the incomplete connections (scanner, brute force, "
                                  "a failing load balancer probe) and restrict it"})]


def probe_only_findings(probe, findings):
    """The probe's own warnings (weak security, name mismatch) not already covered by a failing control."""
    covered = {CLIENT_SYMPTOMS.get(f["id"]) for f in findings}
    found = []
    for item in (probe or {}).get("findings") or ():
        identifier = item["id"]
        if item["severity"] == "critical" or identifier.startswith("certificate.expire") \
                or identifier == "certificate.not_yet_valid":
            continue  # failures and expiry have their own findings
        if identifier.startswith("negotiation.") and "security" in covered:
            continue
        severity = "info" if identifier in ("certificate.self_signed", "certificate.name_mismatch") else \
            item["severity"]
        found.append(_finding(f"probe.{identifier}", "compatibility", item["message"], severity,
                              15 if severity == "warning" else 5, client=[item["message"]]))
    return found


# --- the diagnosis -------------------------------------------------------------------------------------------------

CATALOGUE_ORDER = {control.id: index for index, control in enumerate(CONTROLS)}


def rank(findings):
    """Highest score first; on a tie the more severe, then the catalogue's order (a service's start mode
    before its state), then the id."""
    order = {severity: index for index, severity in enumerate(SEVERITIES)}
    ranked = sorted(findings, key=lambda f: (-f["score"], order[f["severity"]],
                                             CATALOGUE_ORDER.get(f["id"], len(CATALOGUE_ORDER)), f["id"]))
    for position, finding in enumerate(ranked, start=1):
        finding["rank"] = position
    return ranked


def overall_status(findings, probe, facts):
    if not probe and not facts:
        return "unknown"
    severities = {f["severity"] for f in findings}
    if "critical" in severities:
        return "broken"
    if "warning" in severities:
        return "degraded"
    return "healthy"


def _guarded(unreadable, source, *args):
    """One source of findings; data of an unexpected shape from the host (untrusted) costs that source only."""
    try:
        return source(*args)
    except (AttributeError, TypeError, ValueError, KeyError, IndexError) as error:
        unreadable.append(f"{source.__name__}: unexpected data ({type(error).__name__})")
        return []


def diagnose(probe=None, facts=None, audit=None, host_error=None, now=None, plan=None):
    """Ranked findings for one host. ``probe`` is rdp.windows.probe's result, ``facts`` host_info's (with
    events), ``audit`` evaluate.evaluate()'s, ``plan`` what remediation would do (plan.build_plan); any of
    them may be missing."""
    now = now or datetime.datetime.now(datetime.timezone.utc)
    symptom = client_symptom(probe)
    unreadable = []
    findings = _guarded(unreadable, control_findings, audit, facts, symptom, probe, plan)
    findings += _guarded(unreadable, certificate_findings, probe, facts, now)
    findings += _guarded(unreadable, tls_settings_findings, probe, facts, findings)
    findings += _guarded(unreadable, credssp_findings, facts, audit)
    findings += _guarded(unreadable, throttling_event_finding, facts, findings)
    if unreadable:
        findings.append(_finding("host.unexpected_data", "network", "Part of what the host returned could not be read",
                                 "warning", 1, host=unreadable,
                                 fix={"kind": "manual", "controls": [], "text": "Check the rdp.windows.host_info "
                                      "module on the host (its version, and errors in its result)"}))
    unexplained = unexplained_probe_finding(probe, symptom, findings, facts)
    if unexplained and not any(f["severity"] == "critical" and f["evidence"]["client"] for f in findings):
        findings.append(unexplained)
    findings += probe_only_findings(probe, findings)
    if host_error:
        findings.append(_finding("host.unreadable", "network", "The host could not be read", "warning", 1,
                                 host=[host_error], fix={"kind": "manual", "controls": [],
                                                         "text": "Check WinRM access to the host"}))
    ranked = rank(findings)
    status = overall_status(ranked, probe, facts)
    top = ranked[0] if ranked and status != "healthy" else None
    return {
        "status": status,
        "client_symptom": symptom,
        "most_likely_cause": top["cause"] if top else None,
        "summary": _summary(status, top, probe),
        "findings": ranked,
    }


def _summary(status, top, probe):
    if status == "healthy":
        over = f" over {probe['tls_version']}" if probe and probe.get("tls_version") else ""
        seen = f"a client negotiates {probe.get('selected_protocol')}{over}" if probe else "not probed"
        return f"healthy: {seen}; nothing on the host stops RDP"
    if top is None:
        return status
    return f"{status}: most likely {top['cause']}: {top['title']} -> {top['fix']['text']}"


def summary_lines(host, diagnosis, limit=5):
    lines = [f"{host}: {diagnosis['summary']}"]
    for finding in diagnosis["findings"][:limit]:
        if finding["severity"] == "info" and diagnosis["status"] != "healthy":
            continue
        lines.append(f"  #{finding['rank']} [{finding['severity']}] {finding['cause']}: {finding['title']}")
    return lines
