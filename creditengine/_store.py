"""The skill bank's tables (SQLModel) and its connection: SQLite by default, PostgreSQL by URL.

Every SQLAlchemy, SQLModel, psycopg and Alembic detail stops here: :mod:`._bank` talks to the
database only through the functions below, and every driver exception becomes a
:class:`StoreError` whose message never holds a password, a name or a row's content.

Points, amounts and credits are exact decimals. SQLite has no exact decimal type (SQLAlchemy's
``Numeric`` goes through ``float`` there), so they are stored as whole millionths in a BIGINT
column (:class:`Micro`): ``96.5`` points is ``96500000``, the same on both databases, and
``SUM()`` in SQL stays exact. A value with more than six decimal places is refused, never
rounded (records allow at most six, and the pipeline rounds points to the pack's scale).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from importlib import resources
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlmodel import Field, SQLModel

from ._errors import BankUnavailableError, StoreError

__all__ = [
    "ACHIEVEMENT",
    "DEFAULT_URL",
    "EVALUATION",
    "EVALUATION_CATEGORY",
    "EVALUATION_CLAIM",
    "EVALUATION_STATUS",
    "PACK",
    "WORKER",
    "AchievementRow",
    "EvaluationCategoryRow",
    "EvaluationClaimRow",
    "EvaluationRow",
    "EvaluationStatusRow",
    "Micro",
    "PackRow",
    "WorkerRow",
    "connect",
    "current_revision",
    "head_revision",
    "metadata",
    "migrate",
    "shown_url",
    "tables",
    "transaction",
]

DEFAULT_URL = "sqlite:///creditbank.db"
_SCALE = 6


class Micro(sa.types.TypeDecorator[Decimal]):
    """An exact decimal stored as a whole number of millionths (BIGINT)."""

    impl = sa.BigInteger
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: sa.Dialect) -> int | None:
        if value is None:
            return None
        scaled = Decimal(value).scaleb(_SCALE)
        whole = scaled.to_integral_value()
        if scaled != whole:
            raise StoreError(f"{value} has more than {_SCALE} decimal places; the bank stores millionths")
        return int(whole)

    def process_result_value(self, value: int | None, dialect: sa.Dialect) -> Decimal | None:
        return None if value is None else Decimal(value).scaleb(-_SCALE)


def _micro(**kw: Any) -> Any:
    return Field(sa_column=sa.Column(Micro(), nullable=False, **kw))


class WorkerRow(SQLModel, table=True):
    """A worker: the record's ``worker`` mapping. ``name`` is personal data: stored, never shown."""

    __tablename__ = "worker"

    id: str = Field(primary_key=True)
    name: str | None = None
    jurisdiction: str | None = None
    #: ``worker.attributes`` as canonical JSON (numbers written exactly).
    attributes: str = Field(default="{}", sa_type=sa.Text)
    #: Bumped whenever an import changes the worker or one of its achievements: an evaluation
    #: made at an older revision is out of date.
    revision: int = 1
    imported_at: dt.datetime


class AchievementRow(SQLModel, table=True):
    """One achievement of a worker, keyed by the evidence id the record gave it."""

    __tablename__ = "achievement"

    worker_id: str = Field(foreign_key="worker.id", primary_key=True)
    evidence_id: str = Field(primary_key=True)
    #: The order the worker's achievements were imported in: evaluation reads them back in this
    #: order, so a worker evaluated from the bank gets the result its file gives.
    seq: int
    type: str = Field(index=True)
    completed: dt.date
    #: The achievement as canonical JSON: what evaluation reads back, and what a re-import compares.
    data: str = Field(sa_type=sa.Text)
    #: The file (or credential) it was imported from.
    source: str
    imported_at: dt.datetime


class PackRow(SQLModel, table=True):
    """A rule pack an evaluation used, with its files' text, so a stored result can be explained again."""

    __tablename__ = "rule_pack"

    fingerprint: str = Field(primary_key=True)
    name: str
    #: ``{rule id: [versions]}`` as JSON.
    versions: str = Field(sa_type=sa.Text)
    #: ``{path inside the pack: file text}`` as JSON.
    source: str = Field(sa_type=sa.Text)
    seen_at: dt.datetime


class EvaluationRow(SQLModel, table=True):
    """A worker evaluated with one pack on one date: the full result and its summary figures."""

    __tablename__ = "evaluation"
    __table_args__ = (sa.UniqueConstraint("worker_id", "pack_fingerprint", "as_of", name="uq_evaluation"),)

    id: int | None = Field(default=None, primary_key=True)
    worker_id: str = Field(foreign_key="worker.id", index=True)
    pack_fingerprint: str = Field(foreign_key="rule_pack.fingerprint")
    as_of: dt.date
    #: The worker's revision that was evaluated.
    worker_revision: int
    evaluated_at: dt.datetime
    total_points: Decimal = _micro()
    #: Granted entitlement amounts, summed (currencies are in ``evaluation_claim``).
    entitlement_amount: Decimal = _micro()
    #: Credits granted by credit-transfer policies, summed.
    transfer_credits: Decimal = _micro()
    #: ``Result.to_json()``: every reason with its code and params (and its English sentence).
    result: str = Field(sa_type=sa.Text)


