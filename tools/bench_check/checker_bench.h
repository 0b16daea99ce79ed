// Timing of the linearizability checker, for `capsim bench`: the etcd histories of the test
// corpus (102 short single-register histories, most of them not linearizable) and a generated
// history of a correct key-value store (100,000 operations on 10 keys by default).
//
// Reading and generating histories is not timed; only check_linearizable() is. Each case runs
// `repeats` times and the fastest run counts, since other work on the machine only ever adds
// time. Both the wall-clock time and the process's CPU time are reported.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace capsim {

struct CheckerBenchOptions {
  std::string corpus_dir;  // holds porcupine/etcd/*.edn; the etcd case is skipped when absent
  std::uint64_t seed = 1;  // for the generated history
  std::size_t kv_operations = 100'000;
  std::size_t kv_keys = 10;
  std::size_t kv_processes = 10;
  std::uint32_t kv_info_per_mille = 2;  // operations that time out (info), per thousand
  int repeats = 3;
};

struct CheckerBenchCase {
  std::string name;  // "etcd corpus", "generated kv"
  std::size_t histories = 0;
  std::size_t operations = 0;  // operations checked, over all histories
  std::size_t linearizable = 0;
  std::size_t not_linearizable = 0;
  std::size_t unknown = 0;
  std::uint64_t states_explored = 0;
  double wall_seconds = 0;  // the fastest repeat
  double cpu_seconds = 0;   // the process's CPU time in that repeat
};

struct CheckerBenchResult {
  std::vector<CheckerBenchCase> cases;
  std::vector<std::string> notes;  // skipped cases and unreadable files, one a line
};

CheckerBenchResult run_checker_bench(const CheckerBenchOptions& options);

// A table a person reads, one case a line.
std::string format_checker_bench(const CheckerBenchResult& result);

}  // namespace capsim
