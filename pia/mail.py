"""Outgoing e-mail: build a plain-text message and hand it to the configured backend.

``MAIL_BACKEND`` chooses where a message goes:

* ``"smtp"``: an SMTP server (``SMTP_HOST``, ``SMTP_PORT``, ``SMTP_TIMEOUT``, optional
  ``SMTP_SSL`` / ``SMTP_STARTTLS`` and ``SMTP_USERNAME`` / ``SMTP_PASSWORD``);
* ``"folder"``: one ``.eml`` file per message in ``MAIL_FOLDER``;
* ``"log"``: the ``pia.mail`` logger, at INFO: only that a message went out (one
  recipient, the kind of subject, the size), never the address or the text;
* ``"none"``: nowhere.

Configuration values may be strings from the environment (``"false"``, ``"2525"``).
Every delivery failure is raised as :class:`MailError`, whose text is short and safe to
store and show to a beheerder; an invalid message (header injection, a malformed address)
is a programming error and raises :class:`ValueError` before anything is sent.
"""

from __future__ import annotations

import logging
import os
import secrets
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses, make_msgid
from pathlib import Path
from typing import Any

__all__ = ["BACKENDS", "MailError", "Message", "build", "parse_bool", "send", "subject_kind"]

logger = logging.getLogger("pia.mail")

BACKENDS = ("smtp", "folder", "log", "none")

# Characters that end a header line somewhere (CR/LF, and what str.splitlines() and some
# mail software also treat as a line break), plus NUL.
_LINE_BREAKS = frozenset("\r\n\x00\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")

_TRUE = frozenset({"1", "true", "yes", "on", "y", "t", "ja", "j"})
_FALSE = frozenset({"0", "false", "no", "off", "n", "f", "nee", ""})

# Longest server response (or OS error text) quoted in a MailError.
_MAX_REASON = 200


@dataclass(frozen=True)
class Message:
    """One plain-text e-mail to a single recipient."""

    to: str
    subject: str
    body: str


class MailError(Exception):
    """Sending failed; ``str(exc)`` is a short reason, safe to store and show to a beheerder.

    The reason never contains the SMTP password.
    """


def parse_bool(value: Any, default: bool = False) -> bool:
    """Read a boolean setting that may come from the environment as text.

    Accepts booleans, numbers and (case-insensitively) ``1/0``, ``true/false``, ``yes/no``,
    ``on/off`` and ``ja/nee``; ``None`` gives ``default``. Anything else raises ValueError.
    """
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    raise ValueError(f"geen geldige ja/nee-waarde: {value!r}")


def _check_header(value: str, field: str) -> None:
    if not isinstance(value, str):
        raise ValueError(f"{field} moet tekst zijn")
    if any(ch in _LINE_BREAKS for ch in value):
        raise ValueError(f"{field} bevat een regeleinde")


def _check_address(value: str, field: str) -> str:
    """Validate a single address (optionally ``Naam <adres>``); return the bare address."""
    _check_header(value, field)
    pairs = getaddresses([value])
    if len(pairs) != 1:
        raise ValueError(f"{field} moet precies één e-mailadres zijn")
    address = pairs[0][1]
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain:
        raise ValueError(f"{field} is geen geldig e-mailadres")
    return address


def build(message: Message, sender: str) -> EmailMessage:
    """Turn ``message`` into an RFC 5322 message from ``sender``.

    Sets From, To, Subject, Date (UTC), Message-ID (on the sender's domain) and
    Auto-Submitted; the body is text/plain in UTF-8 (quoted-printable, so 7-bit safe).
    Raises ValueError for line breaks in the recipient, subject or sender (header
    injection) and for anything that is not exactly one address with an "@".
    """
    sender_address = _check_address(sender, "afzender")
    _check_address(message.to, "ontvanger")
    _check_header(message.subject, "onderwerp")
    if not isinstance(message.body, str):
        raise ValueError("tekst moet tekst zijn")

    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to
    email["Subject"] = message.subject
    email["Date"] = format_datetime(datetime.now(UTC))
    email["Message-ID"] = make_msgid(domain=sender_address.rpartition("@")[2])
    # RFC 3834: tells auto-responders (out-of-office) not to reply.
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(message.body, subtype="plain", charset="utf-8", cte="quoted-printable")
    return email


