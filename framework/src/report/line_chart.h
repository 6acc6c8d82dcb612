#pragma once

// Metric curves as inline SVG, drawn here so a report needs no script to show them; the page's
// controls (chart_script.h) redraw the same chart for another x-axis, smoothing or scale.

#include <forge/export.h>

#include "runs/run_data.h"

#include <string>
#include <vector>

namespace forge {

struct ChartSeries {
  std::string label;
  std::string color;
  std::vector<MetricPoint> points;
};

enum class XAxis { step, tokens, time };

struct ChartOptions {
  XAxis x = XAxis::step;
  double smoothing = 0;  // exponential moving average weight in [0, 1)
  bool log_y = false;
};

// TensorBoard's smoothing: an exponential moving average, debiased so it starts at the first
// value rather than at 0.
FORGE_API std::vector<double> smooth_values(const std::vector<double>& values, double weight);

// At most `limit` points, evenly spaced, the first and last kept: a report stays small for
// runs of a million steps.
FORGE_API std::vector<MetricPoint> thin_points(const std::vector<MetricPoint>& points,
                                               std::size_t limit);

// "Nice" tick values (1, 2 or 5 times a power of ten) covering [low, high], about `count`.
FORGE_API std::vector<double> nice_ticks(double low, double high, int count);

// A <figure> holding the SVG and the data the page's controls redraw it from.
FORGE_API std::string render_line_chart(const std::string& metric,
                                        const std::vector<ChartSeries>& series,
                                        const ChartOptions& options);

}  // namespace forge
