"""pia.mail: building messages and delivering them over SMTP, to a folder or to the log."""

import email
import email.policy
import logging
import re
import smtplib
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from pia import mail
from pia.mail import MailError, Message

SENDER = "PIA <pia@example.org>"
SUBJECT = "Uw DPIA “Cliëntregistratie” is gereed voor advies — één actie"
BODY = (
    "Beste beheerder,\n\n"
    "De DPIA “Cliëntregistratie” is ingediend. Het idee is creëren, niet reageren.\n"
    "Groet,\nDe privacy-officer\n"
)
MESSAGE = Message(to="fg@example.org", subject=SUBJECT, body=BODY)
INJECTION = "x\r\nBcc: evil@example.org"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Sink:
    """An aiosmtpd handler that keeps what it receives and answers as told."""

    data_reply: str = "250 OK"
    rcpt_reply: str | None = None
    envelopes: list[Any] = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        if self.rcpt_reply is not None:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.data_reply.startswith("250"):
            self.envelopes.append(envelope)
        return self.data_reply


@dataclass
class Server:
    sink: Sink
    port: int

    def config(self, **overrides: Any) -> dict[str, Any]:
        config: dict[str, Any] = {
            "MAIL_BACKEND": "smtp",
            "MAIL_FROM": SENDER,
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(self.port),  # as it arrives from the environment
            "SMTP_TIMEOUT": "5",
            "SMTP_SSL": False,
            "SMTP_STARTTLS": False,
            "SMTP_USERNAME": None,
            "SMTP_PASSWORD": None,
        }
        config.update(overrides)
        return config

    def received(self) -> list[email.message.EmailMessage]:
        return [
            email.message_from_bytes(envelope.content, policy=email.policy.default)
            for envelope in self.sink.envelopes
        ]


@pytest.fixture
def server(request: pytest.FixtureRequest) -> Iterator[Server]:
    sink = Sink()
    port = _free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    request.addfinalizer(controller.stop)
    yield Server(sink, port)


def _closed_port() -> int:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


# --- build -------------------------------------------------------------------------------


def test_build_sets_headers_and_utf8_body() -> None:
    built = mail.build(MESSAGE, SENDER)
    parsed = email.message_from_bytes(built.as_bytes(), policy=email.policy.default)

    assert parsed["From"] == SENDER
    assert parsed["To"] == "fg@example.org"
    assert parsed["Subject"] == SUBJECT
    assert parsedate_to_datetime(parsed["Date"]).utcoffset() is not None
    assert re.fullmatch(r"<[^<>@\s]+@example\.org>", parsed["Message-ID"])
    assert parsed.get_content_type() == "text/plain"
    assert parsed.get_content_charset() == "utf-8"
    assert parsed.get_content() == BODY
    # 7-bit safe on the wire: non-ASCII only in encoded form.
    assert built.as_bytes().isascii()


def test_build_gives_each_message_its_own_id() -> None:
    assert mail.build(MESSAGE, SENDER)["Message-ID"] != mail.build(MESSAGE, SENDER)["Message-ID"]


@pytest.mark.parametrize(
    ("to", "subject", "sender"),
    [
        ("fg@example.org", INJECTION, SENDER),
        ("fg@example.org\r\nBcc: evil@example.org", SUBJECT, SENDER),
        ("fg@example.org", "regel\nBcc: evil@example.org", SENDER),
        ("fg@example.org", SUBJECT, "pia@example.org\nBcc: evil@example.org"),
        ("geen-adres", SUBJECT, SENDER),
        ("fg@example.org", SUBJECT, "pia.example.org"),
        ("fg@example.org, evil@example.org", SUBJECT, SENDER),
    ],
)
def test_build_refuses_injection_and_bad_addresses(to: str, subject: str, sender: str) -> None:
    with pytest.raises(ValueError):
        mail.build(Message(to=to, subject=subject, body=BODY), sender)


# --- smtp --------------------------------------------------------------------------------


