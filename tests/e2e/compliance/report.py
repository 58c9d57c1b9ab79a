"""The compliance report an operator keeps: JSON for machines, Markdown for people.

Written to artifacts/compliance/ (or $BIA_COMPLIANCE_REPORT_DIR) at the end of a run.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from hardening.controls import controls

REPO = Path(__file__).resolve().parents[3]
STATUSES = ("pass", "fail", "not applicable", "waived", "error")


@dataclass
class Row:
    id: str
    title: str
    status: str
    expected: str
    observed: str = ""
    reason: str = ""
    source: str = ""


@dataclass
class Report:
    host: str = ""
    environment: str = ""
    rows: dict[str, Row] = field(default_factory=dict)
    scanners: dict[str, dict[str, Any]] = field(default_factory=dict)
    waivers: dict[str, str] = field(default_factory=dict)

    def record(self, control_id: str, status: str, observed: str = "", reason: str = "") -> None:
        control = {c.id: c for c in controls()}[control_id]
        self.rows[control_id] = Row(
            id=control_id,
            title=control.title,
            status=status,
            expected=control.expect,
            observed=observed,
            reason=reason,
            source=control.source,
        )

    def summary(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUSES, 0)
        for row in self.rows.values():
            counts[row.status] = counts.get(row.status, 0) + 1
        return counts

    def write(self) -> Path | None:
        if not self.rows and not self.scanners:
            return None
        directory = Path(os.environ.get("BIA_COMPLIANCE_REPORT_DIR", REPO / "artifacts/compliance"))
        directory.mkdir(parents=True, exist_ok=True)
        data = {
            "host": self.host,
            "environment": self.environment,
            "generated": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "summary": self.summary(),
            "waivers": self.waivers,
            "controls": [asdict(r) for r in sorted(self.rows.values(), key=_order)],
            "scanners": self.scanners,
        }
        (directory / "report.json").write_text(json.dumps(data, indent=2) + "\n")
        (directory / "report.md").write_text(markdown(data))
        return directory


def _order(row: Row) -> tuple[str, int]:
    family, _, number = row.id.partition("-")
    return family, int(number) if number.isdigit() else 0


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")[:300]


def markdown(data: dict[str, Any]) -> str:
    s = data["summary"]
    lines = [
        f"# Bia compliance report: {data['host']}",
        "",
        f"Generated {data['generated']} on a host that is: {data['environment']}.",
        "",
        "| pass | fail | not applicable | waived | error |",
        "|---|---|---|---|---|",
        f"| {s['pass']} | {s['fail']} | {s['not applicable']} | {s['waived']} | {s['error']} |",
        "",
        "A control that does not apply here (a kernel setting inside a container) is",
        "*not applicable*, never *pass*. A waived control was switched off in the inventory",
        "with the justification below.",
        "",
    ]
    if data["waivers"]:
        lines += ["## Waivers", "", "| control | justification |", "|---|---|"]
        lines += [f"| {cid} | {_cell(why)} |" for cid, why in sorted(data["waivers"].items())]
        lines.append("")
    if data["scanners"]:
        lines += ["## Independent scanners", "", "| scanner | result | detail |", "|---|---|---|"]
        for name, result in sorted(data["scanners"].items()):
            lines.append(
                f"| {name} | {result.get('status', '')} | {_cell(str(result.get('detail', '')))} |"
            )
        lines.append("")
    lines += [
        "## Controls",
        "",
        "| ID | control | status | expected | observed | reason |",
        "|---|---|---|---|---|---|",
    ]
    for row in data["controls"]:
        lines.append(
            f"| {row['id']} | {_cell(row['title'])} | **{row['status']}** | "
            f"`{_cell(row['expected'])}` | `{_cell(row['observed'])}` | {_cell(row['reason'])} |"
        )
    return "\n".join(lines) + "\n"
