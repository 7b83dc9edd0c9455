"""The demo school: its people, groups and rounds (``data``, seeded by ``seed``), and the demo
roles an unknown chat user may pick (``roles``). Used by ``stoplicht demo`` and demo mode only.
May import the root of ``storage`` and ``storage.rounds``; nothing above ``storage``.
"""
