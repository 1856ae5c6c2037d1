"""Stage 4, the history: the only stage that reads git. Every landing of every report on the
campaign branch, its trusted time (evidence, signatures, the timeline rule) and the rules in
force then, as one ``History``."""
