#include <forge/config.h>
#include <forge/error.h>
#include <forge/scalar.h>

namespace forge {

Config::Config(const Node& node, std::string path) : node_(&node), path_(std::move(path)) {}

bool Config::has(std::string_view key) const {
  const Node* value = node_->find(key);
  return value && !value->is_null();
}

std::string Config::key_path(std::string_view key) const {
  if (key.empty()) return path_;
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

Location Config::location(std::string_view key) const {
  const Node* value = key.empty() ? nullptr : node_->find(key);
  return value ? value->location() : node_->location();
}

void Config::fail(std::string_view key, std::string_view message) const {
  std::string where = location(key).str();
  std::string path = key_path(key);
  throw Error(cat(where.empty() ? "" : where + ": ", path.empty() ? "" : path + ": ", message));
}

const Node& Config::at(std::string_view key) const {
  const Node* value = node_->find(key);
  if (!value || value->is_null()) fail(key, "missing value (the plugin's schema gives no default)");
  return *value;
}

std::string Config::string(std::string_view key) const {
  const Node& value = at(key);
  if (!value.is_scalar()) fail(key, cat("expected a string, found ", value.describe()));
  return value.text();
}

std::int64_t Config::integer(std::string_view key) const {
  auto value = as_integer(at(key));
  if (!value) fail(key, cat("expected an integer, found ", at(key).describe()));
  return *value;
}

double Config::number(std::string_view key) const {
  auto value = as_number(at(key));
  if (!value) fail(key, cat("expected a number, found ", at(key).describe()));
  return *value;
}

bool Config::boolean(std::string_view key) const {
  auto value = as_boolean(at(key));
  if (!value) fail(key, cat("expected true or false, found ", at(key).describe()));
  return *value;
}

std::vector<std::string> Config::strings(std::string_view key) const {
  const Node& value = at(key);
  if (value.is_scalar()) return {value.text()};  // one string stands for a list of one
  if (!value.is_sequence()) fail(key, cat("expected a list of strings, found ", value.describe()));
  std::vector<std::string> out;
  for (const Node& item : value.items()) {
    if (!item.is_scalar()) fail(key, cat("expected a list of strings, found ", item.describe()));
    out.push_back(item.text());
  }
  return out;
}

std::vector<double> Config::numbers(std::string_view key) const {
  const Node& value = at(key);
  if (!value.is_sequence()) fail(key, cat("expected a list of numbers, found ", value.describe()));
  std::vector<double> out;
  for (const Node& item : value.items()) {
    auto number = as_number(item);
    if (!number) fail(key, cat("expected a list of numbers, found ", item.describe()));
    out.push_back(*number);
  }
  return out;
}

Config Config::section(std::string_view key) const {
  const Node& value = at(key);
  if (!value.is_map()) fail(key, cat("expected a mapping, found ", value.describe()));
  return Config(value, key_path(key));
}

std::vector<Config> Config::sections(std::string_view key) const {
  std::vector<Config> out;
  if (!has(key)) return out;
  const Node& value = at(key);
  if (!value.is_sequence()) fail(key, cat("expected a list, found ", value.describe()));
  for (std::size_t i = 0; i < value.items().size(); ++i) {
    const Node& item = value.items()[i];
    std::string path = cat(key_path(key), "[", i, "]");
    if (!item.is_map())
      Config(item, path).fail({}, cat("expected a mapping, found ", item.describe()));
    out.emplace_back(item, path);
  }
  return out;
}

}  // namespace forge
