"""The terminal channel: the same dialogs as plain text on stdin/stdout (``stoplicht chat``)."""
