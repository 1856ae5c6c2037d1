"""One escaper per output format: every value a submitter, an author or campaign.yml wrote
goes through the one for the format it lands in, never spliced in raw.

``html`` (HTML text and attributes), ``markdown`` (plain text inside generated Markdown, so
that no extension — attribute lists, raw HTML, links — can re-interpret it), ``xml`` (Atom),
``ical`` (iCalendar TEXT), ``spreadsheet`` (CSV and Excel cells: no formulas), ``word`` (text
runs of a .docx) and ``github`` (workflow commands). Each module is small and pure.
"""
