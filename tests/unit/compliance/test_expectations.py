# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The comparison objects controls expect values with: matches, describe, target."""

from __future__ import annotations

import pytest

from ansible_collections.rdp.windows.plugins.plugin_utils._compliance.expectations import (
    AtLeastOrAbsent, Between, Equals, OneOf, Present, SetContains, SetExcludes)

MATCHES = [
    (Equals(0), 0, True), (Equals(0), 1, False), (Equals(0), None, False), (Equals("running"), "running", True),
    (OneOf((1, 2), preferred=2), 1, True), (OneOf((1, 2), preferred=2), 0, False),
    (Between(1, 900000, preferred=900000), 1, True), (Between(1, 900000, preferred=900000), 900000, True),
    (Between(1, 900000, preferred=900000), 0, False), (Between(1, 900000, preferred=900000), 900001, False),
    (Between(1, 900000, preferred=900000), None, False), (Between(0, 1, preferred=1), True, False),
    (Between(1, 10, preferred=5, exclude=(3,)), 3, False), (Between(1, 10, preferred=5, exclude=(3,)), 4, True),
    (Between(1, 10, preferred=5), "5", False),
    (AtLeastOrAbsent(50), None, True), (AtLeastOrAbsent(50), 49, False), (AtLeastOrAbsent(50), 50, True),
    (AtLeastOrAbsent(50, absent_ok=False), None, False), (AtLeastOrAbsent(50), False, False),
    (SetContains(("a", "b")), ["b", "a", "c"], True), (SetContains(("a", "b")), ["a"], False),
    (SetContains(("a",), exclusive=True), ["a", "c"], False), (SetContains(("a",), exclusive=True), ["a"], True),
    (SetContains(("a",), exclusive=True, allowed_extra=("c",)), ["a", "c"], True),
    (SetContains(()), None, True), (SetContains(("a",)), None, False),
    (SetExcludes(("x", "y")), ["a", "b"], True), (SetExcludes(("x", "y")), ["a", "y"], False),
    (SetExcludes(("x",)), None, True),
    (Present({"enabled": True}), {"enabled": True, "action": "Allow"}, True),
    (Present({"enabled": True}), {"enabled": False}, False), (Present({"enabled": True}), None, False),
    (Present({"enabled": True}), {}, False),
]


@pytest.mark.parametrize("expectation, actual, matches", MATCHES, ids=[f"{e!r}-{a!r}" for e, a, _m in MATCHES])
def test_matches(expectation, actual, matches):
    assert expectation.matches(actual) is matches


DESCRIBE_TARGET = [
    (Equals(3389), 3389, 3389),
    (OneOf((1, 2), preferred=2), {"one_of": [1, 2]}, 2),
    (Between(1, 60000, preferred=60000), {"min": 1, "max": 60000}, 60000),
    (Between(1, 10, preferred=5, exclude=(3,)), {"min": 1, "max": 10, "not": [3]}, 5),
    (AtLeastOrAbsent(50), {"min": 50, "absent_ok": True}, None),
    (AtLeastOrAbsent(100, absent_ok=False), {"min": 100, "absent_ok": False}, 100),
    (SetContains(("b", "a")), {"contains": ["a", "b"]}, ["a", "b"]),
    (SetContains(("a",), exclusive=True), {"contains": ["a"], "exclusive": True}, ["a"]),
    (SetExcludes(("y", "x")), {"excludes": ["x", "y"]}, ["x", "y"]),
    (Present({"dscp": 46}), {"dscp": 46}, {"dscp": 46}),
]


@pytest.mark.parametrize("expectation, describe, target", DESCRIBE_TARGET, ids=[repr(e) for e, _d, _t in DESCRIBE_TARGET])
def test_describe_and_target(expectation, describe, target):
    assert expectation.describe() == describe
    assert expectation.target == target


def test_describe_is_a_copy():
    expectation = Present({"dscp": 46})
    expectation.describe()["dscp"] = 0
    assert expectation.properties == {"dscp": 46}
