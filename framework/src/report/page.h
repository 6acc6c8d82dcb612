#pragma once

// The frame of a self-contained HTML report: styles, the chart controls and their script,
// with nothing loaded from elsewhere.

#include <forge/export.h>

#include <string>
#include <vector>

namespace forge {

// The controls that redraw every chart: x-axis (step, tokens, time), smoothing, log scale.
FORGE_API std::string chart_controls();

// A legend of run names and their series colours.
FORGE_API std::string chart_legend(const std::vector<std::string>& labels);

// A whole page: <head> with styles, `body`, then the redraw script.
FORGE_API std::string html_page(const std::string& title, const std::string& body);

}  // namespace forge
