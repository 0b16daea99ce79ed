// The capsim command. This is the one file that includes CLI11 (a heavy header): it declares
// every subcommand and its flags, then hands plain option structs to tools/commands/.
#include <CLI/CLI.hpp>

#include <unistd.h>

#include <iostream>
#include <string>

#include "sim/run_limits.h"
#include "tools/commands/bench.h"
#include "tools/commands/compare.h"
#include "tools/commands/check.h"
#include "tools/commands/list.h"
#include "tools/commands/run.h"
#include "tools/seed.h"

namespace {

using namespace capsim::tools;

constexpr const char* kDescription =
    "capsim: a deterministic simulator of distributed systems under network partitions, "
    "crashes and clock faults. A run is a pure function of (scenario, seed, capsim version).";

constexpr const char* kFooter =
    "Exit status: 0 on success, 1 when a run misses an expectation (capsim run) or a history "
    "is not linearizable or fails its delivery check (capsim check), 2 on bad input, when an "
    "output cannot be written or when a run exceeds its budget (--max-events), 3 when capsim "
    "check runs out of time or has no verdict.\n"
    "Run `capsim COMMAND --help` for the flags of one command.";

void add_max_events(CLI::App& command, std::string& max_events) {
  command
      .add_option("--max-events", max_events,
                  "Budget of each run, in events (default " +
                      std::to_string(capsim::RunLimits::kDefaultMaxEvents) +
                      "). A run that needs more stops with an error; so does one that holds "
                      "more than a twentieth of it waiting at once (messages in flight, "
                      "timers), or records more than a fiftieth of it as client events.")
      ->type_name("N");
}

void add_run(CLI::App& app, RunOptions& options, std::string& seed_text) {
  CLI::App* run =
      app.add_subcommand("run",
                         "Run one scenario, print its summary, write out/<name>/<seed>/ "
                         "(summary.json, history.jsonl, trace.jsonl).");
  run->add_option("file", options.path, "The scenario file (YAML).")->required()->type_name("FILE");
  run->add_option("--seed", seed_text,
                  "Seed of the run, replacing the file's `seed`: decimal (42) or hexadecimal "
                  "(0x2a).")
      ->type_name("N");
  run->add_option("--set", options.sets,
                  "Override one scenario field before validation, e.g. --set cluster.nodes=5 or "
                  "--set 'faults=[]'. PATH is dot-separated keys and list indexes; VALUE is YAML. "
                  "Repeatable.")
      ->type_name("PATH=VALUE")
      ->allow_extra_args(false);
  run->add_option("--out", options.out_dir,
                  "Folder for the outputs; the run writes into DIR/<name>/<seed>/.")
      ->type_name("DIR")
      ->capture_default_str();
  run->add_flag("--quiet,-q", options.quiet,
                "Print only the one-line verdict, the output folder and the reproduce line.");
  run->add_flag("--explore", options.explore,
                "What-if mode: run the scenario's checks and print what they measured, but do "
                "not judge its `expect:`; the exit status is 0 unless the input is bad.");
  run->add_option("--check-timeout", options.check_timeout,
                  "Wall-time budget of each check that searches (linearizable); when it runs "
                  "out the verdict is unknown.")
      ->type_name("DURATION")
      ->capture_default_str();
  add_max_events(*run, options.max_events);
  run->footer(
      "Exit status: 0 when the run completed and met every expectation, 1 when an expectation "
      "was not met (each is named with its measured value), 2 on bad input (every problem in "
      "the scenario is printed as FILE:LINE:COL: error: TEXT), when an output cannot be "
      "written, or when the run exceeded its budget (then nothing is written).");
}

void add_check(CLI::App& app, CheckOptions& options, std::string& format, std::string& model,
               std::string& which, std::string& guarantees) {
  CLI::App* check = app.add_subcommand(
      "check",
      "Check a history file (history.jsonl or Jepsen EDN) for linearizability, or a queue "
      "history for delivery, and explain the verdict.");
  check->add_option("file", options.path, "The history file.")->required()->type_name("FILE");
  check->add_option("--format", format,
                    "jsonl (our history.jsonl) or edn (Jepsen); default: from the file's "
                    "extension.")
      ->type_name("FORMAT");
  check->add_option("--model", model,
                    "The sequential model (kv, register, cas-register, counter, set, "
                    "fifo-queue, mutex, kv-append, multi-register); default: chosen from the "
                    "operations, and the output says which.")
      ->type_name("MODEL");
  check->add_option("--timeout", options.timeout,
                    "Wall-time budget of the search; when it runs out the verdict is unknown.")
      ->type_name("DURATION")
      ->capture_default_str();
  check->add_flag("--json", options.json, "Print one JSON object instead of text.");
  check->add_option("--check", which,
                    "linearizable or delivery; default: delivery when the history sends, "
                    "receives or drains messages (and no --model is given), else linearizable.")
      ->type_name("CHECK");
  check->add_option("--guarantees", guarantees,
                    "delivery: the guarantees its verdict judges, comma-separated (at-least-once, "
                    "at-most-once, exactly-once-effect, per-key-order, no-phantoms; default "
                    "at-least-once,no-phantoms).")
      ->type_name("LIST");
  check->add_flag("--drained", options.drained,
                  "delivery: read the end of the history as a complete drain of every queue "
                  "(as Jepsen's total-queue does), for histories without drain operations.");
  check->footer(
      "Exit status: 0 linearizable (delivery: pass), 1 not linearizable (delivery: fail), 2 bad "
      "input (FILE:LINE: error: TEXT), 3 unknown (the time budget ran out; capsim never "
      "guesses; delivery: unknown or n/a).");
}

void add_list(CLI::App& app, ListOptions& options) {
  CLI::App* list = app.add_subcommand(
      "list",
      "List the scenarios, protocols (with every option), workloads, checks, fault kinds, "
      "partition shapes and latency distributions.");
  list->add_option("--dir", options.dir,
                   "Folder searched (recursively) for scenario files; default: the scenarios/ "
                   "folder of the source tree, " +
                       default_scenarios_dir() + ".")
      ->type_name("DIR");
  list->footer("Exit status: 0, or 2 when the folder does not exist.");
}

void add_bench(CLI::App& app, BenchOptions& options, std::string& seed_text) {
  CLI::App* bench = app.add_subcommand(
      "bench",
      "Measure the engine (events and messages per second with a forwarding protocol, peak "
      "memory, memory per idle node), the linearizability checker (the etcd histories of the "
      "test corpus and a generated 100,000-operation kv history) and every CAP scenario "
      "(simulated seconds per wall-clock second).");
  bench
      ->add_option("--nodes", options.nodes,
                   "Comma-separated cluster sizes; one run for each (default: 5,1000).")
      ->type_name("N,N,...")
      ->delimiter(',');
  bench->add_option("--messages", options.messages, "Messages each run sends in all.")
      ->type_name("M")
      ->capture_default_str();
  bench->add_option("--seed", seed_text, "Seed of the runs: decimal or 0x hexadecimal.")
      ->type_name("N")
      ->capture_default_str();
  bench
      ->add_option("--parts", options.parts,
                   "Comma-separated parts to run: engine, checker, scenarios, delivery, queue "
                   "(default: engine,checker,scenarios; delivery, the delivery check on a "
                   "generated 1,000,000-message queue history, and queue, the broker with "
                   "producers and consumers for 60 simulated seconds, only when named).")
      ->type_name("PART,...")
      ->delimiter(',');
  bench
      ->add_option("--corpus", options.corpus_dir,
                   "Folder of the test corpus (holds porcupine/etcd/); default: " +
                       default_corpus_dir() + ".")
      ->type_name("DIR");
  bench
      ->add_option("--scenarios", options.scenarios_dir,
                   "Folder whose .yaml files the scenarios part runs; default: " +
                       default_bench_scenarios_dir() + ".")
      ->type_name("DIR");
  bench->footer(
      "Targets: at least 10 million events per second with 5 nodes; a few hundred "
      "bytes per idle node; the 102 etcd histories checked in under 0.2 s in all and the "
      "generated kv history in under 2 s.");
}

void add_compare(CLI::App& app, CompareOptions& options) {
  CLI::App* compare = app.add_subcommand(
      "compare",
      "The CAP scoreboard: run several scenarios with the same seed (or a range of seeds) and "
      "print one table: protocol and options, linearizable, session guarantees, stale reads, "
      "lost acknowledged writes, availability on each side of a partition, latency, messages "
      "per operation.");
  compare->add_option("files", options.paths, "Scenario files, one row each.")
      ->required()
      ->type_name("FILE...");
  compare->add_option("--seed", options.seed,
                      "The seed every scenario runs with (default: each file's own `seed`).")
      ->type_name("N");
  compare
      ->add_option("--seeds", options.seeds,
                   "Run every seed of the range A..B and report means and spreads.")
      ->type_name("A..B");
  compare->add_option("--set", options.sets, "Override a field of every scenario: path=value.")
      ->type_name("PATH=VALUE");
  compare->add_option("--format", options.format, "text or markdown.")
      ->type_name("FORMAT")
      ->capture_default_str();
  compare
      ->add_option("--check-timeout", options.check_timeout,
                   "Wall-time budget of each search (linearizability) per run.")
      ->type_name("DURATION")
      ->capture_default_str();
  add_max_events(*compare, options.max_events);
  compare->footer(
      "Exit status: 0, or 2 on bad input (every problem is printed) or when a run exceeded "
      "its budget.");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{kDescription, "capsim"};
  app.set_version_flag("--version", std::string("capsim ") + CAPSIM_VERSION,
                       "Print the version and exit.");
  app.require_subcommand(1);

  RunOptions run_options;
  std::string run_seed;
  add_run(app, run_options, run_seed);
  ListOptions list_options;
  add_list(app, list_options);
  CheckOptions check_options;
  std::string check_format;
  std::string check_model;
  std::string check_which;
  std::string check_guarantees;
  add_check(app, check_options, check_format, check_model, check_which, check_guarantees);
  CompareOptions compare_options;
  add_compare(app, compare_options);
  BenchOptions bench_options;
  std::string bench_seed = std::to_string(bench_options.seed);
  add_bench(app, bench_options, bench_seed);
  // Set after the subcommands exist: a subcommand copies its parent's footer when created.
  app.footer(kFooter);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // Help and version exit 0; every other parse problem is bad input.
    return app.exit(e) == 0 ? 0 : 2;
  }

