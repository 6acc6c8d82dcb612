#include <forge/progress.h>

#include <forge/log.h>

#include <unistd.h>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace forge {
namespace {

std::string clock_text(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "--:--";
  long total = std::lround(seconds);
  char buffer[32];
  if (total >= 3600)
    std::snprintf(buffer, sizeof buffer, "%ld:%02ld:%02ld", total / 3600, total / 60 % 60,
                  total % 60);
  else
    std::snprintf(buffer, sizeof buffer, "%ld:%02ld", total / 60, total % 60);
  return buffer;
}

std::string rate_text(double rate) {
  char buffer[32];
  if (rate >= 1e6)
    std::snprintf(buffer, sizeof buffer, "%.2fM", rate / 1e6);
  else if (rate >= 1e4)
    std::snprintf(buffer, sizeof buffer, "%.1fk", rate / 1e3);
  else
    std::snprintf(buffer, sizeof buffer, "%.2f", rate);
  return buffer;
}

}  // namespace

Progress::Progress(std::string label, std::uint64_t total, std::string unit)
    : label_(std::move(label)),
      unit_(std::move(unit)),
      total_(total),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_),
      terminal_(::isatty(STDERR_FILENO) && console_shows(LogLevel::info)) {
  const char* interval = std::getenv("FORGE_PROGRESS_SECONDS");
  plain_interval_s_ = interval ? std::atof(interval) : 10.0;
  if (plain_interval_s_ <= 0) plain_interval_s_ = 10.0;
}

Progress::~Progress() { finish(); }

void Progress::skip(std::uint64_t n) {
  std::lock_guard lock(mutex_);
  skipped_ += n;
}

void Progress::advance(std::uint64_t n) {
  std::lock_guard lock(mutex_);
  done_ += n;
  draw(false);
}

void Progress::set_status(std::string status) {
  std::lock_guard lock(mutex_);
  status_ = std::move(status);
}

void Progress::finish() {
  std::lock_guard lock(mutex_);
  if (finished_) return;
  finished_ = true;
  draw(true);
}

void Progress::draw(bool final) {
  auto now = std::chrono::steady_clock::now();
  double since_draw = std::chrono::duration<double>(now - last_draw_).count();
  if (!final && since_draw < (terminal_ ? 0.1 : plain_interval_s_)) return;
  last_draw_ = now;
  double elapsed = std::chrono::duration<double>(now - start_).count();
  double rate = elapsed > 0 ? done_ / elapsed : 0;
  std::uint64_t count = done_ + skipped_;
  double eta = rate > 0 && total_ > count ? (total_ - count) / rate : (count >= total_ ? 0 : NAN);
  std::string counts = cat(count, "/", total_, " ", unit_);
  std::string timing = cat(rate_text(rate), " ", unit_, "/s, ", clock_text(elapsed), " elapsed",
                           final ? "" : ", ETA " + clock_text(eta));
  std::string status = status_.empty() ? "" : "  " + status_;
  if (terminal_) {
    constexpr int kWidth = 24;
    int filled =
        total_ ? static_cast<int>(kWidth * std::min<double>(1.0, double(count) / total_)) : 0;
    std::string bar = std::string(filled, '#') + std::string(kWidth - filled, '.');
    std::fprintf(stderr, "\33[2K\r%s [%s] %s  %s%s%s", label_.c_str(), bar.c_str(), counts.c_str(),
                 timing.c_str(), status.c_str(), final ? "\n" : "");
    std::fflush(stderr);
  } else if (final || done_ > 0) {
    log_info(label_, ": ", counts, " (", timing, ")", status);
  }
}

}  // namespace forge
