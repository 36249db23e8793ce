"""Sweeps: a grid of configs evaluated in chunks through the batched engine.

``grid`` expands overrides into points and chunks, ``evaluate`` runs a
chunk, ``store`` writes chunks and merges them into ``sweep.nc``,
``progress`` reports, and ``job`` is what each Hydra job runs. The Hydra
plugin itself lives in ``hydra_plugins.imsim_sweeper``.
"""
