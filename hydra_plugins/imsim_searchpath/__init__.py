"""Hydra finds imsim users' own config folders here (``$IMSIM_CONFIG_PATH``)."""