class EvaluationCategoryRow(SQLModel, table=True):
    """Counted points in one category of one evaluation."""

    __tablename__ = "evaluation_category"

    evaluation_id: int = Field(foreign_key="evaluation.id", primary_key=True)
    category: str = Field(primary_key=True)
    points: Decimal = _micro()


class EvaluationStatusRow(SQLModel, table=True):
    """A status an evaluation granted (a met accreditation policy)."""

    __tablename__ = "evaluation_status"

    evaluation_id: int = Field(foreign_key="evaluation.id", primary_key=True)
    policy: str = Field(primary_key=True)
    status: str = Field(index=True)


class EvaluationClaimRow(SQLModel, table=True):
    """An entitlement claim of one evaluation: granted with its amount, or refused with its code."""

    __tablename__ = "evaluation_claim"

    evaluation_id: int = Field(foreign_key="evaluation.id", primary_key=True)
    seq: int = Field(primary_key=True)
    policy: str
    status: str
    amount: Decimal = _micro()
    currency: str
    code: str


metadata = SQLModel.metadata


def _table(row: type[SQLModel]) -> sa.Table:
    table = getattr(row, "__table__")  # noqa: B009 - SQLModel sets it on table models, untyped
    assert isinstance(table, sa.Table)
    return table


# The tables as SQLAlchemy Core sees them: the bank writes in bulk (executemany), not row objects.
WORKER = _table(WorkerRow)
ACHIEVEMENT = _table(AchievementRow)
PACK = _table(PackRow)
EVALUATION = _table(EvaluationRow)
EVALUATION_CATEGORY = _table(EvaluationCategoryRow)
EVALUATION_STATUS = _table(EvaluationStatusRow)
EVALUATION_CLAIM = _table(EvaluationClaimRow)
_TABLES = (WORKER, ACHIEVEMENT, PACK, EVALUATION, EVALUATION_CATEGORY, EVALUATION_STATUS, EVALUATION_CLAIM)


def shown_url(url: str | URL) -> str:
    """The URL as messages may show it: never its password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "<unreadable database URL>"


def _driver_url(url: str) -> URL:
    try:
        parsed = make_url(url)
    except sa.exc.ArgumentError:
        raise StoreError(
            f"{url!r} is not a database URL (sqlite:///FILE or postgresql://USER@HOST/DB)"
        ) from None
    # psycopg 3 is the PostgreSQL driver this package depends on; SQLAlchemy's default is psycopg2.
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise StoreError(f"{shown_url(parsed)}: the bank runs on SQLite or PostgreSQL only")
    return parsed


def connect(url: str) -> Engine:
    """An engine for the bank at ``url`` (nothing is opened until it is used).

    :raises StoreError: when the URL is not a SQLite or PostgreSQL URL.
    """
    parsed = _driver_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = sa.create_engine(parsed)
        sa.event.listen(engine, "connect", _sqlite_connect)
        sa.event.listen(engine, "begin", _sqlite_begin)
        return engine
    return sa.create_engine(parsed, pool_pre_ping=True)


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # The sqlite3 module opens transactions on its own and not before a SELECT; SQLAlchemy's
    # documented recipe turns that off and begins every transaction itself (below), so that
    # a batch's reads and writes are one transaction.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    # IMMEDIATE: take the write lock at the start, so two imports queue instead of failing midway.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


@contextmanager
def transaction(engine: Engine) -> Iterator[Connection]:
    """One transaction: committed when the block ends, rolled back on any exception.

    :raises StoreError: when the database cannot be reached or refuses a statement.
    """
    try:
        with engine.begin() as connection:
            yield connection
    except sa.exc.SQLAlchemyError as exc:
        raise _store_error(engine, exc) from exc


def _store_error(engine: Engine, exc: sa.exc.SQLAlchemyError) -> StoreError:
    where = shown_url(engine.url)
    if isinstance(exc, sa.exc.OperationalError | sa.exc.InterfaceError):
        # The driver's text names host and port, never row values.
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else type(exc).__name__
        return BankUnavailableError(f"{where}: cannot use the bank: {reason}")
    # Other errors may quote the statement's parameters (names among them): only the kind is shown.
    return StoreError(f"{where}: the database refused a statement ({type(exc).__name__})")


def _alembic_config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("creditengine._migrations")))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The schema revision this release writes."""
    config = Config()
    config.set_main_option("script_location", str(resources.files("creditengine._migrations")))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


def current_revision(connection: Connection) -> str | None:
    """The bank's schema revision, or None when it has no bank tables yet."""
    return MigrationContext.configure(connection).get_current_revision()


def migrate(engine: Engine, revision: str = "head") -> None:
    """Create or upgrade the schema to ``revision`` (the newest by default), in one transaction.

    :raises StoreError: when the database cannot be reached, or holds a schema newer than this release.
    """
    with transaction(engine) as connection:
        current = current_revision(connection)
        script = ScriptDirectory.from_config(_alembic_config(connection))
        known = {rev.revision for rev in script.walk_revisions()}
        if current is not None and current not in known:
            raise BankUnavailableError(
                f"{shown_url(engine.url)}: the bank's schema (revision {current}) is newer than this "
                "release of creditengine; upgrade creditengine"
            )
        command.upgrade(_alembic_config(connection), revision)


def tables() -> tuple[sa.Table, ...]:
    """The bank's tables, parents first."""
    return _TABLES
