"""Hypothesis strategies for whole rule packs (YAML files) and worker records, for the
durable-vs-compiled differential test (``test_durable_whole.py``).

The packs are valid by construction, so that few are refused by the loader (each refusal
is a wasted example): conditions are drawn per field with constants of the field's type;
a level lookup's table is the framework its rule's ``when`` pins; equivalence rules are
stratified by achievement type (each pins a type and derives a later one), so the loader's
static cycle check, which knows only what conditions pin, sees no cycle; worker-only
conditions (``worker:`` requirements, status rules' bonuses) read worker attributes only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

PACK = """name: generated
title: {en: Generated}
reference: "tests/property/durable_packs.py"
scale: {unit: point, decimals: 1, rounding: half_up}
categories: [a, b, general]
default_category: general
frameworks:
  cn-skill: {levels: [5, 4, 3, 2, 1]}
  mo: {levels: [junior, intermediate, senior]}
level_maps:
  - {from: mo, to: cn-skill, map: {junior: 5, intermediate: 4}}
attributes:
  age: {type: integer, min: 0}
  region: {type: text}
"""
HEAD = (
    'kind: {kind}\nversion: "{version}"\neffective: {{from: {start}}}\n'
    'title: {{en: {id}}}\nreference: "generated"\n'
)
FRAMEWORKS = {"cn-skill": ["5", "4", "3", "2", "1"], "mo": ["junior", "intermediate", "senior"]}
#: Achievement types in the order equivalences derive them (a rule derives a later type).
TYPES = ["course", "award", "formal_credit", "certificate"]
#: Field -> (kind, constants as YAML). Numbers and dates are ordered; refs compare within a kind.
FIELDS: dict[str, tuple[str, list[str]]] = {
    "type": ("enum", TYPES),
    "title": ("text", ["Electrician", "Welding", "Data"]),
    "industry": ("text", ["a", "b", "c"]),
    "occupation": ("text", ['"6-31-01-03"', '"2-02-10"']),
    "provider.id": ("text", ["P1", "P2"]),
    "provider.accredited": ("bool", ["true", "false"]),
    "assessment.passed": ("bool", ["true", "false"]),
    "hours": ("number", ["0", "8", "40", "60", "100", "120", "250", "12.5"]),
    "assessment.score": ("number", ["50", "60", "88.5"]),
    "credits.value": ("number", ["1", "2.5", "4"]),
    "completed": ("date", ["2018-01-01", "2020-01-01", "2022-06-30", "2024-06-30"]),
    "expires": ("date", ["2021-01-01", "2026-01-01"]),
    "worker.age": ("number", ["18", "30", "45"]),
    "worker.region": ("text", ["a", "b"]),
}
WORKER = {"worker.age", "worker.region"}
ORDERED = {"number", "date"}


def _value(draw: st.DrawFn, constants: list[str]) -> str:
    return draw(st.sampled_from(constants))


@st.composite
def leaf(draw: st.DrawFn, *, worker: bool = False, bare: bool = False) -> str:
    """One comparison as YAML flow-mapping entries, of every operator.

    ``worker``: only worker attributes (``worker.age``, or ``age`` when ``bare``, as a
    ``worker:`` requirement names them).
    """
    paths = sorted(WORKER) if worker else [*sorted(FIELDS), "level.value"]
    path = draw(st.sampled_from(paths))
    if path == "level.value":
        framework = draw(st.sampled_from(sorted(FRAMEWORKS)))
        levels = FRAMEWORKS[framework]
        op = draw(
            st.sampled_from(["eq", "ne", "in", "not_in", "gt", "gte", "lt", "lte", "between", "exists"])
        )
        if op == "between":
            low, high = sorted(
                draw(st.lists(st.sampled_from(levels), min_size=2, max_size=2)), key=levels.index
            )
            test = f"{{between: [{low}, {high}]}}"
        elif op in ("in", "not_in"):
            test = f"{{{op}: [{', '.join(draw(st.lists(st.sampled_from(levels), min_size=1, max_size=3)))}]}}"
        elif op == "exists":
            test = f"{{exists: {draw(st.sampled_from(['true', 'false']))}}}"
        else:
            test = f"{{{op}: {draw(st.sampled_from(levels))}}}"
        return f"level.framework: {framework}, level.value: {test}"
    kind, constants = FIELDS[path]
    name = path.removeprefix("worker.") if bare else path
    ops = ["eq", "eq", "ne", "in", "not_in", "exists"]
    if kind in ORDERED:
        ops += ["gt", "gte", "lt", "lte", "between"]
    peers = [p for p, (k, _) in FIELDS.items() if k == kind and p != path and (p in WORKER) >= worker]
    if peers and kind != "bool" and not bare:
        ops.append("ref")
    op = draw(st.sampled_from(ops))
    if op == "eq":
        return f"{name}: {_value(draw, constants)}"
    if op == "exists":
        return f"{name}: {{exists: {draw(st.sampled_from(['true', 'false']))}}}"
    if op in ("in", "not_in"):
        members = draw(st.lists(st.sampled_from(constants), min_size=1, max_size=3))
        return f"{name}: {{{op}: [{', '.join(members)}]}}"
    if op == "between":
        first, second = draw(st.lists(st.sampled_from(constants), min_size=2, max_size=2))
        low, high = sorted((first, second), key=lambda v: float(v) if kind == "number" else v)
        return f"{name}: {{between: [{low}, {high}]}}"
    if op == "ref":
        tests = ["eq", "ne"] + (["gt", "gte", "lt", "lte"] if kind in ORDERED else [])
        return f"{name}: {{{draw(st.sampled_from(tests))}: {{ref: {draw(st.sampled_from(peers))}}}}}"
    return f"{name}: {{{op}: {_value(draw, constants)}}}"


@st.composite
def condition(draw: st.DrawFn, depth: int = 0, *, worker: bool = False, bare: bool = False) -> str:
    """A condition as a YAML flow mapping: comparisons under all/any/not, up to three deep."""
    kinds = ["leaf", "leaf", "two", "all", "any", "not"] if depth < 2 else ["leaf"]
    kind = draw(st.sampled_from(kinds))
    if kind == "leaf":
        return "{" + draw(leaf(worker=worker, bare=bare)) + "}"
    if kind == "two":  # two entries of one mapping: both must hold
        first, second = draw(leaf(worker=worker, bare=bare)), draw(leaf(worker=worker, bare=bare))
        keys = {entry.split(":")[0] for entry in first.split(", ") if ":" in entry}
        if any(entry.split(":")[0] in keys for entry in second.split(", ") if ":" in entry):
            return "{" + first + "}"
        return "{" + first + ", " + second + "}"
    if kind == "not":
        return "{not: " + draw(condition(depth + 1, worker=worker, bare=bare)) + "}"
    parts = draw(st.lists(condition(depth + 1, worker=worker, bare=bare), min_size=1, max_size=3))
    return "{" + kind + ": [" + ", ".join(parts) + "]}"


def pinned(framework: str, cond: str) -> str:
    """``cond`` with ``level.framework`` pinned (what a level lookup's table is checked against)."""
    return f"{{all: [{{level.framework: {framework}}}, {cond}]}}"


FORMULAS = [
    '"hours / 10"',
    '"min(hours * 0.3, 40) + 1"',
    '"credits.value * 4"',
    '"max(assessment.score - 50, 0) / 2"',
    '"hours * credits.value / 8"',
    '"worker.age / 3"',
]
LOOKUPS = {
    "type": "{course: 5, certificate: 20, award: 8}",
    "industry": "{a: 10, b: 20}",
    "title": "{Electrician: 30, Welding: 15}",
    "provider.id": "{P1: 7, P2: 3.5}",
    "hours": "{40: 4, 100: 10, 12.5: 1}",
}


@st.composite
def when_and_points(draw: st.DrawFn, *, amount: bool = False) -> tuple[str | None, str]:
    """A rule's ``when`` (None: always) and its points (fixed, formula or lookup on several fields)."""
    when = None if draw(st.integers(0, 9)) == 0 else draw(condition())
    kind = draw(st.sampled_from(["fixed", "formula", "lookup", "level"]))
    default = draw(st.sampled_from(["", ", default: 1"]))
    if kind == "fixed":
        return when, draw(st.sampled_from(["10", "2.5", "0", "25"] + ([] if amount else ["-5"])))
    if kind == "formula":
        return when, "{formula: " + draw(st.sampled_from(FORMULAS)) + "}"
    if kind == "lookup":
        path = draw(st.sampled_from(sorted(LOOKUPS)))
        return when, f"{{lookup: {path}, table: {LOOKUPS[path]}{default}}}"
    framework = draw(st.sampled_from(sorted(FRAMEWORKS)))
    levels = FRAMEWORKS[framework]
    rows = draw(st.lists(st.sampled_from(levels), min_size=1, max_size=len(levels), unique=True))
    table = ", ".join(f"{level}: {20 * (levels.index(level) + 1)}" for level in rows)
    return pinned(
        framework, when or "{level.value: {exists: true}}"
    ), f"{{lookup: level.value, table: {{{table}}}{default}}}"


@st.composite
def conversion(draw: st.DrawFn, n: int) -> str:
    start = draw(st.sampled_from(["2000-01-01", "2000-01-01", "2021-01-01"]))
    text = f"id: conv{n}\n" + HEAD.format(kind="conversion", version="1", start=start, id=f"conv{n}")
    text += f"hit: {draw(st.sampled_from(['first', 'sum', 'max']))}\nrules:\n"
    for r in range(draw(st.integers(1, 4))):
        when, points = draw(when_and_points())
        category = draw(st.sampled_from(["a", "b", "general", '"{industry}"']))
        text += f"  - id: r{r}\n    reference: generated\n"
        text += (f"    when: {when}\n" if when else "") + f"    points: {points}\n    category: {category}\n"
    return text


@st.composite
def adjustments(draw: st.DrawFn) -> str:
    text = (
        "id: adj\n" + HEAD.format(kind="adjustment", version="1", start="2000-01-01", id="adj") + "rules:\n"
    )
    options = [
        lambda: "    applies_to: {type: course}\n    cap: {max: 30, per: year}\n",
        lambda: "    applies_to: {type: certificate}\n    cap: {count: 1, keep: highest, per: lifetime}\n",
        lambda: f"    when: {draw(condition())}\n    cap: {{max: 50, per: lifetime}}\n",
        lambda: "    applies_to: {type: course}\n    cap: {max: 20, per: lifetime, by: [provider.id]}\n",
        lambda: f"    when: {draw(condition())}\n    multiply: {draw(st.sampled_from(['1.2', '0.5']))}\n",
        lambda: f"    when: {draw(condition())}\n    unless: {draw(condition())}\n    cap: {{max: 15}}\n",
        lambda: "    applies_to: {type: course}\n    expire_after: {years: 5}\n",
        lambda: "    applies_to: {type: certificate}\n    expire_after: {field: expires}\n",
        lambda: "    applies_to: {type: certificate}\n    dedupe: {key: [occupation], keep: highest}\n",
        lambda: f"    when: {draw(condition())}\n    exclude: {{reason: generated}}\n",
    ]
    chosen = draw(st.lists(st.integers(0, len(options) - 1), min_size=1, max_size=4, unique=True))
    for r, k in enumerate(chosen):
        text += f"  - id: adj{r}\n    title: {{en: adjustment {r}}}\n    reference: generated\n{options[k]()}"
    return text


@st.composite
def equivalence_rule(draw: st.DrawFn) -> str:
    """An equivalence rule deriving a later type than the one its ``when`` pins (no cycles)."""
    source = draw(st.integers(0, len(TYPES) - 2))
    target = TYPES[draw(st.integers(source + 1, len(TYPES) - 1))]
    extra = draw(st.one_of(st.none(), condition(1)))
    level = draw(st.sampled_from(["none", "fixed", "map"]))
    pins = [f"{{type: {TYPES[source]}}}"]
    sets = [f"      type: {target}\n"]
    if level == "map":  # the level map's source framework must be pinned
        pins.append("{level.framework: mo}")
        sets.append("      level: {framework: cn-skill, map: true}\n")
    elif level == "fixed":
        framework = draw(st.sampled_from(sorted(FRAMEWORKS)))
        value = draw(st.sampled_from(FRAMEWORKS[framework]))
        sets.append(f"      level: {{framework: {framework}, value: {value}}}\n")
    if draw(st.booleans()):
        sets.append(f"      title: {draw(st.sampled_from(['Electrician', 'Senior electrician']))}\n")
    if draw(st.booleans()):
        sets.append(f"      industry: {draw(st.sampled_from(['a', 'b']))}\n")
    when = "{all: [" + ", ".join(pins + ([extra] if extra else [])) + "]}"
    return f"    when: {when}\n    counts_as:\n" + "".join(sets)


@st.composite
def equivalence(draw: st.DrawFn, n: int, count: int) -> str:
    start = draw(st.sampled_from(["2000-01-01", "2022-01-01"]))
    text = (
        f"id: eq{n}\n" + HEAD.format(kind="equivalence", version="1", start=start, id=f"eq{n}") + "rules:\n"
    )
    for r in range(count):
        text += f"  - id: e{r}\n    reference: generated\n{draw(equivalence_rule())}"
    return text


@st.composite
def requirement(draw: st.DrawFn, statuses: list[str], depth: int = 0) -> str:
    kinds = ["achievement", "total", "worker", "category"] + (["status"] if statuses else [])
    kinds += ["all", "any", "not"] if depth < 2 else []
    kind = draw(st.sampled_from(kinds))
    if kind == "achievement":
        at_least = draw(st.sampled_from(["", "", ", at_least: 2"]))
        return "{achievement: " + draw(condition(1)) + at_least + "}"
    if kind == "total":
        return "{total: {gte: " + draw(st.sampled_from(["0", "20", "60", "150"])) + "}}"
    if kind == "category":
        return "{total: {category: a, gte: " + draw(st.sampled_from(["10", "40"])) + "}}"
    if kind == "worker":
        return "{worker: " + draw(condition(1, worker=True, bare=True)) + "}"
    if kind == "status":
        return "{status: " + draw(st.sampled_from(statuses)) + "}"
    if kind == "not":
        return "{not: " + draw(requirement(statuses, depth + 1)) + "}"
    items = draw(st.lists(requirement(statuses, depth + 1), min_size=1, max_size=3))
    return "{" + kind + ": [" + ", ".join(items) + "]}"


@st.composite
def policy(draw: st.DrawFn, n: int, statuses: list[str]) -> str:
    start = draw(st.sampled_from(["2000-01-01", "2020-01-01"]))
    text = f"id: pol{n}\n" + HEAD.format(kind="accreditation", version="1", start=start, id=f"pol{n}")
    return text + f"grants: s{n}\nrequires: {draw(requirement(statuses))}\n"


def bonus(when: str, percent: str) -> str:
    return f"      - {{when: {when}, percent: {percent}}}\n"


@st.composite
def entitlement(draw: st.DrawFn, statuses: list[str]) -> str:
    """Rules with generated conditions and amounts, bonuses, status rules, and claim limits."""
    text = "id: grant\n" + HEAD.format(kind="entitlement", version="1", start="2000-01-01", id="grant")
    text += f"currency: CNY\ndecimals: {draw(st.sampled_from([0, 2]))}\n"
    if draw(st.integers(0, 2)) == 0:  # one in three: an ineligible worker's claims are all refused
        text += f"eligible: {draw(requirement(statuses))}\n"
    if draw(st.booleans()):
        text += f"claim_within: {{months: {draw(st.sampled_from([6, 12, 60]))}}}\n"
    if draw(st.booleans()):
        keys = st.lists(
            st.sampled_from(["occupation", "type", "level.value"]), min_size=1, max_size=2, unique=True
        )
        text += f"once_per: [{', '.join(draw(keys))}]\n"
    if draw(st.booleans()):
        per = draw(st.sampled_from(["year", "lifetime"]))
        text += f"max_claims: {{count: {draw(st.integers(1, 2))}, per: {per}}}\n"
    text += "rules:\n"
    for r in range(draw(st.integers(1, 3))):
        when, amount = draw(when_and_points(amount=True))
        text += f"  - id: g{r}\n    reference: generated\n    when: {when or '{type: {exists: true}}'}\n"
        text += f"    amount: {amount}\n"
        bonuses = draw(st.lists(condition(1), max_size=2))
        if bonuses:
            text += "    bonus:\n" + "".join(
                bonus(b, draw(st.sampled_from(["30", "-10", "12.5"]))) for b in bonuses
            )
    if statuses and draw(st.booleans()):
        text += (
            f"  - id: for-status\n    reference: generated\n    status: {draw(st.sampled_from(statuses))}\n"
        )
        amount = draw(st.sampled_from(["1000", '{formula: "worker.age * 10"}']))
        text += f"    amount: {amount}\n"
        if draw(st.booleans()):
            text += "    bonus:\n" + bonus(draw(condition(1, worker=True)), "20")
    return text


@st.composite
def transfer(draw: st.DrawFn, statuses: list[str]) -> str:
    text = "id: move\n" + HEAD.format(kind="transfer", version="1", start="2000-01-01", id="move")
    text += "programme:\n  id: P-1\n  title: {en: Programme}\n  credits: 60\n"
    if draw(st.booleans()):
        text += f"eligible: {draw(requirement(statuses))}\n"
    text += "rate: {points: 4, credits: 1}\nfrom:\n"
    categories = st.lists(st.sampled_from(["a", "b", "general"]), min_size=1, max_size=3, unique=True)
    text += f"  categories: [{', '.join(draw(categories))}]\n"
    if draw(st.booleans()):
        text += f"  where: {draw(condition())}\n"
    text += f"max_share: {draw(st.sampled_from(['0.5', '0.1', '1']))}\n"
    if draw(st.booleans()):
        text += "exemptions:\n"
        for k in range(draw(st.integers(1, 2))):
            text += f"  - id: x{k}\n    when: {draw(condition())}\n    courses:\n"
            text += f"      - {{code: C-{k}, credits: {draw(st.sampled_from(['2', '3.5']))}}}\n"
    return text


@st.composite
def pack_files(draw: st.DrawFn) -> dict[str, str]:
    """A whole pack: conversions, adjustments, equivalences, policies, an entitlement, a transfer."""
    files = {"pack.yaml": PACK}
    for n in range(draw(st.integers(1, 2))):
        files[f"conversions/conv{n}.yaml"] = draw(conversion(n))
    if draw(st.booleans()):
        files["adjustments/adj.yaml"] = draw(adjustments())
    counts = draw(st.lists(st.integers(1, 3), max_size=2))  # equivalence rules per file
    for n, count in enumerate(counts):
        files[f"policies/eq{n}.yaml"] = draw(equivalence(n, count))
    statuses: list[str] = []
    for n in range(draw(st.integers(0, 4))):
        files[f"policies/pol{n}.yaml"] = draw(policy(n, statuses))
        statuses.append(f"s{n}")
    if draw(st.booleans()):
        files["policies/grant.yaml"] = draw(entitlement(statuses))
    if draw(st.booleans()):
        files["policies/move.yaml"] = draw(transfer(statuses))
    return files


@st.composite
def achievement(draw: st.DrawFn, n: int) -> dict[str, Any]:
    kind = draw(st.sampled_from(TYPES))
    item: dict[str, Any] = {
        "id": f"A-{n}",
        "type": kind,
        "title": draw(st.sampled_from(["Electrician", "Welding", "Data"])),
        "completed": draw(st.dates(dt.date(2015, 1, 1), dt.date(2025, 12, 1))).isoformat(),
    }
    if draw(st.booleans()):
        item["hours"] = draw(st.sampled_from([0, 8, 40, 60, 100, 120, 250, 12.5]))
    if draw(st.booleans()):
        item["provider"] = {
            "id": draw(st.sampled_from(["P1", "P2", "P3"])),
            "accredited": draw(st.booleans()),
        }
    if draw(st.booleans()):
        item["industry"] = draw(st.sampled_from(["a", "b", "c"]))
    if draw(st.booleans()):
        item["assessment"] = {"passed": draw(st.booleans())}
        if draw(st.booleans()):
            item["assessment"]["score"] = draw(st.sampled_from([50, 60, 88.5, 99]))
    if draw(st.booleans()):
        item["occupation"] = draw(st.sampled_from(["6-31-01-03", "2-02-10"]))
    if draw(st.booleans()):
        item["credits"] = {"value": draw(st.sampled_from([1, 2.5, 4])), "system": "cn"}
    if kind == "certificate" and draw(st.booleans()):
        item["expires"] = draw(st.sampled_from(["2021-01-01", "2026-01-01", "2030-06-30"]))
    if kind in ("certificate", "award") and draw(st.integers(0, 3)):
        framework = draw(st.sampled_from(sorted(FRAMEWORKS)))
        levels = [*FRAMEWORKS[framework], *(["9"] if framework == "cn-skill" else [])]
        item["level"] = {"framework": framework, "value": draw(st.sampled_from(levels))}
        item["issuer"] = {"id": "I-1", "jurisdiction": "macao"}
    return item


@st.composite
def record(draw: st.DrawFn) -> dict[str, Any]:
    head: dict[str, Any] = {"id": "W-GEN"}
    attributes = {}
    if draw(st.booleans()):
        attributes["age"] = draw(st.integers(16, 60))
    if draw(st.booleans()):
        attributes["region"] = draw(st.sampled_from(["a", "b"]))
    if attributes:
        head["attributes"] = attributes
    count = draw(st.integers(0, 6))
    return {"worker": head, "achievements": [draw(achievement(n)) for n in range(count)]}
