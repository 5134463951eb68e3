"""Headers and cookies that keep a breach register from leaking."""

from __future__ import annotations

from breachlog import create_app

from .conftest import app_config


def test_security_headers_on_pages_and_api(client, make, auth):
    make.organisation()
    auth.login(make.user("officer").email)
    for path in ("/login", "/", "/register", "/api/v1/openapi.json", "/api/v1/incidents"):
        headers = client.get(path).headers
        policy = headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert "frame-ancestors 'none'" in policy
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
    assert client.get("/").headers["Cache-Control"] == "no-store"


def test_pages_carry_no_inline_script_or_style(client, make, auth):
    incident = make.incident(make.organisation())
    auth.login(make.user("officer").email)
    for path in (
        "/",
        f"/incidents/{incident.ref}",
        f"/incidents/{incident.ref}/assessment",
        "/report",
        "/register",
    ):
        page = client.get(path).get_data(as_text=True)
        assert "<script>" not in page and 'style="' not in page, path


def test_session_cookie_is_httponly_lax_and_secure_behind_https(tmp_path, client, make):
    make.user("officer", email="fg@example.nl")
    response = client.post(
        "/login", data={"email": "fg@example.nl", "password": "correct horse battery"}
    )
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Expires=" in cookie
    assert "Secure" not in cookie  # plain http in tests
    config = app_config(tmp_path / "https", "sqlite")
    config["BASE_URL"] = "https://datalek.example.nl"
    assert create_app(config).config["SESSION_COOKIE_SECURE"] is True
