# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The first exchange of an RDP connection: X.224 Connection Request with RDP_NEG_REQ, and the server's
Connection Confirm carrying RDP_NEG_RSP or RDP_NEG_FAILURE (MS-RDPBCGR 2.2.1.1 and 2.2.1.2).

Pure byte handling, no I/O. TPKT lengths are big-endian, the negotiation structures little-endian.
Parsing is strict and bounded: any reply that is not a well-formed Connection Confirm raises
``NegotiationError`` whose ``code`` names what is wrong (never another exception).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

TPKT_VERSION = 3
TPKT_HEADER_LENGTH = 4
X224_CR = 0xE0
X224_CC = 0xD0
X224_DR = 0x80
X224_ERROR = 0x70
SERVER_SRC_REF = 0x1234
FIXED_PART = 6  # LI value of a TPDU without variable part (code, DST-REF, SRC-REF, class)
NEG_LENGTH = 8
TYPE_RDP_NEG_REQ = 0x01
TYPE_RDP_NEG_RSP = 0x02
TYPE_RDP_NEG_FAILURE = 0x03
MIN_CONFIRM_LENGTH = 11
# A Connection Confirm is 11 or 19 bytes. A reply announcing more than this is not one, whatever it is:
# refusing it early keeps a hostile or confused peer from making the probe read (or wait for) a lot.
MAX_CONFIRM_LENGTH = 64
MAX_COOKIE_LENGTH = 127

PROTOCOLS = {"rdp": 0x00, "ssl": 0x01, "hybrid": 0x02, "rdstls": 0x04, "hybrid_ex": 0x08, "rdsaad": 0x10}
PROTOCOL_NAMES = {value: name for name, value in PROTOCOLS.items()}
TLS_PROTOCOLS = ("ssl", "hybrid", "hybrid_ex", "rdstls", "rdsaad")
# The order a server prefers when the client offers several (the strongest first).
PREFERENCE = ("hybrid_ex", "hybrid", "ssl", "rdp")

FAILURES = {
    1: ("SSL_REQUIRED_BY_SERVER", "the server requires TLS or CredSSP (Enhanced RDP Security)"),
    2: ("SSL_NOT_ALLOWED_BY_SERVER", "the server only accepts Standard RDP Security (SecurityLayer 0)"),
    3: ("SSL_CERT_NOT_ON_SERVER", "the server has no valid certificate for TLS"),
    4: ("INCONSISTENT_FLAGS", "the requested protocols are inconsistent with the protocol in effect"),
    5: ("HYBRID_REQUIRED_BY_SERVER", "the server requires CredSSP (Network Level Authentication)"),
    6: ("SSL_WITH_USER_AUTH_REQUIRED_BY_SERVER", "the server requires TLS with client certificate authentication"),
}
FAILURE_CODES = {name: code for code, (name, _unused) in FAILURES.items()}

RESPONSE_FLAGS = {
    0x01: "EXTENDED_CLIENT_DATA_SUPPORTED", 0x02: "DYNVC_GFX_PROTOCOL_SUPPORTED", 0x04: "NEGRSP_FLAG_RESERVED",
    0x08: "RESTRICTED_ADMIN_MODE_SUPPORTED", 0x10: "REDIRECTED_AUTHENTICATION_MODE_SUPPORTED",
}

ERROR_CODES = {
    "not_tpkt": "the reply is not a TPKT packet (another service answers on this port?)",
    "bad_length": "the TPKT length is impossible for a Connection Confirm",
    "oversized": f"the reply announces more than {MAX_CONFIRM_LENGTH} bytes; a Connection Confirm has 11 or 19",
    "truncated": "the reply ended before the announced length",
    "bad_length_indicator": "the X.224 length indicator does not match the packet length",
    "disconnect": "the server answered with an X.224 Disconnect Request",
    "tpdu_error": "the server answered with an X.224 TPDU Error",
    "not_connection_confirm": "the X.224 TPDU is not a Connection Confirm",
    "bad_class": "the Connection Confirm is not X.224 class 0",
    "bad_negotiation_length": "the negotiation structure does not have length 8",
    "unknown_negotiation_type": "the negotiation structure is neither RDP_NEG_RSP nor RDP_NEG_FAILURE",
    "unknown_protocol": "the server selected a protocol this probe does not know",
    "not_connection_request": "the packet is not an X.224 Connection Request",
}


class NegotiationError(Exception):
    """A reply that is not a well-formed Connection Confirm. ``code`` is one of ``ERROR_CODES``."""

    def __init__(self, code: str, detail: str = ""):
        self.code = code
        self.detail = detail
        text = ERROR_CODES[code]
        super().__init__(f"{text} ({detail})" if detail else text)


