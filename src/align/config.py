"""The run configuration (``region.toml``), validated before any work is done.

A planning run is only reproducible if its configuration is complete and unambiguous, so an
unknown key, a wrong type or a missing input file stops the run with one line naming it.
"""

from __future__ import annotations

import glob
import re
import tomllib
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from align import codes
from align.errors import CodeError, ConfigError


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Region(_Strict):
    name: str = Field(description="The region's name as the report shows it.")
    id: str | None = Field(default=None, description="Slug for run folders; derived from name if absent.")
    state_fips: str = Field(description="2-digit state FIPS code.")
    counties: list[str] = Field(min_length=1, description="5-digit county FIPS codes that make up the region.")
    cbsa: str | None = Field(default=None, description="Metro (CBSA) code, where the region is one.")

    @field_validator("state_fips")
    @classmethod
    def _state(cls, v: str) -> str:
        return _code(codes.state_fips, v)

    @field_validator("counties")
    @classmethod
    def _counties(cls, v: list[str]) -> list[str]:
        return sorted({_code(codes.fips, c) for c in v})

    @field_validator("id")
    @classmethod
    def _plain_slug(cls, v: str | None) -> str | None:
        return v if v is None else _slug("region", v)

    @property
    def slug(self) -> str:
        return self.id or re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-")


class Years(_Strict):
    base: int = Field(ge=1990, le=2100, description="Last year of observed employment used as the base.")
    target: int = Field(ge=1990, le=2100, description="Projection year.")
    history_start: int | None = Field(default=None, description="Ignore employment history before this year.")
    base_average: list[int] | None = Field(
        default=None, description="Use the average of these years' industry employment as the base level (e.g. "
                                  "[2018, 2019] when the base year is a recession or one-off shock); the forecast's "
                                  "growth from the base year is kept.")

    @model_validator(mode="after")
    def _order(self) -> Years:
        if self.target <= self.base:
            raise ValueError(f"target year {self.target} must come after base year {self.base}")
        late = [y for y in self.base_average or [] if y > self.base]
        if late:
            raise ValueError(f"base_average years {late} come after the base year {self.base}")
        if self.history_start is not None and self.history_start >= self.base:
            raise ValueError(f"history_start {self.history_start} must come before the base year {self.base}")
        return self

    @property
    def horizon(self) -> int:
        return self.target - self.base


class Input(_Strict):
    """Where one table comes from: published file(s) read by a named connector."""

    source: str = Field(description="Connector name, e.g. qcew, ep, ipeds_completions.")
    path: str | None = Field(default=None, description="One file (or a glob), relative to region.toml.")
    paths: list[str] | None = Field(default=None, description="Several files or globs, relative to region.toml.")
    options: dict[str, Any] = Field(default_factory=dict, description="Passed to the connector's parse (e.g. columns=).")
    fetch: list[dict[str, Any]] | None = Field(
        default=None, description="What `align fetch` downloads: one dict of the connector's fetch options each.")
    accept_gaps: list[str] = Field(
        default_factory=list,
        description="Keys this input may lack, as the coverage error prints them (QCEW: \"39049 2019 A\" for "
                    "county, year, quarter; IPEDS completions: \"496061 2023\" for UNITID, year). The report "
                    "notes each one.")

    @model_validator(mode="after")
    def _one_of(self) -> Input:
        if (self.path is None) == (self.paths is None):
            raise ValueError("give exactly one of 'path' or 'paths'")
        return self

    def patterns(self) -> list[str]:
        return [self.path] if self.path is not None else list(self.paths or [])


class Inputs(_Strict):
    industry_employment: Input = Field(description="QCEW area slices (source qcew).")
    staffing_patterns: Input = Field(description="OEWS industry staffing patterns (source oews_staffing).")
    occupation_projections: Input = Field(description="BLS Employment Projections: separation rates, entry education (ep).")
    completions: Input = Field(description="IPEDS completions C{year}_A (ipeds_completions).")
    providers: Input = Field(description="IPEDS institution directory HD{year} (ipeds_hd).")
    cip_soc: Input = Field(description="CIP 2020 – SOC 2018 crosswalk (cip_soc).")
    training_inventory: Input | None = Field(default=None, description="ETPL, apprenticeship, non-credit programs.")
    occupation_wages: Input | None = Field(default=None, description="OEWS cross-industry wages (oews).")
    occupation_control: Input | None = Field(
        default=None, description="OEWS area estimates (oews or oews_database) the occupational mix is fitted to.")
    onet_related: Input | None = Field(default=None, description="O*NET Related Occupations, for pathways.")
    onet_job_zones: Input | None = Field(default=None, description="O*NET Job Zones, for pathways.")
    postings: Input | None = Field(default=None, description="Job postings (usajobs or postings_csv).")
    employer_hiring_plans: Input | None = Field(
        default=None, description="Employer hiring-plan survey (employer_hiring_plans; docs/employer_hiring_plans.md).")
    partner_inventory: Input | None = Field(
        default=None, description="Partner funding, support services, work-based learning (partner_inventory; "
                                  "docs/partner_inventory.md).")


