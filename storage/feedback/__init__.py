"""Subject teachers' feedback: the queue of students a teacher owes feedback, writing an entry
(the school's mandatory fields, the round still open), filling a group at once, and every read
of feedback (one round's, earlier rounds' history), each through ``storage.permissions`` and
audited when it reads someone else's.

Entry point for callers: ``storage.feedback.entries``. May import the root of ``storage``
(models, db, permissions, audit, cohort, facts, settings); nothing above ``storage``.
"""
