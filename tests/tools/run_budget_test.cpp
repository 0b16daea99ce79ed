// --max-events on the commands that run simulations, and the progress line of long runs.
#include <doctest/doctest.h>

#include <sstream>

#include "tools/commands/compare.h"
#include "tools/commands/run.h"
#include "tools/max_events.h"
#include "tools/progress_line.h"
#include "tools/temp_dir.h"

using namespace capsim;
using namespace capsim::tools;
using capsim::testing::TempDir;
using capsim::testing::write_file;

namespace {

constexpr const char* kScenario = R"(name: budget
description: |
  A small run for the budget tests.
seed: 3
duration: 2s
cluster: {nodes: 3, protocol: raft}
workload: {clients: 2, rate: 50/s}
)";

struct Outcome {
  int status = 0;
  std::string out;
  std::string err;
};

RunOptions options_in(const TempDir& dir) {
  write_file(dir.path() / "budget.yaml", kScenario);
  RunOptions options;
  options.path = (dir.path() / "budget.yaml").string();
  options.out_dir = (dir.path() / "out").string();
  return options;
}

Outcome run(const RunOptions& options) {
  std::ostringstream out;
  std::ostringstream err;
  const int status = run_command(options, out, err);
  return Outcome{status, out.str(), err.str()};
}

const std::string kExceeded = "the run exceeded its budget of 50 events at virtual time ";

}  // namespace

TEST_CASE("capsim run: a run over its --max-events exits 2, says so, and writes nothing") {
  // 50 events are far too few for two seconds of raft: the run stops, the message names the
  // budget and the flag, and no output folder is left behind (not even an empty one).
  TempDir dir;
  RunOptions options = options_in(dir);
  options.max_events = "50";
  const Outcome outcome = run(options);
  CHECK(outcome.status == 2);
  CHECK(outcome.out.empty());
  CHECK(outcome.err.starts_with("capsim run: error: " + kExceeded));
  CHECK(outcome.err.ends_with("; raise it with --max-events\n"));
  CHECK_FALSE(std::filesystem::exists(dir.path() / "out"));
  // The same budget stops the run at the same virtual time.
  CHECK(run(options).err == outcome.err);
}

TEST_CASE("capsim run: a budget large enough changes nothing") {
  // The default budget and an explicit one the run fits in give the same files.
  TempDir dir;
  RunOptions options = options_in(dir);
  REQUIRE(run(options).status == 0);
  const std::string summary =
      capsim::testing::read_file(dir.path() / "out" / "budget" / "3" / "summary.json");
  options.max_events = "1000000";
  options.out_dir = (dir.path() / "again").string();
  const Outcome outcome = run(options);
  CHECK(outcome.status == 0);
  CHECK(outcome.err.empty());
  CHECK(capsim::testing::read_file(dir.path() / "again" / "budget" / "3" / "summary.json") ==
        summary);
}

TEST_CASE("capsim run: a bad --max-events exits 2 and says what is expected") {
  TempDir dir;
  RunOptions options = options_in(dir);
  options.max_events = "0";
  Outcome outcome = run(options);
  CHECK(outcome.status == 2);
  CHECK(outcome.err ==
        "capsim run: error: --max-events: expected a whole number from 1 to 1000000000000, got 0\n");
  options.max_events = "many";
  outcome = run(options);
  CHECK(outcome.status == 2);
  CHECK(outcome.err == "capsim run: error: --max-events: expected a whole number, got 'many'\n");
}

TEST_CASE("capsim compare: a run over its --max-events exits 2 and prints no table") {
  TempDir dir;
  write_file(dir.path() / "budget.yaml", kScenario);
  CompareOptions options;
  options.paths = {(dir.path() / "budget.yaml").string()};
  options.max_events = "50";
  std::ostringstream out;
  std::ostringstream err;
  CHECK(compare_command(options, out, err) == 2);
  CHECK(out.str().empty());
  CHECK(err.str().starts_with("capsim compare: error: " + options.paths[0] + " seed 3: " +
                              kExceeded));
}

TEST_CASE("progress line: nothing unless enabled, then one line redrawn in place and erased") {
  // Disabled (stderr is not a terminal), updates print nothing. Enabled with no delay, an
  // update draws the line after a carriage return and an erase, and clear() erases it.
  std::ostringstream quiet;
  {
    ProgressLine line(quiet, false, "demo", std::chrono::milliseconds(0));
    line.update(RunProgress{1500ms, 30s, 2'500'000});
  }
  CHECK(quiet.str().empty());

  std::ostringstream shown;
  ProgressLine line(shown, true, "demo", std::chrono::milliseconds(0));
  line.update(RunProgress{1500ms, 30s, 2'500'000});
  const std::string drawn = shown.str();
  CHECK(drawn.starts_with("\r\033[Kdemo  1.5s of 30s virtual  2.5M events  "));
  CHECK(drawn.ends_with(" events/s"));
  line.clear();
  CHECK(shown.str() == drawn + "\r\033[K");
  line.clear();  // once erased, nothing more
  CHECK(shown.str() == drawn + "\r\033[K");
}

TEST_CASE("progress line: counts read in thousands, millions and billions") {
  CHECK(format_count(12) == "12");
  CHECK(format_count(950'000) == "950k");
  CHECK(format_count(4'120'000) == "4.12M");
  CHECK(format_count(2'000'000'000) == "2G");
}
