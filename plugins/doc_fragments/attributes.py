# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    """Attributes shared by the actions that work on Windows hosts (audit, remediate, diagnose)."""

    DOCUMENTATION = r"""
attributes:
  platform:
    support: full
    platforms: windows
    description: Windows Server 2016 to 2025, Windows 10 and 11.
"""

    # The actions that read the host once and do everything else on the controller.
    READS_ONCE = r"""
attributes:
  action:
    support: full
    description: Runs on the controller; the only call to the host is M(rdp.windows.host_info).
"""
