"""The one Jinja environment every HTML form of the report renders through (autoescaping on)."""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, select_autoescape

from align.report.formats import money, number, percent
from align.report.words import agreement_label, flag_label, robustness_label, training_is_the_way_in


def environment() -> Environment:
    """The templates under ``align/report/templates`` with align's number, flag and label filters."""
    env = Environment(loader=PackageLoader("align.report", "templates"),
                      autoescape=select_autoescape(["html", "j2"]), trim_blocks=True, lstrip_blocks=True)
    env.filters["num"] = number
    env.filters["pct"] = percent
    env.filters["money"] = money
    env.filters["flag_label"] = flag_label
    env.filters["robustness"] = robustness_label
    env.filters["agreement"] = agreement_label
    env.tests["training_flag"] = training_is_the_way_in
    return env
