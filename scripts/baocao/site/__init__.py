"""Stage 6, the site: every page, data file and asset of the status site built from a
``CampaignStatus``, and the thin MkDocs/ProperDocs plugin that serves them."""
