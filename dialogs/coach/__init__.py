"""The feedback coach: advice on a remark or action as it is saved; it never blocks.
``advice.check`` is the entry point; the analysis is rule-based (``person``, ``judgement``,
``rules``, ``nouns``, ``actions``, ``mention``) over word lists (``lexicon*``) and normalised
text (``text``, ``languages``); every tip names the words it is about. ``plan_step`` gives the
student a tip on a vague step of their plan; ``evaluate`` scores the coach on labelled tables.
``port`` lets the dialogs use the coach without importing it at start-up. A small world of its
own: imports nothing of ``storage``, ``schedules`` or ``bot``.
"""
