"""The ``sgz`` command line: ``check``, ``schedule``, ``pay``, ``audit``, ``plaques``, ``worklist``, ``stats``, ``ledger``, ``plan``, ``profile show``, ``rules``.

Exit status: 0 done and no error-level finding; 1 error-level findings; 2 the input could not
be used (the message names the file, the key path and what was expected; nothing is written),
a plugin failed (the message names it) or the output could not be written; 3 an internal
error (a bug: one line, the traceback with ``SGZ_DEBUG=1``); 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import sys
import traceback
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from sgz_adapters import argparse_zh, cli_args, output, plugins, said
from sgz_adapters._lazy import lazy_module
from sgz_adapters.audit_cli import add_commands as add_audit_commands
from sgz_adapters.casework_cli import add_commands as add_casework_commands
from sgz_adapters.cli_args import (
    add_lang,
    chosen_lang,
    date_arg,
    lang_in_argv,
    lang_of,
    today,
    year_arg,
)
from sgz_adapters.messages import shown_message
from sgz_adapters.plan_cli import add_commands as add_plan_commands
from sgz_adapters.render import emit, emit_bytes, emit_chunks, format_error
from sgz_adapters.storage_cli import add_commands as add_storage_commands
from sgz_adapters.storage_cli import add_db, add_source, db_url, source_of
from sgz_core import __version__
from sgz_core.errors import InvalidInput, NotFound, PluginError, SgzError
from sgz_core.text import Text

if TYPE_CHECKING:
    from sgz_adapters import service
    from sgz_core.ports import Reporter
else:
    # Imported when a command runs, not for ``sgz --help`` or a usage error (issue 12). A new
    # command keeps start-up fast by doing the same: call ``service.<use case>`` inside its
    # ``cmd_*`` function, import anything heavy there, and only add arguments here.
    service = lazy_module("sgz_adapters.service")

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
DEBUG = "SGZ_DEBUG"
"""Set (to anything) to see the traceback of an internal error."""

REPORT_KINDS = ("check", "schedule")
"""The result kinds a reporter that knows only ``Report`` renders (through ``.report()``)."""


class UsageError(said.InvalidArgument):
    """A command-line argument that cannot be used (said in Chinese and English)."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(Text(zh, en))


# --- Rendering: every --format goes through the registered reporters ----------------------------


def _probe(factory: Callable[[Any], Reporter]) -> Reporter | None:
    try:
        return factory({})
    except SgzError:  # e.g. xlsx without its extra: choosing it gives that message
        return None


def formats(kind: str) -> list[str]:
    """The reporter names ``--format`` accepts for a result ``kind``, sorted."""
    from sgz_core.ports import renders

    names = []
    for name, factory in plugins.reporter_factories().items():
        reporter = _probe(factory)
        if reporter is None or not hasattr(reporter, "kinds"):
            if kind in REPORT_KINDS:
                names.append(name)
        elif renders(reporter, kind):
            names.append(name)
    return sorted(names)


def lang(args: argparse.Namespace) -> str:
    """The language of this run: ``--lang``, else ``SGZ_LANG``, else ``zh``."""
    return lang_of(chosen_lang(args), os.environ, lambda m: emit(m, err=True))


def _accepting(name: str, kind: str) -> Reporter | None:
    """The reporter ``name`` made with no settings if :func:`formats` lists it for ``kind``,
    else ``None``: the same test, made on that one reporter instead of on all of them (making
    the xlsx reporter imports xlsxwriter; issue 12)."""
    from sgz_core.ports import renders

    factory = plugins.reporter_factories().get(name)
    reporter = None if factory is None else _probe(factory)
    if reporter is None:
        return None
    if not hasattr(reporter, "kinds"):
        return reporter if kind in REPORT_KINDS else None
    return reporter if renders(reporter, kind) else None