def test_smtp_delivers_to_recipient_with_intact_text(server: Server) -> None:
    mail.send(server.config(), MESSAGE)

    assert len(server.sink.envelopes) == 1
    envelope = server.sink.envelopes[0]
    assert envelope.mail_from == "pia@example.org"
    assert envelope.rcpt_tos == ["fg@example.org"]
    (received,) = server.received()
    assert received["Subject"] == SUBJECT
    assert received["To"] == "fg@example.org"
    assert received.get_content().replace("\r\n", "\n") == BODY


def test_smtp_rejected_message_raises_mail_error_with_code(server: Server) -> None:
    server.sink.data_reply = "550 mailbox unavailable"

    with pytest.raises(MailError, match="550") as caught:
        mail.send(server.config(), MESSAGE)

    assert "mailbox unavailable" in str(caught.value)
    assert server.sink.envelopes == []


def test_smtp_refused_recipient_raises_mail_error(server: Server) -> None:
    server.sink.rcpt_reply = "550 no such user"

    with pytest.raises(MailError, match="550 no such user"):
        mail.send(server.config(), MESSAGE)

    assert server.sink.envelopes == []


def test_smtp_closed_port_fails_quickly() -> None:
    port = _closed_port()
    config = {
        "MAIL_BACKEND": "smtp",
        "MAIL_FROM": SENDER,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": port,
        "SMTP_TIMEOUT": 0.5,
    }

    started = time.monotonic()
    with pytest.raises(MailError, match=f"127.0.0.1:{port} niet bereikbaar"):
        mail.send(config, MESSAGE)
    assert time.monotonic() - started < 3


def test_smtp_silent_server_times_out() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()  # accepts connections but never greets
        port = listener.getsockname()[1]
        config = {
            "MAIL_BACKEND": "smtp",
            "MAIL_FROM": SENDER,
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": port,
            "SMTP_TIMEOUT": "0.3",
        }

        started = time.monotonic()
        with pytest.raises(MailError, match=f"127.0.0.1:{port}.*timed out"):
            mail.send(config, MESSAGE)
        assert time.monotonic() - started < 3


@pytest.mark.parametrize("field_name", ["to", "subject"])
def test_smtp_header_injection_sends_nothing(server: Server, field_name: str) -> None:
    values = {"to": "fg@example.org", "subject": SUBJECT, "body": BODY}
    values[field_name] = (
        "fg@example.org\r\nBcc: evil@example.org" if field_name == "to" else INJECTION
    )

    with pytest.raises(ValueError):
        mail.send(server.config(), Message(**values))

    assert server.sink.envelopes == []


@pytest.mark.parametrize("false", ["false", "False", "0", "no", "", False, 0, None])
def test_smtp_false_strings_do_not_start_tls(server: Server, false: Any) -> None:
    # The plain aiosmtpd sink offers no STARTTLS: trying it would fail the send.
    mail.send(server.config(SMTP_STARTTLS=false, SMTP_SSL=false), MESSAGE)

    assert len(server.sink.envelopes) == 1


def test_smtp_true_string_does_start_tls(server: Server) -> None:
    with pytest.raises(MailError, match="ondersteunt dit niet"):
        mail.send(server.config(SMTP_STARTTLS="true"), MESSAGE)

    assert server.sink.envelopes == []


def test_smtp_invalid_boolean_is_a_mail_error(server: Server) -> None:
    with pytest.raises(MailError, match="SMTP_STARTTLS"):
        mail.send(server.config(SMTP_STARTTLS="misschien"), MESSAGE)


