"""Test data through the same services the app uses, so every row has its audit events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask

from breachlog.auth import services as auth_services
from breachlog.auth.models import User
from breachlog.extensions import db
from breachlog.incidents import services as incident_services
from breachlog.incidents.models import Incident
from breachlog.orgs import services as org_services
from breachlog.orgs.members import set_membership
from breachlog.orgs.models import Organisation

PASSWORD = "correct horse battery"


class Factory:
    def __init__(self, app: Flask) -> None:
        self.app = app
        self.now = datetime.now(UTC).replace(microsecond=0)
        self._count = 0
        # users made without an organisation: members of every organisation made here, so a
        # test of one organisation reads as before memberships; the tenant tests name theirs
        self._everywhere: list[tuple[User, str]] = []

    def _next(self) -> int:
        self._count += 1
        return self._count

    def organisation(self, name: str | None = None, **kwargs: Any) -> Organisation:
        n = self._next()
        values: dict[str, Any] = {
            "name": name or f"Voorbeeld {n} B.V.",
            "kvk_number": f"{12345670 + n}",
            "ref_prefix": "DL" if n == 1 else f"DL{n}",
            "fg_name": "Fenna Groen",
            "fg_email": "fg@example.nl",
            "escalation_emails": "directie@example.nl",
            "timezone": "Europe/Amsterdam",
        }
        values.update(kwargs)
        org = org_services.create_organisation(values, actor="test", now=self.now)
        for user, role in self._everywhere:
            set_membership(user, org, role, actor="test", now=self.now)
        db.session.commit()
        return org

    def user(
        self,
        role: str = "officer",
        email: str | None = None,
        organisation: Organisation | None = None,
        **kwargs: Any,
    ) -> User:
        """A user with `role` in `organisation`; without one, in every organisation."""
        email = email or f"{role}{self._next()}@example.nl"
        kwargs.setdefault("language", "en")  # tests read English; Dutch has its own tests
        user = auth_services.create_user(
            email,
            role,
            PASSWORD,
            actor="test",
            now=self.now,
            organisation_id=organisation.id if organisation else None,
            **kwargs,
        )
        if organisation is None:
            self._everywhere.append((user, role))
            for org in db.session.scalars(db.select(Organisation)):
                set_membership(user, org, role, actor="test", now=self.now)
        db.session.commit()
        return user

    def incident(
        self,
        organisation: Organisation | None = None,
        reporter: User | None = None,
        now: datetime | None = None,
        **facts: Any,
    ) -> Incident:
        now = now or self.now
        organisation = organisation or self.first_organisation()
        reporter = reporter or self.user("officer")
        values: dict[str, Any] = {
            "title": "Laptop verloren in de trein",
            "summary": "Een medewerker liet een laptop met klantgegevens liggen.",
            "discovered_at": now - timedelta(hours=2),
            "personal_data": ["name_address", "email"],
            "people_min": 10,
            "people_max": 200,
        }
        values.update(facts)
        incident = incident_services.report_incident(reporter, organisation, values, now)
        db.session.commit()
        return incident

    def first_organisation(self) -> Organisation:
        org = (
            db.session.execute(db.select(Organisation).order_by(Organisation.id)).scalars().first()
        )
        return org or self.organisation()

    def ready_to_close(self, incident: Incident, now: datetime | None = None) -> Incident:
        """R16: the record a closing needs — cause, consequences and a measure taken."""
        now = now or self.now
        actor = incident.reporter or self.user("officer")
        incident_services.update_incident(
            incident,
            {
                "cause": incident.cause or "Laptop onbeheerd achtergelaten",
                "consequences": incident.consequences or "Kans op phishing",
            },
            actor,
            now,
        )
        if not incident.measures:
            incident_services.add_measure(
                incident,
                actor,
                now,
                kind="corrective",
                description="Laptop op afstand gewist",
                done_at=now,
            )
        db.session.commit()
        return incident
