# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/diagnose.yml through the faults of the matrix (tests/lab/faults/matrix.py) that concern it.

One run of the whole fault lab with a 2 s probe timeout, then the faults are cleared and it runs again: the
diagnosis must survive every fault, change nothing, stay within its time bounds, never promise a fix that
remediation would not make, and, once the fault is gone, describe the host as it really is.
"""

import time

import pytest

from tests.lab.faults.lab import FaultLab
from tests.lab.faults.matrix import FAULTS

PROBE_TIMEOUT = 2
UNREADABLE = ("connection-refused-before", "connection-timeout-before", "corrupt-reply", "malformed-reply",
              "module-error")


@pytest.fixture(scope="module")
def diagnosed(tmp_path_factory):
    lab = FaultLab(tmp_path_factory.mktemp("diagnose-faults"))
    before = lab.snapshot()
    started = time.monotonic()
    first = lab.diagnose("first", probe_timeout=PROBE_TIMEOUT)
    elapsed = time.monotonic() - started
    after = lab.snapshot()
    writes = {host: lab.write_calls(host) for host in lab.hosts}
    for fault in FAULTS:
        lab.clear_faults(fault.id, fault.clear)
    second = lab.diagnose("cleared", probe_timeout=PROBE_TIMEOUT)
    return lab, before, after, writes, first, second, elapsed


def diagnosis(diagnosed, host, run=4):
    return diagnosed[run].report[host]


def top(entry):
    return entry["findings"][0]


def ids(entry):
    return [finding["id"] for finding in entry["findings"]]


# --- what holds for every fault ---------------------------------------------------------------------------

def test_the_run_survives_every_fault_and_writes_a_diagnosis_for_every_host(diagnosed):
    lab, dummy, dummy, dummy, first, second, dummy = diagnosed
    for run in (first, second):
        assert run.run.returncode == 0, run.run.stdout[-3000:] + run.run.stderr[-2000:]
        assert sorted(run.report) == sorted(lab.hosts)
        assert "Traceback" not in run.run.stdout + run.run.stderr


def test_the_diagnosis_changes_nothing_on_any_host(diagnosed):
    lab, before, after, writes, dummy, dummy, dummy = diagnosed
    for host in lab.hosts:
        assert after[host] == before[host], host
        assert writes[host] == [], host


def test_probes_are_bounded_by_their_timeout(diagnosed):
    """25 hosts on 20 forks: two waves of probes and reads, each probe bounded by the 2 s timeout per step."""
    *dummy, elapsed = diagnosed
    assert elapsed < 60, elapsed
    for entry in diagnosed[4].report.values():
        probe = entry["probe"]
        for step in ("tcp_connect_ms", "negotiation_ms", "tls_ms"):
            assert (probe.get(step) or 0) <= PROBE_TIMEOUT * 1000 + 500, (probe, step)


def test_a_fix_is_promised_to_remediation_only_where_it_would_act(diagnosed):
    """kind 'control' says rdp.windows.remediate fixes it: never for a port held by another program, a value
    set by Group Policy, or a control remediation skips."""
    for host, entry in diagnosed[4].report.items():
        for finding in entry["findings"]:
            if finding["id"] == "listener.listening" and "holds it" in finding["fix"]["text"]:
                assert finding["fix"]["kind"] == "manual", host
            if finding["fix"]["kind"] == "control":
                assert "leaves it" not in finding["fix"]["text"], host


def test_a_healthy_host_is_healthy_and_stays_so(diagnosed):
    assert diagnosis(diagnosed, "healthy")["status"] == "healthy"
    assert diagnosis(diagnosed, "healthy", 5)["status"] == "healthy"


# --- one test per fault -----------------------------------------------------------------------------------

def _unreadable(diagnosed, host, words):
    entry = diagnosis(diagnosed, host)
    assert entry["status"] == "broken" and entry["audit"] is None
    assert entry["probe"]["stage_failed"] == "tcp"  # the probe still ran: RDP is off on the base host
    unreadable = next(f for f in entry["findings"] if f["id"] == "host.unreadable")
    assert words in unreadable["evidence"]["host"][0]
    assert "look right" not in top(entry)["fix"]["text"] and "could not be read" in top(entry)["title"]
    cleared = diagnosis(diagnosed, host, 5)
    assert "host.unreadable" not in ids(cleared)
    assert {"connections.allowed", "firewall.builtin_tcp"} <= set(ids(cleared))


def test_diagnose__connection_refused_before(diagnosed):
    _unreadable(diagnosed, "connection-refused-before", "Connection refused")


def test_diagnose__connection_timeout_before(diagnosed):
    _unreadable(diagnosed, "connection-timeout-before", "timed out")


def test_diagnose__corrupt_reply(diagnosed):
    _unreadable(diagnosed, "corrupt-reply", "rdp.windows.host_info failed")


def test_diagnose__malformed_reply(diagnosed):
    _unreadable(diagnosed, "malformed-reply", "unexpected shape (os, registry, services")


def test_diagnose__module_error(diagnosed):
    _unreadable(diagnosed, "module-error", "Not enough quota is available")


def test_diagnose__registry_key_missing(diagnosed):
    entry = diagnosis(diagnosed, "registry-key-missing")
    assert entry["client_symptom"] == "dropped" and top(entry)["id"] == "listener.listening"
    assert top(entry)["fix"]["kind"] == "manual" and "does not exist" in top(entry)["fix"]["text"]
    assert diagnosis(diagnosed, "registry-key-missing", 5)["status"] == "healthy"


def test_diagnose__port_in_use(diagnosed):
    entry = diagnosis(diagnosed, "port-in-use")
    assert top(entry)["id"] == "listener.listening"
    assert top(entry)["fix"]["kind"] == "manual" and "javaw.exe holds it" in top(entry)["fix"]["text"]
    assert diagnosis(diagnosed, "port-in-use", 5)["status"] == "healthy"


def test_diagnose__firewall_rule_from_gpo(diagnosed):
    entry = diagnosis(diagnosed, "firewall-rule-from-gpo")
    assert entry["client_symptom"] == "dropped"
    assert top(entry)["id"] == "firewall.allowed_sources" and top(entry)["fix"]["kind"] == "policy"
    assert "GPO-RemoteDesktop-UserMode-In-TCP" in top(entry)["fix"]["text"]
    assert diagnosis(diagnosed, "firewall-rule-from-gpo", 5)["status"] == "healthy"


def test_diagnose__probe_target_silent(diagnosed):
    entry = diagnosis(diagnosed, "probe-target-silent")
    assert entry["status"] == "broken"
    assert (entry["probe"]["stage_failed"], entry["probe"]["error"]["class"]) == ("x224", "no_reply")
    assert f"within {PROBE_TIMEOUT}s" in entry["probe"]["error"]["message"]
    assert top(entry)["id"] == "service.termservice_not_answering" and top(entry)["cause"] == "service"
    assert top(entry)["fix"]["kind"] == "manual" and "Restart TermService" in top(entry)["fix"]["text"]
    assert entry["audit"]["status"] == "compliant"  # the host's own view sees nothing wrong
    assert diagnosis(diagnosed, "probe-target-silent", 5)["status"] == "healthy"


def test_diagnose__probe_target_garbage(diagnosed):
    entry = diagnosis(diagnosed, "probe-target-garbage")
    assert (entry["probe"]["stage_failed"], entry["probe"]["error"]["class"]) == ("x224", "not_tpkt")
    assert "48 54 54 50" in entry["probe"]["error"]["message"]  # "HTTP", shown as bytes
    assert top(entry)["id"] == "listener.listening" and top(entry)["evidence"]["client"]
    assert top(entry)["fix"]["kind"] == "manual" and "nginx.exe holds it" in top(entry)["fix"]["text"]
    assert diagnosis(diagnosed, "probe-target-garbage", 5)["status"] == "healthy"