  // A progress line is for people watching; logs and pipes get none.
  const bool stderr_is_terminal = ::isatty(STDERR_FILENO) == 1;
  if (app.got_subcommand("run")) {
    run_options.progress = stderr_is_terminal;
    if (app.get_subcommand("run")->count("--seed") > 0) run_options.seed = run_seed;
    return run_command(run_options, std::cout, std::cerr);
  }
  if (app.got_subcommand("check")) {
    const CLI::App* check = app.get_subcommand("check");
    if (check->count("--format") > 0) check_options.format = check_format;
    if (check->count("--model") > 0) check_options.model = check_model;
    if (check->count("--check") > 0) check_options.check = check_which;
    if (check->count("--guarantees") > 0) check_options.guarantees = check_guarantees;
    return check_command(check_options, std::cout, std::cerr);
  }
  if (app.got_subcommand("compare")) {
    compare_options.progress = stderr_is_terminal;
    return compare_command(compare_options, std::cout, std::cerr);
  }
  if (app.got_subcommand("list")) return list_command(list_options, std::cout, std::cerr);
  if (app.got_subcommand("bench")) {
    std::string error;
    if (!parse_seed(bench_seed, bench_options.seed, error)) {
      std::cerr << "capsim bench: error: --seed: " << error << "\n";
      return 2;
    }
    return bench_command(bench_options, std::cout, std::cerr);
  }
  return 2;
}
