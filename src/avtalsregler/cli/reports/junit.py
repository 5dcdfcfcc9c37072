"""JUnit XML as pytest writes it (``--junit-xml``, family xunit2) and CI test reporters read it:
a ``<testsuites>`` root, one ``<testsuite>`` per clause (or amendment), one ``<testcase>`` per
outcome, a ``<failure>`` for a failed one and an ``<error>`` for bad input; the place
(``path:line:col``) is the first line of the failure's text. Validated against the schema
pytest validates its own output with (``tests/fixtures/schemas/junit-10.xsd``)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from avtalsregler.cli.reports.outcomes import Outcome

_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")     # not allowed in XML 1.0


def _text(s: str) -> str:
    return _BAD_XML.sub("\ufffd", s)


def junit(outcomes: list[Outcome], name: str) -> str:
    root = ET.Element("testsuites", name=_text(name))
    suites: dict[str, list[Outcome]] = {}
    for o in outcomes:
        suites.setdefault(o.suite, []).append(o)
    totals = {"tests": 0, "failures": 0, "errors": 0}
    total_time = 0.0
    for suite, items in suites.items():
        failures = sum(o.status == "failed" for o in items)
        errors = sum(o.status == "error" for o in items)
        seconds = sum(o.seconds for o in items)
        el = ET.SubElement(root, "testsuite", name=_text(suite), tests=str(len(items)), failures=str(failures),
                           errors=str(errors), skipped="0", time=f"{seconds:.3f}")
        for o in items:
            tc = ET.SubElement(el, "testcase", classname=_text(f"{name}.{suite}"), name=_text(f"{o.kind} {o.name}"),
                               time=f"{o.seconds:.3f}")
            if o.status != "passed":
                tag = "failure" if o.status == "failed" else "error"
                sub = ET.SubElement(tc, tag, message=_text(o.message or o.status), type=o.kind)
                sub.text = _text("\n".join(([f"{o.where}: {o.message}"] if o.where else [o.message]) + o.detail))
        totals["tests"] += len(items)
        totals["failures"] += failures
        totals["errors"] += errors
        total_time += seconds
    for k, v in totals.items():
        root.set(k, str(v))
    root.set("time", f"{total_time:.3f}")
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
