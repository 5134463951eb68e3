from breachlog.extensions import db
from breachlog.incidents.models import Incident


def test_reported_incident_gets_ref_and_deadline(app, make):
    incident = make.incident()
    assert incident.ref.startswith("DL-")
    assert (incident.deadline_at - incident.aware_at).total_seconds() == 72 * 3600
    assert db.session.get(Incident, incident.id).risk == "unassessed"
