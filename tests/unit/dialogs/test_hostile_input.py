"""Hostile and broken input through ``DialogEngine.handle``: forged buttons with another school's
ids, unknown actions, args of the wrong type, odd versions, texts that are huge, empty or full
of markup, and people pressing buttons of a role they do not have.

Each case asserts the reply (a clear hint or the current prompt, never the apology for an
unexpected error) and that the school's records did not change: every table except the dialog
state and the audit log is compared row for row before and after.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from storage.models import Base, DialogState, Feedback, Light, Person, Round, School
from tests.unit.dialogs.chat import Chat
from tests.unit.dialogs.school import NOW, SmallSchool, build

TEACHER, MENTOR, ORG, STUDENT = (
    "t.wis@school.example",
    "m.ent@school.example",
    "o.rg@school.example",
    "s0@school.example",
)
SECRET = "GEHEIM"
HUGE = "9" * 30
SKIP = {"dialog_state", "audit_log", "channel_account"}


def snapshot(sf: sessionmaker[Session]) -> dict[str, list[tuple[Any, ...]]]:
    with sf() as s:
        return {
            t.name: [tuple(r) for r in s.execute(select(t).order_by(*t.primary_key.columns))]
            for t in Base.metadata.sorted_tables
            if t.name not in SKIP
        }


@pytest.fixture
def two(sf: sessionmaker[Session]) -> tuple[SmallSchool, SmallSchool]:
    """School A (tenant-A; every name holds GEHEIM, with feedback in its open round) and
    school B (tenant-1, the one the chats below talk to)."""
    a = build(sf)
    with sf.begin() as s:
        s.execute(
            update(School)
            .where(School.id == a.school_id)
            .values(teams_tenant_id="tenant-A", slack_team_id="TA", name=f"{SECRET} school")
        )
        for p in s.scalars(select(Person).where(Person.school_id == a.school_id)):
            p.display_name = f"{SECRET} {p.display_name}"
        for r in s.scalars(select(Round).where(Round.school_id == a.school_id)):
            r.name = f"{SECRET} {r.name}"
        s.add(
            Feedback(
                round_id=a.ids["round"],
                student_id=a.students[0],
                group_id=a.ids["g_wis"],
                teacher_id=a.ids["wis"],
                subject="wiskunde",
                light=Light.PAS_OP,
                remark=f"{SECRET} opmerking",
                created_at=NOW,
                updated_at=NOW,
            )
        )
    return a, build(sf)


def _assert_calm(c: Chat) -> None:
    text = c.text
    assert SECRET not in text, text
    assert "Sorry" not in text and "Traceback" not in text, text


def _foreign_args(a: SmallSchool) -> list[tuple[str, dict[str, str]]]:
    r, old, g, s = (str(a.ids["round"]), str(a.ids["old"]), str(a.ids["g_wis"]), a.students[0])
    return [
        ("start_feedback", {"round_id": r}),
        ("t_round", {"round_id": r}),
        ("t_group", {"round_id": r, "group_id": g}),
        ("t_jump", {"student_id": str(s)}),
        ("t_view", {"student_id": str(s)}),
        ("start_feedback", {"round_id": old}),  # a closed round: its read-only view
        ("t_earlier", {}),
        ("m_start", {"round_id": r}),
        ("m_rounds", {}),
        ("m_round", {"round_id": r}),
        ("m_round", {"round_id": old}),
        ("s_rounds", {}),
        ("s_feedback", {"round_id": old}),
        ("s_plan", {"round_id": r}),
        ("m_start", {"round_id": old}),
        ("m_student", {"student_id": str(s)}),
        ("o_status", {"round_id": r}),
        ("o_extend", {"round_id": r}),
        ("o_close", {"round_id": r}),
        ("o_close_yes", {"round_id": r}),
    ]


@pytest.mark.parametrize("who", [TEACHER, MENTOR, ORG, STUDENT])
def test_another_schools_ids_reveal_and_change_nothing(sf, two, who: str) -> None:
    a, _b = two
    before = snapshot(sf)
    c = Chat(sf, who)
    for action, args in _foreign_args(a):
        c.act(action, args)
        _assert_calm(c)
        # and the follow-up buttons of that flow act on nothing of school A
        for follow in ("m_note", "m_agree", "m_share_yes"):
            c.act(follow, {}, {"note": "x", "agreements": "y"})
            _assert_calm(c)
    assert snapshot(sf) == before


def test_teacher_saving_after_a_foreign_button_writes_only_in_own_school(sf, two) -> None:
    a, b = two
    c = Chat(sf, TEACHER)
    for action, args in _foreign_args(a):
        c.act(action, args)
        c.act("t_save", {"light": "1"}, {"remark": "z"})
        c.act("t_bulk_yes")
        _assert_calm(c)
    with sf() as s:
        schools = s.execute(
            select(Round.school_id).join(Feedback, Feedback.round_id == Round.id)
        ).scalars()
        assert set(schools) <= {a.school_id, b.school_id}
        a_rows = s.scalars(
            select(Feedback.remark).join(Round).where(Round.school_id == a.school_id)
        ).all()
    assert sorted(a_rows) == sorted(
        ["Ik zie dat je je huiswerk vaak vergeet.", f"{SECRET} opmerking"]
    )


def test_organizer_close_card_of_another_school_is_not_found(sf, two) -> None:
    a, _b = two
    c = Chat(sf, ORG)
    c.act("o_close", {"round_id": str(a.ids["round"])})
    assert "Niet gevonden" in c.text and c.card.kind == "rounds"
    c.act("o_extend", {"round_id": str(a.ids["round"])})
    assert "Niet gevonden" in c.text and c.card.kind == "rounds"


def test_mentor_state_never_points_at_a_non_mentee(sf, two) -> None:
    a, b = two
    c = Chat(sf, MENTOR)
    c.act("m_start")
    c.act("m_student", {"student_id": str(a.students[0])})
    assert "Niet gevonden" in c.text or "mag je" in c.text
    with sf() as s:
        state = s.get(DialogState, b.ids["mentor"]).state
    assert "student_id" not in state["mentor"]


UNKNOWN_ACTIONS = ["", "zz", "t_", "m_nonsense", "o_", "s_zz", "HELP", "t_save ", "__class__"]


@pytest.mark.parametrize("action", UNKNOWN_ACTIONS)
def test_unknown_action_ids_get_a_hint_or_the_prompt(sf, school, action: str) -> None:
    before = snapshot(sf)
    for who in (TEACHER, MENTOR, ORG, STUDENT):
        c = Chat(sf, who)
        c.act(action, {"round_id": "1"}, {"remark": "x"})
        _assert_calm(c)
        assert c.replies
    assert snapshot(sf) == before


BAD_IDS = ["abc", "", "-1", "1.5", "²", HUGE, "0x10"]


@pytest.mark.parametrize("bad", BAD_IDS)
def test_ids_of_the_wrong_type_fall_back_to_a_prompt(sf, school, bad: str) -> None:
    before = snapshot(sf)
    cases = {
        TEACHER: ["start_feedback", "t_round", "t_group", "t_jump", "t_view", "t_earlier"],
        MENTOR: ["m_start", "m_student", "m_round", "m_rounds"],
        ORG: ["o_status", "o_extend", "o_close", "o_close_yes"],
        STUDENT: ["s_goto", "s_feedback", "s_plan", "s_rounds"],
    }
    for who, actions in cases.items():
        c = Chat(sf, who)
        for action in actions:
            c.act(action, {"round_id": bad, "group_id": bad, "student_id": bad, "step": bad})
            _assert_calm(c)
            assert c.replies
    assert snapshot(sf) == before


@pytest.mark.parametrize("light", ["0", "5", "-1", "²", "", "groen", HUGE, "1.0"])
def test_a_light_that_does_not_exist_is_asked_again(sf, school, light: str) -> None:
    before = snapshot(sf)
    c = Chat(sf, TEACHER)
    c.say("feedback")
    c.act("t_save", {"light": light}, {"remark": "Ik zie dat je goed werkt."})
    _assert_calm(c)
    assert "stoplicht" in c.text.lower() and c.card.kind == "student"
    assert snapshot(sf) == before


def _saved(sf: sessionmaker[Session], round_id: int) -> list[Feedback]:
    with sf() as s:
        return list(s.scalars(select(Feedback).where(Feedback.round_id == round_id)))


MARKUP = [
    "<at>Els Engels</at> zie je dit?",
    "**vet** _schuin_ `code` [link](https://example.org)",
    "<script>alert(1)</script> &amp; &lt;b&gt;",
    "<!channel> @here *bold* ~strike~ <https://x.example|klik>",
    "{{name}} {round} %s ${HOME}",
    "  spaties voor en na  \n\ttweede regel\r\n",
    "emoji 🚦 en RTL \u202e tekst \u200b",
]


@pytest.mark.parametrize("text", MARKUP)
def test_free_text_is_stored_exactly_as_typed(sf, school, text: str) -> None:
    c = Chat(sf, TEACHER)
    c.say("feedback")
    c.light(2, remark=text, action=text)
    rows = _saved(sf, school.ids["round"])
    assert [(r.remark, r.action) for r in rows] == [(text, text)]
    _assert_calm(c)


def test_markup_in_mentor_note_and_agreements_is_stored_exactly(sf, school) -> None:
    from storage.models import MentorNote

    text = MARKUP[0] + MARKUP[2]
    c = Chat(sf, MENTOR)
    c.act("m_start")
    c.press(lambda ch: ch.action == "m_student")
    c.press("m_note")
    c.press("m_note", {"note": text})
    with sf() as s:
        assert s.scalars(select(MentorNote.text)).all() == [text]
    assert text in c.text  # shown back as plain text, not interpreted


@pytest.mark.parametrize("blank", ["", " ", "\n\t ", "\u00a0"])
def test_blank_texts_are_empty_not_stored_as_blanks(sf, school, blank: str) -> None:
    c = Chat(sf, TEACHER)
    c.say("feedback")
    c.light(2, remark=blank, action=blank)
    rows = _saved(sf, school.ids["round"])
    assert [(r.remark, r.action) for r in rows] == [(None, None)]


def test_text_one_over_the_limit_is_refused_at_the_limit_accepted(sf, school) -> None:
    from storage.school_settings import SchoolSettings

    limit = SchoolSettings.from_json({}).max_text_length
    c = Chat(sf, TEACHER)
    c.say("feedback")
    c.light(2, remark="x" * (limit + 1))
    assert str(limit) in c.text and not _saved(sf, school.ids["round"])
    assert c.card.fields[0].value == "x" * (limit + 1)  # the draft is kept, nothing lost
    c.light(2, remark="x" * limit)
    assert [len(r.remark or "") for r in _saved(sf, school.ids["round"])] == [limit]


def test_organizer_values_huge_empty_and_markup(sf, school) -> None:
    c = Chat(sf, ORG)
    c.act("o_new")
    c.press("o_value", {"name": ""})
    assert c.card.kind == "ask"
    c.press("o_value", {"name": "x" * 100_000})
    assert c.card.kind == "ask" and "100000" in c.text
    c.press("o_value", {"name": "<at>Ronde</at> **1**"})
    c.press("o_value", {"groups": "<script>"})
    assert "<script>" in c.text and c.card.kind == "ask"
    c.press("o_value", {"groups": "3A"})
    for bad in ("2026-13-45", "gisteren", "+9999", "2020-01-01", "1-1-2020 17:00"):
        c.press("o_value", {"deadline": bad})
        _assert_calm(c)
        assert c.card.kind == "ask"
    c.press("o_value", {"deadline": "2027-03-28 02:30"})  # skipped by the clock change
    assert "klok" in c.text and c.card.kind == "ask"
    c.press("o_value", {"deadline": "2027-10-31 02:30"})  # happens twice
    assert "klok" in c.text and c.card.kind == "ask"
    c.press("o_value", {"deadline": "2026-12-04 17:00"})
    c.press("o_value", {"explanation": "x" * 100_000})  # too long: asked again, kept
    assert c.card.kind == "ask" and "100000" in c.text
    c.press("o_value", {"explanation": "<script>alert(1)</script> **vet**"})
    assert "<script>alert(1)</script> **vet**" in c.text and c.card.kind == "confirm"
    c.press("o_create")
    with sf() as s:
        names = s.scalars(select(Round.name).order_by(Round.id)).all()
        explanation = s.scalars(select(Round.explanation).order_by(Round.id)).all()[-1]
    assert names[-1] == "<at>Ronde</at> **1**"
    assert explanation == "<script>alert(1)</script> **vet**"


# -- versions ---------------------------------------------------------------------------------


@pytest.mark.parametrize("version", [-1, -(10**12), 10**12, 99])
def test_a_version_this_state_never_issued_is_stale(sf, school, version: int) -> None:
    c = Chat(sf, TEACHER)
    c.say("feedback")
    current = c.card.version
    before = snapshot(sf)
    c.act("t_save", {"light": "2"}, {"remark": "x"}, version=version)
    assert "verouderd" in c.text and c.card.version == current
    assert snapshot(sf) == before
    assert c.state()[1] == current


def test_no_version_and_the_current_version_are_taken(sf, school) -> None:
    c = Chat(sf, TEACHER)
    c.say("feedback")
    c.act("t_skip", version=c.card.version)
    assert c.card.title == "Bram Bakker"
    c.act("t_skip")
    assert c.card.title == "Cas de Clercq"


# -- roles ------------------------------------------------------------------------------------


def test_student_pressing_teacher_mentor_and_organizer_buttons_changes_nothing(sf, school) -> None:
    r = str(school.ids["round"])
    before = snapshot(sf)
    c = Chat(sf, STUDENT)
    for action, args, values in [
        ("t_group", {"round_id": r, "group_id": str(school.ids["g_wis"])}, {}),
        ("t_save", {"light": "1"}, {"remark": "zelf ingevuld"}),
        ("t_bulk_yes", {}, {}),
        ("m_start", {"round_id": r}, {}),
        ("m_student", {"student_id": str(school.students[0])}, {}),
        ("m_note", {}, {"note": "zelf"}),
        ("m_share_yes", {}, {}),
        ("m_agree", {}, {"agreements": "zelf"}),
        ("o_close_yes", {"round_id": r}, {}),
        ("o_extend", {"round_id": r}, {}),
        ("o_new", {}, {}),
    ]:
        c.act(action, args, values)
        _assert_calm(c)
    assert snapshot(sf) == before


def test_teacher_pressing_mentor_and_student_buttons_changes_nothing(sf, school) -> None:
    before = snapshot(sf)
    c = Chat(sf, TEACHER)
    for action, args, values in [
        ("m_start", {"round_id": str(school.ids["round"])}, {}),
        ("m_student", {"student_id": str(school.students[0])}, {}),
        ("m_note", {}, {"note": "niet van mij"}),
        ("m_share_yes", {}, {}),
        ("m_agree", {}, {"agreements": "niet van mij"}),
        ("s_start", {}, {}),
        ("s_answer", {}, {"answer": "niet van mij"}),
        ("s_submit", {}, {}),
        ("o_close_yes", {"round_id": str(school.ids["round"])}, {}),
    ]:
        c.act(action, args, values)
        _assert_calm(c)
    assert snapshot(sf) == before


def test_mentor_note_agreements_and_plan_answers_keep_spaces_as_typed(sf, school) -> None:
    """Every free text follows the same rule as a teacher's remark: exactly as typed."""
    from datetime import timedelta

    from storage.models import ActionPlan, Agreement, MentorNote, RoundState

    typed = "  Eerst dit,\n\tdan dat.  "
    with sf.begin() as s:
        rnd = s.get(Round, school.ids["round"])
        rnd.state, rnd.closed_at = RoundState.CLOSED, NOW - timedelta(hours=1)
    m = Chat(sf, MENTOR)
    m.act("m_start")
    m.act("m_student", {"student_id": str(school.students[0])})
    m.press("m_note")
    m.press("m_note", {"note": typed})
    m.press("m_share")
    m.press("m_share_yes")
    st = Chat(sf, STUDENT)
    st.act("s_start")
    st.act("s_plan")
    st.press("s_answer", {"answer": typed})
    m.press("m_agree")
    m.press("m_agree", {"agreements": typed})
    with sf() as s:
        assert s.scalars(select(MentorNote.text)).all() == [typed]
        assert s.scalars(select(Agreement.text)).all() == [typed]
        answers = s.scalars(select(ActionPlan.answers)).one()
    assert typed in answers.values()


