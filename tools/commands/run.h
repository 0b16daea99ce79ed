// `capsim run FILE`: load a scenario, run it once, write its outputs and print its summary.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace capsim::tools {

struct RunOptions {
  std::string path;                 // the scenario file, as the user wrote it
  std::optional<std::string> seed;  // --seed, replacing the file's seed: "42" or "0x2a"
  std::vector<std::string> sets;    // --set path=value, in order
  std::string out_dir = "out";      // outputs go to <out_dir>/<name>/<seed>/
  bool quiet = false;               // only the verdict line, the folder and the reproduce line
  bool explore = false;             // run the checks but do not judge `expect:`; exit 0
  std::string check_timeout = "30s";  // wall-time budget of each check that searches
  std::string max_events;           // --max-events N; empty: the default budget (RunLimits)
  bool progress = false;            // show a progress line on `err` (it is a terminal)
};

// Runs the command, printing the summary to `out` and problems to `err`. Writes summary.json,
// history.jsonl and trace.jsonl into <out_dir>/<name>/<seed>/, each whole or not at all.
// Then runs the scenario's checks and judges its expectations (both shown in the summary and
// summary.json). Returns the exit status: 0 when the run completed and every expectation was
// met, 1 when one was not (each is also named on `err` with its measured value), 2 on bad
// input (every diagnostic of the scenario is printed), when an output cannot be written
// ("cannot write FILE: reason"), or when the run exceeded its budget (RunLimits; then no
// output is written and the folders it made are removed again).
int run_command(const RunOptions& options, std::ostream& out, std::ostream& err);

}  // namespace capsim::tools
