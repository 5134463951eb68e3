"""The answers the AP's meldformulier datalekken offers where it asks a choice.

Source: Autoriteit Persoonsgegevens, "Meldformulier datalekken" (the online form for
notifying a personal-data breach under Art. 33 GDPR / AVG and art. 11.3a
Telecommunicatiewet), sections 0, 3, 7 and 8, as published in 2026. Each code is stored;
its label in both languages lives with the other labels (labels.py).
"""

from __future__ import annotations

# section 0: under which law the breach is notified
LAWS = ("avg", "telecom")
# section 3: what happened to the personal data (several may apply); "unknown" stands alone
DATA_OUTCOMES = ("read", "copied", "changed", "deleted", "stolen", "unknown")
# section 7: the kinds of harm the people concerned may suffer; "none" stands alone
HARM_KINDS = ("physical", "material", "immaterial", "none")
# section 7: the notifier's estimate of how severe the consequences are
SEVERITIES = ("low", "medium", "high", "very_high")
# section 8: informing the people concerned while it has not been done
SUBJECTS_PLANS = ("planned", "not")

# the yes/no facts of the register that may also be "not known yet" (None): shown as such,
# never as "no", and counted as missing on the AP form
THREE_STATE_FIELDS = (
    "is_ongoing",
    "is_dpo_involved",
    "is_cross_border",
    "is_protected",
    "has_special_categories",
    "other_authorities_notified",
)