class Postings(_Strict):
    """How job postings are coded to occupations and compared with the projections."""

    onet: str = Field(description="Folder of O*NET text files the title autocoder learns from.")
    census_index: str | None = Field(default=None, description="Census 2022 Alphabetical Index of Occupations (xlsx or CSV) the autocoder also learns from.")
    corrections: str | None = Field(default=None, description="CSV of title, soc_code corrections the autocoder applies first and learns from.")
    threshold: float = Field(default=0.5, gt=0, lt=1, description="Below this confidence a title is unknown.")
    window_days: int = Field(default=60, ge=0, description="Re-postings within this many days are duplicates.")


class Outcomes(_Strict):
    """Participant records for the shared outcome metrics (hashed on the way in)."""

    records: str = Field(description="CSV or Parquet in the participant-records template.")
    min_cell: int = Field(default=10, ge=3, description="Suppress cells with fewer people than this (at least 3: "
                                                      "smaller cells identify people).")
    hire_window_days: int = Field(default=180, ge=1, description="Externship-to-hire counts hires within this window.")
    as_of: str | None = Field(default=None, description="Date outcomes are observed to (YYYY-MM-DD).")
    salt_env: str = Field(default="ALIGN_HASH_SALT", description="Environment variable holding the salt.")

    @field_validator("as_of")
    @classmethod
    def _iso_date(cls, v: str | None) -> str | None:
        import datetime as dt

        if v is not None:
            try:
                dt.date.fromisoformat(v)
            except ValueError:
                raise ValueError(f"as_of {v!r} is not a date written YYYY-MM-DD") from None
        return v


class Partners(_Strict):
    """Thresholds of the partner views: employer-survey suppression, signals, funding, support."""

    onet: str | None = Field(default=None, description="O*NET folder to code employer job titles; default: "
                                                       "[postings] onet.")
    threshold: float = Field(default=0.5, gt=0, lt=1, description="Below this confidence an employer's title "
                                                                  "is not coded (and not counted).")
    min_employers: int = Field(default=3, ge=1, description="Suppress employer-survey cells with fewer employers.")
    dominance: float = Field(default=0.8, gt=0, le=1, description="Suppress a cell where one employer holds this "
                                                                  "share of its total or more.")
    far_more_ratio: float = Field(default=2.0, gt=1, description="Employer hires ÷ projected openings at or above "
                                                                 "this: employers report far more.")
    stacked_streams: int = Field(default=3, ge=2, description="Funding streams on one program that count as "
                                                             "stacked funding.")
    essential_services: list[str] = Field(
        default_factory=lambda: ["childcare", "transportation", "coaching"],
        description="Support services completion depends on; a pathway none of whose programs offers one lacks it.")
    unknown_programs: Literal["error", "note"] = Field(
        default="error", description="Partner-inventory program ids the run does not have: stop, or leave out with "
                                     "a note.")

    @field_validator("essential_services")
    @classmethod
    def _services(cls, v: list[str]) -> list[str]:
        from align.partners.vocabulary import SUPPORT_SERVICES

        bad = [s for s in v if s not in SUPPORT_SERVICES]
        if bad:
            raise ValueError(f"unknown support service(s) {bad}; use {', '.join(SUPPORT_SERVICES)}")
        return v


class FlagBands(_Strict):
    """Supply/demand ratio bands (upper bounds, inclusive), as practitioners publish them."""

    undersupply: float = Field(default=0.59, description="Ratio at or below this: undersupply.")
    slight_undersupply: float = Field(default=0.90, description="At or below this: slight undersupply.")
    balanced: float = Field(default=1.20, description="At or below this: balanced.")
    slight_oversupply: float = Field(default=1.49, description="At or below this: slight oversupply; above: oversupply.")

    @model_validator(mode="after")
    def _increasing(self) -> FlagBands:
        b = [self.undersupply, self.slight_undersupply, self.balanced, self.slight_oversupply]
        if any(x >= y for x, y in pairwise(b)) or b[0] <= 0:
            raise ValueError(f"flag bands must be positive and increasing, got {b}")
        return self


