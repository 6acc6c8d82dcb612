#include "support/test_support.h"

#include <forge/schema.h>

#include "recipe/recipe.h"

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <atomic>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <iterator>
#include <mutex>

namespace forge::test {

Registry& plugins() {
  static Registry registry = [] {
    Registry made;
    made.load_folder(std::filesystem::path(FORGE_EXECUTABLE).parent_path().parent_path() / "lib" /
                         "forge" / "plugins",
                     true);
    return made;
  }();
  return registry;
}

const Config& plugin_config(PluginKind kind, const std::string& yaml) {
  static std::mutex mutex;
  static std::deque<Node> nodes;  // stable addresses for the Configs handed out
  static std::deque<Config> configs;
  std::lock_guard lock(mutex);
  Node root = Node::map();
  root.set("section", parse_yaml(yaml, "<test>"));
  Schema schema{param::plugin("section", kind).required()};
  validate(root, schema, plugins());
  nodes.push_back(*root.find("section"));
  configs.emplace_back(nodes.back(), "section");
  return configs.back();
}

std::filesystem::path temp_dir(const std::string& name) {
  static const std::filesystem::path base = [] {
    auto dir =
        std::filesystem::temp_directory_path() / ("forge-tests-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(
          std::filesystem::temp_directory_path() / ("forge-tests-" + std::to_string(::getpid())),
          ignored);
    });
    return dir;
  }();
  auto dir = base / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

void write_text(const std::filesystem::path& file, const std::string& content) {
  std::filesystem::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::binary);
  out << content;
}

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::vector<nlohmann::json> read_jsonl(const std::filesystem::path& file) {
  std::vector<nlohmann::json> records;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) records.push_back(nlohmann::json::parse(line));
  return records;
}

double thread_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

namespace {

// `launcher` (already quoted) runs before forge, e.g. mpirun and its options.
CommandResult run_forge_with(const std::string& launcher, const std::vector<std::string>& args,
                             const std::filesystem::path& cwd, const std::vector<std::string>& env,
                             int timeout_s) {
  static std::atomic<int> counter{0};
  auto output_file = temp_dir("command-" + std::to_string(counter++)) / "output.txt";
  std::string command = "cd " + shell_quote(cwd.string()) + " && env";
  for (const auto& assignment : env) command += " " + shell_quote(assignment);
  command += " timeout -s KILL " + std::to_string(timeout_s) + " " + launcher +
             shell_quote(FORGE_EXECUTABLE);
  for (const auto& arg : args) command += " " + shell_quote(arg);
  command += " > " + shell_quote(output_file.string()) + " 2>&1 < /dev/null";
  int status = std::system(command.c_str());
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.output = read_text(output_file);
  return result;
}

}  // namespace

CommandResult run_forge(const std::vector<std::string>& args, const std::filesystem::path& cwd,
                        const std::vector<std::string>& env, int timeout_s) {
  return run_forge_with("", args, cwd, env, timeout_s);
}

bool mpi_available() { return std::string(FORGE_MPIEXEC) != ""; }

CommandResult run_forge_ranks(int ranks, const std::vector<std::string>& args,
                              const std::filesystem::path& cwd, const std::vector<std::string>& env,
                              int timeout_s) {
  std::vector<std::string> all = {"OMPI_ALLOW_RUN_AS_ROOT=1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1",
                                  "FORGE_THREADS=1"};
  all.insert(all.end(), env.begin(), env.end());
  const std::string launcher =
      shell_quote(FORGE_MPIEXEC) + " --oversubscribe -np " + std::to_string(ranks) + " ";
  return run_forge_with(launcher, args, cwd, all, timeout_s);
}

std::filesystem::path pretrain_tiny(const std::filesystem::path& dir,
                                    const std::string& special_tokens, int context) {
  write_text(dir / "pre.yaml",
             "stage: pretrain\nname: pre\n"
             "tokenizer: {plugin: bytes, special_tokens: [" +
                 special_tokens +
                 "]}\n"
                 "data:\n  train: {plugin: text, paths: ['/usr/share/common-licenses/[A-F]*']}\n"
                 "model: {plugin: gpt2, n_layer: 2, n_head: 2, d_model: 32, context: " +
                 std::to_string(context) + "}\ntrain: {steps: 5, micro_batch: 4}\n");
  CommandResult result = run_forge({"run", "pre.yaml", "--run-dir", "pre"}, dir);
  EXPECT_EQ(result.exit_code, 0) << result.output;
  return dir / "pre" / "checkpoints" / "step-00000005.h5";
}

}  // namespace forge::test
