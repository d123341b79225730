# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one shape of every input error: all the problems found, each naming what the user set. Pure Python."""

from __future__ import annotations


class InputProblems(ValueError):
    """Raised with every problem found at once, so a user fixes their input in one go."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))
