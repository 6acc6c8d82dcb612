#pragma once

// An evaluation's report.json (any stage's: rl, assistant_eval, knowledge_probe, ...) as
// tables, without knowing its shape: scalars as key/value rows, lists of objects as tables.

#include <forge/export.h>

#include <nlohmann/json.hpp>

#include <string>

namespace forge {

enum class Markup { html, markdown };

// Tables of `results`; long lists are thinned to about 30 rows, the first and last kept.
FORGE_API std::string render_results(const nlohmann::json& results, Markup markup);

// A JSON scalar as a table cell ("" for null, numbers shortened).
FORGE_API std::string json_cell(const nlohmann::json& value);

}  // namespace forge
