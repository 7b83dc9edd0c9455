"""The printable report of one student's round, for the three-way meeting (driehoeksgesprek).

``document`` turns what the mentor's report card shows (``dialogs.mentor.cards.report_card``)
plus the header (school, class, mentor), the mentor note, the plan and the agreements into a
channel-neutral ``Document``; ``pdf`` lays that out as an A4 PDF with fpdf2; ``deliver`` is the
common ``report_pdf`` action: it asks the rules (``storage.mentoring.printable``) and answers
with a ``File`` reply, or with the one refusal sentence.
"""
