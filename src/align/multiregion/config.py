"""The multi-region configuration (``regions.toml``): one state's regions sharing one set of inputs.

Each region becomes exactly the :class:`~align.config.RunConfig` a single-region ``region.toml``
with the same years, inputs and parameters would be, so a region's tables in the state run are
the tables of its own run. Regions are listed (``[[regions]]``) or taken as "every area of this
type in these files" (``[areas] type = "Labor Market Area"``, or ``"County"``), their counties
from :mod:`align.multiregion.areas`.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from align import codes
from align.config import (
    Inputs,
    Outcomes,
    Parameters,
    Partners,
    Postings,
    Region,
    RunConfig,
    Years,
    read_model,
)
from align.errors import CodeError, ConfigError


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class State(_Strict):
    name: str = Field(description="The state's name as the statewide report shows it (e.g. New York).")
    id: str = Field(description="Slug for the run folder (runs/<id>/<run-id>).")
    state_fips: str = Field(description="2-digit state FIPS code; its QCEW area SS000 is the state's own series.")

    @field_validator("state_fips")
    @classmethod
    def _fips(cls, v: str) -> str:
        try:
            return codes.state_fips(v)
        except CodeError as exc:
            raise ValueError(str(exc)) from None

    @field_validator("id")
    @classmethod
    def _slug(cls, v: str) -> str:
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}", v):
            raise ValueError(f"state id {v!r} is not a plain slug (letters, digits, '-' and '_')")
        return v


class Areas(_Strict):
    """Every area of one published type, instead of a list of regions."""

    type: str = Field(description="An area type of the industry input: \"County\", or a state-defined type whose "
                                  "counties src/align/data/state_areas.csv lists (New York: \"Labor Market Area\").")
    only: list[str] | None = Field(default=None, description="Keep only these areas (titles as published).")


class Engine(_Strict):
    """Where the per-region and per-chunk work runs (Dask)."""

    kind: str = Field(default="dask", pattern="^(dask|serial)$",
                      description="\"dask\" (an embedded local cluster of processes, or `scheduler`) or \"serial\" "
                                  "(in this process; same results).")
    scheduler: str | None = Field(default=None, description="Address of an existing Dask scheduler (e.g. "
                                                           "tcp://10.0.0.5:8786); `align run --scheduler` overrides.")
    workers: int = Field(default=2, ge=1, description="Worker processes of the embedded local cluster.")
    retries: int = Field(default=2, ge=0, description="Times a task is re-run after its worker was lost.")
    regions_per_chunk: int = Field(default=4, ge=1, description="Regions forecast together in one panel task.")


class StateConfig(_Strict):
    state: State = Field(description="See [state].")
    years: Years = Field(description="See [years] of region.toml; shared by every region.")
    inputs: Inputs = Field(description="See [inputs] of region.toml; read once, shared by every region.")
    parameters: Parameters = Field(default_factory=Parameters, description="See [parameters] of region.toml.")
    regions: list[Region] | None = Field(default=None, description="The regions, as [[regions]] tables "
                                                                   "(name, id, counties): or give [areas].")
    areas: Areas | None = Field(default=None, description="See [areas]: every area of one type.")
    neighbours: dict[str, list[str]] = Field(
        default_factory=dict, description="Region id → ids of the regions bordering it, for duplicated effort "
                                          "across neighbours (default: every pair of regions).")
    reconcile: bool = Field(default=True, description="Scale the regions' industry projections proportionally to "
                                                      "the state's own projection (separate reconciled tables).")
    engine: Engine = Field(default_factory=Engine, description="See [engine].")
    postings: Postings | None = Field(default=None, description="See [postings] of region.toml.")
    outcomes: Outcomes | None = Field(default=None, description="See [outcomes] of region.toml.")
    partners: Partners | None = Field(default=None, description="See [partners] of region.toml.")
    output_dir: str = Field(default="runs", description="Where run folders go, relative to regions.toml.")

    base_dir: Path = Field(default=Path("."), exclude=True)

    @model_validator(mode="after")
    def _one_way(self) -> StateConfig:
        if (self.regions is None) == (self.areas is None):
            raise ValueError("give exactly one of [[regions]] or [areas]")
        ids = [r.slug for r in self.regions or []]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"region id(s) {twice} given twice")
        wrong = [r.slug for r in self.regions or [] if r.state_fips != self.state.state_fips]
        if wrong:
            raise ValueError(f"region(s) {wrong} are not in state {self.state.state_fips}")
        return self

    def region_config(self, region: Region) -> RunConfig:
        """The single-region configuration this region's part of the run is."""
        return RunConfig(region=region, years=self.years, inputs=self.inputs, parameters=self.parameters,
                         postings=self.postings, outcomes=self.outcomes, partners=self.partners,
                         output_dir=self.output_dir, base_dir=self.base_dir)

    def state_region(self) -> Region:
        """The state as a region of one area, its own QCEW series (``SS000``): the reconciliation's control."""
        return Region(name=self.state.name, id=self.state.id, state_fips=self.state.state_fips,
                      counties=[f"{self.state.state_fips}000"])

    def public_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude={"base_dir"})


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


SECTIONS = (("[state]", State), ("[areas]", Areas), ("[engine]", Engine), ("top level", StateConfig))
