"""Built-in plugin: the ``table``, ``json``, ``markdown`` and ``toml`` reporters, and ``xlsx``
with the ``xlsx`` extra.

A reporter renders a :class:`~sgz_core.ports.Report` (findings and disbursement schedule of one
programme on a day) to bytes; ``table``, ``json`` and ``markdown`` also render every command's
result value (:mod:`sgz_core.results`), dispatching on its type, and are what ``--format``
chooses. The JSON shapes are the public contract of ``programme-format.md``. Resident ID numbers
are masked in every cell (PII-1); no xlsx cell is ever a formula (issue 8). Only ``markdown``
takes a setting (``lang``).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import attrs

from sgz_adapters.output import clean
from sgz_adapters.pii import mask_id_numbers
from sgz_adapters.render import (
    json_chunks,
    json_utf8,
    markdown_table,
    markdown_text,
    table_text,
    to_json,
)
from sgz_adapters.views import (
    adjustment_line,
    adjustment_record,
    check_json,
    finding_record,
    json_data,
    payment_record,
    stats_json,
    tabulate,
    totals_line,
    totals_record,
    tranche_record,
)
from sgz_core import hookimpl, profiles
from sgz_core.errors import InvalidInput, PluginError
from sgz_core.findings import summarise
from sgz_core.ports import Report, Reporter, Settings
from sgz_core.results import KINDS, CheckResult, ScheduleResult, StatsResult

FINDING_COLUMNS = ("rule", "severity", "station", "year", "message", "message_en")
TRANCHE_COLUMNS = ("station", "year", "milestone", "share", "amount", "status", "date")
TOTALS_COLUMNS = (
    "station",
    "year",
    "contract_value",
    "paid",
    "due",
    "held",
    "cancelled",
    "pending",
    "adjustment",
    "outstanding",
)
ADJUSTMENT_COLUMNS = ("station", "year", "tranche", "recorded", "current", "difference", "kind")
PAYMENT_COLUMNS = ("station", "year", "tranche", "amount", "date", "by", "reference")
"""The columns of the tables and workbook sheets: the keys of the schedule's JSON
(programme-format.md)."""


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
    kinds = frozenset(KINDS)

    def render(self, report: Any, *, lang: str = "zh", width: int | None = None) -> bytes:
        """A Report as above; a result value in its command's JSON shape (``programme-format.md``)."""
        if isinstance(report, CheckResult | StatsResult):
            return b"".join(self.render_chunks(report, lang=lang, width=width))
        if not isinstance(report, Report):
            return json_utf8(to_json(json_data(report)) + "\n")
        data = {
            "programme": report.programme,
            "title": mask_id_numbers(report.title),
            "as_of": report.as_of.isoformat(),
            "findings": [finding_record(f) for f in report.findings],
            "summary": summarise(list(report.findings)),
            "tranches": [tranche_record(t) for t in report.tranches],
        }
        return json_utf8(to_json(data) + "\n")

    def render_chunks(
        self, report: Any, *, lang: str = "zh", width: int | None = None
    ) -> Iterator[bytes]:
        """:meth:`render` as pieces to write as they come (the command line does): a national
        check's findings and a national count's cells one at a time, never the whole document
        at once (issue 12)."""
        if isinstance(report, CheckResult):
            return json_chunks(check_json(report))
        if isinstance(report, StatsResult):
            return json_chunks(stats_json(report))
        return iter((self.render(report, lang=lang, width=width),))


