"""Charts for the board report: matplotlib figures, as inline SVG for HTML and PNG for the PDFs.

Colours come from the Okabe–Ito palette, which colour-blind readers can tell apart, and every
chart also encodes the flag by marker shape or label so colour is never the only cue.
"""

from __future__ import annotations

import io
import re
import textwrap

import matplotlib
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

OKABE_ITO = {"shortage": "#D55E00", "surplus": "#0072B2", "balanced": "#009E73", "neutral": "#999999",
             "supply": "#56B4E9", "demand": "#E69F00"}
matplotlib.rcParams.update({"svg.hashsalt": "align", "font.size": 9, "font.family": "DejaVu Sans"})


def subplots(nrows: int = 1, ncols: int = 1, **kw) -> tuple[Figure, Axes]:
    """A figure and its axes without pyplot (no backend, no global figure list: a quarter of a
    second less to import, and nothing to close)."""
    fig = Figure(figsize=kw.pop("figsize", None))
    return fig, fig.subplots(nrows, ncols, **kw)


#: the margin around a chart's ink, as ``savefig(bbox_inches="tight")`` leaves it (inches)
PAD = 0.1


def svg(fig: Figure) -> str:
    """The figure as inline SVG for the HTML report (text drawn as paths: no markup from data).

    Drawn once, then cropped to its ink (and widened to labels that reach past the figure's edge)
    by the SVG's view box, on a white ground: what ``bbox_inches="tight"`` gives, without the two
    extra layout passes that option makes before drawing.
    """
    from matplotlib.backends.backend_mixed import MixedModeRenderer
    from matplotlib.backends.backend_svg import RendererSVG

    image_dpi, (width, height) = fig.dpi, fig.get_size_inches()
    fig.dpi = 72  # SVG units are points
    buf = io.StringIO()
    renderer = MixedModeRenderer(fig, width, height, image_dpi,
                                 RendererSVG(width * 72, height * 72, buf, image_dpi=image_dpi,
                                             metadata={"Date": None, "Creator": "align"}))
    fig.draw(renderer)
    renderer.finalize()
    box = fig.get_tightbbox(renderer).padded(PAD)
    text = buf.getvalue()
    text = text[text.index("<svg"):]
    x0, w, h = box.x0 * 72, box.width * 72, box.height * 72
    top = (height - box.y1) * 72  # SVG's y axis points down
    head = text[:text.index(">") + 1]
    view = f'width="{w:.2f}pt" height="{h:.2f}pt" viewBox="{x0:.2f} {top:.2f} {w:.2f} {h:.2f}"'
    ground = f'<rect x="{x0:.2f}" y="{top:.2f}" width="{w:.2f}" height="{h:.2f}" fill="#ffffff"/>'
    return re.sub(r'width="[^"]*" height="[^"]*" viewBox="[^"]*"', view, head, count=1) + ground + text[len(head):]


