"""The ``creditengine`` command: each command is one library call plus rendering."""

from __future__ import annotations

import enum
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

import creditengine
from creditengine import (
    BackendUnavailableError,
    BankUnavailableError,
    CreditEngineError,
    Engine,
    RecordError,
    SourceLocation,
    WorkerRecord,
    load_records,
    scenarios,
)

from .bank import bank_app, generate
from .options import as_of_day
from .render import (
    console,
    render_error,
    render_json,
    render_lint,
    render_scenarios,
    render_text,
    render_validated,
    render_yaml,
)

__all__ = ["ExitCode", "app", "main"]


class ExitCode(enum.IntEnum):
    """Exit codes (SPEC §6)."""

    OK = 0
    INVALID = 1  # invalid input or rules, or a failed check
    USAGE = 2  # as Click does
    ENVIRONMENT = 3  # database unreachable, durable-rules not importable


class _Group(TyperGroup):
    """The one place errors become messages and exit codes."""

    def invoke(self, ctx: typer.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (BackendUnavailableError, BankUnavailableError) as error:
            render_error(console(stderr=True), error)
            raise typer.Exit(ExitCode.ENVIRONMENT) from None
        except CreditEngineError as error:
            render_error(console(stderr=True), error)
            raise typer.Exit(ExitCode.INVALID) from None


#: A rule pack folder as a command's argument; unreadable is checked by the loader (exit 1, located).
PackFolder = Annotated[
    Path | None,
    typer.Argument(help="Rule pack folder (default: the packaged pack).", show_default=False, readable=False),
]

app = typer.Typer(
    cls=_Group,
    name="creditengine",
    help="Credit accumulation and accreditation rules engine for skill banks.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # tracebacks must never print applicants' data
    add_completion=False,
)


class Format(str, enum.Enum):
    text = "text"
    json = "json"
    yaml = "yaml"


class Evaluator(str, enum.Enum):
    compiled = "compiled"
    durable = "durable"


class Lang(str, enum.Enum):
    en = "en"
    zh = "zh"


RulesOption = Annotated[
    Path | None,
    typer.Option(
        "--rules",
        "-r",
        help="Rule pack folder (default: the packaged Shenzhen pack).",
        show_default=False,
        readable=False,
    ),
]


@app.command()
def evaluate(
    records: Annotated[
        list[Path],
        # readable=False: Click would call an unreadable file a usage error (exit 2); the library
        # reports it as invalid input (exit 1), as it does a missing one.
        typer.Argument(help="Worker record files (YAML or JSON).", show_default=False, readable=False),
    ],
    rules: RulesOption = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Evaluation date, YYYY-MM-DD (default: today).")
    ] = None,
    fmt: Annotated[
        Format | None,
        typer.Option("--format", "-f", help="Output format (default: text on a terminal, else json)."),
    ] = None,
    lang: Annotated[Lang, typer.Option("--lang", help="Language of explanations.")] = Lang.en,
    evaluator: Annotated[
        Evaluator,
        typer.Option(
            "--engine",
            help="Evaluator: compiled (generated Python) or durable (durable-rules' Rete network; "
            "identical output, slower).",
        ),
    ] = Evaluator.compiled,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain",
            help="Explain every decision: the rule's title, id, version and reference, why and why not, "
            "and the smallest changes that would meet an unmet policy.",
        ),
    ] = False,
) -> None:
    """Evaluate worker records: every point explained, every policy decided.

    Example:

        creditengine evaluate examples/electrician-level3.yaml --as-of 2025-12-31 --explain
    """
    day = as_of_day(as_of)
    engine = Engine.load(rules, engine=evaluator.value)
    loaded = [record for path in records for record in load_nonempty(path, engine.attributes)]
    if explain:
        explained = [engine.explain(record, as_of=day) for record in loaded]
        results = [e.result for e in explained]
    else:
        explained = None
        results = list(engine.evaluate_many(loaded, as_of=day))
    chosen = fmt or (Format.text if sys.stdout.isatty() else Format.json)
    if chosen is Format.text:
        # In a pipe Rich assumes 80 columns; rule names need more to stay whole.
        width = None if sys.stdout.isatty() else 120
        render_text(console(width=width), results, lang=lang.value, explanations=explained)
    elif chosen is Format.json:
        typer.echo(render_json(results, lang=lang.value, explanations=explained))
    else:
        typer.echo(render_yaml(results, lang=lang.value, explanations=explained), nl=False)


