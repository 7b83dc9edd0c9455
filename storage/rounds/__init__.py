"""The review round: its lifecycle draft → open → closed (``lifecycle``, which writes the
invitations and digests to the outbox in the same transaction), finding a person's rounds
(``finder``) and a round's progress per teacher and group (``status``).
May import the root of ``storage``; nothing above ``storage``.
"""
