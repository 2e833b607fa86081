"""PDF from .docx with LibreOffice: a subprocess with a timeout and its own profile directory."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

TIMEOUT_SECONDS = 120
# What LibreOffice gets from our environment: where programs are and the language, nothing
# else (no PIA_* settings, no secrets, no proxies or library paths of the app's own).
PASSED_ON = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ")


class PdfUnavailable(RuntimeError):
    """LibreOffice is not installed here; the page says so."""


class PdfFailed(RuntimeError):
    """LibreOffice ran but made no PDF (or took too long)."""


def soffice(configured: str | None = None) -> str | None:
    """The LibreOffice program to use, or None when there is none."""
    if configured:
        return configured if Path(configured).is_file() else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def subprocess_environment(home: str) -> dict[str, str]:
    """The minimal environment of a conversion: a few essentials and a HOME of its own."""
    env = {name: os.environ[name] for name in PASSED_ON if name in os.environ}
    env.setdefault("PATH", os.defpath)
    env.setdefault("LANG", "C.UTF-8")
    return {**env, "HOME": home, "TMPDIR": home}


def to_pdf(docx: bytes, *, program: str | None = None, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """Convert one document; each conversion gets a fresh profile, so several can run at once."""
    program = soffice(program)
    if program is None:
        raise PdfUnavailable("LibreOffice (soffice) is niet geïnstalleerd.")
    with tempfile.TemporaryDirectory(prefix="pia-pdf-") as work:
        base = Path(work)
        source = base / "document.docx"
        source.write_bytes(docx)
        (base / "out").mkdir()
        command = [
            program,
            f"-env:UserInstallation={(base / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            str(base / "out"),
            str(source),
        ]
        process = subprocess.Popen(  # noqa: S603 - fixed program, our own arguments
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=work,
            env=subprocess_environment(work),
            start_new_session=True,
        )
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # LibreOffice starts helpers of its own
            process.communicate()
            raise PdfFailed(
                f"LibreOffice had na {timeout:g} seconden nog geen PDF gemaakt."
            ) from None
        result = base / "out" / "document.pdf"
        if process.returncode != 0 or not result.is_file():
            message = stderr.decode(errors="replace").strip()[:500]
            raise PdfFailed(
                f"LibreOffice kon geen PDF maken (code {process.returncode}). {message}"
            )
        return result.read_bytes()
