#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace forge {

// The unit of the data pipeline. `metadata` is a JSON object that steps may add to.
struct Document {
  std::string id;
  std::string text;
  std::string url;
  nlohmann::json metadata = nlohmann::json::object();
};

}  // namespace forge
