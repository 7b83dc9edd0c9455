"""Composing notifications: texts in the recipient's language, buttons with the dialogs'
action ids, the mentor digest sorted by concern."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from dialogs import actions as A
from schedules.compose import compose
from schedules.composer import Composer, compose_digests
from storage.db import unit_of_work
from storage.models import Feedback, Light, Person, School
from storage.rounds.lifecycle import close_round, create_round
from tests.support.builders import tiny_school

NOW = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
PAYLOADS = {
    "round_opened": {"round": "Herfst", "deadline": "2026-11-19T16:00:00+01:00", "total": 84},
    "deadline_reminder": {
        "round": "Herfst",
        "round_id": 3,
        "deadline": "2026-11-19T16:00:00+01:00",
        "done": 17,
        "total": 84,
    },
    "deadline_reached": {
        "round": "Herfst",
        "round_id": 3,
        "done": 70,
        "total": 84,
        "teachers": 9,
        "teachers_behind": 2,
    },
    "mentor_digest": {"round": "Herfst", "mentees": 0},
    "colleagues_visible": {"round": "Herfst"},
    "feedback_shared": {"round_name": "Herfst", "round_id": 3, "student_id": 5},
    "plan_reminder": {"round": "Herfst", "round_id": 3},
    "plan_submitted": {"round_id": 3, "student_id": 5, "student_name": "Anna Bakker"},
}


@pytest.mark.parametrize("kind", sorted(PAYLOADS))
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_kind_composes_in_both_languages(kind: str, lang: str) -> None:
    [reply] = compose(kind, PAYLOADS[kind], lang, round_id=3)
    assert reply.card is not None and reply.card.title and reply.card.choices
    assert "{" not in reply.card.title + reply.card.text


def test_reminder_shows_progress_and_continue_button() -> None:
    [r] = compose("deadline_reminder", PAYLOADS["deadline_reminder"], "nl")
    assert "17 van 84" in r.card.text and "19-11-2026 16:00" in r.card.text
    assert [(c.action, dict(c.args)) for c in r.card.choices] == [
        (A.START_FEEDBACK, {"round_id": "3"})
    ]
    [r] = compose("deadline_reminder", PAYLOADS["deadline_reminder"], "en-GB")
    assert "17 of 84" in r.card.text


def test_invitation_and_organizer_buttons() -> None:
    [r] = compose("round_opened", PAYLOADS["round_opened"], "nl", round_id=7)
    assert r.card.choices[0].action == A.START_FEEDBACK and r.card.choices[0].args == {
        "round_id": "7"
    }
    [r] = compose("deadline_reached", PAYLOADS["deadline_reached"], "en")
    assert [c.action for c in r.card.choices] == [A.O_CLOSE, A.O_STATUS]
    assert "70 of 84" in r.card.text


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError):
        compose("nonsense", {}, "nl")


def test_digest_sorted_by_concern_in_the_mentors_language(sqlite_session_factory) -> None:
    f = sqlite_session_factory
    with unit_of_work(f) as s:
        t = tiny_school(s)
        p, g = t.people, t.groups
        s.get(Person, p["mia"]).language = "en"
        rnd = create_round(
            s,
            school_id=t.school_id,
            actor_id=p["olga"],
            name="Herfst",
            group_ids=[g["2A"], g["2B"]],
            deadline=NOW + timedelta(days=3),
            now=NOW,
            open_now=True,
        )
        fb = [
            ("anna", "2A wi", "wim", Light.GA_ZO_DOOR, "Goed bezig"),
            ("bram", "2A wi", "wim", Light.PAS_OP, "Ik maak me zorgen om je huiswerk"),
            ("bram", "2A ne", "dora", Light.LET_OP, "Ik zie dat je spelling lastig vindt"),
            ("cas", "2A wi", "wim", Light.LET_OP, "Let op je toetsen"),
            ("cas", "2A ne", "dora", Light.LET_OP, "Lees meer"),
        ]
        for st, grp, teacher, light, remark in fb:
            s.add(
                Feedback(
                    round_id=rnd.id,
                    student_id=p[st],
                    group_id=g[grp],
                    teacher_id=p[teacher],
                    subject="x",
                    light=light,
                    remark=remark,
                )
            )
        s.flush()
        close_round(s, round_id=rnd.id, actor_id=None, now=NOW + timedelta(days=3))
    with f() as s:
        digests = compose_digests(s, round_id=rnd.id)
        assert list(digests) == [p["mia"]]
        [reply] = digests[p["mia"]]
        card = reply.card
        assert card.title == "Herfst: your mentees"
        assert [sec.title.split(" (")[0] for sec in card.sections[:2]] == [
            "Bram Aalders",
            "Cas Claes",
        ]
        assert card.sections[0].light == int(Light.PAS_OP)
        assert card.sections[0].text.startswith("Worried 1 · Watch out 1")
        assert any("zorgen" in fact.value for fact in card.sections[0].facts)
        assert "1 more" in card.sections[-1].text  # Anna: nothing to worry about
        share = [A.M_SHARE] * 2  # one per mentee listed (not Anna), in the digest's order
        assert [c.action for c in card.choices] == [A.M_STUDENT, A.M_STUDENT, *share, A.M_START]
        assert not any("Anna" in c.label for c in card.choices)  # no button for whom it omits
        assert card.choices[0].args == {"student_id": str(p["bram"]), "round_id": str(rnd.id)}
        assert card.choices[2].label == "Share with Bram Aalders"
        assert card.choices[2].args == {"student_id": str(p["bram"]), "round_id": str(rnd.id)}
        composer = Composer(s)
        assert composer.languages([p["mia"], p["wim"]]) == {p["mia"]: "en", p["wim"]: "nl"}
        same = composer.replies(
            kind="mentor_digest",
            payload={"round": "Herfst"},
            lang="en",
            round_id=rnd.id,
            recipient_id=p["mia"],
        )
        assert same == digests[p["mia"]]


def test_digest_share_buttons_are_few_and_only_with_the_full_package(
    sqlite_session_factory,
) -> None:
    from storage.mentoring.service import Concern, MenteeSummary

    mentees = [
        MenteeSummary(
            student_id=i,
            name=f"S{i}",
            class_title="2A",
            counts={Light.PAS_OP: 1},
            concern=Concern.PAS_OP,
            worse_than_previous=False,
        )
        for i in range(1, 21)
    ]
    [reply] = compose("mentor_digest", {"round": "R", "round_id": 9}, "nl", mentees=mentees)
    actions = [c.action for c in reply.card.choices]
    assert actions.count(A.M_STUDENT) == 5 and actions.count(A.M_SHARE) == 3
    assert actions[-1] == A.M_START and len(actions) == 9
    [reply] = compose(
        "mentor_digest", {"round": "R", "round_id": 9, "share": False}, "nl", mentees=mentees
    )
    assert A.M_SHARE not in [c.action for c in reply.card.choices]

    f = sqlite_session_factory
    with unit_of_work(f) as s:
        t = tiny_school(s)
        s.get(School, t.school_id).settings = {"full_package": False}
        rnd = create_round(
            s,
            school_id=t.school_id,
            actor_id=t.people["olga"],
            name="Herfst",
            group_ids=[t.groups["2A"]],
            deadline=NOW + timedelta(days=3),
            now=NOW,
            open_now=True,
        )
        close_round(s, round_id=rnd.id, actor_id=None, now=NOW + timedelta(days=3))
    with f() as s:
        [reply] = compose_digests(s, round_id=rnd.id)[t.people["mia"]]
        assert reply.card.sections  # the mentees are listed, only the share buttons are gone
        assert A.M_SHARE not in [c.action for c in reply.card.choices]
