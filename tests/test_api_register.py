"""GET /api/v1/register/{year}.pdf and .csv: the same files as the register page."""

from __future__ import annotations

import io

from pypdf import PdfReader

from breachlog.auth.services import issue_api_token
from breachlog.extensions import db


def bearer(make, role):
    token = issue_api_token(make.user(role), actor="test", now=make.now)
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def test_viewer_downloads_the_year_as_pdf_and_csv(client, make):
    incident = make.incident(make.organisation())
    headers = bearer(make, "viewer")
    year = incident.ref_year
    pdf = client.get(f"/api/v1/register/{year}.pdf", headers=headers)
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert incident.ref in text
    csv = client.get(f"/api/v1/register/{year}.csv?sep=,&lang=nl", headers=headers)
    assert csv.status_code == 200 and csv.data.startswith(b"\xef\xbb\xbf")
    assert incident.ref in csv.data.decode("utf-8-sig")
    assert csv.data.decode("utf-8-sig").splitlines()[0].startswith('"Kenmerk",')


def test_reporter_is_refused_and_bad_parameters_name_the_field(client, make):
    make.organisation()
    reporter = bearer(make, "reporter")
    assert client.get("/api/v1/register/2026.pdf", headers=reporter).status_code == 403
    headers = bearer(make, "officer")
    bad = client.get("/api/v1/register/2026.csv?sep=%7C", headers=headers)
    assert bad.status_code == 422 and "sep" in bad.get_json()["errors"]
    unknown = client.get("/api/v1/register/2026.pdf?organisation=999", headers=headers)
    assert unknown.status_code == 404
    assert client.get("/api/v1/register/2026.pdf").status_code == 401


def test_a_token_exports_its_own_organisations_register(client, make):
    first = make.organisation()
    second = make.organisation(ref_prefix="GRP")
    user = make.user("officer")  # a member of both; the token is of the second
    token = issue_api_token(user, actor="test", now=make.now, organisation_id=second.id)
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    own = client.get("/api/v1/register/2026.csv", headers=headers)
    assert own.status_code == 200
    chosen = client.get(f"/api/v1/register/2026.csv?organisation={second.id}", headers=headers)
    assert chosen.status_code == 200
    other = client.get(f"/api/v1/register/2026.csv?organisation={first.id}", headers=headers)
    assert other.status_code == 404
