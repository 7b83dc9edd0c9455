"""The report PDF in Teams: offered with a FileConsentCard, made again and uploaded to the URL
Teams gives when the mentor accepts, then shown with a FileInfoCard; declines, forged contexts,
refusals and failed uploads, against the fake Bot Connector and upload server on loopback."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from storage.demo.seed import DEMO_STUDENT_EMAIL
from storage.models import AuditEntry, Person
from tests.integration.teams.conftest import ELS, Channel
from tests.support.pdf_check import pdf_text, render_first_page

CONSENT = "application/vnd.microsoft.teams.card.file.consent"
FILE_INFO = "application/vnd.microsoft.teams.card.file.info"


def _student(channel: Channel, email: str = DEMO_STUDENT_EMAIL) -> int:
    with channel.session_factory() as s:
        return s.scalars(select(Person.id).where(Person.email == email)).one()


def _attachments(channel: Channel, content_type: str) -> list[dict[str, Any]]:
    return [
        a
        for rec in channel.fake.sent
        for a in rec.body.get("attachments") or []
        if a.get("contentType") == content_type
    ]


def _ask(channel: Channel, student_id: int) -> dict[str, Any]:
    """The mentor presses "PDF voor het gesprek"; the consent card the bot offers."""
    n = len(channel.fake.sent)
    args = {"round_id": str(channel.school.open_round_id), "student_id": str(student_id)}
    data = {"stoplicht": {"action": "report_pdf", "args": args, "version": 0}}
    r = channel.post(
        channel.activity(
            "invoke_execute", user=ELS, VERB="report_pdf", DATA=data, REPLY_TO_ID="sent-1"
        )
    )
    assert r.status_code == 200, r.text
    channel.fake.wait_for_sent(n + 1)
    offers = _attachments(channel, CONSENT)
    assert offers, [rec.body for rec in channel.fake.sent]
    return offers[-1]


def _consent(channel: Channel, answer: str, context: Any, name: str = "verslag.pdf") -> int:
    r = channel.post(
        channel.activity(
            "invoke_file_consent",
            user=ELS,
            CONSENT=answer,
            CONTEXT=context,
            FILE_NAME=name,
            UPLOAD_URL=channel.fake.upload_url(name),
        )
    )
    return r.status_code


def test_mentor_accepts_and_gets_the_pdf_in_the_chat(channel: Channel) -> None:
    sanne = _student(channel)
    offer = _ask(channel, sanne)
    assert offer["name"] == "verslag-sanne-de-vries-leerlingbespreking-periode-2.pdf"
    content = offer["content"]
    assert content["sizeInBytes"] > 1000
    assert "Sanne de Vries" in content["description"]
    n = len(channel.fake.sent)
    assert _consent(channel, "accept", content["acceptContext"], offer["name"]) == 200
    channel.fake.wait_for_sent(n + 1)
    pdf = channel.fake.uploads[offer["name"]]
    assert channel.fake.upload_ranges[offer["name"]] == f"bytes 0-{len(pdf) - 1}/{len(pdf)}"
    text = pdf_text(pdf)
    assert "Sanne de Vries" in text and "Leerlingbespreking periode 2" in text and "3A" in text
    assert render_first_page(pdf)[2] > 1000
    (info,) = _attachments(channel, FILE_INFO)
    assert info["name"] == offer["name"] and info["content"]["fileType"] == "pdf"
    assert info["contentUrl"].endswith(offer["name"])
    with channel.session_factory() as s:
        exports = s.scalars(
            select(AuditEntry.channel).where(
                AuditEntry.entity == "report", AuditEntry.student_id == sanne
            )
        ).all()
    assert exports == ["teams", "teams"]  # made to offer it, and again to upload it


def test_a_decline_uploads_nothing(channel: Channel) -> None:
    offer = _ask(channel, _student(channel))
    n = len(channel.fake.sent)
    assert _consent(channel, "decline", offer["content"]["declineContext"]) == 200
    sent = channel.fake.wait_for_sent(n + 1)
    assert sent[-1].body["text"] == "Goed, ik stuur het verslag niet."
    assert channel.fake.uploads == {}


def test_a_forged_context_is_refused_and_uploads_nothing(channel: Channel) -> None:
    from storage.models import Mentorship

    offer = _ask(channel, _student(channel))
    context = offer["content"]["acceptContext"]
    with channel.session_factory() as s:
        els = s.scalars(select(Person.id).where(Person.email == ELS.email)).one()
        mine = select(Mentorship.student_id).where(Mentorship.mentor_id == els)
        stranger = s.scalars(
            select(Person.id).where(Person.kind == "student", Person.id.not_in(mine))
        ).first()
    assert stranger is not None
    forged = {"stoplicht": {**context["stoplicht"], "args": {**context["stoplicht"]["args"]}}}
    forged["stoplicht"]["args"]["student_id"] = str(stranger)
    n = len(channel.fake.sent)
    assert _consent(channel, "accept", forged) == 200  # not the mentor's student
    sent = channel.fake.wait_for_sent(n + 1)
    assert sent[-1].body["text"] == "Dat mag je hier niet doen."
    bad_request = None
    for bad in ({"stoplicht": {"action": "m_share_yes", "args": {}}}, {}, "x"):
        n = len(channel.fake.sent)
        assert _consent(channel, "accept", bad) == 200  # another action, none at all
        text = channel.fake.wait_for_sent(n + 1)[-1].body["text"]
        assert bad_request in (None, text) and "Dat mag" not in text
        bad_request = text
    assert channel.fake.uploads == {}


def test_a_failed_upload_is_said(channel: Channel) -> None:
    offer = _ask(channel, _student(channel))
    channel.fake.upload_status = 500
    n = len(channel.fake.sent)
    assert _consent(channel, "accept", offer["content"]["acceptContext"]) == 200
    sent = channel.fake.wait_for_sent(n + 1)
    assert (
        sent[-1].body["text"] == "Het verslag kon niet worden verstuurd. Probeer het zo nog eens."
    )
    assert not _attachments(channel, FILE_INFO)
