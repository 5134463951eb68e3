"""Sending a reminder's mail with plain smtplib, and telling a passing failure from a final one.

Temporary (retried with backoff): 4xx answers, a refused or dropped connection, a timeout.
Permanent (the row fails at once, and the dashboard shows it): 5xx answers.

Several recipients, some refused: when at least one address took the mail, the reminder
counts as sent and the history names only the addresses that took it; the refused ones are
logged. Retrying would send the mail again to everyone who already has it, and a permanent
refusal will not change by itself. When every address is refused, the reminder is retried
if any refusal was temporary, and fails otherwise.
"""

from __future__ import annotations

import email.utils
import logging
import smtplib
from collections.abc import Callable
from datetime import datetime
from email.message import EmailMessage

from flask import current_app

from . import mail
from .models import Reminder
from .tick import PermanentFailure, TemporaryFailure

DEFAULT_TIMEOUT = 30  # seconds: a server that does not answer counts as away, and is retried
logger = logging.getLogger(__name__)


def _failure(code: int, text: str) -> Exception:
    if 400 <= code < 500:
        return TemporaryFailure(text)
    return PermanentFailure(text)


def _answer(error: smtplib.SMTPResponseException) -> str:
    detail = error.smtp_error
    if isinstance(detail, bytes):
        detail = detail.decode("utf-8", "replace")
    return f"{error.smtp_code} {detail}".strip()


def connect() -> smtplib.SMTP:
    config = current_app.config
    timeout = float(config.get("SMTP_TIMEOUT") or DEFAULT_TIMEOUT)
    client = smtplib.SMTP(config["SMTP_HOST"], int(config["SMTP_PORT"]), timeout=timeout)
    try:
        if config.get("SMTP_STARTTLS"):
            client.starttls()
        if config.get("SMTP_USER"):
            client.login(config["SMTP_USER"], config.get("SMTP_PASSWORD") or "")
    except BaseException:
        client.close()
        raise
    return client


class Session:
    """A Sender that keeps one connection for a whole tick: with STARTTLS and a login, a new
    connection per reminder would cost a handshake each. A failure closes it; the next
    reminder connects afresh."""

    def __init__(self) -> None:
        self.client: smtplib.SMTP | None = None

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        client, self.client = self.client, None
        if client is not None:
            try:
                client.quit()
            except (smtplib.SMTPException, OSError):
                client.close()

    def __call__(self, reminder: Reminder, now: datetime) -> list[str]:
        """Send one reminder's mail; returns the addresses that took it."""
        messages = mail.messages(reminder, now)  # nobody to send to: PermanentFailure
        server = current_app.config["SMTP_HOST"]
        reused = self.client is not None
        try:
            try:
                return _deliver(self._client(), messages)
            except smtplib.SMTPServerDisconnected:
                if not reused:
                    raise
                self.close()  # the server hung up between two reminders: once more, anew
                return _deliver(self._client(), messages)
        except smtplib.SMTPResponseException as error:  # sender refused, data, auth, helo
            self.close()
            raise _failure(error.smtp_code, f"mail server {server}: {_answer(error)}") from error
        except smtplib.SMTPNotSupportedError as error:  # e.g. no STARTTLS
            self.close()
            raise PermanentFailure(f"mail server {server}: {error}") from error
        except (smtplib.SMTPException, OSError) as error:  # refused, dropped, timed out
            self.close()
            reason = str(error) or type(error).__name__
            raise TemporaryFailure(f"mail server {server}: {reason}") from error

    def _client(self) -> smtplib.SMTP:
        if self.client is None:
            self.client = connect()
        return self.client


def send(reminder: Reminder, now: datetime) -> list[str]:
    """The Sender for one reminder on a connection of its own."""
    with Session() as session:
        return session(reminder, now)


def _text(answer: bytes | str) -> str:
    return answer.decode("utf-8", "replace") if isinstance(answer, bytes) else answer


def _deliver(client: smtplib.SMTP, messages: list[tuple[EmailMessage, list[str]]]) -> list[str]:
    accepted: list[str] = []
    refused: dict[str, tuple[int, str]] = {}
    for message, to in messages:
        try:
            rejected = client.send_message(message, to_addrs=to)
        except smtplib.SMTPRecipientsRefused as error:  # all of them; smtplib reset already
            rejected = error.recipients
        for address, (code, answer) in rejected.items():
            refused[address] = (code, _text(answer))
        accepted += [address for address in to if address not in rejected]
    if not accepted:
        raise _refused(refused)
    for address, (code, text) in refused.items():
        logger.warning(
            "reminder %s: %s refused: %s %s", messages[0][0]["Message-ID"], address, code, text
        )
    return accepted


def _refused(answers: dict[str, tuple[int, str]]) -> Exception:
    summary = "; ".join(f"{address}: {code} {text}" for address, (code, text) in answers.items())
    if any(400 <= code < 500 for code, _answer_text in answers.values()):
        return TemporaryFailure(f"recipients refused: {summary}")
    return PermanentFailure(f"recipients refused: {summary}")


def where() -> str:
    config = current_app.config
    return f"{config['SMTP_HOST']}:{config['SMTP_PORT']}"


def probe() -> str | None:
    """Can the mail server be reached and does it take our login? None, or why not."""
    try:
        client = connect()
    except smtplib.SMTPResponseException as error:
        return f"mail server {where()}: {_answer(error)}"
    except (smtplib.SMTPException, OSError) as error:
        return f"mail server {where()}: {error or type(error).__name__}"
    try:
        client.noop()
        client.quit()
    except (smtplib.SMTPException, OSError):
        client.close()
    return None


def warn_if_unreachable(say: Callable[[str], None] | None = None) -> str | None:
    """At start (`serve`, `scheduler`): a mail server that cannot be reached is said at once,
    not discovered when the first reminder has waited an hour."""
    problem = probe()
    if problem is not None:
        text = f"Warning: reminders cannot be sent now: {problem}. They are kept and retried."
        logger.warning("%s", text)
        if say is not None:
            say(text)
    return problem


def send_test(address: str, now: datetime, sent_by: str) -> None:
    """A test mail to `address`; raises Temporary/PermanentFailure with the server's answer."""
    message = EmailMessage()
    message["Subject"] = "breachlog: test mail"
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = address
    message["Date"] = email.utils.format_datetime(now)
    message["Message-ID"] = email.utils.make_msgid(domain="breachlog.test-mail")
    message.set_content(
        f"This test mail was sent by {sent_by} at {now.isoformat(timespec='seconds')} "
        f"through {where()}.\nIf it arrived, breachlog's reminders can reach this address.\n"
    )
    with Session() as session:
        try:
            _deliver(session._client(), [(message, [address])])
        except (TemporaryFailure, PermanentFailure):
            raise
        except smtplib.SMTPResponseException as error:
            raise _failure(error.smtp_code, f"mail server {where()}: {_answer(error)}") from error
        except (smtplib.SMTPException, OSError) as error:
            reason = str(error) or type(error).__name__
            raise TemporaryFailure(f"mail server {where()}: {reason}") from error
