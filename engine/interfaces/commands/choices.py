"""The names the parsers offer as choices and defaults, copied here so that building the parser imports none of
the solver, exporter or store code that defines them (tests/interfaces/test_cli_start.py checks the copies)."""

SOLVERS = ("highs", "cbc")  # engine.allocation.solve.SOLVERS
EXPORT_FORMATS = ("xlsx", "docx", "pdf", "md", "json", "csv")  # engine.roadmap.export.EXPORT_FORMATS
ROLES = ("government", "business", "population", "expert")  # engine.analysis.workshop.ROLES
DIRECTIONS = ("agglomeration", "peripheral_compression", "mobility", "interaction")  # engine.core.parameters
# where the workshop commands read a facilitator key and a participant token when not given
KEY_ENV, TOKEN_ENV = "ROADMAP_FACILITATOR_KEY", "ROADMAP_PARTICIPANT_TOKEN"
