// Reading speed of the warc dataset on one thread, best of three passes per file:
//  - inflate: the bytes of the file and nothing else (the floor any gzip WARC reader stands on);
//  - read: every record parsed and every kept payload decoded into a document, as the plugin
//    does (HTTP parsing, chunked and gzip bodies, charset detection and decoding to UTF-8).
//   forge_bench_warc FILE...
#include "warc_document.h"
#include "warc_stream.h"

#include <forge/document.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>

namespace {

double seconds_of(const std::function<void()>& work) {
  double best = 1e30;
  for (int pass = 0; pass < 3; ++pass) {
    const auto start = std::chrono::steady_clock::now();
    work();
    best = std::min(
        best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: forge_bench_warc FILE...\n");
    return 2;
  }
  try {
    for (int i = 1; i < argc; ++i) {
      const std::filesystem::path file = argv[i];
      const double compressed = static_cast<double>(std::filesystem::file_size(file));
      std::uint64_t bytes = 0;
      const double inflate_s = seconds_of([&] {
        forge::warc::WarcStream stream(file);
        std::size_t held;
        while ((held = stream.fill(1)) > 0) stream.consume(held);
        bytes = stream.offset();
      });
      forge::warc::WarcFileStats stats;
      std::uint64_t text_bytes = 0;
      const double read_s = seconds_of([&] {
        text_bytes = 0;
        forge::warc::read_warc_file(
            file, forge::warc::WarcOptions{},
            [&](forge::Document&& document) {
              text_bytes += document.text.size();
              return true;
            },
            &stats);
      });
      const double uncompressed = static_cast<double>(bytes);
      std::printf(
          "file=%s gzip=%d compressed_MB=%.1f warc_MB=%.1f records=%zu documents=%zu "
          "skipped=%zu text_MB=%.1f\n"
          "  inflate only: %.3f s  %.0f MB/s of WARC\n"
          "  read:         %.3f s  %.0f records/s  %.0f documents/s  %.0f MB/s of WARC  "
          "%.0f MB/s of file\n",
          file.filename().c_str(), forge::warc::WarcStream(file).gzip() ? 1 : 0, compressed / 1e6,
          uncompressed / 1e6, stats.records, stats.documents, stats.skipped,
          static_cast<double>(text_bytes) / 1e6, inflate_s, uncompressed / inflate_s / 1e6, read_s,
          static_cast<double>(stats.records) / read_s,
          static_cast<double>(stats.documents) / read_s, uncompressed / read_s / 1e6,
          compressed / read_s / 1e6);
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "forge_bench_warc: %s\n", e.what());
    return 1;
  }
}
