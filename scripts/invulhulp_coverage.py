"""Write docs/invulhulp-coverage.md from the mapping data (forms/invulhulp/)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from forms.invulhulp.coverage import coverage_markdown  # noqa: E402

if __name__ == "__main__":
    target = ROOT / "docs" / "invulhulp-coverage.md"
    target.parent.mkdir(exist_ok=True)
    target.write_text(coverage_markdown(), encoding="utf-8")
    print(f"wrote {target.relative_to(ROOT)}")
