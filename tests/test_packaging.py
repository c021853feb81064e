"""The wheel builds without a setuptools warning and ships every rule file.

A new user's first screen (``make demo``) is the install: a deprecated ``project.license``
table or a rule folder missing from the ``packages`` list printed some 270 lines of
setuptools warnings there. The wheel is built from a copy of the sources, as pip builds it,
with the setuptools of this environment (the dev extra requires one recent enough).
"""

from __future__ import annotations

import email
import re
import shutil
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("pyproject.toml", "README.md", "creditengine", "cli", "rules")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """(the wheel, everything pip and setuptools printed while building it)."""
    setuptools = metadata.version("setuptools")
    major = int(setuptools.split(".")[0])
    assert major >= 77, f"setuptools {setuptools} is too old to build this project; run make (dev extra)"
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "source"
    source.mkdir()
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(path, source / name)
    out = tmp / "dist"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    build = ["wheel", "--no-deps", "--no-build-isolation", "-w", str(out), str(source)]
    done = subprocess.run([*pip, *build], capture_output=True, text=True, timeout=120)
    printed = done.stdout + done.stderr
    assert done.returncode == 0, printed
    [wheel] = out.glob("creditengine-*.whl")
    return wheel, printed


def test_the_wheel_builds_without_a_setuptools_warning(built: tuple[Path, str]) -> None:
    _, printed = built
    warnings = [line for line in printed.splitlines() if re.search(r"warn", line, re.I)]
    assert warnings == [], printed


def test_the_wheel_ships_every_rule_file(built: tuple[Path, str]) -> None:
    wheel, _ = built
    names = set(zipfile.ZipFile(wheel).namelist())
    rule_files = sorted(
        f"creditengine/rules/{p.relative_to(ROOT / 'rules').as_posix()}"
        for p in (ROOT / "rules").rglob("*.yaml")
    )
    assert len(rule_files) >= 10
    assert [name for name in rule_files if name not in names] == []
    assert {
        "creditengine/py.typed",
        "creditengine/cli/app.py",
        "creditengine/_evaluators/compiled.py",
        # The bank's migrations run from the installed package (Bank.init), not from a checkout.
        "creditengine/_migrations/env.py",
        "creditengine/_migrations/versions/0001_first_schema.py",
    } <= names


def test_the_wheel_declares_its_license_as_an_spdx_expression(built: tuple[Path, str]) -> None:
    wheel, _ = built
    with zipfile.ZipFile(wheel) as archive:
        [name] = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        info = email.message_from_bytes(archive.read(name))
    assert info["License-Expression"] == "Apache-2.0"
