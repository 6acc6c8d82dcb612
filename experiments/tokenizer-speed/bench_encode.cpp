// Encoding speed of the bpe tokenizer on one thread: a whole file as ordinary text (special
// tokens' spellings are plain text, as tiktoken's encode_ordinary), best of three runs; the
// ids go to a file of little-endian uint32 so they can be compared with another encoder's.
//   forge_bench_encode ENCODING INPUT [OUT_IDS]
#include <forge/files.h>

#include "bpe/bpe_tokenizer.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: forge_bench_encode ENCODING INPUT [OUT_IDS]\n");
    return 2;
  }
  try {
    const forge::bpe::BpeTokenizer tokenizer = forge::bpe::load_builtin(argv[1]);
    const std::string text = forge::read_file(argv[2]);
    std::vector<forge::TokenId> ids;
    double best = 1e30;
    for (int run = 0; run < 3; ++run) {
      ids.clear();
      ids.reserve(text.size() / 3);
      const auto start = std::chrono::steady_clock::now();
      tokenizer.encode(text, ids);
      best = std::min(
          best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    std::printf("engine=forge encoding=%s bytes=%zu tokens=%zu seconds=%.3f MB/s=%.2f\n", argv[1],
                text.size(), ids.size(), best, static_cast<double>(text.size()) / best / 1e6);
    if (argc > 3) {
      std::ofstream out(argv[3], std::ios::binary);
      for (forge::TokenId id : ids) {
        const auto value = static_cast<std::uint32_t>(id);
        const unsigned char bytes[4] = {
            static_cast<unsigned char>(value), static_cast<unsigned char>(value >> 8),
            static_cast<unsigned char>(value >> 16), static_cast<unsigned char>(value >> 24)};
        out.write(reinterpret_cast<const char*>(bytes), 4);
      }
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "forge_bench_encode: %s\n", e.what());
    return 1;
  }
}
