"""Transfer pages: learner (plans, check-ins, observations about me), manager (team,
observation on a phone, conversations), journal (author only), L&D (behaviour wording)."""
