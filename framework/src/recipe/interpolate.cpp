#include <forge/error.h>

#include "recipe/key_path.h"
#include "recipe/recipe.h"

#include <cctype>
#include <cstdlib>

namespace forge {
namespace {

// Guards against references that multiply a recipe exponentially or chain without end.
constexpr std::size_t kMaxChain = 200;
constexpr std::size_t kMaxCopiedNodes = 1000000;
constexpr std::size_t kMaxStringBytes = 1u << 20;

// While resolving, text keeps literal "${" escaped as "$${", so a resolved scalar never looks
// unresolved; one pass at the end turns "$${" back into "${".
std::string escape(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '$' && i + 1 < text.size() && text[i + 1] == '{') out += '$';
    out += text[i];
  }
  return out;
}

std::string unescape(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    if (text.compare(i, 3, "$${") == 0) {
      out += "${";
      i += 3;
    } else {
      out += text[i++];
    }
  }
  return out;
}

struct Piece {
  bool reference = false;
  std::string text;  // escaped literal text, or the reference's body
};

std::string trim(std::string_view text) {
  std::size_t first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return "";
  std::size_t last = text.find_last_not_of(" \t");
  return std::string(text.substr(first, last - first + 1));
}

std::size_t size_of(const Node& node) {
  std::size_t size = 1;
  for (const Node& item : node.items()) size += size_of(item);
  for (const auto& entry : node.entries()) size += size_of(entry.value);
  return size;
}

void unescape_tree(Node& node) {
  if (node.is_scalar() && node.text().find("$${") != std::string::npos)
    node = Node::scalar(unescape(node.text()), node.quoted(), node.location());
  for (Node& item : node.items()) unescape_tree(item);
  for (auto& entry : node.entries()) unescape_tree(entry.value);
}

class Interpolator {
 public:
  explicit Interpolator(Node& root) : root_(root) {}

  void run() {
    resolve_tree(root_, "");
    unescape_tree(root_);
  }

 private:
  struct Active {
    const Node* node;  // nullptr for a reference being followed
    std::string path;
  };

  [[noreturn]] static void fail(const Node& node, const std::string& path,
                                const std::string& message) {
    std::string where = node.location().str();
    throw Error(cat(where.empty() ? "" : where + ": ", path.empty() ? "" : path + ": ", message));
  }

  static std::vector<Piece> split(const Node& node, const std::string& path) {
    const std::string& text = node.text();
    std::vector<Piece> pieces;
    std::string literal;
    for (std::size_t i = 0; i < text.size();) {
      if (text.compare(i, 3, "$${") == 0) {
        literal += "$${";
        i += 3;
      } else if (text.compare(i, 2, "${") == 0) {
        std::size_t close = text.find('}', i + 2);
        if (close == std::string::npos)
          fail(node, path, cat("unterminated '${' in '", text, "' (write '$${' for a literal '${')"));
        if (!literal.empty()) pieces.push_back({false, std::move(literal)});
        literal.clear();
        pieces.push_back({true, text.substr(i + 2, close - i - 2)});
        i = close + 1;
      } else {
        literal += text[i++];
      }
    }
    if (!literal.empty()) pieces.push_back({false, std::move(literal)});
    return pieces;
  }

  void resolve_tree(Node& node, const std::string& path) {
    if (node.is_scalar()) {
      resolve_scalar(node, path);
      return;
    }
    for (std::size_t i = 0; i < node.items().size(); ++i)
      resolve_tree(node.items()[i], item_path(path, i));
    for (auto& entry : node.entries()) resolve_tree(entry.value, child_path(path, entry.key));
  }

  void resolve_scalar(Node& node, const std::string& path) {
    if (node.text().find("${") == std::string::npos) return;
    std::vector<Piece> pieces = split(node, path);
    bool any = false;
    for (const Piece& piece : pieces) any = any || piece.reference;
    if (!any) return;
    check_cycle(node, path);
    active_.push_back({&node, path});
    if (pieces.size() == 1) {
      Node value = whole(node, path, pieces[0].text);
      active_.pop_back();
      node = std::move(value);
      return;
    }
    std::string text;
    for (const Piece& piece : pieces) {
      text += piece.reference ? inline_text(node, path, piece.text) : piece.text;
      if (text.size() > kMaxStringBytes)
        fail(node, path, cat("interpolation makes a string longer than ", kMaxStringBytes >> 20,
                             " MiB"));
    }
    active_.pop_back();
    node = Node::scalar(std::move(text), node.quoted(), node.location());
  }

