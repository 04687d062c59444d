"""align: regional workforce planning — labour-market demand against training supply.

The public contract that connectors and notebooks rely on lives in :mod:`align.codes`,
:mod:`align.schemas`, :mod:`align.errors` and :mod:`align.connector`.
"""

__version__ = "0.1.0"
