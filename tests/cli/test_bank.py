"""``creditengine bank ...`` and ``creditengine generate``: exit codes, located errors, quiet in a pipe."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from typer.testing import Result

Run = Callable[..., Result]


def test_init_import_evaluate_show(run: Run, examples: Path, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'bank.db'}"
    result = run("bank", "init", "--db", db)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{db}: skill bank ready (schema revision 0001)\n"
    files = [*sorted(examples.glob("*.yaml")), examples / "achievements.csv"]
    result = run("bank", "import", *files, "--db", db)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "imported 8 files: 9 new workers, 0 changed; achievements: 36 new, 0 unchanged, 0 replaced\n"
    )
    result = run("bank", "evaluate", "--as-of", "2025-12-31", "--db", db)
    assert result.exit_code == 0, result.stderr
    assert re.fullmatch(
        r"evaluated 9 workers with pack shenzhen \(sha256:[0-9a-f]{64}\) as of 2025-12-31; "
        r"0 already up to date\n",
        result.stdout,
    )
    assert result.stderr == ""  # no progress bar outside a terminal
    result = run("bank", "show", "--db", db)
    assert re.search(r"workers\s+9\n\s+achievements\s+36\n\s+packs\s+1\n\s+evaluations\s+9", result.stdout)
    result = run("bank", "show", "W-0001", "--db", db)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("worker:\n  id: W-0001\n")
    assert "highly-skilled" in result.stdout.splitlines()[-1]


def test_show_never_prints_a_name(run: Run, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'bank.db'}"
    record = tmp_path / "named.yaml"
    record.write_text("worker: {id: W-7, name: Chen Jing}\n")
    run("bank", "init", "--db", db)
    assert run("bank", "import", record, "--db", db).exit_code == 0
    result = run("bank", "show", "W-7", "--db", db)
    assert result.exit_code == 0 and "W-7" in result.stdout
    assert "Chen Jing" not in result.stdout + result.stderr


def test_a_bad_batch_exits_1_with_every_problem_located(run: Run, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'bank.db'}"
    run("bank", "init", "--db", db)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "worker.id,worker.name,id,type,completed\nW-1,Li Wei,A1,cours,2024-01-01\nW-2,Li Na,A1,course,x\n"
    )
    result = run("bank", "import", bad, "--db", db)
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{bad}:2:15: type: must be one of")
    assert lines[1].startswith(f"{bad}:3:21: completed:")
    assert lines[2] == "2 problems"
    assert "Li Wei" not in result.stderr and "Li Na" not in result.stderr


def test_an_unreachable_or_uninitialised_bank_exits_3(run: Run, tmp_path: Path) -> None:
    result = run("bank", "show", "--db", "postgresql://clerk:s3cret@127.0.0.1:1/bank")
    assert result.exit_code == 3
    assert "cannot use the bank" in result.stderr and "s3cret" not in result.stderr
    result = run("bank", "show", "--db", f"sqlite:///{tmp_path / 'empty.db'}")
    assert result.exit_code == 3
    assert "not a skill bank yet; run: creditengine bank init" in result.stderr


def test_generate_writes_the_same_file_for_the_same_seed(run: Run, tmp_path: Path) -> None:
    one, two = tmp_path / "one.json", tmp_path / "two.json"
    assert run("generate", "--workers", "40", "--seed", "9", "--out", one).exit_code == 0
    assert run("generate", "--workers", "40", "--seed", "9", "--out", two).exit_code == 0
    assert one.read_bytes() == two.read_bytes()
    records = json.loads(one.read_text(encoding="utf-8"))
    assert [r["worker"]["id"] for r in records[:2]] == ["W-0000000", "W-0000001"]
    db = f"sqlite:///{tmp_path / 'bank.db'}"
    run("bank", "init", "--db", db)
    result = run("bank", "import", one, "--db", db)
    assert result.exit_code == 0 and "40 new workers" in result.stdout


def test_generate_into_a_bank(run: Run, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'bank.db'}"
    run("bank", "init", "--db", db)
    result = run("generate", "--workers", "25", "--seed", "2", "--db", db)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("imported 25 new workers, 0 changed; achievements: ")
    result = run("generate", "--workers", "1", "--out", tmp_path / "x.json", "--db", db)
    assert result.exit_code == 2
