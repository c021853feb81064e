"""Turn results into text (Rich tables and sentences), JSON or YAML. Computes nothing."""

from __future__ import annotations

import datetime as dt
import json
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TextIO

import yaml

if TYPE_CHECKING:  # Rich is imported when text is drawn: JSON output never loads it
    from rich.console import Console
    from rich.text import Text

from creditengine import CreditEngineError, Explanation, LintReport, Result, scenarios

if TYPE_CHECKING:  # the bank's modules load only when a bank command runs
    from creditengine import EvaluationReport, ImportReport, StoredEvaluation, WorkerRecord

__all__ = [
    "printable",
    "progress_bar",
    "render_bank_counts",
    "render_error",
    "render_evaluated",
    "render_imported",
    "render_json",
    "render_scenarios",
    "render_text",
    "render_validated",
    "render_worker",
    "render_yaml",
    "write_records",
]

_LABELS = {
    "en": {
        "worker": "Worker",
        "as_of": "as of",
        "pack": "pack",
        "ledger": "Ledger",
        "achievement": "Achievement",
        "rule": "Rule",
        "version": "Version",
        "base": "Base",
        "adjustments": "Adjustments",
        "points": "Points",
        "category": "Category",
        "status": "Status",
        "totals": "Totals",
        "all": "all",
        "outcomes": "Policies",
        "met": "MET",
        "unmet": "NOT MET",
        "because": "because",
        "missing": "why not",
        "have": "have",
        "need": "need",
        "more": "more",
        "closest": "closest",
        "unmatched": "Not converted (no rule matched)",
        "derived": "Counts as (equivalence)",
        "entitlements": "Entitlements",
        "granted": "granted",
        "refused": "refused",
        "not_transferred": "refused",
        "amount": "Amount",
        "for": "For",
        "reason": "Reason",
        "transfers": "Credit transfer",
        "credits": "credits",
        "limit": "limit",
        "exempted": "exempted",
        "warnings": "Warnings",
        "none": "no points",
        "explanation": "Explanation",
        "refusal": "reason",
        "reference": "reference",
        "changes": "smallest changes that would meet it",
        # Punctuation: Chinese sentences take full-width marks.
        "colon": ": ",
        "comma": ", ",
        "open": " (",
        "close": ")",
    },
    "zh": {
        "worker": "劳动者",
        "as_of": "评估日期",
        "pack": "规则包",
        "ledger": "积分明细",
        "achievement": "成果",
        "rule": "规则",
        "version": "版本",
        "base": "基础分",
        "adjustments": "调整",
        "points": "积分",
        "category": "类别",
        "status": "状态",
        "totals": "合计",
        "all": "总计",
        "outcomes": "政策认定",
        "met": "符合",
        "unmet": "不符合",
        "because": "依据",
        "missing": "缺少",
        "have": "已有",
        "need": "还差",
        "more": "",
        "closest": "最接近",
        "unmatched": "未换算（无匹配规则）",
        "derived": "等同认定",
        "entitlements": "补贴与待遇",
        "granted": "发放",
        "refused": "不予发放",
        "not_transferred": "不予转换",
        "amount": "金额",
        "for": "依据成果",
        "reason": "说明",
        "transfers": "学分转换",
        "credits": "学分",
        "limit": "上限",
        "exempted": "免修",
        "warnings": "提示",
        "none": "无积分",
        "explanation": "详细说明",
        "refusal": "说明",
        "reference": "政策依据",
        "changes": "满足条件的最小改变",
        "colon": "：",
        "comma": "，",
        "open": "（",
        "close": "）",
    },
}
_STATUS_ZH = {"counted": "计入", "capped": "封顶", "expired": "过期", "duplicate": "重复", "excluded": "排除"}


# Characters a terminal obeys or that reorder or hide text: C0/C1 controls (ESC...), bidirectional
# and other format characters (U+202E...), line and paragraph separators, unassigned and private use.
_HIDDEN = frozenset(("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"))


