# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Firewall remote addresses in one canonical form, so that what a user writes in rdp_allowed_sources and what
Get-NetFirewallAddressFilter returns (``10.0.0.0/255.0.0.0``, ``LocalSubnet``) compare equal."""

from __future__ import annotations

import ipaddress

# The keywords New-NetFirewallRule -RemoteAddress accepts, in the case Windows returns them.
KEYWORDS = {"any": "Any", "*": "Any", "localsubnet": "LocalSubnet", "dns": "DNS", "dhcp": "DHCP", "wins": "WINS",
            "defaultgateway": "DefaultGateway", "internet": "Internet", "intranet": "Intranet"}


def normalize_address(address):
    """A keyword, an address, a CIDR network (any mask form) or a range 'first-last' in canonical form."""
    text = str(address).strip()
    if text.lower() in KEYWORDS:
        return KEYWORDS[text.lower()]
    try:
        if "/" in text:
            network = ipaddress.ip_network(text, strict=False)
            if network.num_addresses == 1:
                return str(network.network_address)
            return str(network)
        if "-" in text:
            first, _sep, last = text.partition("-")
            first, last = ipaddress.ip_address(first.strip()), ipaddress.ip_address(last.strip())
            return str(first) if first == last else f"{first}-{last}"
        return str(ipaddress.ip_address(text))
    except ValueError:
        return text
