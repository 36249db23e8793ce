"""Which unknowns decide a finding, and where it flips: a shallow tree over the draws.

Over the credibility study's draws a finding holds under some parameter sets and not
under others. A classification tree of depth two (scikit-learn) fitted to whether it
holds, from the drawn coefficients, finds the few coefficients that decide it and the
values at which the answer turns over: scenario discovery by a shallow tree, reported as
PRIM reports a box (Bryant & Lempert 2010, *Thinking inside the box*): the *coverage*
(the share of the draws in which the finding holds that the rule picks out) and the
*density* (the share of the draws the rule picks out in which it holds).

A rule counts only if it predicts draws it was not fitted to: the tree is fitted to half
the draws and scored on the other half by balanced accuracy, which must beat chance (0.5)
by two of its standard errors under no signal (for the test half's counts of each
outcome); its coverage and density are measured on that half too. Else no coefficient
decides the finding (it turns on chance, or on many unknowns at once).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

DEPTH = 2  # a rule a researcher can state in one sentence: at most two conditions a branch
# the fewest draws a leaf may hold, as a share of the draws: no rule for a handful of draws
LEAF_SHARE = 0.05
SIGMAS = 2.0  # how far above chance the held-out balanced accuracy must be


@dataclass(frozen=True)
class BreakEven:
    """Where a finding flips, if any coefficient decides it."""

    decided: bool
    rule: str  # the region where the finding holds, e.g. "early_warning > 0.21"
    deciders: tuple[str, ...]  # the coefficients the rule uses, most important first
    coverage: float  # of the draws where it holds, the share the rule picks out
    density: float  # of the draws the rule picks out, the share where it holds
    accuracy: float  # balanced accuracy on the held-out half
    needed: float  # the accuracy a rule must reach to count

    def sentence(self, finding: str) -> str:
        if not self.decided:
            return f"No coefficient decides {finding}."
        return (
            f"{finding} holds when {self.rule}, and mostly not otherwise "
            f"(coverage {self.coverage:.0%}, density {self.density:.0%})."
        )


def break_even(
    x: np.ndarray,
    names: list[str],
    holds: np.ndarray,
    seed: int,
    groups: np.ndarray | None = None,
    shared: int = 0,
) -> BreakEven:
    """The rule that decides ``holds`` (n,) from the draws ``x`` (n, coefficients).

    The tree is fitted to half the draws and judged, with its coverage and density, on the
    other half. ``groups`` names the posterior particle each draw was resampled from, and
    the first ``shared`` columns are the particle's own (the calibrated coefficients, the
    same in every draw of it; the others are drawn afresh in each draw). A rule on the
    fresh columns is judged on a half of the draws; a rule that may read a particle's own
    values, on a half of the particles, counted by particle (its draws are not independent
    evidence about those values). The first of the two that decides is kept."""
    holds = np.asarray(holds, bool)
    n = len(holds)
    nothing = _undecided(holds)
    if holds.all() or not holds.any() or n < 8:
        return nothing
    tries = []
    if groups is None or shared == 0:
        tries.append((np.arange(x.shape[1]), np.arange(n)))
    else:
        tries.append((np.arange(shared, x.shape[1]), np.arange(n)))  # the fresh columns
        tries.append((np.arange(x.shape[1]), np.asarray(groups)))  # any, by particle
    best = nothing
    for columns, labels in tries:
        if len(columns) == 0:
            continue
        found = _judged(x[:, columns], [names[c] for c in columns], holds, seed, labels)
        if found.decided:
            return found
        best = max(best, found, key=lambda b: b.accuracy - b.needed)
    return best


def _judged(
    x: np.ndarray, names: list[str], holds: np.ndarray, seed: int, labels: np.ndarray
) -> BreakEven:
    """A depth-2 tree fitted to the draws of half the ``labels`` and judged on the rest,
    chance's spread counted in labels."""
    from sklearn.tree import DecisionTreeClassifier

    nothing = _undecided(holds)
    fit, test = _halves(labels, seed)
    if len(set(holds[test])) < 2 or len(set(holds[fit])) < 2:
        return nothing  # a half with one outcome can neither teach nor judge a rule
    leaf = max(2, int(np.ceil(LEAF_SHARE * len(fit))))
    model = DecisionTreeClassifier(
        max_depth=DEPTH, min_samples_leaf=leaf, class_weight="balanced", random_state=seed
    ).fit(x[fit], holds[fit])
    picked = model.predict(x[test]).astype(bool)
    truth = holds[test]
    accuracy = _balanced_accuracy(truth, picked)
    # balanced accuracy of a rule that knows nothing: 0.5, with this spread on the test half
    ones = len(np.unique(labels[test][truth]))
    zeros = len(np.unique(labels[test][~truth]))
    needed = 0.5 + SIGMAS * 0.25 * np.sqrt(1 / ones + 1 / zeros)
    rule, named = _rule(model, names)
    importance = model.feature_importances_
    used = tuple(names[i] for i in np.argsort(-importance) if i in named)  # most important first
    decided = bool(accuracy >= needed and used)
    return BreakEven(
        decided,
        rule if decided else "",
        used if decided else (),
        float(picked[truth].mean()),  # coverage, on draws the rule was not fitted to
        float(truth[picked].mean()) if picked.any() else 0.0,  # density, likewise
        accuracy,
        float(needed),
    )


def _undecided(holds: np.ndarray) -> BreakEven:
    """No rule: what a finding no coefficient decides reports."""
    return BreakEven(False, "", (), float(holds.any()), float(holds.mean()), 0.5, 1.0)


def _halves(labels: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The draws of half the labels (at random) to fit, the rest to judge."""
    unique = np.random.default_rng(seed).permutation(np.unique(labels))
    first = np.isin(labels, unique[: len(unique) // 2])
    return np.flatnonzero(first), np.flatnonzero(~first)


def _balanced_accuracy(truth: np.ndarray, predicted: np.ndarray) -> float:
    rates = [(predicted[truth == c] == c).mean() for c in (True, False) if (truth == c).any()]
    return float(np.mean(rates))


def _rule(model: object, names: list[str]) -> tuple[str, set[int]]:
    """The tree's leaves that predict "holds", as conditions joined by "or", and the
    coefficients (indices) those conditions name."""
    t = model.tree_
    branches: list[str] = []
    named: set[int] = set()

    def leaf(node: int) -> bool:
        return t.children_left[node] == t.children_right[node]

    def holds_throughout(node: int) -> bool:
        if leaf(node):
            return bool(model.classes_[int(np.argmax(t.value[node][0]))])
        return holds_throughout(t.children_left[node]) and holds_throughout(t.children_right[node])

    def walk(node: int, conditions: list[tuple[int, str]]) -> None:
        if holds_throughout(node):  # a split whose both sides hold says nothing: merged
            branches.append(" and ".join(c for _, c in conditions) or "always")
            named.update(i for i, _ in conditions)
            return
        if leaf(node):
            return
        i, cut = int(t.feature[node]), f"{t.threshold[node]:.3g}"
        walk(t.children_left[node], [*conditions, (i, f"{names[i]} ≤ {cut}")])
        walk(t.children_right[node], [*conditions, (i, f"{names[i]} > {cut}")])

    walk(0, [])
    text = branches[0] if len(branches) == 1 else " or ".join(f"({b})" for b in branches)
    return text, named
