#include "report/parallel_chart.h"

#include "report/text.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>

namespace forge {
namespace {

constexpr double kHeight = 320, kTop = 40, kBottom = 30, kSpacing = 170, kMargin = 70;

std::optional<double> as_number(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::string coordinate(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", value);
  return text;
}

// Maps an axis's values to 0 (bottom) .. 1 (top), with the labels of its ticks.
struct Scale {
  std::vector<std::optional<double>> positions;
  std::vector<std::pair<double, std::string>> ticks;
};

Scale numeric_scale(const std::vector<std::optional<double>>& values) {
  double low = INFINITY, high = -INFINITY;
  for (const auto& v : values)
    if (v) low = std::min(low, *v), high = std::max(high, *v);
  // Learning rates and the like span decades: a log axis spreads them out.
  const bool log = low > 0 && high / low >= 100;
  auto f = [&](double v) { return log ? std::log10(v) : v; };
  double a = f(low), b = f(high);
  if (!(b > a)) a -= 0.5, b += 0.5;
  Scale scale;
  for (const auto& v : values)
    scale.positions.push_back(v ? std::optional<double>((f(*v) - a) / (b - a)) : std::nullopt);
  // Each value is labelled unless labels would crowd; then the ends are.
  std::vector<double> distinct;
  for (const auto& v : values)
    if (v && std::find(distinct.begin(), distinct.end(), *v) == distinct.end())
      distinct.push_back(*v);
  std::sort(distinct.begin(), distinct.end());
  bool crowded = distinct.size() > 6;
  for (std::size_t i = 1; i < distinct.size(); ++i)
    crowded |= (f(distinct[i]) - f(distinct[i - 1])) / (b - a) < 0.07;
  if (crowded) distinct = {low, high};
  for (double v : distinct) scale.ticks.push_back({(f(v) - a) / (b - a), short_number(v)});
  return scale;
}

Scale category_scale(const std::vector<std::string>& values) {
  std::vector<std::string> distinct;
  for (const auto& v : values)
    if (std::find(distinct.begin(), distinct.end(), v) == distinct.end()) distinct.push_back(v);
  std::sort(distinct.begin(), distinct.end());
  Scale scale;
  auto position = [&](std::size_t i) {
    return distinct.size() == 1 ? 0.5
                                : static_cast<double>(i) / static_cast<double>(distinct.size() - 1);
  };
  for (const auto& v : values) {
    auto at = std::find(distinct.begin(), distinct.end(), v) - distinct.begin();
    scale.positions.push_back(position(static_cast<std::size_t>(at)));
  }
  for (std::size_t i = 0; i < distinct.size(); ++i)
    scale.ticks.push_back({position(i), distinct[i].empty() ? "(unset)" : distinct[i]});
  return scale;
}

Scale scale_for(const std::vector<std::string>& values) {
  std::vector<std::optional<double>> numbers;
  bool numeric = true;
  for (const auto& v : values) {
    numbers.push_back(as_number(v));
    numeric &= numbers.back().has_value() || v.empty();
  }
  return numeric ? numeric_scale(numbers) : category_scale(values);
}

}  // namespace

std::string render_parallel_chart(const std::vector<ParallelAxis>& axes, const std::string& metric,
                                  const std::vector<double>& metric_values,
                                  const std::vector<std::string>& run_labels) {
  std::vector<Scale> scales;
  std::vector<std::string> names;
  for (const ParallelAxis& axis : axes) {
    scales.push_back(scale_for(axis.values));
    names.push_back(axis.name);
  }
  std::vector<std::optional<double>> metric_numbers;
  for (double v : metric_values)
    metric_numbers.push_back(std::isfinite(v) ? std::optional<double>(v) : std::nullopt);
  scales.push_back(numeric_scale(metric_numbers));
  names.push_back(metric);

  const double width = 2 * kMargin + kSpacing * static_cast<double>(scales.size() - 1);
  const double plot_h = kHeight - kTop - kBottom;
  auto ax = [&](std::size_t a) { return kMargin + kSpacing * static_cast<double>(a); };
  auto ay = [&](double position) { return kTop + plot_h * (1 - position); };
  std::string svg = "<svg class=\"parallel\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " +
                    coordinate(width) + " " + coordinate(kHeight) + "\" width=\"" +
                    coordinate(width) + "\" height=\"" + coordinate(kHeight) + "\">";
  for (std::size_t run = 0; run < run_labels.size(); ++run) {
    std::string d;
    for (std::size_t a = 0; a < scales.size(); ++a) {
      const auto& position = scales[a].positions[run];
      if (!position) break;
      d += d.empty() ? "M" : "L";
      d += coordinate(ax(a)) + " " + coordinate(ay(*position));
    }
    svg += "<path class=\"pc-line\" stroke=\"" + std::string(series_color(run)) + "\" d=\"" + d +
           "\"><title>" + html_escape(run_labels[run]) + "</title></path>";
  }
  for (std::size_t a = 0; a < scales.size(); ++a) {
    svg += "<line class=\"pc-axis\" x1=\"" + coordinate(ax(a)) + "\" x2=\"" + coordinate(ax(a)) +
           "\" y1=\"" + coordinate(kTop) + "\" y2=\"" + coordinate(kTop + plot_h) + "\"/>";
    svg += "<text class=\"pc-name\" x=\"" + coordinate(ax(a)) + "\" y=\"22\">" +
           html_escape(names[a]) + "</text>";
    for (const auto& [position, label] : scales[a].ticks)
      svg += "<text class=\"tick y\" x=\"" + coordinate(ax(a) - 5) + "\" y=\"" +
             coordinate(ay(position) + 4) + "\">" + html_escape(label) + "</text>";
  }
  return svg + "</svg>\n";
}

}  // namespace forge
