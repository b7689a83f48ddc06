"""The engine below the region level: district and settlement datasets.

:mod:`engine.core.scale.districts` builds the district dataset from the reference tables (estimates flagged);
:mod:`engine.core.scale.settlements` generates a labelled synthetic settlement dataset; both write the dataset
format of :mod:`engine.core.data` (:mod:`engine.core.scale.writer`), so the baseline, the response model, the
simulator and the optimizer run on them unchanged.
"""
