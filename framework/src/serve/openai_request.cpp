#include "serve/openai_request.h"

#include <forge/error.h>

namespace forge::serve {
namespace {

using nlohmann::json;

// Parameters of OpenAI's API that change what is generated and that this server does not do:
// refused rather than ignored, so a client never gets an answer it did not ask for.
constexpr const char* kRefused[] = {"logprobs", "top_logprobs", "logit_bias", "best_of",
                                    "suffix",   "echo",         "tools",      "functions"};

[[noreturn]] void bad(const std::string& param, const std::string& message) {
  throw ApiError(400, message, param);
}

json parse_body(std::string_view body) {
  json parsed;
  try {
    parsed = json::parse(body);
  } catch (const json::parse_error& e) {
    throw ApiError(400,
                   cat("the request body is not valid JSON (", e.what(),
                       "); send a JSON object with Content-Type: application/json"),
                   "", "invalid_json");
  }
  if (!parsed.is_object())
    throw ApiError(400, cat("the request body must be a JSON object, got ", parsed.type_name()));
  return parsed;
}

const json* field(const json& body, const char* key) {
  auto it = body.find(key);
  return it == body.end() || it->is_null() ? nullptr : &*it;
}

double number(const json& body, const char* key, double fallback, double low, double high,
              bool low_open = false) {
  const json* value = field(body, key);
  if (!value) return fallback;
  if (!value->is_number()) bad(key, cat(key, ": expected a number, got ", value->type_name()));
  const double x = value->get<double>();
  if (x < low || x > high || (low_open && x == low))
    bad(key, cat(key, ": ", x, " is outside ", low_open ? "(" : "[", low, ", ", high, "]"));
  return x;
}

bool boolean(const json& body, const char* key) {
  const json* value = field(body, key);
  if (!value) return false;
  if (!value->is_boolean())
    bad(key, cat(key, ": expected true or false, got ", value->type_name()));
  return value->get<bool>();
}

std::int64_t max_tokens(const json& body, const Limits& limits) {
  const char* key = field(body, "max_completion_tokens") ? "max_completion_tokens" : "max_tokens";
  const json* value = field(body, key);
  if (!value) return limits.max_tokens;
  if (!value->is_number_integer())
    bad(key, cat(key, ": expected an integer, got ", value->type_name()));
  const auto n = value->get<std::int64_t>();
  if (n < 1) bad(key, cat(key, ": must be at least 1, got ", n));
  if (n > limits.max_tokens)
    bad(key, cat(key, ": ", n, " is over this server's limit of ", limits.max_tokens,
                 " (forge serve --max-tokens)"));
  return n;
}

std::vector<std::string> stop_sequences(const json& body) {
  const json* value = field(body, "stop");
  if (!value) return {};
  if (value->is_string()) return {value->get<std::string>()};
  if (!value->is_array() || value->size() > 4)
    bad("stop", "stop: expected a string or a list of at most 4 strings");
  std::vector<std::string> out;
  for (const json& s : *value) {
    if (!s.is_string()) bad("stop", cat("stop: expected strings, got ", s.type_name()));
    out.push_back(s.get<std::string>());
  }
  return out;
}

GenerationParams common(const json& body, const Limits& limits, bool& stream, bool& usage) {
  for (const char* key : kRefused)
    if (const json* v = field(body, key); v && !(v->is_boolean() && !v->get<bool>()))
      bad(key, cat(key, ": not supported by forge serve; leave it out"));
  if (const json* n = field(body, "n"); n && !(n->is_number_integer() && n->get<int>() == 1))
    bad("n", "n: only 1 choice per request is supported");
  if (const json* model = field(body, "model"); model && !model->is_string())
    bad("model", cat("model: expected a string, got ", model->type_name()));
  GenerationParams params;
  params.max_tokens = max_tokens(body, limits);
  params.temperature = number(body, "temperature", 1.0, 0.0, 2.0);
  params.top_p = number(body, "top_p", 1.0, 0.0, 1.0, true);
  if (const json* seed = field(body, "seed")) {
    if (!seed->is_number_integer())
      bad("seed", cat("seed: expected an integer, got ", seed->type_name()));
    params.seed = seed->is_number_unsigned()
                      ? seed->get<std::uint64_t>()
                      : static_cast<std::uint64_t>(seed->get<std::int64_t>());
  }
  params.stop = stop_sequences(body);
  stream = boolean(body, "stream");
  usage = false;
  if (const json* options = field(body, "stream_options")) {
    if (!options->is_object())
      bad("stream_options", "stream_options: expected an object like {\"include_usage\": true}");
    usage = boolean(*options, "include_usage");
  }
  return params;
}

}  // namespace

ChatRequest parse_chat_request(std::string_view body, const Limits& limits) {
  const json parsed = parse_body(body);
  ChatRequest request;
  request.params = common(parsed, limits, request.stream, request.include_usage);
  const json* messages = field(parsed, "messages");
  if (!messages) bad("messages", "messages: required; give a list of {role, content} objects");
  try {
    request.messages = chat_from_json(*messages);
  } catch (const Error& e) {
    bad("messages", e.what());
  }
  if (request.messages.empty()) bad("messages", "messages: give at least one message");
  return request;
}

TextRequest parse_text_request(std::string_view body, const Limits& limits) {
  const json parsed = parse_body(body);
  TextRequest request;
  request.params = common(parsed, limits, request.stream, request.include_usage);
  const json* prompt = field(parsed, "prompt");
  if (!prompt) bad("prompt", "prompt: required; give the text to continue");
  if (prompt->is_array() && prompt->size() == 1 && (*prompt)[0].is_string()) prompt = &(*prompt)[0];
  if (!prompt->is_string())
    bad("prompt",
        "prompt: expected a string (or a list of one string); token lists and several "
        "prompts are not supported");
  request.prompt = prompt->get<std::string>();
  return request;
}

}  // namespace forge::serve
