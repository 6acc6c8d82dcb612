#include "report/line_chart.h"

#include "report/text.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace forge {
namespace {

// The layout that chart_script.cpp's redraw repeats: keep the two in step.
constexpr double kWidth = 640, kHeight = 300, kLeft = 64, kRight = 16, kTop = 28, kBottom = 40;

double x_of(const MetricPoint& point, XAxis axis) {
  return axis == XAxis::step ? point.step : axis == XAxis::tokens ? point.tokens : point.seconds;
}

const char* axis_label(XAxis axis) {
  return axis == XAxis::step ? "step" : axis == XAxis::tokens ? "tokens" : "seconds";
}

std::string coordinate(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", value);
  return text;
}

struct Range {
  double low = INFINITY, high = -INFINITY;
  void add(double v) {
    low = std::min(low, v);
    high = std::max(high, v);
  }
  void widen() {
    if (!std::isfinite(low)) low = 0, high = 1;
    if (high == low) low -= 0.5, high += 0.5;
  }
};

}  // namespace

std::vector<double> smooth_values(const std::vector<double>& values, double weight) {
  std::vector<double> out(values.size());
  double average = 0, debias = 1;
  for (std::size_t i = 0; i < values.size(); ++i) {
    average = average * weight + (1 - weight) * values[i];
    debias *= weight;
    out[i] = weight > 0 && weight < 1 ? average / (1 - debias) : values[i];
  }
  return out;
}

std::vector<MetricPoint> thin_points(const std::vector<MetricPoint>& points, std::size_t limit) {
  if (points.size() <= limit || limit < 2) return points;
  std::vector<MetricPoint> out;
  out.reserve(limit);
  for (std::size_t i = 0; i < limit; ++i)
    out.push_back(points[i * (points.size() - 1) / (limit - 1)]);
  return out;
}

std::vector<double> nice_ticks(double low, double high, int count) {
  if (!(high > low)) return {low};
  double raw = (high - low) / std::max(1, count);
  double power = std::pow(10.0, std::floor(std::log10(raw)));
  double step = power;
  for (double factor : {1.0, 2.0, 5.0, 10.0})
    if (factor * power >= raw) {
      step = factor * power;
      break;
    }
  std::vector<double> ticks;
  const double first = std::ceil(low / step - 1e-9);
  for (int i = 0; (first + i) * step <= high + step * 1e-9; ++i)
    ticks.push_back((first + i) * step);
  return ticks;
}

std::string render_line_chart(const std::string& metric, const std::vector<ChartSeries>& series,
                              const ChartOptions& options) {
  // Smoothed values per series, and the ranges that every series shares.
  std::vector<std::vector<double>> xs(series.size()), ys(series.size());
  Range x_range, y_range;
  for (std::size_t s = 0; s < series.size(); ++s) {
    std::vector<double> values;
    for (const MetricPoint& p : series[s].points) values.push_back(p.value);
    values = smooth_values(values, options.smoothing);
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (options.log_y && !(values[i] > 0)) continue;
      double y = options.log_y ? std::log10(values[i]) : values[i];
      xs[s].push_back(x_of(series[s].points[i], options.x));
      ys[s].push_back(y);
      x_range.add(xs[s].back());
      y_range.add(y);
    }
  }
  x_range.widen();
  y_range.widen();
  const double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  auto px = [&](double x) {
    return kLeft + (x - x_range.low) / (x_range.high - x_range.low) * plot_w;
  };
  auto py = [&](double y) {
    return kTop + plot_h - (y - y_range.low) / (y_range.high - y_range.low) * plot_h;
  };

  std::string svg = "<svg class=\"chart-svg\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " +
                    coordinate(kWidth) + " " + coordinate(kHeight) + "\" width=\"" +
                    coordinate(kWidth) + "\" height=\"" + coordinate(kHeight) + "\">";
  svg += "<text class=\"title\" x=\"" + coordinate(kLeft) + "\" y=\"18\">" + html_escape(metric) +
         (options.log_y ? " (log)" : "") + "</text>";
  svg += "<rect class=\"frame\" x=\"" + coordinate(kLeft) + "\" y=\"" + coordinate(kTop) +
         "\" width=\"" + coordinate(plot_w) + "\" height=\"" + coordinate(plot_h) + "\"/>";
  for (double t : nice_ticks(x_range.low, x_range.high, 5)) {
    svg += "<line class=\"grid\" x1=\"" + coordinate(px(t)) + "\" x2=\"" + coordinate(px(t)) +
           "\" y1=\"" + coordinate(kTop) + "\" y2=\"" + coordinate(kTop + plot_h) + "\"/>";
    svg += "<text class=\"tick x\" x=\"" + coordinate(px(t)) + "\" y=\"" +
           coordinate(kTop + plot_h + 16) + "\">" + short_number(t) + "</text>";
  }
  for (double t : nice_ticks(y_range.low, y_range.high, 5)) {
    svg += "<line class=\"grid\" x1=\"" + coordinate(kLeft) + "\" x2=\"" +
           coordinate(kLeft + plot_w) + "\" y1=\"" + coordinate(py(t)) + "\" y2=\"" +
           coordinate(py(t)) + "\"/>";
    svg += "<text class=\"tick y\" x=\"" + coordinate(kLeft - 6) + "\" y=\"" +
           coordinate(py(t) + 4) + "\">" + short_number(options.log_y ? std::pow(10.0, t) : t) +
           "</text>";
  }
  svg += "<text class=\"axis-label\" x=\"" + coordinate(kLeft + plot_w / 2) + "\" y=\"" +
         coordinate(kHeight - 6) + "\">" + axis_label(options.x) + "</text>";
  for (std::size_t s = 0; s < series.size(); ++s) {
    std::string d;
    for (std::size_t i = 0; i < xs[s].size(); ++i) {
      d += i ? "L" : "M";
      d += coordinate(px(xs[s][i])) + " " + coordinate(py(ys[s][i]));
    }
    // A lone point has no length, so it is drawn as a dot.
    if (xs[s].size() == 1)
      svg += "<circle class=\"point\" cx=\"" + coordinate(px(xs[s][0])) + "\" cy=\"" +
             coordinate(py(ys[s][0])) + "\" r=\"3\" fill=\"" + series[s].color + "\"/>";
    svg += "<path class=\"series\" stroke=\"" + series[s].color + "\" d=\"" + d + "\"><title>" +
           html_escape(series[s].label) + "</title></path>";
  }
  svg += "</svg>";

  nlohmann::json data = {{"metric", metric}, {"series", nlohmann::json::array()}};
  for (const ChartSeries& s : series) {
    nlohmann::json one = {{"label", s.label}, {"color", s.color}};
    for (const char* key : {"step", "tokens", "seconds", "value"})
      one[key] = nlohmann::json::array();
    for (const MetricPoint& p : s.points) {
      one["step"].push_back(p.step);
      one["tokens"].push_back(p.tokens);
      one["seconds"].push_back(p.seconds);
      one["value"].push_back(p.value);
    }
    data["series"].push_back(one);
  }
  // "</" cannot end the script early: JSON allows "<\/".
  std::string json = data.dump();
  for (std::size_t at = json.find("</"); at != std::string::npos; at = json.find("</", at + 2))
    json.replace(at, 2, "<\\/");
  return "<figure class=\"chart\" data-metric=\"" + html_escape(metric) + "\">" + svg +
         "<script type=\"application/json\" class=\"chart-data\">" + json + "</script></figure>\n";
}

}  // namespace forge
