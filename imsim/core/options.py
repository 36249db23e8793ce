"""The categorical settings and states of the model, one enum each.

Each enum is the one home of its options: the config schema's allowed
values, the timeline's numeric codes, the dashboard's option lists, the
narrative and the plots all derive from it. Options are written in configs
as lower-case names (``force.escorts=last_resort``) and carried in the core
as their integer codes, so rules read as the domain does
(``p.escorts == Escorts.ROUTINE``).
"""

from __future__ import annotations

from enum import IntEnum


class Option(IntEnum):
    """An enum whose members are written in configs by their lower-case names."""

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(member.label for member in cls)

    @classmethod
    def parse(cls, text: str) -> Option:
        return cls[text.upper()]

    @property
    def label(self) -> str:
        return self.name.lower()

    @property
    def title(self) -> str:
        """How a page shows the option to a person (``last resort``)."""
        return self.label.replace("_", " ")


class Phase(Option):
    """A region's phase in the mission's lifecycle (004 guidance ¶22-23)."""

    CONFLICT = 0
    TRANSITION = 1
    CONSOLIDATION = 2


class Escorts(Option):
    """When the Force offers humanitarians armed escorts (004 report ¶63; guidance ¶45)."""

    NEVER = 0
    LAST_RESORT = 1
    ROUTINE = 2


class Qips(Option):
    """Who screens the Force's quick-impact projects (004 guidance ¶37)."""

    UNILATERAL = 0
    HC_APPROVED = 1
    JOINT_POOL = 2


class Posture(Option):
    """The security management's appetite for risk (004 guidance ¶46-47)."""

    RISK_AVERSE = 0
    BALANCED = 1
    ENABLING = 2


class Stance(Option):
    """The mission's stance towards the parties (004 guidance ¶36, ¶38)."""

    IMPARTIAL = 0
    BACKS_GOVERNMENT = 1


class SecurityManagement(Option):
    """Who manages the security of humanitarian staff (004 guidance ¶46-48)."""

    MISSION = 0
    HUMANITARIAN = 1


class HcLocation(Option):
    """Where the DSRSG/RC/HC and OCHA sit (004 guidance ¶40; 001 §3).

    Each option declares what it means, (code, HC inside, OCHA inside): the timeline and
    the coordination network ask the option, so a new one needs no other edit there."""

    hc_inside: bool
    ocha_inside: bool

    def __new__(cls, code: int, hc_inside: bool, ocha_inside: bool) -> HcLocation:
        member = int.__new__(cls, code)
        member._value_ = code
        member.hc_inside, member.ocha_inside = hc_inside, ocha_inside
        return member

    @property
    def title(self) -> str:
        """The option and what it means, for a person: "two feet in (HC and OCHA inside)"."""
        where = {
            (True, True): "HC and OCHA inside",
            (True, False): "HC inside, OCHA outside",
            (False, True): "OCHA inside, HC outside",
            (False, False): "HC and OCHA outside",
        }[(self.hc_inside, self.ocha_inside)]
        return f"{self.label.replace('_', ' ')} ({where})"

    TWO_FEET_IN = 0, True, True  # HC and OCHA inside the mission
    ONE_FOOT_IN = 1, True, False  # HC inside, OCHA outside in its own premises
    TWO_FEET_OUT = 2, False, False  # HC and OCHA outside


# The UN security phase scale (004 guidance ¶46-47): from 1 (normal) to 5 (evacuation).
LOWEST_SECURITY_PHASE, HIGHEST_SECURITY_PHASE = 1.0, 5.0
