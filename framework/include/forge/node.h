#pragma once

#include <forge/export.h>

#include <string>
#include <string_view>
#include <vector>

namespace forge {

// Where a value came from: a recipe file's line and column (1-based), or an override's text.
struct FORGE_API Location {
  std::string file;
  int line = 0;
  int column = 0;

  // "recipe.yaml:3:7", or just `file` when there is no line.
  std::string str() const;
};

// A recipe value: null, scalar, sequence or mapping, each carrying its source location.
// Mappings keep their keys in file order.
class FORGE_API Node {
 public:
  enum class Kind { null, scalar, sequence, map };
  struct Entry;

  static Node null(Location where = {});
  static Node scalar(std::string text, bool quoted = false, Location where = {});
  static Node sequence(Location where = {});
  static Node map(Location where = {});

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::null; }
  bool is_scalar() const { return kind_ == Kind::scalar; }
  bool is_sequence() const { return kind_ == Kind::sequence; }
  bool is_map() const { return kind_ == Kind::map; }

  const Location& location() const { return location_; }
  void set_location(Location where) { location_ = std::move(where); }

  // Scalars: the text as written, and whether it was quoted (quoted text is always a string).
  const std::string& text() const { return text_; }
  bool quoted() const { return quoted_; }

  std::vector<Node>& items() { return items_; }
  const std::vector<Node>& items() const { return items_; }

  std::vector<Entry>& entries() { return entries_; }
  const std::vector<Entry>& entries() const { return entries_; }
  const Node* find(std::string_view key) const;
  Node* find(std::string_view key);
  const Entry* find_entry(std::string_view key) const;
  // Replaces the value of `key` or appends it; returns the stored value.
  Node& set(std::string key, Node value, Location key_location = {});
  bool erase(std::string_view key);
  std::vector<std::string> keys() const;

  // For messages: "a mapping", "a list", "null" or the scalar quoted, e.g. "'abc'".
  std::string describe() const;

 private:
  Kind kind_ = Kind::null;
  std::string text_;
  bool quoted_ = false;
  std::vector<Node> items_;
  std::vector<Entry> entries_;
  Location location_;
};

struct Node::Entry {
  std::string key;
  Location key_location;
  Node value;
};

}  // namespace forge
