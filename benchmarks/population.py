"""A reproducible synthetic population of worker records, as plain JSON-ready dicts.

Each worker has about ten achievements (5 to 15) and one of four profiles, so
that every stage of the default pack has work to do:

- ``mixed``: mostly courses (some unaccredited, failed, expired or over the
  yearly cap), a few certificates and formal credits, now and then an award;
- ``certificates``: a certificate collector with many recent cn-skill
  certificates (duplicates by occupation, expiry dates, repeated occupation and
  level), so the subsidy's claim window, once_per and max_claims all fire;
- ``student``: formal credits and courses, usually on the mechatronics
  associate programme, so the credit transfer is exercised;
- ``cross-border``: HKQF qualifications and Macao (mo-dsal) certificates, so
  equivalence derives certificates through the level maps and the
  count-once rule decides between a source and what it counts as.

Dates run from 2005 (before some conversions are in force) to early 2026
(after the benchmark's evaluation date, so some learning is not counted yet).
The generator is lazy: :func:`population` yields one record at a time.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

__all__ = ["Raw", "achievement_count", "population"]

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
MACAO_TITLES = ["Maintenance electrician", "維修電工", "维修电工", "Welder"]
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


def _day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def _completed(rng: random.Random, *, recent: float, lately: float = 0.0) -> dt.date:
    """A learning date: with probability ``recent`` in mid-2024 to early 2026, with
    probability ``lately`` in 2021-2025, else anywhere in 2005-2025."""
    roll = rng.random()
    if roll < recent:
        return _day(rng, dt.date(2024, 7, 1), dt.date(2026, 2, 28))
    if roll < recent + lately:
        return _day(rng, dt.date(2021, 1, 1), dt.date(2025, 12, 31))
    return _day(rng, dt.date(2005, 1, 1), dt.date(2025, 12, 31))


def _hours(rng: random.Random) -> int | float:
    hours = rng.randint(8, 240)
    # Now and then a fractional number of hours, so that rounding (half up) is exercised.
    return hours + rng.choice([0.5, 0.25, 0.75]) if rng.random() < 0.1 else hours


def _category(rng: random.Random) -> str:
    return rng.choice(UNDECLARED) if rng.random() < 0.08 else rng.choice(INDUSTRIES)


def _course(rng: random.Random, ident: str, profile: str) -> Raw:
    provider = rng.choice(PROVIDERS)
    item: Raw = {
        "id": ident,
        "type": "course",
        "title": rng.choice(COURSE_TITLES),
        "provider": {"id": provider, "accredited": rng.random() < 0.9, "jurisdiction": "shenzhen"},
        "completed": _completed(rng, recent=0.35, lately=0.35).isoformat(),
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


def _certificate(rng: random.Random, ident: str, profile: str) -> Raw:
    title, occupation = rng.choice(OCCUPATIONS)
    recent = 0.6 if profile == "certificates" else 0.35
    completed = _completed(rng, recent=recent)
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


def _formal_credit(rng: random.Random, ident: str, profile: str) -> Raw:
    system = "cn-higher-ed" if rng.random() < 0.92 else "ects"
    return {
        "id": ident,
        "type": "formal_credit",
        "title": rng.choice(CREDIT_TITLES),
        "provider": {"id": "SZPT", "accredited": True, "jurisdiction": "shenzhen"},
        "credits": {"value": rng.randint(1, 6), "system": system},
        "field": "advanced_manufacturing" if profile == "student" and rng.random() < 0.5 else _category(rng),
        "completed": _completed(rng, recent=0.25).isoformat(),
    }


def _qualification(rng: random.Random, ident: str) -> Raw:
    completed = _completed(rng, recent=0.2)
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


def _macao(rng: random.Random, ident: str) -> Raw:
    completed = _completed(rng, recent=0.4)
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


def _award(rng: random.Random, ident: str) -> Raw:
    return {
        "id": ident,
        "type": "award",
        "title": "Outstanding apprentice award",
        "issuer": {"id": "SZ-FT-HRSS", "jurisdiction": "shenzhen"},
        "industry": rng.choice(INDUSTRIES),
        "completed": _completed(rng, recent=0.2).isoformat(),
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


def worker(rng: random.Random, number: int) -> Raw:
    """One worker record, drawn from ``rng``."""
    profile = rng.choice(PROFILES)
    weights = KINDS[profile]
    kinds = rng.choices(list(weights), weights=list(weights.values()), k=rng.randint(5, 15))
    items: list[Raw] = []
    for index, kind in enumerate(kinds, start=1):
        ident = f"A{index}"
        if kind == "course":
            items.append(_course(rng, ident, profile))
        elif kind == "certificate":
            items.append(_certificate(rng, ident, profile))
        elif kind == "formal_credit":
            items.append(_formal_credit(rng, ident, profile))
        elif kind == "qualification":
            items.append(_qualification(rng, ident))
        elif kind == "macao":
            items.append(_macao(rng, ident))
        else:
            items.append(_award(rng, ident))
    record: Raw = {"worker": {"id": f"W-{number:07d}"}, "achievements": items}
    attributes = _attributes(rng, profile)
    if attributes:
        record["worker"]["attributes"] = attributes
    return record


def population(seed: int, count: int) -> Iterator[Raw]:
    """``count`` workers, lazily and reproducibly: the first N of a larger population are the same N."""
    rng = random.Random(seed)
    for number in range(count):
        yield worker(rng, number)


def achievement_count(records: list[Raw]) -> int:
    """How many achievements the records hold in all."""
    return sum(len(r["achievements"]) for r in records)