def printable(text: str) -> str:
    """``text`` with every character a terminal would obey or hide written as an escape (``\\x1b``)."""
    if text.isprintable():
        return text
    out = []
    for char in text:
        if unicodedata.category(char) not in _HIDDEN:
            out.append(char)
        elif ord(char) < 0x100:
            out.append(f"\\x{ord(char):02x}")
        elif ord(char) < 0x10000:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(f"\\U{ord(char):08x}")
    return "".join(out)


def _printable_data(value: Any) -> Any:
    """Every string in a result's dict (keys too) made printable; the text renderer shows only these."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {printable(k) if isinstance(k, str) else k: _printable_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_printable_data(v) for v in value]
    return value


def _documents(
    results: Sequence[Result], lang: str, explanations: Sequence[Explanation] | None
) -> list[dict[str, Any]]:
    """Each result's dict, with its ``explanation`` when explanations were asked for."""
    if explanations is None:
        return [r.to_dict(lang) for r in results]
    return [{**e.result.to_dict(lang), "explanation": e.to_dict(lang)} for e in explanations]


def render_json(
    results: Sequence[Result], *, lang: str, explanations: Sequence[Explanation] | None = None
) -> str:
    """One result as a JSON object; several as a JSON array; with explanations, each has an
    ``explanation`` key (without, the bytes are those of :meth:`Result.to_json`)."""
    if len(results) == 1 and explanations is None:
        return results[0].to_json(lang=lang, indent=2)
    documents = _documents(results, lang, explanations)
    return json.dumps(documents[0] if len(documents) == 1 else documents, ensure_ascii=False, indent=2)


def render_yaml(
    results: Sequence[Result], *, lang: str, explanations: Sequence[Explanation] | None = None
) -> str:
    """Each result as one YAML document (with its ``explanation`` when asked for)."""
    return yaml.safe_dump_all(
        _documents(results, lang, explanations),
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
    )


def _missing_lines(item: dict[str, Any], labels: dict[str, str], depth: int) -> list[str]:
    pad = "    " * depth
    line = f"{pad}- {item['requirement']}"
    if "have" in item:
        line += (
            f"{labels['colon']}{labels['have']} {item['have']}{labels['comma']}"
            f"{labels['need']} {item['need']} {labels['more']}".rstrip()
        )
    lines = [line]
    if "closest" in item:
        lines.append(f"{pad}  {labels['closest']}{labels['colon']}{item['closest']}")
    for index, option in enumerate(item.get("options", []), start=1):
        lines.append(f"{pad}  {labels['open'].strip()}{index}{labels['close']}")
        for inner in option:
            lines.extend(_missing_lines(inner, labels, depth + 1))
    return lines


def console(*, stderr: bool = False, width: int | None = None) -> Console:
    """A Rich console for text output (Rich is imported on first use)."""
    from rich.console import Console

    return Console(stderr=stderr, width=width, highlight=False)


