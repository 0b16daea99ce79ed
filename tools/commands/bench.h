// `capsim bench`: how fast the engine runs and what an idle node costs.
//
// For each node count, one Simulation of the bench-forward protocol moves a fixed number of
// messages over links with uniform 1ms +- 0.5ms latency, with no clients and the trace off, and
// the wall time gives events and messages per second (the CPU time is shown beside it, since a
// busy machine stretches wall time). Then a Simulation of 1,000 bench-idle nodes is built and
// started, and the heap growth divided by 1,000 is the memory per node.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <vector>

namespace capsim::tools {

struct BenchOptions {
  std::vector<std::uint32_t> nodes{5, 1000};  // one run per node count
  std::uint64_t messages = 10'000'000;        // per run, rounded down to whole token chains
  std::uint64_t seed = 1;
};

// Prints one row per node count, the peak memory and the memory per idle node. Returns 0, or 2
// when an option is out of range (message on `err`).
int bench_command(const BenchOptions& options, std::ostream& out, std::ostream& err);

}  // namespace capsim::tools