def png(fig: Figure, dpi: int = 200) -> bytes:
    """The figure as PNG at print resolution for the PDFs."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", pad_inches=PAD, metadata={"Software": None})
    return buf.getvalue()


def wrap(text: object, width: int = 30) -> str:
    """A label on as many lines as it needs: never cut off."""
    return textwrap.fill(str(text), width, break_long_words=False) or str(text)


def _lines(labels: list[str]) -> int:
    return sum(label.count("\n") + 1 for label in labels)


def _legend_above(ax: Axes, ncol: int = 2) -> None:
    """The legend above the plot, so it can never cover a bar."""
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.01), ncol=ncol, frameon=False, borderaxespad=0.2)


def _thousands(ax: Axes, axis: str = "x", prefix: str = "") -> None:
    fmt = FuncFormatter(lambda v, _: f"{prefix}{v:,.0f}")
    (ax.xaxis if axis == "x" else ax.yaxis).set_major_formatter(fmt)


def openings_vs_supply(gaps: pd.DataFrame, n: int = 15, *, largest: bool = True) -> Figure:
    """Horizontal bars: openings (with the 80% range where there is one) beside trained supply.

    ``largest`` picks the ``n`` largest gaps either way; otherwise the rows are drawn as given.
    """
    top = gaps.reindex(gaps["gap"].abs().sort_values(ascending=False).index).head(n) if largest else gaps.head(n)
    top = top.iloc[::-1]
    labels = [wrap(t, 34) for t in top["occupation_title"]]
    fig, ax = subplots(figsize=(7.5, 0.2 * _lines(labels) + 0.22 * len(top) + 1.0))
    y = range(len(top))
    low, high = top["annual_openings_low"], top["annual_openings_high"]
    has_range = bool(low.notna().any())
    ax.barh([i + 0.2 for i in y], top["annual_openings"], height=0.4, color=OKABE_ITO["demand"],
            label="Openings a year" + (" (line: 80% range)" if has_range else ""),
            xerr=[(top["annual_openings"] - low).fillna(0), (high - top["annual_openings"]).fillna(0)]
            if has_range else None, error_kw={"elinewidth": 1, "capsize": 2})
    ax.barh([i - 0.2 for i in y], top["effective_supply"], height=0.4, color=OKABE_ITO["supply"],
            hatch="//", label="Trained supply a year (graduates who stay and work)")
    ax.set_yticks(list(y), labels)
    ax.set_xlabel("People a year")
    _thousands(ax)
    _legend_above(ax)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def ratio_bands(gaps: pd.DataFrame, order: list[str], labels: dict[str, str] | None = None) -> Figure:
    """How many jobs have each finding: one bar each, the finding in words beside it (never overlapping)."""
    counts = gaps["flag"].value_counts().reindex(order).fillna(0).iloc[::-1]
    fig, ax = subplots(figsize=(7.5, 0.3 * len(counts) + 0.8))
    colours = [OKABE_ITO["shortage"] if "under" in f or "no regional" in f else
               OKABE_ITO["surplus"] if "over" in f else
               OKABE_ITO["balanced"] if f == "balanced" else OKABE_ITO["neutral"] for f in counts.index]
    bars = ax.barh(range(len(counts)), counts.to_numpy(), color=colours)
    ax.bar_label(bars, fmt="%d", padding=2)
    ax.set_yticks(range(len(counts)), [(labels or {}).get(f, f) for f in counts.index])
    ax.set_xlabel("Jobs")
    ax.margins(x=0.08)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def duplication_clusters(dup: pd.DataFrame) -> Figure:
    """Combined supply vs allocated demand for each multi-provider program, award level in the label."""
    d = dup.head(10).iloc[::-1]
    labels = [f"{'⚑ ' if bool(dup_) else ''}" + wrap(f"{str(t or c).rstrip('.')}, {a} ({n} providers)", 40)
              for t, c, a, n, dup_ in zip(d["cip_title"], d["cip_code"], d["award_label"], d["n_providers"],
                                          d["is_duplicated"], strict=True)]
    fig, ax = subplots(figsize=(7.5, 0.2 * _lines(labels) + 0.22 * len(d) + 1.0))
    y = range(len(d))
    ax.barh([i + 0.2 for i in y], d["allocated_demand"], height=0.4, color=OKABE_ITO["demand"],
            label="Openings the program serves")
    ax.barh([i - 0.2 for i in y], d["combined_supply"], height=0.4, color=OKABE_ITO["supply"], hatch="//",
            label="Trained supply from all its providers")
    ax.set_yticks(list(y), labels)
    ax.set_xlabel("People a year  (⚑ = duplicated effort)")
    _thousands(ax)
    _legend_above(ax)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def duplication_by_provider(dup: pd.DataFrame, programs: pd.DataFrame, n: int = 4) -> Figure:
    """Completers per provider inside each duplicated cluster, names on the bars (no legend to decode)."""
    clusters = dup[dup["is_duplicated"].astype(bool)].sort_values("excess_supply", ascending=False).head(n)
    fig, axes = subplots(len(clusters), 1, figsize=(7.5, sum(0.3 * c + 1.0 for c in clusters["n_providers"])),
                             squeeze=False)
    for ax, c in zip(axes[:, 0], clusters.itertuples(), strict=True):
        p = programs[(programs["cip_code"] == c.cip_code) & (programs["award_level"].astype(str) == str(c.award_level))]
        p = p.groupby("provider_name", dropna=False)["completers"].sum().sort_values()
        bars = ax.barh(range(len(p)), p.to_numpy(), color=OKABE_ITO["supply"], hatch="//", edgecolor="#333333",
                       linewidth=0.4)
        ax.bar_label(bars, fmt="%.0f", padding=2, fontsize=8)
        ax.set_yticks(range(len(p)), [wrap(name, 36) for name in p.index])
        name = str(c.cip_title or c.cip_code).rstrip(".")
        ax.set_title(wrap(f"⚑ {name}, {c.award_label}: {p.sum():,.0f} graduates a year, {c.combined_supply:,.0f} "
                          f"likely to stay and work, for {c.allocated_demand:,.0f} openings", 90),
                     fontsize=8, loc="left")
        ax.margins(x=0.12)
        ax.spines[["top", "right"]].set_visible(False)
    axes[-1, 0].set_xlabel("Graduates a year, by provider")
    fig.tight_layout()
    return fig


def pathway_ladder(ladders: pd.DataFrame | None, ladder_id: object = None) -> Figure | None:
    """One career ladder as steps with wages (the best-paying one unless ``ladder_id`` is given)."""
    need = {"step", "wage_annual_median", "occupation_title", "ladder_id"}
    if ladders is None or not len(ladders) or not need <= set(ladders.columns):
        return None
    if ladder_id is None:
        ladder_id = ladders["ladder_id"].iloc[0]
    first = ladders[ladders["ladder_id"] == ladder_id].sort_values("step").dropna(subset=["wage_annual_median"])
    if len(first) < 2:
        return None
    fig, ax = subplots(figsize=(7.5, 3.0))
    x = list(range(len(first)))
    wages = first["wage_annual_median"].to_numpy()
    ax.step(x, wages, where="mid", color=OKABE_ITO["surplus"], lw=1.5)
    ax.plot(x, wages, "o", color=OKABE_ITO["surplus"])
    for i, w in enumerate(wages):
        ax.annotate(f"${w:,.0f}", (i, w), textcoords="offset points", xytext=(0, 7), ha="center", fontsize=8)
    ax.set_xticks(x, [f"Step {i + 1}\n{wrap(t, 22)}" for i, t in enumerate(first["occupation_title"])], fontsize=7.5)
    ax.set_ylabel("Median pay a year")
    _thousands(ax, "y", prefix="$")
    ax.margins(x=0.08, y=0.25)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def industry_forecasts(history: pd.DataFrame, forecast: pd.DataFrame, codes: list[str],
                       titles: dict[str, str]) -> Figure:
    """History and projection with 80% and 95% intervals for the largest industries."""
    n = len(codes)
    fig, axes = subplots((n + 1) // 2, 2, figsize=(7.5, 2.1 * ((n + 1) // 2)), sharex=True)
    for ax, code in zip(axes.ravel(), codes, strict=False):
        h = history[history["naics_code"] == code]
        f = forecast[forecast["series_id"] == code]
        ax.plot(h["period"], h["employment"], color="#000000", lw=1.2, marker="o", ms=2.5, label="observed")
        ax.fill_between(f["period"], f["lo95"], f["hi95"], color=OKABE_ITO["supply"], alpha=0.25, lw=0)
        ax.fill_between(f["period"], f["lo80"], f["hi80"], color=OKABE_ITO["supply"], alpha=0.45, lw=0)
        ax.plot(f["period"], f["forecast"], color=OKABE_ITO["surplus"], lw=1.2, ls="--", label="projected")
        ax.set_title(wrap(f"{titles.get(code, code)} ({code})", 48), fontsize=8)
        _thousands(ax, "y")
        ax.spines[["top", "right"]].set_visible(False)
    for ax in axes.ravel()[n:]:
        ax.set_visible(False)
    fig.tight_layout()
    return fig
