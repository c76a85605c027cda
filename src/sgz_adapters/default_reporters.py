"""Built-in plugin: the ``json`` and ``markdown`` reporters, and ``xlsx`` with the ``xlsx`` extra.

A reporter renders a :class:`~sgz_core.ports.Report` (findings and disbursement schedule of one
programme on a day) to bytes. The JSON shapes are those of ``sgz check`` and ``sgz schedule
--format json``. Resident ID numbers are masked in every cell (PII-1); no xlsx cell is ever a
formula (issue 8). None takes settings.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from typing import Any

import attrs

from sgz_adapters.pii import mask_id_numbers
from sgz_adapters.render import markdown_table, to_json
from sgz_core import hookimpl
from sgz_core.disbursement import Tranche
from sgz_core.errors import InvalidInput, PluginError
from sgz_core.findings import Finding, summarise
from sgz_core.ports import Report, Reporter, Settings

FINDING_COLUMNS = ("rule", "severity", "station", "year", "message", "message_en")
TRANCHE_COLUMNS = ("station", "year", "milestone", "share", "amount", "status", "date")


def finding_record(f: Finding) -> dict[str, Any]:
    return {
        "rule": f.rule,
        "severity": f.severity.value,
        "station": f.station,
        "year": f.year,
        "message": mask_id_numbers(f.message),
        "message_en": mask_id_numbers(f.message_en),
    }


def tranche_record(t: Tranche) -> dict[str, Any]:
    return {
        "station": t.station,
        "year": t.year,
        "milestone": t.milestone.value,
        "share": f"{t.share:.2f}",
        "amount": f"{t.amount:.2f}",
        "status": t.status.value,
        "date": t.date.isoformat() if t.date else None,
    }


def _rows(records: Sequence[dict[str, Any]], columns: Sequence[str]) -> list[list[str]]:
    return [["" if r[c] is None else str(r[c]) for c in columns] for r in records]


def _no_settings(kind: str, settings: Settings) -> None:
    if settings:
        raise InvalidInput(f"reporter {kind}: takes no settings, got {', '.join(settings)}")


@attrs.frozen
class JsonReporter:
    """``{"programme", "title", "as_of", "findings", "summary", "tranches"}`` as UTF-8 JSON."""

    media_type = "application/json"
    suffix = ".json"

    def render(self, report: Report) -> bytes:
        data = {
            "programme": report.programme,
            "title": mask_id_numbers(report.title),
            "as_of": report.as_of.isoformat(),
            "findings": [finding_record(f) for f in report.findings],
            "summary": summarise(list(report.findings)),
            "tranches": [tranche_record(t) for t in report.tranches],
        }
        return (to_json(data) + "\n").encode("utf-8")


@attrs.frozen
class MarkdownReporter:
    """A Markdown document: title, findings table with totals, disbursement table."""

    lang: str = "zh"
    media_type = "text/markdown"
    suffix = ".md"

    def render(self, report: Report) -> bytes:
        findings = [finding_record(f) for f in report.findings]
        message = "message" if self.lang == "zh" else "message_en"
        columns = ["rule", "severity", "station", "year", message]
        lines = [f"# {mask_id_numbers(report.title)}", "", f"As of {report.as_of.isoformat()}.", ""]
        lines += ["## Findings", ""]
        lines.append(
            markdown_table(columns, _rows(findings, columns)) if findings else "No findings."
        )
        totals = summarise(list(report.findings))
        lines += ["", ", ".join(f"{n} {s}" for s, n in totals.items())]
        if report.tranches:
            tranches = [tranche_record(t) for t in report.tranches]
            lines += ["", "## Disbursement", ""]
            lines.append(markdown_table(TRANCHE_COLUMNS, _rows(tranches, TRANCHE_COLUMNS)))
        return ("\n".join(lines) + "\n").encode("utf-8")

    @classmethod
    def from_settings(cls, settings: Settings) -> MarkdownReporter:
        unknown = [k for k in settings if k != "lang"]
        if unknown:
            raise InvalidInput(f"reporter markdown: unknown setting {unknown[0]!r}; expected lang")
        lang = settings.get("lang", "zh")
        if lang not in ("zh", "en"):
            raise InvalidInput(f"reporter markdown: lang: expected zh or en, got {lang!r}")
        return cls(lang)


@attrs.frozen
class XlsxReporter:
    """A workbook with a ``findings`` and a ``disbursement`` sheet (needs the ``xlsx`` extra)."""

    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    suffix = ".xlsx"

    def render(self, report: Report) -> bytes:
        import xlsxwriter  # type: ignore[import-not-found, unused-ignore]

        out = io.BytesIO()
        book = xlsxwriter.Workbook(out, {"in_memory": True})
        bold = book.add_format({"bold": True})
        sheets = (
            ("findings", FINDING_COLUMNS, [finding_record(f) for f in report.findings]),
            ("disbursement", TRANCHE_COLUMNS, [tranche_record(t) for t in report.tranches]),
        )
        for name, columns, records in sheets:
            sheet = book.add_worksheet(name)
            for j, column in enumerate(columns):
                sheet.write_string(0, j, column, bold)
            for i, record in enumerate(records, start=1):
                for j, column in enumerate(columns):
                    _write_cell(sheet, i, j, record[column])
            sheet.freeze_panes(1, 0)
        book.close()
        return out.getvalue()


FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
"""What a spreadsheet may read as the start of a formula (OWASP CSV injection), full-width forms
included: LibreOffice and some Excel locales accept them."""
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def safe_cell(text: str) -> str:
    """``text`` for a spreadsheet cell: ID numbers masked, never a formula.

    A text starting with a formula character gets a leading ``'`` (OWASP's advice), unless it
    is a plain number such as ``-0.50``, which no spreadsheet evaluates."""
    text = mask_id_numbers(text)
    if text.startswith(FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def _write_cell(sheet: Any, row: int, col: int, value: object) -> None:
    """Every text as a string cell (``write_string``: xlsxwriter never guesses a formula)."""
    if value is None:
        sheet.write_blank(row, col, None)
    elif isinstance(value, int) and not isinstance(value, bool):
        sheet.write_number(row, col, value)
    else:
        sheet.write_string(row, col, safe_cell(str(value)))


def _json(settings: Settings) -> Reporter:
    _no_settings("json", settings)
    return JsonReporter()


def _xlsx(settings: Settings) -> Reporter:
    _no_settings("xlsx", settings)
    try:
        import xlsxwriter  # type: ignore[import-not-found, unused-ignore]  # noqa: F401
    except ImportError:
        raise PluginError("reporter xlsx needs the xlsx extra: pip install 'sgz[xlsx]'") from None
    return XlsxReporter()


FACTORIES: dict[str, Callable[[Settings], Reporter]] = {
    "json": _json,
    "markdown": MarkdownReporter.from_settings,
    "xlsx": _xlsx,
}


@hookimpl
def sgz_register_reporters(register: Callable[[str, Callable[[Settings], Reporter]], None]) -> None:
    for name, factory in FACTORIES.items():
        register(name, factory)
