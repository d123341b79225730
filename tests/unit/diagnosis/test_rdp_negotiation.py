# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""X.224 / RDP negotiation bytes: the worked examples of windows-rdp.md section 10, and fuzzing."""

import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.rdp.windows.plugins.plugin_utils._diagnosis import rdp_negotiation as neg


def hexbytes(text):
    return bytes.fromhex(text.replace(" ", ""))


def test_request_offering_tls_credssp_credssp_ex_matches_the_reference_bytes():
    expected = hexbytes("03 00 00 13 0E E0 00 00 00 00 00 01 00 08 00 0B 00 00 00")
    assert neg.build_connection_request(["ssl", "hybrid", "hybrid_ex"]) == expected


def test_request_for_standard_rdp_security_only_has_no_protocol_bits():
    packet = neg.build_connection_request(["rdp"])
    assert struct.unpack("<I", packet[-4:])[0] == 0
    assert len(packet) == 19 and packet[4] == 14


def test_request_with_cookie_counts_it_in_the_length_indicator():
    packet = neg.build_connection_request(["ssl"], cookie="probe")
    assert packet[4] == len(packet) - 5
    assert b"Cookie: mstshash=probe\r\n" in packet
    assert neg.parse_connection_request(packet).cookie == b"Cookie: mstshash=probe"


@pytest.mark.parametrize("bad", ["a\r\nb", "é", "x" * 200])
def test_a_bad_cookie_is_refused(bad):
    with pytest.raises(ValueError):
        neg.build_connection_request(["ssl"], cookie=bad)


def test_unknown_protocol_name_is_refused_with_the_allowed_names():
    with pytest.raises(ValueError, match="allowed: rdp, ssl, hybrid"):
        neg.build_connection_request(["tls"])


@pytest.mark.parametrize("reply, selected", [
    ("03 00 00 13 0E D0 00 00 12 34 00 02 1F 08 00 02 00 00 00", "hybrid"),
    ("03 00 00 13 0E D0 00 00 12 34 00 02 00 08 00 01 00 00 00", "ssl"),
    ("03 00 00 13 0E D0 00 00 12 34 00 02 00 08 00 08 00 00 00", "hybrid_ex"),
    ("03 00 00 13 0E D0 00 00 12 34 00 02 00 08 00 00 00 00 00", "rdp"),
])
def test_negotiation_responses_of_the_reference(reply, selected):
    confirm = neg.parse_connection_confirm(hexbytes(reply))
    assert confirm.negotiated and confirm.selected_protocol == selected and confirm.failure_code is None


def test_response_flags_are_named():
    confirm = neg.parse_connection_confirm(hexbytes("03 00 00 13 0E D0 00 00 12 34 00 02 09 08 00 02 00 00 00"))
    assert confirm.flags == ("EXTENDED_CLIENT_DATA_SUPPORTED", "RESTRICTED_ADMIN_MODE_SUPPORTED")


def test_negotiation_failure_hybrid_required():
    confirm = neg.parse_connection_confirm(hexbytes("03 00 00 13 0E D0 00 00 12 34 00 03 00 08 00 05 00 00 00"))
    assert confirm.failure_code == 5 and confirm.failure_name == "HYBRID_REQUIRED_BY_SERVER"
    assert confirm.selected_protocol is None
    assert "CredSSP" in confirm.failure_meaning


def test_an_undocumented_failure_code_is_named_not_raised():
    confirm = neg.parse_connection_confirm(neg.build_connection_confirm(failure=0x42))
    assert confirm.failure_name == "UNKNOWN_FAILURE_66"


def test_legacy_confirm_without_negotiation_data_means_standard_rdp_security():
    confirm = neg.parse_connection_confirm(hexbytes("03 00 00 0B 06 D0 00 00 12 34 00"))
    assert not confirm.negotiated and confirm.selected_protocol == "rdp"


