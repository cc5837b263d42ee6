"""Charts as SVG, rendered by the server with pygal: no script, no CDN.

Each chart is shown as an image beside its data table (the table is what screen readers
read; the image has a short alternative text pointing to it).
"""

from __future__ import annotations

import re
import sys

import pygal
from pygal.style import Style

from models.figures import Chart

# pygal adds an import hook for its optional map plugins (pygal.maps.*) that only has the
# legacy find_module: every later import then warns (an error under the test settings).
# No map plugin is used here, so the hook goes.
sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "PluginImportFixer"]

# Colours with at least 3:1 contrast to white, told apart by more than hue alone.
PALETTE = ("#1f5f99", "#b8520a", "#2d7a3a", "#7b3f98", "#a3231f", "#4d4d4d", "#00707a")
STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#222222",
    foreground_strong="#111111",
    foreground_subtle="#555555",
    colors=PALETTE,
    font_family="system-ui, sans-serif",
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=13,
    title_font_size=15,
)
STACKED = {"posted", "placements", "answers", "follow_up"}


def render_svg(chart: Chart, title: str, labels: dict[str, str], x_labels: list[str]) -> bytes:
    """The chart as an SVG document. Suppressed values (None) are left out of the bars."""
    kind = (
        pygal.Line
        if chart.key == "rapid"
        else (pygal.StackedBar if chart.key in STACKED else pygal.Bar)
    )
    svg = kind(
        style=STYLE,
        js=(),  # no script: the chart is a plain picture
        width=760,
        height=340,
        explicit_size=True,
        legend_at_bottom=True,
        legend_at_bottom_columns=3,
        x_label_rotation=30 if len(x_labels) > 8 else 0,
        show_minor_x_labels=len(x_labels) <= 16,
        print_values=False,
        min_scale=1,
        include_x_axis=True,
        truncate_legend=-1,
        no_data_text="–",
    )
    svg.title = title
    svg.x_labels = x_labels
    if len(x_labels) > 16:
        svg.x_labels_major_every = max(1, len(x_labels) // 12)
    for line in chart.lines:
        values = chart.values[line.key]
        if chart.key in STACKED and not any(values):
            continue  # an empty kind is in the table; the legend stays short
        svg.add(labels[line.key], values)
    # pygal always writes a configuration script for its optional tooltips: drop it.
    return re.sub(rb"<script[^>]*>.*?</script>", b"", svg.render(), flags=re.S)
