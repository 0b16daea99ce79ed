// `capsim bench`: how fast the engine runs, what an idle node costs, how fast the
// linearizability checker is, and how fast each shipped scenario runs. `parts` picks which.
//
// engine:
// For each node count, one Simulation of the bench-forward protocol moves a fixed number of
// messages over links with uniform 1ms +- 0.5ms latency, with no clients and the trace off, and
// the wall time gives events and messages per second (the CPU time is shown beside it, since a
// busy machine stretches wall time). Then a Simulation of 1,000 bench-idle nodes is built and
// started, and the heap growth divided by 1,000 is the memory per node.
// checker: the linearizability checker on the etcd histories of the test corpus (when present)
// and on a generated 100,000-operation kv history (tools/bench_check/checker_bench.h).
// scenarios: every scenario file under `scenarios_dir`, run without checkers
// (tools/bench/bench_scenarios.h): simulated seconds per wall second and events per second.
// delivery (only when asked for): the delivery check on a generated queue history of
// `delivery_messages` messages (tools/bench_check/delivery_bench.h).
// queue (only when asked for): the broker with producers and consumers for 60 simulated
// seconds, then the delivery check on its history (tools/bench/queue_bench.h).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace capsim::tools {

struct BenchOptions {
  std::vector<std::uint32_t> nodes{5, 1000};  // one run per node count
  std::uint64_t messages = 10'000'000;        // per run, rounded down to whole token chains
  std::uint64_t seed = 1;
  std::vector<std::string> parts{"engine", "checker", "scenarios"};
  std::string corpus_dir;     // "" means the test corpus next to the source tree
  std::string scenarios_dir;  // "" means scenarios/cap/ in the source tree
  std::uint64_t delivery_messages = 1'000'000;  // the delivery part's history
};

// The folders used when the options leave them empty.
std::string default_corpus_dir();
std::string default_bench_scenarios_dir();

// Prints each part in turn. Returns 0, or 2 when an option is out of range or a part is unknown
// (message on `err`).
int bench_command(const BenchOptions& options, std::ostream& out, std::ostream& err);

}  // namespace capsim::tools