def subject_kind(subject: str) -> str:
    """The fixed part of a subject ("[pia] Ingediend"), without the title after the colon."""
    return subject.split(":", 1)[0].strip()[:60]


def send(config: Mapping[str, Any], message: Message) -> None:
    """Send ``message`` from ``config["MAIL_FROM"]`` with ``config["MAIL_BACKEND"]``.

    Raises ValueError for an invalid message (see :func:`build`) and MailError when the
    backend is unknown, misconfigured or fails to deliver.
    """
    backend = str(config.get("MAIL_BACKEND") or "").strip().lower()
    if backend not in BACKENDS:
        raise MailError(
            f"Onbekende MAIL_BACKEND {config.get('MAIL_BACKEND')!r}; kies uit {', '.join(BACKENDS)}"
        )
    sender = config.get("MAIL_FROM")
    if not sender or not isinstance(sender, str):
        raise MailError("MAIL_FROM is niet ingesteld")
    email = build(message, sender)

    if backend == "smtp":
        _send_smtp(config, email)
    elif backend == "folder":
        _send_folder(config, email)
    elif backend == "log":
        # Metadata only: the text and the subject's details (a title) hold personal data, and
        # a body may hold a one-time link. Logs are kept longer and read by more people.
        logger.info(
            "E-mail (MAIL_BACKEND=log): 1 ontvanger, soort %r, %s tekens, %s",
            subject_kind(message.subject),
            len(message.body),
            email["Message-ID"],
        )
    # "none": nothing to do.


# --- SMTP --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _SmtpSettings:
    host: str
    port: int
    timeout: float
    use_ssl: bool
    starttls: bool
    username: str | None
    password: str | None


def _smtp_settings(config: Mapping[str, Any]) -> _SmtpSettings:
    def setting(key: str, convert: Any, default: Any = None) -> Any:
        raw = config.get(key, default)
        try:
            return convert(raw)
        except (TypeError, ValueError):
            raise MailError(f"Ongeldige instelling {key}: {str(raw)[:40]!r}") from None

    host = str(config.get("SMTP_HOST") or "").strip()
    if not host:
        raise MailError("SMTP_HOST is niet ingesteld")
    port = setting("SMTP_PORT", int, 25)
    if not 0 < port < 65536:
        raise MailError(f"Ongeldige instelling SMTP_PORT: {port}")
    timeout = setting("SMTP_TIMEOUT", float, 10)
    if not timeout > 0:  # also rejects NaN; 0 would make the socket non-blocking
        raise MailError(f"Ongeldige instelling SMTP_TIMEOUT: {timeout}")
    return _SmtpSettings(
        host=host,
        port=port,
        timeout=timeout,
        use_ssl=setting("SMTP_SSL", parse_bool),
        starttls=setting("SMTP_STARTTLS", parse_bool),
        username=config.get("SMTP_USERNAME") or None,
        password=config.get("SMTP_PASSWORD") or None,
    )


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MAX_REASON else text[: _MAX_REASON - 1] + "…"


def _response(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return _shorten(f"{code} {text}")


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, TimeoutError | ssl.SSLError):
        return _shorten(str(exc) or type(exc).__name__)
    return _shorten(exc.strerror or str(exc) or type(exc).__name__)


