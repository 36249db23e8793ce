"""The roles trainees play and the levers each one holds.

Every lever is a setting the model's own decision rules follow (an event
``set`` at the month a turn starts), so a classroom's choices are the
model's real levers and a classroom run can be replayed as a batch run.
Each setting belongs to one role. A role nobody plays keeps the scenario's
setting, and its actor follows the model's rule as in any run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..config.errors import ConfigError
from ..config.keys import check_value, resolve_field


@dataclass(frozen=True)
class Lever:
    """One setting a role decides; numbers move on a classroom scale within the schema's."""

    key: str
    label: str
    low: float | None = None
    high: float | None = None
    step: float | None = None

    @property
    def kind(self) -> str:
        tp, meta, _ = resolve_field(self.key)
        if "choices" in meta:
            return "option"
        return {bool: "bool", int: "int", float: "float"}[tp]

    @property
    def options(self) -> tuple[str, ...]:
        return tuple(resolve_field(self.key)[1].get("choices", ()))

    def alternatives(self, current: Any) -> list[Any]:
        """The other choices a debrief tries: every other option, the flip, the ends."""
        if self.kind == "option":
            return [o for o in self.options if o != current]
        if self.kind == "bool":
            return [not current]
        ends = [self.low, self.high]
        cast = int if self.kind == "int" else float
        return [cast(v) for v in ends if v is not None and abs(float(v) - float(current)) > 1e-12]

    def check(self, value: Any) -> Any:
        """``value`` as the setting takes it; ConfigError naming the key otherwise."""
        if self.kind == "float" and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        check_value(self.key, value)
        if self.low is not None and not self.low <= value <= self.high:
            raise ConfigError(self.key, value, f"a number in [{self.low:g}, {self.high:g}]")
        return value


@dataclass(frozen=True)
class Role:
    name: str
    title: str
    brief: str  # what the role decides, and the passage it comes from
    levers: tuple[Lever, ...]
    shocks: tuple[str, ...] = ()  # events the role may call at the start of a turn

    def lever(self, key: str) -> Lever:
        for lever in self.levers:
            if lever.key == key:
                return lever
        allowed = ", ".join(lv.key for lv in self.levers)
        raise ConfigError(f"{self.name}.{key}", key, f"{self.title}'s levers: {allowed}")


def _share(key: str, label: str) -> Lever:
    return Lever(key, label, 0.0, 1.0, 0.1)


ROLES: dict[str, Role] = {
    r.name: r
    for r in (
        Role(
            "srsg",
            "SRSG",
            "heads the mission and is the Designated Official for security (004 report ¶59)",
            (
                Lever("mission.stance", "stance towards the parties"),
                Lever("mission.push_returns", "push returns to post-conflict regions"),
                Lever("security.posture", "security posture as Designated Official"),
            ),
            ("elections", "security_phase_raise"),
        ),
        Role(
            "hc",
            "DSRSG/RC/HC",
            "the multi-hatted deputy: where the HC and OCHA sit, QIP screening, a support "
            "office (004 guidance ¶37, ¶40; 002)",
            (
                Lever("integration.hc_location", "where the HC and OCHA sit"),
                Lever("force.qips", "who screens quick-impact projects"),
                Lever("dsrsg.support_office", "a support office for the DSRSG/RC/HC"),
            ),
        ),
        Role(
            "force",
            "Force Commander",
            "escorts, mobile bases and how much of the force is deployed (004 guidance ¶45; "
            "001 §3a ¶9)",
            (
                Lever("force.escorts", "armed escorts for humanitarians"),
                Lever("force.mobile_base", "mobile operating bases"),
                _share("force.deployment_share", "share of the force deployed"),
            ),
        ),
        Role(
            "ocha",
            "OCHA",
            "who manages humanitarian staff's security, and the UN brand on aid (004 guidance "
            "¶46-48, ¶55; report ¶35)",
            (
                Lever("security.management", "who manages humanitarian staff's security"),
                _share("integration.branding", "a shared 'UN' brand on aid"),
            ),
        ),
        Role(
            "unhcr",
            "UNHCR",
            "a joint returns plan with the Force, camp security, information sharing (001 §3a "
            "¶9; 004 report ¶64-69; guidance ¶53)",
            (
                Lever("force.joint_plan", "a joint returns and protection plan with the Force"),
                Lever("force.protection_mandate", "the Force secures camps (on request)"),
                _share("integration.information_sharing", "information shared with the mission"),
            ),
        ),
        Role(
            "ngos",
            "NGOs",
            "how much of the mission's assets (flights, compounds) the NGOs accept (004 report "
            "¶63; guidance ¶45)",
            (_share("integration.shared_assets", "mission assets used by humanitarians"),),
        ),
        Role(
            "council",
            "Security Council",
            "the authorised force and when the mission leaves (004 guidance ¶22-23, ¶45)",
            (
                Lever("force.troops", "authorised troops", 0, 40_000, 1_000),
                Lever("mission.exit_after_elections", "the mission leaves after elections"),
                _share("mission.drawdown_share", "consolidated share that starts drawdown"),
            ),
        ),
    )
}
OBSERVER = "observer"  # any number may watch; observers decide nothing


def role(name: str) -> Role:
    if name not in ROLES:
        raise ConfigError("role", name, ", ".join(ROLES))
    return ROLES[name]


def owner(key: str) -> Role:
    """The role holding a setting."""
    for r in ROLES.values():
        if any(lv.key == key for lv in r.levers):
            return r
    raise ConfigError("lever", key, "a setting some role holds")


def check_changes(name: str, changes: Mapping[str, Any]) -> dict[str, Any]:
    """A role's settings for a turn, each checked; ConfigError for another role's key."""
    r = role(name)
    if not isinstance(changes, Mapping):
        raise ConfigError(f"{name}.changes", changes, "a mapping of setting -> value")
    return {key: r.lever(key).check(value) for key, value in changes.items()}
