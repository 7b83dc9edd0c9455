"""Where a person is in a conversation: the stored dialog state (``state``, one row per person,
versioned), resetting states that still point at an erased student (``scrub``), and the ids
of platform events already processed (``claims``, so a redelivered event acts once).
May import the root of ``storage``; nothing above ``storage``.
"""
