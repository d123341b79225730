# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The port of Ansible.Basic's argument checks, on the cases where .NET behaves in its own way."""

import pytest

from ansible_collections.rdp.windows.plugins.plugin_utils._simulator import module_args
from ansible_collections.rdp.windows.plugins.plugin_utils._simulator.module_args import BasicChecker, InvalidArguments

SPEC = {"port": {"type": "int", "default": 3389}, "names": {"type": "list", "elements": "int"},
        "flag": {"type": "bool", "default": False}, "mode": {"type": "str", "choices": ["Auto", "Manual"]},
        "key": {"type": "str", "aliases": ["path"]}}


def check(args):
    return BasicChecker("demo.module").check(SPEC, args)


def test_defaults_conversions_and_aliases():
    params = check({"port": "3390", "names": "1, 2", "flag": "yes", "path": "HKLM:\\x", "mode": "auto"})
    assert params == {"port": 3390, "names": [1, 2], "flag": True, "mode": "auto", "key": "HKLM:\\x"}


def test_a_list_element_that_does_not_convert_gives_dotnets_invocation_message():
    with pytest.raises(InvalidArguments) as raised:
        check({"names": ["1", "x"]})
    assert str(raised.value) == ("argument for list entry names is of type System.String and we were unable to "
                                 "convert to int: Exception has been thrown by the target of an invocation.")


@pytest.mark.parametrize("value,message", [
    (2 ** 31, "Value was either too large or too small for an Int32."),
    (True, "Input string was not in a correct format."),
    ("1.5", "Input string was not in a correct format."),
])
def test_int_conversion_fails_like_int32_parse(value, message):
    with pytest.raises(InvalidArguments, match=message):
        check({"port": value})


def test_bool_strings_are_the_ansible_basic_ones():
    assert [module_args.parse_bool(v) for v in ("t", "1.0", "off", "F")] == [True, True, False, False]
    with pytest.raises(ValueError):
        module_args.parse_bool("enabled")


def test_legacy_reads_an_invalid_int_as_null():
    assert module_args.check_legacy({"port": {"type": "int"}}, {"port": "many"}) == {"port": None}
