#!/usr/bin/env python3
"""Draws an experiment's chart as a standalone SVG from a JSON spec, with the standard library
only, so every experiment's README can show its figure without a plotting package.

  experiments/tools/chart.py SPEC.json OUT.svg

SPEC: {"title", "x_label", "y_label", "kind": "line" | "bar", "log_x": false,
       "series": [{"label", "points": [[x, y], ...]}]}          (line)
       "groups": ["base", "sft"], "series": [{"label", "values": [..]}]   (bar: one value a group,
       None where a group has none)
"""
import json
import math
import sys
from xml.sax.saxutils import escape

WIDTH, HEIGHT = 640, 380
LEFT, RIGHT, TOP, BOTTOM = 64, 36, 36, 96
COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"]


def nice_ticks(low, high, count=5):
    """About `count` round values (1, 2 or 5 times a power of ten) covering [low, high]."""
    if high <= low:
        high = low + 1
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    ticks = []
    value = first
    while not ticks or ticks[-1] < high - step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    return ticks


def label(value):
    return f"{value:g}"


class Canvas:
    def __init__(self, spec):
        self.parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
            f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12">',
            f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
            f'<text x="{WIDTH / 2}" y="20" text-anchor="middle" font-size="14">'
            f'{escape(spec.get("title", ""))}</text>',
            f'<text x="{WIDTH / 2}" y="{HEIGHT - 8}" text-anchor="middle">'
            f'{escape(spec.get("x_label", ""))}</text>',
            f'<text x="14" y="{HEIGHT / 2}" text-anchor="middle" '
            f'transform="rotate(-90 14 {HEIGHT / 2})">{escape(spec.get("y_label", ""))}</text>',
        ]

    def add(self, text):
        self.parts.append(text)

    def svg(self):
        return "\n".join(self.parts + ["</svg>"]) + "\n"


def y_axis(canvas, low, high):
    ticks = nice_ticks(low, high)
    low, high = min(low, ticks[0]), max(high, ticks[-1])
    plot_h = HEIGHT - TOP - BOTTOM

    def to_y(v):
        return TOP + plot_h * (1 - (v - low) / (high - low))

    for tick in ticks:
        y = to_y(tick)
        canvas.add(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
                   f'stroke="#ddd"/>')
        canvas.add(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{label(tick)}</text>')
    return to_y


def legend(canvas, labels):
    """One row of entries under the x-axis labels, wrapping to more rows when they are long."""
    x, y = LEFT, HEIGHT - BOTTOM + 30
    for i, text in enumerate(labels):
        width = 24 + 7 * len(text)
        if x > LEFT and x + width > WIDTH - RIGHT:
            x, y = LEFT, y + 16
        color = COLORS[i % len(COLORS)]
        canvas.add(f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{color}"/>')
        canvas.add(f'<text x="{x + 14}" y="{y}">{escape(text)}</text>')
        x += width


def line_chart(spec):
    canvas = Canvas(spec)
    points = [p for s in spec["series"] for p in s["points"]]
    log_x = spec.get("log_x", False)
    fx = (lambda v: math.log2(v)) if log_x else (lambda v: v)
    xs = [fx(p[0]) for p in points]
    ys = [p[1] for p in points]
    x_low, x_high = min(xs), max(xs)
    if x_high == x_low:
        x_high = x_low + 1
    to_y = y_axis(canvas, spec.get("y_min", min(ys)), spec.get("y_max", max(ys)))
    plot_w = WIDTH - LEFT - RIGHT

    def to_x(v):
        return LEFT + plot_w * (fx(v) - x_low) / (x_high - x_low)

    x_ticks = sorted({p[0] for p in points}) if log_x else nice_ticks(x_low, x_high)
    for tick in x_ticks:
        if not log_x and not x_low <= tick <= x_high:
            continue
        canvas.add(f'<text x="{to_x(tick):.1f}" y="{HEIGHT - BOTTOM + 16}" '
                   f'text-anchor="middle">{label(tick)}</text>')
    for i, series in enumerate(spec["series"]):
        color = COLORS[i % len(COLORS)]
        path = " ".join(f"{to_x(x):.1f},{to_y(y):.1f}" for x, y in series["points"])
        canvas.add(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2"/>')
        if len(series["points"]) <= 24:
            for x, y in series["points"]:
                canvas.add(f'<circle cx="{to_x(x):.1f}" cy="{to_y(y):.1f}" r="3" fill="{color}"/>')
    legend(canvas, [s["label"] for s in spec["series"]])
    return canvas.svg()


def bar_chart(spec):
    canvas = Canvas(spec)
    groups = spec["groups"]
    series = spec["series"]
    # None is a value not measured for that group: no bar, no label.
    values = [v for s in series for v in s["values"] if v is not None]
    to_y = y_axis(canvas, min(0, min(values)), spec.get("y_max", max(values)))
    plot_w = WIDTH - LEFT - RIGHT
    group_w = plot_w / len(groups)
    bar_w = group_w * 0.8 / len(series)
    for g, name in enumerate(groups):
        x0 = LEFT + g * group_w + group_w * 0.1
        canvas.add(f'<text x="{LEFT + (g + 0.5) * group_w:.1f}" y="{HEIGHT - BOTTOM + 16}" '
                   f'text-anchor="middle">{escape(name)}</text>')
        for i, s in enumerate(series):
            value = s["values"][g]
            if value is None:
                continue
            top, base = to_y(max(value, 0)), to_y(min(value, 0))
            x = x0 + i * bar_w
            canvas.add(f'<rect x="{x:.1f}" y="{top:.1f}" width="{bar_w - 2:.1f}" '
                       f'height="{base - top:.1f}" fill="{COLORS[i % len(COLORS)]}"/>')
            canvas.add(f'<text x="{x + bar_w / 2:.1f}" y="{top - 4:.1f}" text-anchor="middle" '
                       f'font-size="11">{label(round(value, 3))}</text>')
    legend(canvas, [s["label"] for s in series])
    return canvas.svg()


def draw(spec, out):
    """Writes `spec`'s chart to the file `out`; experiment scripts import this."""
    kind = spec.get("kind", "line")
    if kind not in ("line", "bar"):
        raise ValueError(f"chart kind '{kind}' is not line or bar")
    with open(out, "w") as f:
        f.write(line_chart(spec) if kind == "line" else bar_chart(spec))


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: chart.py SPEC.json OUT.svg")
    with open(sys.argv[1]) as f:
        spec = json.load(f)
    try:
        draw(spec, sys.argv[2])
    except ValueError as e:
        sys.exit(f"chart.py: {sys.argv[1]}: {e}")


if __name__ == "__main__":
    main()