class _FakeSMTP:
    """Stands in for smtplib.SMTP / SMTP_SSL to observe the calls made."""

    calls: list[tuple[str, Any]] = []
    login_error: Exception | None = None

    def __init__(self, host: str, port: int, timeout: float, context: Any = None) -> None:
        self.calls.append(("connect", (type(self).__name__, host, port, timeout)))
        self.calls.append(("context", context))

    def starttls(self, context: Any = None) -> None:
        self.calls.append(("starttls", context))

    def login(self, user: str, password: str) -> None:
        self.calls.append(("login", (user, password)))
        if self.login_error is not None:
            raise self.login_error

    def send_message(self, message: Any) -> dict:
        self.calls.append(("send_message", message["To"]))
        return {}

    def quit(self) -> None:
        self.calls.append(("quit", None))

    def close(self) -> None:
        self.calls.append(("close", None))


class _FakeSMTPSSL(_FakeSMTP):
    pass


@pytest.fixture
def fake_smtp(monkeypatch: pytest.MonkeyPatch) -> type[_FakeSMTP]:
    monkeypatch.setattr(_FakeSMTP, "calls", [])
    monkeypatch.setattr(_FakeSMTP, "login_error", None)
    monkeypatch.setattr(smtplib, "SMTP", _FakeSMTP)
    monkeypatch.setattr(smtplib, "SMTP_SSL", _FakeSMTPSSL)
    return _FakeSMTP


SMTP_CONFIG = {
    "MAIL_BACKEND": "smtp",
    "MAIL_FROM": SENDER,
    "SMTP_HOST": "127.0.0.1",
    "SMTP_PORT": "2525",
    "SMTP_TIMEOUT": "7",
}


def test_smtp_starttls_and_login(fake_smtp: type[_FakeSMTP]) -> None:
    config = SMTP_CONFIG | {
        "SMTP_STARTTLS": "true",
        "SMTP_SSL": "false",
        "SMTP_USERNAME": "pia",
        "SMTP_PASSWORD": "geheim-wachtwoord",
    }
    mail.send(config, MESSAGE)

    names = [name for name, _ in fake_smtp.calls]
    assert names == ["connect", "context", "starttls", "login", "send_message", "quit"]
    assert fake_smtp.calls[0][1] == ("_FakeSMTP", "127.0.0.1", 2525, 7.0)
    assert dict(fake_smtp.calls)["starttls"] is not None
    assert dict(fake_smtp.calls)["login"] == ("pia", "geheim-wachtwoord")


def test_smtp_ssl_uses_implicit_tls(fake_smtp: type[_FakeSMTP]) -> None:
    mail.send(SMTP_CONFIG | {"SMTP_SSL": "1", "SMTP_STARTTLS": "1"}, MESSAGE)

    calls = dict(fake_smtp.calls)
    assert calls["connect"][0] == "_FakeSMTPSSL"
    assert calls["context"] is not None
    assert "starttls" not in calls
    assert "login" not in calls  # no SMTP_USERNAME


def test_smtp_login_failure_never_shows_password(fake_smtp: type[_FakeSMTP]) -> None:
    fake_smtp.login_error = smtplib.SMTPAuthenticationError(
        535, b"5.7.8 bad credentials for pia/geheim-wachtwoord"
    )
    config = SMTP_CONFIG | {"SMTP_USERNAME": "pia", "SMTP_PASSWORD": "geheim-wachtwoord"}

    with pytest.raises(MailError, match="535") as caught:
        mail.send(config, MESSAGE)

    assert "geheim-wachtwoord" not in str(caught.value)
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__
    assert ("quit", None) in fake_smtp.calls


# --- folder ------------------------------------------------------------------------------


def test_folder_writes_one_eml_without_user_text_in_name(tmp_path: Path) -> None:
    folder = tmp_path / "instance" / "mail"
    config = {"MAIL_BACKEND": "folder", "MAIL_FROM": SENDER, "MAIL_FOLDER": str(folder)}
    message = Message(to="fg@example.org", subject="../../etc/passwd Cliënt", body=BODY)

    mail.send(config, message)

    files = list(folder.iterdir())
    assert len(files) == 1
    (written,) = files
    assert re.fullmatch(r"\d{8}T\d{12}Z-[0-9a-f]{16}\.eml", written.name)
    assert written.stat().st_mode & 0o077 == 0
    parsed = email.message_from_bytes(written.read_bytes(), policy=email.policy.default)
    assert parsed["Subject"] == "../../etc/passwd Cliënt"
    assert parsed["To"] == "fg@example.org"
    assert parsed.get_content() == BODY