def show(args: argparse.Namespace, result: Any) -> None:
    """Render ``result`` with the reporter ``--format`` names, and print it."""
    from sgz_core.ports import renders

    kind, name = result.kind, args.format
    reporter = _accepting(name, kind)
    if reporter is None:  # refused: the message lists the formats that would do
        known = formats(kind)
        if not known:
            raise UsageError(
                f"--format: 没有报告器能输出 sgz {args.command}；"
                "SGZ_DISABLED_PLUGINS 中是否有 sgz_adapters.default_reporters？",
                f"--format: no reporter renders sgz {args.command}; is "
                "sgz_adapters.default_reporters in SGZ_DISABLED_PLUGINS?",
            )
        if name not in known:
            raise UsageError(
                f"--format: sgz {args.command} 没有 {name!r} 格式；可用：{', '.join(known)}",
                f"--format: no format {name!r} for sgz {args.command}; known: {', '.join(known)}",
            )
        reporter = plugins.make_reporter(name)
    media = str(getattr(reporter, "media_type", ""))
    textual = media.startswith("text/") or media in ("application/json", "application/toml")
    if not textual and sys.stdout.isatty():
        suffix = getattr(reporter, "suffix", "")
        raise UsageError(
            f"--format {name}: 这是 {media or '二进制'} 文档；请重定向到文件"
            f"（sgz {args.command} … --format {name} > report{suffix}）",
            f"--format {name}: a {media or 'binary'} document; redirect it to a file "
            f"(sgz {args.command} … --format {name} > report{suffix})",
        )
    if renders(reporter, kind):
        width = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
        chunked = getattr(reporter, "render_chunks", None)
        if textual and callable(chunked):
            # written as rendered: a national document is never held whole (issue 12)
            emit_chunks(_bytes_only(name, chunked(result, lang=lang(args), width=width)))
            return
        data = reporter.render(result, lang=lang(args), width=width)
    else:
        data = reporter.render(result.report())
    if not isinstance(data, bytes):
        raise PluginError(f"reporter {name}: render returned {type(data).__name__}, not bytes")
    emit_bytes(data)


def _bytes_only(name: str, chunks: Iterable[Any]) -> Iterator[bytes]:
    for chunk in chunks:
        if not isinstance(chunk, bytes):
            raise PluginError(
                f"reporter {name}: render_chunks gave {type(chunk).__name__}, not bytes"
            )
        yield chunk


# --- Commands: parse, call the service, render ----------------------------------------------------


def cmd_check(args: argparse.Namespace) -> int:
    # --db: read and check station by station, in bounded memory (issue 12)
    result = service.check(
        source_of(args), on=args.on or today(), station=args.station, stream=True
    )
    show(args, result)
    return EXIT_FINDINGS if result.has_errors else EXIT_OK


def cmd_schedule(args: argparse.Namespace) -> int:
    show(args, service.schedule(source_of(args), on=args.on or today()))
    return EXIT_OK


def cmd_plaques(args: argparse.Namespace) -> int:
    show(args, service.plaques(source_of(args), on=args.on or today()))
    return EXIT_OK


def cmd_evaluate(args: argparse.Namespace) -> int:
    result = service.evaluate(
        source_of(args),
        station=args.station,
        year=args.year,
        on=args.on or today(),
        evaluation=args.evaluation,
    )
    show(args, result)
    return EXIT_OK


def cmd_ledger(args: argparse.Namespace) -> int:
    result = service.ledger(
        source_of(args), station=args.station, year=args.year, on=args.on or today()
    )
    show(args, result)
    return EXIT_OK


def cmd_pay(args: argparse.Namespace) -> int:
    result = service.pay(
        service.stored(db_url(args.db), args.programme),
        station=args.station,
        year=args.year,
        tranche=args.tranche,
        on=args.on,
        by=args.by,
        reference=args.reference,
    )
    show(args, result)
    return EXIT_FINDINGS if result.refused else EXIT_OK


def cmd_profile_show(args: argparse.Namespace) -> int:
    show(args, service.show_profile(args.profile))
    return EXIT_OK


def cmd_rules(args: argparse.Namespace) -> int:
    show(args, service.list_rules())
    return EXIT_OK


def cmd_plugins(args: argparse.Namespace) -> int:
    show(args, service.list_plugins())
    return EXIT_OK


def _add_plugin_commands(sub: Any) -> None:
    """The subcommands plugins register (``sgz_register_commands``). Plugins that cannot load
    add none here; the command run then fails on them with its message, exit status 2."""
    try:
        commands = plugins.plugin_commands()
    except SgzError:
        return
    for command in commands.values():
        if command.name in sub.choices:
            left_out = Text(
                f"插件 {command.plugin}：命令 {command.name!r} 是 sgz 自己的命令；已略去",
                f"plugin {command.plugin}: command {command.name!r} is one of sgz's own; left out",
            )
            emit(f"sgz: warning: {left_out.get(cli_args.ARGUMENT_LANG.get())}", err=True)
            continue
        p = sub.add_parser(command.name, help=command.help, description=command.help)
        command.add_arguments(p)
        p.set_defaults(run=command.run)


