"""Check the coverage JSON report of scripts/test against the floors in pyproject.toml.

Prints line and branch coverage per top-level package of src/strongroom, then the total; exits
non-zero when the total (coverage's own figure, lines and branches) or a package's line coverage
is below its floor in [tool.strongroom.coverage-floors], or when the report is missing.
"""

from __future__ import annotations

import json
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PACKAGE_ROOT = "strongroom"
TOTAL = "total"


@dataclass
class Tally:
    """Statements and branches of a group of files: how many there are, how many ran."""

    lines: int = 0
    covered_lines: int = 0
    branches: int = 0
    covered_branches: int = 0

    def add(self, summary: Mapping[str, Any]) -> None:
        self.lines += int(summary["num_statements"])
        self.covered_lines += int(summary["covered_lines"])
        self.branches += int(summary.get("num_branches", 0))
        self.covered_branches += int(summary.get("covered_branches", 0))

    @property
    def line_percent(self) -> float:
        return 100.0 * self.covered_lines / self.lines if self.lines else 100.0

    @property
    def branch_percent(self) -> float:
        return 100.0 * self.covered_branches / self.branches if self.branches else 100.0


def package_of(path: str) -> str:
    """'src/strongroom/services/payments/charges.py' -> 'services'; top-level modules -> ''."""
    parts = Path(path).parts
    if PACKAGE_ROOT not in parts:
        return ""
    rest = parts[parts.index(PACKAGE_ROOT) + 1 :]
    return rest[0] if len(rest) > 1 else ""


def tallies(report: Mapping[str, Any]) -> dict[str, Tally]:
    by_package: dict[str, Tally] = {}
    for path, measured in report["files"].items():
        by_package.setdefault(package_of(path), Tally()).add(measured["summary"])
    return by_package


def failures(
    report: Mapping[str, Any], by_package: Mapping[str, Tally], floors: Mapping[str, float]
) -> list[str]:
    found = []
    total = float(report["totals"]["percent_covered"])
    for name, floor in floors.items():
        if name == TOTAL:
            reached = total
        elif name in by_package:
            reached = by_package[name].line_percent
        else:
            found.append(f"{name}: no file of the package was measured")
            continue
        if reached < floor:
            found.append(f"{name}: {reached:.2f} % is below the floor of {floor} %")
    return found


def main() -> int:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    floors = config["tool"]["strongroom"]["coverage-floors"]
    report_path = ROOT / config["tool"]["coverage"]["json"]["output"]
    if not report_path.is_file():
        print(f"coverage floor: no report at {report_path} (run scripts/test first)")
        return 1
    report = json.loads(report_path.read_text(encoding="utf-8"))
    by_package = tallies(report)
    print(f"{'package':<12} {'lines':>8} {'branches':>9}")
    for name in sorted(by_package):
        tally = by_package[name]
        print(f"{name or '(top)':<12} {tally.line_percent:>7.2f}% {tally.branch_percent:>8.2f}%")
    print(f"{TOTAL:<12} {float(report['totals']['percent_covered']):>7.2f}%  (lines and branches)")
    found = failures(report, by_package, floors)
    for failure in found:
        print(f"coverage floor: {failure}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
