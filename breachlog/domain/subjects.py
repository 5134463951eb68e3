"""Article 34: informing the people concerned, or the ground for not doing so (R7, R8, R12, R13).

A communication is the controller's proof that people were told in time what they need to
protect themselves; an exemption is the proof that they need not be. Each is checked
against the incident's own facts, so neither can be a formality typed to close a file.
"""

from __future__ import annotations

from datetime import datetime

from .deadlines import ensure_aware
from .errors import N_, Problems
from .incidents import check_moment

EXEMPTION_GROUNDS = ("unintelligible", "measures_taken", "disproportionate")
CHANNELS = ("email", "letter", "phone", "sms", "in_person", "website", "public_notice", "other")
# The draft letter marks what the officer still has to write; such a text was never sent.
PLACEHOLDERS = ("(nog aanvullen)", "(to be completed)")
# Shorter than this cannot tell anyone what happened, what it means and whom to ask.
TEXT_MIN = 40


def check_subject_communication(
    *,
    sent_at: datetime | None,
    channel: str,
    people_reached: int | None,
    text: str,
    now: datetime,
    aware_at: datetime | None = None,
    people_min: int | None = None,
    shortfall_reason: str = "",
    names_contact: bool = True,
    names_consequences: bool = True,
    names_measures: bool = True,
    imported: bool = False,
) -> None:
    """R7, R12 (Art. 34(1)-(2)): sent after awareness, reaching people, with the real text.

    The three confirmations are the officer's word that the text gives what Art. 34(2)
    asks for (a contact point, the likely consequences, the measures); they are stored
    with the communication, so the register shows who vouched for it. An entry imported
    from another register states that people were informed, not what they read: nobody
    can vouch for its text, so it is stored unconfirmed.
    """
    problems = Problems()
    if sent_at is None:
        problems.add("sent_at", N_("Say when the people concerned were informed."))
    else:
        check_moment(problems, "sent_at", sent_at, now)
        if aware_at is not None and ensure_aware(sent_at) < ensure_aware(aware_at):
            problems.add(
                "sent_at",
                N_("The people cannot have been informed before the organisation was aware."),
            )
    if channel not in CHANNELS:
        problems.add("channel", N_("Choose how the people were informed."))
    if people_reached is None or people_reached < 0:
        problems.add("people_reached", N_("Give the number of people reached."))
    elif people_reached == 0:
        problems.add(
            "people_reached",
            N_("A communication reaches at least one person; otherwise nobody was informed."),
        )
    elif people_min is not None and people_reached < people_min and not shortfall_reason.strip():
        problems.add(
            "shortfall_reason",
            N_(
                "Fewer people were reached than the %(n)s concerned at least: explain why "
                "the others were not."
            ),
            n=people_min,
        )
    if not text.strip():
        problems.add("text", N_("Keep the text that was sent: it is the proof (Art. 34(2))."))
    elif any(mark in text for mark in PLACEHOLDERS):
        problems.add(
            "text",
            N_("The text still holds the draft's placeholders: record the text as it was sent."),
        )
    elif len(text.strip()) < TEXT_MIN and not imported:
        problems.add(
            "text",
            N_("This cannot be the whole text that was sent: record it as the people read it."),
        )
    for name, given in (
        ("names_contact", names_contact),
        ("names_consequences", names_consequences),
        ("names_measures", names_measures),
    ):
        if not given and not imported:
            problems.add(name, ASKED[name])
    problems.raise_if_any()


ASKED = {
    "names_contact": N_("Art. 34(2): the text must name a contact point; confirm that it does."),
    "names_consequences": N_(
        "Art. 34(2): the text must describe the likely consequences; confirm that it does."
    ),
    "names_measures": N_(
        "Art. 34(2): the text must describe the measures taken; confirm that it does."
    ),
}


def check_exemption(
    *,
    ground: str,
    rationale: str,
    public_communication: str,
    is_protected: bool | None = None,
    protection_details: str = "",
    public_sent_at: datetime | None = None,
    public_channel: str = "",
    now: datetime | None = None,
    imported: bool = False,
) -> None:
    """R8, R13 (Art. 34(3)): a ground with its reasoning, and the facts the ground rests on.

    (a) holds only when the data was protected before the breach and the register says how;
    (c) replaces the letters by a public communication, which must then have been made. An
    exemption imported from another register has the text but not when it was made public.
    """
    problems = Problems()
    if ground not in EXEMPTION_GROUNDS:
        problems.add("ground", N_("Choose one of the three grounds of Art. 34(3)."))
    if not rationale.strip():
        problems.add("rationale", N_("Explain why this ground applies."))
    if ground == "unintelligible":
        if is_protected is not True:
            problems.add(
                "ground",
                N_(
                    "Ground (a) needs the data to have been protected, e.g. encrypted; the "
                    "incident says it was not, or does not say. Correct the facts first."
                ),
            )
        elif not protection_details.strip():
            problems.add(
                "ground",
                N_("Ground (a): describe in the facts how the data was protected."),
            )
    if ground == "disproportionate":
        if len(public_communication.strip()) < TEXT_MIN or any(
            mark in public_communication for mark in PLACEHOLDERS
        ):
            problems.add(
                "public_communication",
                N_(
                    "Informing everyone would take disproportionate effort: record the public "
                    "communication that replaces it (Art. 34(3)(c))."
                ),
            )
        if public_sent_at is None and not imported:
            problems.add(
                "public_sent_at", N_("Say when the public communication was made public.")
            )
        elif public_sent_at is not None and now is not None:
            check_moment(problems, "public_sent_at", public_sent_at, now)
        if public_channel not in CHANNELS:
            problems.add("public_channel", N_("Choose where the public communication appeared."))
    problems.raise_if_any()
