"""scripts/coverage_floor.py: packages of measured files, and which floors a report misses."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "coverage_floor.py"


@pytest.fixture(scope="module")
def floor() -> Iterator[ModuleType]:
    """The script as a module (registered while loading: its dataclass looks itself up)."""
    spec = importlib.util.spec_from_file_location("coverage_floor", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules[spec.name]


def summary(lines: int, covered: int, branches: int = 0, covered_branches: int = 0) -> dict[str, Any]:
    return {
        "summary": {
            "num_statements": lines,
            "covered_lines": covered,
            "num_branches": branches,
            "covered_branches": covered_branches,
        }
    }


def report(total: float, files: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {"totals": {"percent_covered": total}, "files": files}


@pytest.mark.parametrize(
    ("path", "package"),
    [
        ("src/strongroom/services/payments/charges.py", "services"),
        ("src/strongroom/domain/money.py", "domain"),
        ("src/strongroom/cli.py", ""),
        ("elsewhere/module.py", ""),
    ],
)
def test_files_belong_to_their_top_level_package(floor: ModuleType, path: str, package: str) -> None:
    assert floor.package_of(path) == package


def test_package_line_coverage_adds_up_its_files(floor: ModuleType) -> None:
    tallies = floor.tallies(
        report(
            80.0,
            {
                "src/strongroom/domain/a.py": summary(10, 9, 4, 1),
                "src/strongroom/domain/b.py": summary(30, 27, 4, 3),
            },
        )
    )

    assert tallies["domain"].line_percent == 90.0
    assert tallies["domain"].branch_percent == 50.0


def test_a_report_at_every_floor_passes(floor: ModuleType) -> None:
    measured = report(
        85.0, {"src/strongroom/domain/a.py": summary(10, 9), "src/strongroom/services/b.py": summary(10, 10)}
    )

    assert (
        floor.failures(measured, floor.tallies(measured), {"total": 85, "domain": 90, "services": 90}) == []
    )


def test_each_floor_missed_is_named(floor: ModuleType) -> None:
    measured = report(84.9, {"src/strongroom/domain/a.py": summary(100, 89)})

    missed = floor.failures(measured, floor.tallies(measured), {"total": 85, "domain": 90, "services": 90})

    assert [line.split(":")[0] for line in missed] == ["total", "domain", "services"]
    assert "no file of the package was measured" in missed[2]
