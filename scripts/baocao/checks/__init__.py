"""Stage 3, the checks: pure rules over a parsed report and its place in ``submissions/`` that
yield ``Finding`` values (stable codes), the signed-PDF checks, and the ways findings are shown."""
