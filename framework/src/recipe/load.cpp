#include <forge/error.h>

#include "recipe/recipe.h"

#include <fstream>
#include <iterator>
#include <system_error>
#include <utility>

namespace forge {
namespace {

namespace fs = std::filesystem;

// Recipes are a few kilobytes; the cap stops a data file passed by mistake from taking
// minutes and gigabytes to parse.
constexpr std::uintmax_t kMaxRecipeBytes = 4u << 20;

struct BaseRef {
  std::string path;
  Location where;
};

std::string prefix(const Location& where) {
  std::string text = where.str();
  return text.empty() ? "" : text + ": ";
}

// `context` locates the reference to the file ("" for the recipe itself, or "file:3:7: base: ").
std::string read_recipe_text(const fs::path& file, const std::string& context) {
  std::error_code error;
  fs::file_status status = fs::status(file, error);
  if (!fs::exists(status)) throw Error(cat(context, file.string(), ": no such file"));
  if (fs::is_directory(status))
    throw Error(cat(context, file.string(), ": is a folder, not a recipe file"));
  if (!fs::is_regular_file(status))
    throw Error(cat(context, file.string(), ": not a regular file"));
  if (fs::file_size(file, error) > kMaxRecipeBytes)
    throw Error(cat(context, file.string(), ": larger than ", kMaxRecipeBytes >> 20,
                    " MiB; is this really a recipe?"));
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(cat(context, file.string(), ": cannot be read"));
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::vector<BaseRef> base_refs(const Node& value) {
  std::string where = prefix(value.location());
  auto one = [&](const Node& item) {
    if (!item.is_scalar() || item.text().empty())
      throw Error(cat(prefix(item.location()), "base: expected a path or a list of paths, found ",
                      item.describe()));
    return BaseRef{item.text(), item.location()};
  };
  std::vector<BaseRef> refs;
  if (value.is_null()) return refs;
  if (value.is_sequence()) {
    for (const Node& item : value.items()) refs.push_back(one(item));
  } else if (value.is_scalar()) {
    refs.push_back(one(value));
  } else {
    throw Error(cat(where, "base: expected a path or a list of paths, found ", value.describe()));
  }
  return refs;
}

class Loader {
 public:
  Node load(const fs::path& file, const std::string& context) {
    std::string label = file.string();
    Node root = parse_yaml(read_recipe_text(file, context), label);
    if (!root.is_map())
      throw Error(cat(prefix(root.location()),
                      "expected a mapping with 'stage:' at the top level, found ",
                      root.describe()));
    const Node* base = root.find("base");
    if (!base) return root;
    std::vector<BaseRef> refs = base_refs(*base);
    root.erase("base");

    std::optional<Node> merged;
    chain_.emplace_back(identity(file), label);
    for (const BaseRef& ref : refs) {
      fs::path path = (file.parent_path() / ref.path).lexically_normal();
      std::string here = cat(prefix(ref.where), "base: ");
      check_cycle(path, here);
      Node loaded = load(path, here);
      if (merged)
        deep_merge(*merged, loaded);
      else
        merged = std::move(loaded);
    }
    chain_.pop_back();
    if (!merged) return root;
    deep_merge(*merged, root);
    return std::move(*merged);
  }

 private:
  static fs::path identity(const fs::path& file) {
    std::error_code error;
    fs::path canonical = fs::weakly_canonical(file, error);
    return error ? fs::absolute(file).lexically_normal() : canonical;
  }

  void check_cycle(const fs::path& path, const std::string& here) const {
    fs::path id = identity(path);
    for (std::size_t i = 0; i < chain_.size(); ++i) {
      if (chain_[i].first != id) continue;
      std::string shown;
      for (std::size_t k = i; k < chain_.size(); ++k) shown += chain_[k].second + " -> ";
      throw Error(cat(here, "inheritance cycle: ", shown, chain_[i].second));
    }
  }

  std::vector<std::pair<fs::path, std::string>> chain_;  // files being loaded, outermost first
};

}  // namespace

Node load_recipe(const std::filesystem::path& file) { return Loader().load(file, ""); }

}  // namespace forge
