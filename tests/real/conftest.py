# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Real RDP servers on loopback, started once for the tests of this directory and stopped after them."""

import hashlib

import pytest
from cryptography.hazmat.primitives import serialization

from tests import rdp_servers
from tests.tcp_peers import make_certificate


@pytest.fixture(scope="package")
def certificate():
    cert, cert_pem, key_pem = make_certificate("rdp.test", days_left=200, sans=("rdp.test", "127.0.0.1"),
                                               key="rsa")
    return {"pem": cert_pem, "key": key_pem,
            "sha1": hashlib.sha1(cert.public_bytes(serialization.Encoding.DER)).hexdigest().upper()}


@pytest.fixture(scope="package")
def xrdp_tls(tmp_path_factory, certificate):
    with rdp_servers.Xrdp(tmp_path_factory.mktemp("xrdp-tls"), "tls", certificate["pem"], certificate["key"]) as s:
        yield s


@pytest.fixture(scope="package")
def xrdp_rdp_only(tmp_path_factory, certificate):
    with rdp_servers.Xrdp(tmp_path_factory.mktemp("xrdp-rdp"), "rdp", certificate["pem"], certificate["key"]) as s:
        yield s


@pytest.fixture(scope="package")
def display(tmp_path_factory):
    with rdp_servers.Xvfb(tmp_path_factory.mktemp("xvfb")) as xvfb:
        yield xvfb.display


@pytest.fixture(scope="package")
def shadow_nla(tmp_path_factory, display, certificate):
    with rdp_servers.ShadowServer(tmp_path_factory.mktemp("shadow-nla"), display, "nla", certificate["pem"],
                                  certificate["key"]) as server:
        yield server


@pytest.fixture(scope="package")
def shadow_tls(tmp_path_factory, display, certificate):
    with rdp_servers.ShadowServer(tmp_path_factory.mktemp("shadow-tls"), display, "tls", certificate["pem"],
                                  certificate["key"]) as server:
        yield server


@pytest.fixture(scope="package")
def shadow_rdp_only(tmp_path_factory, display, certificate):
    with rdp_servers.ShadowServer(tmp_path_factory.mktemp("shadow-rdp"), display, "rdp", certificate["pem"],
                                  certificate["key"]) as server:
        yield server


@pytest.fixture(scope="package")
def xrdp_expiring(tmp_path_factory):
    """xrdp with a certificate that expires in 10 days."""
    _unused, cert_pem, key_pem = make_certificate("rdp.test", days_left=10, sans=("rdp.test",), key="rsa")
    with rdp_servers.Xrdp(tmp_path_factory.mktemp("xrdp-expiring"), "tls", cert_pem, key_pem) as server:
        yield server


@pytest.fixture(scope="package")
def shadow_any(tmp_path_factory, display, certificate):
    """FreeRDP's shadow server with every security protocol allowed (NLA offered, not required)."""
    with rdp_servers.ShadowServer(tmp_path_factory.mktemp("shadow-any"), display, None, certificate["pem"],
                                  certificate["key"]) as server:
        yield server
