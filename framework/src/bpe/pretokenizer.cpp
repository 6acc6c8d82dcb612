#include "bpe/pretokenizer.h"

#include <forge/error.h>

#include <utility>

#include "bpe/builtin_splitters.h"
#include "bpe/patterns.h"
#include "bpe/regex_splitter.h"
#include "recipe/recipe.h"

namespace forge::bpe {

namespace {

struct Builtin {
  std::string_view name;
  void (*split)(std::string_view, std::vector<std::string_view>&);
  std::string_view pattern;
};

constexpr Builtin kBuiltins[] = {
    {"gpt2", split_r50k, kR50kPattern},
    {"r50k_base", split_r50k, kR50kPattern},
    {"p50k_base", split_r50k, kR50kPattern},
    {"p50k_edit", split_r50k, kR50kPattern},
    {"cl100k_base", split_cl100k, kCl100kPattern},
    {"cl100k", split_cl100k, kCl100kPattern},
    {"o200k_base", split_o200k, kO200kPattern},
    {"o200k_harmony", split_o200k, kO200kPattern},
    {"o200k", split_o200k, kO200kPattern},
};

}  // namespace

Pretokenizer::Pretokenizer(SplitFunction split_function, std::string pattern,
                           std::shared_ptr<const RegexSplitter> regex)
    : builtin_(split_function), pattern_(std::move(pattern)), regex_(std::move(regex)) {}

Pretokenizer Pretokenizer::builtin(std::string_view name) {
  for (const Builtin& b : kBuiltins) {
    if (b.name == name) return Pretokenizer(b.split, std::string(b.pattern), nullptr);
  }
  std::string known;
  for (const std::string& n : builtin_names()) known += (known.empty() ? "" : ", ") + n;
  const std::string close = closest_match(name, builtin_names());
  throw Error(cat("[pretokenizer] unknown built-in pattern '", name, "'",
                  close.empty() ? "" : cat("; did you mean '", close, "'?"), " (known: ", known,
                  "; or give a regex)"));
}

Pretokenizer Pretokenizer::regex(std::string pattern) {
  auto splitter = std::make_shared<const RegexSplitter>(pattern);
  return Pretokenizer(nullptr, std::move(pattern), std::move(splitter));
}

Pretokenizer Pretokenizer::from_pattern(std::string pattern) {
  for (const Builtin& b : kBuiltins) {
    if (b.pattern == pattern) return Pretokenizer(b.split, std::move(pattern), nullptr);
  }
  if (pattern == kGpt2OriginalPattern) return Pretokenizer(split_r50k, std::move(pattern), nullptr);
  return regex(std::move(pattern));
}

const std::vector<std::string>& Pretokenizer::builtin_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const Builtin& b : kBuiltins) out.emplace_back(b.name);
    return out;
  }();
  return names;
}

void Pretokenizer::split(std::string_view text, std::vector<std::string_view>& out) const {
  if (builtin_) {
    builtin_(text, out);
  } else {
    regex_->split(text, out);
  }
}

std::vector<std::string_view> Pretokenizer::split(std::string_view text) const {
  std::vector<std::string_view> out;
  split(text, out);
  return out;
}

}  // namespace forge::bpe
