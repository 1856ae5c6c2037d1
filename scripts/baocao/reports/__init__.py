"""Stage 2, the reports: a submitted file's bytes (Markdown or Word) read into a ``ParsedReport``
(headings, paragraphs, tables, figures), matched to the outline."""