def test_folder_two_messages_two_files(tmp_path: Path) -> None:
    config = {"MAIL_BACKEND": "folder", "MAIL_FROM": SENDER, "MAIL_FOLDER": tmp_path}
    mail.send(config, MESSAGE)
    mail.send(config, MESSAGE)

    assert len(list(tmp_path.glob("*.eml"))) == 2


def test_folder_unwritable_is_a_mail_error(tmp_path: Path) -> None:
    blocker = tmp_path / "bestand"
    blocker.write_text("geen map")
    config = {"MAIL_BACKEND": "folder", "MAIL_FROM": SENDER, "MAIL_FOLDER": str(blocker)}

    with pytest.raises(MailError, match="MAIL_FOLDER"):
        mail.send(config, MESSAGE)


def test_folder_header_injection_writes_nothing(tmp_path: Path) -> None:
    config = {"MAIL_BACKEND": "folder", "MAIL_FROM": SENDER, "MAIL_FOLDER": str(tmp_path)}

    with pytest.raises(ValueError):
        mail.send(config, Message(to="fg@example.org", subject=INJECTION, body=BODY))

    assert list(tmp_path.iterdir()) == []


# --- log, none, unknown ------------------------------------------------------------------


def test_log_backend_logs_metadata_never_the_address_subject_or_body(
    caplog: pytest.LogCaptureFixture,
) -> None:
    config = {"MAIL_BACKEND": "log", "MAIL_FROM": SENDER}
    message = Message(
        to="fg@example.org",
        subject="[pia] Ingediend: DPIA Cliëntregistratie",
        body="Beste Fatima,\n\nKies uw wachtwoord: https://pia.example/wachtwoord-instellen/GEHEIM",
    )

    with caplog.at_level(logging.DEBUG, logger="pia.mail"):
        mail.send(config, message)

    records = [r for r in caplog.records if r.name == "pia.mail"]
    assert len(records) == 1
    assert records[0].levelno == logging.INFO
    text = records[0].getMessage()
    assert "1 ontvanger" in text
    assert "[pia] Ingediend" in text, "the kind of message, for troubleshooting"
    for secret in ("fg@example.org", "Cliëntregistratie", "Fatima", "GEHEIM", "wachtwoord"):
        assert secret not in text


def test_none_backend_does_nothing(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="pia.mail"):
        mail.send({"MAIL_BACKEND": "none", "MAIL_FROM": SENDER}, MESSAGE)

    assert [r for r in caplog.records if r.name == "pia.mail"] == []


@pytest.mark.parametrize("backend", ["sendmail", "", None])
def test_unknown_backend_is_a_mail_error(backend: Any) -> None:
    with pytest.raises(MailError, match="Onbekende MAIL_BACKEND"):
        mail.send({"MAIL_BACKEND": backend, "MAIL_FROM": SENDER}, MESSAGE)


def test_missing_sender_is_a_mail_error() -> None:
    with pytest.raises(MailError, match="MAIL_FROM"):
        mail.send({"MAIL_BACKEND": "log", "MAIL_FROM": None}, MESSAGE)


# --- parse_bool --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("true", True),
        ("TRUE", True),
        (" 1 ", True),
        ("yes", True),
        ("on", True),
        ("ja", True),
        (True, True),
        (1, True),
        ("false", False),
        ("False", False),
        ("0", False),
        ("no", False),
        ("off", False),
        ("nee", False),
        ("", False),
        (False, False),
        (0, False),
        (None, False),
    ],
)
def test_parse_bool(value: Any, expected: bool) -> None:
    assert mail.parse_bool(value) is expected


def test_parse_bool_rejects_nonsense() -> None:
    with pytest.raises(ValueError):
        mail.parse_bool("misschien")
