"""What ``roadmap scenario ...`` and ``roadmap workshop ...`` do; the parsers are in
:mod:`engine.interfaces.commands.store`."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from engine.core.errors import ScenarioError, problem
from engine.core.jsonio import write_json
from engine.core.parameters import DIRECTIONS
from engine.interfaces.commands.choices import KEY_ENV, TOKEN_ENV
from engine.store import (
    Store,
    StoreError,
    add_aggregate_candidate,
    add_candidate,
    add_participant_candidates,
    adopt_roadmap,
    aggregate_submissions,
    cast_vote,
    create_workshop,
    export_workshop,
    get_scenario,
    join_workshop,
    list_scenarios,
    list_workshops,
    open_as_facilitator,
    open_store,
    rank_candidates,
    save_scenario,
    set_workshop_status,
    submit_priorities,
    workshop_export_csv,
    workshop_export_json,
)


@contextmanager
def _open(args: argparse.Namespace) -> Iterator[Store]:
    store = open_store(args.db)
    try:
        yield store
    finally:
        store.close()


def _secret(value: str | None, env: str, what: str) -> str:
    chosen = value or os.environ.get(env, "")
    if not chosen.strip():
        raise StoreError(f"give the {what} with --{'key' if env == KEY_ENV else 'token'} or ${env}")
    return chosen.strip()


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError([problem(str(path), "pr_file_not_found")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError([problem(str(path), "pr_not_utf8_reason", reason=str(exc))]) from None


def _read_json(path: Path) -> Any:
    text = _read_text(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ScenarioError([problem(str(path), "pr_bad_json", exc.lineno, reason=exc.msg)]) from None


def _print_json(value: Any) -> None:
    write_json("-", value)


# --- scenarios ---------------------------------------------------------------------------------------

def run_scenario_save(args: argparse.Namespace) -> int:
    text = _read_text(args.file)
    result = None if args.result is None else _read_json(args.result)
    with _open(args) as store:
        saved = save_scenario(store, text, name=args.name, expected_version=args.expected_version, result=result,
                              saved_by=args.by or getpass.getuser(), label=args.label, source=str(args.file))
        print(f"Saved scenario {saved.name!r} (id {saved.id}, version {saved.version}"
              f"{', with its result' if result is not None else ''}) in {store.url}")
    return 0


def _print_listing(args: argparse.Namespace, rows: list[Any], as_json: Any, as_line: Any, empty: str) -> int:
    """A listing as JSON (``--json``) or one line a row; ``empty`` when there is none."""
    if args.json:
        _print_json([as_json(r) for r in rows])
        return 0
    if not rows:
        print(empty)
    for row in rows:
        print(as_line(row))
    return 0


def run_scenario_list(args: argparse.Namespace) -> int:
    with _open(args) as store:
        found = list_scenarios(store)
    return _print_listing(args, found, lambda s: s.summary(), lambda s: (
        f"{s.id:>4}  {s.name[:40]:<40} v{s.version:<3} {s.objective:<16} {s.horizon[0]}-{s.horizon[1]}  "
        f"{s.updated_at:%Y-%m-%d %H:%M} {s.updated_by or ''}"), "No saved scenarios.")


def run_scenario_show(args: argparse.Namespace) -> int:
    with _open(args) as store:
        found = get_scenario(store, scenario_id=args.id, name=args.name)
    if args.json:
        _print_json({**found.summary(), "yaml": found.yaml})
    else:
        sys.stdout.write(found.yaml if found.yaml.endswith("\n") else found.yaml + "\n")
    return 0


# --- workshops ---------------------------------------------------------------------------------------

def run_workshop_create(args: argparse.Namespace) -> int:
    text = _read_text(args.template)
    with _open(args) as store:
        created = create_workshop(store, args.name, text, args.budget)
    if args.json:
        _print_json({**created.workshop.summary(), "join_code": created.join_code,
                     "facilitator_key": created.facilitator_key})
        return 0
    print(f"Workshop {created.workshop.id} {created.workshop.name!r} created.")
    print(f"Join code (give it to participants): {created.join_code}")
    print(f"Facilitator key (shown only now; keep it private): {created.facilitator_key}")
    return 0


def run_workshop_list(args: argparse.Namespace) -> int:
    with _open(args) as store:
        found = list_workshops(store)
    return _print_listing(
        args, found,
        lambda w: {**w.workshop.summary(), "participants": w.participants, "submissions": w.submissions},
        lambda w: (f"{w.workshop.id:>4}  {w.workshop.name[:40]:<40} {w.workshop.status:<8} "
                   f"{w.participants} joined, {w.submissions} submitted  {w.workshop.created_at:%Y-%m-%d}"),
        "No workshops.")


def run_workshop_show(args: argparse.Namespace) -> int:
    with _open(args) as store:
        view = open_as_facilitator(store, _secret(args.key, KEY_ENV, "facilitator key"))
    w = view.workshop
    print(f"Workshop {w.id} {w.name!r}: {w.status}, version {w.version}")
    print(f"Join code: {view.join_code}")
    for p in view.participants:
        print(f"  {p.id:>4}  {p.display_name} ({p.role})")
    return 0


def run_workshop_join(args: argparse.Namespace) -> int:
    with _open(args) as store:
        joined = join_workshop(store, args.code, args.name, args.role)
    print(f"Joined as {joined.participant.display_name} ({joined.participant.role}).")
    print(f"Participant token (shown only now; keep it private): {joined.participant_token}")
    return 0


def _weights(text: str) -> dict[str, Any]:
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if all("=" in p for p in parts):
        pairs = [p.split("=", 1) for p in parts]
        raw: dict[str, Any] = {k.strip(): v.strip() for k, v in pairs}
    elif len(parts) == len(DIRECTIONS) and not any("=" in p for p in parts):
        raw = dict(zip(DIRECTIONS, parts, strict=True))
    else:
        raise StoreError(f"--weights: give {len(DIRECTIONS)} numbers (order {', '.join(DIRECTIONS)}) or "
                         f"direction=weight pairs (got {text!r})")
    out: dict[str, Any] = {}
    for key, value in raw.items():
        try:
            out[key] = float(value)
        except ValueError:
            out[key] = value  # reported by the check with the direction named
    return out


def run_workshop_submit(args: argparse.Namespace) -> int:
    changes = None if args.changes is None else _read_json(args.changes)
    with _open(args) as store:
        saved = submit_priorities(store, _secret(args.token, TOKEN_ENV, "participant token"), _weights(args.weights),
                                  args.equity_share, changes, args.expected_version)
    shown = ", ".join(f"{d} {w:.0%}" for d, w in saved.priorities.weights.items())
    print(f"Saved {saved.display_name}'s priorities (version {saved.version}): {shown}; "
          f"equity share {saved.priorities.equity_share:.0%}")
    return 0


def _capacity(store: Store, key: str, wanted: bool) -> dict[str, float] | None:
    """Each direction's absorption capacity for the workshop's template, when asked for."""
    if not wanted:
        return None
    from engine.allocation.prepared import prepare
    from engine.analysis.workshop import compute_direction_capacity
    from engine.model.study import open_study

    template = open_as_facilitator(store, key).workshop.template()
    return compute_direction_capacity(prepare(open_study(template)).forms, template.years)


def run_workshop_aggregate(args: argparse.Namespace) -> int:
    key = _secret(args.key, KEY_ENV, "facilitator key")
    with _open(args) as store:
        result = aggregate_submissions(store, key, capacity_bn_kzt=_capacity(store, key, args.fit_capacity))
    if args.json:
        _print_json({**result.aggregate.to_dict(), "scenario_yaml": result.scenario.to_yaml()})
        return 0
    agg = result.aggregate
    print(f"Aggregate of {agg.count} submissions ({agg.rule}):")
    for d, w in agg.priorities.weights.items():
        print(f"  {d:<24} {w:.1%}")
    print(f"  {'equity share':<24} {agg.priorities.equity_share:.1%}")
    print("\nScenario for the optimizer:\n")
    sys.stdout.write(result.scenario.to_yaml())
    return 0


def run_workshop_candidate(args: argparse.Namespace) -> int:
    key = _secret(args.key, KEY_ENV, "facilitator key")
    with _open(args) as store:
        if args.file is not None:
            if not args.title:
                raise StoreError("--file needs --title")
            added = [add_candidate(store, key, args.title, _read_text(args.file))]
        elif args.aggregate:
            added = [add_aggregate_candidate(store, key, args.title, _capacity(store, key, args.fit_capacity))]
        else:
            added = add_participant_candidates(store, key, _capacity(store, key, args.fit_capacity))
    for c in added:
        print(f"Added candidate {c.id}: {c.title} ({c.source})")
    if not added:
        print("No new candidates (every participant's plan is already one).")
    return 0


def run_workshop_vote(args: argparse.Namespace) -> int:
    try:
        ranking = [int(p) for p in args.ranking.split(",") if p.strip()]
    except ValueError:
        raise StoreError(f"--ranking: give candidate ids separated by commas (got {args.ranking!r})") from None
    with _open(args) as store:
        ballot = cast_vote(store, _secret(args.token, TOKEN_ENV, "participant token"), ranking, args.expected_version)
    print(f"Saved the ballot (version {ballot.version}): {', '.join(map(str, ballot.ranking))}")
    return 0


def run_workshop_ranking(args: argparse.Namespace) -> int:
    with _open(args) as store:
        rows, ballots = rank_candidates(store, _secret(args.key, KEY_ENV, "facilitator key"))
    if args.json:
        _print_json({"ballots": ballots, "ranking": [
            {"rank": r.rank, "id": r.candidate.id, "title": r.candidate.title, "points": r.points,
             "first_places": r.first_places, "tied": r.tied} for r in rows]})
        return 0
    print(f"Borda ranking of {len(rows)} candidates from {ballots} ballots:")
    for r in rows:
        print(f"  {r.rank:>2}{'=' if r.tied else ' '} {r.points:>4} pts  [{r.candidate.id}] {r.candidate.title}")
    return 0


def run_workshop_status(args: argparse.Namespace) -> int:
    with _open(args) as store:
        w = set_workshop_status(store, _secret(args.key, KEY_ENV, "facilitator key"), args.status,
                                args.expected_version)
    print(f"Workshop {w.id} {w.name!r} is now {w.status} (version {w.version})")
    return 0


def run_workshop_adopt(args: argparse.Namespace) -> int:
    with _open(args) as store:
        w = adopt_roadmap(store, _secret(args.key, KEY_ENV, "facilitator key"), expected_version=args.expected_version,
                          candidate_id=args.candidate, scenario_id=args.scenario)
    print(f"Workshop {w.id} {w.name!r} adopted saved scenario {w.adopted_scenario_id} as its roadmap "
          f"(workshop version {w.version})")
    return 0


def run_workshop_export(args: argparse.Namespace) -> int:
    with _open(args) as store:
        export = export_workshop(store, _secret(args.key, KEY_ENV, "facilitator key"))
    if args.format == "json":
        text = json.dumps(workshop_export_json(export), ensure_ascii=False, indent=2) + "\n"
    else:
        text = workshop_export_csv(export)
    if args.out is None:
        sys.stdout.write(text)
    else:
        try:
            # a byte-order mark lets spreadsheet programs read Kazakh and Russian names in a CSV correctly
            args.out.write_text(text, encoding="utf-8-sig" if args.format == "csv" else "utf-8")
        except OSError as exc:
            raise StoreError(f"cannot write {args.out}: {exc.strerror}") from None
        print(f"Wrote {args.out}")
    return 0
