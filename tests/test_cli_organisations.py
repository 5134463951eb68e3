"""The command line for organisations, memberships and a token's organisation."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Flask

from breachlog.auth import services as auth
from breachlog.auth.models import ApiToken
from breachlog.extensions import db
from breachlog.orgs.models import Organisation

PASSWORD = "correct horse battery"


def invoke(app: Flask, *args: str, input: str | None = None) -> Any:
    return app.test_cli_runner().invoke(args=list(args), input=input)


def create_org(app: Flask, name: str, prefix: str, *more: str) -> int:
    result = invoke(app, "organisation", "create", name, "--prefix", prefix, *more)
    assert result.exit_code == 0, result.output
    with app.app_context():
        return db.session.scalar(sa.select(Organisation.id).where(Organisation.name == name))


def test_organisation_create_and_list(app: Flask) -> None:
    result = invoke(
        app,
        "organisation",
        "create",
        "Blauw Zorg B.V.",
        "--prefix",
        "bz",
        "--timezone",
        "Europe/Brussels",
    )
    assert result.exit_code == 0, result.output
    assert "Blauw Zorg B.V." in result.stdout and "BZ-" in result.stdout
    create_org(app, "Groen Installatietechniek B.V.", "DL")
    listing = invoke(app, "organisation", "list")
    assert listing.exit_code == 0
    lines = listing.stdout.splitlines()
    assert "ID" in lines[0] and "PREFIX" in lines[0]
    assert any("BZ" in line and "Europe/Brussels" in line and "Blauw" in line for line in lines)
    assert any("DL" in line and "Groen" in line for line in lines)


def test_organisation_create_refuses_bad_arguments_with_exit_2(app: Flask) -> None:
    create_org(app, "Blauw Zorg B.V.", "BZ")
    for args, message in (
        (("Blauw Zorg B.V.", "--prefix", "BZ2"), "already exists"),
        (("Rood B.V.", "--prefix", "BZ"), "Another organisation uses this prefix"),
        (("Rood B.V.", "--prefix", "9x"), "capital letters"),
        (("Rood B.V.", "--prefix", "RD", "--timezone", "Mars/Olympus"), "Unknown time zone"),
        (("Rood B.V.",), "Missing option '--prefix'"),
    ):
        result = invoke(app, "organisation", "create", *args)
        assert result.exit_code == 2, args
        assert message in result.stderr, (args, result.stderr)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Organisation.id))) == 1


def test_create_user_with_a_role_in_each_of_several_organisations(app: Flask) -> None:
    groen = create_org(app, "Groen B.V.", "GR")
    blauw = create_org(app, "Blauw B.V.", "BZ")
    rood = create_org(app, "Rood B.V.", "RD")
    result = invoke(
        app, "create-user", "fg@example.nl",
        "--organisation", str(groen), "--role", "officer",
        "--organisation", str(blauw), "--role", "officer",
        "--organisation", str(rood), "--role", "viewer",
        "--password-stdin", input=PASSWORD,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "viewer in Rood B.V." in result.stdout
    with app.app_context():
        user = auth.user_by_email("fg@example.nl")
        assert user.roles_by_organisation() == {groen: "officer", blauw: "officer", rood: "viewer"}
        assert user.can_handle_in(blauw) and not user.can_handle_in(rood)
        assert user.organisation_ids_where("can_read_all") == {groen, blauw, rood}
        assert not user.is_installation_admin


def test_create_user_refuses_unclear_memberships_with_exit_2(app: Flask) -> None:
    groen = create_org(app, "Groen B.V.", "GR")
    create_org(app, "Blauw B.V.", "BZ")
    for args, message in (
        (("--role", "officer"), "Say which organisation"),
        (("--organisation", str(groen), "--role", "officer", "--role", "viewer"), "one --role"),
        (("--organisation", "999", "--role", "officer"), "No organisation has this id"),
        (
            ("--organisation", str(groen), "--role", "officer", "--organisation", str(groen),
             "--role", "viewer"),
            "each organisation once",
        ),
    ):  # fmt: skip
        result = invoke(
            app, "create-user", "x@example.nl", *args, "--password-stdin", input=PASSWORD
        )
        assert result.exit_code == 2, args
        assert message in result.stderr, (args, result.stderr)
    with app.app_context():
        assert auth.user_by_email("x@example.nl") is None


def test_an_admin_without_organisation_is_an_installation_admin(app: Flask) -> None:
    result = invoke(app, "create-user", "root@example.nl", "--role", "admin", "--password-stdin",
                    input=PASSWORD)  # fmt: skip
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = auth.user_by_email("root@example.nl")
        assert user.is_installation_admin and user.memberships == []


def test_api_token_is_made_for_one_organisation(app: Flask) -> None:
    groen = create_org(app, "Groen B.V.", "GR")
    blauw = create_org(app, "Blauw B.V.", "BZ")
    invoke(
        app, "create-user", "fg@example.nl", "--organisation", str(groen), "--role", "officer",
        "--organisation", str(blauw), "--role", "viewer", "--password-stdin", input=PASSWORD,
    )  # fmt: skip
    unclear = invoke(app, "api-token", "fg@example.nl")
    assert unclear.exit_code == 2
    assert "Say which organisation the token is for" in unclear.stderr
    other = create_org(app, "Rood B.V.", "RD")
    outside = invoke(app, "api-token", "fg@example.nl", "--organisation", str(other))
    assert outside.exit_code == 2 and "not a member" in outside.stderr
    made = invoke(app, "api-token", "fg@example.nl", "--organisation", str(blauw))
    assert made.exit_code == 0, made.output
    with app.app_context():
        (token,) = db.session.scalars(sa.select(ApiToken))
        assert token.organisation_id == blauw
