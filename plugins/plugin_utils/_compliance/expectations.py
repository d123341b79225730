# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a control expects of a value: small comparison objects shared by audit and remediation.

Each expectation answers three questions: does an actual value match (``matches``), how is it shown to a
person (``describe``), and which value does remediation write (``target``; None means "remove the value
and let the Windows default apply").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Equals:
    value: Any

    def matches(self, actual: Any) -> bool:
        return actual == self.value

    def describe(self) -> Any:
        return self.value

    @property
    def target(self) -> Any:
        return self.value


@dataclass(frozen=True)
class OneOf:
    values: tuple
    preferred: Any

    def matches(self, actual: Any) -> bool:
        return actual in self.values

    def describe(self) -> Any:
        return {"one_of": list(self.values)}

    @property
    def target(self) -> Any:
        return self.preferred


@dataclass(frozen=True)
class Between:
    """An integer in [low, high]; ``exclude`` lists values inside the range that are still wrong (e.g. 0 = no limit)."""

    low: int
    high: int
    preferred: Any
    exclude: tuple = ()

    def matches(self, actual: Any) -> bool:
        return (isinstance(actual, int) and not isinstance(actual, bool)
                and self.low <= actual <= self.high and actual not in self.exclude)

    def describe(self) -> Any:
        text = {"min": self.low, "max": self.high}
        if self.exclude:
            text["not"] = list(self.exclude)
        return text

    @property
    def target(self) -> Any:
        return self.preferred


@dataclass(frozen=True)
class AtLeastOrAbsent:
    """Either the value is absent (Windows default applies) or it is at least ``minimum``."""

    minimum: int
    absent_ok: bool = True

    def matches(self, actual: Any) -> bool:
        if actual is None:
            return self.absent_ok
        return isinstance(actual, int) and not isinstance(actual, bool) and actual >= self.minimum

    def describe(self) -> Any:
        return {"min": self.minimum, "absent_ok": self.absent_ok}

    @property
    def target(self) -> Any:
        return None if self.absent_ok else self.minimum


@dataclass(frozen=True)
class SetContains:
    """A set of identifiers (SIDs, addresses) that must contain ``required`` and, if ``exclusive``, nothing else."""

    required: tuple
    exclusive: bool = False
    allowed_extra: tuple = ()

    def matches(self, actual: Any) -> bool:
        have = set(actual or ())
        if not set(self.required) <= have:
            return False
        if self.exclusive:
            return have <= set(self.required) | set(self.allowed_extra)
        return True

    def describe(self) -> Any:
        text = {"contains": sorted(self.required)}
        if self.exclusive:
            text["exclusive"] = True
        return text

    @property
    def target(self) -> Any:
        return sorted(self.required)


@dataclass(frozen=True)
class SetIncludesAny:
    """A set of identifiers that must hold at least one of ``candidates``; a fix adds ``preferred``."""

    candidates: tuple
    preferred: str

    def matches(self, actual: Any) -> bool:
        return bool(set(actual or ()) & set(self.candidates))

    def describe(self) -> Any:
        return {"contains_any": sorted(self.candidates)}

    @property
    def target(self) -> Any:
        return [self.preferred]


@dataclass(frozen=True)
class SetExcludes:
    """A set of identifiers that must hold none of ``forbidden``."""

    forbidden: tuple

    def matches(self, actual: Any) -> bool:
        return not (set(actual or ()) & set(self.forbidden))

    def describe(self) -> Any:
        return {"excludes": sorted(self.forbidden)}

    @property
    def target(self) -> Any:
        return sorted(self.forbidden)


@dataclass(frozen=True)
class Present:
    """A structured object (firewall rule, QoS policy) must exist with the given properties."""

    properties: dict = field(default_factory=dict)

    def matches(self, actual: Any) -> bool:
        if not isinstance(actual, dict):
            return False
        return all(actual.get(key) == value for key, value in self.properties.items())

    def describe(self) -> Any:
        return dict(self.properties)

    @property
    def target(self) -> Any:
        return dict(self.properties)
