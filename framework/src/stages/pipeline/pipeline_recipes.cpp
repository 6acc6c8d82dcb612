#include "stages/pipeline/pipeline_recipes.h"

#include <forge/error.h>

#include "recipe/key_path.h"
#include "recipe/recipe.h"
#include "stages/pipeline/pipeline_artifacts.h"

#include <cctype>
#include <utility>

namespace forge {
namespace fs = std::filesystem;
namespace {

std::string at(const Location& where) {
  std::string text = where.str();
  return text.empty() ? "" : text + ": ";
}

std::string entry_path(std::size_t index) { return item_path("stages", index); }

std::string label(const PipelineEntry& entry) {
  return cat(entry_path(entry.index), " '", entry.name, "'");
}

// Every line of a (possibly multi-line) error, prefixed with the entry it is about.
std::string prefixed(const PipelineEntry& entry, const std::string& message) {
  std::string out, head = label(entry) + ": ";
  std::size_t start = 0;
  while (start <= message.size()) {
    std::size_t end = message.find('\n', start);
    if (end == std::string::npos) end = message.size();
    out += (out.empty() ? "" : "\n") + head + message.substr(start, end - start);
    start = end + 1;
  }
  return out;
}

bool folder_safe(const std::string& name) {
  if (name.empty()) return false;
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  return true;
}

std::string names_of(const std::vector<PipelineEntry>& entries, std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) out += (out.empty() ? "" : ", ") + entries[i].name;
  return out.empty() ? "none" : out;
}

// ${stages.NAME...} must name a stage before this one: a later one has no artifacts yet.
class ReferenceCheck {
 public:
  ReferenceCheck(const std::vector<PipelineEntry>& entries, std::size_t self)
      : entries_(entries), self_(self) {}

  void walk(const Node& node, const std::string& path) const {
    if (node.is_scalar()) return scalar(node, path);
    for (std::size_t i = 0; i < node.items().size(); ++i) walk(node.items()[i], item_path(path, i));
    for (const auto& entry : node.entries()) walk(entry.value, child_path(path, entry.key));
  }

 private:
  void scalar(const Node& node, const std::string& path) const {
    const std::string& text = node.text();
    for (std::size_t i = 0; i < text.size();) {
      if (text.compare(i, 3, "$${") == 0) {
        i += 3;
      } else if (text.compare(i, 2, "${") == 0) {
        std::size_t close = text.find('}', i + 2);
        if (close == std::string::npos) return;  // interpolation reports it
        check(node, path, text.substr(i + 2, close - i - 2));
        i = close + 1;
      } else {
        ++i;
      }
    }
  }

  void check(const Node& node, const std::string& path, const std::string& body) const {
    auto segments = parse_key_path(trim_blanks(body));
    if (!segments || segments->size() < 2 || segments->front().name != "stages" ||
        segments->front().index || (*segments)[1].index)
      return;
    const std::string& name = (*segments)[1].name;
    std::string where =
        cat(at(node.location()), path.empty() ? "" : path + ": ", "'${", body, "}'");
    std::string usable = cat("a stage can use only the artifacts of the stages before it (here: ",
                             names_of(entries_, self_), ")");
    for (std::size_t i = 0; i < entries_.size(); ++i) {
      if (entries_[i].name != name) continue;
      if (i < self_) return;
      if (i == self_) throw Error(cat(where, " refers to this stage itself; ", usable));
      throw Error(cat(where, " refers to stage '", name, "', which runs later (",
                      entry_path(entries_[i].index), "); ", usable));
    }
    std::vector<std::string> earlier;
    for (std::size_t i = 0; i < self_; ++i) earlier.push_back(entries_[i].name);
    std::string close = closest_match(name, earlier);
    throw Error(cat(where, " refers to no stage '", name, "'",
                    close.empty() ? cat("; ", usable) : cat("; did you mean '", close, "'?")));
  }

  const std::vector<PipelineEntry>& entries_;
  std::size_t self_;
};

// The stage's own tree: the entry's keys, its name, the pipeline's seed and device unless it
// sets them, and for interpolation only, `stages:` with the artifacts of the stages before it.
Node stage_tree(const Node& root, const std::vector<PipelineEntry>& entries, std::size_t self,
                const Node& earlier) {
  const Node& entry = *entries[self].node;
  Node tree = Node::map(entry.location());
  const Node::Entry* name = entry.find_entry("name");
  tree.set("name", name->value, name->key_location);
  for (const auto& item : entry.entries())
    if (item.key != "name" && item.key != "from") tree.set(item.key, item.value, item.key_location);
  for (const char* key : {"seed", "device"}) {
    const Node* own = tree.find(key);
    const Node::Entry* inherited = root.find_entry(key);
    if ((!own || own->is_null()) && inherited)
      tree.set(key, inherited->value, inherited->key_location);
  }
  ReferenceCheck(entries, self).walk(tree, "");
  tree.set("stages", earlier);
  interpolate(tree);
  tree.erase("stages");
  const Node* stage = tree.find("stage");
  if (stage && stage->is_scalar() && stage->text() == "pipeline")
    throw Error(cat(at(stage->location()), "stage: a pipeline can't run inside a pipeline; ",
                    "list its stages in this one instead"));
  return tree;
}

}  // namespace

