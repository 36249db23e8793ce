"""Coefficients of the model's functional forms, with their defaults.

Each default is traced in docs/ODD.md (section "Parameters") to a source
passage or marked as an assumption. Every field can be overridden from the
config (``calibration.<name>=...``) and swept; in the core each is a (B,)
array so one batch can hold several calibrations.
"""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Calibration:
    # --- perceived neutrality (004 report ¶25, ¶30-32; guidance ¶35-36)
    erosion_rate: float = 0.12  # monthly pull of neutrality towards a lower target
    recovery_rate: float = 0.012  # monthly pull upwards, times the actor's distinctness
    phase_partisanship_conflict: float = 1.0  # partisanship weight by phase ...
    phase_partisanship_transition: float = 0.55
    phase_partisanship_consolidation: float = 0.12  # ... genuine post-conflict (report ¶29)
    partisanship_impartial: float = 0.35  # base partisanship of an impartial mission
    partisanship_backs_government: float = 0.75  # mission backing one party (guidance ¶36, ¶38)
    partisanship_robust: float = 0.25  # robust operations against spoilers
    partisanship_failure: float = 0.4  # unmet promise of security (guidance ¶36: DRC)
    partisanship_authority: float = 0.15  # backing an authority that abuses
    # --- operational association (report ¶63; guidance ¶37, ¶45, ¶55)
    assoc_escort: float = 1.0
    assoc_assets: float = 0.12
    assoc_qip: float = 0.3
    assoc_branding: float = 0.12
    assoc_info: float = 0.06
    assoc_cluster: float = 0.1
    # --- access (report ¶63; guidance ¶45-48)
    access_base: float = 0.1
    access_neutrality: float = 0.75
    access_violence: float = 0.7
    access_escort: float = 0.6
    access_flights: float = 0.08
    access_demining: float = 0.06
    access_negotiation: float = 0.12
    access_protection: float = 0.1
    security_restriction: float = 0.6  # share of access lost at security phase 5 (guidance ¶47)
    area_based_relief: float = 0.5  # humanitarian-led, area-based management keeps this share
    # --- aid-worker incidents and NGO presence (report ¶59; guidance ¶36)
    incident_rate: float = 1.2  # expected incidents per actor-region-month at v=1, N=0
    ngo_withdraw_speed: float = 0.3
    # --- violence, control and phases (guidance ¶22-23; 001 §4c)
    violence_conflict: float = 0.6
    violence_transition: float = 0.25
    violence_consolidation: float = 0.06
    violence_speed: float = 0.3
    violence_noise: float = 0.05
    violence_control: float = 0.15
    violence_protection: float = 0.35
    violence_robust: float = 0.08
    spillover: float = 0.1
    control_growth: float = 0.08
    control_robust: float = 0.1
    control_decline: float = 0.03
    forward_conflict: float = 0.12  # monthly hazard conflict -> transition at full settlement
    forward_transition: float = 0.06  # transition -> consolidation at full capacity
    relapse_transition: float = 0.02  # transition -> conflict base hazard
    relapse_consolidation: float = 0.006
    relapse_needs: float = 1.5  # unmet needs multiply relapse
    relapse_capacity: float = 2.0  # missing local capacity multiplies relapse (001 §4b)
    mission_shield: float = 0.6  # share of relapse hazard a full mission removes
    settlement_growth: float = 0.05
    settlement_decay: float = 0.04
    election_ripeness: float = 0.45  # local capacity needed for elections to consolidate
    # --- displacement and returns (report ¶77-79; 001 §3a Katanga)
    displacement_rate: float = 0.006  # share of residents displaced per month at v=1
    return_rate: float = 0.09  # monthly share returning in good conditions
    joint_plan_returns: float = 8.0  # extra factor from a joint plan with a mobile base
    pushed_return_rate: float = 0.06
    demining_rate: float = 0.05
    # --- civilian harm and protection (report ¶64-69; guidance ¶49-50)
    harm_rate: float = 4e-4  # civilians harmed per person-month at v=1
    troop_scale: float = 600.0  # troops per 100,000 people for 63% protection
    camp_priority: float = 2.0
    mob_priority: float = 30.0  # weight of the focal region under a mobile operating base
    # --- leadership and coherence (001 §3, §3a; 002; 003)
    attention_mission_base: float = 0.3
    attention_mission_growth: float = 0.5
    support_office_capacity: float = 0.9
    coherence_scale: float = 1.6  # diminishing returns of integration (001 §3)
    coherence_speed: float = 0.1
    coordination_cost: float = 0.08
    # --- local capacity (001 §4b, §5; 004 report ¶34)
    capacity_growth: float = 0.04
    capacity_drain: float = 0.005  # two-tier civil service
    capacity_damage: float = 0.02
    # --- mission lifecycle (guidance ¶45; 001 §4c)
    exit_months: float = 6.0
    drawdown_months: float = 24.0


CALIBRATION_FIELDS = tuple(f.name for f in fields(Calibration))
