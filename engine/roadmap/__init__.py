"""The two-part roadmap (Part I equity, Part II efficiency) and the documents made from it.

Entry points: :func:`inputs_from_result` (a study and the optimizer's result), :func:`inputs_from_allocation`
(a planner's allocation), :func:`formula_inputs` (the formula allocation), :func:`roadmap_from_inputs` (the
roadmap in a language), and :func:`export_bytes` (a roadmap as XLSX, DOCX, PDF, Markdown, JSON or CSV bytes).
"""

from engine.core.roadmap_rules import classify_units, load_roadmap_rules, part_of
from engine.roadmap.build import build_roadmap
from engine.roadmap.export import EXPORT_FORMATS, MIME_TYPES, export_bytes, roadmap_to_json, write_exports
from engine.roadmap.pipeline import (
    RoadmapInputs,
    formula_inputs,
    inputs_from_allocation,
    inputs_from_result,
    roadmap_from_inputs,
)
from engine.roadmap.result import Measure, Part, Roadmap

__all__ = [
    "EXPORT_FORMATS", "MIME_TYPES", "Measure", "Part", "Roadmap", "RoadmapInputs", "build_roadmap",
    "classify_units", "export_bytes", "formula_inputs", "inputs_from_allocation", "inputs_from_result",
    "load_roadmap_rules", "part_of", "roadmap_from_inputs", "roadmap_to_json", "write_exports",
]
