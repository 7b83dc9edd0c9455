"""Answered cards: a card action updates the acted card in place (``Reply.replace``) to its
answered state, then the next prompt follows; refused input re-shows the same card in place;
outdated cards and double clicks never replace. The rule is in ``dialogs.flow``."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.terminal.render import render_card, render_replies
from dialogs.types import Card, Reply
from storage.models import Feedback, MentorNote, Round, RoundState, TeachingAssignment
from tests.unit.dialogs.chat import Chat
from tests.unit.dialogs.school import SmallSchool, build
from tests.unit.dialogs.test_mentor_student import ANNA, MENTOR, close, give_feedback, shared

WIS = "t.wis@school.example"
ORG = "o.rg@school.example"


def answered_then(replies: list[Reply], note: str, next_kind: str | None) -> Card:
    """The first reply is the acted card answered in place; the rest are new messages."""
    first, *rest = replies
    assert first.replace is True and first.card is not None, replies
    card = first.card
    assert card.answered and card.choices == () and card.fields == ()
    assert note in card.note, card.note
    assert all(not r.replace for r in rest)
    if next_kind is not None:
        assert rest and rest[-1].card is not None and rest[-1].card.kind == next_kind
        assert rest[-1].card.choices and not rest[-1].card.answered
    return card


def shown_again(replies: list[Reply], note: str) -> Card:
    """Refused input: one live card, in place, with the reason."""
    (only,) = replies
    assert only.replace is True and only.card is not None
    assert not only.card.answered and only.card.choices
    assert note in only.card.note, only.card.note
    return only.card


def no_replace(replies: list[Reply]) -> None:
    assert not any(r.replace for r in replies)
    assert not any(r.card is not None and r.card.answered for r in replies)


def feedback_count(sf: sessionmaker[Session]) -> int:
    """Entries in the open round (the earlier, closed round holds the history)."""
    with sf() as s:
        open_round = select(Round.id).where(Round.state == RoundState.OPEN).scalar_subquery()
        return int(
            s.scalar(select(func.count(Feedback.id)).where(Feedback.round_id == open_round)) or 0
        )


# -- teacher ------------------------------------------------------------------------------------


def test_save_answers_the_student_card_then_the_next_student(sf, school: SmallSchool) -> None:
    c = Chat(sf, WIS)
    c.say("feedback")
    replies = c.light(3, "Ik zie dat je hard werkt.", "Laat je schrift zien.")
    card = answered_then(replies, "Bewaard: Anna Aalders, Let op.", "student")
    assert card.kind == "student" and card.title == "Anna Aalders" and card.light == 3
    facts = {f.label: f.value for f in card.facts}
    assert facts["Stoplicht"] == "Let op" and facts["Opmerking"] == "Ik zie dat je hard werkt."
    assert facts["Actie"] == "Laat je schrift zien."
    assert c.card.title == "Bram Bakker" and c.card.version == c.state()[1]


def test_skip_answers_skipped_and_keeps_an_existing_entry(sf, school: SmallSchool) -> None:
    c = Chat(sf, WIS)
    c.say("feedback")
    answered_then(c.press("t_skip"), "Overgeslagen: Anna Aalders.", "student")
    assert c.card.title == "Bram Bakker"
    c.light(2)
    c.press("t_review")
    c.press(lambda ch: ch.action == "t_jump" and ch.label.startswith("Bram"))
    card = answered_then(c.press("t_skip"), "Overgeslagen: Bram Bakker.", "student")
    assert {f.value for f in card.facts} >= {"Ga zo door"}  # skipping changes nothing
    assert feedback_count(sf) == 1


def test_coach_keep_answers_the_tip_card(sf, school: SmallSchool) -> None:
    c = Chat(sf, WIS)
    c.say("feedback")
    answered_then(c.light(2, "Hij is lui."), "Bewaard: Anna Aalders", "coach")
    card = answered_then(c.press("t_keep"), "Tekst gehouden", "student")
    assert card.kind == "coach" and "- " in card.text  # the tips stay readable
    assert c.card.title == "Bram Bakker"


def test_bulk_confirm_is_answered_with_the_summary(sf, school: SmallSchool) -> None:
    c = Chat(sf, WIS)
    c.say("feedback")
    c.press("t_bulk")
    summary = "'Ga zo door' ingevuld voor de leerlingen zonder stoplicht (4)"
    card = answered_then(c.press("Iedereen invullen"), summary, "review")
    assert card.text == ""  # the question no longer applies
    assert feedback_count(sf) == 4


def test_bulk_refused_answers_the_confirmation_with_the_reason(sf) -> None:
    build(sf, settings={"required": {"ga_zo_door": {"remark": True}}})
    c = Chat(sf, WIS)
    c.say("feedback")
    c.press("t_bulk")
    answered_then(c.press("t_bulk_yes"), "in één keer", "student")
    assert feedback_count(sf) == 0


def test_mandatory_field_reshows_the_same_card_in_place_with_typed_values(
    sf, school: SmallSchool
) -> None:
    c = Chat(sf, WIS)
    c.say("feedback")
    before = c.card
    card = shown_again(
        c.light(4, "Ik maak me zorgen.\nEcht.", ""), "Nog niet bewaard: bij 'Pas op'"
    )
    assert card.title == before.title == "Anna Aalders" and card.kind == "student"
    assert [f.value for f in card.fields] == ["Ik maak me zorgen.\nEcht.", ""]
    assert card.light is None and card.chosen_light == 4 and card.version == c.state()[1]
    assert feedback_count(sf) == 0
    # the re-shown card works: complete it and save
    answered_then(c.light(4, "Ik maak me zorgen.", "Kom naar de bijles."), "Bewaard", "student")


def test_too_long_and_missing_light_reshow_in_place(sf) -> None:
    build(sf, settings={"max_text_length": 10})
    c = Chat(sf, WIS)
    c.say("feedback")
    card = shown_again(c.light(2, "x" * 11, "kort"), "11 tekens")
    assert [f.value for f in card.fields] == ["x" * 11, "kort"]
    c.act("t_save", {"light": "9"}, {"remark": "getypt", "action": ""}, c.card.version)
    card = shown_again(c.replies, "Kies een van de vier stoplichten")
    assert card.fields[0].value == "getypt"
    assert feedback_count(sf) == 0


def test_save_in_a_round_closed_meanwhile_answers_with_the_reason(sf, school: SmallSchool) -> None:
    c = Chat(sf, WIS)
    c.say("feedback")
    close(sf, school)
    card = answered_then(c.light(2), "Niet uitgevoerd: Deze bespreking is gesloten", "closed")
    assert card.title == "Anna Aalders"
    assert feedback_count(sf) == 0


def test_navigation_posts_the_next_prompt_and_replaces_nothing(sf, school: SmallSchool) -> None:
    c = Chat(sf, WIS)
    c.say("feedback")
    c.press("t_skip")
    for action, kind in (("t_back", "student"), ("t_review", "review"), ("t_bulk", "confirm")):
        no_replace(c.press(action))
        assert c.card.kind == kind and c.card.choices
    no_replace(c.press("t_bulk_no"))
    assert c.card.kind == "student"
    no_replace(c.press("t_stop"))  # the card stays usable for later
    m = Chat(sf, MENTOR)
    m.say("mentor")
    no_replace(m.press(lambda ch: ch.label.startswith("Anna")))
    no_replace(m.press("m_note"))  # opening the question
    assert m.card.kind == "note"


def test_typed_commands_and_versionless_actions_never_replace(sf, school: SmallSchool) -> None:
    c = Chat(sf, WIS)
    no_replace(c.say("feedback"))
    no_replace(c.say("overzicht"))
    no_replace(c.act("t_jump", {"student_id": str(school.students[1])}))  # a button without version
    assert c.card.title == "Bram Bakker"


def test_outdated_card_and_double_click_never_replace(sf, school: SmallSchool) -> None:
    c = Chat(sf, WIS)
    c.say("feedback")
    first = c.card
    answered_then(c.press(lambda ch: ch.light == 2, {"remark": "", "action": ""}, first), "", None)
    # double click on the same card: the first press answered it; nothing changes, nothing is
    # posted (the next prompt is not posted twice, the acted card keeps its answered state)
    assert c.press(lambda ch: ch.light == 2, {"remark": "", "action": ""}, first) == []
    # another light on that card: outdated, the current prompt is posted anew
    replies = c.press(lambda ch: ch.light == 3, {"remark": "x", "action": "y"}, first)
    no_replace(replies)
    (reply,) = replies
    assert reply.card is not None and reply.card.title == "Bram Bakker"
    assert reply.card.note.startswith("Deze kaart was verouderd")
    assert reply.card.choices and reply.card.version == c.state()[1]
    # an older navigation button: also outdated, also no replace
    no_replace(c.press("t_review", card=first))
    assert "verouderd" in c.card.note and c.card.kind == "student"
    assert feedback_count(sf) == 1


def test_progress_over_the_whole_round_and_within_the_group(sf, school: SmallSchool) -> None:
    with sf.begin() as s:  # Wim teaches English to 3A as well: two groups in the round
        s.add(TeachingAssignment(group_id=school.ids["g_eng"], teacher_id=school.ids["wis"]))
    c = Chat(sf, WIS)
    c.say("feedback")
    c.press(lambda ch: ch.label.startswith("3A wiskunde"))
    facts = {f.label: f.value for f in c.card.facts}
    assert facts["Voortgang"] == "leerling 1 van 4 (0 ingevuld)"
    assert facts["Hele bespreking"] == "0 van 8 ingevuld (al je groepen)"
    c.light(2)
    assert "1 van 8 ingevuld" in c.text and "(1 ingevuld)" in c.text
    c.press("t_review")
    c.press("t_groups")
    c.press(lambda ch: ch.label.startswith("3A engels"))
    facts = {f.label: f.value for f in c.card.facts}
    assert facts["Voortgang"] == "leerling 1 van 4 (0 ingevuld)"
    assert facts["Hele bespreking"] == "1 van 8 ingevuld (al je groepen)"
    e = Chat(sf, WIS, locale="en")
    e.say("where was I")
    assert "Whole round: 1 of 8 done (all your groups)" in e.text


def test_one_group_shows_only_the_group_figure(sf, school: SmallSchool) -> None:
    c = Chat(sf, WIS)
    c.say("feedback")
    assert "Hele bespreking" not in c.text and "leerling 1 van 4" in c.text


# -- mentor -------------------------------------------------------------------------------------


def test_mentor_note_agreements_and_share_are_answered(sf, school: SmallSchool) -> None:
    give_feedback(sf)
    close(sf, school)
    m = Chat(sf, MENTOR)
    m.say("mentor")
    m.press(lambda ch: ch.label.startswith("Anna"))
    m.press("m_note")
    assert m.card.kind == "note"
    card = answered_then(m.press("m_note", {"note": "Goed gewerkt."}), "bewaard", "report")
    assert ("Mentoropmerking", "Goed gewerkt.") in {(f.label, f.value) for f in card.facts}
    m.press("m_share")
    card = answered_then(m.press("m_share_yes"), "Gedeeld met Anna Aalders.", "report")
    assert card.kind == "confirm" and card.text == ""
    m.press("m_agree")
    shown_again(m.press("m_agree", {"agreements": "  "}), "niets ingevuld")
    answered_then(
        m.press("m_agree", {"agreements": "Dinsdag bijles."}), "Afspraken vastgelegd", "report"
    )


def test_mentor_typed_note_posts_the_answer_without_replace(sf, school: SmallSchool) -> None:
    m = Chat(sf, MENTOR)
    m.say("mentor")
    m.press(lambda ch: ch.label.startswith("Anna"))
    m.press("m_note")
    replies = m.say("Getypt als bericht.")
    assert replies[0].card is not None and replies[0].card.answered  # a confirmation
    assert not any(r.replace for r in replies)  # posted as new messages
    assert m.card.kind == "report"


def test_mentor_share_refused_answers_with_the_reason(sf, school: SmallSchool) -> None:
    give_feedback(sf)
    m = Chat(sf, MENTOR)
    m.say("mentor")
    m.press(lambda ch: ch.label.startswith("Anna"))
    answered_then(m.act("m_share_yes"), "pas als de bespreking gesloten is", "report")


def test_mentor_overlong_note_reshown_in_place(sf) -> None:
    build(sf, settings={"max_text_length": 10})
    m = Chat(sf, MENTOR)
    m.say("mentor")
    m.press(lambda ch: ch.label.startswith("Anna"))
    m.press("m_note")
    card = shown_again(m.press("m_note", {"note": "Veel te lange tekst"}), "maximum is 10")
    assert card.fields[0].value == "Veel te lange tekst"
    with sf() as s:
        assert s.scalars(select(MentorNote)).all() == []


# -- student ------------------------------------------------------------------------------------


def test_plan_step_and_submit_are_answered(sf, school: SmallSchool) -> None:
    shared(sf, school)
    s = Chat(sf, ANNA)
    s.say("plan")
    s.press("s_plan")
    shown_again(s.press("s_answer", {"answer": " "}), "Vul hier iets in")
    card = answered_then(s.press("s_answer", {"answer": "Ik doe mee."}), "Bewaard", "plan_step")
    assert card.title == "Plan van aanpak, stap 1 van 5" or "stap 1 van 5" in card.title
    assert "Ik doe mee." in {f.value for f in card.facts}
    for answer in ("Bijles.", "Woordjes.", "Hulp.", ""):
        s.press("s_answer", {"answer": answer})
    assert s.card.kind == "plan_review"
    card = answered_then(s.press("s_submit"), "Ingediend", "feedback")
    assert card.kind == "plan_review" and card.sections  # the plan as submitted


def test_plan_answer_after_agreements_answers_with_the_reason(sf, school: SmallSchool) -> None:
    m = shared(sf, school)
    s = Chat(sf, ANNA)
    s.say("plan")
    s.press("s_plan")
    m.press("m_agree")
    m.press("m_agree", {"agreements": "Dinsdag bijles."})
    answered_then(
        s.press("s_answer", {"answer": "Te laat."}), "kan niet meer veranderen", "feedback"
    )


def test_student_double_submit_of_a_step_never_replaces(sf, school: SmallSchool) -> None:
    shared(sf, school)
    s = Chat(sf, ANNA)
    s.say("plan")
    s.press("s_plan")
    step1 = s.card
    s.press("s_answer", {"answer": "Eerste."})
    no_replace(s.press("s_answer", {"answer": "Tweede."}, card=step1))
    assert "verouderd" in s.text and "stap 2 van 5" in s.text


# -- organizer ----------------------------------------------------------------------------------


def test_organizer_values_create_and_close_are_answered(sf, school: SmallSchool) -> None:
    c = Chat(sf, ORG)
    c.say("rondes")
    c.press("o_new")
    card = answered_then(c.press("o_value", {"name": "Periode 3"}), "Bewaard", "ask")
    assert "Periode 3" in {f.value for f in card.facts}
    card = shown_again(c.press("o_value", {"groups": "9Z"}), "Niet gevonden: 9Z")
    assert card.fields[0].value == "9Z"  # the typed value is kept
    answered_then(c.press("o_value", {"groups": "3A"}), "Bewaard", "ask")
    card = shown_again(c.press("o_value", {"deadline": "ooit"}), "geen datum")
    assert card.fields[0].value == "ooit"
    card = answered_then(c.press("o_value", {"deadline": "4-12-2026 16:30"}), "Bewaard", "ask")
    assert "vrijdag 4 december 2026, 16:30" in {f.value for f in card.facts}  # said in full
    answered_then(c.press("o_value", {"explanation": ""}), "Bewaard", "confirm")
    card = answered_then(c.press("o_create"), "geopend", "status")
    assert "Periode 3" in {f.value for f in card.facts}
    rid = c.find("o_close").args["round_id"]
    c.press("o_close")
    close_card = c.card
    answered_then(c.press("o_close_yes"), "gesloten", "status")
    with sf() as s:
        assert s.get(Round, int(rid)).state == RoundState.CLOSED
    # the close confirmation pressed again: already answered, nothing replaced or posted
    assert c.press("o_close_yes", card=close_card) == []
    # another button of that card: outdated, nothing replaced
    no_replace(c.press("Nee", card=close_card))
    assert "verouderd" in c.text


# -- terminal -----------------------------------------------------------------------------------


def test_terminal_prints_an_answered_card_as_one_line(sf, school: SmallSchool) -> None:
    c = Chat(sf, WIS, channel="terminal")
    c.say("feedback")
    replies = c.light(3, "Ik zie dat je hard werkt.", "Maak elke dag vijf sommen.")
    assert render_card(replies[0].card) == "\u2714 Bewaard: Anna Aalders, Let op."
    out = render_replies(replies)
    assert out.splitlines()[0] == "\u2714 Bewaard: Anna Aalders, Let op."
    assert "== Bram Bakker ==" in out
