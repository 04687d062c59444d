"""Reading the multi-region configuration (``regions.toml``): one state's regions sharing one set of inputs.

Its models live beside region.toml's in :mod:`align.config` (:class:`~align.config.StateConfig`). Each region becomes exactly the :class:`~align.config.RunConfig` a single-region ``region.toml``
with the same years, inputs and parameters would be, so a region's tables in the state run are
the tables of its own run. Regions are listed (``[[regions]]``) or taken as "every area of this
type in these files" (``[areas] type = "Labor Market Area"``, or ``"County"``), their counties
from :mod:`align.multiregion.areas`.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from align.config import Areas, Engine, Inputs, State, StateConfig, read_model
from align.errors import ConfigError

__all__ = ["Areas", "Engine", "State", "StateConfig", "is_state_config", "load"]


def is_state_config(path: str | Path) -> bool:
    """Whether a TOML file is a multi-region configuration (it has a [state] table)."""
    try:
        return "state" in tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return False


def load(path: str | Path) -> StateConfig:
    """Read and validate ``regions.toml``; every input file must exist."""
    path = Path(path)
    config = read_model(path, StateConfig)
    probe = config.region_config(config.state_region())
    for name in Inputs.model_fields:
        for f in probe.input_files(name):
            if not f.is_file():
                raise ConfigError(f"{path}: inputs.{name}: {f} is not a file")
    return config

