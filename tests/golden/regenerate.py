"""Rewrite the golden outputs: ``.venv/bin/python -m tests.golden.regenerate``.

Run it only to accept a deliberate change of figures or wording, and say so in the commit.
"""

from __future__ import annotations

import json
from pathlib import Path

from creditengine import Engine, load_record

from .digest import DATES, SEED, WORKERS, canonical, digest, without_codes
from .population import population

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parents[1] / "examples"


def main() -> None:
    engine = Engine.load()
    lines = []
    for raw in population(SEED, WORKERS):
        record = load_record(raw)
        texts = [canonical(engine.evaluate(record, as_of=day)) for day in DATES]
        lines.append(f"{record.worker.id} {digest(texts)}\n")
    (HERE / "population.digests").write_text("".join(lines))
    out = HERE / "examples"
    out.mkdir(exist_ok=True)
    for path in sorted(EXAMPLES.glob("*.yaml")):
        record = load_record(path)
        results = [engine.evaluate(record, as_of=day) for day in DATES]
        both = [{"en": without_codes(r.to_dict("en")), "zh": without_codes(r.to_dict("zh"))} for r in results]
        text = json.dumps(both, ensure_ascii=False, indent=1) + "\n"
        (out / f"{path.stem}.json").write_text(text)


if __name__ == "__main__":
    main()
