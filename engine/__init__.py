"""Regional roadmap decision-support engine for Kazakhstan.

The importable core: data loading and validation, disparity metrics, rules, optimization, simulation and
roadmap exports. Nothing here imports Streamlit.
"""

__version__ = "0.1.0"
