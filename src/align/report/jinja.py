"""The one Jinja environment every HTML form of the report renders through (autoescaping on).

Compiled templates are kept beside the parse cache (:mod:`align.caches`; keyed by each
template's source, so an edited template is compiled again): compiling the report's template
took a tenth of a second of every run.
"""

from __future__ import annotations

from jinja2 import (
    BytecodeCache,
    Environment,
    FileSystemBytecodeCache,
    PackageLoader,
    select_autoescape,
)

from align import caches
from align.report.formats import money, number, percent
from align.report.words import agreement_label, flag_label, robustness_label, training_is_the_way_in


def environment() -> Environment:
    """The templates under ``align/report/templates`` with align's number, flag and label filters."""
    env = Environment(loader=PackageLoader("align.report", "templates"), bytecode_cache=_compiled(),
                      autoescape=select_autoescape(["html", "j2"]), trim_blocks=True, lstrip_blocks=True)
    env.filters["num"] = number
    env.filters["pct"] = percent
    env.filters["money"] = money
    env.filters["flag_label"] = flag_label
    env.filters["robustness"] = robustness_label
    env.filters["agreement"] = agreement_label
    env.tests["training_flag"] = training_is_the_way_in
    return env


def _compiled() -> BytecodeCache | None:
    """Where compiled templates are kept (none when the parse cache is off or cannot be written)."""
    root = caches.folder()
    if root is None:
        return None
    folder = root.parent / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(folder))
