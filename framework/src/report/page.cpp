#include "report/page.h"

#include "report/text.h"

namespace forge {
namespace {

const char* kStyle = R"CSS(
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 1340px; color: #222; padding: 0 16px; }
h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 17px; margin-top: 28px; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: 8px 0; } td, th { border: 1px solid #ddd; padding: 3px 8px; text-align: left; }
th { background: #f4f4f4; } pre { background: #f7f7f7; padding: 10px; overflow: auto; max-height: 420px; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; } figure.chart { margin: 0; }
svg.chart-svg, svg.parallel { background: #fff; border: 1px solid #e4e4e4; }
svg .frame { fill: none; stroke: #999; } svg .grid { stroke: #eee; }
svg .series { fill: none; stroke-width: 1.6; } svg .title { font-weight: 600; font-size: 13px; }
svg .tick { font-size: 11px; fill: #555; } svg .tick.x, svg .axis-label { text-anchor: middle; }
svg .tick.y { text-anchor: end; } svg .axis-label { font-size: 12px; fill: #333; }
svg .pc-axis { stroke: #666; } svg .pc-line { fill: none; stroke-width: 2; opacity: 0.85; }
svg .pc-name { font-size: 12px; font-weight: 600; text-anchor: middle; }
.controls { position: sticky; top: 0; background: #fff; padding: 8px 0; border-bottom: 1px solid #eee; z-index: 1; }
.controls label { margin-right: 18px; } .legend span { margin-right: 16px; white-space: nowrap; }
.legend i { display: inline-block; width: 18px; height: 3px; vertical-align: middle; margin-right: 5px; }
.muted { color: #777; }
)CSS";

// Redraws each chart from its JSON with the layout of line_chart.cpp.
const char* kScript = R"JS(
(function () {
  const W = 640, H = 300, L = 64, R = 16, T = 28, B = 40, PW = W - L - R, PH = H - T - B;
  const short = (v) => Number.isInteger(v) && Math.abs(v) < 1e15 ? String(v) : Number(v.toPrecision(3)).toString();
  function ticks(lo, hi, n) {
    if (!(hi > lo)) return [lo];
    const raw = (hi - lo) / n, p = Math.pow(10, Math.floor(Math.log10(raw)));
    let step = p; for (const f of [1, 2, 5, 10]) { if (f * p >= raw) { step = f * p; break; } }
    const out = [], first = Math.ceil(lo / step - 1e-9);
    for (let i = 0; (first + i) * step <= hi + step * 1e-9; ++i) out.push((first + i) * step);
    return out;
  }
  function smooth(values, w) {
    let avg = 0, debias = 1;
    return values.map((v) => { avg = avg * w + (1 - w) * v; debias *= w; return w > 0 && w < 1 ? avg / (1 - debias) : v; });
  }
  function range(values) {
    let lo = Infinity, hi = -Infinity; for (const v of values) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    if (!isFinite(lo)) { lo = 0; hi = 1; } if (hi === lo) { lo -= 0.5; hi += 0.5; } return [lo, hi];
  }
  function draw(figure, x, w, log) {
    const data = JSON.parse(figure.querySelector(".chart-data").textContent);
    const lines = data.series.map((s) => {
      const ys = smooth(s.value, w), pts = [];
      ys.forEach((v, i) => { if (!log || v > 0) pts.push([s[x][i], log ? Math.log10(v) : v]); });
      return pts;
    });
    const [x0, x1] = range(lines.flat().map((p) => p[0])), [y0, y1] = range(lines.flat().map((p) => p[1]));
    const px = (v) => (L + (v - x0) / (x1 - x0) * PW).toFixed(1), py = (v) => (T + PH - (v - y0) / (y1 - y0) * PH).toFixed(1);
    const esc = (t) => t.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]));
    let svg = `<text class="title" x="${L}" y="18">${esc(data.metric)}${log ? " (log)" : ""}</text>`;
    svg += `<rect class="frame" x="${L}" y="${T}" width="${PW}" height="${PH}"/>`;
    for (const t of ticks(x0, x1, 5)) svg += `<line class="grid" x1="${px(t)}" x2="${px(t)}" y1="${T}" y2="${T + PH}"/><text class="tick x" x="${px(t)}" y="${T + PH + 16}">${short(t)}</text>`;
    for (const t of ticks(y0, y1, 5)) svg += `<line class="grid" x1="${L}" x2="${L + PW}" y1="${py(t)}" y2="${py(t)}"/><text class="tick y" x="${L - 6}" y="${(+py(t) + 4).toFixed(1)}">${short(log ? Math.pow(10, t) : t)}</text>`;
    svg += `<text class="axis-label" x="${L + PW / 2}" y="${H - 6}">${x === "seconds" ? "seconds" : x}</text>`;
    lines.forEach((pts, i) => {
      const s = data.series[i];
      if (pts.length === 1) svg += `<circle class="point" cx="${px(pts[0][0])}" cy="${py(pts[0][1])}" r="3" fill="${s.color}"/>`;
      svg += `<path class="series" stroke="${s.color}" d="${pts.map((p, j) => (j ? "L" : "M") + px(p[0]) + " " + py(p[1])).join("")}"><title>${esc(s.label)}</title></path>`;
    });
    figure.querySelector("svg.chart-svg").innerHTML = svg;
  }
  function redraw() {
    const x = document.getElementById("x-axis").value, w = +document.getElementById("smoothing").value;
    const log = document.getElementById("log-y").checked;
    document.getElementById("smoothing-value").textContent = w.toFixed(2);
    document.querySelectorAll("figure.chart").forEach((f) => draw(f, x, w, log));
  }
  const controls = document.querySelector(".controls");
  if (controls) for (const event of ["input", "change"]) controls.addEventListener(event, redraw);
})();
)JS";

}  // namespace

std::string chart_controls() {
  return "<div class=\"controls\"><label>x-axis <select id=\"x-axis\"><option value=\"step\">step"
         "</option><option value=\"tokens\">tokens</option><option value=\"seconds\">time</option>"
         "</select></label><label>smoothing <input id=\"smoothing\" type=\"range\" min=\"0\" "
         "max=\"0.99\" step=\"0.01\" value=\"0\"> <span id=\"smoothing-value\">0.00</span></label>"
         "<label><input id=\"log-y\" type=\"checkbox\"> log scale</label></div>\n";
}

std::string chart_legend(const std::vector<std::string>& labels) {
  std::string out = "<div class=\"legend\">";
  for (std::size_t i = 0; i < labels.size(); ++i)
    out += std::string("<span><i style=\"background:") + series_color(i) + "\"></i>" +
           html_escape(labels[i]) + "</span>";
  return out + "</div>\n";
}

std::string html_page(const std::string& title, const std::string& body) {
  return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" +
         html_escape(title) + "</title><style>" + kStyle + "</style></head><body>\n" + body +
         "<script>" + kScript + "</script></body></html>\n";
}

}  // namespace forge
