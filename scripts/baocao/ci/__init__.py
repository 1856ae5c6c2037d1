"""Stage 7, CI: the pull-request check, the deadline and witness tags, CODEOWNERS, the hosts' APIs."""
