"""Who someone is: lookups of people and groups by what a user types (``directory``), the person
behind a Teams or Slack account (``identity``, one statement per turn) and linking an account
to a person (``accounts``). May import the root of ``storage`` and ``storage.conversation``.
"""
