#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <sstream>

#include "sim/rng.h"
#include "sim/trace.h"
#include "tools/commands/run.h"
#include "support/bounded_call.h"
#include "tools/temp_dir.h"

using namespace capsim;
using namespace capsim::tools;
using capsim::testing::read_file;
using capsim::testing::TempDir;
using capsim::testing::write_file;

namespace {

constexpr const char* kTinyScenario = R"(version: 1
name: tiny
description: |
  A tiny run for the command tests.
seed: 7
duration: 2s
cluster:
  nodes: 3
  protocol: primary-backup
workload:
  name: kv
  clients: 2
  rate: 50/s
  keys: 2
  timeout: 200ms
faults:
  - {at: 1s, partition: {groups: [[n1], [n2, n3]]}}
)";

struct Outcome {
  int status = 0;
  std::string out;
  std::string err;
};

Outcome run(const RunOptions& options) {
  std::ostringstream out;
  std::ostringstream err;
  const int status = run_command(options, out, err);
  return Outcome{status, out.str(), err.str()};
}

RunOptions tiny_run(const TempDir& dir) {
  write_file(dir.path() / "tiny.yaml", kTinyScenario);
  RunOptions options;
  options.path = (dir.path() / "tiny.yaml").string();
  options.out_dir = (dir.path() / "out").string();
  return options;
}

}  // namespace

TEST_CASE("capsim run: writes the three outputs, and the trace file hashes to the summary's hash") {
  // The trace hash printed in summary.json is the run's fingerprint; it must be the hash of
  // exactly the bytes of trace.jsonl, and history.jsonl must hold one line per client event.
  TempDir dir;
  const Outcome outcome = run(tiny_run(dir));
  REQUIRE(outcome.status == 0);
  CHECK(outcome.err.empty());
  const auto folder = dir.path() / "out" / "tiny" / "7";
  const std::string trace = read_file(folder / "trace.jsonl");
  const std::string history = read_file(folder / "history.jsonl");
  const nlohmann::json summary = nlohmann::json::parse(read_file(folder / "summary.json"));
  CHECK(summary["trace"]["hash"] == format_hash(fnv1a64(trace)));
  CHECK(summary["seed"] == 7);
  const auto history_lines =
      static_cast<std::uint64_t>(std::count(history.begin(), history.end(), '\n'));
  const auto& operations = summary["operations"];
  CHECK(history_lines == operations["invoked"].get<std::uint64_t>() * 2 -
                             operations["pending"].get<std::uint64_t>());
  CHECK(history.rfind("{\"index\":0,", 0) == 0);
}

TEST_CASE("capsim run: prints the summary and ends with the reproduce line") {
  // The last line repeats the run: the path as given, the seed and every --set.
  TempDir dir;
  RunOptions options = tiny_run(dir);
  options.seed = "0x10";
  options.sets = {"workload.clients=1"};
  const Outcome outcome = run(options);
  REQUIRE(outcome.status == 0);
  CHECK(outcome.out.find("operations  invoked") != std::string::npos);
  CHECK(outcome.out.find("partition 1.000s..") != std::string::npos);
  const std::string last_line =
      "reproduce: capsim run " + options.path + " --seed 16 --set workload.clients=1\n";
  REQUIRE(outcome.out.size() > last_line.size());
  CHECK(outcome.out.substr(outcome.out.size() - last_line.size()) == last_line);
  CHECK(std::filesystem::exists(dir.path() / "out" / "tiny" / "16" / "summary.json"));
}

TEST_CASE("capsim run: --quiet prints the verdict, the folder and the reproduce line only") {
  // Three lines, for scripts and sweeps that only need to know where the outputs went.
  TempDir dir;
  RunOptions options = tiny_run(dir);
  options.quiet = true;
  const Outcome outcome = run(options);
  REQUIRE(outcome.status == 0);
  std::istringstream lines(outcome.out);
  std::string verdict, folder, reproduce, extra;
  std::getline(lines, verdict);
  std::getline(lines, folder);
  std::getline(lines, reproduce);
  CHECK(verdict.rfind("tiny seed 7: ", 0) == 0);
  CHECK(folder == "output:    " + options.out_dir + "/tiny/7/");
  CHECK(reproduce == "reproduce: capsim run " + options.path + " --seed 7");
  CHECK_FALSE(std::getline(lines, extra));
}

