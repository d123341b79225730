# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Host data shown to a person as one inert line of text.

What a host returns is untrusted: a service name, a firewall rule name or an error message may hold a
newline that forges an output line, a terminal escape sequence that recolours or clears the screen, or a
bidirectional-override character that makes text read differently from what it is. ``printable`` escapes all
of these (as ``\\n``, ``\\x1b``, ``\\u202e`` ...) and leaves ordinary text, including non-English letters, as it is.
Format-specific escaping (HTML, XML, Markdown, CSV) is the job of each report writer.
"""

from __future__ import annotations

import unicodedata

# Format (Cf: bidi overrides, zero-width characters), control (Cc), line and paragraph separators,
# unassigned and private-use code points are never shown raw.
_UNSAFE_CATEGORIES = ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn")


def _escape(char):
    code = ord(char)
    if char == "\n":
        return "\\n"
    if char == "\r":
        return "\\r"
    if char == "\t":
        return "\\t"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def printable(value) -> str:
    """``value`` as one line of inert text: strings as they are, other values as Python shows them."""
    text = value if isinstance(value, str) else repr(value)
    if text.isprintable():  # False for every character of the unsafe categories (and for any separator but " ")
        return text
    return "".join(_escape(char) if unicodedata.category(char) in _UNSAFE_CATEGORIES else char for char in text)


def inert(data):
    """``data`` with every string in it (keys included) made ``printable``: for results that Ansible prints."""
    if isinstance(data, str):
        return printable(data)
    if isinstance(data, dict):
        return {inert(key) if isinstance(key, str) else key: inert(value) for key, value in data.items()}
    if isinstance(data, (list, tuple)):
        return [inert(item) for item in data]
    return data
