"""A reproducible synthetic population for the golden-output test.

Frozen on purpose: the golden digests were computed from exactly these records,
so changing this generator means regenerating them (``python -m tests.golden.regenerate``).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

INDUSTRIES = ["advanced_manufacturing", "digital_economy", "modern_services", "general", "mining"]
OCCUPATIONS = ["6-31-01-03", "4-03-02-01", "2-02-10-04", "6-20-03-01"]
MACAO_TITLES = ["Maintenance electrician", "维修电工", "Chef"]


def _day(rng: random.Random, start: dt.date, span_days: int) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, span_days))


def _achievement(rng: random.Random, index: int) -> dict[str, Any]:
    completed = _day(rng, dt.date(2012, 1, 1), 365 * 15)
    kind = rng.choices(
        ["course", "certificate", "formal_credit", "qualification", "macao", "award"],
        weights=[10, 5, 3, 1, 1, 1],
    )[0]
    item: dict[str, Any] = {"id": f"A{index}", "completed": completed.isoformat()}
    if kind == "course":
        item |= {
            "type": "course",
            "title": f"Course {rng.randint(1, 40)}",
            "hours": rng.choice([8, 16, 40, 60, 120, 200, 333, 1000]) + rng.choice([0, 0, 0.5]),
            "industry": rng.choice(INDUSTRIES),
            "provider": {"id": f"P{rng.randint(1, 5)}", "accredited": rng.random() < 0.85},
            "assessment": {"passed": rng.random() < 0.9, "score": rng.randint(40, 100)},
        }
    elif kind == "certificate":
        item |= {
            "type": "certificate",
            "title": "Certificate",
            "occupation": rng.choice(OCCUPATIONS),
            "level": {"framework": "cn-skill", "value": rng.randint(1, 5)},
            "industry": rng.choice(INDUSTRIES),
            "issuer": {"id": "SZ-HRSS", "jurisdiction": "shenzhen"},
        }
        if rng.random() < 0.2:
            item["expires"] = _day(rng, completed, 365 * 8).isoformat()
    elif kind == "formal_credit":
        item |= {
            "type": "formal_credit",
            "title": "Module",
            "credits": {"value": rng.choice([1, 2, 2.5, 3, 4, 6]), "system": "cn-higher-ed"},
            "field": rng.choice(INDUSTRIES),
            "provider": {"id": "SZPT", "accredited": rng.random() < 0.9},
        }
    elif kind == "qualification":
        item |= {
            "type": "qualification",
            "title": "Higher Diploma",
            "level": {"framework": "hkqf", "value": rng.randint(2, 6)},
            "credits": {"value": rng.choice([60, 120, 240, 480]), "system": "hkqf"},
            "field": rng.choice(INDUSTRIES),
            "provider": {"id": "VTC", "jurisdiction": "hong_kong"},
        }
    elif kind == "macao":
        item |= {
            "type": "certificate",
            "title": rng.choice(MACAO_TITLES),
            "level": {"framework": "mo-dsal", "value": rng.choice(["junior", "intermediate", "senior"])},
            "industry": rng.choice(INDUSTRIES),
            "issuer": {"id": "MO-DSAL", "jurisdiction": "macao"},
        }
    else:
        item |= {"type": "award", "title": "Award", "industry": rng.choice(INDUSTRIES)}
    return item


def population(seed: int, count: int) -> Iterator[dict[str, Any]]:
    """``count`` worker records as plain dicts, the same for the same seed."""
    rng = random.Random(seed)
    for n in range(count):
        attributes: dict[str, Any] = {}
        if rng.random() < 0.7:
            attributes["insurance_months"] = rng.randint(0, 60)
        if rng.random() < 0.3:
            attributes["programme"] = {
                "track": rng.choice(["associate", "bachelor"]),
                "major": rng.choice(["mechatronics", "accounting"]),
            }
        yield {
            "worker": {"id": f"W-{n:06d}", "attributes": attributes},
            "achievements": [_achievement(rng, i) for i in range(rng.randint(0, 16))],
        }
