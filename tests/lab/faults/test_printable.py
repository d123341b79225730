# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""printable(): host data as one inert line."""

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from ansible_collections.rdp.windows.plugins.plugin_utils._reports.printable import printable


def test_line_breaks_terminal_escapes_and_bidi_overrides_are_escaped():
    assert printable("a\r\nok: [x]\x1b[2J\u202egnp.exe\u2028") == "a\\r\\nok: [x]\\x1b[2J\\u202egnp.exe\\u2028"


def test_ordinary_and_non_english_text_is_unchanged():
    text = "Remotedesktopbenutzer NT-AUTORITÄT\\Jeder <b>&amp; {{ x }} 日本語"
    assert printable(text) == text


def test_other_values_are_shown_as_python_shows_them():
    assert printable({"owner": "a\nb"}) == "{'owner': 'a\\nb'}"
    assert printable(None) == "None" and printable(3389) == "3389"


@given(st.text())
def test_the_result_is_always_one_line_without_control_characters(text):
    shown = printable(text)
    assert not any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn") for c in shown)
    assert len(shown.splitlines()) <= 1
