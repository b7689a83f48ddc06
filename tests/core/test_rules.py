from pathlib import Path

import pytest

from engine.core.errors import RuleValidationError
from engine.core.rules import RULES_DIR, load_problem_rules, load_typology

KNOWN = {"atyrau", "turkistan", "astana"}


def copy_rules(tmp_path: Path) -> Path:
    folder = tmp_path / "rules"
    folder.mkdir()
    for path in RULES_DIR.glob("*.yaml"):
        (folder / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return folder


def test_shipped_rules_load(kazakhstan_units):
    typology = load_typology(kazakhstan_units)
    assert typology.groupings["economic_type"].group_of("atyrau") == "oil"
    assert typology.groupings["economic_type"].members["abai"].basis == "assumed"
    assert set(typology.hub_ids) == {"astana", "almaty_city", "shymkent", "aktobe"}
    rules = load_problem_rules()
    assert [r.id for r in rules.rules] == ["low_grp_per_capita", "high_unemployment"]


@pytest.fixture
def kazakhstan_units():
    from engine.core.data import load_dataset

    return set(load_dataset().units.index)


def test_unknown_unit_key_and_kind_are_named(tmp_path, kazakhstan_units):
    folder = copy_rules(tmp_path)
    text = (folder / "typology.yaml").read_text(encoding="utf-8")
    text = text.replace("atyrau: {group: oil, basis: sourced}", "atyrauu: {group: oil, basis: sourced}", 1)
    text = text.replace("hubs:", "colour: red\nhubs:", 1)
    (folder / "typology.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(RuleValidationError) as info:
        load_typology(kazakhstan_units, folder)
    found = [str(p) for p in info.value.problems]
    assert any("groupings.economic_type.members.atyrauu: unknown unit id" in p for p in found)
    assert any(p.endswith("colour: unknown key; allowed: groupings, hubs, version") for p in found)

    problems = (folder / "problem_regions.yaml").read_text(encoding="utf-8")
    (folder / "problem_regions.yaml").write_text(
        problems.replace("kind: below_share_of_national", "kind: below_average", 1), encoding="utf-8")
    with pytest.raises(RuleValidationError) as info:
        load_problem_rules(folder)
    assert "rules[0].kind: unknown kind" in str(info.value)


def test_duplicate_keys_and_aliases_are_refused(tmp_path):
    folder = copy_rules(tmp_path)
    (folder / "problem_regions.yaml").write_text("version: 1\nversion: 2\n", encoding="utf-8")
    with pytest.raises(RuleValidationError, match="duplicate key 'version'"):
        load_problem_rules(folder)
    (folder / "problem_regions.yaml").write_text("a: &x [1]\nb: *x\n", encoding="utf-8")
    with pytest.raises(RuleValidationError, match="aliases"):
        load_problem_rules(folder)
