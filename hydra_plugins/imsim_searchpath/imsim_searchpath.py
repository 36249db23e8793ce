"""Folders of one's own configs on Hydra's search path, after the package's.

``$IMSIM_CONFIG_PATH`` names them (``imsim.config.files.user_folders``), so a scenario,
integration preset, coefficients or study of one's own composes in the ``imsim`` command,
``imsim.compose``, ``MissionModel``, sweeps (and their launched jobs), calibration and the
dashboard alike.
"""

from __future__ import annotations

from hydra.core.config_search_path import ConfigSearchPath
from hydra.plugins.search_path_plugin import SearchPathPlugin


class ImsimSearchPathPlugin(SearchPathPlugin):
    def manipulate_search_path(self, search_path: ConfigSearchPath) -> None:
        from imsim.config.files import user_folders

        for folder in user_folders():
            search_path.append(provider="imsim-user", path=f"file://{folder}")
