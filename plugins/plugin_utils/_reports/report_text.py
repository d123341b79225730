# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Text that comes from hosts is untrusted: make it safe to put into any report format.

Each format escapes its own syntax (HTML, XML, Markdown, CSV, Prometheus). What every format needs
first is text that is valid Unicode without control characters, which this module provides. Pure Python.
"""

from __future__ import annotations

import re

# Characters XML 1.0 cannot carry even escaped (C0 controls except tab, LF, CR; U+FFFE/U+FFFF; surrogates).
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def _visible(match):
    return f"\\x{ord(match.group()):02x}" if ord(match.group()) < 0x100 else f"\\u{ord(match.group()):04x}"


def printable(text) -> str:
    """``text`` as a str with control characters shown as \\xNN (newlines and tabs kept)."""
    return _INVALID.sub(_visible, "" if text is None else str(text))


def one_line(text) -> str:
    """``printable`` text on one line (tables cannot hold line breaks)."""
    return re.sub(r"[\r\n\t]+", " ", printable(text))