MORE_FORMATS = {
    "check": "table, json, markdown, xlsx",
    "schedule": "table, json, markdown, xlsx",
    "plan": "table, json, markdown, toml",
}
"""The built-in formats of a command beyond table, json and markdown, named by its --help."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sgz",
        description="Check social work station (社工站) programmes against their policy profile.",
    )
    parser.add_argument("--version", action="version", version=f"sgz {__version__}")
    add_lang(parser, dest="top_lang")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, help_text: str, default: str = "table") -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        formats = MORE_FORMATS.get(name, "table, json, markdown")
        p.add_argument(
            "--format",
            default=default,
            metavar="NAME",
            help=f"a registered reporter: {formats} or a plugin's (default: {default})",
        )
        add_lang(p)
        return p

    p = add("check", "all findings of every rule about a programme file")
    add_source(p)
    p.add_argument("--on", type=date_arg, help="the day to judge on (default: today)")
    p.add_argument("--station", metavar="ID", help="only this station (default: every station)")
    p.set_defaults(run=cmd_check)

    p = add("schedule", "the disbursement tranches and their status on a day")
    add_source(p)
    p.add_argument("--on", type=date_arg, help="the day to judge on (default: today)")
    p.set_defaults(run=cmd_schedule)

    p = add("plaques", "the plaque texts each station must show")
    add_source(p)
    p.add_argument(
        "--on", type=date_arg, help="the day whose profile values apply (default: today)"
    )
    p.set_defaults(run=cmd_plaques)

    add_casework_commands(add)
    add_storage_commands(sub, add)
    add_plan_commands(add)

    p = add("evaluate", "a station-year's scorecard: indicators, points, score, grade and outcome")
    add_source(p)
    p.add_argument("--station", required=True, metavar="ID", help="the station's id")
    p.add_argument(
        "--year", required=True, type=year_arg, metavar="N", help="the contract year (1 to 99)"
    )
    p.add_argument(
        "--on",
        type=date_arg,
        help="score the latest evaluation on or before this day, else the measured indicators "
        "on it (default: today)",
    )
    p.add_argument(
        "--evaluation",
        choices=["mid_term", "final"],
        help="score this kind of evaluation (default: the latest)",
    )
    p.set_defaults(run=cmd_evaluate)

    p = add("ledger", "the fund ledger: per fund pledged, received, paid out, spent, balance")
    add_source(p)
    p.add_argument("--station", metavar="ID", help="only this station (default: every station)")
    p.add_argument(
        "--year", type=year_arg, metavar="N", help="only this contract year (default: every year)"
    )
    p.add_argument("--on", type=date_arg, help="the day the ledger is drawn up on (default: today)")
    p.set_defaults(run=cmd_ledger)
    p = add("pay", "record the payment of a due tranche (PAY-1): idempotent, refused when not due")
    add_db(p, "the database holding the programme")
    p.add_argument(
        "--programme",
        metavar="ID",
        help="the programme's id (needed when the database holds several)",
    )
    p.add_argument("--station", required=True, metavar="ID", help="the station's id")
    p.add_argument(
        "--year", required=True, type=year_arg, metavar="N", help="the contract year (1 to 99)"
    )
    p.add_argument(
        "--tranche",
        required=True,
        choices=["contract_signed", "mid_term", "final"],
        help="the tranche to pay, by its milestone",
    )
    p.add_argument("--on", required=True, type=date_arg, metavar="DATE", help="the day it is paid")
    p.add_argument("--by", required=True, metavar="NAME", help="who pays (the finance officer)")
    p.add_argument("--reference", metavar="TEXT", help="a voucher or transfer number")
    p.set_defaults(run=cmd_pay)

    add_audit_commands(sub)

    prof = sub.add_parser("profile", help="policy profiles")
    prof_sub = prof.add_subparsers(dest="profile_command", required=True, metavar="COMMAND")
    p = prof_sub.add_parser(
        "show", help="a profile's parameters as TOML, every dated value included"
    )
    p.add_argument(
        "profile",
        nargs="?",
        help="built-in profile id or profile file (default: lanzhou-chengguan)",
    )
    p.add_argument(
        "--format", default="toml", metavar="NAME", help="toml, json or a plugin's (default: toml)"
    )
    add_lang(p)
    p.set_defaults(run=cmd_profile_show)

    p = add("rules", "the rules this version checks, with their requirement ids")
    p.set_defaults(run=cmd_rules)

    p = add("plugins", "the installed plugins, with their versions and the hooks they implement")
    p.set_defaults(run=cmd_plugins)

    _add_plugin_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0, 1, 2, 3 or 130: see the module).

    Standard output and error are guarded while it runs (:mod:`sgz_adapters.output`): what
    any command, plugin or argparse prints is masked and escaped, and no exception a user can
    cause ends in a traceback.
    """
    out, err = sys.stdout, sys.stderr
    sys.stdout = guarded_out = output.Guarded(out, "standard output")
    sys.stderr = guarded_err = output.Guarded(err, "standard error", best_effort=True)
    try:
        with warnings.catch_warnings():
            warnings.showwarning = _show_warning
            status = _run(argv)
        guarded_out.flush()
    except output.OutputClosed:  # e.g. `sgz check … | head`
        _silence(out)
        status = EXIT_OK
    except output.OutputFailed as exc:  # e.g. `sgz check … > /dev/full`
        _silence(out)
        given = sys.argv[1:] if argv is None else list(argv)
        lang = lang_of(lang_in_argv(given), os.environ, lambda message: None)
        _error_line(err, format_error(exc, lang=lang))
        status = EXIT_BAD_INPUT
    except KeyboardInterrupt:  # while flushing
        status = EXIT_INTERRUPTED
    finally:  # also on SystemExit from argparse (--help, a usage error)
        sys.stdout, sys.stderr = out, err
        for stream, real in ((guarded_out, out), (guarded_err, err)):
            try:
                stream.flush()
            except (output.OutputClosed, output.OutputFailed):
                _silence(real)
    return status


