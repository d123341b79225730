# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""host_info's diagnostic evidence in the twin: relevant events only, bounded, and the listener certificate."""

import datetime
import json

import pytest

from ansible_collections.rdp.windows.plugins.plugin_utils._simulator import event_log, twin_host_info
from ansible_collections.rdp.windows.plugins.plugin_utils._simulator.windows_host import WindowsHost
from tests.helpers import build_lab


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    directory = tmp_path_factory.mktemp("lab")
    build_lab(str(directory))
    return directory / "hosts"


def events_of(state):
    return twin_host_info.host_info(WindowsHost(state), {"include_events": True}, False)["events"]


def load(lab, host):
    return json.loads((lab / f"{host}.json").read_text())


def stamp(state, minutes_ago):
    """A time before the host's clock (the lab's is set)."""
    return event_log.format_time(event_log.now(state) - datetime.timedelta(minutes=minutes_ago))


@pytest.mark.parametrize("host, event_id", [("tls12-disabled", 36871), ("throttled", 1006),
                                            ("termservice-disabled", 7000)])
def test_lab_hosts_show_the_event_of_their_cause(lab, host, event_id):
    events = events_of(load(lab, host))
    assert event_id in [e["id"] for e in events]
    assert [e["time_created"] for e in events] == sorted((e["time_created"] for e in events), reverse=True)


def test_healthy_host_shows_routine_events_only(lab):
    assert sorted({e["id"] for e in events_of(load(lab, "healthy"))}) == [1149]


def test_events_are_not_returned_unless_asked(lab):
    assert "events" not in twin_host_info.host_info(WindowsHost(load(lab, "healthy")), {}, False)


def test_irrelevant_old_and_other_service_events_are_left_out(lab):
    state = load(lab, "healthy")
    state["event_log"] = [
        {"log": "Security", "provider": "Microsoft-Windows-Security-Auditing", "id": 4625, "level": "Information",
         "time": stamp(state, 5), "message": "An account failed to log on."},
        {"log": "System", "provider": "Schannel", "id": 36871, "level": "Error",
         "time": stamp(state, 60 * 24 * 8), "message": "old"},
        {"log": "System", "provider": "Service Control Manager", "id": 7000, "level": "Error",
         "time": stamp(state, 5), "message": "Print Spooler failed", "data": {"param1": "Print Spooler"}},
        {"log": "System", "provider": "Service Control Manager", "id": 7031, "level": "Error",
         "time": stamp(state, 4), "message": "Remote Desktop Services terminated unexpectedly",
         "data": {"param1": "Remote Desktop Services"}},
    ]
    assert [e["id"] for e in events_of(state)] == [7031]


def test_a_flood_of_events_stays_bounded(lab):
    state = load(lab, "healthy")
    state["event_log"] = [
        {"log": "System", "provider": "Schannel", "id": 36870, "level": "Error", "time": stamp(state, n % 5000),
         "message": "x" * 5000} for n in range(20000)
    ] + [
        {"log": "System", "provider": "TermDD", "id": 56, "level": "Error", "time": stamp(state, n),
         "message": "y"} for n in range(100)
    ] + [
        {"log": "Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational",
         "provider": "Microsoft-Windows-TerminalServices-RemoteConnectionManager", "id": 261,
         "level": "Information", "time": stamp(state, n), "message": "z"} for n in range(100)
    ]
    events = events_of(state)
    assert len(events) == twin_host_info.EVENTS_MAX
    per_id = {i: sum(1 for e in events if e["id"] == i) for i in (36870, 56, 261)}
    assert all(count <= twin_host_info.EVENTS_PER_SOURCE for count in per_id.values())
    assert max(len(e["message"]) for e in events) == twin_host_info.MESSAGE_MAX


def test_an_unreadable_log_gives_no_events(lab):
    state = load(lab, "tls12-disabled")
    state["event_logs_unreadable"] = {"System": "Attempted to perform an unauthorized operation."}
    assert [e["id"] for e in events_of(state)] == [1149, 1149, 1149]


def test_listener_certificate_with_key_access(lab):
    state = load(lab, "healthy")
    state["listener"]["certificate"]["private_key_readable"] = False
    cert = twin_host_info.host_info(WindowsHost(state), {}, False)["listener"]["certificate"]
    assert cert["found"] and cert["private_key_readable"] is False and cert["subject"] == "CN=healthy"
