"""After the teachers: what the mentor and the student do with the feedback. The mentor's
overview and digest summaries (``overview``), one student's report (``report``), the facts of
one student's case that every rule decision needs (``case``), the mentor note, sharing and
agreements (``service``, the entry point), and the student's action plan (``plans``).
Every read and write asks ``storage.permissions``. May import the root of ``storage``.
"""
