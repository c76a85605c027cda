"""Run many ``sgz`` command lines in one process (issue 8 corpus): each as the entry point does.

Reads a JSON list of ``[language, argument list]`` pairs on standard input and writes, to the file named by the
first argument, one ``{"status", "stdout", "stderr"}`` per command line. An exception that
escapes ``main`` is recorded as a traceback in its ``stderr``, exactly as Python would print it.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import traceback

from sgz_adapters.cli import main


def run_one(argv: list[str]) -> dict[str, object]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status: object = main(argv)
        except SystemExit as exc:  # argparse's usage errors
            status = exc.code if isinstance(exc.code, int) else 1
        except BaseException:  # the corpus asserts there is none
            traceback.print_exc()
            status = 1
    return {"status": status, "stdout": out.getvalue(), "stderr": err.getvalue()}


def run() -> None:
    cases = json.load(sys.stdin)
    results = []
    for lang, argv in cases:  # each case in the language its expected text is written in
        os.environ["SGZ_LANG"] = lang
        results.append(run_one(argv))
    with open(sys.argv[1], "w", encoding="utf-8") as f:
        json.dump(results, f, ensure_ascii=False)


if __name__ == "__main__":
    run()
