"""The bank's schema: made by the shipped migrations, equal to the models, exact decimals, clear errors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from creditengine import Bank, BankUnavailableError, StoreError
from creditengine import _store as store

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _revisions() -> list[str]:
    """Every migration's revision, oldest first."""
    config = Config()
    config.set_main_option("script_location", str(resources.files("creditengine._migrations")))
    script = ScriptDirectory.from_config(config)
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def test_init_creates_the_schema_and_is_safe_to_run_again(bank_url: str) -> None:
    with Bank.open(bank_url) as bank:
        assert bank.revision() is None
        head = bank.init()
        assert bank.revision() == head == store.head_revision()
        bank.import_records([EXAMPLES / "electrician-level3.yaml"])
        assert bank.init() == head  # again: nothing lost
        assert bank.counts()["achievements"] == 3


def test_the_head_migration_creates_exactly_the_models_tables(bank_url: str) -> None:
    engine = store.connect(bank_url)
    store.migrate(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, store.metadata) == []
    engine.dispose()


def test_a_bank_made_by_the_first_migration_upgrades_with_its_data(bank_url: str) -> None:
    revisions = _revisions()
    assert revisions[0] == "0001"
    engine = store.connect(bank_url)
    store.migrate(engine, revisions[0])
    # Data written at the first revision, with that revision's columns.
    now = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
    with engine.begin() as connection:
        connection.execute(
            sa.text("INSERT INTO worker (id, attributes, revision, imported_at) VALUES ('W-1', '{}', 1, :t)"),
            {"t": now},
        )
        connection.execute(
            sa.text(
                "INSERT INTO achievement (worker_id, evidence_id, seq, type, completed, data, source, "
                "imported_at) VALUES ('W-1', 'A1', 0, 'course', :d, :data, 'old.yaml', :t)"
            ),
            {
                "d": dt.date(2024, 3, 1),
                "data": '{"completed":"2024-03-01","hours":40,"id":"A1","type":"course"}',
                "t": now,
            },
        )
    engine.dispose()
    with Bank.open(bank_url) as bank:
        bank.init()
        assert bank.revision() == revisions[-1]
        record = bank.worker("W-1")
        assert record.achievements[0].hours == Decimal(40)


def test_a_bank_that_was_never_initialised_is_an_environment_error(bank_url: str) -> None:
    with Bank.open(bank_url) as bank, pytest.raises(BankUnavailableError, match="not a skill bank yet"):
        bank.counts()


def test_a_bank_of_a_newer_release_is_refused_not_downgraded(bank_url: str) -> None:
    with Bank.open(bank_url) as bank:
        bank.init()
    engine = store.connect(bank_url)
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with Bank.open(bank_url) as bank:
        with pytest.raises(BankUnavailableError, match="revision 9999"):
            bank.counts()
        with pytest.raises(BankUnavailableError, match="newer than this release"):
            bank.init()


def test_an_unreachable_server_names_it_without_the_password() -> None:
    bank = Bank.open("postgresql://clerk:s3cret@127.0.0.1:1/nowhere")
    with pytest.raises(BankUnavailableError) as caught:
        bank.init()
    assert "127.0.0.1" in str(caught.value)
    assert "s3cret" not in str(caught.value)


def test_a_url_of_another_database_is_refused() -> None:
    with pytest.raises(StoreError, match="SQLite or PostgreSQL only"):
        Bank.open("mysql://root@localhost/bank")
    with pytest.raises(StoreError, match="not a database URL"):
        Bank.open("creditbank.db")


def test_the_default_url_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CREDITENGINE_DB", f"sqlite:///{tmp_path / 'env.db'}")
    assert Bank.open().url.endswith("env.db")
    monkeypatch.delenv("CREDITENGINE_DB")
    assert Bank.open().url == "sqlite:///creditbank.db"


def test_opening_a_bank_touches_nothing_until_it_is_used(tmp_path: Path) -> None:
    path = tmp_path / "lazy.db"
    Bank.open(f"sqlite:///{path}").close()
    assert not path.exists()


@pytest.mark.parametrize(
    "value", [Decimal("96.5"), Decimal("0.000001"), Decimal("-12.25"), Decimal("999999999999.999999")]
)
def test_decimals_are_stored_exactly(bank_url: str, value: Decimal) -> None:
    engine = store.connect(bank_url)
    table = sa.Table("exact", sa.MetaData(), sa.Column("v", store.Micro()))
    with engine.begin() as connection:
        table.create(connection)
        connection.execute(sa.insert(table), {"v": value})
        stored = connection.execute(sa.select(table.c.v)).scalar_one()
        raw = connection.execute(sa.text("SELECT v FROM exact")).scalar_one()
        table.drop(connection)
    engine.dispose()
    assert stored == value
    assert raw == int(value.scaleb(6))  # whole millionths: SUM() in SQL stays exact


def test_more_than_six_decimal_places_are_refused_not_rounded() -> None:
    with pytest.raises(StoreError, match="more than 6 decimal places"):
        store.Micro().process_bind_param(Decimal("0.0000001"), sa.dialects.sqlite.dialect())