@app.command()
def validate(
    directory: PackFolder = None,
) -> None:
    """Check a rule pack: every problem as FILE:LINE:COL: message; exit 1 if any.

    Example:

        creditengine validate rules/
    """
    engine = Engine.load(directory)
    count = sum(1 for _ in engine.pack.all_versions())
    render_validated(
        console(), str(directory or engine.pack.root), engine.pack.name, count, engine.pack.fingerprint
    )


class LintFormat(str, enum.Enum):
    text = "text"
    json = "json"


@app.command(name="lint")
def lint_pack(
    directory: PackFolder = None,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 when there is any warning.")] = False,
    fmt: Annotated[LintFormat, typer.Option("--format", "-f", help="Output format.")] = LintFormat.text,
    lang: Annotated[Lang, typer.Option("--lang", help="Language of the messages.")] = Lang.en,
) -> None:
    """Warn about what a valid rule pack says that is probably not meant.

    Each warning as FILE:LINE:COL: code: message, then what to do; exit 0 with warnings, 1 with --strict.

    "# lint: allow CODE — reason" on a finding's line, or above it, accepts it: listed, not counted.

    Example:

        creditengine lint rules/ --strict
    """
    report = creditengine.lint(directory)
    if fmt is LintFormat.json:
        typer.echo(report.to_json(lang.value))
    else:
        width = None if sys.stdout.isatty() else 120
        render_lint(console(width=width), report, str(directory or report.root), lang=lang.value)
    if strict and not report.clean:
        raise typer.Exit(ExitCode.INVALID)


@app.command(name="compile")
def compile_pack(
    directory: PackFolder = None,
) -> None:
    """Print the Python module generated from a rule pack: what runs when records are evaluated.

    Example:

        creditengine compile rules/ > shenzhen_generated.py
    """
    typer.echo(Engine.load(directory).generated_source(), nl=False)


@app.command()
def schema(
    out: Annotated[
        Path | None, typer.Option("--out", help="Folder to write NAME.schema.json files into.")
    ] = None,
) -> None:
    """Write the JSON Schemas of rule files, worker records and results.

    Example:

        creditengine schema --out schemas/
    """
    schemas = creditengine.json_schemas()  # loaded on first use
    if out is None:
        typer.echo(json.dumps(schemas, indent=2, ensure_ascii=False, sort_keys=True))
        return
    out.mkdir(parents=True, exist_ok=True)
    for name, body in schemas.items():
        (out / f"{name}.schema.json").write_text(
            json.dumps(body, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8"
        )
    typer.echo(f"wrote {len(schemas)} schemas to {out}")


@app.command(name="test")
def run_scenarios(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Feature files or folders of them (default: ./features).",
            show_default=False,
            readable=False,
        ),
    ] = None,
    rules: Annotated[
        Path | None,
        typer.Option(
            "--rules",
            "-r",
            help='The pack "Given the default rule pack" means (default: the packaged Shenzhen pack).',
            show_default=False,
            readable=False,
        ),
    ] = None,
    min_coverage: Annotated[
        float | None,
        typer.Option(
            "--min-coverage", min=0, max=100, help="Fail (exit 1) when rule coverage is below N percent."
        ),
    ] = None,
    evaluator: Annotated[
        Evaluator,
        typer.Option(
            "--engine",
            help="Evaluator the scenarios' workers are evaluated with: compiled or durable "
            "(durable-rules' Rete network; same results, slower).",
        ),
    ] = Evaluator.compiled,
) -> None:
    """Run policy scenarios (.feature files): pass or fail per scenario, then rule coverage.

    Example:

        creditengine test features/ --min-coverage 90
    """
    report = scenarios.run(
        paths or [Path("features")], rules=rules, min_coverage=min_coverage, engine=evaluator.value
    )
    render_scenarios(console(width=None if sys.stdout.isatty() else 120), report)
    if not report.ok:
        raise typer.Exit(ExitCode.INVALID)


app.add_typer(bank_app, name="bank")
app.command()(generate)


def load_nonempty(path: Path, attributes: tuple[str, ...] = ()) -> list[WorkerRecord]:
    """Every record in a file; a file with none is an error, not an empty result. An attribute of
    the pack (``attributes``) written outside worker.attributes is named as such."""
    found = load_records(path, attributes=attributes)
    if not found:
        raise RecordError("no worker record in this file", location=SourceLocation(str(path)))
    return found


def main() -> None:
    """Console-script entry point."""
    app()