@attrs.frozen
class MarkdownReporter:
    """A Markdown document: title, findings table with totals, disbursement table."""

    lang: str | None = None
    """The language (``zh`` or ``en``); ``None``: the one ``render`` is given (default ``zh``)."""
    media_type = "text/markdown"
    suffix = ".md"
    kinds = frozenset(KINDS) - {"profile"}

    def render(self, report: Any, *, lang: str = "zh", width: int | None = None) -> bytes:
        """A Report (check and schedule results become one); other results as one table."""
        lang = self.lang or lang
        schedule = report if isinstance(report, ScheduleResult) else None
        if isinstance(report, CheckResult | ScheduleResult):
            report = report.report()
        if not isinstance(report, Report):
            table = tabulate(report, lang)
            # title, notes and the empty line may quote a path given as any bytes (cleaned: a
            # lone surrogate or a control character shown escaped, as in the cells)
            lines = [f"# {markdown_text(clean(table.title))}", ""] if table.title else []
            if table.rows or table.empty is None:
                lines.append(markdown_table(table.columns, _masked(table.rows)))
            else:
                lines.append(markdown_text(clean(table.empty)))
            lines += ["", *(markdown_text(clean(n)) for n in table.notes)] if table.notes else []
            return ("\n".join(lines) + "\n").encode("utf-8")
        findings = [finding_record(f) for f in report.findings]
        message = "message" if lang == "zh" else "message_en"
        columns = ["rule", "severity", "station", "year", message]
        title = markdown_text(mask_id_numbers(report.title))
        lines = [f"# {title}", "", f"As of {report.as_of.isoformat()}.", ""]
        if schedule is None:  # a schedule has no findings (PAY-1's are sgz check's): none said
            lines += ["## Findings", ""]
            lines.append(
                markdown_table(columns, _rows(findings, columns)) if findings else "No findings."
            )
            totals = summarise(list(report.findings))
            lines += ["", ", ".join(f"{n} {s}" for s, n in totals.items())]
        if report.tranches:
            tranches = [tranche_record(t) for t in report.tranches]
            lines += ["", "## Disbursement", ""] if schedule is None else ["## Disbursement", ""]
            lines.append(markdown_table(TRANCHE_COLUMNS, _rows(tranches, TRANCHE_COLUMNS)))
        if schedule is not None and schedule.payments:
            paid = [payment_record(p) for p in schedule.payments]
            lines += ["", "## Payments", ""]
            lines.append(markdown_table(PAYMENT_COLUMNS, _rows(paid, PAYMENT_COLUMNS)))
        if schedule is not None and schedule.totals:
            lines += ["", "## Totals", ""]
            lines += [
                f"- {markdown_text(mask_id_numbers(totals_line(t, lang)))}" for t in schedule.totals
            ]
        if schedule is not None and schedule.adjustments:  # each one, as the table and JSON
            lines += ["", "## Adjustments", ""]
            lines += [
                f"- {markdown_text(mask_id_numbers(adjustment_line(a, lang)))}"
                for a in schedule.adjustments
            ]
        return ("\n".join(lines) + "\n").encode("utf-8")

    @classmethod
    def from_settings(cls, settings: Settings) -> MarkdownReporter:
        unknown = [k for k in settings if k != "lang"]
        if unknown:
            raise InvalidInput(f"reporter markdown: unknown setting {unknown[0]!r}; expected lang")
        lang = settings.get("lang")
        if lang is not None and lang not in ("zh", "en"):
            raise InvalidInput(f"reporter markdown: lang: expected zh or en, got {lang!r}")
        return cls(lang)


def _masked(rows: Sequence[Sequence[str]]) -> list[list[str]]:
    return [[mask_id_numbers(cell) for cell in row] for row in rows]


def text_table(
    title: str | None, columns: Sequence[str], rows: Sequence[Sequence[str]], width: int | None
) -> str:
    """A table for people (:func:`sgz_adapters.render.table_text`: markup shown, cells cleaned)."""
    return table_text(title, columns, rows, width)


@attrs.frozen
class TableReporter:
    """Tables for people, the default ``--format``: Chinese labels when ``lang`` is ``zh``."""

    media_type = "text/plain"
    suffix = ".txt"
    kinds = frozenset(KINDS) - {"profile"}

    def render(self, report: Any, *, lang: str = "zh", width: int | None = None) -> bytes:
        """The result as a titled table and the lines that follow it (ID numbers masked)."""
        if isinstance(report, Report):
            report = _ReportView(report)
        table = tabulate(report, lang)
        if table.rows or table.empty is None:
            title = mask_id_numbers(table.title) if table.title else None
            text = text_table(title, table.columns, _masked(table.rows), width)
        else:
            text = clean(table.empty) + "\n"  # cleaned as the markdown's are
        text += "".join(clean(n) + "\n" for n in table.notes)
        return text.encode("utf-8")


@attrs.frozen
class _ReportView:
    """A bare Report seen as a check result's table (its tranches are left out)."""

    report: Report
    kind = "report"


