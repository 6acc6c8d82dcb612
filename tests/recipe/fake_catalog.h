#pragma once

// A plugin catalog for the recipe engine's tests: a few plugins shaped like the real data
// plugins, with no libraries behind them.

#include <forge/plugin.h>
#include <forge/schema.h>

#include "plugin/catalog.h"

#include <string>
#include <vector>

namespace forge::test {

class FakeCatalog : public PluginCatalog {
 public:
  FakeCatalog() {
    add(PluginKind::dataset, "text_files",
        Schema{param::string_list("paths").required(),
               param::string("mode").fallback("file").one_of({"file", "paragraph"}),
               param::integer("files_per_shard").fallback(1).at_least(1)});
    add(PluginKind::dataset, "jsonl",
        Schema{param::string_list("paths").fallback(std::vector<std::string>{}),
               param::string("path").fallback("output"),
               param::string("compression").fallback("gzip").one_of({"gzip", "none"})});
    add(PluginKind::filter, "length",
        Schema{param::integer("min_chars").fallback(0).at_least(0),
               param::integer("max_chars").at_least(0)});
    add(PluginKind::filter, "language",
        Schema{param::string_list("keep").required(), param::number("threshold").range(0, 1)});
  }

  const PluginInfo* find(PluginKind kind, const std::string& name) const override {
    for (const PluginInfo& info : plugins_)
      if (info.kind == kind && info.name == name) return &info;
    return nullptr;
  }

  std::vector<std::string> names(PluginKind kind) const override {
    std::vector<std::string> out;
    for (const PluginInfo& info : plugins_)
      if (info.kind == kind) out.push_back(info.name);
    return out;
  }

 private:
  void add(PluginKind kind, std::string name, Schema schema) {
    PluginInfo info;
    info.kind = kind;
    info.name = std::move(name);
    info.version = "1.0";
    info.schema = std::move(schema);
    plugins_.push_back(std::move(info));
  }

  std::vector<PluginInfo> plugins_;
};

}  // namespace forge::test