@dataclass(frozen=True)
class ConnectionConfirm:
    """What the server answered. ``negotiated`` is False for a legacy reply without negotiation data."""

    negotiated: bool
    selected_protocol: str | None = None
    failure_code: int | None = None
    flags: tuple = ()
    trailing_bytes: int = 0

    @property
    def failure_name(self):
        if self.failure_code is None:
            return None
        return FAILURES.get(self.failure_code, (f"UNKNOWN_FAILURE_{self.failure_code}", ""))[0]

    @property
    def failure_meaning(self):
        if self.failure_code is None:
            return None
        return FAILURES.get(self.failure_code, ("", "an undocumented failure code"))[1]


@dataclass(frozen=True)
class ConnectionRequest:
    requested: int
    flags: int = 0
    cookie: bytes | None = None
    negotiation: bool = True
    names: tuple = field(default=())


# --- the request (client side) --------------------------------------------------------------------------

def protocol_mask(protocols) -> int:
    """Bit mask of requestedProtocols for protocol names (``rdp`` has no bit: it is always implied)."""
    mask = 0
    for name in protocols:
        if name not in PROTOCOLS:
            raise ValueError(f"unknown RDP protocol {name!r}; allowed: {', '.join(PROTOCOLS)}")
        mask |= PROTOCOLS[name]
    return mask


def protocol_names(mask: int) -> list:
    names = [name for name, bit in PROTOCOLS.items() if bit and mask & bit]
    return names or ["rdp"]


def build_connection_request(protocols=("ssl", "hybrid"), cookie: str | None = None) -> bytes:
    """TPKT + X.224 CR + optional ``Cookie: mstshash=...`` + RDP_NEG_REQ (flags 0)."""
    variable = b""
    if cookie is not None:
        if not cookie.isascii() or any(c in cookie for c in "\r\n\0") or len(cookie) > MAX_COOKIE_LENGTH:
            raise ValueError(f"cookie must be printable ASCII without CR/LF, at most {MAX_COOKIE_LENGTH} characters")
        variable += b"Cookie: mstshash=" + cookie.encode("ascii") + b"\r\n"
    variable += struct.pack("<BBHI", TYPE_RDP_NEG_REQ, 0, NEG_LENGTH, protocol_mask(protocols))
    length = TPKT_HEADER_LENGTH + 1 + FIXED_PART + len(variable)
    return (struct.pack(">BBH", TPKT_VERSION, 0, length) + struct.pack(">BBHHB", length - 5, X224_CR, 0, 0, 0)
            + variable)


# --- the reply (client side) ----------------------------------------------------------------------------

def confirm_length(header: bytes) -> int:
    """Total length announced by the 4-byte TPKT header of a reply; raises NegotiationError if impossible."""
    if len(header) < TPKT_HEADER_LENGTH:
        raise NegotiationError("truncated", f"{len(header)} of 4 header bytes")
    if header[0] != TPKT_VERSION:
        raise NegotiationError("not_tpkt", f"first byte 0x{header[0]:02x}, expected 0x03")
    length = int.from_bytes(header[2:4], "big")
    if length < MIN_CONFIRM_LENGTH:
        raise NegotiationError("bad_length", f"TPKT length {length} < {MIN_CONFIRM_LENGTH}")
    if length > MAX_CONFIRM_LENGTH:
        raise NegotiationError("oversized", f"TPKT length {length}")
    return length


