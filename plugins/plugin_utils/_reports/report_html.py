# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""rdp-compliance.html: one self-contained page a person can open from a job's artifacts.

Fleet summary first, with inline SVG charts of compliance by area and by host; then a sortable, filterable
table of failing controls (expected vs actual value and where it comes from), the hosts that were not
audited, the waivers and when they expire, and every host's details.

The page loads nothing: no network, no external assets. Its Content-Security-Policy forbids every
source and allows only its own style and script, by hash. Every value is HTML-escaped on the server side;
the script only reads text (``textContent``) to sort and filter, never writes markup. The table state
lives in the URL fragment (``#q=tls&sort=host&dir=desc``), so a filtered view can be shared as a link.
Pure Python.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html

from . import report_view
from .report_text import printable

CHART_MAX_HOSTS = 60
COLORS = {"pass": "#2e7d32", "waived": "#1565c0", "fail": "#c62828", "error": "#ef6c00", "unreached": "#9e9e9e"}
CHART_STATUSES = ("pass", "waived", "fail", "error")

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:1200px;padding:1rem;
color:#212121}
h1{margin:.2rem 0}h2{margin-top:2rem;border-bottom:1px solid #ddd}
.tiles{display:flex;flex-wrap:wrap;gap:.6rem}.tile{border:1px solid #ddd;border-radius:6px;padding:.5rem .9rem;
min-width:7rem}.tile .n{display:block;font-size:1.8rem;font-weight:600}
.tile.bad .n{color:#c62828}.tile.good .n{color:#2e7d32}.tile.warn .n{color:#ef6c00}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border:1px solid #ddd;padding:.3rem .45rem;
text-align:left;vertical-align:top;overflow-wrap:break-word}td.v{overflow-wrap:anywhere;min-width:8rem}
th{background:#f5f5f5}
th button{font:inherit;background:none;border:0;cursor:pointer;padding:0}
th[aria-sort=ascending] button::after{content:" \\25B2"}th[aria-sort=descending] button::after{content:" \\25BC"}
.status-fail{color:#c62828;font-weight:600}.status-error{color:#ef6c00;font-weight:600}
.status-waived{color:#1565c0}.status-pass{color:#2e7d32}.status-not_applicable{color:#757575}
.controls{display:flex;gap:1rem;align-items:center;margin:.5rem 0}input[type=search]{min-width:22rem;padding:.3rem}
small{color:#616161}details{margin:.3rem 0}summary{cursor:pointer}.legend span{margin-right:1rem}
.swatch{display:inline-block;width:.8rem;height:.8rem;margin-right:.25rem;vertical-align:middle}
.sw-pass{background:#2e7d32}.sw-waived{background:#1565c0}.sw-fail{background:#c62828}.sw-error{background:#ef6c00}
.sw-unreached{background:#9e9e9e}.expired{color:#c62828;font-weight:600}
"""

SCRIPT = """
(function () {
  "use strict";
  var table = document.getElementById("failing-table");
  var input = document.getElementById("failing-filter");
  var select = document.getElementById("failing-status");
  var shown = document.getElementById("failing-shown");
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var state = {q: "", status: "", sort: "", dir: "asc"};

  function readHash() {
    var params = new URLSearchParams(window.location.hash.slice(1));
    state.q = params.get("q") || "";
    state.status = params.get("status") || "";
    state.sort = params.get("sort") || "";
    state.dir = params.get("dir") === "desc" ? "desc" : "asc";
  }

  function writeHash() {
    var params = new URLSearchParams();
    ["q", "status", "sort"].forEach(function (key) { if (state[key]) { params.set(key, state[key]); } });
    if (state.sort && state.dir === "desc") { params.set("dir", "desc"); }
    var text = params.toString();
    history.replaceState(null, "", text ? "#" + text : window.location.pathname + window.location.search);
  }

  function cellText(row, index) { return row.cells[index].textContent; }

  function apply() {
    var query = state.q.toLowerCase();
    var count = 0;
    rows.forEach(function (row) {
      var visible = (!query || row.textContent.toLowerCase().indexOf(query) !== -1) &&
        (!state.status || row.getAttribute("data-status") === state.status);
      row.hidden = !visible;
      if (visible) { count += 1; }
    });
    var column = -1;
    headers.forEach(function (th, index) {
      if (th.getAttribute("data-key") === state.sort) {
        column = index;
        th.setAttribute("aria-sort", state.dir === "desc" ? "descending" : "ascending");
      } else {
        th.removeAttribute("aria-sort");
      }
    });
    var ordered = rows.slice();
    if (column >= 0) {
      var sign = state.dir === "desc" ? -1 : 1;
      ordered.sort(function (a, b) {
        var order = cellText(a, column).localeCompare(cellText(b, column), undefined,
                                                      {numeric: true, sensitivity: "base"});
        return order ? sign * order : rows.indexOf(a) - rows.indexOf(b);
      });
    }
    ordered.forEach(function (row) { table.tBodies[0].appendChild(row); });
    shown.textContent = String(count);
    input.value = state.q;
    select.value = state.status;
  }

  headers.forEach(function (th) {
    var button = th.querySelector("button");
    if (!button) { return; }
    button.addEventListener("click", function () {
      var key = th.getAttribute("data-key");
      state.dir = state.sort === key && state.dir === "asc" ? "desc" : "asc";
      state.sort = key;
      writeHash();
      apply();
    });
  });
  input.addEventListener("input", function () { state.q = input.value; writeHash(); apply(); });
  select.addEventListener("change", function () { state.status = select.value; writeHash(); apply(); });
  window.addEventListener("hashchange", function () { readHash(); apply(); });
  readHash();
  apply();
  document.body.setAttribute("data-ready", "true");
}());
"""


def _hash(text):
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


CSP = (f"default-src 'none'; style-src '{_hash(STYLE)}'; script-src '{_hash(SCRIPT)}'; img-src 'none'; "
       "base-uri 'none'; form-action 'none'")


@functools.lru_cache(maxsize=1 << 16)
def _escaped(text: str) -> str:
    # A fleet repeats the same titles, statuses and values on every host: each is escaped once.
    return html.escape(printable(text), quote=True)


def esc(value) -> str:
    """Any value as escaped HTML text (safe in element content and in quoted attributes)."""
    return _escaped(report_view.value_text(value))


def _status(status):
    return f'<span class="status-{esc(status)}">{esc(status)}</span>'


# --- summary -------------------------------------------------------------------------------------------

def _tile(key, label, number, tone=""):
    return (f'<div class="tile {tone}" data-count="{key}"><span class="n" id="count-{key}">{number}</span>'
            f'{esc(label)}</div>')


def _summary(report):
    summary = report.get("summary") or {}
    totals = report_view.control_totals(report)
    expired = sum(1 for waiver in report.get("waivers") or () if waiver.get("state") == "expired")
    drifted = summary.get("non_compliant", 0) + summary.get("unreachable", 0) + summary.get("error", 0)
    tiles = [
        _tile("hosts", "hosts", summary.get("hosts", 0)),
        _tile("compliant", "compliant", summary.get("compliant", 0), "good"),
        _tile("non_compliant", "not compliant", summary.get("non_compliant", 0),
              "bad" if summary.get("non_compliant") else ""),
        _tile("unreachable", "unreachable", summary.get("unreachable", 0),
              "warn" if summary.get("unreachable") else ""),
        _tile("error", "audit failed", summary.get("error", 0), "warn" if summary.get("error") else ""),
        _tile("failing_controls", "failing controls", totals["fail"] + totals["error"],
              "bad" if totals["fail"] + totals["error"] else ""),
        _tile("waived_controls", "waived controls", totals["waived"]),
        _tile("expired_waivers", "expired waivers", expired, "bad" if expired else ""),
        _tile("findings", "access-log findings", len(report_view.findings(report)),
              "warn" if report_view.findings(report) else ""),
    ]
    verdict = ("All hosts are compliant." if not drifted
               else f"{drifted} of {summary.get('hosts', 0)} hosts need attention.")
    return (f'<section id="summary"><h2>Fleet summary</h2><p id="verdict">{esc(verdict)}</p>'
            f'<div class="tiles">{"".join(tiles)}</div></section>')


# --- charts --------------------------------------------------------------------------------------------

def _legend():
    items = "".join(f'<span><i class="swatch sw-{key}"></i>{label}</span>' for key, label in
                    (("pass", "pass"), ("waived", "waived"), ("fail", "fail"), ("error", "error"),
                     ("unreached", "not audited")))
    return f'<p class="legend">{items}</p>'


def _bar_chart(chart_id, title, bars):
    """bars: (label, counts by status or None for a host that was not audited). Horizontal stacked bars."""
    label_width, bar_width, row, pad = 260, 560, 22, 4
    height = row * len(bars) + pad * 2
    width = label_width + bar_width + 90
    parts = [f'<svg id="{chart_id}" xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}" '
             f'font-family="sans-serif" font-size="12"><title>{esc(title)}</title>']
    for index, (label, counts) in enumerate(bars):
        y = pad + index * row
        text = printable(label)
        short = text if len(text) <= 38 else text[:37] + "\u2026"
        parts.append(f'<g class="bar" data-label="{esc(text)}"><text x="{label_width - 6}" y="{y + 15}" '
                     f'text-anchor="end">{esc(short)}<title>{esc(text)}</title></text>')
        if counts is None:
            parts.append(f'<rect x="{label_width}" y="{y + 3}" width="{bar_width}" height="{row - 6}" '
                         f'fill="{COLORS["unreached"]}"><title>{esc(text)}: not audited</title></rect>'
                         f'<text x="{label_width + bar_width + 6}" y="{y + 15}">not audited</text></g>')
            continue
        total = sum(counts[status] for status in CHART_STATUSES)
        x = float(label_width)
        for status in CHART_STATUSES:
            if not counts[status] or not total:
                continue
            width = bar_width * counts[status] / total
            parts.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{width:.1f}" height="{row - 6}" '
                         f'fill="{COLORS[status]}" data-status="{status}" data-count="{counts[status]}">'
                         f'<title>{esc(text)}: {counts[status]} {status}</title></rect>')
            x += width
        percent = f"{100 * counts['pass'] / total:.0f}% pass" if total else "nothing evaluated"
        parts.append(f'<text x="{label_width + bar_width + 6}" y="{y + 15}">{percent}</text></g>')
    parts.append("</svg>")
    return "".join(parts)


def _charts(report):
    by_area = report_view.counts_by_area(report)
    by_host = report_view.counts_by_host(report)
    entries = dict(report_view.hosts(report))

    def host_key(name):
        counts = by_host[name]
        audited = entries[name].get("status") in report_view.REACHED
        return (audited, -(counts["fail"] + counts["error"]), name)

    names = sorted(by_host, key=host_key)
    shown = names[:CHART_MAX_HOSTS]
    host_bars = [(name, by_host[name] if entries[name].get("status") in report_view.REACHED else None)
                 for name in shown]
    note = (f'<p><small>The {len(shown)} hosts needing most attention are shown; {len(names) - len(shown)} more '
            f'are in the host details below.</small></p>' if len(names) > len(shown) else "")
    return ('<section id="charts"><h2>Compliance by area</h2>' + _legend()
            + _bar_chart("chart-areas", "Control results by area, all audited hosts",
                         list(by_area.items()))
            + '<h2>Compliance by host</h2>'
            + _bar_chart("chart-hosts", "Control results by host", host_bars) + note + "</section>")


# --- tables --------------------------------------------------------------------------------------------

FAILING_COLUMNS = (("host", "Host"), ("control", "Control"), ("area", "Area"), ("status", "Status"),
                   ("expected", "Expected"), ("actual", "Actual"), ("source", "Source"), ("fix", "Fix"))


def _failing(report):
    rows = report_view.failing_rows(report)
    head = "".join(f'<th data-key="{key}" scope="col"><button type="button">{label}</button></th>'
                   for key, label in FAILING_COLUMNS)
    body = []
    for row in rows:
        fix = row["reason"] if row["status"] == "error" else row["remediation"]
        body.append(
            f'<tr data-host="{esc(row["host"])}" data-control="{esc(row["id"])}" data-status="{esc(row["status"])}">'
            f'<td>{esc(row["host"])}</td><td>{esc(row["id"])}<br><small>{esc(row["title"])}</small></td>'
            f'<td>{esc(row["area"])}</td><td>{_status(row["status"])}</td><td class="v">{esc(row["expected"])}</td>'
            f'<td class="v actual">{esc(row["actual"])}</td><td>{esc(row["source"])}</td><td class="v">{esc(fix)}</td>'
            f'</tr>')
    return (f'<section id="failing"><h2>Failing controls</h2><div class="controls">'
            f'<input type="search" id="failing-filter" placeholder="Filter: host, control, value..." '
            f'aria-label="Filter failing controls"><select id="failing-status" aria-label="Status">'
            f'<option value="">fail and error</option><option value="fail">fail</option>'
            f'<option value="error">error</option></select>'
            f'<span>Showing <span id="failing-shown">{len(rows)}</span> of '
            f'<span id="failing-total">{len(rows)}</span></span></div>'
            f'<table id="failing-table"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
            f'</section>')


def _unreached(report):
    rows = report_view.unreached_hosts(report)
    if not rows:
        return ""
    body = "".join(f'<tr data-host="{esc(name)}"><td>{esc(name)}</td><td>{esc(status)}</td><td>{esc(message)}</td>'
                   f'</tr>' for name, status, message in rows)
    return (f'<section id="unreached"><h2>Hosts not audited ({len(rows)})</h2><table id="unreached-table"><thead>'
            f'<tr><th>Host</th><th>Status</th><th>Message</th></tr></thead><tbody>{body}</tbody></table></section>')


def _findings(report):
    rows = report_view.findings(report)
    if not rows:
        return ""
    body = "".join(f'<tr data-host="{esc(host)}" data-severity="{esc(severity)}"><td>{esc(host)}</td>'
                   f'<td>{esc(severity)}</td><td>{esc(fid)}</td><td class="v">{esc(message)}</td></tr>'
                   for host, severity, fid, message in rows)
    return (f'<section id="findings"><h2>Access-log findings ({len(rows)})</h2><p><small>Signs of password '
            f'spraying or brute force in the RDP logons; reported, never acted on.</small></p>'
            f'<table id="findings-table"><thead><tr><th>Host</th><th>Severity</th><th>Finding</th><th>Message</th>'
            f'</tr></thead><tbody>{body}</tbody></table></section>')


def _waivers(report):
    waivers = report_view.waivers(report)
    if not waivers:
        return '<section id="waivers"><h2>Waivers</h2><p>No waiver applies to the hosts of this run.</p></section>'
    body = []
    for waiver in waivers:
        state = waiver.get("state")
        left = waiver.get("days_left")
        body.append(
            f'<tr data-state="{esc(state)}"><td>{esc(waiver.get("control"))}</td><td>{esc(waiver.get("hosts"))}</td>'
            f'<td>{esc(waiver.get("owner"))}</td><td>{esc(waiver.get("expires"))}</td>'
            f'<td>{esc(left)}</td><td class="{"expired" if state == "expired" else ""}">{esc(state)}</td>'
            f'<td>{esc(waiver.get("applied_to"))}</td><td>{esc(waiver.get("expired_on"))}</td>'
            f'<td>{esc(waiver.get("not_needed_on"))}</td><td>{esc(waiver.get("reason"))}</td></tr>')
    return ('<section id="waivers"><h2>Waivers</h2><table id="waivers-table"><thead><tr><th>Control</th>'
            '<th>Hosts</th><th>Owner</th><th>Expires</th><th>Days left</th><th>State</th><th>Waived on</th>'
            '<th>Expired on</th><th>Not needed on</th><th>Reason</th></tr></thead><tbody>'
            + "".join(body) + "</tbody></table></section>")


def _control_row(control):
    detail = esc(control.get("reason") or control.get("remediation"))
    if control.get("outcome"):  # the report of rdp.windows.remediate
        detail = (f'<strong class="outcome">{esc(control["outcome"])}</strong> '
                  f'{esc(control.get("why") or "")}<br>' + detail)
    waiver = control.get("waiver")
    if waiver:
        detail += (f'<br><small>waiver ({esc(waiver.get("state"))}): {esc(waiver.get("reason"))}, owner '
                   f'{esc(waiver.get("owner"))}, until {esc(waiver.get("expires"))}</small>')
    return (f'<tr data-status="{esc(control.get("status"))}"><td>{esc(control.get("id"))}<br>'
            f'<small>{esc(control.get("title"))}</small></td><td>{_status(control.get("status"))}</td>'
            f'<td class="v">{esc(control.get("expected"))}</td><td class="v">{esc(control.get("actual"))}</td>'
            f'<td>{esc(control.get("source"))}</td><td class="v">{detail}</td></tr>')


def _host_details(report):
    parts = ['<section id="hosts"><h2>Hosts</h2>']
    for index, (name, entry) in enumerate(report_view.hosts(report)):
        counts = entry.get("counts") or {}
        brief = ", ".join(f"{counts[status]} {status}" for status in report_view.CONTROL_STATUSES
                          if counts.get(status))
        os_info = entry.get("os") or {}
        parts.append(f'<details class="host" id="host-{index}" data-host="{esc(name)}" '
                     f'data-status="{esc(entry.get("status"))}"><summary><strong>{esc(name)}</strong> '
                     f'{_status(entry.get("status"))} <small>{esc(brief)} {esc(entry.get("profile"))} '
                     f'{esc(os_info.get("caption"))}</small></summary>')
        if entry.get("message"):
            parts.append(f'<p class="message">{esc(entry["message"])}</p>')
        rows = "".join(_control_row(control) for control in entry.get("controls") or ())
        if rows:
            parts.append('<table><thead><tr><th>Control</th><th>Status</th><th>Expected</th><th>Actual</th>'
                         f'<th>Source</th><th>Detail</th></tr></thead><tbody>{rows}</tbody></table>')
        parts.append("</details>")
    parts.append("</section>")
    return "".join(parts)


def render(report) -> str:
    generated = esc(report.get("generated_at"))
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f'<title>RDP compliance report {generated}</title><style>{STYLE}</style></head>\n<body>'
        f'<header><h1>RDP compliance report</h1><p>Generated <time>{generated}</time></p></header>'
        + _summary(report) + _charts(report) + _failing(report) + _unreached(report) + _findings(report)
        + _waivers(report)
        + _host_details(report) + f"<script>{SCRIPT}</script></body></html>\n"
    )