def test_deadline_passing_while_the_confirm_card_waits_is_said_in_the_users_language(
    sf, school
) -> None:
    from datetime import timedelta

    now = [NOW]
    c = Chat(sf, ORG, clock=lambda: now[0])
    c.act("o_new")
    c.press("o_value", {"name": "Periode 3"})
    c.press("o_value", {"groups": "3A"})
    c.press("o_value", {"deadline": "+1"})
    c.press("o_value", {"explanation": "-"})
    assert c.card.kind == "confirm"
    before = snapshot(sf)
    now[0] = NOW + timedelta(days=3)  # the organizer comes back later
    c.press("o_create")
    assert "de deadline is inmiddels voorbij" in c.text
    _assert_calm(c)
    assert "not in the future" not in c.text  # no storage message in English
    assert snapshot(sf) == before


def test_every_domain_error_text_formats_with_only_its_own_params() -> None:
    """The engine answers a domain error with ``error_text``; an error raised with only its
    own parameters must still read as a sentence, never turn into the apology."""
    from dialogs.flow import error_text
    from dialogs.texts import LANGUAGES, t
    from storage import errors

    samples = {
        errors.MandatoryFieldMissing: {"fields": ["remark"], "light": "pas_op"},
        errors.TextTooLong: {"field": "remark", "length": 3001, "max": 3000},
    }
    for cls in errors.DomainError.__subclasses__() + [errors.DomainError]:
        params = samples.get(cls, {"field": "deadline", "reason": "x", "what": "round"})
        for lang in LANGUAGES:
            text = error_text(lang, cls("x", **params))
            assert text and text != t(lang, "error.unexpected") and "{" not in text