def _report_table(view: Any, lang: str) -> Any:
    from sgz_adapters.views import Table

    r = view.report
    rows = tuple(
        (
            f.rule,
            f.severity.label(lang),
            f.station or "",
            "" if f.year is None else str(f.year),
            f.text(lang),
        )
        for f in r.findings
    )
    totals = ", ".join(f"{n} {s}" for s, n in summarise(list(r.findings)).items())
    columns = ("rule", "severity", "station", "year", "message")
    return Table(f"{r.title} ({r.as_of.isoformat()})", columns, rows, None, (totals,))


@attrs.frozen
class TomlReporter:
    """A profile as TOML with every dated value (``sgz profile show``, its default), and a
    budget plan (``sgz plan``: its JSON data without the null values)."""

    media_type = "application/toml"
    suffix = ".toml"
    kinds = frozenset({"profile", "plan"})

    def render(self, report: Any, *, lang: str = "zh", width: int | None = None) -> bytes:
        import tomli_w

        kind = getattr(report, "kind", None)
        if kind == "plan":
            from sgz_adapters.plan_views import plan_toml_data

            return tomli_w.dumps(plan_toml_data(report)).encode("utf-8")
        if kind != "profile":
            raise InvalidInput(
                "reporter toml: renders profiles and plans only (sgz profile show, sgz plan)"
            )
        profile = report.profile
        head = f"# sgz profile {profile.id}: every parameter with every dated value\n"
        return (head + tomli_w.dumps(profiles.to_dict(profile))).encode("utf-8")


@attrs.frozen
class XlsxReporter:
    """A workbook with a ``findings`` and a ``disbursement`` sheet (needs the ``xlsx`` extra);
    of a schedule, also its ``payments``, ``totals`` and ``adjustments`` (PAY-1), with the
    values of the schedule's JSON."""

    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    suffix = ".xlsx"
    kinds = frozenset({"check", "schedule"})

    def render(self, report: Any, *, lang: str = "zh", width: int | None = None) -> bytes:
        """A Report (a check's or a schedule's result becomes one) as a workbook."""
        import xlsxwriter

        schedule = report if isinstance(report, ScheduleResult) else None
        if isinstance(report, CheckResult | ScheduleResult):
            report = report.report()
        out = io.BytesIO()
        book = xlsxwriter.Workbook(out, {"in_memory": True})
        bold = book.add_format({"bold": True})
        sheets: tuple[tuple[str, tuple[str, ...], list[dict[str, Any]]], ...] = (
            ("findings", FINDING_COLUMNS, [finding_record(f) for f in report.findings]),
            ("disbursement", TRANCHE_COLUMNS, [tranche_record(t) for t in report.tranches]),
        )
        if schedule is not None:
            sheets += (
                ("payments", PAYMENT_COLUMNS, [payment_record(p) for p in schedule.payments]),
                ("totals", TOTALS_COLUMNS, [totals_record(t) for t in schedule.totals]),
                (
                    "adjustments",
                    ADJUSTMENT_COLUMNS,
                    [adjustment_record(a) for a in schedule.adjustments],
                ),
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


def _table(settings: Settings) -> Reporter:
    _no_settings("table", settings)
    return TableReporter()


def _toml(settings: Settings) -> Reporter:
    _no_settings("toml", settings)
    return TomlReporter()


def _json(settings: Settings) -> Reporter:
    _no_settings("json", settings)
    return JsonReporter()


def _xlsx(settings: Settings) -> Reporter:
    _no_settings("xlsx", settings)
    try:
        import xlsxwriter  # noqa: F401
    except ImportError:
        raise PluginError("reporter xlsx needs the xlsx extra: pip install 'sgz[xlsx]'") from None
    return XlsxReporter()


FACTORIES: dict[str, Callable[[Settings], Reporter]] = {
    "table": _table,
    "json": _json,
    "markdown": MarkdownReporter.from_settings,
    "toml": _toml,
    "xlsx": _xlsx,
}


@hookimpl
def sgz_register_reporters(register: Callable[[str, Callable[[Settings], Reporter]], None]) -> None:
    for name, factory in FACTORIES.items():
        register(name, factory)


__all__ = [
    "FACTORIES",
    "FINDING_COLUMNS",
    "FORMULA_START",
    "TRANCHE_COLUMNS",
    "JsonReporter",
    "MarkdownReporter",
    "TableReporter",
    "TomlReporter",
    "XlsxReporter",
    "safe_cell",
    "text_table",
]
