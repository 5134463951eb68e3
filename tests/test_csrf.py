"""CSRF on every form, including the button-only ones."""

from __future__ import annotations

import re
import uuid

import pytest
from flask import Flask

from breachlog import create_app
from breachlog.catalogue import services as catalogue
from breachlog.extensions import db

from .conftest import app_config
from .factories import PASSWORD, Factory


@pytest.fixture
def csrf_app(tmp_path) -> Flask:
    config = app_config(tmp_path, "sqlite")
    config["WTF_CSRF_ENABLED"] = True
    app = create_app(config)
    with app.app_context():
        db.create_all()
        catalogue.seed()
        db.session.commit()
    return app


def token_from(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


def logged_in(app: Flask, role: str = "officer"):
    client = app.test_client()
    with app.app_context():
        make = Factory(app)
        make.organisation()
        email = f"{role}-{uuid.uuid4().hex[:6]}@example.nl"
        make.user(role, email=email)
    token = token_from(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"email": email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    return client


def test_login_without_token_is_refused(csrf_app):
    client = csrf_app.test_client()
    response = client.post("/login", data={"email": "a@b.nl", "password": "x" * 12})
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True) or "verlopen" in response.get_data(
        as_text=True
    )


def test_report_form_needs_the_token(csrf_app):
    client = logged_in(csrf_app, "reporter")
    form = {"title": "Laptop kwijt", "discovered_at": "2026-02-02T10:00"}
    assert client.post("/report", data=form).status_code == 400
    token = token_from(client.get("/report").get_data(as_text=True))
    assert client.post("/report", data={**form, "csrf_token": token}).status_code == 302


@pytest.mark.parametrize("path", ["/logout", "/language/en"])
def test_button_only_forms_need_the_token(csrf_app, path):
    client = logged_in(csrf_app)
    assert client.post(path).status_code == 400
    token = token_from(client.get("/account").get_data(as_text=True))
    assert client.post(path, data={"csrf_token": token}).status_code == 302
