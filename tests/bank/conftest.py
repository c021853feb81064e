"""The bank's tests run on SQLite always and on PostgreSQL when ``CREDITENGINE_TEST_PG`` is set.

``CREDITENGINE_TEST_PG`` is a server URL (``.ci/run`` sets it to
``postgresql+psycopg://postgres@127.0.0.1:5432/test``). When it is set and the server cannot be
reached, every PostgreSQL test fails: a CI run that silently skipped them would prove nothing.
Each test gets a bank of its own (a SQLite file in its temporary folder, or a PostgreSQL schema
made for it) and the schema is dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

PG_ENV = "CREDITENGINE_TEST_PG"
BACKENDS = ["sqlite", "postgresql"]


def _pg_base() -> str | None:
    return os.environ.get(PG_ENV) or None


@pytest.fixture(params=BACKENDS)
def bank_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL to an empty database of its own, on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'bank.db'}"
        return
    base = _pg_base()
    if base is None:
        pytest.skip(f"PostgreSQL tests run when {PG_ENV} is set (.ci/run sets it)")
    with pg_schema(base) as url:
        yield url


class pg_schema:
    """A fresh PostgreSQL schema, reached through the URL it yields (search_path), dropped after."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.name = f"ce_test_{uuid.uuid4().hex[:12]}"
        self.admin: sa.Engine | None = None

    def __enter__(self) -> str:
        self.admin = sa.create_engine(self.base.replace("postgresql://", "postgresql+psycopg://", 1))
        try:
            with self.admin.begin() as connection:
                connection.exec_driver_sql(f'CREATE SCHEMA "{self.name}"')
        except sa.exc.OperationalError as exc:
            pytest.fail(f"{PG_ENV} is set but the server cannot be reached: {exc.orig}")
        joiner = "&" if "?" in self.base else "?"
        return f"{self.base}{joiner}options=-csearch_path%3D{self.name}"

    def __exit__(self, *exc: object) -> None:
        assert self.admin is not None
        with self.admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{self.name}" CASCADE')
        self.admin.dispose()
