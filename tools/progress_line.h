// A progress line for long runs, on a terminal:
//
//   raft-partition  12.3s of 30s virtual  4.1M events  2.05M events/s
//
// rewritten in place on stderr and erased when the run ends. It appears only once a run has
// taken kDelay of wall time, and never when the caller says the stream is not a terminal, so
// short runs, tests and logs see nothing. The simulation reports its progress every
// kEveryEvents events whatever the clock says; only this display reads the wall clock, so
// the run cannot depend on it.
#pragma once

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <string>

#include "sim/simulation.h"

namespace capsim::tools {

class ProgressLine {
 public:
  static constexpr std::uint64_t kEveryEvents = 1 << 16;
  static constexpr std::chrono::milliseconds kDelay{2000};
  static constexpr std::chrono::milliseconds kRedrawEvery{250};

  // `enabled`: whether `out` is a terminal. `label` begins the line (the scenario's name).
  // `delay`: wall time before the line first appears (tests shorten it).
  ProgressLine(std::ostream& out, bool enabled, std::string label,
               std::chrono::milliseconds delay = kDelay);
  ~ProgressLine();  // erases the line
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  // Has `simulation` report to this line (nothing when disabled). The line must outlive the
  // simulation's run().
  void attach(Simulation& simulation);

  void update(const RunProgress& progress);
  // Erases the line if it was shown.
  void clear();

 private:
  using Clock = std::chrono::steady_clock;
  std::ostream& out_;
  bool enabled_;
  std::string label_;
  std::chrono::milliseconds delay_;
  Clock::time_point started_;
  Clock::time_point drawn_at_;
  bool shown_ = false;
};

// "4.1M", "950k", "12": a count for people.
std::string format_count(double count);

}  // namespace capsim::tools
