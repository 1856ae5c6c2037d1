"""Stage 1, the campaign: ``campaign.yml`` read into a typed, checked ``Campaign`` (units, stages,
deadlines, outline, indicators), with the line of every value for error messages."""
