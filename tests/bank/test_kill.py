"""An import killed half way (SIGKILL, no chance to clean up) leaves the bank as it was, and usable."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

from creditengine import Bank, generate_population

ROOT = Path(__file__).resolve().parents[2]

# The child imports the population and, once the first chunk of workers is written inside the
# transaction, says so and waits: the parent kills it there, half way through the write.
CHILD = """
import sys
from creditengine import Bank

def stop_half_way(done, total):
    print(f"written {done} of {total}", flush=True)
    sys.stdin.readline()  # the parent kills us while we wait here

Bank.open(sys.argv[1]).import_records([sys.argv[2]], progress=stop_half_way)
print("finished", flush=True)
"""


def test_an_import_killed_half_way_writes_nothing(bank_url: str, tmp_path: Path) -> None:
    bank = Bank.open(bank_url)
    bank.init()
    bank.import_records([ROOT / "examples" / "electrician-level3.yaml"])
    before = bank.counts()
    population = tmp_path / "population.json"
    population.write_text(json.dumps(list(generate_population(1200, seed=3))), encoding="utf-8")

    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, bank_url, str(population)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    assert line == "written 500 of 1200\n", line + (child.stderr.read() if child.stderr else "")
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL

    assert bank.counts() == before  # nothing of the killed batch is visible
    report = bank.import_records([population])  # and the bank takes the same batch again, whole
    assert report.workers_new == 1200
    assert bank.counts()["workers"] == before["workers"] + 1200
    bank.close()
