#include "support/test_support.h"

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace forge {
namespace {

namespace fs = std::filesystem;

// Runs scripts/data/kjv.sh from `cwd` with `output` as its argument; returns its exit code and
// fills `log` with what it printed.
int run_script(const fs::path& cwd, const std::string& output, std::string& log) {
  fs::path log_file = cwd / "kjv.log";
  std::string command = "cd " + test::shell_quote(cwd.string()) + " && bash " +
                        test::shell_quote(std::string(FORGE_SOURCE_DIR) + "/scripts/data/kjv.sh") +
                        " " + test::shell_quote(output) + " > " +
                        test::shell_quote(log_file.string()) + " 2>&1";
  int status = std::system(command.c_str());
  log = test::read_text(log_file);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::set<std::string> names_in(const fs::path& dir) {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.insert(entry.path().filename());
  return names;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(KjvScript, WritesBooksWithRevelationHeldOut) {
  if (!fs::exists("/usr/bin/bible")) {
    GTEST_SKIP() << "/usr/bin/bible is absent: install the Debian package bible-kjv "
                    "(scripts/dev.sh does)";
  }
  fs::path cwd = test::temp_dir("kjv-script");
  std::string log;
  ASSERT_EQ(run_script(cwd, "kjv", log), 0) << log;  // relative to the working directory
  fs::path out = cwd / "kjv";

  std::set<std::string> train = names_in(out / "train"), val = names_in(out / "val");
  EXPECT_EQ(train.size() + val.size(), 66u);
  EXPECT_EQ(val, (std::set<std::string>{"66-revelation.txt"}));
  EXPECT_EQ(*train.begin(), "01-genesis.txt");
  EXPECT_EQ(*train.rbegin(), "65-jude.txt");
  EXPECT_TRUE(train.count("22-song-of-solomon.txt"));
  EXPECT_TRUE(train.count("09-1-samuel.txt"));

  std::string genesis = test::read_text(out / "train" / "01-genesis.txt");
  EXPECT_EQ(genesis.rfind("In the beginning God created the heaven and the earth.\nAnd the earth "
                          "was without form",
                          0),
            0u)
      << genesis.substr(0, 200);
  std::vector<std::string> lines = lines_of(genesis);
  std::size_t blank = 0;
  for (const std::string& line : lines) blank += line.empty();
  EXPECT_EQ(blank, 49u) << "Genesis' 50 chapters are separated by blank lines";
  EXPECT_EQ(lines.size() - blank, 1533u) << "one line per verse";

  std::string revelation = test::read_text(out / "val" / "66-revelation.txt");
  EXPECT_EQ(revelation.rfind("The Revelation of Jesus Christ", 0), 0u);
  EXPECT_NE(revelation.find("The grace of our Lord Jesus Christ be with you all. Amen.\n"),
            std::string::npos);

  std::uintmax_t total = 0;
  for (const fs::path& dir : {out / "train", out / "val"}) {
    for (const auto& entry : fs::directory_iterator(dir)) {
      total += entry.file_size();
      std::string text = test::read_text(entry.path());
      for (const std::string& line : lines_of(text)) {
        ASSERT_TRUE(line.empty() || (!std::isdigit(static_cast<unsigned char>(line[0])) &&
                                     !std::isspace(static_cast<unsigned char>(line[0]))))
            << entry.path() << ": " << line;
      }
      if (dir == out / "train") {
        EXPECT_EQ(text.find("The Revelation of Jesus Christ, which God gave"), std::string::npos)
            << entry.path();
      }
    }
  }
  EXPECT_GT(total, 3'900'000u);
  EXPECT_LT(total, 4'400'000u);

  // A second run finds the output complete and rewrites nothing.
  auto written = fs::last_write_time(out / "train" / "01-genesis.txt");
  ASSERT_EQ(run_script(cwd, (cwd / "kjv").string(), log), 0) << log;
  EXPECT_NE(log.find("up to date"), std::string::npos) << log;
  EXPECT_EQ(fs::last_write_time(out / "train" / "01-genesis.txt"), written);

  // A missing book makes the output incomplete: the next run writes it again.
  fs::remove(out / "train" / "40-matthew.txt");
  ASSERT_EQ(run_script(cwd, "kjv", log), 0) << log;
  EXPECT_TRUE(fs::exists(out / "train" / "40-matthew.txt")) << log;
}

}  // namespace
}  // namespace forge
