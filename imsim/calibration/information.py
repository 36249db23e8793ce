"""The value of information: which measurement would most narrow an undecided finding.

Over the credibility study's draws, a finding holds or not; a quantity that varies with
the draws (a coefficient, or a calibration target's simulated statistic) is informative
about the finding to the extent that knowing it would make the verdict certain. The
expected reduction of the verdict's entropy on learning the quantity is their mutual
information; as a share of the verdict's entropy it is the share of the doubt a
measurement of that quantity is expected to remove (a preposterior value of information
with an all-or-nothing loss). The quantity is binned at its quantiles, and the estimate is
corrected for the upward bias of a plug-in estimate from few draws (Miller 1955).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

BINS = 5  # quantile bins of a quantity: enough to see a threshold, few enough for 100 draws


def _entropy(counts: np.ndarray) -> float:
    p = counts[counts > 0] / counts.sum()
    return float(-(p * np.log2(p)).sum())


def doubt_removed(quantity: np.ndarray, holds: np.ndarray, bins: int = BINS) -> float:
    """The share of the verdict's entropy that knowing ``quantity`` is expected to remove,
    0..1 (Miller-Madow corrected, floored at 0), over the draws where it is a number."""
    quantity = np.asarray(quantity, float)
    known = np.isfinite(quantity)  # a statistic a draw cannot give (0 / 0) tells nothing
    quantity, holds = quantity[known], np.asarray(holds, bool)[known]
    n = len(holds)
    whole = _entropy(np.bincount(holds, minlength=2))
    if whole == 0.0 or n < 2 * bins:
        return 0.0
    edges = np.unique(np.quantile(quantity, np.linspace(0, 1, bins + 1)[1:-1]))
    cell = np.searchsorted(edges, quantity, side="right")
    cells = np.unique(cell)
    within = sum(
        (cell == c).sum() / n * _entropy(np.bincount(holds[cell == c], minlength=2)) for c in cells
    )
    # Miller-Madow: with K bins and two outcomes, the plug-in mutual information of two
    # independent quantities is (K - 1) / (2 n ln 2) bits on average
    bias = (len(cells) - 1) / (2 * n * np.log(2))
    return float(max(0.0, (whole - within - bias) / whole))


def ranking(quantities: Mapping[str, np.ndarray], holds: np.ndarray) -> list[tuple[str, float]]:
    """Every quantity with the share of doubt it removes, the most informative first."""
    scored = [(name, doubt_removed(np.asarray(q, float), holds)) for name, q in quantities.items()]
    return sorted(scored, key=lambda item: -item[1])


def with_measurement(
    holds: np.ndarray, statistic: np.ndarray, observed: float, sd: float
) -> tuple[float, float]:
    """What a measurement would do to a finding: the share of the draws in which it holds
    once each draw is weighted by how well its simulated ``statistic`` matches
    ``observed`` (a Gaussian error of ``sd``), and the effective number of draws left
    (Kish). The weights are importance weights of a new target on the posterior draws: a
    quick answer before stating the target and calibrating again."""
    if not sd > 0:
        raise ValueError(f"sd: bad value {sd!r}; allowed: a positive number")
    z = (np.asarray(statistic, float) - observed) / sd
    known = np.isfinite(z)  # a draw that cannot give the statistic (0 / 0) weighs nothing
    if not known.any():
        return float("nan"), 0.0
    z2 = np.where(known, z, np.inf) ** 2
    w = np.exp(-0.5 * (z2 - z2.min()))  # shifted: the best draw weighs 1, none underflow
    w = w / w.sum()
    return float((w * np.asarray(holds, bool)).sum()), float(1.0 / (w**2).sum())
