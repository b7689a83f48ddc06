"""Every widget and session-state key the pages use; the tests import these too."""

from enum import StrEnum


class Key(StrEnum):
    LANG = "lang"
    DATASET = "dataset_override"
    UPLOAD = "upload_file"
    UPLOAD_YEAR = "upload_year"
    UPLOAD_USE = "upload_use"
    UPLOAD_REPORT = "upload_report"
    DIAG_YEAR = "diag_year"
    DIAG_INDICATOR = "diag_indicator"
    # what-if
    SCENARIO = "scenario"
    BUDGET = "budget_per_year"
    HORIZON = "horizon"
    OBJECTIVE = "objective"
    EQUITY_SHARE = "equity_share"
    EQUITY_WEIGHT = "equity_weight"
    RESULT = "result"
    # frontier
    FRONTIER_POINTS = "frontier_points"
    FRONTIER_RUN = "frontier_run"
    FRONTIER = "frontier"
    FRONTIER_PICK = "frontier_pick"
    # scenarios
    SAVED = "saved_scenarios"
    SCENARIO_NAME = "scenario_name"
    SCENARIO_UPLOAD = "scenario_upload"
    COMPARE = "compare"
    # roadmap
    ROADMAP_LANG = "roadmap_lang"