std::vector<PipelineEntry> pipeline_entries(const Node& root) {
  const Node* stages = root.find("stages");
  if (!stages || stages->is_null()) return {};
  if (!stages->is_sequence())
    throw Error(cat(at(stages->location()), "stages: expected a list of stages, each ",
                    "{name: ..., recipe: FILE or stage: ..., ...}, found ", stages->describe()));
  if (stages->items().empty())
    throw Error(cat(at(stages->location()), "stages: the pipeline lists no stages"));
  std::vector<PipelineEntry> entries;
  for (std::size_t i = 0; i < stages->items().size(); ++i) {
    const Node& item = stages->items()[i];
    std::string path = entry_path(i);
    if (!item.is_map())
      throw Error(cat(at(item.location()), path, ": expected a mapping with 'name:' and ",
                      "'recipe:' or 'stage:', found ", item.describe()));
    const Node* name = item.find("name");
    if (!name || name->is_null())
      throw Error(cat(at(item.location()), path,
                      ": missing required key 'name' (the stage's folder in the pipeline's run)"));
    if (!name->is_scalar() || !folder_safe(name->text()))
      throw Error(cat(at(name->location()), path, ".name: ", name->describe(),
                      " can't name a run folder; use letters, digits, '-' and '_'"));
    for (const PipelineEntry& other : entries)
      if (other.name == name->text())
        throw Error(cat(at(name->location()), path, ".name: '", name->text(), "' already names ",
                        entry_path(other.index), "; every stage needs a name of its own"));
    if (const Node::Entry* nested = item.find_entry("stages"))
      throw Error(cat(at(nested->key_location), path, ".stages: a pipeline's stage can't list ",
                      "stages of its own; pipelines don't nest"));
    entries.push_back({i, name->text(), &item});
  }
  return entries;
}

void inline_stage_recipes(Node& root) {
  std::vector<PipelineEntry> entries = pipeline_entries(root);
  if (entries.empty()) return;
  std::vector<Node>& items = root.find("stages")->items();
  for (const PipelineEntry& entry : entries) {
    Node& item = items[entry.index];
    const Node::Entry* recipe = item.find_entry("recipe");
    if (!recipe) continue;
    const Node& value = recipe->value;
    if (!value.is_scalar() || value.text().empty())
      throw Error(prefixed(entry, cat(at(value.location()),
                                      "recipe: expected the path of a stage's recipe file, found ",
                                      value.describe())));
    // Relative to the file that names it; an override's path is relative to the working folder.
    fs::path from =
        value.location().line > 0 ? fs::path(value.location().file).parent_path() : fs::path();
    fs::path file = (from / value.text()).lexically_normal();
    Node loaded;
    try {
      loaded = load_recipe(file);
    } catch (const Error& e) {
      throw Error(prefixed(entry, cat(at(value.location()), "recipe: ", e.what())));
    }
    Node overlay = item;
    overlay.erase("recipe");
    overlay.erase("from");
    deep_merge(loaded, overlay);
    Node inlined = Node::map(item.location());
    const Node::Entry* name = item.find_entry("name");
    inlined.set("name", name->value, name->key_location);
    inlined.set("from", Node::scalar(file.string(), true, value.location()), recipe->key_location);
    // `stage:` first, as a recipe file reads; then the keys in the merged order.
    if (const Node::Entry* stage = loaded.find_entry("stage"))
      inlined.set("stage", stage->value, stage->key_location);
    for (const auto& key : loaded.entries())
      if (key.key != "name" && key.key != "from" && key.key != "stage")
        inlined.set(key.key, key.value, key.key_location);
    item = std::move(inlined);
  }
}

std::vector<ResolvedRecipe> resolve_stages(const Node& root, const fs::path& run_dir,
                                           Registry& plugins) {
  std::vector<PipelineEntry> entries = pipeline_entries(root);
  std::vector<ResolvedRecipe> stages;
  Node earlier = Node::map();
  ModelContexts models(plugins);
  for (std::size_t i = 0; i < entries.size(); ++i) {
    try {
      ResolvedRecipe stage =
          resolve_tree(stage_tree(root, entries, i, earlier), entries[i].name, plugins, &models);
      Node artifacts = stage_artifacts(stage, run_dir / entries[i].name);
      // A later stage's init may be this one's checkpoint, which does not exist yet.
      if (auto context = models.of_recipe(stage.root))
        models.plan(artifacts.find("checkpoint")->text(), *context);
      earlier.set(entries[i].name, std::move(artifacts));
      stages.push_back(std::move(stage));
    } catch (const Error& e) {
      throw Error(prefixed(entries[i], e.what()));
    }
  }
  return stages;
}

}  // namespace forge
