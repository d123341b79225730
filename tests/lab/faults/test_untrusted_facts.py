# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a host returns is untrusted: evaluation and the fleet report never crash on it, and never turn
data they cannot read into a pass."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible_collections.rdp.windows.plugins.plugin_utils._compliance import access_log, catalogue, evaluate
from ansible_collections.rdp.windows.plugins.plugin_utils._diagnosis import diagnose
from ansible_collections.rdp.windows.plugins.plugin_utils._reports import fleet_report

SECTIONS = ("os", "registry", "services", "firewall", "groups", "user_rights", "accounts", "qos_policies",
            "listeners", "listener", "access_log", "errors")
DESIRED = catalogue.desired_for_catalogue({"rdp_users": ["LAB\\alice"], "rdp_profile": "hardened"})

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12)
# Values of the right outer type but with garbage inside, which is where readers usually trip.
shaped = st.one_of(json_values, st.lists(json_values, max_size=3),
                   st.dictionaries(st.sampled_from(["TermService", "S-1-5-32-555", "rules", "LAB\\alice",
                                                    "SeRemoteInteractiveLogonRight", "failures", "nla_failures",
                                                    "top_sources", "top_accounts_by_sources", "hours"]),
                                   json_values, max_size=3))
facts_strategy = st.one_of(json_values, st.dictionaries(st.sampled_from(SECTIONS), shaped, max_size=len(SECTIONS)))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facts_strategy)
def test_evaluation_never_crashes_on_what_a_host_returns(facts):
    audit = evaluate.evaluate(DESIRED, facts)
    assert {c["status"] for c in audit["controls"]} <= set(evaluate.STATUSES)
    entry = fleet_report.host_entry(dict(audit, os=facts.get("os") if isinstance(facts, dict) else facts))
    assert entry["status"] in fleet_report.HOST_STATUSES
    fleet_report.summary_lines("h", audit)
    if isinstance(facts, dict):
        dummy, found = access_log.review(facts, access_log.settings_from_vars({}))
        access_log.summary_lines(found)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.sampled_from(SECTIONS), st.text(max_size=5) | st.integers() | st.booleans(),
                       min_size=len(SECTIONS), max_size=len(SECTIONS)))
def test_sections_of_the_wrong_type_never_pass(facts):
    audit = evaluate.evaluate(DESIRED, facts)
    assert not [c["id"] for c in audit["controls"] if c["status"] == "pass"]
    assert audit["status"] == "non_compliant"


def test_a_report_with_a_host_whose_os_is_not_a_dictionary_is_still_written():
    report = fleet_report.build(["a", "b"], {"a": {"status": "compliant", "controls": [], "os": "<b>x</b>"},
                                             "b": {"status": "weird", "controls": []}})
    assert report["hosts"]["a"]["status"] == "compliant" and "os" not in report["hosts"]["a"]
    assert report["hosts"]["b"]["status"] == "error"


def test_an_access_log_summary_of_the_wrong_shape_is_a_finding_not_a_crash():
    settings = access_log.settings_from_vars({})
    for summary in ({"failures": {"top_sources": [{"failures": "many", "kind": "address", "source": "x"}]}},
                    {"failures": {"top_accounts_by_sources": ["alice"]}}, {"nla_failures": "x"}, "x", [1]):
        summary_seen, found = access_log.review({"access_log": summary}, settings)
        assert summary_seen is None and [f["id"] for f in found] == ["access.log_unreadable"], summary
        assert "unexpected shape" in found[0]["message"]
    dummy, found = access_log.review({"errors": ["not a dict"]}, settings)
    assert [f["id"] for f in found] == ["access.log_unreadable"]


def test_shape_problems_names_the_sections_of_the_wrong_type():
    from tests.lab.faults.matrix import MALFORMED
    assert evaluate.shape_problems(MALFORMED) == ["os", "registry", "services", "groups", "user_rights", "accounts",
                                                  "qos_policies", "listeners"]
    assert evaluate.shape_problems({"registry": [], "services": {}, "listeners": None}) == []
    assert evaluate.shape_problems("x") == ["the whole result"]


# The diagnosis reads host_info replies that passed shape_problems(): right outer types, anything inside.
well_shaped = st.fixed_dictionaries({}, optional={
    "os": st.dictionaries(st.sampled_from(["is_domain_controller", "domain_joined", "caption"]), json_values),
    "registry": st.lists(st.one_of(json_values, st.fixed_dictionaries(
        {"path": st.text(max_size=5) | st.just("HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server"),
         "name": st.sampled_from(["fDenyTSConnections", "SecurityLayer", "Enabled"])},
        optional={"exists": json_values, "type": json_values, "value": json_values, "error": json_values})),
        max_size=4),
    "services": st.dictionaries(st.sampled_from(["TermService", "UmRdpService"]), json_values),
    "firewall": st.dictionaries(st.sampled_from(["rules", "profiles", "error"]), json_values),
    "listeners": st.lists(st.one_of(json_values, st.fixed_dictionaries(
        {"port": st.just(3389) | st.integers(), "listening": json_values, "owner": json_values})), max_size=3),
    "listener": st.dictionaries(st.sampled_from(["certificate", "bound_port", "configured_port"]), json_values),
    "events": st.lists(json_values, max_size=3),
    "user_rights": st.dictionaries(st.just("SeRemoteInteractiveLogonRight"), json_values),
})
probes = st.one_of(st.none(), st.fixed_dictionaries(
    {"host": st.just("h"), "port": st.just(3389)},
    optional={"error": st.one_of(st.none(), st.fixed_dictionaries(
        {"stage": st.sampled_from(["dns", "tcp", "x224", "negotiation", "tls"]),
         "class": st.sampled_from(["timeout", "refused", "no_reply", "not_tpkt", "closed"]),
         "message": st.text(max_size=10)})),
        "findings": st.lists(st.fixed_dictionaries({
            "id": st.sampled_from(["certificate.self_signed", "x"]),
            "severity": st.sampled_from(["info", "warning", "critical"]),
            "message": st.text(max_size=8)}), max_size=2),
        "certificate": st.none(), "selected_protocol": st.sampled_from(["hybrid", "ssl", None])}))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(well_shaped, probes)
def test_the_diagnosis_never_crashes_on_what_the_host_and_the_server_return(facts, probe):
    assert evaluate.shape_problems(facts) == []
    audit = evaluate.evaluate(DESIRED, facts)
    diagnosis = diagnose.diagnose(probe=probe, facts=facts, audit=audit)
    assert diagnosis["status"] in ("healthy", "degraded", "broken", "unknown")
    diagnose.summary_lines("h", diagnosis)


def test_one_malformed_event_does_not_hide_the_failing_controls():
    facts = {"services": {"TermService": {"exists": True, "state": "stopped", "start_mode": "disabled"}},
             "events": [None, "x", {"provider": "Service Control Manager", "id": 7022, "message": "hung"}]}
    audit = evaluate.evaluate(DESIRED, facts)
    diagnosis = diagnose.diagnose(facts=facts, audit=audit)
    ids = [f["id"] for f in diagnosis["findings"]]
    assert "service.termservice.start_mode" in ids and "host.unexpected_data" not in ids
