# -*- coding: utf-8 -*-
# Copyright: (c) 2026, rdp.windows contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Readers the tests use to check each report format independently of the code that wrote it:
an XSD validator for JUnit, prometheus_client's parser, the csv module, markdown-it (a CommonMark parser
with GFM tables), lxml for HTML, and a real headless browser (Debian's chromium)."""

import csv
import io
import os
import shutil
import subprocess
import tempfile

import lxml.etree
import lxml.html
import xmlschema
from markdown_it import MarkdownIt
from prometheus_client.parser import text_string_to_metric_families

HERE = os.path.dirname(os.path.abspath(__file__))
JUNIT_XSD = os.path.join(HERE, "data", "junit.xsd")

# Values a hostile or broken host could return; each must come out of every report as plain text.
HOSTILE = (
    "<script>document.body.setAttribute('data-pwned','script')</script>",
    "<img src=x onerror=\"document.body.setAttribute('data-pwned','img')\">",
    "=cmd|' /C calc'!A0",
    "+SUM(1,1)*cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "| a | b || c |",
    "]]><!-- \"quoted\" & 'single' \\back\\slash",
    "`code` *bold* _it_ [link](http://evil.example/x) @here #1 $x$ ~~s~~",
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# --- JUnit -----------------------------------------------------------------------------------------------

def junit_schema():
    return xmlschema.XMLSchema(JUNIT_XSD)


def junit_cases(text):
    """(classname, name, outcome tag or 'pass', message) for every test case."""
    root = lxml.etree.fromstring(text.encode("utf-8"))
    cases = []
    for case in root.iter("testcase"):
        outcome = next(iter(case), None)
        tag = outcome.tag if outcome is not None and outcome.tag in ("failure", "error", "skipped") else "pass"
        cases.append((case.get("classname"), case.get("name"), tag,
                      outcome.get("message") if tag != "pass" else None,
                      (outcome.text or "") if tag != "pass" else ""))
    return root, cases


# --- Prometheus --------------------------------------------------------------------------------------------

def prometheus_samples(text):
    """metric name -> {frozenset(labels.items()): value}, through prometheus_client's text parser."""
    samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            samples.setdefault(sample.name, {})[frozenset(sample.labels.items())] = sample.value
    return samples


# --- CSV ---------------------------------------------------------------------------------------------------

def csv_rows(text):
    return list(csv.DictReader(io.StringIO(text, newline="")))


def csv_unescape(cell):
    """The value a spreadsheet shows: the apostrophe prefix marks text and is not displayed."""
    return cell[1:] if cell.startswith("'") and cell[1:].lstrip(" ").startswith(FORMULA_START) else cell


# --- Markdown ----------------------------------------------------------------------------------------------

def markdown_tables(text):
    """Every GFM table of the document as lists of cell texts (what a reader sees), header row first."""
    parser = MarkdownIt("commonmark").enable("table")
    html = parser.render(text)
    document = lxml.html.fromstring(f"<div>{html}</div>")
    tables = []
    for table in document.iter("table"):
        tables.append([[cell.text_content() for cell in row.iter("th", "td")] for row in table.iter("tr")])
    return tables, document


# --- HTML in a real browser --------------------------------------------------------------------------------

CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync")


def chromium():
    path = shutil.which("chromium")
    if path is None:
        raise RuntimeError("chromium is not installed: `make test` installs it (apt-get install chromium)")
    return path


def browser_dom(path, fragment=""):
    """The DOM after the page's script ran, as chromium's --dump-dom serializes it, parsed with lxml."""
    with tempfile.TemporaryDirectory(prefix="rdp-chromium-") as profile:
        url = "file://" + os.path.abspath(path) + (f"#{fragment}" if fragment else "")
        run = subprocess.run([chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom", url],
                             capture_output=True, text=True, timeout=120, check=False)
    if run.returncode != 0 or "<html" not in run.stdout:
        raise RuntimeError(f"chromium failed ({run.returncode}): {run.stderr[-2000:]}")
    return lxml.html.fromstring(run.stdout)


def browser_screenshot(path, output, size="1280,2000"):
    with tempfile.TemporaryDirectory(prefix="rdp-chromium-") as profile:
        run = subprocess.run([chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--window-size={size}",
                              f"--screenshot={output}", "file://" + os.path.abspath(path)],
                             capture_output=True, text=True, timeout=120, check=False)
    if run.returncode != 0 or not os.path.exists(output):
        raise RuntimeError(f"chromium failed ({run.returncode}): {run.stderr[-2000:]}")
    return output