def _run(argv: Sequence[str] | None) -> int:
    given = sys.argv[1:] if argv is None else list(argv)
    lang = lang_of(lang_in_argv(given), os.environ, lambda message: None)
    token = cli_args.ARGUMENT_LANG.set(lang)
    try:
        return _run_in(argv)
    finally:
        cli_args.ARGUMENT_LANG.reset(token)


def _run_in(argv: Sequence[str] | None) -> int:
    args: argparse.Namespace | None = None
    try:
        with argparse_zh.speaking(cli_args.ARGUMENT_LANG.get()):  # "用法：", "参数 --x：…"
            parser = build_parser()
            argparse_zh.translate_help(parser, cli_args.ARGUMENT_LANG.get())
            args = parser.parse_args(argv)
        refuse_undecodable(parser, args)
        return int(args.run(args))
    except (output.OutputClosed, output.OutputFailed):
        raise
    except KeyboardInterrupt:
        print(INTERRUPTED.get(_error_lang(args)), file=sys.stderr)
        return EXIT_INTERRUPTED
    except SgzError as exc:
        file = getattr(args, "file", None)
        if isinstance(exc, InvalidInput) and exc.source is None and file:
            exc = exc.with_source(str(file))  # e.g. a profile with no value in force that day
        lang = _error_lang(args)
        shown = format_error(_naming_the_option(exc, args, lang), lang=lang)
        print(shown, file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:  # a bug, ours or a plugin's: one line, no traceback
        if os.environ.get(DEBUG):
            traceback.print_exception(exc, file=sys.stderr)
        culprit = plugins.culprit(exc.__traceback__)
        if culprit is not None:
            failed = plugins.plugin_failed(culprit, None, exc)
            print(format_error(failed, lang=_error_lang(args)), file=sys.stderr)
            return EXIT_BAD_INPUT
        hint = "" if os.environ.get(DEBUG) else TRACEBACK_HINT.get(_error_lang(args))
        line = f"{type(exc).__name__}: {exc}".replace("\n", " ")
        print(format_error(line + hint, prefix="sgz: internal error: "), file=sys.stderr)
        return EXIT_INTERNAL


INTERRUPTED = Text("sgz: 已中断", "sgz: interrupted")
TRACEBACK_HINT = Text(f"（设置 {DEBUG}=1 可查看回溯）", f" (set {DEBUG}=1 to see the traceback)")


def _error_lang(args: argparse.Namespace | None) -> str:
    """The language of an error line: ``--lang`` if it was parsed, else ``SGZ_LANG``, else zh
    (an unknown ``SGZ_LANG`` was warned about already, or is not worth a second line now)."""
    return lang_of(chosen_lang(args), os.environ, lambda message: None)


TEXT_METAVARS = frozenset({"ID", "NAME", "TEXT"})
"""Options with these metavars take text that sgz stores or looks up (an id, a name, a
reference), never a path: such text must be UTF-8 (see :func:`refuse_undecodable`)."""


def refuse_undecodable(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Refuse an id, name or reference given as bytes that are not UTF-8, naming the option.

    On POSIX, Python decodes arguments with ``surrogateescape``, so such bytes arrive as lone
    surrogates, which no database, audit hash or UTF-8 output can hold; without this the
    command would fail part-way with an encoding error. Paths (the programme file, ``--db``,
    ``--to``, ``--profile``) may be any bytes the operating system takes, and are not checked.
    """
    for option, dest in _text_options(parser).items():
        value = getattr(args, dest, None)
        for given in value if isinstance(value, list) else [value]:
            if isinstance(given, str) and output.LONE_SURROGATE.search(given):
                raw = _given_bytes(given)
                raise said.say(
                    f"{option}：应为 UTF-8 文本，实为不是 UTF-8 的字节 {raw}",
                    f"{option}: expected UTF-8 text, got bytes that are not UTF-8: {raw}",
                )


def _text_options(parser: argparse.ArgumentParser) -> dict[str, str]:
    """Option string → dest of every option, in every subcommand, whose metavar is one of
    :data:`TEXT_METAVARS` (plugins' commands included)."""
    found: dict[str, str] = {}
    stack = [parser]
    while stack:
        for action in stack.pop()._actions:
            if isinstance(action, argparse._SubParsersAction):
                stack.extend(action.choices.values())
            elif action.option_strings and action.metavar in TEXT_METAVARS:
                found[action.option_strings[-1]] = action.dest
    return found


def _given_bytes(text: str) -> str:
    """The bytes an argument was given as (``b'ok\\xff'``), shown in ASCII."""
    try:
        return repr(text.encode("utf-8", "surrogateescape"))
    except UnicodeEncodeError:  # a surrogate that no byte decodes to (given through main(argv))
        return ascii(text)


def _naming_the_option(exc: SgzError, args: argparse.Namespace | None, lang: str) -> SgzError | str:
    """``no station 'x'`` said of ``--station x`` names the option: ``--station: no station``
    (the message in ``lang``)."""
    if isinstance(exc, NotFound) and args is not None:
        option = _OPTION_OF_KIND.get(exc.kind, exc.kind.replace(" ", "-"))
        given = getattr(args, option.replace("-", "_"), None)
        if given is not None and given == exc.key:
            return f"--{option}: {said.shown(exc, lang)}"
    return exc


_OPTION_OF_KIND = {"contract year": "year"}
"""The option that names a thing of a :class:`NotFound` kind, where it is not the kind itself
(``--year N`` asks for a contract year)."""


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    shown = shown_message(str(message), cli_args.ARGUMENT_LANG.get())  # SGZ_DISABLED_PLUGINS …
    print(format_error(shown, prefix="sgz: warning: "), file=sys.stderr)


def _silence(stream: TextIO | None) -> None:
    """Point the real standard output at /dev/null, so the interpreter's last flush of what is
    still buffered cannot fail again (Python's advice for SIGPIPE)."""
    if stream is None:
        return
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass  # not a real file (a test's capture)


def _error_line(stream: TextIO | None, text: str) -> None:
    if stream is None:  # standard error is closed: nowhere to say it
        return
    try:
        stream.write(output.encodable(text, getattr(stream, "encoding", None)) + "\n")
        stream.flush()
    except OSError:
        pass


def run() -> None:
    sys.exit(main())


__all__ = [
    "DEBUG",
    "REPORT_KINDS",
    "UsageError",
    "build_parser",
    "formats",
    "lang",
    "main",
    "run",
    "show",
]


if __name__ == "__main__":
    run()
