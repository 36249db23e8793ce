"""Coefficients of the model's functional forms, with their defaults.

Each default is traced in docs/ODD.md (section "Parameters") to a source
passage or marked as an assumption. Every field can be overridden from the
config (``coefficients.<name>=...``) and swept; in the core each is a (B,)
array so one batch can hold several calibrations.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from .unknowns import assumed_range


@dataclass(frozen=True)
class Coefficients:
    # --- perceived neutrality (004 report ¶30-32; guidance ¶35-36, ¶42; rates assumed)
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
    partisanship_partner: float = 0.5  # a non-UN coalition at war beside the mission
    abuse_at_war: float = 0.6  # abuse by an authority at war with no capacity (001 §4b)
    failure_violence: float = 0.4  # violence above which the promise of security has failed
    failure_scale: float = 2.0  # failure per unit of violence above that
    # --- operational association (report ¶63; guidance ¶37, ¶45, ¶55)
    assoc_escort: float = 1.0
    assoc_assets: float = 0.12
    assoc_qip: float = 0.3
    assoc_branding: float = 0.12
    assoc_info: float = 0.06
    assoc_cluster: float = 0.1
    stickiness_unhcr: float = 0.9  # how much association sticks to an actor (report ¶34-35)
    stickiness_principled: float = 0.7
    stickiness_multi_mandate: float = 0.8
    distinctness_ocha_inside: float = 0.35  # OCHA without its own premises (guidance ¶40)
    distinctness_unhcr: float = 0.9  # speed of recovery of neutrality, relative
    distinctness_principled: float = 1.0
    distinctness_multi_mandate: float = 0.8
    distinctness_mission: float = 0.2
    branding_distinctness_loss: float = 0.4  # distinctness a shared "UN" brand costs agencies
    # risk tolerance of principled NGOs, as victims per 10,000 aid workers a year ...
    tolerance_principled_low: float = 12.0
    tolerance_principled_high: float = 18.0
    tolerance_multi_mandate_low: float = 18.0  # ... and of multi-mandate NGOs
    tolerance_multi_mandate_high: float = 26.0
    collective_image: float = 0.5  # share of the others' links that sticks to each actor
    association_scale: float = 1.5  # association = 1 - exp(-scale x exposure to the mission)
    branding_ngo: float = 0.5  # share of the "UN" brand's link that sticks to NGOs
    # --- access (report ¶63; guidance ¶45-48)
    access_insecurity: float = 0.5  # access lost to insecurity at violence 1, by anyone
    access_logistics: float = 0.15  # access lost to uncleared routes and roads
    access_denial: float = 1.6  # targeted denial at violence 1 of an actor with no neutrality
    access_escort: float = 0.5  # share of insecurity an escort removes
    access_flights: float = 0.8  # share of the logistics loss mission flights and assets remove
    access_negotiation: float = 0.3  # share of denial OCHA's negotiation removes
    access_protection: float = 0.3  # share of insecurity troops' protection removes
    security_restriction: float = 0.6  # share of access lost at security phase 5 (guidance ¶47)
    area_based_relief: float = 0.5  # humanitarian-led, area-based management keeps this share
    security_calm_violence: float = 0.1  # violence below which the security phase is 1
    security_violence_range: float = 0.8  # violence range over which it rises ...
    security_violence_levels: float = 3.0  # ... by this many levels
    posture_shift: float = 0.75  # levels a risk-averse (enabling) posture adds (removes)
    one_size_fits_all: float = 0.5  # pull towards the worst region's level, mission-led
    # --- aid workers and attacks on them (report ¶59; guidance ¶36; AWSD)
    workers_per_million: float = 16.0  # aid workers per US$1 million a year (ALNAP ÷ GHA 2010)
    workforce_ocha: float = 0.02  # OCHA's share of the humanitarian workforce ...
    workforce_unhcr: float = 0.18  # ... UNHCR's, standing for the UN agencies; NGOs the rest
    mission_civilian_staff: float = 3000.0  # the mission's civilians at full footprint
    national_staff_share: float = 0.9  # share of aid workers who are national staff
    international_risk: float = 1.7  # an international's risk relative to a national's
    incidents_crime: float = 1.0  # victims per 10,000 aid workers a year, everywhere ...
    incidents_insecurity: float = 15.0  # ... plus this at violence 1, whoever they are ...
    incidents_targeted: float = 25.0  # ... plus this at violence 1 with no neutrality left
    security_info: float = 0.2  # share of insecurity victims shared security information spares
    ngo_withdraw_speed: float = 0.3
    restricted_exposure: float = 0.5  # share of exposure a restricted actor avoids
    guarded_mission: float = 0.5  # share of incidents troops prevent for mission staff
    escorts_ngo: float = 0.8  # multi-mandate NGOs' acceptance of escorts (assumption)
    escorts_un_humanitarian_led: float = 0.6  # UN agencies' acceptance, humanitarian-led
    assets_ngo: float = 0.5  # multi-mandate NGOs' use of shared assets, relative to UN agencies
    cluster_principled_reluctance: float = 0.3  # principled NGOs' lower cluster membership
    cluster_ocha_neutrality: float = 0.55  # OCHA neutrality at which NGOs half-join clusters
    cluster_width: float = 0.08
    withdraw_width: float = 1.5  # width of withdrawal around an NGO's tolerance, same units
    negotiation_inside_loss: float = 0.5  # OCHA inside the mission negotiates less (guidance ¶40)
    # --- violence, control and phases (guidance ¶22-23; 001 §4c)
    violence_conflict: float = 0.6
    violence_transition: float = 0.25
    violence_consolidation: float = 0.06
    violence_speed: float = 0.3
    violence_noise: float = 0.05
    violence_control: float = 0.15
    violence_protection: float = 0.2
    violence_robust: float = 0.08
    early_warning: float = 0.3  # troops' extra effect on violence with full information sharing
    spillover: float = 0.1
    control_growth: float = 0.08
    control_robust: float = 0.1
    control_decline: float = 0.03
    shock_collapse_violence: float = 0.35  # a ceasefire collapse's jump in violence ...
    shock_settlement: float = 0.35  # ... and the settlement lost (gained by an agreement)
    shock_agreement_calm: float = 0.15  # a peace agreement's fall in violence
    control_decline_consolidated: float = 0.5  # extra decline of control once consolidated
    forward_conflict: float = 0.23  # monthly hazard conflict -> transition at full settlement
    forward_transition: float = 0.06  # transition -> consolidation at full capacity
    relapse_transition: float = 0.0018  # transition -> conflict base hazard
    relapse_consolidation: float = 0.0015
    relapse_needs: float = 1.5  # unmet needs multiply relapse
    relapse_capacity: float = 2.0  # missing local capacity multiplies relapse (001 §4b)
    relapse_settlement: float = 2.0  # a settlement that does not hold multiplies it too
    relapse_calm: float = 0.5  # relapse factor without violence ...
    relapse_violence: float = 2.0  # ... plus this per unit of violence
    relapse_max: float = 0.5  # monthly relapse hazard at most
    mission_shield: float = 0.6  # share of relapse hazard full troop protection removes
    settlement_growth: float = 0.05
    settlement_decay: float = 0.04
    election_ripeness: float = 0.45  # local capacity needed for elections to consolidate
    settlement_own_pace: float = 0.3  # the settlement's growth without a mission
    election_settlement: float = 0.2  # settlement gained where elections are ripe (001 §4c)
    election_violence: float = 0.15  # violence where they are not
    elections_ripe_share: float = 0.6  # share of regions past conflict before elections
    elections_settlement: float = 0.5  # mean settlement needed before elections
    elections_strength: float = 0.3  # least mission strength that organises elections
    # --- displacement and returns (report ¶77-79; 001 §3a Katanga)
    displacement_rate: float = 0.004  # share of residents displaced per month at v=1
    returnee_vulnerability: float = 4.0  # returnees not yet re-established: extra exposure
    resettle_rate: float = 0.1  # monthly share of returnees who re-establish themselves
    returnee_exposure: float = 1.0  # returnees' extra exposure to harm on uncleared routes
    flee_neighbours: float = 0.3  # share of the displaced living in neighbouring regions
    return_rate: float = 0.055  # monthly share returning in good conditions
    returns_spontaneous: float = 0.6  # returns without UNHCR's support, relative
    unhcr_resistance: float = 0.5  # share of pushed returns UNHCR's resistance holds back
    joint_plan_returns: float = 6.8  # extra factor from a joint plan with a mobile base
    pushed_return_rate: float = 0.06
    demining_rate: float = 0.05
    return_info: float = 0.3  # extra returns with full information sharing on areas of return
    joint_plan_spread: float = 0.25  # the joint plan's weight away from the mobile base ...
    joint_plan_focus: float = 0.75  # ... plus this where the base is
    returns_without_access: float = 0.4  # return rate factor with no UNHCR access ...
    returns_access: float = 0.6  # ... plus this with full access
    returns_uncleared: float = 0.5  # return rate factor on uncleared routes ...
    returns_cleared: float = 0.5  # ... plus this on cleared ones
    returns_max: float = 0.6  # monthly share of the displaced that can return at most
    safe_return_violence: float = 0.4  # violence above which UNHCR resists returns (¶78-79)
    safe_return_width: float = 0.06
    camp_relative: float = 1.5  # hosted share, relative to the national, for camp security
    camp_relative_width: float = 0.1
    camp_violence: float = 0.25  # ... amid violence above this
    camp_violence_width: float = 0.05
    # --- civilian harm and protection (report ¶64-69; guidance ¶49-50)
    harm_rate: float = 1.5e-5  # civilians killed per person-month at violence 1, unprotected
    troop_scale: float = 55.0  # troops per 100,000 people for 63% protection
    camp_priority: float = 2.0
    joint_plan_protection: float = (
        0.5  # share of a protection mandate's camp cover a joint plan gives
    )
    mob_priority: float = 30.0  # weight of the focal region under a mobile operating base
    deploy_base: float = 0.2  # a region's weight for troops before violence and control
    force_cover: float = 3.0  # protection at which the Force can operate everywhere, inverse
    last_resort_cover: float = 0.35  # escort cover offered as a last resort ...
    last_resort_violence: float = 0.55  # ... where violence exceeds this
    last_resort_width: float = 0.05
    harm_protection: float = 1.0  # share of killings full protection prevents (HKS 2013)
    battle_death_rate: float = 2.9e-6  # battle deaths per person-month at violence 1, no troops
    battle_protection: float = 0.77  # share of battle deaths full protection prevents (HKS 2014)
    # --- UN police (004 guidance ¶25, ¶51; report ¶66; 003 ¶7)
    police_scale: float = 0.9  # police per 100,000 people for 63% policing (HKS 2013, derived)
    police_harm: float = 0.5  # share of killings full policing prevents (HKS 2013: ≈1, contested)
    police_camps: float = 0.5  # share of camp insecurity full policing removes where asked
    # --- the host state's part in access and assistance (004 report ¶58; 001 §4b, §5)
    impediments_base: float = 0.1  # share of humanitarian access a host's red tape takes ...
    impediments_abuse: float = 0.3  # ... plus this times an abusive authority's abuse
    national_assistance: float = 0.5  # unreached need an able, impartial authority meets
    # --- funding, flights and QIPs (004 report ¶24-25, ¶36; guidance ¶41-42, ¶67)
    label_funding_cut: float = 0.19  # humanitarian funding a 'post-conflict' label costs
    flight_priority: float = 0.5  # flights' relief lost to the mission's own priorities
    qip_reach: float = 0.1  # need humanitarians cannot reach that coherent QIPs meet
    # --- deaths from unmet needs (docs/ODD.md §8: crude mortality in emergencies)
    unmet_mortality: float = 2.5e-3  # excess deaths a month per resident in need not reached
    displaced_mortality: float = 1.6  # a displaced person's excess rate, relative
    # --- leadership and coherence (001 §3, §3a; 002; 003)
    attention_mission_base: float = 0.3
    attention_mission_growth: float = 0.5
    support_office_capacity: float = 0.9
    attention_transition: float = 0.5  # weight of a region in transition in mission duties
    hc_need_displaced: float = 3.0  # weight of the displaced share in humanitarian need
    hc_demand_base: float = 0.25  # the HC hat's demand without need ...
    hc_demand_max: float = 0.75  # ... plus need, up to this
    rc_demand_base: float = 0.2  # the RC hat's demand ...
    rc_demand_transition: float = 0.6  # ... plus this times the share past conflict
    qip_screen_base: float = 0.3  # QIP association an HC review removes ...
    qip_screen_attention: float = 0.5  # ... plus this times the HC's attention (guidance ¶37)
    qip_screen_pool: float = 0.9  # removed by a DSRSG-managed joint pool
    robust_control: float = 0.25  # armed-group control at which robust operations start
    robust_width: float = 0.07
    coherence_scale: float = 1.6  # diminishing returns of integration (001 §3)
    coherence_speed: float = 0.1
    coordination_cost: float = 0.08  # DSRSG attention integration's coordination consumes
    coherence_settlement: float = 1.0  # good offices' extra pace at full coherence (report ¶10)
    coherence_capacity: float = 1.5  # capacity building's extra pace at full coherence
    sharing_apart: float = 0.5  # information sharing lost with the HC and OCHA outside (003 ¶5)
    integration_hc: float = 0.35  # weights of the integration index: HC inside ...
    integration_ocha: float = 0.35  # ... OCHA inside
    integration_joint_plan: float = 0.15
    integration_info: float = 0.1
    integration_assets: float = 0.1
    integration_branding: float = 0.05
    integration_support_office: float = 0.1
    need_baseline: float = 0.05  # share of residents in need without violence
    # --- local capacity (001 §4b, §5; 004 report ¶34)
    capacity_growth: float = 0.04
    capacity_drain: float = 0.005  # two-tier civil service
    capacity_damage: float = 0.02
    # --- mission lifecycle (guidance ¶45; 001 §4c)
    exit_months: float = 6.0
    drawdown_months: float = 24.0
    # --- month 0 by phase, before settling (compile/world.py; ordered by 004 guidance ¶22)
    start_violence_conflict: float = 0.55
    start_violence_transition: float = 0.25
    start_violence_consolidation: float = 0.06
    start_control_conflict: float = 0.35
    start_control_transition: float = 0.15
    start_control_consolidation: float = 0.03
    start_settlement_conflict: float = 0.15
    start_settlement_transition: float = 0.5
    start_settlement_consolidation: float = 0.8
    start_displaced_conflict: float = 0.08  # share of the people displaced
    start_displaced_transition: float = 0.04
    start_displaced_consolidation: float = 0.01
    start_capacity_conflict: float = 0.0  # local capacity added to world.capacity
    start_capacity_transition: float = 0.05
    start_capacity_consolidation: float = 0.25
    # --- the coordination network's edges (compile/network.py; 004 guidance ¶39-40, ¶52-55)
    network_staff_line: float = 0.5  # political and military components to civilian staff
    network_hc_outside: float = 0.1  # DSRSG/RC/HC to the SRSG when the HC sits outside
    network_ocha_srsg: float = 0.5  # OCHA inside the mission's reporting line
    network_unct_unhcr: float = 0.5  # UNHCR in the UNCT/HCT under the RC/HC ...
    network_unct_ngo: float = 0.2  # ... and an NGO in the HCT
    network_cluster_unhcr: float = 0.5  # cluster links through OCHA
    network_cluster_ngo: float = 0.4
    network_assets_unhcr: float = 0.5  # times shared_assets: using the Force's assets
    network_assets_ngo: float = 0.2
    network_branding_unhcr: float = 0.5  # times branding: the shared "UN" image
    network_branding_ngo: float = 0.15
    network_do_mission: float = 0.4  # OCHA and UNHCR under the SRSG as Designated Official ...
    network_do_humanitarian: float = 0.1  # ... or under humanitarian-led security
    network_joint_plan: float = 0.3  # OCHA and UNHCR planning with the Force
    network_info: float = 0.6  # times information_sharing: UNHCR and the political side
    network_damping: float = 0.85  # PageRank's damping: how far association travels
    integrated_office: float = 0.15  # strength of an integrated office (guidance ¶22(3))
    handover_speed: float = 10.0  # capacity handed over per unit of strength drawn down


COEFFICIENT_FIELDS = tuple(f.name for f in fields(Coefficients))


# Plausible ranges: where a published figure bounds a coefficient, its range and source;
# every other coefficient is an assumption (A) whose range is half to twice its default,
# capped at 1 for shares and probabilities. Read by docs/parameters.py (docs/parameters.md)
# and, for calibration, as the prior's support.
PUBLISHED = {
    "forward_conflict": (
        0.12,
        0.4,
        "civil wars last 3.7-7 years (PRIO, The Economist 2013; Collier et al. 2003; Fearon 2004)",
    ),
    "relapse_transition": (
        0.0012,
        0.0025,
        "23-26% within 5 years, ≈40% within 10 (Suhrke & Samset 2007; Collier et al. 2008)",
    ),
    "mission_shield": (
        0.4,
        0.9,
        "peacekeeping cuts relapse risk by 50-85% (Fortna 2004; Gilligan & Sergenti 2008)",
    ),
    "troop_scale": (
        30.0,
        120.0,
        "10,000 troops: −70% battle deaths (HKS 2014) to −98% killings (HKS 2013)",
    ),
    "harm_rate": (1.0e-5, 2.5e-5, "≈106 one-sided killings a month without UN troops (HKS 2013)"),
    "harm_protection": (
        0.6,
        1.0,
        "8,000 troops: −98% one-sided killings (HKS 2013; an upper bound, Kocher's re-analysis)",
    ),
    "police_scale": (
        0.45,
        1.8,
        "200 UN police: one-sided killings 96 → 14 a month (HKS 2013), in a 12-million country",
    ),
    "label_funding_cut": (
        0.0,
        0.4,
        "Sierra Leone's appeal funded 80% in 2001, 65% in 2002 once 'post-conflict' (−19%)",
    ),
    "battle_death_rate": (
        1.5e-6,
        6.0e-6,
        "≈22 battle deaths a month in African civil wars without UN troops (HKS 2014)",
    ),
    "battle_protection": (0.6, 0.95, "10,000 troops: −70% battle deaths (HKS 2014)"),
    "unmet_mortality": (
        2.0e-3,
        5.0e-3,
        "crisis residents die at 1.51× a 0.44/10,000/day baseline (Heudtlass et al. 2016; Sphere)",
    ),
    "displaced_mortality": (
        1.2,
        2.2,
        "IDPs die at 2.5× (2.2–2.9) the baseline, residents 1.51× (Heudtlass et al. 2016)",
    ),
    "workers_per_million": (
        10.0,
        25.0,
        "world workforce ÷ funding: 11.7 (2008), 16.4 (2010), 20 (2013) (ALNAP; GHA)",
    ),
    "workforce_ocha": (0.01, 0.04, "UN staff 22-23% of AWSD victims (2008, 2013)"),
    "workforce_unhcr": (0.1, 0.3, "UN staff 22-23% of AWSD victims (2008, 2013)"),
    "mission_civilian_staff": (
        1500.0,
        6000.0,
        "mission civilians ≈15-40% of troop numbers (MONUC 2010, UNMIS)",
    ),
    "national_staff_share": (0.85, 0.95, ">90% of the workforce in emergencies (ALNAP 2022)"),
    "international_risk": (1.0, 2.5, "81-93% of AWSD victims national (2003-2018)"),
    "incidents_crime": (
        0.5,
        2.0,
        "5.5-10.6 victims per 10,000 aid workers a year worldwide (AWSD ÷ ALNAP)",
    ),
    "incidents_insecurity": (
        8.0,
        25.0,
        "≈15 per 10,000 a year in the worst countries (AWSD, South Sudan 2012)",
    ),
    "incidents_targeted": (
        10.0,
        40.0,
        "29-49% of attacks with a known motive political (Stoddard et al. 2009)",
    ),
    "displacement_rate": (
        0.002,
        0.008,
        "steady displaced shares at war 2-3% (DRC) to 17% (Somalia) and 40% (Darfur)",
    ),
    "return_rate": (0.035, 0.08, "returns 3-5% a month in transition (Sierra Leone 2002-03)"),
    "returns_spontaneous": (
        0.3,
        0.9,
        "as many returns as new displacement worldwide in 2008 (IDMC)",
    ),
    "joint_plan_returns": (4.0, 8.0, "Katanga 230,000 → ≈24,000 in 8 months (001 §3a ¶9)"),
}
# Assumed coefficients with no published magnitude whose direction a source gives but
# whose size could be nil: the range runs from no effect (0) to the largest the form
# allows, never half to twice a default someone chose.
NO_FIGURE = {
    "sharing_apart": (0.0, 1.0),  # trust from co-location (003 ¶5): from none to all sharing
    "police_harm": (0.0, 1.0),  # HKS 2013's near-elimination is contested (Kocher)
    "police_camps": (0.0, 1.0),  # police support camp security (guidance ¶51; report ¶66)
    "impediments_base": (0.0, 0.2),  # state actors: 43% of South Sudan's access incidents
    "impediments_abuse": (0.0, 0.6),  # authorities that abuse or intimidate (001 §4b)
    "national_assistance": (0.0, 1.0),  # authorities able to assist impartially (report ¶58)
    "flight_priority": (0.0, 1.0),  # no priority on mission flights (guidance ¶67)
    "qip_reach": (0.0, 0.2),  # QIPs where humanitarians have no access (guidance ¶42)
}
# Coefficients that are not shares: half to twice the default, uncapped.
UNCAPPED = {
    "phase_partisanship_conflict",
    "assoc_escort",
    "distinctness_principled",
    "returnee_exposure",
    "coherence_settlement",
}


def plausible_range(name: str) -> tuple[float, float, str]:
    """(low, high, basis) of a coefficient: its published bounds, else (an assumption,
    basis A) from no effect to a plausible maximum (``imsim.core.unknowns``)."""
    return prior_shape(name)[:3]


def prior_shape(name: str) -> tuple[float, float, str, str]:
    """(low, high, basis, distribution) of a coefficient's prior: uniform over published
    bounds or from no effect; log-uniform, half to twice, for a pace or a level."""
    if name in PUBLISHED:
        return (*PUBLISHED[name][:2], PUBLISHED[name][2], "uniform")
    if name in NO_FIGURE:
        return (*NO_FIGURE[name], "A", "uniform")
    default = Coefficients.__dataclass_fields__[name].default
    share = default <= 1 and name not in UNCAPPED
    low, high, distribution = assumed_range(name, default, share)
    return (low, high, "A", distribution)