class Parameters(_Strict):
    ownerships: list[str] = Field(default_factory=lambda: ["1", "2", "3", "5"],
                                  description="QCEW own_codes summed into industry employment.")
    naics_digits: int = Field(default=3, ge=2, le=6, description="NAICS level of the industry forecasts.")
    government_industry_code: str | None = Field(
        default=None, description="Sum federal, state and local government into this industry (OEWS uses 99).")
    completion_years: list[int] | None = Field(default=None, description="Years averaged; default: all given.")
    allocation: Literal["proportional", "education-weighted", "naive"] = Field(
        default="proportional", description="How completers are shared among occupations (docs/matching.md).")
    retention: float = Field(default=0.80, gt=0, le=1, description="Share of completers who stay in the region.")
    participation: float = Field(default=0.90, gt=0, le=1, description="Share who enter the labour force.")
    continuing_study: float | None = Field(
        default=None, ge=0, lt=1,
        description="One share of completers who go on to further study, for every program; default: the sourced "
                    "table by award level and field (src/align/data/continuing_study.csv).")
    general_related_share: float = Field(
        default=0.27, ge=0, le=1,
        description="Share of a general academic field's graduates (psychology, biology, English ...) counted toward "
                    "the field's own occupations; the rest is not occupation-specific (docs/matching.md).")
    rn_to_bsn_share: float = Field(
        default=0.30, ge=0, le=1,
        description="Share of bachelor's nursing completers who are RN-to-BSN, already registered nurses (IPEDS "
                    "cannot separate them).")
    post_licensure_share: dict[str, float] = Field(
        default_factory=dict, description="Per provider (UNITID): its own RN-to-BSN share, e.g. {\"204796\" = 0.2}.")
    regional_share: dict[str, float] = Field(
        default_factory=dict,
        description="Per provider (UNITID): share of its IPEDS completers counted as the region's, for a unit whose "
                    "report covers campuses or online students elsewhere, e.g. {\"203386\" = 0.2}.")
    min_program_supply: float = Field(
        default=5.0, ge=0,
        description="Regional supply below this many a year does not count as a regional program in a flag: a "
                    "handful of completers cannot turn on-the-job entry into a shortage.")
    min_program_share: float = Field(
        default=0.05, ge=0, le=1,
        description="For occupations entered with a high-school diploma or less, regional programs count in the flag "
                    "only if they supply at least this share of the openings (else: on-the-job entry).")
    material_gap: float = Field(
        default=25.0, ge=0, description="A shortage or surplus smaller than this many a year is not material.")
    duplication_material_supply: float = Field(
        default=25.0, ge=0, description="A duplicated cluster leads the report only if its combined supply reaches this.")
    duplication_material_excess: float = Field(
        default=10.0, ge=0, description="... and its excess over the openings it serves reaches this.")
    min_openings: float = Field(default=10.0, ge=0, description="No flag below this many annual openings.")
    flag_bands: FlagBands = Field(default_factory=FlagBands, description="See [parameters.flag_bands].")
    duplication_margin: float = Field(default=0.20, ge=0, description="Cluster supply above demand by this share.")
    thin_program_completers: float = Field(default=10.0, ge=0, description="Below this, a program is thin.")
    supply_uncertainty: bool = Field(
        default=False, description="Add year-to-year swings in completers to the probability of shortage.")
    experienced_entry: list[str] = Field(
        default_factory=lambda: ["5 years or more"],
        description="BLS work-experience levels that new completers cannot enter with; such occupations are "
                    "filled from experience and receive no completers.")
    prefer_matching_level: bool = Field(
        default=True, description="A doctoral or professional award mapping to national-market occupations "
                                   "(doctoral entry, postsecondary teachers) supplies only those.")
    entry_education_tolerance: int = Field(
        default=0, ge=0, le=2, description="Count awards this many levels below an occupation's entry education "
                                           "(1: a certificate supplies an associate's-level occupation).")
    max_overqualification: int | None = Field(
        default=2, ge=0, le=5,
        description="An award supplies no occupation more than this many education levels below it (a master's "
                    "does not supply certificate-level jobs); none for no limit.")
    allow_below_entry_education: bool = Field(
        default=False, description="Let awards below an occupation's entry education supply it.")
    control_area: str | list[str] | None = Field(
        default=None, description="OEWS area(s) of occupation_control, in order of preference (an MSA code such as "
                                  "18140, a state such as 39); default: the region's cbsa, else its state.")
    state_reference: bool = Field(
        default=True, description="Where the industry input holds the state's own area (e.g. 36000), forecast "
                                  "with its series of each industry as the reference (shift-share, shrinkage, "
                                  "pooled models); the backtest keeps them only where they win.")
    self_employment: bool = Field(
        default=True, description="Add the self-employed from the Employment Projections' self-employed share, so "
                                  "exits and transfers apply to total employment as BLS computes them.")
    max_join_loss: float = Field(
        default=0.05, ge=0, le=1, description="Largest share of jobs, completers or programs a join between inputs "
                                              "may lose before the run stops (below it the report notes the loss).")
    staffing_geography: str | list[str] | None = Field(
        default=None, description="Staffing pattern geography, or several in order of preference (own, state, US).")

    @field_validator("post_licensure_share", "regional_share")
    @classmethod
    def _shares(cls, v: dict[str, float]) -> dict[str, float]:
        bad = {k: x for k, x in v.items() if not 0 <= x <= 1}
        if bad:
            raise ValueError(f"shares must lie between 0 and 1, got {bad}")
        return v

    @field_validator("ownerships")
    @classmethod
    def _owners(cls, v: list[str]) -> list[str]:
        bad = [o for o in v if o not in {"0", "1", "2", "3", "5", "8", "9"}]
        if bad:
            raise ValueError(f"unknown QCEW own_code(s) {bad}; use 1, 2, 3, 5 (or 0 for all)")
        return sorted(v)


