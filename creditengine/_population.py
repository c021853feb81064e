"""A reproducible synthetic population of worker records, as plain JSON-ready dicts.

One generator serves ``creditengine generate``, the bank's tests and the benchmarks.
Each worker has one of four profiles, so that every stage of the default pack has work
to do:

- ``mixed``: mostly courses (some unaccredited, failed, expired or over the
  yearly cap), a few certificates and formal credits, now and then an award;
- ``certificates``: a certificate collector with many recent cn-skill
  certificates of every level (duplicates by occupation, expiry dates, repeated
  occupation and level), so the subsidy's claim window, once_per and max_claims all fire;
- ``student``: formal credits and courses, usually on the mechatronics
  associate programme, so the credit transfer is exercised;
- ``cross-border``: Hong Kong (HKQF) qualifications and Macao (mo-dsal)
  certificates, so equivalence derives certificates through the level maps and
  the count-once rule decides between a source and what it counts as.

How many achievements a worker has and over which years their dates run is a
:class:`Shape`: :data:`DEFAULT_SHAPE` (6 to 18 achievements, about 12 on average,
over the 15 years 2011-2025) for ``creditengine generate``, and
:data:`BENCHMARK_SHAPE`, which ``make bench`` and its hand-written baseline were
measured with (5 to 15, over 2005 to early 2026). The same seed and shape always
give the same records, on every platform (``random.Random`` is seeded, never global).
The generator is lazy: :func:`population` yields one record at a time.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

__all__ = [
    "BENCHMARK_SHAPE",
    "DEFAULT_SHAPE",
    "Raw",
    "Shape",
    "achievement_count",
    "generate_population",
    "population",
]

Raw = dict[str, Any]

INDUSTRIES = ["advanced_manufacturing", "digital_economy", "modern_services", "general"]
#: Fields and industries outside the pack's categories: counted under ``general``.
UNDECLARED = ["mathematics", "logistics", "healthcare"]

COURSE_TITLES = [
    "Industrial robot operation and maintenance",
    "PLC programming for production lines",
    "Low-voltage electrical safety refresher",
    "Python data analysis",
    "Cloud computing operations",
    "Industrial internet platforms",
    "Cross-border e-commerce customer service",
    "Five-axis machining centre programming",
    "Machine vision basics",
    "Office software applications",
    "Drone piloting basics",
    "Dim sum making",
    "Warehouse management systems",
    "Elderly care essentials",
]
PROVIDERS = ["SZ-TB-0042", "SZ-TB-0107", "SZ-TB-0215", "SZ-PRIV-0871", "SZPT"]

#: (title, occupation code): 6-31-01-03 and 6-20-03-01 are the subsidy's shortage occupations.
OCCUPATIONS = [
    ("Electrician", "6-31-01-03"),
    ("Industrial robot system operator", "6-20-03-01"),
    ("Welder", "6-18-02-04"),
    ("CNC lathe operator", "6-18-01-01"),
    ("Chinese cuisine cook", "4-03-02-01"),
    ("Forklift driver", "4-02-03-01"),
    ("Computer network administrator", "4-04-05-02"),
]
CN_LEVELS = [5, 5, 4, 4, 4, 3, 3, 2, 1]

CREDIT_TITLES = [
    "Programming fundamentals",
    "Circuit analysis",
    "Engineering mathematics",
    "College English",
    "Mechanical drawing",
    "Business communication",
    "Electrical control and PLC",
]

QUALIFICATIONS = [
    "Higher Diploma in Electrical Engineering",
    "Diploma in Logistics Operations",
    "Bachelor of Engineering in Electrical Engineering",
    "Certificate in Hospitality Operations",
    "Master of Science in Engineering Management",
]
HKQF_LEVELS = [1, 2, 3, 3, 4, 4, 4, 5, 5, 6, 7]

#: The first three are the titles the Macao equivalence recognises; the last is not.
# The Chinese titles, traditional and simplified, are escaped: only _explain holds Chinese text.
MACAO_TITLES = ["Maintenance electrician", "\u7dad\u4fee\u96fb\u5de5", "\u7ef4\u4fee\u7535\u5de5", "Welder"]
MACAO_LEVELS = ["junior", "intermediate", "intermediate", "senior"]

MAJORS = ["mechatronics", "mechatronics", "mechatronics", "big data technology", "nursing"]

PROFILES = ["mixed", "mixed", "mixed", "mixed", "mixed", "certificates", "student", "student", "cross-border"]
PROFILES += ["cross-border"]

#: Achievement kinds by profile, as weights.
KINDS: dict[str, dict[str, int]] = {
    "mixed": {
        "course": 60,
        "certificate": 15,
        "formal_credit": 15,
        "qualification": 2,
        "macao": 2,
        "award": 6,
    },
    "certificates": {"course": 15, "certificate": 75, "formal_credit": 4, "macao": 3, "award": 3},
    "student": {"course": 30, "certificate": 10, "formal_credit": 55, "award": 5},
    "cross-border": {"course": 25, "certificate": 15, "qualification": 25, "macao": 25, "formal_credit": 5},
}


@dataclass(frozen=True, slots=True)
class Shape:
    """How many achievements a generated worker has and when they were earned.

    A date is drawn in ``recent_from``..``recent_until`` with a profile's "recent" chance,
    in ``lately_from``..``last`` with its "lately" chance, else in ``first``..``last``.
    """

    first: dt.date
    last: dt.date
    lately_from: dt.date
    recent_from: dt.date
    recent_until: dt.date
    fewest: int
    most: int


#: ``creditengine generate``: about 12 achievements a worker, dates over 15 years (2011-2025).
DEFAULT_SHAPE = Shape(
    first=dt.date(2011, 1, 1),
    last=dt.date(2025, 12, 31),
    lately_from=dt.date(2021, 1, 1),
    recent_from=dt.date(2024, 7, 1),
    recent_until=dt.date(2025, 12, 31),
    fewest=6,
    most=18,
)
#: ``make bench``: frozen, since the benchmark's hand-written baseline was checked against it.
#: Some dates fall after the bench's evaluation date, so that some learning is not counted yet.
BENCHMARK_SHAPE = Shape(
    first=dt.date(2005, 1, 1),
    last=dt.date(2025, 12, 31),
    lately_from=dt.date(2021, 1, 1),
    recent_from=dt.date(2024, 7, 1),
    recent_until=dt.date(2026, 2, 28),
    fewest=5,
    most=15,
)


def _day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def _completed(rng: random.Random, shape: Shape, *, recent: float, lately: float = 0.0) -> dt.date:
    """A learning date: recent with probability ``recent``, lately with ``lately``, else any."""
    roll = rng.random()
    if roll < recent:
        return _day(rng, shape.recent_from, shape.recent_until)
    if roll < recent + lately:
        return _day(rng, shape.lately_from, shape.last)
    return _day(rng, shape.first, shape.last)


def _hours(rng: random.Random) -> int | float:
    hours = rng.randint(8, 240)
    # Now and then a fractional number of hours, so that rounding (half up) is exercised.
    return hours + rng.choice([0.5, 0.25, 0.75]) if rng.random() < 0.1 else hours


def _category(rng: random.Random) -> str:
    return rng.choice(UNDECLARED) if rng.random() < 0.08 else rng.choice(INDUSTRIES)


def _course(rng: random.Random, ident: str, profile: str, shape: Shape) -> Raw:
    provider = rng.choice(PROVIDERS)
    item: Raw = {
        "id": ident,
        "type": "course",
        "title": rng.choice(COURSE_TITLES),
        "provider": {"id": provider, "accredited": rng.random() < 0.9, "jurisdiction": "shenzhen"},
        "completed": _completed(rng, shape, recent=0.35, lately=0.35).isoformat(),
        "hours": _hours(rng),
        "assessment": {
            "passed": rng.random() < 0.93,
            "score": rng.randint(40, 100),
            "attendance": round(rng.uniform(0.7, 1.0), 2),
        },
    }
    if profile == "student" and rng.random() < 0.6:
        item["industry"] = "advanced_manufacturing"
    elif rng.random() < 0.95:
        item["industry"] = _category(rng)
    if rng.random() < 0.02:
        del item["hours"]  # converts to nothing, with a warning
    return item


def _certificate(rng: random.Random, ident: str, profile: str, shape: Shape) -> Raw:
    title, occupation = rng.choice(OCCUPATIONS)
    recent = 0.6 if profile == "certificates" else 0.35
    completed = _completed(rng, shape, recent=recent)
    item: Raw = {
        "id": ident,
        "type": "certificate",
        "title": title,
        "occupation": occupation,
        "level": {"framework": "cn-skill", "value": rng.choice(CN_LEVELS)},
        "completed": completed.isoformat(),
        "issuer": {"id": "SZ-HRSS", "jurisdiction": "shenzhen"},
    }
    if rng.random() < 0.9:
        item["industry"] = "advanced_manufacturing" if occupation.startswith("6-") else _category(rng)
    if rng.random() < 0.05:
        del item["occupation"]  # no occupation: left out of dedupe and once_per
    roll = rng.random()
    if roll < 0.3:
        item["expires"] = (completed + dt.timedelta(days=365 * rng.randint(2, 6))).isoformat()
    elif roll < 0.35:
        item["expires"] = "9999-12-31"
    elif roll < 0.6:
        item["expires"] = None
    return item


def _formal_credit(rng: random.Random, ident: str, profile: str, shape: Shape) -> Raw:
    system = "cn-higher-ed" if rng.random() < 0.92 else "ects"
    return {
        "id": ident,
        "type": "formal_credit",
        "title": rng.choice(CREDIT_TITLES),
        "provider": {"id": "SZPT", "accredited": True, "jurisdiction": "shenzhen"},
        "credits": {"value": rng.randint(1, 6), "system": system},
        "field": "advanced_manufacturing" if profile == "student" and rng.random() < 0.5 else _category(rng),
        "completed": _completed(rng, shape, recent=0.25).isoformat(),
    }


def _qualification(rng: random.Random, ident: str, shape: Shape) -> Raw:
    completed = _completed(rng, shape, recent=0.2)
    item: Raw = {
        "id": ident,
        "type": "qualification",
        "title": rng.choice(QUALIFICATIONS),
        "level": {"framework": "hkqf", "value": rng.choice(HKQF_LEVELS)},
        "field": _category(rng),
        "provider": {"id": "HK-VTC", "jurisdiction": "hong_kong"},
        "completed": completed.isoformat(),
    }
    if rng.random() < 0.92:
        item["credits"] = {"value": rng.choice([30, 60, 120, 180, 240, 360, 480]), "system": "hkqf"}
    if rng.random() < 0.1:
        # Rare, but then the certificate it counts as expires too.
        item["expires"] = (completed + dt.timedelta(days=365 * rng.randint(1, 8))).isoformat()
    if rng.random() < 0.15:
        item["occupation"] = "6-31-01-03"  # an electrical diploma: its certificate dedupes with electricians
    return item


def _macao(rng: random.Random, ident: str, shape: Shape) -> Raw:
    completed = _completed(rng, shape, recent=0.4)
    item: Raw = {
        "id": ident,
        "type": "certificate",
        "title": rng.choice(MACAO_TITLES),
        "level": {"framework": "mo-dsal", "value": rng.choice(MACAO_LEVELS)},
        "industry": "advanced_manufacturing",
        "completed": completed.isoformat(),
        "issuer": {"id": "MO-DSAL", "jurisdiction": "macao" if rng.random() < 0.9 else "hong_kong"},
    }
    if rng.random() < 0.2:
        item["expires"] = (completed + dt.timedelta(days=365 * rng.randint(2, 6))).isoformat()
    return item


def _award(rng: random.Random, ident: str, shape: Shape) -> Raw:
    return {
        "id": ident,
        "type": "award",
        "title": "Outstanding apprentice award",
        "issuer": {"id": "SZ-FT-HRSS", "jurisdiction": "shenzhen"},
        "industry": rng.choice(INDUSTRIES),
        "completed": _completed(rng, shape, recent=0.2).isoformat(),
    }


def _attributes(rng: random.Random, profile: str) -> Raw:
    attributes: Raw = {}
    if rng.random() < 0.85:
        attributes["insurance_months"] = rng.randint(0, 120)
    if rng.random() < (0.9 if profile == "student" else 0.25):
        programme: Raw = {"track": "associate" if rng.random() < 0.75 else "bachelor"}
        if rng.random() < 0.95:
            programme["major"] = rng.choice(MAJORS)
        attributes["programme"] = programme
    return attributes


def worker(rng: random.Random, number: int, shape: Shape = DEFAULT_SHAPE) -> Raw:
    """One worker record, drawn from ``rng``."""
    profile = rng.choice(PROFILES)
    weights = KINDS[profile]
    count = rng.randint(shape.fewest, shape.most)
    kinds = rng.choices(list(weights), weights=list(weights.values()), k=count)
    items: list[Raw] = []
    for index, kind in enumerate(kinds, start=1):
        ident = f"A{index}"
        if kind == "course":
            items.append(_course(rng, ident, profile, shape))
        elif kind == "certificate":
            items.append(_certificate(rng, ident, profile, shape))
        elif kind == "formal_credit":
            items.append(_formal_credit(rng, ident, profile, shape))
        elif kind == "qualification":
            items.append(_qualification(rng, ident, shape))
        elif kind == "macao":
            items.append(_macao(rng, ident, shape))
        else:
            items.append(_award(rng, ident, shape))
    record: Raw = {"worker": {"id": f"W-{number:07d}"}, "achievements": items}
    attributes = _attributes(rng, profile)
    if attributes:
        record["worker"]["attributes"] = attributes
    return record


def population(seed: int, count: int, *, shape: Shape = DEFAULT_SHAPE) -> Iterator[Raw]:
    """``count`` workers, lazily and reproducibly: the first N of a larger population are the same N.

    :param seed: the same seed (and shape) always gives the same records.
    :param shape: how many achievements and over which years (:data:`DEFAULT_SHAPE`).
    """
    rng = random.Random(seed)
    for number in range(count):
        yield worker(rng, number, shape)


def achievement_count(records: list[Raw]) -> int:
    """How many achievements the records hold in all."""
    return sum(len(r["achievements"]) for r in records)


def generate_population(workers: int, *, seed: int = 0) -> Iterator[dict[str, Any]]:
    """A synthetic population of worker records as plain mappings, the same for the same seed.

    About 12 achievements a worker (6 to 18) earned over 2011-2025: courses, cn-skill
    certificates of every level, formal credits, Hong Kong qualifications and Macao
    certificates; worker attributes the default pack tests. Ids are ``W-0000000`` onwards.

    :param workers: how many records.
    :param seed: the same seed always gives the same records, on every platform.

    >>> first = next(generate_population(1, seed=7))
    >>> first["worker"]["id"]
    'W-0000000'

    .. versionadded:: 0.3
    """
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 0:
        raise ValueError(f"workers must be a whole number, 0 or more; got {workers!r}")
    return population(seed, workers)
