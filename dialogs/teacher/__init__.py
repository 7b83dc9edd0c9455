"""The subject teacher's conversation: walking a group student by student (``walk``, with the
steps of one student in ``steps``), the cards it draws (``cards``) and the read-only view of a
closed round (``closed``). May import ``dialogs``' shared modules (engine types, flow, actions,
texts, the coach port) and ``storage``.
"""
