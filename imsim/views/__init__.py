"""Ways of looking at a run: figures, the animation, the live run and the dashboard."""
