// The engine and the protocols must not reach for ambient sources of time, randomness or
// concurrency: a run must be a pure function of (scenario, seed). This test reads every source
// file under sim/ and nodes/ and fails on the names that would break that, so a slip fails the
// build instead of waiting for review. sim/live/ (the real-time runtime) is exempt.
#include <doctest/doctest.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct Finding {
  std::string file;
  int line;
  std::string name;
};

// Comments may mention the names (to explain why they are banned); only code counts.
std::string strip_line_comment(const std::string& line) {
  const auto pos = line.find("//");
  return pos == std::string::npos ? line : line.substr(0, pos);
}

std::vector<Finding> scan(const std::filesystem::path& root) {
  static const std::vector<std::string> kBanned = {
      "system_clock",  "steady_clock", "high_resolution_clock", "random_device",
      "rand(",         "srand(",       "sleep_for",             "sleep_until",
      "getenv",        "std::thread",  "std::async",            "time(nullptr)",
      "uniform_int_distribution", "uniform_real_distribution", "normal_distribution",
      "exponential_distribution", "bernoulli_distribution",    "lognormal_distribution",
      "std::shuffle",  "std::random_shuffle", "gettimeofday", "clock_gettime"};
  std::vector<Finding> findings;
  for (const char* folder : {"sim", "nodes"}) {
    const auto dir = root / folder;
    if (!std::filesystem::exists(dir)) continue;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
      if (!entry.is_regular_file()) continue;
      const auto ext = entry.path().extension().string();
      if (ext != ".h" && ext != ".cc" && ext != ".cpp") continue;
      const auto relative = std::filesystem::relative(entry.path(), root).generic_string();
      if (relative.rfind("sim/live/", 0) == 0) continue;
      std::ifstream in(entry.path());
      std::string line;
      int number = 0;
      while (std::getline(in, line)) {
        ++number;
        const std::string code = strip_line_comment(line);
        for (const auto& name : kBanned) {
          // "rand(" must not match "operand(" or "brand(": require a non-identifier before it.
          const auto pos = code.find(name);
          if (pos == std::string::npos) continue;
          if (pos > 0 && (std::isalnum(static_cast<unsigned char>(code[pos - 1])) ||
                          code[pos - 1] == '_')) {
            continue;
          }
          findings.push_back({relative, number, name});
        }
      }
    }
  }
  return findings;
}

}  // namespace

TEST_CASE("tidy: sim/ and nodes/ use no wall clock, ambient randomness, threads or std distributions") {
  const auto findings = scan(CAPSIM_SOURCE_DIR);
  for (const auto& finding : findings) {
    ADD_FAIL_CHECK_AT(finding.file.c_str(), finding.line,
                      "uses '" << finding.name << "', which makes runs non-deterministic");
  }
  CHECK(findings.empty());
}

TEST_CASE("tidy: the scan itself finds a planted violation") {
  // Guards the guard: a scan that never finds anything would pass forever.
  const auto dir = std::filesystem::temp_directory_path() / "capsim_tidy_probe";
  std::filesystem::create_directories(dir / "sim");
  {
    std::ofstream out(dir / "sim" / "bad.cc");
    out << "// steady_clock in a comment is fine\n";
    out << "auto t = std::chrono::steady_clock::now();\n";
    out << "int x = operand(3);\n";
  }
  const auto findings = scan(dir);
  std::filesystem::remove_all(dir);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].line == 2);
  CHECK(findings[0].name == "steady_clock");
}