class RunConfig(_Strict):
    region: Region = Field(description="See [region].")
    years: Years = Field(description="See [years].")
    inputs: Inputs = Field(description="See [inputs].")
    parameters: Parameters = Field(default_factory=Parameters, description="See [parameters].")
    outcomes: Outcomes | None = Field(default=None, description="See [outcomes]; metrics only when given.")
    postings: Postings | None = Field(default=None, description="See [postings]; needed to code postings.")
    partners: Partners | None = Field(default=None, description="See [partners]; defaults apply when absent.")
    output_dir: str = Field(default="runs", description="Where run folders go, relative to region.toml.")

    # set by load(): the folder relative paths are resolved against
    base_dir: Path = Field(default=Path("."), exclude=True)

    def fetch_folder(self, name: str) -> Path:
        """Where `align fetch` puts an input's downloads: the folder of its path pattern."""
        spec: Input = getattr(self.inputs, name)
        return (self.base_dir / spec.patterns()[0]).parent

    def input_files(self, name: str) -> list[Path]:
        """The files for one input, globs expanded and sorted, relative to the config file."""
        spec: Input | None = getattr(self.inputs, name)
        if spec is None:
            return []
        files: list[Path] = []
        for pattern in spec.patterns():
            full = self.base_dir / pattern
            matched = sorted(Path(p) for p in glob.glob(str(full)))
            if not matched:
                raise ConfigError(f"inputs.{name}: no file matches {pattern!r} (looked in {self.base_dir})")
            files += matched
        return files

    def public_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude={"base_dir"})


# --- regions.toml: every region of a state in one run (align.multiregion) ---------------------

class State(_Strict):
    name: str = Field(description="The state's name as the statewide report shows it (e.g. New York).")
    id: str = Field(description="Slug for the run folder (runs/<id>/<run-id>).")
    state_fips: str = Field(description="2-digit state FIPS code; its QCEW area SS000 is the state's own series.")

    @field_validator("state_fips")
    @classmethod
    def _fips(cls, v: str) -> str:
        return _code(codes.state_fips, v)

    @field_validator("id")
    @classmethod
    def _slug(cls, v: str) -> str:
        return _slug("state", v)


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
    retries: int = Field(default=2, ge=0, description="Times a task that failed is run again (a task whose worker "
                                                      "was lost is re-run by the scheduler in any case).")


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



M = TypeVar("M", bound=BaseModel)


