#pragma once

// The serve tests' checkpoint: tests/serve/tiny-chat.yaml run once per test process.

#include "support/test_support.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace forge::serve::test {

inline std::filesystem::path tiny_chat_checkpoint() {
  static const std::filesystem::path file = [] {
    auto dir = forge::test::temp_dir("serve-checkpoint");
    auto recipe = std::filesystem::path(FORGE_TEST_DATA_DIR) / "serve" / "tiny-chat.yaml";
    auto result =
        forge::test::run_forge({"run", recipe.string(), "--run-dir", (dir / "run").string()}, dir);
    EXPECT_EQ(result.exit_code, 0) << result.output;
    return dir / "run" / "checkpoints" / "step-00000002.h5";
  }();
  return file;
}

}  // namespace forge::serve::test
