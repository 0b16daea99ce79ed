#include <doctest/doctest.h>

#include <sstream>

#include "tools/commands/compare.h"
#include "tools/compare/scoreboard.h"

using namespace capsim;
using namespace capsim::tools;

TEST_CASE("capsim compare: seed ranges") {
  std::uint64_t first = 0;
  std::uint64_t last = 0;
  std::string error;
  CHECK(parse_seed_range("3..7", first, last, error));
  CHECK(first == 3);
  CHECK(last == 7);
  CHECK(parse_seed_range("42", first, last, error));
  CHECK(first == 42);
  CHECK(last == 42);
  CHECK_FALSE(parse_seed_range("7..3", first, last, error));
  CHECK(error == "the range 7..3 is empty (its end is below its start)");
  CHECK_FALSE(parse_seed_range("1..x", first, last, error));
  CHECK(error == "expected a seed range A..B of whole numbers, got '1..x'");
  CHECK_FALSE(parse_seed_range("0..100000", first, last, error));
  CHECK(error == "the range 0..100000 holds more than 100000 seeds");
}

TEST_CASE("capsim compare: a row folds verdicts into counts and numbers into mean and spread") {
  ScoreboardRow row;
  row.scenario = "demo";
  row.protocol = "raft";
  RunFigures a;
  a.linearizable = true;
  a.session = true;
  a.stale_fraction = 0.10;
  a.availability_minority = 0.0;
  a.latency_p50_ns = 2e6;
  a.messages_per_operation = 4.0;
  RunFigures b = a;
  b.linearizable = false;
  b.stale_fraction = 0.30;
  b.latency_p50_ns = 4e6;
  b.messages_per_operation = 6.0;
  add_run(row, a);
  add_run(row, b);
  CHECK(row.runs == 2);
  CHECK(row.linearizable.held == 1);
  CHECK(row.linearizable.violated == 1);
  CHECK(row.stale_fraction.mean == doctest::Approx(0.20));
  CHECK(row.stale_fraction.deviation == doctest::Approx(0.10));
  CHECK(row.lost_writes.count == 0);
  const std::string text = format_scoreboard({row}, TableFormat::kText);
  CHECK(text.find("1/2 yes") != std::string::npos);
  CHECK(text.find("20.0% ±10.0") != std::string::npos);
  CHECK(text.find("3.00ms ±1.0") != std::string::npos);
  CHECK(text.find("5.0 ±1.0") != std::string::npos);
  const std::string markdown = format_scoreboard({row}, TableFormat::kMarkdown);
  CHECK(markdown.starts_with("| scenario | protocol | options | runs | linearizable |"));
  CHECK(markdown.find("\n| demo | raft | (defaults) | 2 | 1/2 yes | yes | 20.0% ±10.0 | - |") !=
        std::string::npos);
}

TEST_CASE("capsim compare: shipped scenarios give one row each with their verdicts") {
  // Primary-backup: async loses writes and is not linearizable; sync stays linearizable.
  CompareOptions options;
  options.paths = {std::string(CAPSIM_SOURCE_DIR) + "/scenarios/cap/primary-backup-async.yaml",
                   std::string(CAPSIM_SOURCE_DIR) + "/scenarios/cap/primary-backup-sync.yaml"};
  std::ostringstream out;
  std::ostringstream err;
  REQUIRE(compare_command(options, out, err) == 0);
  CHECK(err.str().empty());
  const std::string text = out.str();
  // Without --seed each file runs with its own seed (both files say 42), as `capsim run` does.
  CHECK(text.starts_with("each file's own seed;"));
  const auto row_of = [&](const std::string& name) {
    const std::size_t at = text.find("\n" + name + " ");
    REQUIRE(at != std::string::npos);
    return text.substr(at + 1, text.find('\n', at + 1) - at - 1);
  };
  // Cells are separated by at least two spaces; the options cell has single spaces inside.
  const auto cells_of = [](const std::string& row) {
    std::vector<std::string> cells;
    std::size_t at = 0;
    while (at < row.size()) {
      std::size_t end = row.find("  ", at);
      if (end == std::string::npos) end = row.size();
      cells.push_back(row.substr(at, end - at));
      at = row.find_first_not_of(' ', end);
      if (at == std::string::npos) break;
    }
    return cells;
  };
  const auto async_cells = cells_of(row_of("primary-backup-async"));
  const auto sync_cells = cells_of(row_of("primary-backup-sync"));
  REQUIRE(async_cells.size() == 13);
  REQUIRE(sync_cells.size() == 13);
  CHECK(async_cells[1] == "primary-backup");
  CHECK(sync_cells[2].find("mode=sync") != std::string::npos);  // async is the default
  CHECK(async_cells[3] == "1");
  CHECK(async_cells[4] == "NO");   // linearizable
  CHECK(sync_cells[4] == "yes");
}

TEST_CASE("capsim compare: bad input exits 2 before running anything") {
  CompareOptions options;
  options.paths = {"no/such/file.yaml"};
  std::ostringstream out;
  std::ostringstream err;
  CHECK(compare_command(options, out, err) == 2);
  CHECK(out.str().empty());
  CHECK(err.str().find("no/such/file.yaml") != std::string::npos);

  options.paths = {std::string(CAPSIM_SOURCE_DIR) + "/scenarios/cap/primary-backup-sync.yaml"};
  options.format = "html";
  std::ostringstream err2;
  CHECK(compare_command(options, out, err2) == 2);
  CHECK(err2.str() == "capsim compare: error: --format: expected text or markdown, got 'html'\n");
}

TEST_CASE("capsim compare: --seed runs every file with that seed") {
  CompareOptions options;
  options.paths = {std::string(CAPSIM_SOURCE_DIR) + "/scenarios/cap/primary-backup-sync.yaml"};
  options.seed = "3";
  std::ostringstream out;
  std::ostringstream err;
  REQUIRE(compare_command(options, out, err) == 0);
  CHECK(out.str().starts_with("seed 3;"));
}
