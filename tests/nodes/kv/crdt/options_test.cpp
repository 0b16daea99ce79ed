#include <doctest/doctest.h>

#include "crdt_test_util.h"
#include "nodes/register_protocols.h"

using namespace capsim;
using namespace capsim::crdt;
using namespace capsim::crdt::test;

TEST_CASE("crdt: the protocol is registered as crdt with documented defaults") {
  // `capsim list` and the loader find it by name, with every option documented.
  ProtocolRegistry registry;
  register_protocols(registry);
  const ProtocolInfo* info = registry.find("crdt");
  REQUIRE(info != nullptr);
  CHECK_FALSE(info->summary.empty());
  std::vector<std::string> names;
  for (const auto& spec : info->options) {
    names.push_back(spec.name);
    CHECK_FALSE(spec.help.empty());
  }
  CHECK(names == std::vector<std::string>{"gossip_interval", "fanout", "counter", "sync_disk"});
  const Config config = config_from(default_options(*info), 4);
  CHECK(config.cluster_size == 4);
  CHECK(config.gossip_interval == std::chrono::milliseconds(100));
  CHECK(config.fanout == 1);
  CHECK(config.counter == CounterKind::kPn);
  CHECK(config.sync_disk);
  CHECK(config_from(options_with({{"counter", "g"}}), 4).counter == CounterKind::kG);
}

TEST_CASE("crdt: a fanout larger than the number of peers is reported at its position") {
  Options options = options_with({});
  options.set("fanout", std::int64_t{3}, SourcePos{4, 20, ""});
  Diagnostics diagnostics("s.yaml");
  validate_options(options, 3, diagnostics);
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics.errors()[0].format() ==
        "s.yaml:4:20: error: fanout is 3 but 3 nodes have only 2 peers each (expected 1..2)");
  // One replica has no peers at all: nothing to gossip, nothing to refuse.
  Diagnostics single("s.yaml");
  validate_options(options, 1, single);
  CHECK(single.empty());
}

TEST_CASE("crdt: a zero gossip interval is refused, and fanout 0 by its declared minimum") {
  Options options = options_with({{"gossip_interval", "0ms"}});
  Diagnostics diagnostics("s.yaml");
  validate_options(options, 3, diagnostics);
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics.errors()[0].message == "gossip_interval must be longer than 0ms");
  const ProtocolInfo info = protocol_info();
  for (const auto& spec : info.options) {
    if (spec.name == "fanout") CHECK(spec.min == 1);
  }
}
