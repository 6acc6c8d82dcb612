#include <forge/node.h>

#include <algorithm>

namespace forge {

std::string Location::str() const {
  if (line <= 0) return file;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

Node Node::null(Location where) {
  Node node;
  node.location_ = std::move(where);
  return node;
}

Node Node::scalar(std::string text, bool quoted, Location where) {
  Node node;
  node.kind_ = Kind::scalar;
  node.text_ = std::move(text);
  node.quoted_ = quoted;
  node.location_ = std::move(where);
  return node;
}

Node Node::sequence(Location where) {
  Node node;
  node.kind_ = Kind::sequence;
  node.location_ = std::move(where);
  return node;
}

Node Node::map(Location where) {
  Node node;
  node.kind_ = Kind::map;
  node.location_ = std::move(where);
  return node;
}

const Node::Entry* Node::find_entry(std::string_view key) const {
  auto it = std::find_if(entries_.begin(), entries_.end(),
                         [&](const Entry& entry) { return entry.key == key; });
  return it == entries_.end() ? nullptr : &*it;
}

const Node* Node::find(std::string_view key) const {
  const Entry* entry = find_entry(key);
  return entry ? &entry->value : nullptr;
}

Node* Node::find(std::string_view key) {
  return const_cast<Node*>(static_cast<const Node*>(this)->find(key));
}

Node& Node::set(std::string key, Node value, Location key_location) {
  for (auto& entry : entries_) {
    if (entry.key == key) {
      entry.value = std::move(value);
      if (key_location.line > 0 || !key_location.file.empty())
        entry.key_location = std::move(key_location);
      return entry.value;
    }
  }
  entries_.push_back({std::move(key), std::move(key_location), std::move(value)});
  return entries_.back().value;
}

bool Node::erase(std::string_view key) {
  auto it = std::find_if(entries_.begin(), entries_.end(),
                         [&](const Entry& entry) { return entry.key == key; });
  if (it == entries_.end()) return false;
  entries_.erase(it);
  return true;
}

std::vector<std::string> Node::keys() const {
  std::vector<std::string> out;
  out.reserve(entries_.size());
  for (const auto& entry : entries_) out.push_back(entry.key);
  return out;
}

std::string Node::describe() const {
  switch (kind_) {
    case Kind::null:
      return "null";
    case Kind::sequence:
      return "a list";
    case Kind::map:
      return "a mapping";
    case Kind::scalar:
      break;
  }
  constexpr std::size_t kShown = 60;
  std::string shown = text_.size() > kShown ? text_.substr(0, kShown) + "..." : text_;
  return "'" + shown + "'";
}

}  // namespace forge
