"""The debrief: what the room decided, what happened, and where it mattered most.

Pivotal moments are computed, not written: for every closed turn, every
lever of every role is set, one at a time, to each of its alternatives
(``Lever.alternatives``) at that turn's first month, with the room's later
decisions kept, and the batched engine runs each from the live state to
the session's last month. All alternatives draw the live run's random
streams (``branch``), so a difference at the end is the decision's effect,
not luck. Each effect is the mean of the paired differences over replicates,
with its 95% interval (Student's t); a moment is listed only when the interval of
at least one of its effects excludes zero, so no effect the replicates cannot tell
from none is shown as one. A role's pivotal moments are the two or three (turn,
lever, alternative) with the largest such effect on humanitarian space and on the
share of people in consolidation at the end.
"""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from scipy.stats import t as student_t

from ..engines.mesa.live import EVENTS
from ..results.storage import atomic_write
from .branch import branch
from .figures import national_curves
from .roles import ROLES
from .session import Session, plain_words

EFFECTS = ("humanitarian_space", "consolidation")


@dataclass
class Moment:
    role: str
    turn: int
    month: int
    lever: str
    chosen: Any
    alternative: Any
    space: float  # change in humanitarian space at the end, mean over replicates
    consolidation: float  # change in the share of people in consolidation at the end
    space_half: float = 0.0  # half-widths of their 95% intervals over replicates
    consolidation_half: float = 0.0

    @property
    def size(self) -> float:
        return abs(self.space) + abs(self.consolidation)

    @property
    def clear(self) -> bool:
        """Whether the interval of either effect excludes zero."""
        return (
            abs(self.space) > self.space_half or abs(self.consolidation) > self.consolidation_half
        )

    def words(self) -> str:
        lever = ROLES[self.role].lever(self.lever).label
        other, chosen = plain_words(self.alternative), plain_words(self.chosen)

        def effect(mean: float, half: float) -> str:
            return f"{mean:+.3f} ({mean - half:+.3f} to {mean + half:+.3f})"

        return (
            f"turn {self.turn} (month {self.month}): {lever} {other} instead "
            f"of {chosen}: humanitarian space {effect(self.space, self.space_half)}, "
            f"consolidation {effect(self.consolidation, self.consolidation_half)}"
        )


def pivotal(session: Session, replicates: int = 8, per_role: int = 3) -> dict[str, list[Moment]]:
    """Each role's ``per_role`` most consequential other choices (see the module's text)."""
    stop = session.month
    found: dict[str, list[Moment]] = {r: [] for r in ROLES}
    for turn in session.turns:
        start = turn.month - 1
        chosen = session.in_force(turn.month)
        options = {
            f"{r.name}|{lv.key}|{i}": (r.name, lv.key, alt)
            for r in ROLES.values()
            for lv in r.levers
            for i, alt in enumerate(lv.alternatives(chosen[lv.key]))
        }
        alternatives = {"room": {}} | {k: {key: alt} for k, (_, key, alt) in options.items()}
        fan = branch(
            session.live.cfg,
            session.live.states[start],
            start,
            alternatives,
            stop - start,
            replicates,
        )
        end = {name: fan.series[name][:, :, -1] for name in EFFECTS}  # (alternative, replicate)
        t = float(student_t.ppf(0.975, replicates - 1))
        for i, (name, key, alt) in enumerate(options.values(), start=1):
            paired = [end[n][i] - end[n][0] for n in EFFECTS]  # per replicate
            (space, consolidation) = (float(d.mean()) for d in paired)
            halves = [t * float(d.std(ddof=1)) / np.sqrt(d.size) for d in paired]
            moment = Moment(
                name, turn.number, turn.month, key, chosen[key], alt, space, consolidation, *halves
            )
            if moment.clear:
                found[name].append(moment)
    return {r: _distinct(m, per_role) for r, m in found.items()}


def _distinct(moments: list[Moment], n: int) -> list[Moment]:
    """The ``n`` largest, each other choice at its most consequential turn only."""
    best: dict[tuple[str, Any], Moment] = {}
    for m in sorted(moments, key=lambda m: -m.size):
        best.setdefault((m.lever, m.alternative), m)
    return list(best.values())[:n]


