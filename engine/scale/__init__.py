"""The engine below the region level: district and settlement datasets.

:mod:`engine.scale.districts` builds the district dataset from the reference tables (estimates flagged);
:mod:`engine.scale.settlements` generates a labelled synthetic settlement dataset; both write the dataset
format of :mod:`engine.data` (:mod:`engine.scale.writer`), so the baseline, the response model, the
simulator and the optimizer run on them unchanged.
"""
