"""Stage 5, the status: a ``History`` judged against the deadlines into one ``CampaignStatus``
(on time, late, missing, overdue, invalid per unit and stage), and its table, JSON and CSV forms."""
