#include <doctest/doctest.h>

#include <sstream>

#include "tools/commands/list.h"
#include "tools/temp_dir.h"

using namespace capsim::tools;
using capsim::testing::TempDir;
using capsim::testing::write_file;

TEST_CASE("capsim list: scenarios are listed sorted, and one that does not load says why") {
  // A folder with a scenario in a subfolder, one at the top and one broken file: all three are
  // listed in path order, the broken one with its first error.
  TempDir dir;
  const std::string good = R"(version: 1
name: NAME
description: |
  First sentence here. Second sentence
  is not shown.
seed: 1
duration: 1s
cluster: {nodes: 3, protocol: primary-backup}
workload: {name: kv}
)";
  std::string b = good;
  b.replace(b.find("NAME"), 4, "beta");
  std::string a = good;
  a.replace(a.find("NAME"), 4, "alpha");
  write_file(dir.path() / "z" / "b.yaml", b);
  write_file(dir.path() / "a.yaml", a);
  std::string broken = good;
  broken.replace(broken.find("NAME"), 4, "broken");
  write_file(dir.path() / "m.yaml", broken + "nemesiz: {}\n");
  write_file(dir.path() / "notes.txt", "not a scenario");
  std::ostringstream out;
  std::ostringstream err;
  REQUIRE(list_command(ListOptions{dir.path().string()}, out, err) == 0);
  const std::string text = out.str();
  const auto a_at = text.find("/a.yaml");
  const auto m_at = text.find("/m.yaml");
  const auto b_at = text.find("/z/b.yaml");
  REQUIRE(a_at != std::string::npos);
  REQUIRE(m_at != std::string::npos);
  REQUIRE(b_at != std::string::npos);
  CHECK(a_at < m_at);
  CHECK(m_at < b_at);
  CHECK(text.find("notes.txt") == std::string::npos);
  CHECK(text.find("alpha  First sentence here.\n") != std::string::npos);
  CHECK(text.find("(does not load: 10:1: unknown key 'nemesiz' (did you mean 'nemesis'?))\n") !=
        std::string::npos);
}

TEST_CASE("capsim list: protocols come with every option, and the scenario vocabulary follows") {
  // The listing is the reference a scenario author reads: every protocol option with its type,
  // default and help; workloads, fault kinds, partition shapes and latency distributions.
  TempDir dir;
  std::ostringstream out;
  std::ostringstream err;
  REQUIRE(list_command(ListOptions{dir.path().string()}, out, err) == 0);
  const std::string text = out.str();
  CHECK(text.find("  (none)\n") != std::string::npos);
  CHECK(text.find("  primary-backup  ") != std::string::npos);
  CHECK(text.find("      heartbeat  ") != std::string::npos);
  CHECK(text.find("default 100ms") != std::string::npos);
  CHECK(text.find("  kv       operations: read, write, cas\n") != std::string::npos);
  CHECK(text.find("  set      operations: add, read\n") != std::string::npos);
  CHECK(text.find("  counter  operations: increment, read\n") != std::string::npos);
  CHECK(text.find("\nchecks (checks: and expect:") != std::string::npos);
  CHECK(text.find("  lost-writes   ") != std::string::npos);
  CHECK(text.find("(main metric stale_fraction)") != std::string::npos);
  CHECK(text.find("partition, cut, heal, crash, restart") != std::string::npos);
  CHECK(text.find("majorities-ring") != std::string::npos);
  CHECK(text.find("constant, uniform, normal, lognormal") != std::string::npos);
}

TEST_CASE("capsim list: a folder that does not exist exits 2") {
  // Bad input is reported, not listed as empty.
  std::ostringstream out;
  std::ostringstream err;
  CHECK(list_command(ListOptions{"/nonexistent/scenarios"}, out, err) == 2);
  CHECK(err.str() == "capsim list: error: /nonexistent/scenarios is not a folder\n");
}

TEST_CASE("capsim list: the first sentence of a description fits on one line") {
  // Wrapped lines join with spaces; the text stops after the first sentence, and a long one
  // is cut with an ellipsis.
  CHECK(first_sentence("Line one\ncontinues here. Then more.\n") == "Line one continues here.");
  CHECK(first_sentence("No full stop at all\n") == "No full stop at all");
  CHECK(first_sentence("Version 1.5 is fine. Next.") == "Version 1.5 is fine.");
  CHECK(first_sentence(std::string(120, 'x'), 20) == std::string(17, 'x') + "...");
  CHECK(first_sentence("") == "");
}
