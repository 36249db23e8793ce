"""The Mesa engine: the actors as agents deciding on their own slices of the state."""
