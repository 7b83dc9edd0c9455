"""The mentor's conversation: the overview of their mentees, one student's report, the mentor
note, sharing and agreements (``review``), and the cards it draws (``cards``).
May import ``dialogs``' shared modules and ``storage``.
"""
