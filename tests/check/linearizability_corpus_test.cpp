#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "check/check_test_support.h"
#include "sim/check/history_file.h"
#include "sim/check/linearizability.h"

namespace capsim {
namespace {

struct CorpusRow {
  std::string file;
  std::string model;
  bool linearizable;
};

// The rows of verdicts.tsv whose files exist, or nothing when the corpus is absent.
std::vector<CorpusRow> corpus_rows() {
  std::ifstream tsv(testing::corpus_dir() + "/verdicts.tsv");
  std::vector<CorpusRow> rows;
  std::string line;
  std::getline(tsv, line);  // the header
  while (std::getline(tsv, line)) {
    std::istringstream fields(line);
    CorpusRow row;
    std::string verdict;
    std::getline(fields, row.file, '\t');
    std::getline(fields, row.model, '\t');
    std::getline(fields, verdict, '\t');
    row.linearizable = verdict == "true";
    if (std::filesystem::exists(testing::corpus_dir() + "/" + row.file)) rows.push_back(row);
  }
  return rows;
}

// Checks the rows selected by `keep` and returns how many were checked.
template <typename Keep>
std::size_t check_rows(Keep keep) {
  std::size_t checked = 0;
  for (const CorpusRow& row : corpus_rows()) {
    if (!keep(row)) continue;
    CAPTURE(row.file);
    const std::string path = testing::corpus_dir() + "/" + row.file;
    Diagnostics diagnostics(path);
    const auto history = read_history_file(path, diagnostics);
    INFO(diagnostics.format());
    REQUIRE(history.has_value());
    const Model* model = find_model(row.model);
    REQUIRE(model != nullptr);
    const auto result = check_linearizable(*history, *model);
    INFO(result.explanation);
    CHECK(result.verdict ==
          (row.linearizable ? Verdict::kLinearizable : Verdict::kNotLinearizable));
    ++checked;
  }
  return checked;
}

bool corpus_present() {
  if (std::filesystem::exists(testing::corpus_dir() + "/verdicts.tsv")) return true;
  MESSAGE("the history corpus is not at " << testing::corpus_dir() << "; skipped");
  return false;
}

TEST_CASE("linearizability corpus: every history gets its known verdict") {
  // Ground truth from Knossos's and Porcupine's test histories (etcd, kv-append, mutex,
  // multi-register, cas-register good and bad): all 230 verdicts must match.
  if (!corpus_present()) return;
  const std::size_t checked = check_rows([](const CorpusRow&) { return true; });
  CHECK(checked == corpus_rows().size());
  CHECK(checked > 0);
}

}  // namespace
}  // namespace capsim
