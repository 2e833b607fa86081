"""workflows is standard library only: importing it pulls in no Flask, pia or SQLAlchemy."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import sys
import workflows, workflows.departmental, workflows.par
leaked = sorted(
    name for name in sys.modules
    if name.split(".")[0] in {"flask", "pia", "sqlalchemy", "forms", "werkzeug", "jinja2"}
)
print(workflows.__file__)
print(",".join(leaked))
"""


def test_importing_workflows_loads_no_app_or_database_code() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=True
    )
    package_file, leaked = result.stdout.splitlines()
    assert Path(package_file) == ROOT / "workflows" / "__init__.py"
    assert leaked == ""
