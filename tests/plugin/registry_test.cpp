#include <forge/filter.h>

#include "plugin/registry.h"
#include "support/test_support.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace forge {
namespace {

const std::filesystem::path kFixtures = FORGE_FIXTURE_DIR;

std::string load_error(const std::filesystem::path& folder) {
  Registry registry;
  try {
    registry.load_folder(folder, true);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(Registry, LoadsAGoodLibraryAndMakesItsPlugin) {
  Registry registry;
  registry.load_folder(kFixtures / "good", true);
  const PluginInfo& info = registry.get(PluginKind::filter, "fixture_keep_all");
  EXPECT_EQ(info.summary, "keeps every document");
  EXPECT_NE(info.library.find("forge-good.so"), std::string::npos);
  Node section = Node::map();
  section.set("plugin", Node::scalar("fixture_keep_all"));
  auto filter = registry.create<Filter>(Config(section, "steps[0]"));
  Document document{"id", "text", "", nlohmann::json::object()};
  EXPECT_EQ(filter->apply(document).action, Verdict::Action::keep);
}

TEST(Registry, LoadingTheSameFolderTwiceIsHarmless) {
  Registry registry;
  registry.load_folder(kFixtures / "good", true);
  registry.load_folder(kFixtures / "good", true);
  EXPECT_EQ(registry.names(PluginKind::filter).size(), 1u);
}

TEST(Registry, RefusesAnApiVersionMismatchByName) {
  std::string message = load_error(kFixtures / "mismatched");
  EXPECT_NE(message.find("forge-mismatched.so' was built for plugin API version " +
                         std::to_string(kPluginApiVersion + 1)),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("rebuild the plugin"), std::string::npos) << message;
}

TEST(Registry, NamesBothFilesOfADuplicatePlugin) {
  std::string message = load_error(kFixtures / "duplicate");
  EXPECT_NE(message.find("filter plugin 'fixture_duplicate' is provided twice"), std::string::npos)
      << message;
  EXPECT_NE(message.find("forge-duplicate_a.so"), std::string::npos) << message;
  EXPECT_NE(message.find("forge-duplicate_b.so"), std::string::npos) << message;
}

TEST(Registry, ReportsTheLoadersMessageForABrokenLibrary) {
  std::string message = load_error(kFixtures / "broken");
  EXPECT_NE(message.find("cannot load plugin library"), std::string::npos) << message;
  EXPECT_NE(message.find("forge-broken.so"), std::string::npos) << message;
  // dlopen's own words for a file that is not an ELF object.
  EXPECT_NE(message.find("invalid ELF header"), std::string::npos) << message;
}

TEST(Registry, ReportsAMissingEntryPoint) {
  std::string message = load_error(kFixtures / "no_entry");
  EXPECT_NE(message.find("has no entry point 'forge_plugin_api_version'"), std::string::npos)
      << message;
  EXPECT_NE(message.find("FORGE_PLUGIN_LIBRARY"), std::string::npos) << message;
}

TEST(Registry, ARequiredFolderMustExist) {
  std::string message = load_error(kFixtures / "no-such-folder");
  EXPECT_NE(message.find("plugin folder '"), std::string::npos) << message;
  Registry registry;
  EXPECT_NO_THROW(registry.load_folder(kFixtures / "no-such-folder", false));
}

TEST(Registry, UnknownPluginSuggestsTheClosestName) {
  Registry& registry = test::plugins();
  try {
    registry.get(PluginKind::filter, "lenght");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "unknown filter plugin 'lenght'; did you mean 'length'?");
  }
  try {
    registry.get(PluginKind::reward, "anything");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "unknown reward plugin 'anything' (available: exact_answer, format, numeric, "
                 "preference_judge)");
  }
  Registry empty;  // nothing loaded
  try {
    empty.get(PluginKind::reward, "anything");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "unknown reward plugin 'anything' (no reward plugins are installed; check "
                 "FORGE_PLUGIN_PATH)");
  }
}

TEST(Registry, BuildTreePluginsAreAllFound) {
  Registry& registry = test::plugins();
  EXPECT_NE(registry.find(PluginKind::dataset, "text_files"), nullptr);
  EXPECT_NE(registry.find(PluginKind::dataset, "jsonl"), nullptr);
  EXPECT_NE(registry.find(PluginKind::filter, "length"), nullptr);
}

}  // namespace
}  // namespace forge
