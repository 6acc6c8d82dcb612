#pragma once

#include <forge/config.h>
#include <forge/node.h>
#include <forge/plugin.h>

#include "plugin/registry.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace forge::test {

// The registry of the build's own plugins (loaded once per test process).
Registry& plugins();

// A plugin section parsed from YAML text (e.g. "{plugin: length, min_chars: 5}"), validated
// and defaulted against the plugin's schema, kept alive for the rest of the test process.
const Config& plugin_config(PluginKind kind, const std::string& yaml);

template <class T>
std::unique_ptr<T> make_plugin(const std::string& yaml) {
  return plugins().create<T>(plugin_config(T::kKind, yaml));
}

// A fresh, empty folder under the system's temporary directory, removed at process exit.
std::filesystem::path temp_dir(const std::string& name);

// Writes `content` to `file`, creating its folder.
void write_text(const std::filesystem::path& file, const std::string& content);
std::string read_text(const std::filesystem::path& file);
// One JSON value per line of a JSON Lines file (metrics.jsonl, samples.jsonl).
std::vector<nlohmann::json> read_jsonl(const std::filesystem::path& file);

// The outcome of one `forge` process: its exit code and its stdout and stderr together.
struct CommandResult {
  int exit_code = -1;
  std::string output;
};

// Runs the built `forge` with `args` (each shell-quoted) in `cwd`, with extra environment
// assignments such as "FORGE_RUNS_DIR=/tmp/x"; killed after `timeout_s`.
CommandResult run_forge(const std::vector<std::string>& args,
                        const std::filesystem::path& cwd = std::filesystem::current_path(),
                        const std::vector<std::string>& env = {}, int timeout_s = 120);

// Runs the built `forge` as `ranks` processes under mpirun (allowed as root, oversubscribing a
// small machine, one thread each). Only when mpi_available().
CommandResult run_forge_ranks(int ranks, const std::vector<std::string>& args,
                              const std::filesystem::path& cwd,
                              const std::vector<std::string>& env = {}, int timeout_s = 180);
// Whether this build has MPI and its mpirun.
bool mpi_available();

// The special tokens of the chat template and of tool use, for a tokenizer's special_tokens.
inline constexpr const char* kChatSpecialTokens =
    "'<|endoftext|>', '<|im_start|>', '<|im_sep|>', '<|im_end|>', '<|tool_start|>', "
    "'<|tool_end|>', '<|output_start|>', '<|output_end|>'";

// Five pretraining steps of a tiny gpt2 (byte tokens with `special_tokens`) on the licence
// texts, run in dir/pre by the `forge` executable; returns the path of its checkpoint.
std::filesystem::path pretrain_tiny(const std::filesystem::path& dir,
                                    const std::string& special_tokens = kChatSpecialTokens,
                                    int context = 128);

// CPU seconds this thread has used: timing tests compare it with their bound, so a machine
// busy with other work does not fail them.
double thread_cpu_seconds();

// Single-quotes `text` for /bin/sh.
std::string shell_quote(const std::string& text);

}  // namespace forge::test
