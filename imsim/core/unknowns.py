"""What is not known about each assumed coefficient: where its mechanism has no effect.

A coefficient with no published magnitude (basis **A**) gets a prior that can say "we do
not know whether this mechanism exists": from the value at which the mechanism has no
effect up to a stated plausible maximum, uniform over that span, never half to twice a
default someone chose. The value that switches a mechanism off was read from its rule
(the helper tables behind docs/parameters.md record the formula for each):

- ``effect``: a rate, weight, gain or share of something removed; no effect at 0; the
  prior runs 0 to twice the default (at most 1 for a share), unless ``HIGH`` says more;
- ``neutral_at_one``: a factor relative to a reference actor (stickiness, distinctness,
  acceptance of escorts and assets); no effect at 1, where the actor is as the reference;
  the prior runs half the default to 1 (to twice the default where that exceeds 1);
- ``threshold``: where a smooth switch or a condition sits; no effect where it never
  bites (``THRESHOLDS``); the prior runs from that value to half or twice the default;
- ``pace`` and ``level``: how fast a state follows its target, a duration, a base level, a
  width or a month-0 condition. They switch nothing off (0 freezes a state, empties a
  country or divides by zero), so they keep a log-uniform prior of half to twice the
  default and docs/parameters.md says so.

Where the sources disagree on a direction, the model carries both directions as two
effects that each start at 0: QIPs associate humanitarians with the mission (``assoc_qip``,
004 guidance ¶37) and reach people humanitarians cannot (``qip_reach``, guidance ¶41-42),
so their net effect on people reached and on deaths can take either sign.
"""

from __future__ import annotations

from typing import Literal

Kind = Literal["effect", "neutral_at_one", "threshold", "pace", "level"]

# How fast a state moves towards its target, or how long a process takes: zero would
# freeze the state (or make it instant), which is not the mechanism switched off.
PACES = (
    "recovery_rate",
    "violence_speed",
    "ngo_withdraw_speed",
    "control_decline",
    "settlement_growth",
    "forward_transition",
    "resettle_rate",
    "capacity_growth",
    "coherence_speed",
    "exit_months",
    "drawdown_months",
)
# Base levels, widths of smooth switches, month-0 conditions and the network's damping:
# values the model needs, with nothing to switch off.
LEVELS = (
    "tolerance_principled_low",
    "tolerance_principled_high",
    "tolerance_multi_mandate_low",
    "tolerance_multi_mandate_high",
    "security_violence_range",
    "cluster_width",
    "withdraw_width",
    "violence_conflict",
    "violence_transition",
    "violence_consolidation",
    "relapse_consolidation",
    "relapse_calm",
    "settlement_own_pace",
    "returns_without_access",
    "returns_uncleared",
    "safe_return_width",
    "camp_relative",
    "camp_relative_width",
    "camp_violence_width",
    "deploy_base",
    "force_cover",
    "last_resort_width",
    "hc_demand_base",
    "rc_demand_base",
    "robust_width",
    "need_baseline",
    "integrated_office",
    "network_damping",
)
START_LEVELS = "start_"  # every month-0 condition by phase (compile/world.py) is a level
NEUTRAL_AT_ONE = (
    "stickiness_unhcr",
    "stickiness_principled",
    "stickiness_multi_mandate",
    "distinctness_ocha_inside",
    "distinctness_unhcr",
    "distinctness_principled",
    "distinctness_multi_mandate",
    "distinctness_mission",
    "escorts_ngo",
    "escorts_un_humanitarian_led",
    "assets_ngo",
)
# threshold -> the value at which it never bites (violence and control run 0..1; a
# condition at 0 is always met; a smooth switch is off five of its default widths past
# the far end, where it is under 1% on)
THRESHOLDS = {
    "failure_violence": 1.0,  # the promise of security never fails
    "security_calm_violence": 1.0,  # the security phase never rises with violence
    # only an OCHA seen as nearly wholly partisan deters NGOs (neutrality below about 0.2;
    # a coefficient cannot go below 0, where the switch would be wholly off)
    "cluster_ocha_neutrality": 0.0,
    "relapse_max": 1.0,  # no cap on the relapse hazard
    "returns_max": 1.0,  # no cap on returns
    "safe_return_violence": 1.3,  # UNHCR judges every region safe (width 0.06)
    "camp_violence": 1.25,  # UNHCR never asks for camp security (width 0.05)
    "last_resort_violence": 1.25,  # escorts as a last resort are never offered (width 0.05)
    "election_ripeness": 0.0,  # elections gain settlement whatever local capacity
    "elections_ripe_share": 0.0,  # the SRSG does not wait for regions past conflict ...
    "elections_settlement": 0.0,  # ... nor for the settlement ...
    "elections_strength": 0.0,  # ... nor for the mission's strength
    "robust_control": 1.5,  # robust operations never triggered (control <= 1, width 0.07)
}
# Upper ends other than twice the default, each forced by its formula or a source:
HIGH = {
    "security_violence_levels": 4.0,  # the phase is capped at 5: more only steepens the ramp
    "qip_screen_base": 0.4,  # base + attention must stay <= 1 (1 - screening is a share)
    "qip_screen_attention": 0.6,
    "elections_settlement": 0.9,  # a national settlement of 1 is never reached
    "partisanship_backs_government": 1.0,
}
# Effects whose "no effect" is not 0: backing the government is no more partisan than
# impartiality at partisanship_impartial's default (guidance ¶36, ¶38); the rule takes the
# larger of the two, so wherever impartiality is drawn higher, a value below it is no effect.
NO_EFFECT = {"partisanship_backs_government": 0.35}


def kind(name: str) -> Kind:
    if name in PACES:
        return "pace"
    if name in LEVELS or name.startswith(START_LEVELS):
        return "level"
    if name in NEUTRAL_AT_ONE:
        return "neutral_at_one"
    if name in THRESHOLDS:
        return "threshold"
    return "effect"


def no_effect(name: str) -> float | None:
    """The value at which the coefficient's mechanism has no effect (None: a pace or a
    level, which switch nothing off)."""
    k = kind(name)
    if k == "effect":
        return NO_EFFECT.get(name, 0.0)
    if k == "neutral_at_one":
        return 1.0
    if k == "threshold":
        return THRESHOLDS[name]
    return None


def assumed_range(name: str, default: float, share: bool) -> tuple[float, float, str]:
    """(low, high, distribution) of an assumed coefficient's prior; ``share``: a
    coefficient whose default is at most 1 and that is capped at 1 (not ``UNCAPPED``)."""
    cap = 1.0 if share else float("inf")
    twice = min(2.0 * default, cap) if default > 0 else 0.1
    high = HIGH.get(name, twice)
    off = no_effect(name)
    if default == 0:  # a start at nothing: up to a small amount
        return 0.0, 0.1, "uniform"
    if off is None:
        return default / 2, min(2.0 * default, cap), "loguniform"
    if kind(name) == "neutral_at_one":
        return default / 2, max(1.0, high), "uniform"
    if off > default:  # an off value above the default: the prior runs up to it
        return min(default / 2, off), off, "uniform"
    return off, high, "uniform"
