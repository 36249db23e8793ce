"""Calibration (ABC-SMC with pyabc) and the credibility of findings over its posterior:
imsim's calibration extra (``pip install 'imsim[calibration]'``)."""

from ..extras import require

require("calibration", "calibration and credibility")