def _rows(session: Session) -> dict[str, list[list[str]]]:
    decisions = [
        [str(t.number), str(t.month), ROLES[r].title, d.player, d.words()]
        for t in session.turns
        for r, d in t.decisions.items()
    ]
    events = [
        [str(t.number), str(t.month), EVENTS[label][1]] for t in session.turns for label in t.events
    ]
    counterfactuals = [
        [str(c["turn"]), str(c["month"]), f"{c['horizon']} months", label]
        + [f"{v[1]:.2f} ({v[0]:.2f}-{v[2]:.2f})" for v in (end[n] for n in EFFECTS)]
        for c in session.counterfactuals
        for label, end in c["end"].items()
    ]
    return {"decisions": decisions, "events": events, "counterfactuals": counterfactuals}


HEADERS = {
    "decisions": ["turn", "month", "role", "player", "decision"],
    "events": ["turn", "month", "event"],
    "counterfactuals": [
        "turn",
        "month",
        "horizon",
        "branch",
        "humanitarian space at the end (5-95%)",
        "consolidation at the end (5-95%)",
    ],
}


def _table(name: str, rows: list[list[str]]) -> str:
    if not rows:
        return "<p>None.</p>"
    head = "".join(f"<th>{html.escape(h)}</th>" for h in HEADERS[name])
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def _png(fig: Figure) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return base64.b64encode(buffer.getvalue()).decode()


STYLE = """body{font-family:sans-serif;max-width:1100px;margin:2em auto;font-size:17px}
table{border-collapse:collapse;margin:0.5em 0 1.5em}td,th{border:1px solid #bbb;padding:4px 8px;
text-align:left}th{background:#eee}h1{font-size:30px}h2{font-size:24px;margin-top:1.5em}"""


def to_html(session: Session, moments: dict[str, list[Moment]]) -> str:
    rows = _rows(session)
    cfg = session.live.cfg
    pivotal_html = "".join(
        f"<h3>{html.escape(ROLES[r].title)}</h3><ol>"
        + "".join(f"<li>{html.escape(m.words())}</li>" for m in ms)
        + "</ol>"
        for r, ms in moments.items()
        if ms
    )
    return f"""<!doctype html><html><head><meta charset="utf-8">
<title>imsim debrief {session.code}</title><style>{STYLE}</style></head><body>
<h1>Debrief: {html.escape(str(cfg.scenario_name))}, session {session.code}</h1>
<p>{len(session.turns)} turns, {session.month} months, seed {session.seed}.</p>
<h2>Outcomes</h2><img alt="national curves" style="width:100%"
 src="data:image/png;base64,{_png(national_curves(session))}">
<h2>Decisions by role</h2>{_table("decisions", rows["decisions"])}
<h2>Events</h2>{_table("events", rows["events"])}
<h2>What-ifs asked during the session</h2>{_table("counterfactuals", rows["counterfactuals"])}
<h2>Pivotal moments</h2><p>For each role, the other choices that would have changed
humanitarian space or consolidation at the end most (the room's later decisions kept, the
same random streams; mean over replicates and its 95% interval). A choice is listed only
when an interval excludes zero; a role with none listed made no choice the replicates can
tell apart from its alternatives.</p>{pivotal_html}
</body></html>"""


def write_debrief(session: Session, folder: Path, replicates: int = 8) -> tuple[Path, Path]:
    """``debrief.html`` and ``debrief.pdf`` in ``folder``, each written atomically; the PDF
    is typeset from the same HTML (xhtml2pdf), so the two say the same thing the same way."""
    from xhtml2pdf import pisa

    moments = pivotal(session, replicates)
    folder = Path(folder)
    page = to_html(session, moments)
    html_path = atomic_write(folder / "debrief.html", lambda tmp: tmp.write_text(page))

    def write(tmp: Path) -> None:
        with tmp.open("wb") as out:
            result = pisa.CreatePDF(page, dest=out, encoding="utf-8")
        if result.err:
            raise OSError(f"the debrief's PDF could not be typeset ({result.err} errors)")

    return html_path, atomic_write(folder / "debrief.pdf", write)
