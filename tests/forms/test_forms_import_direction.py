"""forms knows nothing of pia or Flask: imports point one way."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import sys
import forms, forms.builder, forms.prescan, forms.risk, forms.export, forms.carryover
import forms.completeness, forms.rows, forms.validation
import forms.invulhulp.reading, forms.invulhulp.writing, forms.invulhulp.shape
import forms.invulhulp.coverage
from forms.loader import get_definition
get_definition("dpia", "3.0")
forbidden = ("pia", "flask", "flask_wtf", "sqlalchemy")
bad = sorted(m for m in sys.modules if m.split(".")[0] in forbidden)
print(",".join(bad))
"""


def test_forms_does_not_import_pia_or_flask() -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
