#include <doctest/doctest.h>

#include <filesystem>

#include "tools/output_files.h"
#include "tools/temp_dir.h"

using namespace capsim::tools;
namespace fs = std::filesystem;

using capsim::testing::count_entries;
using capsim::testing::read_file;
using capsim::testing::TempDir;

TEST_CASE("output: a committed file holds exactly what was written, and no temporary remains") {
  // Writes through the buffer (many small writes and one larger than the buffer), commits, and
  // reads the file back; the folder must then hold only the final file.
  TempDir dir;
  std::string error;
  AtomicFile file;
  REQUIRE(file.open(dir.path() / "trace.jsonl", error));
  CHECK_FALSE(fs::exists(dir.path() / "trace.jsonl"));  // invisible until committed
  std::string expected;
  for (int i = 0; i < 1000; ++i) {
    const std::string line = "{\"line\":" + std::to_string(i) + "}\n";
    file.write(line);
    expected += line;
  }
  const std::string big(3 << 20, 'x');
  file.write(big);
  expected += big;
  REQUIRE(file.commit(error));
  CHECK(read_file(dir.path() / "trace.jsonl") == expected);
  CHECK(count_entries(dir.path()) == 1);
}

TEST_CASE("output: a file never committed leaves nothing behind") {
  // An abandoned writer (for instance after a failed run) removes its temporary.
  TempDir dir;
  std::string error;
  {
    AtomicFile file;
    REQUIRE(file.open(dir.path() / "summary.json", error));
    file.write("{}\n");
  }
  CHECK(count_entries(dir.path()) == 0);
}

TEST_CASE("output: write_file_atomically replaces an existing file whole") {
  // A second run into the same folder replaces the old file rather than appending to it.
  TempDir dir;
  std::string error;
  REQUIRE(write_file_atomically(dir.path() / "history.jsonl", "old old old\n", error));
  REQUIRE(write_file_atomically(dir.path() / "history.jsonl", "new\n", error));
  CHECK(read_file(dir.path() / "history.jsonl") == "new\n");
  CHECK(count_entries(dir.path()) == 1);
}

TEST_CASE("output: a folder that cannot be written gives 'cannot write FILE: reason'") {
  // A missing folder fails at open with the final file's name in the message.
  TempDir dir;
  std::string error;
  const fs::path missing = dir.path() / "missing" / "summary.json";
  CHECK_FALSE(write_file_atomically(missing, "{}\n", error));
  CHECK(error == "cannot write " + missing.string() + ": No such file or directory");
  CHECK(count_entries(dir.path()) == 0);
}

TEST_CASE("output: a failed rename removes the temporary and reports the file") {
  // The final name is taken by a folder, so the rename fails after the data was written; the
  // temporary must be removed and the error must name the file.
  TempDir dir;
  fs::create_directory(dir.path() / "summary.json");
  fs::create_directory(dir.path() / "summary.json" / "keep");
  std::string error;
  CHECK_FALSE(write_file_atomically(dir.path() / "summary.json", "{}\n", error));
  CHECK(error.rfind("cannot write " + (dir.path() / "summary.json").string() + ": ", 0) == 0);
  CHECK(count_entries(dir.path()) == 1);
}

TEST_CASE("output: the trace sink writes one line per trace line") {
  // FileTraceSink adds the newline that TraceSink lines leave out.
  TempDir dir;
  std::string error;
  AtomicFile file;
  REQUIRE(file.open(dir.path() / "trace.jsonl", error));
  FileTraceSink sink(file);
  sink.write_line("{\"ev\":\"a\"}");
  sink.write_line("{\"ev\":\"b\"}");
  REQUIRE(file.commit(error));
  CHECK(read_file(dir.path() / "trace.jsonl") == "{\"ev\":\"a\"}\n{\"ev\":\"b\"}\n");
}
