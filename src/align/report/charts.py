"""Charts for the board report, rendered to inline SVG (no files, no network).

Colours come from the Okabe–Ito palette, which colour-blind readers can tell apart, and every
chart also encodes the flag by marker shape or label so colour is never the only cue.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd

OKABE_ITO = {"shortage": "#D55E00", "surplus": "#0072B2", "balanced": "#009E73", "neutral": "#999999",
             "supply": "#56B4E9", "demand": "#E69F00"}
plt.rcParams.update({"svg.hashsalt": "align", "font.size": 9, "font.family": "DejaVu Sans"})


def _svg(fig: plt.Figure) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": "align"})
    plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg"):]


def openings_vs_supply(gaps: pd.DataFrame, n: int = 15) -> str:
    """Horizontal bars: openings (with 80% range) beside effective supply, largest gaps first."""
    top = gaps.reindex(gaps["gap"].abs().sort_values(ascending=False).index).head(n).iloc[::-1]
    fig, ax = plt.subplots(figsize=(7.5, 0.38 * len(top) + 1.2))
    y = range(len(top))
    ax.barh([i + 0.2 for i in y], top["annual_openings"], height=0.4, color=OKABE_ITO["demand"],
            label="Annual openings (80% range)",
            xerr=[top["annual_openings"] - top["annual_openings_low"],
                  top["annual_openings_high"] - top["annual_openings"]],
            error_kw={"elinewidth": 1, "capsize": 2})
    ax.barh([i - 0.2 for i in y], top["effective_supply"], height=0.4, color=OKABE_ITO["supply"],
            hatch="//", label="Effective supply (completers who stay and work)")
    ax.set_yticks(list(y), [_short(t) for t in top["occupation_title"]])
    ax.set_xlabel("People per year")
    ax.legend(loc="lower right", frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)


def ratio_bands(gaps: pd.DataFrame, order: list[str]) -> str:
    """How many occupations fall in each supply/demand band."""
    counts = gaps["flag"].value_counts().reindex(order).fillna(0)
    fig, ax = plt.subplots(figsize=(7.5, 2.9))
    colours = [OKABE_ITO["shortage"] if "under" in f or "no regional" in f else
               OKABE_ITO["surplus"] if "over" in f else
               OKABE_ITO["balanced"] if f == "balanced" else OKABE_ITO["neutral"] for f in counts.index]
    bars = ax.bar(range(len(counts)), counts.to_numpy(), color=colours)
    ax.bar_label(bars, fmt="%d")
    ax.set_xticks(range(len(counts)), list(counts.index), rotation=28, ha="right", rotation_mode="anchor")
    ax.set_ylabel("Occupations")
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)


def duplication_clusters(dup: pd.DataFrame) -> str:
    """Combined supply vs allocated demand for each multi-provider program cluster."""
    d = dup.head(10).iloc[::-1]
    fig, ax = plt.subplots(figsize=(7.5, 0.45 * len(d) + 1.2))
    y = range(len(d))
    ax.barh([i + 0.2 for i in y], d["allocated_demand"], height=0.4, color=OKABE_ITO["demand"],
            label="Openings allocated to the cluster")
    ax.barh([i - 0.2 for i in y], d["combined_supply"], height=0.4, color=OKABE_ITO["supply"], hatch="//",
            label="Combined effective supply")
    labels = [f"{'⚑ ' if dup_ else ''}{_short(str(t or c), 38)} ({n} providers)"
              for t, c, n, dup_ in zip(d["cip_title"], d["cip_code"], d["n_providers"], d["is_duplicated"],
                                       strict=True)]
    ax.set_yticks(list(y), labels)
    ax.set_xlabel("People per year  (⚑ = duplicated effort)")
    ax.legend(loc="lower right", frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)


def duplication_by_provider(dup: pd.DataFrame, programs: pd.DataFrame, n: int = 4) -> str:
    """Completers per provider inside each duplicated cluster, names on the bars (no legend to decode)."""
    clusters = dup[dup["is_duplicated"].astype(bool)].sort_values("excess_supply", ascending=False).head(n)
    fig, axes = plt.subplots(len(clusters), 1, figsize=(7.5, sum(0.32 * c + 0.9 for c in clusters["n_providers"])),
                             squeeze=False)
    for ax, c in zip(axes[:, 0], clusters.itertuples(), strict=True):
        p = programs[(programs["cip_code"] == c.cip_code) & (programs["award_level"].astype(str) == str(c.award_level))]
        p = p.groupby("provider_name", dropna=False)["completers"].sum().sort_values()
        bars = ax.barh(range(len(p)), p.to_numpy(), color=OKABE_ITO["supply"], hatch="//", edgecolor="#333333",
                       linewidth=0.4)
        ax.bar_label(bars, fmt="%.0f", padding=2, fontsize=8)
        ax.set_yticks(range(len(p)), [_short(str(name), 40) for name in p.index])
        ax.set_title(f"⚑ {_short(str(c.cip_title or c.cip_code), 48)} ({_short(str(c.award_label), 30)}): "
                     f"{p.sum():,.0f} completers, {c.combined_supply:,.0f} after retention and participation, "
                     f"vs {c.allocated_demand:,.0f} openings", fontsize=8,
                     loc="left")
        ax.spines[["top", "right"]].set_visible(False)
    axes[-1, 0].set_xlabel("Completers per year, by provider")
    fig.tight_layout()
    return _svg(fig)


def pathway_ladder(ladders: pd.DataFrame | None) -> str | None:
    """One career ladder as steps with wages, when the run has ladders with step order and wages."""
    if ladders is None or not len(ladders):
        return None
    step = next((c for c in ("step", "step_order", "rung", "level") if c in ladders.columns), None)
    wage = next((c for c in ("wage_annual_median", "median_wage", "wage_median", "wage") if c in ladders.columns),
                None)
    title = next((c for c in ("occupation_title", "title", "step_title") if c in ladders.columns), None)
    ladder_id = next((c for c in ("ladder_id", "pathway_id", "entry_soc_code") if c in ladders.columns), None)
    if step is None or wage is None or title is None:
        return None
    first = ladders if ladder_id is None else ladders[ladders[ladder_id] == ladders[ladder_id].iloc[0]]
    first = first.sort_values(step).dropna(subset=[wage])
    if len(first) < 2:
        return None
    fig, ax = plt.subplots(figsize=(7.5, 2.8))
    x = range(len(first))
    ax.step(list(x), first[wage].to_numpy(), where="mid", color=OKABE_ITO["surplus"], lw=1.5)
    ax.plot(list(x), first[wage].to_numpy(), "o", color=OKABE_ITO["surplus"])
    for i, (t, w) in enumerate(zip(first[title], first[wage], strict=True)):
        ax.annotate(f"{_short(str(t), 26)}\n${w:,.0f}", (i, w), textcoords="offset points", xytext=(0, 8),
                    ha="center", fontsize=7)
    ax.set_xticks(list(x), [f"step {i + 1}" for i in x])
    ax.set_ylabel("Median annual wage ($)")
    ax.margins(y=0.35)
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)


def industry_forecasts(history: pd.DataFrame, forecast: pd.DataFrame, codes: list[str],
                       titles: dict[str, str]) -> str:
    """History and projection with 80% and 95% intervals for the largest industries."""
    n = len(codes)
    fig, axes = plt.subplots((n + 1) // 2, 2, figsize=(7.5, 1.9 * ((n + 1) // 2)), sharex=True)
    for ax, code in zip(axes.ravel(), codes, strict=False):
        h = history[history["naics_code"] == code]
        f = forecast[forecast["series_id"] == code]
        ax.plot(h["period"], h["employment"], color="#000000", lw=1.2, label="observed")
        ax.fill_between(f["period"], f["lo95"], f["hi95"], color=OKABE_ITO["supply"], alpha=0.25, lw=0)
        ax.fill_between(f["period"], f["lo80"], f["hi80"], color=OKABE_ITO["supply"], alpha=0.45, lw=0)
        ax.plot(f["period"], f["forecast"], color=OKABE_ITO["surplus"], lw=1.2, ls="--", label="projected")
        model = f["model"].iloc[0] if len(f) else ""
        ax.set_title(f"{_short(titles.get(code, code), 40)} ({code}) · {model}", fontsize=8)
        ax.spines[["top", "right"]].set_visible(False)
    for ax in axes.ravel()[n:]:
        ax.set_visible(False)
    fig.tight_layout()
    return _svg(fig)


def _short(text: str, width: int = 44) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
