from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from breachlog import create_app
from breachlog.catalogue import services as catalogue
from breachlog.extensions import db

from .factories import Factory
from .mailbox import Mailbox
from .mailbox import start as start_mail_server

PG_URL = os.environ.get("BREACHLOG_TEST_DATABASE_URL", "")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def pg_url() -> str:
    url = PG_URL
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def app_config(tmp_path: Any, backend: str, schema: str | None = None) -> dict[str, Any]:
    config: dict[str, Any] = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "WTF_CSRF_ENABLED": False,
        "SCHEDULER": "off",
        "BASE_URL": "http://breachlog.test",
        # scrypt is deliberately slow; tests check behaviour, not hash strength
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        # tokens made at the fixed NOW must still work on the real clock months later;
        # tests/test_api_tokens.py checks the 90-day default and the expiry itself
        "API_TOKEN_DAYS": 36500,
    }
    if backend == "sqlite":
        config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + str(tmp_path / "test.sqlite")
    else:
        config["SQLALCHEMY_DATABASE_URI"] = pg_url()
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            "connect_args": {"options": f"-csearch_path={schema}"},
            "pool_pre_ping": True,
        }
    return config


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def pg_trigram() -> bool:
    """pg_trgm in the public schema, before any test's migration could put it (once per
    database) in a schema of its own that is dropped when the test ends."""
    engine = sa.create_engine(pg_url())
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public"))
    except sa.exc.DBAPIError:  # no right to install it, or another test process just did
        pass
    with engine.connect() as conn:
        installed = conn.scalar(sa.text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'"))
    engine.dispose()
    return installed is not None


@pytest.fixture(scope="session")
def pg_schema(pg_trigram: bool) -> Iterator[str]:
    """One schema per test process, built once; each test empties it (much faster than DDL)."""
    import breachlog.models  # noqa: F401 - every table, even if no app was created yet

    schema = "t_" + uuid.uuid4().hex[:16]
    engine = sa.create_engine(pg_url())
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        conn.execute(sa.text(f'SET search_path TO "{schema}"'))
        db.metadata.create_all(conn)
    yield schema
    with engine.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


def _empty(schema: str) -> None:
    engine = sa.create_engine(pg_url())
    tables = ", ".join(f'"{schema}"."{t.name}"' for t in db.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def app(tmp_path: Any, backend: str, request: pytest.FixtureRequest) -> Iterator[Flask]:
    schema = None
    if backend == "postgresql":
        schema = request.getfixturevalue("pg_schema")
        _empty(schema)
    app = create_app(app_config(tmp_path, backend, schema))
    with app.app_context():
        if backend == "sqlite":
            db.create_all()
        catalogue.seed()
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()


@pytest.fixture
def empty_app(tmp_path: Any, backend: str, request: pytest.FixtureRequest) -> Iterator[Flask]:
    """An app whose database has no tables yet, as on a fresh installation."""
    schema = None
    if backend == "postgresql":
        request.getfixturevalue("pg_trigram")
        schema = "t_" + uuid.uuid4().hex[:16]
        admin = sa.create_engine(pg_url())
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    app = create_app(app_config(tmp_path, backend, schema))
    yield app
    with app.app_context():
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()
    if schema:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def make(app: Flask) -> Iterator[Factory]:
    """Test data, written and committed inside an app context."""
    with app.app_context():
        yield Factory(app)


class Auth:
    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def login(self, email: str, password: str = "correct horse battery") -> Any:
        return self.client.post("/login", data={"email": email, "password": password})

    def logout(self) -> Any:
        return self.client.post("/logout")


@pytest.fixture
def auth(client: FlaskClient) -> Auth:
    return Auth(client)


@pytest.fixture(scope="session")
def mail_server() -> Iterator[Mailbox]:
    """One SMTP server on 127.0.0.1 per test process (see tests/mailbox.py)."""
    box, controller = start_mail_server()
    yield box
    controller.stop()


@pytest.fixture
def mailbox(mail_server: Mailbox) -> Mailbox:
    """The test's view of that server: empty, and answering 250 unless told otherwise."""
    mail_server.clear()
    mail_server.refusals.clear()
    mail_server.delay = 0.0
    return mail_server


@pytest.fixture
def mail_app(app: Flask, mailbox: Mailbox) -> Flask:
    """The app, sending its mail to the test SMTP server."""
    app.config.update(
        SMTP_HOST=mailbox.host,
        SMTP_PORT=mailbox.port,
        SMTP_TIMEOUT=5,
        MAIL_FROM="datalek@example.nl",
    )
    return app


@pytest.fixture
def sql_sent(app: Flask) -> Iterator[list[str]]:
    """Every SQL statement the app sends to the database from here on; clear it to start over."""
    sent: list[str] = []

    def note(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        sent.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", note)
    yield sent
    sa.event.remove(engine, "before_cursor_execute", note)
