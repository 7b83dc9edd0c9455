"""The feedback coach: advice on a remark or action as it is saved; it never blocks.
``advice.check`` is the entry point; the analysis is rule-based (``person``, ``judgement``,
``rules``, ``actions``, ``mention``) over word lists (``lexicon*``) and normalised text
(``text``, ``languages``). ``port`` lets the dialogs use the coach without importing it at
start-up. A small world of its own: imports nothing of ``storage``, ``schedules`` or ``bot``.
"""