TEST_CASE("capsim run: the same seed writes the same files") {
  // Determinism end to end: two runs into different folders give identical bytes.
  TempDir dir;
  RunOptions first = tiny_run(dir);
  RunOptions second = first;
  second.out_dir = (dir.path() / "again").string();
  REQUIRE(run(first).status == 0);
  REQUIRE(run(second).status == 0);
  for (const char* name : {"trace.jsonl", "history.jsonl", "summary.json"}) {
    CHECK(read_file(dir.path() / "out" / "tiny" / "7" / name) ==
          read_file(dir.path() / "again" / "tiny" / "7" / name));
  }
}

TEST_CASE("capsim run: bad input exits 2 with every diagnostic and writes nothing") {
  // Two problems, one in the file and one from --set, are both reported; no output folder
  // appears.
  TempDir dir;
  RunOptions options = tiny_run(dir);
  write_file(dir.path() / "tiny.yaml", std::string(kTinyScenario) + "nemesiz: {}\n");
  options.sets = {"cluster.nodez=3"};
  const Outcome outcome = run(options);
  CHECK(outcome.status == 2);
  CHECK(outcome.err.find(options.path + ":18:1: error: unknown key 'nemesiz'") !=
        std::string::npos);
  CHECK(outcome.err.find("--set cluster.nodez=3: error: unknown key 'nodez'") != std::string::npos);
  CHECK(outcome.out.empty());
  CHECK_FALSE(std::filesystem::exists(dir.path() / "out"));
}

TEST_CASE("capsim run: a stray ',' in the file or in --set exits 2 within bounds") {
  // yaml-cpp 0.7 spins for ever on a ',' where a document's top node should be; the command
  // must instead exit 2 with the position. Each run is a child process with 5 seconds and
  // 1 GiB, so a hang fails the test.
  TempDir dir;
  const auto bounded_run = [](const RunOptions& options) {
    const testing::BoundedOutcome outcome = testing::bounded_call([&] {
      const Outcome result = run(options);
      return std::to_string(result.status) + "\n" + result.err;
    });
    CHECK_MESSAGE(outcome.finished, outcome.failure);
    return outcome.text;
  };
  const std::string stray =
      "error: invalid YAML: ',' outside [...] or {...}: commas separate items only in a flow "
      "list or map (quote the text if the comma belongs to it)\n";
  RunOptions comma = tiny_run(dir);
  write_file(comma.path, ",");
  CHECK(bounded_run(comma) == "2\n" + comma.path + ":1:1: " + stray);
  write_file(comma.path, "# a scenario\n---\n  , name: x\n");
  CHECK(bounded_run(comma) == "2\n" + comma.path + ":3:3: " + stray);
  RunOptions set = tiny_run(dir);
  set.sets = {"name=,"};
  CHECK(bounded_run(set) == "2\n--set name=,: " + stray);
  set.sets = {"description=\"a\", b"};
  CHECK(bounded_run(set) == "2\n--set description=\"a\", b: " + stray);
  CHECK_FALSE(std::filesystem::exists(dir.path() / "out"));
}

TEST_CASE("capsim run: an override that is not UTF-8 exits 2 before running") {
  // It used to run and then abort writing summary.json; now it is bad input like a file's.
  TempDir dir;
  RunOptions options = tiny_run(dir);
  options.sets = {"description=ab\xff" "cd"};
  const Outcome outcome = run(options);
  CHECK(outcome.status == 2);
  CHECK(outcome.err == "--set description=ab\\xffcd: error: not valid UTF-8: byte 0xff at offset 14\n");
  CHECK(outcome.out.empty());
  CHECK_FALSE(std::filesystem::exists(dir.path() / "out"));
}

TEST_CASE("capsim run: a bad seed exits 2 and says what a seed looks like") {
  // The seed is checked before anything runs.
  TempDir dir;
  RunOptions options = tiny_run(dir);
  options.seed = "seven";
  const Outcome outcome = run(options);
  CHECK(outcome.status == 2);
  CHECK(outcome.err.rfind("capsim run: error: --seed: seed 'seven' is not valid", 0) == 0);
}

TEST_CASE("capsim run: an output folder that cannot be made exits 2 with 'cannot write'") {
  // A file stands where the output folder should be.
  TempDir dir;
  RunOptions options = tiny_run(dir);
  write_file(dir.path() / "out", "not a folder");
  const Outcome outcome = run(options);
  CHECK(outcome.status == 2);
  CHECK(outcome.err.rfind("capsim run: error: cannot write " + options.out_dir + "/tiny/7/: ", 0) ==
        0);
}

