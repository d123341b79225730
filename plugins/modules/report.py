#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# This is a documentation stub: rdp.windows.report is an action plugin that runs on the controller.

DOCUMENTATION = r"""
module: report
short_description: Write the RDP compliance report of a run
description:
  - Collects the result each host of the run recorded (by default the C(rdp_audit_host) fact set by the
    C(rdp.windows.audit) role) and writes the fleet report C(rdp-compliance.json) to O(dest), with the same data
    as JUnit XML (C(rdp-compliance.xml)), a self-contained HTML page (C(rdp-compliance.html)), Markdown
    (C(rdp-compliance.md)), CSV (C(rdp-compliance.csv)) and Prometheus text format (C(rdp-compliance.prom)).
  - With O(sources), merges earlier reports (for example the slices of an AWX sliced job) into one fleet report
    instead, and writes it in all formats.
  - Every value a host returned is escaped for each format (HTML, XML, Markdown, CSV formula injection,
    Prometheus labels). See C(docs/reports.md).
  - A host that recorded nothing appears as C(unreachable). Nothing but the audit's own fields is copied, so no
    inventory or connection variable can reach a report.
  - Runs on the controller, normally in a play on C(localhost).
version_added: 0.1.0
author:
  - rdp.windows contributors (@rdp-windows)
options:
  hosts:
    description: The inventory host names of the run. Required unless O(sources) is given.
    type: list
    elements: str
  sources:
    description:
      - Report files (C(rdp-compliance.json)) or glob patterns to merge into one fleet report, instead of collecting
        the results of the run. A host found in several reports keeps its newest entry (with a warning).
    type: list
    elements: path
  max_age_hours:
    description:
      - With O(sources), leave out the reports generated more than this many hours before the newest one (for
        example the slices of an earlier run left in a shared directory). Not set, every report is merged.
    type: float
  dest:
    description: Directory the report files are written to.
    type: path
    default: ./rdp-reports
  result_var:
    description:
      - Name of the host variable that holds each host's result, either the fact the C(rdp.windows.audit) role
        records or the result registered by an M(rdp.windows.audit) task (then the host's C(rdp_fail_on_drift)
        applies).
    type: str
    default: rdp_audit_host
  basename:
    description:
      - File name of the report without its extension, for example C(rdp-remediation) for the report of
        C(playbooks/remediate.yml).
    type: str
    default: rdp-compliance
attributes:
  check_mode:
    support: full
    description: Writes the report on the controller in check mode too, so an audit run with --check has its report.
  diff_mode:
    support: none
    description: Not applicable.
  platform:
    support: full
    platforms: posix
    description: Runs on the controller.
  action:
    support: full
    description: Runs on the controller.
"""

EXAMPLES = r"""
- name: Write the fleet report
  rdp.windows.report:
    hosts: "{{ rdp_run_hosts }}"
    dest: ./rdp-reports

- name: Merge the reports of the slices of a sliced job
  rdp.windows.report:
    sources:
      - /srv/rdp-reports/slices/*/rdp-compliance.json
    dest: /srv/rdp-reports/fleet
"""

RETURN = r"""
report:
  description: Path of the JSON report.
  returned: always
  type: str
  sample: ./rdp-reports/rdp-compliance.json
files:
  description: Paths of every report file written (JSON, JUnit XML, HTML, Markdown, CSV, Prometheus).
  returned: always
  type: list
  elements: str
artifact:
  description:
    - The compact fleet summary meant for C(ansible.builtin.set_stats) (AWX job artifacts), see C(docs/awx.md).
  returned: always
  type: dict
  sample: {"compliant": false, "hosts": 11, "compliant_hosts": 1, "non_compliant_hosts": 10,
           "drifted": ["rdp-disabled"], "failing_controls": {"connections.allowed": 2}}
summary:
  description: Number of hosts per status.
  returned: always
  type: dict
  sample: {"hosts": 11, "compliant": 1, "non_compliant": 10, "unreachable": 0, "error": 0}
fail_on_drift_hosts:
  description: Non-compliant hosts whose rdp_fail_on_drift was true.
  returned: always
  type: list
  elements: str
input_invalid_hosts:
  description:
    - Hosts whose C(result_var) is a failed M(rdp.windows.audit) result that refused the host's input (it lists
      the C(problems)); nothing was read from them. Empty when the report is merged from O(sources).
  returned: always
  type: list
  elements: str
lines:
  description: A readable summary of every host, with each failing control, its expected and actual value and the fix.
  returned: always
  type: list
  elements: str
"""