def _slug(what: str, value: str) -> str:
    """An id names a folder under output_dir: "../x" or "a/b" would write outside it."""
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}", value):
        raise ValueError(f"{what} id {value!r} is not a plain slug (letters, digits, '-' and '_', "
                         f"starting with a letter or digit)")
    return value


def _code(normaliser: Any, value: str) -> str:
    try:
        return normaliser(value)
    except CodeError as exc:
        raise ValueError(str(exc)) from None


def read_model(path: Path, model: type[M]) -> M:
    """A TOML configuration file validated by ``model``, its folder as ``base_dir``; one line per mistake."""
    if not path.is_file():
        raise ConfigError(f"{path}: configuration file not found")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    try:
        return model.model_validate({**raw, "base_dir": path.resolve().parent})
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "(top level)"
        if err["type"] == "extra_forbidden":
            raise ConfigError(f"{path}: unknown key '{where}'") from None
        if err["type"] == "missing":
            raise ConfigError(f"{path}: missing required key '{where}'") from None
        raise ConfigError(f"{path}: '{where}': {err['msg']} (got {err.get('input')!r})") from None


def load(path: str | Path, *, require_files: bool = True) -> RunConfig:
    """Read and validate ``region.toml``; every input file must exist (unless about to be fetched)."""
    path = Path(path)
    config = read_model(path, RunConfig)
    if not require_files:
        return config
    for name in Inputs.model_fields:
        for f in config.input_files(name):
            if not f.is_file():
                raise ConfigError(f"{path}: inputs.{name}: {f} is not a file")
    if config.postings is not None and not (config.base_dir / config.postings.onet).is_dir():
        raise ConfigError(f"{path}: postings.onet: {config.postings.onet} is not a folder")
    if config.partners is not None and config.partners.onet is not None \
            and not (config.base_dir / config.partners.onet).is_dir():
        raise ConfigError(f"{path}: partners.onet: {config.partners.onet} is not a folder")
    if config.outcomes is not None and not (config.base_dir / config.outcomes.records).is_file():
        raise ConfigError(f"{path}: outcomes.records: {config.outcomes.records} is not a file")
    return config


def reference() -> str:
    """The region.toml reference in Markdown, written from the models themselves (docs/configuration.md)."""
    sections = [("[region]", Region), ("[years]", Years), ("[inputs.NAME] (each input)", Input),
                ("[inputs] (which inputs)", Inputs), ("[parameters]", Parameters),
                ("[parameters.flag_bands]", FlagBands), ("[postings]", Postings), ("[outcomes]", Outcomes),
                ("[partners]", Partners),
                ("top level", RunConfig)]
    lines = ["# region.toml reference", "",
             "Generated by `python -m align.config` from the configuration models; an unknown key, a wrong",
             "type or a missing file stops a run with one line naming it. `data/demo/region.toml` is a",
             "working example.", ""]
    lines += _tables(sections)
    lines += ["# regions.toml reference (every region of a state in one run)", "",
              "`align run regions.toml` runs every region of one state with one set of inputs: the [years],",
              "[inputs], [parameters], [postings], [outcomes] and [partners] sections are those of region.toml,",
              "shared by every region; each `[[regions]]` table is a [region] of region.toml. The run writes",
              "one folder: each region's complete run under `regions/<id>/`, the statewide tables and report,",
              "and one manifest. `data/examples/new-york-state/regions.toml` is a working example.", ""]
    return "\n".join(lines + _tables(STATE_SECTIONS))


STATE_SECTIONS = (("[state]", State), ("[areas]", Areas), ("[engine]", Engine), ("top level", StateConfig))


def _tables(sections: list[tuple[str, type[BaseModel]]] | tuple) -> list[str]:
    lines: list[str] = []
    for title, model in sections:
        lines += [f"## {title}", "", "| key | type | default | meaning |", "|---|---|---|---|"]
        for name, field in model.model_fields.items():
            if field.exclude:
                continue
            kind = str(field.annotation).replace("typing.", "").replace("<class '", "").replace("'>", "")
            kind = re.sub(r"[\w.]+\.(\w+)", r"\1", kind).replace(" | ", " or ")
            default = "required" if field.is_required() else repr(
                field.default_factory() if field.default_factory else field.default)
            doc = (field.description or "").replace("|", "\\|")
            lines.append(f"| `{name}` | {kind} | {default} | {doc} |")
        lines.append("")
    return lines


if __name__ == "__main__":
    print(reference())