def _smtp_reason(exc: smtplib.SMTPException | OSError, where: str) -> str:
    """A short description of a failure during an SMTP session."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        answers = [_response(code, text) for code, text in exc.recipients.values()]
        return "SMTP-server weigerde de ontvanger: " + "; ".join(answers)
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return "SMTP-server weigerde de afzender: " + _response(exc.smtp_code, exc.smtp_error)
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return "SMTP-aanmelding mislukt: " + _response(exc.smtp_code, exc.smtp_error)
    if isinstance(exc, smtplib.SMTPDataError):
        return "SMTP-server weigerde het bericht: " + _response(exc.smtp_code, exc.smtp_error)
    if isinstance(exc, smtplib.SMTPResponseException):
        return "SMTP-server gaf een fout: " + _response(exc.smtp_code, exc.smtp_error)
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        # smtplib reports read errors, timeouts included, as a disconnect.
        detail = str(exc).removeprefix("Connection unexpectedly closed").strip(": ")
        suffix = f" ({_shorten(detail)})" if detail else ""
        return f"SMTP-server {where} verbrak de verbinding{suffix}"
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return f"SMTP-server {where} ondersteunt dit niet: {_shorten(str(exc))}"
    if isinstance(exc, ssl.SSLError):
        return f"TLS-fout bij SMTP-server {where}: {_os_reason(exc)}"
    if isinstance(exc, TimeoutError):
        return f"SMTP-server {where} reageerde niet op tijd"
    if isinstance(exc, OSError):
        return f"Verbinding met SMTP-server {where} mislukt: {_os_reason(exc)}"
    return f"SMTP-fout bij {where}: {_shorten(str(exc) or type(exc).__name__)}"


def _redact(reason: str, password: str | None) -> str:
    if password:
        reason = reason.replace(password, "********")
    return reason


def _send_smtp(config: Mapping[str, Any], email: EmailMessage) -> None:
    settings = _smtp_settings(config)
    where = f"{settings.host}:{settings.port}"
    context = ssl.create_default_context()
    client: smtplib.SMTP | None = None
    try:
        try:
            if settings.use_ssl:
                client = smtplib.SMTP_SSL(
                    settings.host, settings.port, timeout=settings.timeout, context=context
                )
            else:
                client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        except smtplib.SMTPException as exc:
            reason = _smtp_reason(exc, where)
            raise MailError(_redact(reason, settings.password)) from None
        except OSError as exc:
            reason = f"SMTP-server {where} niet bereikbaar: {_os_reason(exc)}"
            if isinstance(exc, ssl.SSLError):
                reason = _smtp_reason(exc, where)
            raise MailError(reason) from None

        try:
            if not settings.use_ssl and settings.starttls:
                client.starttls(context=context)
            if settings.username:
                client.login(settings.username, settings.password or "")
            refused = client.send_message(email)
        except (smtplib.SMTPException, OSError) as exc:
            # `from None`: the chained exception could carry credentials into a traceback.
            raise MailError(_redact(_smtp_reason(exc, where), settings.password)) from None
        if refused:
            answers = [_response(code, text) for code, text in refused.values()]
            raise MailError("SMTP-server weigerde de ontvanger: " + "; ".join(answers))
    finally:
        if client is not None:
            _close(client)


def _close(client: smtplib.SMTP) -> None:
    """Say QUIT; a failure here no longer matters (the message was sent or already failed)."""
    try:
        client.quit()
    except (smtplib.SMTPException, OSError):
        client.close()


# --- Folder ------------------------------------------------------------------------------


def _send_folder(config: Mapping[str, Any], email: EmailMessage) -> None:
    folder = config.get("MAIL_FOLDER")
    if not folder:
        raise MailError("MAIL_FOLDER is niet ingesteld")
    directory = Path(folder)
    # The name never contains user text: a timestamp plus randomness.
    name = f"{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}-{secrets.token_hex(8)}.eml"
    target = directory / name
    temporary = directory / f".{name}.tmp"
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        # Write under a hidden name and rename, so readers of *.eml never see half a file;
        # 0o600 because messages can hold personal data and login links.
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(email.as_bytes())
            os.replace(temporary, target)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise MailError(f"E-mail niet opgeslagen in MAIL_FOLDER: {_os_reason(exc)}") from None
