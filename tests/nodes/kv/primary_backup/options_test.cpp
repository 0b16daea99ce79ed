#include <doctest/doctest.h>

#include "nodes/register_protocols.h"
#include "pb_test_util.h"

using namespace capsim;
using namespace capsim::pb;
using capsim::pb::test::options_with;

TEST_CASE("pb: the protocol is registered as primary-backup with documented defaults") {
  // `capsim list` and the loader find it by name, with every option documented.
  ProtocolRegistry registry;
  register_protocols(registry);
  const ProtocolInfo* info = registry.find("primary-backup");
  REQUIRE(info != nullptr);
  CHECK_FALSE(info->summary.empty());
  std::vector<std::string> names;
  for (const auto& spec : info->options) {
    names.push_back(spec.name);
    CHECK_FALSE(spec.help.empty());
  }
  CHECK(names == std::vector<std::string>{"mode", "acks", "failover", "failover_timeout",
                                          "heartbeat", "sync_disk"});
  const Config config = config_from(default_options(*info), 3);
  CHECK(config.mode == Mode::kAsync);
  CHECK(config.acks == 0);
  CHECK(config.required_acks() == 2);
  CHECK(config.failover == Failover::kNone);
  CHECK(config.failover_timeout == std::chrono::seconds(1));
  CHECK(config.heartbeat == std::chrono::milliseconds(100));
  CHECK(config.sync_disk);
}

TEST_CASE("pb: acks larger than the number of backups is reported at its position") {
  // A cluster of 3 has 2 backups, so acks=3 can never be met: the loader must say where.
  Options options = options_with({{"mode", "sync"}});
  options.set("acks", std::int64_t{3}, SourcePos{7, 12, ""});
  Diagnostics diagnostics("s.yaml");
  validate_options(options, 3, diagnostics);
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics.errors()[0].format() ==
        "s.yaml:7:12: error: acks is 3 but 3 nodes have only 2 backups (expected 0..2)");

  Diagnostics fine("s.yaml");
  validate_options(options, 4, fine);
  CHECK(fine.empty());
}

TEST_CASE("pb: zero durations for heartbeat and failover_timeout are refused") {
  // A zero heartbeat would make the primary spin; both must be positive.
  Options options = options_with({{"heartbeat", "0ms"}, {"failover_timeout", "0s"}});
  Diagnostics diagnostics("s.yaml");
  validate_options(options, 3, diagnostics);
  REQUIRE(diagnostics.size() == 2);
  CHECK(diagnostics.errors()[0].message == "failover_timeout must be longer than 0ms");
  CHECK(diagnostics.errors()[1].message == "heartbeat must be longer than 0ms");
}

TEST_CASE("pb: acks 0 means every backup") {
  // The documented meaning of acks=0, and an explicit count taken as written.
  CHECK(config_from(options_with({{"acks", "0"}}), 5).required_acks() == 4);
  CHECK(config_from(options_with({{"acks", "1"}}), 5).required_acks() == 1);
  CHECK(config_from(options_with({{"acks", "0"}}), 1).required_acks() == 0);
}
