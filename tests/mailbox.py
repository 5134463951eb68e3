"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives, and can be told to
answer the next messages or recipients with a 4xx or 5xx instead."""

from __future__ import annotations

import asyncio
import socket
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Refusal:
    answer: str  # e.g. "451 4.3.0 Try again later"
    count: int  # how many more times
    at: str  # "RCPT" or "DATA"
    address: str = ""  # RCPT only: refuse this address only ("" refuses any)


@dataclass
class Mailbox:
    host: str = "127.0.0.1"
    port: int = 0
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[list[str]] = field(default_factory=list)
    connections: list[Any] = field(default_factory=list)  # the client's address, per message
    refusals: list[Refusal] = field(default_factory=list)
    delay: float = 0.0  # seconds each message takes before the server's OK (a slow server)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def refuse_next(
        self, answer: str, count: int = 1, at: str = "DATA", address: str = ""
    ) -> None:
        with self.lock:
            self.refusals.append(Refusal(answer, count, at, address))

    def _refusal(self, at: str, address: str = "") -> str | None:
        with self.lock:
            for refusal in self.refusals:
                if refusal.at == at and refusal.count > 0 and refusal.address in ("", address):
                    refusal.count -= 1
                    return refusal.answer
        return None

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        answer = self._refusal("RCPT", address)
        if answer:
            return answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        answer = self._refusal("DATA")
        if answer:
            return answer
        if self.delay:
            await asyncio.sleep(self.delay)
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(message)  # type: ignore[arg-type]
            self.envelopes.append(list(envelope.rcpt_tos))
            self.connections.append(session.peer)
        return "250 OK"

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()
            self.envelopes.clear()
            self.connections.clear()

    def to(self, address: str) -> list[EmailMessage]:
        with self.lock:
            pairs = zip(self.messages, self.envelopes, strict=True)
            return [message for message, rcpt in pairs if address in rcpt]

    def subjects(self) -> list[str]:
        with self.lock:
            return [str(m["Subject"]) for m in self.messages]


def start() -> tuple[Mailbox, Controller]:
    mailbox = Mailbox(port=free_port())
    controller = Controller(mailbox, hostname=mailbox.host, port=mailbox.port, ready_timeout=10)
    controller.start()
    return mailbox, controller
