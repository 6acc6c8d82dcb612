#include <forge/error.h>

#include "recipe/key_path.h"
#include "recipe/recipe.h"
#include "recipe/tree.h"
#include "recipe/yaml_document.h"

namespace forge {
namespace {

// One override, parsed: "a.b=value" or "~a.b".
class Override {
 public:
  explicit Override(const std::string& text) : label_("override '" + text + "'") {
    bool remove = !text.empty() && text[0] == '~';
    std::size_t equals = text.find('=');
    if (remove == (equals != std::string::npos)) malformed();
    std::string_view key =
        remove ? std::string_view(text).substr(1) : std::string_view(text).substr(0, equals);
    auto path = parse_key_path(trim_blanks(key));
    if (!path) malformed();
    path_ = std::move(*path);
    remove_ = remove;
    if (!remove) value_text_ = text.substr(equals + 1);
  }

  void apply(Node& root) const {
    if (remove_) {
      erase(root);
      return;
    }
    Location where{label_};
    std::optional<Node> value = parse_yaml_document(value_text_, label_);
    Node made = value ? std::move(*value) : Node::null();
    relocate(made, where);
    Node* parent = walk(root, path_.size() - 1, true);
    const KeySegment& last = path_.back();
    if (parent->is_sequence()) {
      item(*parent, last, path_.size() - 1) = std::move(made);
    } else {
      parent->set(last.name, std::move(made), where);
    }
  }

 private:
  [[noreturn]] void malformed() const { throw Error(cat(label_, ": expected key=value or ~key")); }

  [[noreturn]] void fail(std::size_t depth, const std::string& message) const {
    throw Error(cat(label_, ": ", shown(depth), ": ", message));
  }

  // The key path of the first `depth` segments, as messages show it.
  std::string shown(std::size_t depth) const {
    std::string out;
    for (std::size_t i = 0; i < depth; ++i) {
      if (path_[i].index && i > 0)
        out = item_path(out, *path_[i].index);
      else
        out = child_path(out, path_[i].name);
    }
    return out;
  }

  Node& item(Node& list, const KeySegment& segment, std::size_t depth) const {
    if (!segment.index)
      fail(depth,
           cat("is a list; use an index like '", shown(depth), ".0', not '", segment.name, "'"));
    if (*segment.index >= list.items().size())
      fail(depth, cat("index ", *segment.index, " is out of range (the list has ",
                      list.items().size(), list.items().size() == 1 ? " item)" : " items)"));
    return list.items()[*segment.index];
  }

  // Follows the first `count` segments; creates missing mappings when `create`.
  Node* walk(Node& root, std::size_t count, bool create) const {
    Node* node = &root;
    for (std::size_t i = 0; i < count; ++i) {
      const KeySegment& segment = path_[i];
      if (node->is_null() && create) *node = Node::map(Location{label_});
      if (node->is_sequence()) {
        node = &item(*node, segment, i);
        continue;
      }
      if (!node->is_map()) {
        if (!create) return nullptr;
        fail(i, cat("is a scalar (", node->describe(), "), so it has no key '", segment.name, "'"));
      }
      Node* child = node->find(segment.name);
      if (!child) {
        if (!create) return nullptr;
        child = &node->set(segment.name, Node::map(Location{label_}), Location{label_});
      }
      node = child;
    }
    if (create && node->is_null()) *node = Node::map(Location{label_});
    if (create && !node->is_map() && !node->is_sequence())
      fail(count,
           cat("is a scalar (", node->describe(), "), so it has no key '", path_[count].name, "'"));
    return node;
  }

  void erase(Node& root) const {
    std::string whole = shown(path_.size());
    Node* parent = nullptr;
    try {
      parent = walk(root, path_.size() - 1, false);
    } catch (const Error&) {
      parent = nullptr;
    }
    const KeySegment& last = path_.back();
    bool erased = false;
    if (parent && parent->is_map()) {
      erased = parent->erase(last.name);
    } else if (parent && parent->is_sequence() && last.index &&
               *last.index < parent->items().size()) {
      parent->items().erase(parent->items().begin() + static_cast<long>(*last.index));
      erased = true;
    }
    if (!erased) throw Error(cat(label_, ": nothing to delete at '", whole, "'"));
  }

  std::string label_;
  std::vector<KeySegment> path_;
  bool remove_ = false;
  std::string value_text_;
};

}  // namespace

void apply_overrides(Node& root, const std::vector<std::string>& overrides) {
  for (const std::string& text : overrides) Override(text).apply(root);
}

}  // namespace forge
