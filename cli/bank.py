"""``creditengine bank ...`` and ``creditengine generate``: each command one library call plus rendering.

``creditengine.Bank`` is looked up when a command runs: the bank's libraries (SQLAlchemy, Alembic)
load only then, not for every ``creditengine evaluate``.
"""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import Annotated

import typer

import creditengine
from creditengine import Engine, generate_population

from .options import as_of_day
from .render import (
    console,
    progress_bar,
    render_bank_counts,
    render_evaluated,
    render_imported,
    render_worker,
    write_records,
)

__all__ = ["bank_app", "generate"]

bank_app = typer.Typer(
    name="bank",
    help="The skill bank: workers' achievements and their evaluations, in SQLite or PostgreSQL.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Bank URL: sqlite:///FILE or postgresql://USER@HOST/DB "
        "(default: $CREDITENGINE_DB, else sqlite:///creditbank.db).",
        show_default=False,
    ),
]


class ImportFormat(str, enum.Enum):
    yaml = "yaml"
    json = "json"
    csv = "csv"


@bank_app.command()
def init(db: DbOption = None) -> None:
    """Create the bank's schema, or upgrade it to this release's (safe to run again).

    Example:

        creditengine bank init --db sqlite:///creditbank.db
    """
    with creditengine.Bank.open(db) as bank:
        revision = bank.init()
        typer.echo(f"{bank.shown_url}: skill bank ready (schema revision {revision})")


@bank_app.command(name="import")
def import_files(
    files: Annotated[
        list[Path],
        typer.Argument(help="Files to import: worker records (YAML, JSON) or CSV.", readable=False),
    ],
    fmt: Annotated[
        ImportFormat | None,
        typer.Option(
            "--format", "-f", help="Format of every file (default: by extension: .json, .csv, else YAML)."
        ),
    ] = None,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace", help="Accept achievements that differ from the bank's under the same evidence id."
        ),
    ] = False,
    db: DbOption = None,
) -> None:
    """Import files in one transaction: every problem reported and nothing written, or all written.

    Example:

        creditengine bank import examples/*.yaml examples/achievements.csv
    """
    with (
        creditengine.Bank.open(db) as bank,
        progress_bar("importing", quiet=not sys.stderr.isatty()) as progress,
    ):
        report = bank.import_records(
            files, format=fmt.value if fmt else None, replace=replace, progress=progress
        )
    render_imported(console(), report)


@bank_app.command()
def show(
    worker: Annotated[
        str | None, typer.Argument(help="A worker id: show its record (without its name) and evaluations.")
    ] = None,
    db: DbOption = None,
) -> None:
    """What the bank holds: counts, or one worker's record and stored evaluations.

    Example:

        creditengine bank show W-0001
    """
    with creditengine.Bank.open(db) as bank:
        if worker is None:
            render_bank_counts(console(), bank.shown_url, bank.counts())
        else:
            render_worker(console(), bank.worker(worker), bank.evaluations(worker))


@bank_app.command(name="evaluate")
def evaluate_bank(
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Evaluation date, YYYY-MM-DD (default: today).")
    ] = None,
    rules: Annotated[
        Path | None,
        typer.Option(
            "--rules", "-r", help="Rule pack folder (default: the packaged Shenzhen pack).", readable=False
        ),
    ] = None,
    workers: Annotated[
        list[str] | None, typer.Option("--worker", "-w", help="Only this worker (repeat for several).")
    ] = None,
    processes: Annotated[int, typer.Option("--processes", "-p", min=1, help="Worker processes.")] = 1,
    db: DbOption = None,
) -> None:
    """Evaluate the bank's workers and store the results, chunk by chunk; a second run resumes.

    Example:

        creditengine bank evaluate --as-of 2025-12-31
    """
    day = as_of_day(as_of)
    engine = Engine.load(rules)
    with (
        creditengine.Bank.open(db) as bank,
        progress_bar("evaluating", quiet=not sys.stderr.isatty()) as progress,
    ):
        report = bank.evaluate(engine, as_of=day, workers=workers, processes=processes, progress=progress)
    render_evaluated(console(), report)


def generate(
    workers: Annotated[int, typer.Option("--workers", "-n", min=0, help="How many workers.")],
    seed: Annotated[int, typer.Option("--seed", help="The same seed gives the same workers.")] = 0,
    out: Annotated[Path | None, typer.Option("--out", help="Write the records to this JSON file.")] = None,
    db: Annotated[
        str | None, typer.Option("--db", help="Import the records into this bank (see bank init).")
    ] = None,
) -> None:
    """Generate a synthetic population of worker records, the same for the same seed.

    About 12 achievements a worker over 2011-2025, of every kind and level.

    Without --out or --db the records (a JSON list) go to stdout.

    Example:

        creditengine generate --workers 1000 --seed 7 --out workers.json
    """
    if out is not None and db is not None:
        raise typer.BadParameter("give --out or --db, not both")
    records = generate_population(workers, seed=seed)
    if db is not None:
        with (
            creditengine.Bank.open(db) as bank,
            progress_bar("importing", quiet=not sys.stderr.isatty()) as progress,
        ):
            report = bank.import_population(records, source=f"generated (seed {seed})", progress=progress)
        render_imported(console(), report)
    elif out is not None:
        with out.open("w", encoding="utf-8") as stream:
            write_records(records, stream)
    else:
        write_records(records, sys.stdout)
