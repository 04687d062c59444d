"""The words a board member reads: flag labels, thresholds as round numbers, and the glossary.

The tables keep their precise names (``undersupply``, ``effective_supply``) for analysts; every
report form translates them here, so a term reads the same in the packet, the HTML and the
workbook, and each one the packet uses is defined in its glossary.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from align.match import gaps as G

FLAG_LABEL = {G.UNDERSUPPLY: "shortage", G.SLIGHT_UNDERSUPPLY: "slight shortage",
              G.NO_PROGRAM: "shortage: no program in the region", G.BALANCED: "in balance",
              G.SLIGHT_OVERSUPPLY: "slight surplus", G.OVERSUPPLY: "surplus",
              G.ON_THE_JOB: "learned on the job", G.EXPERIENCED: "filled from experience",
              G.BELOW_MINIMUM: "too few openings to judge", G.NATIONAL: "hired nationally"}
# Flags where training programs are the usual way into the job: only there is a shortage of
# trained people (and so a chance of shortage) a meaningful thing to print.
TRAINING_FLAGS = (*G.SHORTAGE_FLAGS, G.BALANCED, *G.SURPLUS_FLAGS)

ROBUSTNESS_LABEL = {"short under every allocation": "short however graduates are split among the jobs they "
                                                    "train for",
                    "surplus under every allocation": "a surplus however graduates are split among the jobs "
                                                      "they train for",
                    "short under most allocations": "short under most ways of splitting graduates among jobs",
                    "surplus under most allocations": "a surplus under most ways of splitting graduates among jobs",
                    "depends on the allocation": "short or not depending on how graduates are split among jobs",
                    "no regional program": "no program in the region"}
AGREEMENT_LABEL = {"both high": "many job postings and many projected openings: they agree",
                   "both low": "few job postings and few projected openings: they agree",
                   "postings only": "many job postings, though the projections expect few openings",
                   "projections only": "few job postings, though the projections expect many openings"}


def flag_label(flag: Any) -> str:
    """The flag in plain words (an unknown flag reads as itself, never as blank)."""
    return FLAG_LABEL.get(str(flag), str(flag).replace("_", " "))


def training_is_the_way_in(flag: Any) -> bool:
    return str(flag) in TRAINING_FLAGS


def robustness_label(value: Any) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return ROBUSTNESS_LABEL.get(str(value), str(value))


def agreement_label(value: Any) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    text = str(value)
    for key, label in AGREEMENT_LABEL.items():
        if text.startswith(key):
            return label
    return text


def per_hundred(ratio: float) -> int:
    """A supply/demand threshold as trained people per 100 openings, to the nearest 5 (0.59 → 60)."""
    return int(round(float(ratio) * 20) * 5)


def band_sentences(bands: dict) -> list[str]:
    """The flag bands as a board member reads them: trained people for every 100 openings."""
    if not bands:
        return []
    u, s, b, o = (per_hundred(bands[k]) for k in ("undersupply", "slight_undersupply", "balanced",
                                                  "slight_oversupply"))
    return [f"Shortage: fewer than {u} trained people for every 100 openings.",
            f"Slight shortage: {u} to {s} for every 100 openings.",
            f"In balance: {s} to {b}.",
            f"Slight surplus: {b} to {o}.",
            f"Surplus: more than {o} for every 100 openings."]


def glossary(params: dict) -> list[tuple[str, str]]:
    """The terms the board packet uses, each in a sentence or two."""
    bands = params.get("flag_bands") or {}
    minimum = params.get("min_openings")
    retention, participation = params.get("retention"), params.get("participation")
    kept = ""
    if retention is not None and participation is not None:
        kept = (f" We assume {float(retention):.0%} stay in the region and {float(participation):.0%} of "
                f"those look for work.")
    terms = [
        ("Openings", "Jobs employers will need to fill each year. They come from growth and from workers who "
                     "retire or change jobs."),
        ("Trained supply", "People who finish a program in the region each year and are likely to stay and "
                           "work in the job." + kept),
        ("Gap", "Openings minus trained supply. A positive gap means more jobs than trained people."),
        ("Shortage and surplus",
         " ".join(band_sentences(bands)) or "Trained people for every 100 openings, in bands."),
        ("Chance of shortage", "How likely it is that openings will be more than trained supply, given how "
                               "unsure the forecast is. We show it only where training is the usual way in."),
        ("80% range", "The forecast expects the true number to fall in this range 8 times in 10."),
        ("Learned on the job", "Workers usually start with no college credential, and employers train them. "
                               "A lack of graduates is not a training gap here."),
        ("Filled from experience", "The job needs years of work in a related job, so new graduates do not "
                                   "fill it directly."),
        ("Duplicated effort", "Several providers offer the same program, and together they train more "
                              "people than the jobs it leads to need."),
        ("Award level", "The kind of credential: a certificate, an associate's degree, a bachelor's degree, "
                        "and so on."),
        ("Career ladder", "A series of jobs a worker can climb, each one paying more than the last."),
        ("Withheld (suppressed)", "Too few people to publish safely. The number is kept back, not zero."),
    ]
    if minimum is not None:
        terms.append(("Too few openings to judge", f"Fewer than {float(minimum):,.0f} openings a year. "
                                                   "These jobs are listed in the full tables only."))
    return terms
