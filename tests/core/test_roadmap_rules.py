"""rules/roadmap.yaml: loading, every kind of mistake named by file and key, and the unit classes by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.core.context import load_context
from engine.core.errors import RuleValidationError
from engine.core.parameters import DIRECTIONS
from engine.core.roadmap_rules import (
    ACTORS,
    PARTS,
    PRIORITIES,
    classify_units,
    load_roadmap_rules,
    part_of,
)
from engine.core.rules import RULES_DIR

TINY_TYPOLOGY = """
version: 1
groupings:
  economic_type:
    rationale: test
    source: test
    groups: [agricultural, oil, metropolitan]
    members:
      north: {group: agricultural, basis: sourced}
      south: {group: oil, basis: sourced}
      capital: {group: metropolitan, basis: sourced}
hubs:
  - {unit_id: capital, basis: sourced, source: test}
"""

TINY_PROBLEMS = """
version: 1
combine: {mode: any}
rules:
  - {id: low, kind: below_share_of_national, indicator: grp_per_capita, threshold: 0.5, basis: assumed,
     rationale: test, source: test}
"""


def rules_folder(tmp_path: Path, roadmap_text: str | None = None) -> Path:
    folder = tmp_path / "rules"
    folder.mkdir(exist_ok=True)
    for path in RULES_DIR.glob("*.yaml"):
        (folder / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    if roadmap_text is not None:
        (folder / "roadmap.yaml").write_text(roadmap_text, encoding="utf-8")
    return folder


def shipped() -> str:
    return (RULES_DIR / "roadmap.yaml").read_text(encoding="utf-8")


def problems_of(tmp_path: Path, text: str, direction_rules=None) -> list[str]:
    folder = rules_folder(tmp_path, text)
    with pytest.raises(RuleValidationError) as info:
        load_roadmap_rules(folder, direction_rules)
    return [str(p) for p in info.value.problems]


def test_shipped_rules_cover_every_class_and_direction(direction_rules):
    rules = load_roadmap_rules(direction_rules=direction_rules)
    assert rules.class_ids == ("problem", "lagging", "hub", "leading")
    cells = {(a.unit_class, a.direction) for a in rules.assignments}
    assert cells == {(c, d) for c in rules.class_ids for d in DIRECTIONS}
    for a in rules.assignments:
        assert a.part in PARTS and set(a.actors) <= set(ACTORS) and set(a.priorities) <= set(PRIORITIES)
        assert a.rationale and a.source
    served = {p for a in rules.assignments for p in a.priorities}
    assert served == set(PRIORITIES)  # each of the five priorities is served by some cell
    # equity = lagging and problem territories; efficiency = growth poles
    assert {a.part for a in rules.assignments if a.unit_class in ("problem", "lagging")} == {"equity"}
    assert part_of("hub", "agglomeration") == "efficiency"
    assert part_of("leading", "agglomeration") == "efficiency"


@pytest.mark.parametrize(("change", "expected"), [
    (("version: 1", "version: 1\ncolour: red"), "rules/roadmap.yaml: colour: unknown key"),
    (("kind: typology_hub", "kind: hubs_please"), "classes[2].kind: unknown kind"),
    (("    class: hub\n    direction: agglomeration", "    class: hubb\n    direction: agglomeration"),
     "assignments[0].class: unknown class; defined: hub, lagging, leading, problem ('hubb')"),
    (("    class: hub\n    direction: agglomeration", "    class: hub\n    direction: agglomerations"),
     "assignments[0].direction: unknown direction"),
    (("    direction: agglomeration\n    part: efficiency", "    direction: agglomeration\n    part: growth"),
     "assignments[0].part: unknown part; allowed: equity, efficiency ('growth')"),
    (("actors: [government, business]\n    priorities: [agglomerations, competitive",
      "actors: [government, banks]\n    priorities: [agglomerations, competitive"),
     "assignments[0].actors: unknown name"),
    (("priorities: [agglomerations, competitive_advantages]\n    rationale:\n      en: >-\n        Infrastructure",
      "priorities: [agglomeration, competitive_advantages]\n    rationale:\n      en: >-\n        Infrastructure"),
     "assignments[0].priorities: unknown name"),
    (("  territorial_justice:\n", "  justice:\n"), "priorities.justice: unknown key"),
    (("    share: 1.0", "    share: -1"), "classes[1].share: must be a number in (0, 5] (-1)"),
])
def test_mistakes_are_named_by_file_and_key(tmp_path, change, expected):
    old, new = change
    assert old in shipped()
    found = problems_of(tmp_path, shipped().replace(old, new, 1))
    assert any(expected in p for p in found), found


def test_unknown_instrument_is_checked_against_directions(tmp_path, direction_rules):
    text = shipped().replace("instruments: [infrastructure, institutional_modernization]",
                             "instruments: [infrastructure, bridges]", 1)
    found = problems_of(tmp_path, text, direction_rules)
    assert any("assignments[0].instruments: unknown name" in p and "'bridges'" in p for p in found), found


def test_a_missing_or_repeated_cell_is_an_error(tmp_path):
    text = shipped()
    start = text.index("  - id: leading_mobility")
    end = text.index("  - id: leading_interaction")
    found = problems_of(tmp_path, text[:start] + text[end:])
    assert any("no assignment for this class x direction ('leading x mobility')" in p for p in found)
    repeated = text.replace("  - id: leading_interaction\n    class: leading\n    direction: interaction",
                            "  - id: leading_interaction\n    class: leading\n    direction: mobility")
    found = problems_of(tmp_path, repeated)
    assert any("already assigned by rule leading_mobility" in p for p in found), found


def test_catch_all_class_must_come_last(tmp_path):
    text = shipped().replace("    kind: otherwise", "    kind: typology_hub", 1)
    assert any("exactly one class of kind 'otherwise'" in p for p in problems_of(tmp_path, text))


def test_every_problem_is_reported_at_once(tmp_path):
    text = shipped().replace("version: 1", "version: 1\ncolour: red", 1).replace("part: equity", "part: fair", 1)
    assert len(problems_of(tmp_path, text)) >= 2


def test_classes_on_a_tiny_dataset_by_hand(tmp_path, tiny_dataset_dir):
    # 2019: north 1000 (pop 100), south 2000 (100), capital 4000 (200); national = 1,100,000 / 400 = 2750.
    # problem: below 0.5 x 2750 = 1375 -> north; lagging: below 2750 -> south; capital is the hub.
    folder = rules_folder(tmp_path)
    (folder / "typology.yaml").write_text(TINY_TYPOLOGY, encoding="utf-8")
    (folder / "problem_regions.yaml").write_text(TINY_PROBLEMS, encoding="utf-8")
    ctx = load_context(tiny_dataset_dir, folder)
    rules = load_roadmap_rules(folder)
    assert classify_units(ctx, 2019, rules) == {"capital": "hub", "north": "problem", "south": "lagging"}
    # with the lagging line at half the mean, south (2000 >= 1375) becomes a leading region
    (folder / "roadmap.yaml").write_text(shipped().replace("    share: 1.0", "    share: 0.5"), encoding="utf-8")
    half = load_roadmap_rules(folder)
    assert classify_units(ctx, 2019, half)["south"] == "leading"


def test_kazakhstan_classes_in_2024(ctx):
    classes = classify_units(ctx, 2024)
    assert len(classes) == 20
    assert classes["astana"] == classes["almaty_city"] == "hub"
    assert classes["shymkent"] == "problem"  # a hub, but a problem region first
    assert classes["aktobe"] == "lagging"  # a hub below the national mean
    assert classes["atyrau"] == "leading" and classes["turkistan"] == "problem"


def test_shipped_rules_speak_every_language():
    """Every rationale, unit and direction description a roadmap shows has its Kazakh and Russian text."""
    from engine.core.i18n import LocalText, local
    from engine.core.parameters import load_direction_rules
    from engine.core.rules import load_problem_rules

    direction_rules = load_direction_rules()
    roadmap_rules = load_roadmap_rules()
    texts = [a.rationale for a in roadmap_rules.assignments] + [p.rationale for p in roadmap_rules.priorities.values()]
    texts += [p.unit for p in direction_rules.parameters.values()]
    texts += [d.description for d in direction_rules.directions.values()]
    texts += [r.rationale for r in load_problem_rules().rules]
    assert all(isinstance(text, LocalText) for text in texts)
    assert all(local(text, "kk") != str(text) and local(text, "ru") != str(text) for text in texts)


def test_a_rationale_in_one_language_only_is_refused(tmp_path):
    from engine.core.errors import RuleValidationError
    from engine.core.rules import text_field

    problems: list = []
    assert text_field({"en": "x", "kk": "y"}, "rationale", "roadmap.yaml", problems) == ""
    assert "en, kk and ru" in str(problems[0])
    assert isinstance(RuleValidationError(problems), RuleValidationError)