def parse_connection_confirm(packet: bytes) -> ConnectionConfirm:
    """Decode one complete TPKT packet (header included) that should be a Connection Confirm."""
    length = confirm_length(packet[:TPKT_HEADER_LENGTH])
    if len(packet) < length:
        raise NegotiationError("truncated", f"{len(packet)} of {length} bytes")
    if len(packet) > length:
        raise NegotiationError("bad_length", f"{len(packet) - length} bytes after the announced length {length}")
    tpdu = packet[TPKT_HEADER_LENGTH:]
    indicator, code = tpdu[0], tpdu[1]
    if code == X224_DR:
        raise NegotiationError("disconnect")
    if code == X224_ERROR:
        raise NegotiationError("tpdu_error")
    if code != X224_CC:
        raise NegotiationError("not_connection_confirm", f"TPDU code 0x{code:02x}")
    if indicator != length - 5 or indicator < FIXED_PART:
        raise NegotiationError("bad_length_indicator", f"LI {indicator}, packet length {length}")
    if tpdu[6] != 0:
        raise NegotiationError("bad_class", f"class/options 0x{tpdu[6]:02x}")
    if indicator == FIXED_PART:
        return ConnectionConfirm(negotiated=False, selected_protocol="rdp")
    if indicator < FIXED_PART + NEG_LENGTH:
        raise NegotiationError("bad_length_indicator",
                               f"LI {indicator} leaves {indicator - FIXED_PART} bytes for 8-byte negotiation data")
    neg_type, flags, neg_length, value = struct.unpack("<BBHI", tpdu[7:15])
    trailing = indicator - FIXED_PART - NEG_LENGTH
    if neg_length != NEG_LENGTH:
        raise NegotiationError("bad_negotiation_length", f"length field {neg_length}")
    if neg_type == TYPE_RDP_NEG_RSP:
        if value not in PROTOCOL_NAMES:
            raise NegotiationError("unknown_protocol", f"selectedProtocol 0x{value:08x}")
        names = tuple(name for bit, name in RESPONSE_FLAGS.items() if flags & bit)
        return ConnectionConfirm(negotiated=True, selected_protocol=PROTOCOL_NAMES[value], flags=names,
                                 trailing_bytes=trailing)
    if neg_type == TYPE_RDP_NEG_FAILURE:
        return ConnectionConfirm(negotiated=True, failure_code=value, trailing_bytes=trailing)
    raise NegotiationError("unknown_negotiation_type", f"type 0x{neg_type:02x}")


# --- the server side (used by the simulated listener and the tests) ---------------------------------------

def request_length(header: bytes) -> int:
    """Total length of a client's TPKT packet, for a server reading a Connection Request."""
    if len(header) < TPKT_HEADER_LENGTH or header[0] != TPKT_VERSION:
        raise NegotiationError("not_tpkt")
    length = int.from_bytes(header[2:4], "big")
    if length < MIN_CONFIRM_LENGTH or length > 512:
        raise NegotiationError("bad_length", f"TPKT length {length}")
    return length


def parse_connection_request(packet: bytes) -> ConnectionRequest:
    """Decode a client's Connection Request (cookie or routing token, then optional RDP_NEG_REQ)."""
    length = request_length(packet[:TPKT_HEADER_LENGTH])
    if len(packet) != length:
        raise NegotiationError("truncated", f"{len(packet)} of {length} bytes")
    tpdu = packet[TPKT_HEADER_LENGTH:]
    if tpdu[1] != X224_CR:
        raise NegotiationError("not_connection_request", f"TPDU code 0x{tpdu[1]:02x}")
    if tpdu[0] != length - 5:
        raise NegotiationError("bad_length_indicator", f"LI {tpdu[0]}, packet length {length}")
    rest = tpdu[1 + FIXED_PART:]
    cookie = None
    if rest.startswith(b"Cookie: ") or rest.startswith(b"Cookie:"):
        end = rest.find(b"\r\n")
        if end < 0:
            raise NegotiationError("truncated", "cookie without CR LF")
        cookie, rest = rest[:end], rest[end + 2:]
    if len(rest) < NEG_LENGTH:
        return ConnectionRequest(requested=0, cookie=cookie, negotiation=False, names=("rdp",))
    neg_type, flags, neg_length, requested = struct.unpack("<BBHI", rest[:NEG_LENGTH])
    if neg_type != TYPE_RDP_NEG_REQ or neg_length != NEG_LENGTH:
        raise NegotiationError("unknown_negotiation_type", f"type 0x{neg_type:02x} length {neg_length}")
    return ConnectionRequest(requested=requested, flags=flags, cookie=cookie,
                             names=tuple(protocol_names(requested)))


def build_connection_confirm(selected: str | None = None, failure: int | None = None, flags: int = 0,
                             negotiated: bool = True) -> bytes:
    """A server's Connection Confirm: RDP_NEG_RSP (``selected``), RDP_NEG_FAILURE (``failure``), or, with
    ``negotiated=False``, the legacy 11-byte reply without negotiation data."""
    if not negotiated:
        variable = b""
    elif failure is not None:
        variable = struct.pack("<BBHI", TYPE_RDP_NEG_FAILURE, 0, NEG_LENGTH, failure)
    else:
        variable = struct.pack("<BBHI", TYPE_RDP_NEG_RSP, flags, NEG_LENGTH, PROTOCOLS[selected])
    length = TPKT_HEADER_LENGTH + 1 + FIXED_PART + len(variable)
    return (struct.pack(">BBH", TPKT_VERSION, 0, length)
            + struct.pack(">BBHHB", length - 5, X224_CC, 0, SERVER_SRC_REF, 0) + variable)
