"""Imports: every file of a batch validated first, every problem located, all or nothing, idempotent."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from creditengine import Bank, RecordError, load_records

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
YAMLS = sorted(EXAMPLES.glob("*.yaml"))


@pytest.fixture
def bank(bank_url: str) -> Bank:
    opened = Bank.open(bank_url)
    opened.init()
    yield opened
    opened.close()


def test_the_examples_import_and_read_back_as_they_were_written(bank: Bank) -> None:
    report = bank.import_records(YAMLS)
    records = [r for path in YAMLS for r in load_records(path)]
    assert report.files == len(YAMLS)
    assert report.workers_new == len(records)
    assert report.achievements_new == sum(len(r.achievements) for r in records)
    for record in records:
        # Name, attributes and achievements, in order, with every value as written.
        stored = bank.worker(record.worker.id).model_dump(mode="json", exclude_none=True)
        assert stored == record.model_dump(mode="json", exclude_none=True)


def test_importing_the_same_files_again_changes_nothing(bank: Bank) -> None:
    first = bank.import_records(YAMLS)
    again = bank.import_records(YAMLS)
    assert (again.workers_new, again.workers_changed, again.achievements_new) == (0, 0, 0)
    assert again.achievements_unchanged == first.achievements_new
    assert bank.counts()["achievements"] == first.achievements_new


def test_a_json_list_of_records_imports_like_yaml(bank: Bank, tmp_path: Path) -> None:
    path = tmp_path / "two.json"
    path.write_text(
        json.dumps(
            [
                {
                    "worker": {"id": "W-1"},
                    "achievements": [
                        {"id": "A1", "type": "course", "completed": "2024-03-01", "hours": 12.5}
                    ],
                },
                {"worker": {"id": "W-2"}},
            ]
        )
    )
    report = bank.import_records([path])
    assert (report.workers_new, report.achievements_new) == (2, 1)
    assert str(bank.worker("W-1").achievements[0].hours) == "12.5"


def test_the_csv_example_imports_every_row(bank: Bank) -> None:
    report = bank.import_records([EXAMPLES / "achievements.csv"])
    assert (report.workers_new, report.achievements_new) == (2, 6)
    first = bank.worker("W-0101")
    assert first.worker.attributes == {"insurance_months": 30, "programme": {"track": "associate"}}
    assert [a.id for a in first.achievements] == ["A1", "A2", "A3"]
    second = bank.worker("W-0102")
    assert second.achievements[2].title == "Welding, basic"  # a quoted comma stays in its cell
    assert str(second.achievements[2].hours) == "40.5"
    assert second.achievements[1].level is not None and second.achievements[1].level.value == "intermediate"


def _problems(error: pytest.ExceptionInfo[RecordError]) -> list[str]:
    return [str(p) for p in error.value.problems]


def test_every_bad_record_of_every_file_is_reported_and_nothing_is_written(
    bank: Bank, tmp_path: Path
) -> None:
    good = tmp_path / "good.yaml"
    shutil.copy(EXAMPLES / "electrician-level3.yaml", good)
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "worker: {id: W-9001, name: Zhang San}\n"
        "achievements:\n"
        "  - {id: A1, type: cours, completed: 2024-03-01}\n"
        "---\n"
        "worker: {id: W-9002}\n"
        "---\n"
        "worker: {id: W-9003}\n"
        "achievements:\n"
        "  - {id: A1, type: course, completed: 2024-03-01, hours: lots}\n"
    )
    table = tmp_path / "bad.csv"
    table.write_text("worker.id,id,type,completed\nW-9004,A1,course,2024-02-30\n")
    with pytest.raises(RecordError) as caught:
        bank.import_records([good, bad, table])
    problems = _problems(caught)
    assert len(problems) == 3  # sorted by file, then line
    assert problems[0].startswith(f"{table}:2:") and "completed" in problems[0]
    assert problems[1].startswith(f"{bad}:3:") and "'cours'" in problems[1]
    assert problems[2].startswith(f"{bad}:9:") and "hours" in problems[2]  # the third document too
    assert all("Zhang San" not in p for p in problems)  # names never appear in errors
    assert bank.counts() == {"workers": 0, "achievements": 0, "packs": 0, "evaluations": 0}


def test_csv_problems_name_line_column_and_field(bank: Bank, tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text(
        "worker.id,worker.name,id,type,completed,hours,level.framework,hourz\n"
        "W-1,Li Wei,A1,cours,2024-02-30,12.5%,cn-skill,3\n"
        ",x,A3,course,2024-02-01,10,,\n"
    )
    with pytest.raises(RecordError) as caught:
        bank.import_records([path])
    assert _problems(caught) == [
        f"{path}:1:63: unknown column 'hourz' (did you mean 'hours'?)",
    ]  # the header is checked first: no row is read under a wrong header
    path.write_text(
        "worker.id,worker.name,id,type,completed,hours,level.framework\n"
        "W-1,Li Wei,A1,cours,2024-02-30,12.5%,cn-skill\n"
        "W-1,Li Wei,A2,course,2024-02-01,10,\n"
        "W-1,Li Wei,A2,course,2024-02-02,10,\n"
        ",x,A3,course,2024-02-01,10,\n"
    )
    with pytest.raises(RecordError) as caught:
        bank.import_records([path])
    assert _problems(caught) == [
        f"{path}:2:15: type: must be one of 'course', 'certificate', 'formal_credit', 'qualification' "
        "or 'award', got text 'cours' (did you mean 'course'?)",
        f"{path}:2:21: completed: '2024-02-30' is not a real date (YYYY-MM-DD)",
        f"{path}:2:32: hours: expected a number, got text '12.5%'",
        f"{path}:2:38: level: missing required key 'value'",
        f"{path}:4:12: id: worker W-1 has achievement A2 twice (first at line 3)",
        f"{path}:5:1: worker.id: missing (every row names its worker)",
    ]
    assert all("Li Wei" not in p for p in _problems(caught))


def test_a_changed_achievement_is_reported_not_overwritten_unless_replaced(
    bank: Bank, tmp_path: Path
) -> None:
    path = tmp_path / "w.yaml"
    path.write_text(
        "worker: {id: W-1, name: Li Wei}\n"
        "achievements:\n"
        "  - {id: A1, type: course, completed: 2024-03-01, hours: 40}\n"
    )
    bank.import_records([path])
    path.write_text(
        "worker: {id: W-1}\n"
        "achievements:\n"
        "  - {id: A1, type: course, completed: 2024-03-01, hours: 60}\n"
        "  - {id: A2, type: course, completed: 2024-04-01, hours: 8}\n"
    )
    with pytest.raises(RecordError) as caught:
        bank.import_records([path])
    assert _problems(caught) == [
        f"{path}:3:10: worker W-1, achievement A1: differs from the one in the bank (same evidence id); "
        "use --replace to accept the new one (at achievements[0].id)"
    ]
    record = bank.worker("W-1")
    assert [(a.id, str(a.hours)) for a in record.achievements] == [("A1", "40")]  # A2 not written either
    report = bank.import_records([path], replace=True)
    assert (report.achievements_replaced, report.achievements_new, report.workers_changed) == (1, 1, 1)
    record = bank.worker("W-1")
    assert [(a.id, str(a.hours)) for a in record.achievements] == [("A1", "60"), ("A2", "8")]
    assert record.worker.name == "Li Wei"  # a field the new record leaves out is kept


def test_two_files_giving_one_evidence_id_different_content_are_refused(bank: Bank, tmp_path: Path) -> None:
    one, two = tmp_path / "one.yaml", tmp_path / "two.yaml"
    one.write_text("worker: {id: W-1}\nachievements:\n  - {id: A1, type: course, completed: 2024-03-01}\n")
    two.write_text("worker: {id: W-1}\nachievements:\n  - {id: A1, type: award, completed: 2024-03-01}\n")
    with pytest.raises(RecordError, match=r"achievement A1: differs from the one at .*one.yaml:3"):
        bank.import_records([one, two])
    assert bank.counts()["workers"] == 0


def test_a_format_can_be_forced(bank: Bank, tmp_path: Path) -> None:
    path = tmp_path / "records.txt"
    path.write_text('{"worker": {"id": "W-1"}}')
    assert bank.import_records([path], format="json").workers_new == 1
    with pytest.raises(ValueError, match="unknown import format 'xml'"):
        bank.import_records([path], format="xml")
