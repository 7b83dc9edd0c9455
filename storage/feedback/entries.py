"""The teacher's side of a round: the queue of students, progress, and writing feedback.

This module is the entry point for feedback: callers import from here. It re-exports writing
one entry (``storage.feedback.save``: ``record_feedback``, and ``record_and_look_ahead`` for a
walk), the queue (``storage.feedback.queue``), filling a group
(``storage.feedback.bulk``) and the reads (``storage.feedback.reads``: one round's feedback on
a student; ``storage.feedback.history``: earlier rounds).

Every function here issues a fixed number of statements whatever the size of the school:
the queue, the progress and the next open entry are one statement each; a save is three (a
read, a write, the audit rows), a new entry or a revision alike.
"""

from __future__ import annotations

from storage.feedback.bulk import bulk_fill, earlier_concerns
from storage.feedback.history import HistoryItem, histories_for, subject_history
from storage.feedback.queue import QueueEntry, next_open_entry, progress, teacher_queue
from storage.feedback.reads import FeedbackView, feedback_visible_to
from storage.feedback.save import (
    OwnEntry,
    SavedFeedback,
    WalkSave,
    record_and_look_ahead,
    record_feedback,
)

__all__ = [
    "FeedbackView",
    "HistoryItem",
    "OwnEntry",
    "QueueEntry",
    "bulk_fill",
    "earlier_concerns",
    "feedback_visible_to",
    "histories_for",
    "next_open_entry",
    "progress",
    "record_and_look_ahead",
    "record_feedback",
    "SavedFeedback",
    "subject_history",
    "teacher_queue",
    "WalkSave",
]
