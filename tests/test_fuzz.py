"""Fuzzing the promise: any override, event or grid expression either composes into a
config that holds it, or is refused with one ConfigError line. Never another exception,
never a value silently dropped."""

from __future__ import annotations

import dataclasses
import typing

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from omegaconf import OmegaConf

import imsim
from imsim.config.compose import compose_job, parse_overrides
from imsim.config.events import settings_of
from imsim.config.keys import type_hints, unwrap_optional
from imsim.config.schema import ImsimConfig
from imsim.preflight import check_sweep


def scalar_keys(cls: type = ImsimConfig, prefix: str = "") -> list[str]:
    out = []
    for f in dataclasses.fields(cls):
        tp, _ = unwrap_optional(type_hints(cls)[f.name])
        if dataclasses.is_dataclass(tp):
            out += scalar_keys(tp, f"{prefix}{f.name}.")
        elif typing.get_origin(tp) not in (dict, list) and tp is not typing.Any:
            out.append(prefix + f.name)
    return out


KEYS = scalar_keys()
ODD_KEYS = ["force", "events", "foo.bar", "run", "integration", "scenario", "experiment"]
ODD_KEYS += ["hydra.run.dir", "hydra/sweeper", "world.named.x.phase", "sensitivity.samples"]
words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_.,:[]{}()=~+-0123456789 '\"", max_size=12)
values = st.one_of(
    st.integers(-(10**7), 10**7).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["true", "false", "null", "", "[]", "{}", "routine", "two_feet_in"]),
    words,
)
keys = st.one_of(st.sampled_from(KEYS), st.sampled_from(ODD_KEYS))
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def one_line(exc: imsim.ConfigError) -> None:
    text = str(exc)
    assert "\n" not in text and ": " in text and "allowed: " in text


@FUZZ
@given(keys, values)
def test_any_override_composes_faithfully_or_is_one_config_error(key, value):
    override = f"{key}={value}"
    try:
        cfg = imsim.compose(overrides=[override])
    except imsim.ConfigError as exc:
        one_line(exc)
        return
    if key in KEYS:  # no silent no-op: the config holds what was asked
        (parsed,) = parse_overrides([override])
        assert OmegaConf.select(cfg, key) == parsed.value()


SETTINGS = [k for k in KEYS if k.split(".")[0] in ("mission", "force", "dsrsg", "integration")]
SETTINGS += [k for k in KEYS if k.startswith("security.")]
good = st.sampled_from(
    ["never", "routine", "joint_pool", "two_feet_out", "humanitarian", "true", "0.5", "3000"]
)
setting = st.one_of(good, values)
# a section's keys, as in {force: {escorts: never}}, and the integration group's options
sections = st.dictionaries(st.sampled_from(["escorts", "troops", "qips", "x"]), setting, max_size=2)
changes = st.dictionaries(
    st.one_of(st.sampled_from(SETTINGS), st.sampled_from(["force", "integration", "run", "x"])),
    st.one_of(setting, sections),
    min_size=1,
    max_size=3,
)
months = st.one_of(st.integers(1, 120), st.integers(-3, 130), words)
set_event = st.fixed_dictionaries({"month": months, "set": changes})
shock_event = st.fixed_dictionaries(
    {
        "month": months,
        "shock": st.one_of(st.sampled_from(["ceasefire_collapse", "elections"]), words),
    },
    optional={
        "level": st.integers(-1, 7),
        "regions": st.one_of(st.just("all"), st.lists(st.sampled_from(["region_1", "x"]))),
        "months": st.integers(-2, 20),
        "set": changes,
    },
)
event = st.one_of(set_event, shock_event)


def render(value: object) -> str:
    """A value in Hydra's override grammar."""
    if isinstance(value, dict):
        return "{" + ",".join(f"{k}:{render(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(render(v) for v in value) + "]"
    return str(value)


@FUZZ
@given(st.lists(event, min_size=1, max_size=3))
def test_any_event_composes_and_takes_effect_or_is_one_config_error(events):
    try:
        cfg = imsim.compose(overrides=[f"events={render(events)}"])
    except imsim.ConfigError as exc:
        one_line(exc)
        return
    for e in OmegaConf.to_container(cfg.events):
        if "set" in e:  # every accepted change names keys the timeline applies
            assert settings_of(e["set"])


grids = st.one_of(
    st.builds(lambda a, b, c: f"range({a},{b},{c})", *(st.integers(-5, 30000) for _ in "abc")),
    st.builds(lambda a, b: f"interval({a},{b})", st.integers(0, 9), st.integers(0, 9)),
    st.lists(values, min_size=1, max_size=3).map(",".join),
    st.lists(values, min_size=1, max_size=3).map(lambda v: f"choice({','.join(v)})"),
    st.sampled_from(["glob(*)", "glob(two_*)", "range(10,0)", "shuffle(1,2)", "sort(3,1)"]),
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["force.troops", "force.escorts", "integration", "run.months"]), grids)
def test_any_grid_expression_is_a_checked_grid_or_one_config_error(key, expression):
    try:
        grid = check_sweep([f"{key}={expression}", "run.months=12"], inspect=True)
    except imsim.ConfigError as exc:
        one_line(exc)
        return
    assert len(grid) >= 1


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(["hydra.sweeper.chunk_size", "hydra.sweeper.store", "+hydra.sweeper.x"]),
    values,
)
def test_any_sweeper_setting_is_checked_from_the_composed_config(key, value):
    try:
        cfg = compose_job(["hydra/sweeper=imsim", f"{key}={value}"])
    except imsim.ConfigError as exc:
        one_line(exc)
        return
    assert key.startswith("hydra.sweeper.") and key != "+hydra.sweeper.x"
    assert cfg.hydra.sweeper.store in ("auto", "trajectories", "summary")
    assert 1 <= cfg.hydra.sweeper.chunk_size <= 1_000_000


def valid_values(key: str) -> list[str]:
    from imsim.config.keys import resolve_field

    tp, meta, _ = resolve_field(key)
    if "choices" in meta:
        return list(meta["choices"])
    return ["true", "false"] if tp is bool else []


OPTIONS = {k: valid_values(k) for k in SETTINGS if valid_values(k)}


@FUZZ
@given(
    st.sampled_from(sorted(OPTIONS)).flatmap(
        lambda k: st.tuples(st.just(k), st.sampled_from(OPTIONS[k]), st.booleans())
    ),
    st.integers(1, 120),
)
def test_a_valid_change_in_any_form_is_applied(change, month):
    key, value, as_section = change
    section, _, name = key.partition(".")
    written = f"{{{section}:{{{name}:{value}}}}}" if as_section else f"{{{key}:{value}}}"
    cfg = imsim.compose(overrides=[f"events=[{{month:{month},set:{written}}}]"])
    (e,) = OmegaConf.to_container(cfg.events)
    (parsed,) = parse_overrides([f"{key}={value}"])
    assert settings_of(e["set"]) == {key: parsed.value()}