  void check_cycle(const Node& node, const std::string& path) const {
    for (std::size_t i = 0; i < active_.size(); ++i) {
      if (active_[i].node != &node) continue;
      std::string chain;
      std::string last;
      for (std::size_t k = i; k < active_.size(); ++k) {
        if (active_[k].path == last) continue;
        last = active_[k].path;
        chain += last + " -> ";
      }
      fail(node, path, cat("interpolation cycle: ", chain, path));
    }
    if (active_.size() > kMaxChain)
      fail(node, path, cat("interpolation references nest deeper than ", kMaxChain, " levels"));
  }

  // A scalar that is exactly one reference becomes a copy of the target.
  Node whole(const Node& node, const std::string& path, const std::string& body) {
    if (is_env(body)) return Node::scalar(escape(env(node, path, body)), node.quoted(),
                                          node.location());
    Node& target = follow(node, path, body);
    copied_ += size_of(target);
    if (copied_ > kMaxCopiedNodes)
      fail(node, path, cat("interpolation copies more than ", kMaxCopiedNodes, " values"));
    if (target.is_scalar())
      return Node::scalar(target.text(), target.quoted() || node.quoted(), node.location());
    Node copy = target;
    copy.set_location(node.location());
    return copy;
  }

  std::string inline_text(const Node& node, const std::string& path, const std::string& body) {
    if (is_env(body)) return escape(env(node, path, body));
    Node& target = follow(node, path, body);
    if (!target.is_scalar())
      fail(node, path, cat("'${", body, "}' is part of a longer string, so it must refer to a "
                           "scalar, but '", trim(body), "' is ", target.describe()));
    return target.text();
  }

  static bool is_env(const std::string& body) { return trim(body).rfind("env:", 0) == 0; }

  static std::string env(const Node& node, const std::string& path, const std::string& body) {
    std::string spec = trim(body).substr(4);
    std::size_t dash = spec.find(":-");
    std::string name = spec.substr(0, dash);
    bool valid = !name.empty();
    for (char c : name)
      valid = valid && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
    if (!valid)
      fail(node, path, cat("'${", body, "}': expected ${env:NAME} or ${env:NAME:-default}"));
    const char* value = std::getenv(name.c_str());
    if (dash != std::string::npos && (!value || !*value)) return spec.substr(dash + 2);
    if (!value)
      fail(node, path, cat("environment variable '", name, "' is not set (set it, or give a "
                           "default: ${env:", name, ":-value})"));
    return value;
  }

  // The node a reference names, resolved before it is used.
  Node& follow(const Node& node, const std::string& path, const std::string& body) {
    std::string key = trim(body);
    auto segments = parse_key_path(key);
    if (!segments)
      fail(node, path, cat("'${", body, "}' is not a key path like ${a.b} or ${a.b[0]}"));
    Node* here = &root_;
    std::string walked;
    for (const KeySegment& segment : *segments) {
      if (here->is_scalar()) resolve_reference(*here, walked);
      if (here->is_sequence()) {
        if (!segment.index)
          fail(node, path, cat("'${", body, "}': '", walked, "' is a list; use an index like '",
                               walked, "[0]'"));
        if (*segment.index >= here->items().size())
          fail(node, path, cat("'${", body, "}': index ", *segment.index, " is out of range ('",
                               walked, "' has ", here->items().size(), " items)"));
        here = &here->items()[*segment.index];
        walked = item_path(walked, *segment.index);
        continue;
      }
      if (!here->is_map())
        fail(node, path, cat("'${", body, "}': '", walked, "' is ", here->describe(),
                             ", not a mapping"));
      Node* child = here->find(segment.name);
      if (!child) {
        std::string missing = child_path(walked, segment.name);
        std::string close = closest_match(segment.name, here->keys());
        fail(node, path, cat("'${", body, "}' refers to a missing key '", missing, "'",
                             close.empty() ? "" : cat("; did you mean '",
                                                      child_path(walked, close), "'?")));
      }
      here = child;
      walked = child_path(walked, segment.name);
    }
    resolve_reference(*here, walked);
    return *here;
  }

  void resolve_reference(Node& target, const std::string& path) {
    active_.push_back({nullptr, path});
    resolve_tree(target, path);
    active_.pop_back();
  }

  Node& root_;
  std::vector<Active> active_;
  std::size_t copied_ = 0;
};

}  // namespace

void interpolate(Node& root) { Interpolator(root).run(); }

}  // namespace forge
