"""Draw failure signatures as a PNG: one panel per model, one point per domain x complexity cell.

Each panel plots over-abstention (x) against under-abstention (y), both 0..1. Points below the
diagonal err toward over-abstention, points above it toward under-abstention, points near the
origin barely err. Colour = domain, marker = complexity (circle templated, triangle open-ended);
an arrow joins a domain's templated cell to its open-ended cell, so the effect of complexity
reads as the arrow's direction. A cell with no items on one side (e.g. no should-abstain items)
is drawn hollow at 0 on that axis. Where several cells fall on one spot, "k cells" says so.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from abstain_data.scoring.signature import Cell

MARKERS = {"templated": "o", "open_ended": "^"}


def plot_signatures(signatures: dict[str, list[Cell]], out: Path) -> Path:
    """Write the signature panels of `signatures` (model -> cells) to the PNG `out`."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    models = list(signatures)
    fig, axes = plt.subplots(1, max(len(models), 1), figsize=(5.2 * max(len(models), 1), 6.0),
                             squeeze=False)
    domains = sorted({c.domain for cells in signatures.values() for c in cells})
    palette = plt.get_cmap("tab20")
    colour = {d: palette(i % 20) for i, d in enumerate(domains)}
    for ax, model in zip(axes[0], models, strict=False):
        _panel(ax, model, signatures[model], colour)
    handles = [plt.Line2D([], [], marker="s", linestyle="", color=colour[d], label=d)
               for d in domains]
    handles += [plt.Line2D([], [], marker=m, linestyle="", color="grey",
                           label=k.replace("_", "-")) for k, m in MARKERS.items()]
    fig.legend(handles=handles, loc="lower center", ncol=min(len(handles), 7), frameon=False)
    fig.suptitle("Failure signature: one point per domain x complexity cell")
    fig.tight_layout(rect=(0, 0.13, 1, 0.95))
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out


def _panel(ax: Any, model: str, cells: list[Cell], colour: dict[str, Any]) -> None:
    ax.plot([0, 1], [0, 1], linestyle="--", color="lightgrey", zorder=0)
    ax.text(0.75, 0.25, "errs: over-abstains", ha="center", color="grey", fontsize=9)
    ax.text(0.25, 0.75, "errs: under-abstains", ha="center", color="grey", fontsize=9)
    points: dict[tuple[str, str], tuple[float, float]] = {}
    for cell in cells:
        x, y = cell.over.value or 0.0, cell.under.value or 0.0
        points[(cell.domain, cell.complexity)] = (x, y)
        hollow = cell.over.value is None or cell.under.value is None
        ax.scatter([x], [y], s=70, marker=MARKERS.get(cell.complexity, "s"),
                   facecolors="none" if hollow else colour[cell.domain],
                   edgecolors=colour[cell.domain], linewidths=1.5, zorder=3)
    stacked: dict[tuple[float, float], int] = {}
    for point in points.values():
        key = (round(point[0], 2), round(point[1], 2))
        stacked[key] = stacked.get(key, 0) + 1
    for (x, y), count in stacked.items():
        if count > 1:
            ax.annotate(f"{count} cells", (x, y), textcoords="offset points", xytext=(8, -12),
                        fontsize=8, color="dimgrey")
    for (domain, complexity), start in points.items():
        end = points.get((domain, "open_ended"))
        if complexity == "templated" and end is not None and end != start:
            ax.annotate("", xy=end, xytext=start, zorder=2,
                        arrowprops={"arrowstyle": "->", "color": colour[domain], "lw": 1.2})
    ax.set_xlim(-0.03, 1.03)
    ax.set_ylim(-0.03, 1.03)
    ax.set_aspect("equal")
    ax.set_xlabel("over-abstention rate\n(declines what it should answer)")
    ax.set_ylabel("under-abstention rate\n(answers what it should decline)")
    ax.set_title(model)
    ax.grid(alpha=0.3)
