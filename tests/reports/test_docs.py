"""docs/summary-template.md lists every registered metric code (a template author's reference)."""

from pathlib import Path

from gonghui.core import workline
from gonghui.core.metrics import REGISTRY

DOC = Path(__file__).resolve().parents[2] / "docs" / "summary-template.md"


def test_every_metric_code_is_documented():
    text = DOC.read_text(encoding="utf-8")
    # Figures of the application's own lines (not of the test apps under tests/).
    ours = [code for code in REGISTRY if workline.owner(code).name.startswith("gonghui.")]
    assert [code for code in ours if f"| `{code}` |" not in text] == []
