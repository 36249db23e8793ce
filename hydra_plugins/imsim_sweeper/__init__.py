"""Hydra discovers the imsim sweeper here (``hydra/sweeper=imsim``)."""
