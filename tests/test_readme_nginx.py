"""The README's nginx example keeps logins working behind a port other than 443."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask

from breachlog import create_app
from breachlog.catalogue import services as catalogue
from breachlog.extensions import db

from .conftest import app_config
from .factories import PASSWORD, Factory

README = Path(__file__).resolve().parent.parent / "README.md"
BROWSER_HOST = "datalek.example.nl:8443"  # what the browser wrote, port included


def nginx_example() -> str:
    return re.search(r"```nginx\n(.*?)```", README.read_text(), re.S).group(1)


def host_sent_by(directive: str) -> str:
    """What nginx passes on: $http_host is the browser's Host header, $host drops the port."""
    return {"$http_host": BROWSER_HOST, "$host": BROWSER_HOST.split(":")[0]}[directive]


@pytest.fixture
def behind_nginx(tmp_path) -> Flask:
    config = app_config(tmp_path, "sqlite") | {"WTF_CSRF_ENABLED": True, "PROXY_FIX": 1}
    app = create_app(config)
    with app.app_context():
        db.create_all()
        catalogue.seed()
        Factory(app).user("officer", email="anna@example.nl")
        db.session.commit()
    return app


def log_in(app: Flask, host: str) -> int:
    client = app.test_client()
    headers = {"Host": host, "X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.5"}
    page = client.get("/login", headers=headers).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    answer = client.post(
        "/login",
        data={"email": "anna@example.nl", "password": PASSWORD, "csrf_token": token},
        headers=headers | {"Referer": f"https://{BROWSER_HOST}/login"},
    )
    return answer.status_code


def test_the_readme_passes_the_host_with_its_port(behind_nginx: Flask) -> None:
    """Before: `Host $host` refused every login on :8443 with 400 "form expired"."""
    directives = re.findall(r"proxy_set_header Host (\S+);", nginx_example())
    assert directives and set(directives) == {"$http_host"}
    assert log_in(behind_nginx, host_sent_by(directives[0])) == 302
    assert log_in(behind_nginx, host_sent_by("$host")) == 400  # what the old example did


def test_the_readme_passes_the_headers_proxyfix_reads_and_guards_the_checks() -> None:
    example = nginx_example()
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in example
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in example
    guarded = re.search(r"location ~ \^/\(readyz\|metrics\)\$ \{(.*?)\}", example, re.S)
    assert guarded and "deny all;" in guarded.group(1)
