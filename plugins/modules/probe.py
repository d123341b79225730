#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# This is a documentation stub: rdp.windows.probe is an action plugin that runs on the controller.

DOCUMENTATION = r"""
module: probe
short_description: Connect to a host's RDP port the way a client does and report what happened
description:
  - Runs on the controller. Resolves the name, opens a TCP connection, sends an X.224 Connection Request with
    RDP_NEG_REQ offering O(protocols), decodes the server's Connection Confirm (the selected protocol, or the
    negotiation failure and its meaning), and, when TLS was selected, completes the TLS handshake on the same
    connection and describes the server certificate. Then it closes the connection cleanly.
  - Sends no credentials and no CredSSP data. Never hangs, each step (name resolution, TCP connect,
    negotiation, TLS handshake) is bounded by O(timeout), also against a peer that accepts and never answers
    or trickles bytes. Every failure is reported as RV(stage_failed) and RV(error), never as a task failure;
    the task fails only for invalid options.
  - For a host on the C(rdp.windows.simulated) connection, the simulated host's listener is served on a
    loopback port for the duration of the probe, derived from the host's state as Windows would behave.
version_added: 0.2.0
author:
  - rdp.windows contributors (@rdp-windows)
options:
  host:
    description:
      - Host name or address to connect to. The certificate is checked against this name.
      - Defaults to C(ansible_host), else the inventory host name.
    type: str
  port:
    description:
      - TCP port of the RDP listener, 1 to 65535. Defaults to C(rdp_port) when that variable is set, else 3389.
    type: int
  timeout:
    description: Seconds allowed for each step (above 0, at most 60).
    type: float
    default: 3.0
  protocols:
    description:
      - Security protocols to offer in RDP_NEG_REQ. C(ssl) is TLS, C(hybrid) is CredSSP (Network Level
        Authentication), C(hybrid_ex) CredSSP with Early User Authorization, C(rdstls) and C(rdsaad) the
        RDS AAD/TLS variants.
      - C(rdp) alone asks for Standard RDP Security only (no TLS); it cannot be combined with the others,
        because a client offering them always accepts Standard RDP Security as well.
      - Ask for one protocol at a time to see what the listener accepts and refuses.
    type: list
    elements: str
    choices: [rdp, ssl, hybrid, rdstls, hybrid_ex, rdsaad]
    default: [ssl, hybrid]
  tls_min_version:
    description:
      - Oldest TLS version the probe accepts. The default behaves like current clients, which no longer offer
        TLS 1.0 and 1.1; use C(1.0) to see whether a legacy client could still connect.
    type: str
    choices: ['1.0', '1.1', '1.2', '1.3']
    default: '1.2'
  warn_days:
    description: A certificate expiring in fewer days than this gives a C(certificate.expires_soon) finding.
    type: int
    default: 30
  server_name:
    description: Name the certificate must match, when it differs from O(host) (for example an address is used).
    type: str
attributes:
  check_mode:
    support: full
    description: The probe never changes anything.
  diff_mode:
    support: none
    description: Nothing changes.
  platform:
    support: full
    platforms: all
    description: Runs on the controller; the target is any RDP server.
  action:
    support: full
    description: Runs on the controller only.
notes:
  - Byte layouts follow MS-RDPBCGR 2.2.1.1 and 2.2.1.2. A server that selects Standard RDP Security although
    TLS was offered is legal (every client accepts it) and is reported as a warning finding.
  - The same code runs as the C(rdp-check) monitoring command (see C(docs/monitoring.md)).
seealso:
  - module: rdp.windows.diagnose
  - module: rdp.windows.host_info
"""

EXAMPLES = r"""
- name: Probe the host's RDP listener (TLS and NLA offered)
  rdp.windows.probe:
  register: rdp_probe

- name: Does the listener still accept a client without NLA?
  rdp.windows.probe:
    protocols: [ssl]
    timeout: 2

- name: Probe a host by address, checking the certificate against its DNS name
  rdp.windows.probe:
    host: 192.0.2.10
    server_name: rdp01.example.com
    port: 3390
"""

