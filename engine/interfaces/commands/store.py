"""``roadmap scenario save|list|show`` and ``roadmap workshop ...``: the store from the command line.

The database is ``--db URL``, else ``ROADMAP_DB``, else the default SQLite file (see
:func:`engine.store.default_db_url`). Facilitator keys and participant tokens may be given in the
environment (``ROADMAP_FACILITATOR_KEY``, ``ROADMAP_PARTICIPANT_TOKEN``) rather than on the command line,
where other users of the machine could see them in the process list.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from engine.interfaces.commands.choices import DIRECTIONS, KEY_ENV, ROLES, TOKEN_ENV


def register(sub: argparse._SubParsersAction) -> None:
    scenario = sub.add_parser("scenario", help="save, list and show scenarios in the store")
    sc = scenario.add_subparsers(dest="scenario_command", metavar="ACTION", parser_class=type(scenario))
    sc.required = True
    save = _action(sc, "save", "check a scenario file and save it (with a result, if given)")
    save.add_argument("--file", type=Path, required=True, help="the scenario YAML file")
    save.add_argument("--name", default=None, help="name in the store (default: the name in the file)")
    save.add_argument("--expected-version", type=int, default=None,
                      help="replace a saved scenario of this name, if it is still at this version")
    save.add_argument("--result", type=Path, default=None, help="a JSON result saved in the same transaction")
    save.add_argument("--label", default=None, help="a free label (e.g. draft, final)")
    save.add_argument("--by", default=None, help="who saves it (default: the login name)")
    save.set_defaults(handler=_later("run_scenario_save"))
    listing = _action(sc, "list", "the saved scenarios")
    listing.add_argument("--json", action="store_true", help="a JSON list, one object per scenario")
    listing.set_defaults(handler=_later("run_scenario_list"))
    show = _action(sc, "show", "one saved scenario's YAML (or its record as JSON)")
    which = show.add_mutually_exclusive_group(required=True)
    which.add_argument("--name")
    which.add_argument("--id", type=int)
    show.add_argument("--json", action="store_true", help="the record with its YAML as one JSON object")
    show.set_defaults(handler=_later("run_scenario_show"))

    workshop = sub.add_parser("workshop", help="workshop sessions: create, join, submit, vote, adopt, export")
    ws = workshop.add_subparsers(dest="workshop_command", metavar="ACTION", parser_class=type(workshop))
    ws.required = True
    create = _action(ws, "create", "create a workshop; prints its join code and facilitator key")
    create.add_argument("--name", required=True)
    create.add_argument("--template", type=Path, required=True, help="the scenario YAML the workshop starts from")
    create.add_argument("--budget", type=float, default=None, help="yearly budget, bn tenge (default: template's)")
    create.add_argument("--json", action="store_true")
    create.set_defaults(handler=_later("run_workshop_create"))
    wlist = _action(ws, "list", "the workshops (no codes or keys)")
    wlist.add_argument("--json", action="store_true")
    wlist.set_defaults(handler=_later("run_workshop_list"))
    wshow = _action(ws, "show", "facilitator: the workshop, its join code and participants", "key")
    wshow.set_defaults(handler=_later("run_workshop_show"))
    join = _action(ws, "join", "join with the code; prints the participant token")
    join.add_argument("--code", required=True)
    join.add_argument("--name", required=True, help="display name")
    join.add_argument("--role", required=True, choices=ROLES)
    join.set_defaults(handler=_later("run_workshop_join"))
    submit = _action(ws, "submit", "participant: submit or change priorities", "token")
    submit.add_argument("--weights", required=True,
                        help="four weights in the order " + ",".join(DIRECTIONS) + ", or direction=weight,...")
    submit.add_argument("--equity-share", type=float, required=True)
    submit.add_argument("--changes", type=Path, default=None, help="JSON list of allocation changes")
    submit.add_argument("--expected-version", type=int, default=None, help="the version being changed")
    submit.set_defaults(handler=_later("run_workshop_submit"))
    agg = _action(ws, "aggregate", "facilitator: the median aggregate and its scenario", "key")
    agg.add_argument("--json", action="store_true")
    agg.add_argument("--fit-capacity", action="store_true",
                     help="fit the direction shares to what each direction can absorb (builds the model: slower)")
    agg.set_defaults(handler=_later("run_workshop_aggregate"))
    cand = _action(ws, "candidate", "facilitator: add candidate scenarios for the vote", "key")
    what = cand.add_mutually_exclusive_group(required=True)
    what.add_argument("--file", type=Path, help="a scenario YAML file (needs --title)")
    what.add_argument("--aggregate", action="store_true", help="the median aggregate of the submissions")
    what.add_argument("--participants", action="store_true", help="each participant's own plan")
    cand.add_argument("--title", default=None)
    cand.add_argument("--fit-capacity", action="store_true",
                      help="fit the aggregate's or participants' shares to what each direction can absorb")
    cand.set_defaults(handler=_later("run_workshop_candidate"))
    vote = _action(ws, "vote", "participant: rank candidates, best first", "token")
    vote.add_argument("--ranking", required=True, help="candidate ids, best first, e.g. 3,1,2")
    vote.add_argument("--expected-version", type=int, default=None)
    vote.set_defaults(handler=_later("run_workshop_vote"))
    ranking = _action(ws, "ranking", "facilitator: the Borda ranking of the candidates", "key")
    ranking.add_argument("--json", action="store_true")
    ranking.set_defaults(handler=_later("run_workshop_ranking"))
    status = _action(ws, "status", "facilitator: close the workshop to submissions, or open it again", "key")
    status.add_argument("--set", dest="status", required=True, choices=("open", "closed"))
    status.add_argument("--expected-version", type=int, required=True, help="the workshop version read")
    status.set_defaults(handler=_later("run_workshop_status"))
    adopt = _action(ws, "adopt", "facilitator: adopt a candidate or a saved scenario as the roadmap", "key")
    chosen = adopt.add_mutually_exclusive_group(required=True)
    chosen.add_argument("--candidate", type=int)
    chosen.add_argument("--scenario", type=int, help="id of a saved scenario")
    adopt.add_argument("--expected-version", type=int, required=True, help="the workshop version read")
    adopt.set_defaults(handler=_later("run_workshop_adopt"))
    export = _action(ws, "export", "facilitator: submissions, aggregate, ranking and adopted roadmap", "key")
    export.add_argument("--format", choices=("json", "csv"), default="json")
    export.add_argument("--out", type=Path, default=None, help="file to write (default: standard output)")
    export.set_defaults(handler=_later("run_workshop_export"))


def _action(group: argparse._SubParsersAction, name: str, help_text: str, secret: str | None = None,
            ) -> argparse.ArgumentParser:
    """A store action with its ``--db`` and, for ``key`` or ``token``, the secret that opens it."""
    parser = group.add_parser(name, help=help_text)
    _db(parser)
    if secret == "key":
        _key(parser)
    elif secret == "token":
        _token(parser)
    return parser


def _db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", default=None, metavar="URL",
                        help="sqlite:///file or postgresql+psycopg://... (default: $ROADMAP_DB or the user's file)")


def _key(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--key", default=None, help=f"facilitator key (default: ${KEY_ENV})")


def _token(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--token", default=None, help=f"participant token (default: ${TOKEN_ENV})")


def _later(name: str) -> Callable[[argparse.Namespace], int]:
    """The handler ``name`` of :mod:`engine.interfaces.commands.store_actions`, imported when it runs: the store's
    database code stays out of every other command's start."""
    def run(args: argparse.Namespace) -> int:
        from engine.interfaces.commands import store_actions

        return getattr(store_actions, name)(args)

    return run
