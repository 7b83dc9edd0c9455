"""The action ids and args of every ``Choice``: the contract between the dialogs and channels.

A channel sends back ``Incoming(action=..., args=..., values=..., version=...)`` exactly as the
pressed ``Choice`` said. Ids are short, stable strings; renaming one breaks cards already posted
in chats, so add new ids instead of changing old ones. Args are strings (ids as decimal text).

Everyone
    ``help``                       show help for the user's roles
    ``where``                      re-show the current prompt ("where was I")
    ``menu``                       the start menu
    ``lang``       lang=nl|en      switch the language (stored on the person)
    ``demo``       role=teacher|mentor|student|organizer   demo mode: play a demo person
    ``bind``       school_id       an organizer binds an unbound Teams tenant or Slack
                                   workspace to their school (``dialogs.binding``)
    ``bind_no``                    ... or declines (not asked again)
    ``report_pdf`` round_id, student_id   the printable report of that student's round (the
                                   mentor; the student after sharing); the dialog state is
                                   not changed and a card of any version may ask

Teacher walk (values ``remark``, ``action`` on the student card)
    ``start_feedback`` round_id?   entry point (also on the round-opened notification); a
                                   closed round's id opens its read-only view (if the rules
                                   allow it; else the usual entry with a short note)
    ``t_round``    round_id        pick a round when several are open
    ``t_group``    round_id, group_id   pick a teaching group
    ``t_save``     (light on the Choice) light=1..4   save light + fields, go to the next student
    ``t_skip`` / ``t_back``        next / previous student without saving
    ``t_stop``                     stop; "where"/"feedback" resumes at the same student
    ``t_review``                   the review list of the group with each student's light
    ``t_jump``     student_id      open one student (from the review list)
    ``t_bulk``                     ask to set "Ga zo door" for the remaining students
    ``t_bulk_yes`` / ``t_bulk_no`` confirm / cancel the bulk fill
    ``t_keep`` / ``t_edit``        after a coach tip: keep the text / edit the saved entry
    ``t_groups``                   back to the choice of group
    ``t_view``     student_id      closed round: read-only view with colleagues' feedback
    ``t_earlier``                  the closed rounds the teacher had students in (to choose
                                   one: ``start_feedback`` round_id)
    ``t_history``  student_id, round_id   from the student card: that student's full feedback
                                   of an earlier closed round (read only); the walk stays
                                   where it was (``start_feedback`` resumes it)

Mentor (values ``note``, ``agreements``)
    ``m_start``    round_id?       overview of the mentees, who needs attention first
    ``m_student``  student_id, round_id?   the per-student report (of that round, when given)
    ``m_note``                     save the mentor note (value ``note``)
    ``m_share`` / ``m_share_yes``  ask / confirm sharing with the student of the dialog
    ``m_share``    student_id, round_id?   ask to share with that student (the digest's button);
                                   the confirmation only when the rules allow sharing now
    ``m_plan``                     show the student's submitted action plan
    ``m_agree``                    record the agreements (value ``agreements``)
    ``m_back``                     back to the overview
    ``m_rounds``                   the rounds with the mentor's mentees, to choose one
    ``m_round``    round_id        the overview of that round

Student (value ``answer``)
    ``s_start``                    shared feedback and the plan menu
    ``s_feedback`` round_id?       feedback per subject and the mentor note (of that round,
                                   when given and shared with the student)
    ``s_rounds``                   the rounds shared with the student, to choose one
    ``s_plan``                     start or continue the action plan
    ``s_answer``                   save this step's answer (value ``answer``), next step
    ``s_prev``                     previous step of the plan; a typed answer (value
                                   ``answer``, when sent) is saved first
    ``s_stop``                     stop on a plan step: a typed answer (value ``answer``,
                                   when sent) is saved first, then as ``stop``
    ``s_goto``     step            edit one step from the review
    ``s_submit``                   submit the plan
    ``s_agreements``               show the agreements

Organizer (values ``name``, ``groups``, ``deadline``, ``explanation``, ``days``, ``reminders``,
``quiet``)
    ``o_start``                    rounds and what can be done
    ``o_new``                      create a round: asks name, groups, deadline
    ``o_value``                    submit the asked value (or type it)
    ``o_create``                   confirm creating (and opening) the round
    ``o_draft``                    save the round being created as a draft (not opened)
    ``o_status``   round_id        completion per group and teacher, who has not started
    ``o_open``     round_id        ask to open a draft round; ``o_open_yes`` round_id confirms
                                   (the teachers are invited)
    ``o_extend``   round_id        ask for a new deadline
    ``o_extend_yes`` round_id      confirm the new deadline (shown in full first)
    ``o_close``    round_id        ask to close; ``o_close_yes`` round_id confirms
    ``o_settings``                 the school's settings card (also typed: "instellingen")
    ``o_require``  light, to, from set the fields ``light`` needs (none|remark|action|both)
                                   to ``to``, if it still is ``from``
    ``o_toggle``   key, to         full_package, auto_close or quiet_weekends to on|off
    ``o_times``                    save reminder offsets and quiet hours (values
                                   ``reminders``, ``quiet``)
    ``cancel``                     leave the current question, back to the flow's menu
    ``stop``                       stop for now; "where was I" resumes (any flow)
"""

