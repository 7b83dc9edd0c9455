"""The student's conversation: their shared feedback and the action plan (``plan``), the plan's
steps one subject at a time (``plan_steps``) and how typed answers are read (``plan_text``).
May import ``dialogs``' shared modules and ``storage``.
"""
