"""Roster import: read a School Data Sync export (a folder or a zip of messy CSV files), map
its rows to schools, people and groups, plan the changes and apply them in one transaction.

Entry point: ``storage.roster.importer.import_roster``. Reading (``files``, ``text``,
``csv_table``, ``ids``) knows nothing of the database; ``mapping``, ``build``, ``plan`` and
``sync`` add the models. May import the root of ``storage``; nothing above ``storage``.
"""
