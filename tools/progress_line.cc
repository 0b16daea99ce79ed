#include "tools/progress_line.h"

#include <cstdio>
#include <ostream>

namespace capsim::tools {
namespace {

// Carriage return, then erase to the end of the line (ANSI): the line is redrawn in place.
constexpr const char* kRewind = "\r\033[K";

}  // namespace

std::string format_count(double count) {
  char buffer[32];
  if (count >= 1e9) {
    std::snprintf(buffer, sizeof buffer, "%.3gG", count / 1e9);
  } else if (count >= 1e6) {
    std::snprintf(buffer, sizeof buffer, "%.3gM", count / 1e6);
  } else if (count >= 1e3) {
    std::snprintf(buffer, sizeof buffer, "%.3gk", count / 1e3);
  } else {
    std::snprintf(buffer, sizeof buffer, "%.0f", count);
  }
  return buffer;
}

ProgressLine::ProgressLine(std::ostream& out, bool enabled, std::string label,
                           std::chrono::milliseconds delay)
    : out_(out),
      enabled_(enabled),
      label_(std::move(label)),
      delay_(delay),
      started_(Clock::now()) {}

ProgressLine::~ProgressLine() { clear(); }

void ProgressLine::attach(Simulation& simulation) {
  if (!enabled_) return;
  simulation.set_progress([this](const RunProgress& progress) { update(progress); },
                          kEveryEvents);
}

void ProgressLine::update(const RunProgress& progress) {
  if (!enabled_) return;
  const Clock::time_point now = Clock::now();
  if (now - started_ < delay_ || (shown_ && now - drawn_at_ < kRedrawEvery)) return;
  drawn_at_ = now;
  shown_ = true;
  const double seconds = std::chrono::duration<double>(now - started_).count();
  const double events = static_cast<double>(progress.events);
  out_ << kRewind << label_ << "  " << format_duration_readable(progress.now) << " of "
       << format_duration_readable(progress.end) << " virtual  " << format_count(events)
       << " events  " << format_count(events / seconds) << " events/s" << std::flush;
}

void ProgressLine::clear() {
  if (!shown_) return;
  out_ << kRewind << std::flush;
  shown_ = false;
}

}  // namespace capsim::tools
