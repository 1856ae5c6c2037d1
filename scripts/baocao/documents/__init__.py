"""Stage 6, the documents: from a ``CampaignStatus``, the compiled draft (Markdown, Word, Excel),
the reminder, and the report skeletons a clerk starts from."""
