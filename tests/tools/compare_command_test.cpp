#include <doctest/doctest.h>

#include <sstream>

#include "tools/commands/compare.h"
#include "tools/compare/queue_scoreboard.h"
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

TEST_CASE("capsim compare: a delivery row folds counts, availability and the backlog") {
  // Two runs of one queue scenario: counts become means, fractions percentages, and the drain
  // time is shown in seconds; a figure no run measured (no partition: the sides) reads "-".
  QueueScoreboardRow row;
  row.scenario = "outage";
  row.protocol = "broker";
  QueueRunFigures a;
  a.lost = 0;
  a.duplicated = 2;
  a.send_availability = 1.0;
  a.end_to_end_p99_ns = 200e9;
  a.backlog_peak = 4700;
  a.backlog_drain_ns = 230e9;
  QueueRunFigures b = a;
  b.duplicated = 4;
  b.backlog_peak = 4900;
  b.backlog_drain_ns = 250e9;
  add_run(row, a);
  add_run(row, b);
  CHECK(row.runs == 2);
  CHECK(row.backlog_peak.mean == doctest::Approx(4800));
  CHECK(row.backlog_peak.deviation == doctest::Approx(100));
  const std::string text = format_queue_scoreboard({row}, TableFormat::kText);
  CHECK(text.starts_with("scenario  protocol  options     runs  "));
  CHECK(text.find("  dup. effects  reordered  ") != std::string::npos);
  CHECK(text.find("4800.0 ±100.0") != std::string::npos);
  CHECK(text.find("240.0s ±10.0") != std::string::npos);
  const std::string markdown = format_queue_scoreboard({row}, TableFormat::kMarkdown);
  CHECK(markdown.starts_with(
      "| scenario | protocol | options | runs | lost | duplicated | dup. effects | reordered | "
      "send | send maj. | send min. | receive maj. | receive min. | e2e p99 | backlog peak | "
      "drain |\n|---|---|---|--:|"));
  CHECK(markdown.find("\n| outage | broker | (defaults) | 2 | 0.0 ±0.0 | 3.0 ±1.0 | - | - | "
                      "100.0% ±0.0 | - | - | - | - | 200.0s ±0.0 | 4800.0 ±100.0 | "
                      "240.0s ±10.0 |") !=
        std::string::npos);
}

TEST_CASE("capsim compare: queue scenarios get the delivery scoreboard, sides included") {
  // producer-retry-duplicates loses publish replies, so retries duplicate messages. A
  // partition added with --set cuts the second consumer (c4) off from the broker for 5s: its
  // receives on the minority side all time out (0%), while the first consumer's succeed.
  CompareOptions options;
  options.paths = {std::string(CAPSIM_SOURCE_DIR) +
                   "/scenarios/queue/producer-retry-duplicates.yaml"};
  options.sets = {"faults=[{at: 5s, partition: {groups: [[n1, c1, c2, c3], [c4]]}, "
                  "heal_after: 5s}]"};
  std::ostringstream out;
  std::ostringstream err;
  REQUIRE(compare_command(options, out, err) == 0);
  CHECK(err.str().empty());
  const std::string text = out.str();
  CHECK(text.starts_with("each file's own seed; delivery scoreboard:"));
  CHECK(text.find("linearizable") == std::string::npos);  // no CAP table without kv scenarios
  std::istringstream lines(text);
  std::string line;
  std::getline(lines, line);
  std::getline(lines, line);
  CHECK(line.starts_with("scenario "));
  std::getline(lines, line);
  std::vector<std::string> cells;
  for (std::size_t at = 0; at < line.size();) {
    std::size_t end = line.find("  ", at);
    if (end == std::string::npos) end = line.size();
    cells.push_back(line.substr(at, end - at));
    at = line.find_first_not_of(' ', end);
    if (at == std::string::npos) break;
  }
  REQUIRE(cells.size() == 16);
  CHECK(cells[0] == "producer-retry-duplicates");
  CHECK(cells[1] == "broker");
  CHECK(cells[4] == "0");                // lost
  CHECK(std::stoi(cells[5]) > 0);        // duplicated by the retries
  CHECK(cells[10] == "-");               // no producer stands on the minority side
  CHECK(cells[11] == "100.0%");          // c3's receives
  CHECK(cells[12] == "0.0%");            // c4's receives, cut off
  CHECK(cells[13].ends_with("ms"));      // end-to-end p99
  CHECK(std::stoi(cells[14]) > 0);       // backlog peak
}

TEST_CASE("capsim compare: kv and queue scenarios together give both tables, kv first") {
  CompareOptions options;
  options.paths = {std::string(CAPSIM_SOURCE_DIR) + "/scenarios/queue/ttl-slow-consumer.yaml",
                   std::string(CAPSIM_SOURCE_DIR) + "/scenarios/cap/primary-backup-sync.yaml"};
  std::ostringstream out;
  std::ostringstream err;
  REQUIRE(compare_command(options, out, err) == 0);
  const std::string text = out.str();
  const std::size_t cap = text.find("\nprimary-backup-sync ");
  const std::size_t queue = text.find("\nqueue scenarios: delivery scoreboard:");
  const std::size_t ttl = text.find("\nttl-slow-consumer ");
  REQUIRE(cap != std::string::npos);
  REQUIRE(queue != std::string::npos);
  REQUIRE(ttl != std::string::npos);
  CHECK(cap < queue);
  CHECK(queue < ttl);
}
