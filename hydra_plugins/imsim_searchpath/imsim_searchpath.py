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
        """Only for imsim's own configs (another Hydra app in the same environment is left
        as it is); a bad entry is left to imsim's own one-line check."""
        from pathlib import Path

        from imsim.config.errors import ConfigError
        from imsim.config.files import config_dir, user_folders

        mains = [e.path for e in search_path.get_path() if e.provider == "main"]
        ours = str(config_dir())
        if not any(m and Path(str(m).removeprefix("file://")) == Path(ours) for m in mains):
            return
        try:
            folders = user_folders()
        except ConfigError:
            return
        for folder in folders:
            search_path.append(provider="imsim-user", path=f"file://{folder}")
