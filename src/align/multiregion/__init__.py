"""Every region of a state in one run (``align run regions.toml``), on Dask.

:mod:`~align.multiregion.config` (the ``regions.toml`` model), :mod:`~align.multiregion.areas`
(which regions), :mod:`~align.multiregion.engine` (Dask or serial), :mod:`~align.multiregion.run`
(the steps and the run folder), :mod:`~align.multiregion.reconcile` (regions controlled to the
state's projection) and :mod:`~align.multiregion.statewide` (the tables across regions).
"""
