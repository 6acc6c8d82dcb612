#include <forge/error.h>

#include "recipe/key_path.h"
#include "recipe/recipe.h"
#include "recipe/tree.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace forge {
namespace {

// Guards against references that chain without end or multiply a recipe exponentially.
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

void unescape_tree(Node& node) {
  if (node.is_scalar() && node.text().find("$${") != std::string::npos)
    node = Node::scalar(unescape(node.text()), node.quoted(), node.location());
  for (Node& item : node.items()) unescape_tree(item);
  for (auto& entry : node.entries()) unescape_tree(entry.value);
}

bool contains(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

struct Piece {
  bool reference = false;
  std::string text;  // escaped literal text, or the reference's body
};

// Where a scalar being resolved sits, for messages and for limits.
struct Site {
  const Node& node;
  const std::string& path;
  int depth;  // mappings and lists around it
};

class Interpolator {
 public:
  Interpolator(Node& root, const std::vector<std::string>& deferred)
      : root_(root), deferred_(deferred) {}

  // Deferred top-level keys keep their text exactly, escapes included: they are interpolated
  // later, on their own.
  void run() {
    if (!root_.is_map()) {
      resolve_tree(root_, "", 0);
      unescape_tree(root_);
      return;
    }
    for (auto& entry : root_.entries())
      if (!contains(deferred_, entry.key)) resolve_tree(entry.value, child_path("", entry.key), 1);
    for (auto& entry : root_.entries())
      if (!contains(deferred_, entry.key)) unescape_tree(entry.value);
  }

 private:
  struct Active {
    const Node* node;  // nullptr for a reference being followed
    std::string path;
  };

  [[noreturn]] static void fail(const Site& site, const std::string& message) {
    std::string where = site.node.location().str();
    throw Error(
        cat(where.empty() ? "" : where + ": ", site.path.empty() ? "" : site.path + ": ", message));
  }

  static std::vector<Piece> split(const Site& site) {
    const std::string& text = site.node.text();
    std::vector<Piece> pieces;
    std::string literal;
    for (std::size_t i = 0; i < text.size();) {
      if (text.compare(i, 3, "$${") == 0) {
        literal += "$${";
        i += 3;
      } else if (text.compare(i, 2, "${") == 0) {
        std::size_t close = text.find('}', i + 2);
        if (close == std::string::npos)
          fail(site, cat("unterminated '${' in '", text, "' (write '$${' for a literal '${')"));
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

  void resolve_tree(Node& node, const std::string& path, int depth) {
    if (node.is_scalar()) {
      resolve_scalar(node, path, depth);
      return;
    }
    for (std::size_t i = 0; i < node.items().size(); ++i)
      resolve_tree(node.items()[i], item_path(path, i), depth + 1);
    for (auto& entry : node.entries())
      resolve_tree(entry.value, child_path(path, entry.key), depth + 1);
  }

  void resolve_scalar(Node& node, const std::string& path, int depth) {
    if (node.text().find("${") == std::string::npos) return;
    const Site site{node, path, depth};
    std::vector<Piece> pieces = split(site);
    bool any = false;
    for (const Piece& piece : pieces) any = any || piece.reference;
    if (!any) return;
    check_cycle(site);
    active_.push_back({&node, path});
    Node value = pieces.size() == 1 ? whole(site, pieces[0].text) : joined(site, pieces);
    active_.pop_back();
    node = std::move(value);
  }

  void check_cycle(const Site& site) const {
    for (std::size_t i = 0; i < active_.size(); ++i) {
      if (active_[i].node != &site.node) continue;
      // The chain: where it starts, then each reference followed from there.
      std::string chain = active_[i].path;
      std::string last = chain;
      for (std::size_t k = i + 1; k < active_.size(); ++k) {
        if (active_[k].node) continue;
        last = active_[k].path;
        chain += " -> " + last;
      }
      if (last != site.path) chain += " -> " + site.path;
      fail(site, cat("interpolation cycle: ", chain));
    }
    if (active_.size() > kMaxChain)
      fail(site, cat("interpolation references nest deeper than ", kMaxChain, " levels"));
  }

  // A scalar that is exactly one reference becomes a copy of the target.
  Node whole(const Site& site, const std::string& body) {
    const Node& node = site.node;
    if (is_env(body)) return Node::scalar(escape(env(site, body)), node.quoted(), node.location());
    const Node& target = follow(site, body);
    if (target.is_scalar())
      return Node::scalar(target.text(), target.quoted() || node.quoted(), node.location());
    copied_ += count_nodes(target);
    if (copied_ > kMaxCopiedNodes)
      fail(site, cat("interpolation copies more than ", kMaxCopiedNodes, " values"));
    if (site.depth + nesting_of(target) > kMaxNesting)
      fail(site, cat("'${", body, "}' nests values deeper than ", kMaxNesting, " levels"));
    Node copy = target;
    copy.set_location(node.location());
    return copy;
  }

  // A scalar with text around its references gets their text pasted in.
  Node joined(const Site& site, const std::vector<Piece>& pieces) {
    std::string text;
    for (const Piece& piece : pieces) {
      text += piece.reference ? inline_text(site, piece.text) : piece.text;
      if (text.size() > kMaxStringBytes)
        fail(site, cat("interpolation makes a string longer than ", kMaxStringBytes >> 20, " MiB"));
    }
    return Node::scalar(std::move(text), site.node.quoted(), site.node.location());
  }

  std::string inline_text(const Site& site, const std::string& body) {
    if (is_env(body)) return escape(env(site, body));
    const Node& target = follow(site, body);
    if (!target.is_scalar())
      fail(site, cat("'${", body, "}' is part of a longer string, so it must refer to a scalar, ",
                     "but '", trim_blanks(body), "' is ", target.describe()));
    return target.text();
  }

  static bool is_env(const std::string& body) { return trim_blanks(body).rfind("env:", 0) == 0; }

  static std::string env(const Site& site, const std::string& body) {
    std::string spec = trim_blanks(body).substr(4);
    std::size_t dash = spec.find(":-");
    std::string name = spec.substr(0, dash);
    bool valid = !name.empty();
    for (char c : name) valid = valid && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
    if (!valid) fail(site, cat("'${", body, "}': expected ${env:NAME} or ${env:NAME:-default}"));
    const char* value = std::getenv(name.c_str());
    if (dash != std::string::npos && (!value || !*value)) return spec.substr(dash + 2);
    if (!value)
      fail(site, cat("environment variable '", name,
                     "' is not set (set it, or give a default: ", "${env:", name, ":-value})"));
    return value;
  }

  // The node a reference names, resolved before it is used.
  const Node& follow(const Site& site, const std::string& body) {
    auto segments = parse_key_path(trim_blanks(body));
    if (!segments) fail(site, cat("'${", body, "}' is not a key path like ${a.b} or ${a.b[0]}"));
    if (root_.is_map() && !segments->front().index && contains(deferred_, segments->front().name))
      fail(site, cat("'${", body, "}' refers into '", segments->front().name,
                     "', whose values are resolved later, each in its own scope; ",
                     "refer to them from inside it or write the value here"));
    Node* here = &root_;
    std::string walked;
    int depth = 0;
    for (const KeySegment& segment : *segments) {
      if (here->is_scalar()) resolve_reference(*here, walked, depth);
      const std::string ref = cat("'${", body, "}'");
      if (here->is_sequence()) {
        std::size_t size = here->items().size();
        if (!segment.index)
          fail(site, cat(ref, ": '", walked, "' is a list; use an index like '", walked, "[0]'"));
        if (*segment.index >= size)
          fail(site, cat(ref, ": index ", *segment.index, " is out of range ('", walked, "' has ",
                         size, size == 1 ? " item)" : " items)"));
        here = &here->items()[*segment.index];
        walked = item_path(walked, *segment.index);
      } else {
        if (!here->is_map())
          fail(site, cat(ref, ": '", walked, "' is ", here->describe(), ", not a mapping"));
        Node* child = here->find(segment.name);
        if (!child) {
          std::string close = closest_match(segment.name, here->keys());
          fail(site,
               cat(ref, " refers to a missing key '", child_path(walked, segment.name), "'",
                   close.empty() ? "" : cat("; did you mean '", child_path(walked, close), "'?")));
        }
        here = child;
        walked = child_path(walked, segment.name);
      }
      ++depth;
    }
    resolve_reference(*here, walked, depth);
    return *here;
  }

  void resolve_reference(Node& target, const std::string& path, int depth) {
    active_.push_back({nullptr, path});
    resolve_tree(target, path, depth);
    active_.pop_back();
  }

  Node& root_;
  const std::vector<std::string>& deferred_;
  std::vector<Active> active_;
  std::size_t copied_ = 0;
};

}  // namespace

void interpolate(Node& root, const std::vector<std::string>& deferred) {
  Interpolator(root, deferred).run();
}

}  // namespace forge
