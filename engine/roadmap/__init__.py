"""The two-part roadmap (Part I equity, Part II efficiency) and the documents made from it.

Entry points: :func:`roadmap_for_scenario` (scenario -> roadmap, with the optimizer's allocation or the
formula one), :func:`build_roadmap` (from an allocation and its trajectories), and
:func:`export_bytes` (a roadmap as XLSX, DOCX, PDF, Markdown, JSON or CSV bytes for a download).
"""

from engine.roadmap.build import build_roadmap
from engine.roadmap.export import EXPORT_FORMATS, MIME_TYPES, export_bytes, roadmap_to_json, write_exports
from engine.roadmap.pipeline import prepare_inputs, roadmap_for_scenario, roadmap_from_inputs
from engine.roadmap.result import Measure, Part, Roadmap
from engine.roadmap.rules import classify_units, load_roadmap_rules, part_of

__all__ = [
    "EXPORT_FORMATS", "MIME_TYPES", "Measure", "Part", "Roadmap", "build_roadmap", "classify_units",
    "export_bytes", "load_roadmap_rules", "part_of", "prepare_inputs", "roadmap_for_scenario",
    "roadmap_from_inputs", "roadmap_to_json", "write_exports",
]
