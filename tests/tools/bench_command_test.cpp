#include <doctest/doctest.h>

#include <sstream>

#include "tools/commands/bench.h"

using namespace capsim::tools;

TEST_CASE("capsim bench: a small run reports a row per node count and the memory figures") {
  // Two tiny clusters moving 1,000 messages each: the engine must deliver every one (an event
  // per message plus one start per node), and the report must carry both memory lines.
  BenchOptions options;
  options.parts = {"engine"};
  options.nodes = {2, 50};
  options.messages = 1000;
  std::ostringstream out;
  std::ostringstream err;
  REQUIRE(bench_command(options, out, err) == 0);
  const std::string text = out.str();
  CHECK(text.find("\n       2        1002        1000 ") != std::string::npos);
  CHECK(text.find("\n      50        1050        1000 ") != std::string::npos);
  CHECK(text.find("peak memory: ") != std::string::npos);
  CHECK(text.find("memory per idle node: ") != std::string::npos);
  CHECK(err.str().empty());
}

TEST_CASE("capsim bench: a node count of zero is refused") {
  // Bad input exits 2 with a message rather than running an empty cluster.
  BenchOptions options;
  options.nodes = {0};
  std::ostringstream out;
  std::ostringstream err;
  CHECK(bench_command(options, out, err) == 2);
  CHECK(err.str() == "capsim bench: error: --nodes: 0 is out of range (1 to 1000000)\n");
}

TEST_CASE("capsim bench: the scenarios part times every scenario file of a folder") {
  // The shipped CAP library: every file loads and runs, and each row carries its name,
  // protocol and a positive event count.
  BenchOptions options;
  options.parts = {"scenarios"};
  options.scenarios_dir = std::string(CAPSIM_SOURCE_DIR) + "/scenarios/cap";
  std::ostringstream out;
  std::ostringstream err;
  REQUIRE(bench_command(options, out, err) == 0);
  const std::string text = out.str();
  CHECK(text.find("primary-backup-sync ") != std::string::npos);
  CHECK(text.find("primary-backup ") != std::string::npos);
  CHECK(text.find("does not load") == std::string::npos);
  CHECK(err.str().empty());
}

TEST_CASE("capsim bench: an unknown part is refused") {
  BenchOptions options;
  options.parts = {"engine", "network"};
  std::ostringstream out;
  std::ostringstream err;
  CHECK(bench_command(options, out, err) == 2);
  CHECK(err.str() ==
        "capsim bench: error: --parts: unknown part 'network' (expected engine, checker, "
        "scenarios, delivery or queue)\n");
  CHECK(out.str().empty());
}