def test_lone_surrogates_are_stored_as_replacement_characters(sf, school) -> None:
    """JSON can carry "\\ud800"; such a text is kept, with U+FFFD for the broken character."""
    c = Chat(sf, TEACHER)
    c.say("feedback")
    c.light(2, remark="Goed \ud83d gedaan", action="Oefen \udc00 elke dag")
    rows = _saved(sf, school.ids["round"])
    assert [(r.remark, r.action) for r in rows] == [("Goed \ufffd gedaan", "Oefen \ufffd elke dag")]
    _assert_calm(c)
    assert c.card.kind == "student"  # on to the next student


def test_a_lone_surrogate_in_a_typed_command_is_understood_or_hinted(sf, school) -> None:
    c = Chat(sf, TEACHER)
    c.say("feed\udfffback")
    _assert_calm(c)
    assert "feedback" in c.text  # the hint lists the commands


@pytest.mark.parametrize("bad", [{"x": 1}, ["a"], True, None, 3.5])
def test_an_input_value_that_is_not_text_is_left_out_and_asked_again(sf, school, bad) -> None:
    """Mandatory remark for "Pas op" (the school's rule): a non-text remark counts as none."""
    before = snapshot(sf)
    c = Chat(sf, TEACHER)
    c.say("feedback")
    c.press(lambda ch: ch.light == 4, {"remark": bad, "action": bad})  # type: ignore[dict-item]
    _assert_calm(c)
    if isinstance(bad, float):  # a number is its text
        assert [(r.remark, r.action) for r in _saved(sf, school.ids["round"])] == [("3.5", "3.5")]
        return
    assert snapshot(sf) == before
    assert c.card.kind == "student"


def test_a_number_as_button_arg_is_its_text(sf, school) -> None:
    c = Chat(sf, TEACHER)
    c.say("feedback")
    c.press(lambda ch: ch.light == 2, {"remark": "Prima", "action": ""})
    first = c.card
    c.act("t_save", {"light": 3}, {"remark": "Let op je huiswerk", "action": "Plan"}, first.version)  # type: ignore[dict-item]
    _assert_calm(c)
    rows = sorted(_saved(sf, school.ids["round"]), key=lambda r: r.id)
    assert [r.light for r in rows] == [Light.GA_ZO_DOOR, Light.LET_OP]
