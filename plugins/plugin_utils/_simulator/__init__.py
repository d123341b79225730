# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The simulated Windows host (docs/simulator.md): its state, Windows' behaviour, and twins of the modules.

For the internal use of the rdp.windows collection only: not a public API, it may change without notice.
"""
