"""The organizer's conversation: create, open, extend and close a round and see its status
(``rounds``), and the cards it draws (``cards``). May import ``dialogs``' shared modules and
``storage``.
"""
