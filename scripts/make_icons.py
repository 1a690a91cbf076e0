"""Draw the app's home-screen icons from ``web/static/favicon.svg`` (a green disc with a white
tick on a 24×24 grid) as PNGs: 192 and 512 pixels, and a maskable 512 whose drawing keeps to
the safe zone (the inner 80 %) on a full green square.

    uv run --frozen python scripts/make_icons.py

The PNGs are committed under ``web/static/icons``; run this again only when the mark changes.
"""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.patches import Circle, Rectangle

STATIC = Path(__file__).resolve().parents[1] / "src" / "runrehab" / "web" / "static"
SVG = (STATIC / "favicon.svg").read_text(encoding="utf-8")
GREEN = re.search(r'circle[^>]*fill="(#[0-9a-fA-F]{6})"', SVG).group(1)  # type: ignore[union-attr]
TICK = [(7.0, 13.0), (10.0, 16.0), (17.0, 8.0)]  # the path "M7 13l3 3 7-8", absolute
STROKE = 2.5


def draw(size: int, path: Path, maskable: bool = False) -> None:
    fig = plt.figure(figsize=(1, 1), dpi=size)
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.set_xlim(0, 24)
    ax.set_ylim(24, 0)  # SVG's y grows downwards
    ax.set_axis_off()
    fig.patch.set_alpha(0.0)
    scale = 1.0
    if maskable:  # a full square; the mark inside the safe circle (radius 40 % of the side)
        ax.add_patch(Rectangle((0, 0), 24, 24, color=GREEN))
        scale = 0.7
    else:
        ax.add_patch(Circle((12, 12), 10, color=GREEN))
    xs = [12 + (x - 12) * scale for x, _ in TICK]
    ys = [12 + (y - 12) * scale for _, y in TICK]
    points_per_unit = 72 / 24  # the figure is one inch of 24 units
    ax.plot(
        xs,
        ys,
        color="#ffffff",
        linewidth=STROKE * scale * points_per_unit,
        solid_capstyle="round",
        solid_joinstyle="round",
    )
    fig.savefig(path, dpi=size, transparent=not maskable)
    plt.close(fig)


def main() -> None:
    out = STATIC / "icons"
    out.mkdir(exist_ok=True)
    draw(192, out / "icon-192.png")
    draw(512, out / "icon-512.png")
    draw(512, out / "icon-maskable-512.png", maskable=True)


if __name__ == "__main__":
    main()
