# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Describe the certificate an RDP listener presented: the fields an administrator compares with the
listener's binding (SHA-1 thumbprint, as Windows shows it), expiry, and whether it matches the name used."""

from __future__ import annotations

import datetime
import hashlib
import ipaddress

try:
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
    from cryptography.x509.oid import NameOID
except ImportError as error:  # a requirement of the collection (requirements.txt); absent in ansible-test's import test
    CRYPTOGRAPHY_ERROR = error
else:
    CRYPTOGRAPHY_ERROR = None


def _iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _alt_names(cert):
    try:
        extension = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return [], []
    except ValueError:  # a malformed extension: report none rather than fail the probe
        return [], []
    dns = [str(name) for name in extension.get_values_for_type(x509.DNSName)]
    addresses = [str(address) for address in extension.get_values_for_type(x509.IPAddress)]
    return dns, addresses


def _common_names(cert):
    try:
        return [str(attr.value) for attr in cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]
    except ValueError:
        return []


def dns_name_matches(pattern: str, name: str) -> bool:
    """RFC 6125 matching: case-insensitive, a wildcard only as the whole left-most label."""
    pattern, name = pattern.lower().rstrip("."), name.lower().rstrip(".")
    if pattern == name:
        return True
    if pattern.startswith("*.") and "." in name:
        return name.split(".", 1)[1] == pattern[2:] and pattern.count(".") >= 2
    return False


def name_matches(cert, host_name: str) -> bool:
    dns, addresses = _alt_names(cert)
    try:
        wanted = ipaddress.ip_address(host_name)
    except ValueError:
        wanted = None
    if wanted is not None:
        return any(ipaddress.ip_address(address) == wanted for address in addresses) or \
            (not dns and not addresses and host_name in _common_names(cert))
    candidates = dns or _common_names(cert)
    return any(dns_name_matches(pattern, host_name) for pattern in candidates)


def _key(cert):
    try:
        key = cert.public_key()
    except (ValueError, TypeError):  # an unsupported or malformed key
        return "unknown", None
    if isinstance(key, rsa.RSAPublicKey):
        return "rsa", key.key_size
    if isinstance(key, ec.EllipticCurvePublicKey):
        return "ec", key.curve.key_size
    if isinstance(key, dsa.DSAPublicKey):
        return "dsa", key.key_size
    if isinstance(key, (ed25519.Ed25519PublicKey, ed448.Ed448PublicKey)):
        return "eddsa", None
    return "unknown", None


def _validity(cert):
    """(not_before, not_after) as aware UTC datetimes (cryptography before 42 has only naive ones)."""
    if hasattr(cert, "not_valid_after_utc"):
        return cert.not_valid_before_utc, cert.not_valid_after_utc
    return (cert.not_valid_before.replace(tzinfo=datetime.timezone.utc),
            cert.not_valid_after.replace(tzinfo=datetime.timezone.utc))


def _self_signed(cert) -> bool:
    if cert.subject != cert.issuer:
        return False
    if not hasattr(cert, "verify_directly_issued_by"):  # cryptography before 40: trust the names
        return True
    try:
        cert.verify_directly_issued_by(cert)
    except Exception:  # pylint: disable=broad-except  # any failure to verify means "not provably self-signed"
        return False
    return True


def _signature_hash(cert):
    try:
        algorithm = cert.signature_hash_algorithm
    except Exception:  # pylint: disable=broad-except  # unsupported algorithm
        return None
    return algorithm.name if algorithm is not None else None


def describe(der: bytes, host_name: str, now: datetime.datetime | None = None) -> dict:
    """The certificate's fields; raises ValueError when the DER cannot be parsed."""
    if CRYPTOGRAPHY_ERROR is not None:
        raise ImportError(f"reading the RDP certificate needs the Python package cryptography: {CRYPTOGRAPHY_ERROR}")
    now = now or datetime.datetime.now(datetime.timezone.utc)
    cert = x509.load_der_x509_certificate(der)
    not_before, not_after = _validity(cert)
    dns, addresses = _alt_names(cert)
    key_type, key_bits = _key(cert)
    return {
        "subject": cert.subject.rfc4514_string(),
        "issuer": cert.issuer.rfc4514_string(),
        "common_names": _common_names(cert),
        "san_dns": dns,
        "san_ip": addresses,
        "not_before": _iso(not_before),
        "not_after": _iso(not_after),
        "days_left": int((not_after - now).total_seconds() // 86400),
        "expired": now > not_after,
        "not_yet_valid": now < not_before,
        "thumbprint_sha1": hashlib.sha1(der).hexdigest().upper(),  # nosec: the identifier Windows shows
        "thumbprint_sha256": hashlib.sha256(der).hexdigest().upper(),
        "serial_number": format(cert.serial_number, "X"),
        "self_signed": _self_signed(cert),
        "name_checked": host_name,
        "name_matches": name_matches(cert, host_name),
        "key_type": key_type,
        "key_bits": key_bits,
        "signature_hash": _signature_hash(cert),
    }