from __future__ import annotations

HELP = "help"
WHERE = "where"
MENU = "menu"
LANG = "lang"
DEMO = "demo"
BIND = "bind"
BIND_NO = "bind_no"
CANCEL = "cancel"
STOP = "stop"
REPORT_PDF = "report_pdf"

START_FEEDBACK = "start_feedback"
T_ROUND = "t_round"
T_GROUP = "t_group"
T_SAVE = "t_save"
T_SKIP = "t_skip"
T_BACK = "t_back"
T_STOP = "t_stop"
T_REVIEW = "t_review"
T_JUMP = "t_jump"
T_BULK = "t_bulk"
T_BULK_YES = "t_bulk_yes"
T_BULK_NO = "t_bulk_no"
T_KEEP = "t_keep"
T_EDIT = "t_edit"
T_GROUPS = "t_groups"
T_VIEW = "t_view"
T_EARLIER = "t_earlier"
T_HISTORY = "t_history"

M_START = "m_start"
M_STUDENT = "m_student"
M_NOTE = "m_note"
M_SHARE = "m_share"
M_SHARE_YES = "m_share_yes"
M_PLAN = "m_plan"
M_AGREE = "m_agree"
M_BACK = "m_back"
M_ROUNDS = "m_rounds"
M_ROUND = "m_round"

S_START = "s_start"
S_FEEDBACK = "s_feedback"
S_PLAN = "s_plan"
S_ANSWER = "s_answer"
S_PREV = "s_prev"
S_GOTO = "s_goto"
S_SUBMIT = "s_submit"
S_AGREEMENTS = "s_agreements"
S_ROUNDS = "s_rounds"
S_STOP = "s_stop"

O_START = "o_start"
O_NEW = "o_new"
O_VALUE = "o_value"
O_CREATE = "o_create"
O_DRAFT = "o_draft"
O_STATUS = "o_status"
O_OPEN = "o_open"
O_OPEN_YES = "o_open_yes"
O_EXTEND = "o_extend"
O_EXTEND_YES = "o_extend_yes"
O_CLOSE = "o_close"
O_CLOSE_YES = "o_close_yes"
O_SETTINGS = "o_settings"
O_REQUIRE = "o_require"
O_TOGGLE = "o_toggle"
O_TIMES = "o_times"

# Actions whose args name everything they need: taken from a card of any version.
TIMELESS = frozenset({REPORT_PDF})

# A flow's own "stop" (it keeps what was typed first): afterwards as after ``stop``.
PAUSES = frozenset({S_STOP})

FLOW_OF_PREFIX = {"t_": "teacher", "m_": "mentor", "s_": "student", "o_": "organizer"}
FLOW_OF_ACTION = {
    START_FEEDBACK: "teacher",
    M_START: "mentor",
    S_START: "student",
    O_START: "organizer",
}


def flow_of(action: str) -> str | None:
    """Which flow handles ``action``; None for the common actions."""
    if action in FLOW_OF_ACTION:
        return FLOW_OF_ACTION[action]
    return FLOW_OF_PREFIX.get(action[:2])
