"""The classroom: trainees play the mission's roles; the model adjudicates each turn."""
