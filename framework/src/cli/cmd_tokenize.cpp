// `forge tokenize`: a tokenizer's ids or pieces for some text, to see how it splits.
#include <forge/files.h>
#include <forge/log.h>

#include "bpe/bpe_tokenizer.h"
#include "cli/commands.h"
#include "cli/usage.h"
#include "train/checkpoint_model.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>

namespace forge::cli {
namespace {

const char* kTokenizeUsage =
    "usage: forge tokenize --tokenizer SPEC (--text TEXT | --input FILE) [--ids | --pieces]\n"
    "\n"
    "Encodes text and prints its ids (the default) or its pieces. SPEC is an encoding\n"
    "(gpt2, r50k_base, p50k_base, p50k_edit, cl100k_base, o200k_base), 'bytes', or a tokenizer\n"
    "file (.tiktoken with its .json sidecar, as the tokenizer stage writes). A summary (tokens,\n"
    "bytes, bytes per token) goes to stderr.";

// {plugin: ..., ...} for SPEC.
Node tokenizer_section(const std::string& spec) {
  Node section = Node::map();
  auto& encodings = bpe::builtin_encodings();
  if (spec == "bytes") {
    section.set("plugin", Node::scalar("bytes", true));
  } else if (std::find(encodings.begin(), encodings.end(), spec) != encodings.end()) {
    section.set("plugin", Node::scalar("bpe", true));
    section.set("encoding", Node::scalar(spec, true));
  } else if (std::filesystem::exists(spec)) {
    section.set("plugin", Node::scalar("bpe", true));
    section.set("path", Node::scalar(spec, true));
  } else {
    throw UsageError{cat("--tokenizer '", spec, "' is neither an encoding (gpt2, cl100k_base, ",
                         "o200k_base, ...), 'bytes', nor an existing tokenizer file"),
                     "tokenize"};
  }
  return section;
}

// A piece as a quoted string: printable ASCII as is, the rest escaped.
std::string escaped(std::string_view bytes) {
  std::string out = "\"";
  for (unsigned char c : bytes) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c >= 0x20 && c < 0x7F) {
      out += static_cast<char>(c);
    } else {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
    }
  }
  return out + "\"";
}

}  // namespace

int tokenize_command(const Args& args) {
  std::string spec, text, input;
  bool ids = false, pieces = false;
  po::options_description described("options");
  described.add_options()("tokenizer", po::value(&spec)->required(), "encoding, bytes or file")(
      "text", po::value(&text), "the text")("input", po::value(&input), "a file of text")(
      "ids", po::bool_switch(&ids), "print ids (the default)")("pieces", po::bool_switch(&pieces),
                                                               "print each token's bytes");
  bool help = false;
  auto values = parse_command("tokenize", args, described, {}, kTokenizeUsage, help);
  if (help) return 0;
  if (values.count("text") == values.count("input"))
    throw UsageError{"give exactly one of --text and --input", "tokenize"};
  if (ids && pieces) throw UsageError{"--ids and --pieces exclude each other", "tokenize"};
  if (!input.empty()) text = read_file(input);
  Registry& plugins = Registry::global();
  plugins.load_defaults();
  auto tokenizer = std::unique_ptr<Tokenizer>(static_cast<Tokenizer*>(
      make_plugin_from(tokenizer_section(spec), PluginKind::tokenizer, "tokenizer", plugins)
          .release()));
  const std::vector<TokenId> encoded = tokenizer->encode(text);
  std::string line;
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    if (i) line += ' ';
    line += pieces ? escaped(tokenizer->decode({&encoded[i], 1})) : std::to_string(encoded[i]);
  }
  std::cout << line << "\n";
  char ratio[32];
  std::snprintf(ratio, sizeof ratio, "%.3f",
                encoded.empty() ? 0.0 : static_cast<double>(text.size()) / encoded.size());
  std::cerr << encoded.size() << " tokens, " << text.size() << " bytes, " << ratio
            << " bytes per token\n";
  return 0;
}

}  // namespace forge::cli