TEST_CASE("capsim run: checks and expectations appear in the summary and summary.json") {
  // Checks asked for in the scenario run after the run; a met expectation leaves the exit
  // status 0, and summary.json holds each check's verdict, metrics and details.
  TempDir dir;
  RunOptions options = tiny_run(dir);
  options.sets = {"checks=[convergence, availability]",
                  "expect.availability={metric: operations, min: 1}"};
  const Outcome outcome = run(options);
  REQUIRE(outcome.status == 0);
  CHECK(outcome.out.find("\nchecks\n  convergence ") != std::string::npos);
  CHECK(outcome.out.find("\nexpect\n  availability  operations >= 1  measured ") !=
        std::string::npos);
  CHECK(outcome.out.find("  met\n") != std::string::npos);
  const nlohmann::json summary =
      nlohmann::json::parse(read_file(dir.path() / "out" / "tiny" / "7" / "summary.json"));
  CHECK(summary["checks"]["availability"]["verdict"] == "pass");
  CHECK(summary["checks"]["availability"]["metrics"]["operations"].get<int>() > 0);
  CHECK(summary["checks"]["availability"]["details"]["windows"].is_array());
  CHECK(summary["checks"].contains("convergence"));
  REQUIRE(summary["expectations"].size() == 1);
  CHECK(summary["expectations"][0]["met"] == true);
  CHECK(summary["expectations"][0]["expected"] == "operations >= 1");
}

TEST_CASE("capsim run: an expectation not met exits 1, naming it and the measured value") {
  // No run of the tiny scenario has zero operations, so the first expectation fails and the
  // second holds; the exit status is 1, stderr names the failed one with the measured value,
  // and the reproduce line stays last.
  TempDir dir;
  RunOptions options = tiny_run(dir);
  options.sets = {
      "expect.availability=[{metric: operations, max: 0}, {metric: operations, min: 1}]"};
  const Outcome outcome = run(options);
  CHECK(outcome.status == 1);
  const nlohmann::json summary =
      nlohmann::json::parse(read_file(dir.path() / "out" / "tiny" / "7" / "summary.json"));
  const std::string measured =
      std::to_string(summary["checks"]["availability"]["metrics"]["operations"].get<int>());
  CHECK(outcome.err == "capsim run: expectation not met: availability: expected operations <= 0, "
                       "measured " + measured + "\n");
  CHECK(outcome.out.find("  availability  operations <= 0  measured " + measured + "  NOT MET\n") !=
        std::string::npos);
  CHECK(outcome.out.find("\nreproduce: capsim run ") != std::string::npos);
  CHECK(outcome.out.find("  availability  operations >= 1  measured " + measured + "  met\n") !=
        std::string::npos);
  CHECK(outcome.out.ends_with("'expect.availability=[{metric: operations, max: 0}, {metric: "
                              "operations, min: 1}]'\n"));
  // --quiet keeps the failure visible in its few lines.
  options.quiet = true;
  const Outcome quiet = run(options);
  CHECK(quiet.status == 1);
  CHECK(quiet.out.find(", expectations: 1 of 2 met\nNOT MET    availability: expected operations "
                       "<= 0, measured " + measured + "\noutput:    ") != std::string::npos);
}

TEST_CASE("capsim run: --explore measures but judges no expectation, and exits 0") {
  TempDir dir;
  RunOptions options = tiny_run(dir);
  options.sets = {"expect.availability=[{metric: operations, max: 0}]"};
  options.explore = true;
  const Outcome outcome = run(options);
  CHECK(outcome.status == 0);
  CHECK(outcome.err.empty());
  CHECK(outcome.out.find("NOT MET") == std::string::npos);
  CHECK(outcome.out.find("expect     not judged (--explore): the file's 1 expectation left aside\n") !=
        std::string::npos);
  // The check the expectation names still ran and was measured.
  const nlohmann::json summary =
      nlohmann::json::parse(read_file(dir.path() / "out" / "tiny" / "7" / "summary.json"));
  CHECK(summary["checks"]["availability"]["metrics"]["operations"].get<int>() > 0);
  CHECK(summary["expectations"].empty());
}

TEST_CASE("capsim run: a bad --check-timeout exits 2") {
  // The budget is checked before anything runs.
  TempDir dir;
  RunOptions options = tiny_run(dir);
  options.check_timeout = "soon";
  const Outcome outcome = run(options);
  CHECK(outcome.status == 2);
  CHECK(outcome.err.rfind("capsim run: error: --check-timeout: ", 0) == 0);
  CHECK_FALSE(std::filesystem::exists(dir.path() / "out"));
}
