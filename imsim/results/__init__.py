"""Results: the labelled Dataset, its documented summaries, and atomic storage."""
