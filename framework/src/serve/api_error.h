#pragma once

// An HTTP answer that is an error, in OpenAI's shape:
//   {"error": {"message": ..., "type": ..., "param": ..., "code": ...}}

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>

namespace forge::serve {

class ApiError : public std::runtime_error {
 public:
  ApiError(int http_status, const std::string& message, std::string field = "",
           std::string error_code = "", std::string error_type = "invalid_request_error")
      : std::runtime_error(message),
        status(http_status),
        type(std::move(error_type)),
        param(std::move(field)),
        code(std::move(error_code)) {}

  nlohmann::json to_json() const {
    auto text_or_null = [](const std::string& s) {
      return s.empty() ? nlohmann::json() : nlohmann::json(s);
    };
    return {{"error",
             {{"message", what()},
              {"type", type},
              {"param", text_or_null(param)},
              {"code", text_or_null(code)}}}};
  }

  int status;
  std::string type, param, code;
};

}  // namespace forge::serve
