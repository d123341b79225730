# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Diagnosis from both ends: the probe (TCP, X.224, TLS), its findings and the host's evidence.

For the internal use of the rdp.windows collection only: not a public API, it may change without notice.
"""