def render_text(
    console: Console,
    results: Sequence[Result],
    *,
    lang: str,
    explanations: Sequence[Explanation] | None = None,
) -> None:
    """Tables for the ledger and totals; sentences for why and why not.

    A credit transfer the worker is not eligible for (not enrolled in the programme) is
    left out unless ``explanations`` are given; each result is then followed by every
    decision explained, with the smallest changes that would meet the unmet ones.
    """
    from rich.table import Table
    from rich.text import Text

    labels = _LABELS[lang]
    for number, result in enumerate(results):
        # Record and rule text (titles, names, reasons) may hold escapes that a terminal would obey.
        data = _printable_data(result.to_dict(lang))
        if number:
            console.print()
        fingerprint = data["pack"]["fingerprint"][:19]
        console.print(
            Text.assemble(
                (f"{labels['worker']} {data['worker']}", "bold"),
                f"  {labels['as_of']} {data['as_of']}",
                f"  {labels['pack']} {data['pack']['name']}"
                + (f"（{fingerprint}…）" if lang == "zh" else f" ({fingerprint}…)"),
            )
        )
        ledger = Table(title=labels["ledger"], title_justify="left")
        for key in ("achievement", "rule", "base", "points", "category", "status"):
            ledger.add_column(labels[key], justify="right" if key in ("base", "points") else "left")
        notes: list[str] = []
        for entry in data["ledger"]:
            status = entry["status"] if lang == "en" else _STATUS_ZH.get(entry["status"], entry["status"])
            rule = f"{entry['rule']} {entry['version']}"
            ledger.add_row(
                *_plain(
                    entry["achievement"],
                    rule,
                    entry["base"],
                    entry["points"],
                    result.pack.category(entry["category"], lang),
                    status,
                )
            )
            for adjustment in entry["adjustments"]:
                notes.append(
                    f"  {entry['achievement']}{labels['colon']}{adjustment['effect']}  "
                    f"[{adjustment['rule']} {adjustment['version']}]"
                )
        if data["ledger"]:
            console.print(ledger)
        else:
            console.print(f"{labels['ledger']}{labels['colon']}{labels['none']}")
        if notes:
            console.print(Text(labels["adjustments"], style="italic"))
            for note in notes:
                console.print(note, highlight=False, markup=False, soft_wrap=True)
        totals = Table(title=labels["totals"], title_justify="left")
        totals.add_column(labels["category"])
        totals.add_column(labels["points"], justify="right")
        for name, value in data["totals"]["by_category"].items():
            name = result.pack.category(name, lang)
            totals.add_row(*_plain(name, value))
        totals.add_row(Text(labels["all"], style="bold"), Text(data["totals"]["all"], style="bold"))
        console.print(totals)
        console.print(Text(labels["outcomes"], style="italic"))
        for outcome in data["outcomes"]:
            met = outcome["status"] == "met"
            mark = Text(f"{'✔' if met else '✘'} {labels[outcome['status']]}", style="green" if met else "red")
            console.print(
                Text.assemble(
                    mark,
                    f"  {outcome['title']}{labels['open']}{outcome['policy']} {outcome['version']}"
                    f"{labels['close']}",
                )
            )
            if met:
                for reason in outcome["because"]:
                    console.print(
                        f"    {labels['because']}{labels['colon']}{reason}", highlight=False, markup=False
                    )
            else:
                console.print(
                    f"    {labels['missing']}{labels['colon'].rstrip()}", highlight=False, markup=False
                )
                for item in outcome["missing"]:
                    for line in _missing_lines(item, labels, 1):
                        console.print(f"  {line}", highlight=False, markup=False)
        _render_extras(console, data, labels, refused=explanations is not None)
        if data["unmatched"]:
            console.print(
                f"{labels['unmatched']}{labels['colon']}{', '.join(data['unmatched'])}",
                highlight=False,
                markup=False,
            )
        if data["warnings"]:
            console.print(Text(labels["warnings"], style="yellow"))
            for warning in data["warnings"]:
                console.print(f"  - {warning}", highlight=False, markup=False)
        if explanations is not None:
            decisions = _printable_data(explanations[number].to_dict(lang))
            _render_explanation(console, decisions, labels)


_MARKS = {"met": ("✔", "green"), "granted": ("✔", "green"), "unmet": ("✘", "red"), "refused": ("✘", "red")}


def _change_lines(change: dict[str, Any], depth: int) -> list[str]:
    lines = [f"{'  ' * depth}- {change['change']}"]
    for inner in change.get("then", []):
        lines.extend(_change_lines(inner, depth + 1))
    return lines


