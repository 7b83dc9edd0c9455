"""The common ``report_pdf`` action (round_id, student_id): the printable report as a file.

The mentor's report card and the student's feedback page carry the button; Teams asks it again
when the user accepts the file (``File.action``/``args``), so the rules are asked every time the
bytes are made. Every refusal (an unknown or garbled id, a round of another school, feedback not
shared yet, somebody else's report) is the same sentence, ``error.not_allowed``, and nothing
else: the answer never says which it was.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy.orm import Session

from dialogs import actions as A
from dialogs.flow import Ctx, arg_id, light_label
from dialogs.report import document, pdf
from dialogs.texts import language
from dialogs.types import File, Reply
from storage.errors import NotAllowed
from storage.mentoring.printable import PrintableReport, printable_report
from storage.models import Light, Person, School
from storage.people.identity import PersonView, SchoolView
from storage.school_settings import SchoolSettings


def person_ctx(
    session: Session, person: Person, *, now: datetime, channel: str, lang: str | None = None
) -> Ctx:
    """A turn context for ``person`` outside a chat (the command line, a benchmark)."""
    school = session.get(School, person.school_id)
    assert school is not None
    return Ctx(
        session=session,
        person=PersonView.of(person),
        school=SchoolView.of(school),
        settings=SchoolSettings.from_json(school.settings),
        lang=language(lang or person.language or school.language),
        now=now,
        channel=channel,
    )


def replies(ctx: Ctx, args: Mapping[str, str]) -> list[Reply]:
    """The PDF as a ``File`` reply, or the one refusal sentence."""
    round_id, student_id = arg_id(args.get("round_id")), arg_id(args.get("student_id"))
    if round_id is None or student_id is None:
        return [Reply(text=ctx.t("error.not_allowed"))]
    try:
        printable = printable_report(
            ctx.session,
            actor_id=ctx.person.id,
            round_id=round_id,
            student_id=student_id,
            channel=ctx.channel,
        )
    except NotAllowed:
        return [Reply(text=ctx.t("error.not_allowed"))]
    report = printable.report
    text = ctx.t("report.file_text", name=report.student_name, round=report.round_name)
    return [Reply(text=text, file=report_file(ctx, printable))]


def report_file(ctx: Ctx, printable: PrintableReport) -> File:
    report = printable.report
    doc = document.build(ctx, printable)
    lights = {light_label(ctx, light): int(light) for light in Light}
    content = pdf.render(doc, lights=lights, made=ctx.now)
    name = "-".join(
        part
        for part in (ctx.t("report.file_name"), slug(report.student_name), slug(report.round_name))
        if part
    )
    return File(
        name=f"{name}.pdf",
        content=content,
        description=ctx.t("report.file_text", name=report.student_name, round=report.round_name),
        failed=ctx.t("report.upload_failed"),
        action=A.REPORT_PDF,
        args={"round_id": str(report.round_id), "student_id": str(report.student_id)},
    )


def slug(text: str, limit: int = 40) -> str:
    """A file-name part every platform keeps: ASCII letters, digits and dashes."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower()[:limit].strip("-")