@pytest.mark.parametrize("reply, code", [
    ("48 54 54 50", "not_tpkt"),                                            # "HTTP"
    ("53 53 48 2D 32 2E 30", "not_tpkt"),                                   # "SSH-2.0"
    ("03 00 00 05 00", "bad_length"),
    ("03 00 FF FF", "oversized"),
    ("03 00 00 13 0E D0 00 00", "truncated"),
    ("03 00", "truncated"),
    ("03 00 00 0B 06 80 00 00 12 34 00", "disconnect"),
    ("03 00 00 0B 06 70 00 00 12 34 00", "tpdu_error"),
    ("03 00 00 13 0E E0 00 00 00 00 00 01 00 08 00 03 00 00 00", "not_connection_confirm"),
    ("03 00 00 13 0D D0 00 00 12 34 00 02 00 08 00 01 00 00 00", "bad_length_indicator"),
    ("03 00 00 0D 08 D0 00 00 12 34 00 02 00", "bad_length_indicator"),
    ("03 00 00 0B 06 D0 00 00 12 34 02", "bad_class"),
    ("03 00 00 13 0E D0 00 00 12 34 00 02 00 09 00 01 00 00 00", "bad_negotiation_length"),
    ("03 00 00 13 0E D0 00 00 12 34 00 07 00 08 00 01 00 00 00", "unknown_negotiation_type"),
    ("03 00 00 13 0E D0 00 00 12 34 00 02 00 08 00 03 00 00 00", "unknown_protocol"),
    ("03 00 00 0B 06 D0 00 00 12 34 00 FF", "bad_length"),
])
def test_malformed_replies_give_a_named_error(reply, code):
    with pytest.raises(neg.NegotiationError) as raised:
        neg.parse_connection_confirm(hexbytes(reply))
    assert raised.value.code == code
    assert raised.value.code in neg.ERROR_CODES and str(raised.value)


def test_trailing_bytes_inside_the_tpdu_are_counted_not_fatal():
    packet = hexbytes("03 00 00 15 10 D0 00 00 12 34 00 02 00 08 00 01 00 00 00 AA BB")
    assert neg.parse_connection_confirm(packet).trailing_bytes == 2


@settings(max_examples=3000, deadline=None)
@given(st.binary(max_size=80))
def test_fuzz_any_bytes_give_a_confirm_or_a_named_error(data):
    try:
        confirm = neg.parse_connection_confirm(data)
    except neg.NegotiationError as error:
        assert error.code in neg.ERROR_CODES
        return
    assert confirm.selected_protocol in neg.PROTOCOLS or confirm.failure_code is not None


def _tpkt_framed(tpdu):
    return struct.pack(">BBH", 3, 0, len(tpdu) + 4) + tpdu


@settings(max_examples=3000, deadline=None)
@given(st.integers(0, 255), st.sampled_from([0xD0, 0xE0, 0x80, 0x70, 0xD1, 0x00]), st.integers(0, 0xFFFF),
       st.integers(0, 255), st.binary(max_size=40))
def test_fuzz_framed_tpdus_give_a_confirm_or_a_named_error(indicator, code, src_ref, klass, tail):
    packet = _tpkt_framed(struct.pack(">BBHHB", indicator, code, 0, src_ref, klass) + tail)
    try:
        neg.parse_connection_confirm(packet)
    except neg.NegotiationError as error:
        assert error.code in neg.ERROR_CODES


@given(st.sampled_from(sorted(neg.PROTOCOLS)), st.integers(0, 0x1F))
def test_round_trip_of_a_response(selected, flags):
    confirm = neg.parse_connection_confirm(neg.build_connection_confirm(selected=selected, flags=flags))
    assert confirm.selected_protocol == selected
    assert len(confirm.flags) == bin(flags).count("1")


@given(st.integers(0, 0xFFFFFFFF))
def test_round_trip_of_a_failure(code):
    assert neg.parse_connection_confirm(neg.build_connection_confirm(failure=code)).failure_code == code


@given(st.lists(st.sampled_from(sorted(neg.PROTOCOLS)), max_size=6))
def test_round_trip_of_a_request(protocols):
    request = neg.parse_connection_request(neg.build_connection_request(protocols))
    assert request.requested == neg.protocol_mask(protocols)
    expected = sorted(set(protocols) - {"rdp"}) or ["rdp"]
    assert sorted(request.names) == expected


@settings(max_examples=2000, deadline=None)
@given(st.binary(min_size=4, max_size=80))
def test_fuzz_requests_give_a_request_or_a_named_error(data):
    try:
        neg.parse_connection_request(data)
    except neg.NegotiationError as error:
        assert error.code in neg.ERROR_CODES
