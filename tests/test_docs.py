"""The reference pages cannot drift from the code: docs/ma-loi.md is generated from the code
table, and docs/cau-hinh.md names every field of the campaign model and states deadlines that
the model computes."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import jsonschema
import pytest
import yaml
from click.testing import CliRunner
from pydantic import BaseModel

from baocao.campaign import model
from baocao.campaign.model import Due
from baocao.checks.formats import CODES_PAGE, code_table, codes_page
from baocao.cli import main
from baocao.findings import CODES
from tests.conftest import ROOT

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CAU_HINH = (ROOT / "docs/cau-hinh.md").read_text(encoding="utf-8")
# Each model and the heading of its section in docs/cau-hinh.md.
SECTIONS: dict[type[BaseModel], str] = {
    model.Campaign: "## Cấu trúc tổng thể",
    model.CampaignInfo: "## `campaign`",
    model.Directive: "## `directive`",
    model.Group: "## `groups`",
    model.Unit: "## `units`",
    model.Section: "## `outline`",
    model.Indicator: "## `indicators`",
    model.Stage: "## `stages`:",
    model.Due: "## `stages[].due`",
    model.Extension: "## `extensions`",
    model.Evidence: "## `evidence`",
    model.SignedPdf: "## `signed_pdf`",
}


def _section(heading: str) -> str:
    start = CAU_HINH.index(heading)
    end = CAU_HINH.find("\n## ", start + 1)
    return CAU_HINH[start : end if end > 0 else None]


def test_codes_page_is_generated_from_the_code_table() -> None:
    assert (ROOT / CODES_PAGE).read_text(encoding="utf-8") == codes_page(), "run: baocao codes --write"
    for code in CODES.values():
        assert f"| {code.code} |" in code_table()


def test_codes_command_prints_the_table_and_writes_the_page(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["codes"])
    assert result.exit_code == 0 and result.output == code_table()
    (tmp_path / "docs").mkdir()
    result = CliRunner().invoke(main, ["--root", str(tmp_path), "codes", "--write"])
    assert result.exit_code == 0
    assert (tmp_path / CODES_PAGE).read_text(encoding="utf-8") == codes_page()


def test_every_model_has_a_section() -> None:
    strict = {cls for cls in vars(model).values() if isinstance(cls, type) and issubclass(cls, model.Strict)}
    assert (strict - {model.Strict}) | {model.Due} == set(SECTIONS)


@pytest.mark.parametrize("cls", list(SECTIONS), ids=lambda c: c.__name__)
def test_every_campaign_field_is_documented_in_its_section(cls: type[BaseModel]) -> None:
    section = _section(SECTIONS[cls])
    missing = [name for name in cls.model_fields if f"| `{name}` |" not in section]
    assert missing == [], f"docs/cau-hinh.md, {SECTIONS[cls]}: thiếu {missing}"


def test_deadline_examples_are_what_the_model_computes() -> None:
    table = _section("## `stages[].due`").split("Ví dụ", 1)[1]
    rows = [r for r in table.splitlines() if r.startswith("| `{")]
    assert len(rows) >= 8
    for row in rows:
        spans = re.findall(r"`([^`]+)`", row)
        due = Due.model_validate(yaml.safe_load(spans[0]))
        holidays = frozenset(yaml.safe_load("{" + spans[1] + "}")["holidays"]) if len(spans) > 1 else frozenset()
        hm, day = re.search(r"(\d\d:\d\d) ngày (\d\d/\d\d/\d{4})", row).groups()  # type: ignore[union-attr]
        expected = datetime.strptime(f"{day} {hm}", "%d/%m/%Y %H:%M").replace(tzinfo=TZ)
        assert due.instant(TZ, holidays) == expected, row


def test_schema_hint_in_the_docs_works_with_the_published_schema() -> None:
    """The VS Code recipe: `baocao schema` output validates the shipped campaign.yml."""
    result = CliRunner().invoke(main, ["schema"])
    schema = json.loads(result.output)
    data = yaml.safe_load((ROOT / "campaign.yml").read_text(encoding="utf-8"))
    jsonschema.validate(json.loads(json.dumps(data, default=str)), schema)
    assert "# yaml-language-server: $schema=./campaign.schema.json" in CAU_HINH
