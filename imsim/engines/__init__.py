"""The two engines: batched numpy and Mesa, one model."""