def _render_explanation(console: Console, decisions: list[dict[str, Any]], labels: dict[str, str]) -> None:
    """Every decision: the rule it cites, why (or why not), and the smallest changes."""
    from rich.text import Text

    def say(text: str) -> None:
        console.print(text, highlight=False, markup=False, soft_wrap=True)

    console.print(Text(labels["explanation"], style="italic"))
    for decision in decisions:
        mark, style = _MARKS[decision["status"]]
        console.print(Text.assemble((mark, style), f" {decision['summary']}"), soft_wrap=True)
        if decision["rule"]["reference"]:
            say(f"    {labels['reference']}{labels['colon']}{decision['rule']['reference']}")
        for why in decision["why"]:
            label = labels["because" if decision["status"] in ("met", "granted") else "refusal"]
            say(f"    {label}{labels['colon']}{why}")
        if decision["why_not"]:
            say(f"    {labels['missing']}{labels['colon'].rstrip()}")
            for item in decision["why_not"]:
                for line in _missing_lines(item, labels, 1):
                    say(f"  {line}")
        if decision["changes"]:
            say(f"    {labels['changes']}{labels['colon'].rstrip()}")
            for change in decision["changes"]:
                for line in _change_lines(change, 3):
                    say(line)


def _render_extras(console: Console, data: dict[str, Any], labels: dict[str, str], *, refused: bool) -> None:
    """Derived achievements, entitlements and credit transfers, when there are any; a transfer the
    worker is not eligible for only with ``refused`` (most workers are in no programme at all)."""
    from rich.table import Table
    from rich.text import Text

    if data["derived"]:
        console.print(Text(labels["derived"], style="italic"))
        for item in data["derived"]:
            console.print(
                f"  {item['id']} <- {', '.join(item['from'])}  [{item['rule']} {item['version']}]",
                highlight=False,
                markup=False,
            )
    if data["entitlements"]:
        table = Table(title=labels["entitlements"], title_justify="left")
        for key in ("rule", "for", "amount", "status", "reason"):
            table.add_column(labels[key], justify="right" if key == "amount" else "left")
        for claim in data["entitlements"]:
            table.add_row(
                *_plain(
                    claim["rule"],
                    ", ".join(claim["for"]),
                    f"{claim['amount']} {claim['currency']}",
                    labels[claim["status"]],
                    claim["reason"],
                )
            )
        console.print(table)
    for transfer in data["transfers"]:
        if transfer["status"] == "refused" and not refused:
            continue
        console.print(Text(labels["transfers"], style="italic"))
        limit = (
            f"{labels['comma']}{labels['limit']} {transfer['limit']}" if transfer["limit"] is not None else ""
        )
        outcome = (
            f"{transfer['credits']} {labels['credits']}{limit}"
            if transfer["status"] == "granted"
            else labels["not_transferred"]
        )
        console.print(
            f"  {transfer['title']}{labels['open']}{transfer['programme']}{labels['close']}"
            f"{labels['colon']}{outcome}"
            f" [{transfer['policy']} {transfer['version']}]",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
        console.print(f"    {transfer['reason']}", highlight=False, markup=False)
        for course in transfer["exemptions"]:
            title = f" {course['title']}" if course["title"] != course["course"] else ""
            console.print(
                f"    {labels['exempted']} {course['course']}{title}{labels['colon']}{course['credits']}"
                f"{labels['open']}{course['by']}{labels['close']}",
                highlight=False,
                markup=False,
            )


def _plain(*values: str) -> list[Text]:
    """Table cells as plain text: record data such as ``[link=...]`` is never read as Rich markup."""
    from rich.text import Text

    return [Text(value) for value in values]


def render_validated(console: Console, directory: str, name: str, files: int, fingerprint: str) -> None:
    """The one line ``validate`` prints on success."""
    console.print(
        printable(f"{directory}: pack {name}, {files} rule file versions, {fingerprint}: OK"),
        highlight=False,
        markup=False,
        soft_wrap=True,
    )


def render_lint(console: Console, report: LintReport, directory: str, *, lang: str = "en") -> None:
    """Every lint finding (FILE:LINE:COL: code: message) with what to do under it, then the
    accepted findings with why, then the counts."""

    def say(text: str) -> None:
        console.print(printable(text), highlight=False, markup=False, soft_wrap=True)

    for finding in (*report.findings, *report.accepted):
        say(finding.line(lang))
        say(finding.hint(lang))
    total = len(report.findings)
    comma = "，" if lang == "zh" else ", "
    detail = comma.join(f"{code} {count}" for code, count in report.counts().items())
    taken = len(report.accepted)
    taken_detail = comma.join(f"{code} {count}" for code, count in report.counts(accepted=True).items())
    if lang == "zh":
        said = f"{total} 条警告（{detail}）" if total else "无警告"
        if taken:
            said += f"；另有 {taken} 条已接受（{taken_detail}）"
        summary = f"{directory}：规则包 {report.pack}：{said}"
    else:
        said = f"{total} warning{'s' if total != 1 else ''} ({detail})" if total else "no warnings"
        if taken:
            said += f"; {taken} accepted ({taken_detail})"
        summary = f"{directory}: pack {report.pack}: {said}"
    say(summary)


def render_error(console: Console, error: CreditEngineError) -> None:
    """Every located problem, one per line: FILE:LINE:COL: message."""
    for problem in error.problems:
        console.print(printable(str(problem)), highlight=False, markup=False, soft_wrap=True)
    count = len(error.problems)
    if count > 1:
        console.print(f"{count} problems", highlight=False, markup=False)


def render_scenarios(console: Console, report: scenarios.ScenarioReport) -> None:
    """PASS or FAIL per scenario (FILE:LINE name), the failing step's expected and actual values,
    the counts, then rule coverage per pack with the rules never exercised."""
    from rich.text import Text

    def say(text: str, style: str = "") -> None:
        console.print(Text(printable(text), style=style), highlight=False, soft_wrap=True)

    def say_lines(label: str, text: str) -> None:
        first, *rest = text.splitlines() or [""]
        say(label + first)
        for more in rest:
            say(" " * len(label) + more)

    verdicts = {"passed": ("PASS", "green"), "failed": ("FAIL", "bold red"), "skipped": ("SKIP", "yellow")}
    for outcome in report.scenarios:
        word, style = verdicts[outcome.status]
        line = Text(word, style=style)
        line.append(printable(f"  {outcome.file}:{outcome.line}  {outcome.name}"))
        console.print(line, highlight=False, soft_wrap=True)
        failure = outcome.failure
        if failure is None:
            continue
        if failure.step:
            say(f"      line {failure.line}: {failure.step}")
        # A step may expect or report several lines (a ledger): each is its own printed line,
        # indented under the label, rather than one line with its breaks escaped.
        if failure.expected:
            say_lines("      expected: ", failure.expected)
        say_lines("      actual:   ", failure.actual)
        if failure.result:
            say("      the result says:")
            for text in failure.result.splitlines():
                say(f"        {text}", "dim")
    skipped = f", {report.skipped} skipped" if report.skipped else ""
    say("")
    say(
        f"{len(report.scenarios)} scenarios: {report.passed} passed, {report.failed} failed{skipped}"
        f" ({report.seconds:.1f} s)",
        "bold red" if report.failed else "bold green",
    )
    coverage = report.coverage
    say("")
    say(
        f"RULE COVERAGE: {coverage.percent:.1f}% ({coverage.exercised} of {coverage.rules} rules"
        " decided something in at least one scenario)",
        "bold",
    )
    for pack in coverage.packs:
        say(
            f"  {pack.name} ({pack.folder}): {pack.percent:.1f}%"
            f" ({len(pack.exercised)} of {len(pack.rules)} rules)"
        )
        if pack.never:
            say("    never exercised:")
            for rule in pack.never:
                say(f"      {rule}", "yellow")
    if report.below_minimum:
        say("")
        say(
            f"rule coverage {coverage.percent:.1f}% is below the minimum of {report.min_coverage:g}%"
            " (--min-coverage)",
            "bold red",
        )


def render_imported(console: Console, report: ImportReport) -> None:
    """The summary ``bank import`` and ``generate --db`` print."""
    files = f"{report.files} file{'s' if report.files != 1 else ''}: " if report.files else ""
    console.print(
        f"imported {files}{report.workers_new} new workers, {report.workers_changed} changed; "
        f"achievements: {report.achievements_new} new, {report.achievements_unchanged} unchanged, "
        f"{report.achievements_replaced} replaced",
        highlight=False,
        markup=False,
        soft_wrap=True,
    )


def render_evaluated(console: Console, report: EvaluationReport) -> None:
    """The summary ``bank evaluate`` prints."""
    console.print(
        printable(
            f"evaluated {report.evaluated} workers with pack {report.pack} ({report.fingerprint}) "
            f"as of {report.as_of.isoformat()}; {report.up_to_date} already up to date"
        ),
        highlight=False,
        markup=False,
        soft_wrap=True,
    )


def render_bank_counts(console: Console, where: str, counts: dict[str, int]) -> None:
    """What ``bank show`` prints without a worker: how much the bank holds."""
    console.print(printable(f"{where}:"), highlight=False, markup=False, soft_wrap=True)
    for name, count in counts.items():
        console.print(f"  {name:<13}{count:>12,}", highlight=False, markup=False)


def write_records(records: Iterable[dict[str, Any]], stream: TextIO | None = None) -> None:
    """Worker records as one JSON list, a record a line (what ``bank import`` reads back)."""
    out = stream if stream is not None else sys.stdout
    out.write("[")
    for number, record in enumerate(records):
        out.write(",\n" if number else "\n")
        out.write(json.dumps(record, ensure_ascii=False, separators=(", ", ": ")))
    out.write("\n]\n")


@contextmanager
def progress_bar(label: str, *, quiet: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A Rich progress bar on stderr, fed by a (done, total) callback; None when ``quiet`` (a pipe)."""
    if quiet:
        yield None
        return
    from rich.progress import Progress

    with Progress(console=console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


def render_worker(console: Console, record: WorkerRecord, evaluations: Sequence[StoredEvaluation]) -> None:
    """A worker as the bank holds it (YAML, without the name: personal data), then its evaluations."""
    data = record.model_dump(exclude_none=True, exclude={"worker": {"name"}})
    text = yaml.dump(data, Dumper=_RecordDumper, allow_unicode=True, sort_keys=False)
    for line in text.splitlines():
        console.print(printable(line), highlight=False, markup=False, soft_wrap=True)
    for stored in evaluations:
        statuses = ", ".join(stored.statuses) or "none"
        console.print(
            printable(
                f"# as of {stored.as_of.isoformat()}, pack {stored.fingerprint}: "
                f"{format(stored.total_points.normalize(), 'f')} points; statuses: {statuses}"
            ),
            highlight=False,
            markup=False,
            soft_wrap=True,
        )


class _RecordDumper(yaml.SafeDumper):
    """YAML as records are written: exact numbers unquoted (``hours: 12.5``), never via float."""


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    tag = "tag:yaml.org,2002:int" if value == value.to_integral_value() else "tag:yaml.org,2002:float"
    return dumper.represent_scalar(tag, format(value, "f"))


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_str(str(value))


def _whole(dumper: yaml.SafeDumper, value: int) -> yaml.ScalarNode:
    return dumper.represent_int(int(value))


def _day(dumper: yaml.SafeDumper, value: dt.date) -> yaml.ScalarNode:
    return dumper.represent_date(dt.date(value.year, value.month, value.day))


# Records hold the reader's own subclasses (numbers and text that remember how they were written).
_RecordDumper.add_multi_representer(Decimal, _decimal)
_RecordDumper.add_multi_representer(str, _text)
_RecordDumper.add_multi_representer(int, _whole)
_RecordDumper.add_multi_representer(dt.date, _day)
