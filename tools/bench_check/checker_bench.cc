#include "tools/bench_check/checker_bench.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>

#include "sim/check/history_file.h"
#include "sim/check/kv_history_generator.h"
#include "sim/check/linearizability.h"
#include "sim/rng.h"

namespace capsim {
namespace {

struct Job {
  History history;
  const Model* model;
};

// Checks every job `repeats` times; fills the counts from the first run and the times from the
// fastest.
void time_jobs(const std::vector<Job>& jobs, int repeats, CheckerBenchCase& out) {
  out.histories = jobs.size();
  for (int r = 0; r < std::max(1, repeats); ++r) {
    CheckerBenchCase run;
    const auto wall_start = std::chrono::steady_clock::now();
    const std::clock_t cpu_start = std::clock();
    for (const Job& job : jobs) {
      const LinearizabilityResult result = check_linearizable(job.history, *job.model);
      run.operations += result.operations_checked;
      run.states_explored += result.states_explored;
      run.linearizable += result.verdict == Verdict::kLinearizable ? 1 : 0;
      run.not_linearizable += result.verdict == Verdict::kNotLinearizable ? 1 : 0;
      run.unknown += result.verdict == Verdict::kUnknown ? 1 : 0;
    }
    run.cpu_seconds = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
    run.wall_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    if (r == 0 || run.wall_seconds < out.wall_seconds) {
      run.name = out.name;
      run.histories = out.histories;
      out = run;
    }
  }
}

}  // namespace

CheckerBenchResult run_checker_bench(const CheckerBenchOptions& options) {
  CheckerBenchResult result;
  const std::filesystem::path etcd = std::filesystem::path(options.corpus_dir) / "porcupine/etcd";
  std::error_code error;
  if (!options.corpus_dir.empty() && std::filesystem::is_directory(etcd, error)) {
    std::vector<std::string> paths;
    for (const auto& entry : std::filesystem::directory_iterator(etcd, error)) {
      if (entry.path().extension() == ".edn") paths.push_back(entry.path().string());
    }
    std::sort(paths.begin(), paths.end());
    std::vector<Job> jobs;
    for (const std::string& path : paths) {
      Diagnostics diagnostics(path);
      std::optional<History> history = read_history_file(path, diagnostics);
      if (!history) {
        result.notes.push_back(diagnostics.format());
        continue;
      }
      jobs.push_back(Job{std::move(*history), find_model("cas-register")});
    }
    CheckerBenchCase bench;
    bench.name = "etcd corpus";
    time_jobs(jobs, options.repeats, bench);
    result.cases.push_back(bench);
  } else {
    result.notes.push_back("etcd corpus: skipped, no " + etcd.string());
  }

  Rng rng(options.seed);
  KvHistorySpec spec;
  spec.operations = options.kv_operations;
  spec.keys = options.kv_keys;
  spec.processes = options.kv_processes;
  spec.info_per_mille = options.kv_info_per_mille;
  std::vector<Job> jobs;
  jobs.push_back(Job{generate_kv_history(rng, spec), find_model("kv")});
  CheckerBenchCase bench;
  bench.name = "generated kv";
  time_jobs(jobs, options.repeats, bench);
  result.cases.push_back(bench);
  return result;
}

std::string format_checker_bench(const CheckerBenchResult& result) {
  std::string text =
      "case            histories  operations  lin/not/unknown      states    wall s     cpu s\n";
  for (const CheckerBenchCase& c : result.cases) {
    char line[256];
    const std::string verdicts = std::to_string(c.linearizable) + "/" +
                                 std::to_string(c.not_linearizable) + "/" +
                                 std::to_string(c.unknown);
    std::snprintf(line, sizeof line, "%-15s %9zu  %10zu  %15s  %10llu  %8.4f  %8.4f\n",
                  c.name.c_str(), c.histories, c.operations, verdicts.c_str(),
                  static_cast<unsigned long long>(c.states_explored), c.wall_seconds,
                  c.cpu_seconds);
    text += line;
  }
  for (const std::string& note : result.notes) text += "note: " + note + "\n";
  return text;
}

}  // namespace capsim
