// The Raft options: defaults, and the cross-option rules reported at the offending option.
#include <doctest/doctest.h>

#include "raft_test_util.h"

using namespace capsim;
using namespace capsim::raft;
using namespace capsim::raft::test;

namespace {
std::string problems(const Overrides& overrides) {
  Diagnostics diagnostics("scenario.yaml");
  validate_options(options_with(overrides), 5, diagnostics);
  return diagnostics.format();
}
}  // namespace

TEST_CASE("raft: the defaults give a valid configuration with log reads and synced disks") {
  CHECK(problems({}).empty());
  const Config config = config_from(options_with({}), 5);
  CHECK(config.read == ReadMode::kLog);
  CHECK(config.sync_disk);
  CHECK(config.election_timeout_min < config.election_timeout_max);
  CHECK(config.lease < config.election_timeout_min);
  CHECK(config.majority() == 3);
  CHECK(config_from(options_with({{"read", "read-index"}}), 5).read == ReadMode::kReadIndex);
}

TEST_CASE("raft: impossible timing options are refused with the reason") {
  CHECK(problems({{"election_timeout_min", "700ms"}}) ==
        "scenario.yaml: error: election_timeout_max (600ms) must be at least "
        "election_timeout_min (700ms)\n");
  CHECK(problems({{"lease", "300ms"}}).find("lease (300ms) must be shorter than "
                                            "election_timeout_min (300ms)") != std::string::npos);
  CHECK(problems({{"heartbeat", "400ms"}}).find("heartbeat (400ms) must be shorter") !=
        std::string::npos);
  CHECK(problems({{"heartbeat", "0s"}}).find("heartbeat must be longer than 0ms") !=
        std::string::npos);
}