RETURN = r"""
reachable:
  description: True when an RDP listener answered the Connection Request (even with a negotiation failure).
  returned: always
  type: bool
  sample: true
stage_failed:
  description: The step that failed, C(dns), C(tcp), C(x224), C(negotiation) or C(tls); null when every step worked.
  returned: always
  type: str
  sample: negotiation
error:
  description:
    - Null, or the failure with its C(stage), C(class) and a C(message). Classes per stage are
      C(dns) not_found, timeout; C(tcp) refused, timeout, unreachable, error; C(x224) closed, reset, no_reply,
      slow_reply, not_tpkt, oversized, truncated, bad_length, bad_length_indicator, disconnect, tpdu_error,
      not_connection_confirm, bad_class, bad_negotiation_length, unknown_negotiation_type, unknown_protocol;
      C(negotiation) failure, protocol_not_requested; C(tls) handshake_failed, protocol_version, closed,
      reset, timeout, bad_certificate.
  returned: always
  type: dict
  sample: {"stage": "tcp", "class": "timeout", "message": "no answer from 192.0.2.10 port 3389 within 3s"}
host:
  description: The host name or address probed.
  returned: always
  type: str
port:
  description: The port probed.
  returned: always
  type: int
address:
  description: The address the TCP connection was made to.
  returned: always
  type: str
requested_protocols:
  description: The protocols offered.
  returned: always
  type: list
  elements: str
tcp_connect_ms:
  description: Milliseconds to establish the TCP connection; null when it failed.
  returned: always
  type: float
  sample: 1.2
negotiation_ms:
  description: Milliseconds from the Connection Request to the complete Connection Confirm.
  returned: always
  type: float
tls_ms:
  description: Milliseconds of the TLS handshake; null when TLS was not selected or failed.
  returned: always
  type: float
elapsed_ms:
  description: Milliseconds for the whole probe.
  returned: always
  type: float
negotiated:
  description: False when the server answered without negotiation data (a legacy, Standard RDP Security server).
  returned: always
  type: bool
selected_protocol:
  description: C(rdp), C(ssl), C(hybrid), C(hybrid_ex), C(rdstls), C(rdsaad), or null.
  returned: always
  type: str
  sample: hybrid
negotiation_failure:
  description: Null or the RDP_NEG_FAILURE name, for example C(HYBRID_REQUIRED_BY_SERVER) or C(SSL_NOT_ALLOWED_BY_SERVER).
  returned: always
  type: str
negotiation_failure_code:
  description: The failureCode number.
  returned: always
  type: int
negotiation_failure_meaning:
  description: What the failure code means.
  returned: always
  type: str
server_flags:
  description: Flags of RDP_NEG_RSP, by name.
  returned: always
  type: list
  elements: str
tls_version:
  description: The TLS version negotiated, for example C(TLSv1.2).
  returned: always
  type: str
tls_cipher:
  description: The TLS cipher suite negotiated.
  returned: always
  type: str
certificate:
  description: Null, or the server certificate.
  returned: always
  type: dict
  contains:
    subject:
      description: Subject (RFC 4514).
      type: str
    issuer:
      description: Issuer (RFC 4514).
      type: str
    san_dns:
      description: DNS names of the subject alternative name.
      type: list
      elements: str
    san_ip:
      description: IP addresses of the subject alternative name.
      type: list
      elements: str
    not_before:
      description: Start of validity (UTC, ISO 8601).
      type: str
    not_after:
      description: End of validity (UTC, ISO 8601).
      type: str
    days_left:
      description: Whole days until C(not_after) (negative when expired).
      type: int
    expired:
      description: Whether the certificate has expired.
      type: bool
    thumbprint_sha1:
      description: SHA-1 thumbprint in upper-case hex, as Windows shows it (compare with C(SSLCertificateSHA1Hash)).
      type: str
    self_signed:
      description: Subject equals issuer and the certificate verifies with its own key.
      type: bool
    name_matches:
      description: Whether the certificate matches the name used (subject alternative names, else the common name).
      type: bool
findings:
  description: What the observations mean, most severe first, each with C(id), C(severity) (C(critical), C(warning), C(info)) and C(message).
  returned: always
  type: list
  elements: dict
  sample: [{"id": "certificate.self_signed", "severity": "info", "message": "the certificate is self-signed"}]
simulated:
  description: For a simulated host, the loopback endpoint that stood in for it and why it behaved as it did.
  returned: when the host uses the rdp.windows.simulated connection
  type: dict
msg:
  description: One line saying what a client sees.
  returned: always
  type: str
"""
