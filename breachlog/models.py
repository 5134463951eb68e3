"""Every model, imported in one place for Alembic and the shell."""

from .audit.models import AuditEvent
from .auth.models import ApiToken, SetupToken, User
from .auth.sessions import UserSession
from .auth.throttle import LoginFailure
from .catalogue.models import CatalogueEntry
from .incidents.models import Incident, Measure, RefCounter
from .incidents.moving import FormerRef
from .notifications.models import Notification, SubjectCommunication
from .ops.models import SenderHeartbeat
from .orgs.members import Membership
from .orgs.models import Organisation
from .reminders.models import Reminder

__all__ = [
    "ApiToken",
    "AuditEvent",
    "CatalogueEntry",
    "FormerRef",
    "Incident",
    "LoginFailure",
    "Measure",
    "Membership",
    "Notification",
    "Organisation",
    "RefCounter",
    "Reminder",
    "SenderHeartbeat",
    "SetupToken",
    "SubjectCommunication",
    "User",
    "UserSession",
]
