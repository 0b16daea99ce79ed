// A network that duplicates messages delivers some client requests twice. Every kv protocol
// must apply each request at most once, so a counter never ends above the increments the
// clients invoked: the lost-writes check's over-count stays at zero for every protocol.
#include <doctest/doctest.h>

#include <string>

#include "sim/check/lost_writes.h"
#include "sim/simulation.h"
#include "support/scenario_run.h"

using namespace capsim;

namespace {

// A quiet counter workload (no partitions, no crashes) on three replicas of `protocol`, with
// one message in five delivered twice. Client requests take 0..20ms, each copy drawn on its
// own, so a second copy often arrives after the first was answered: a quorum coordinator that
// started it again would read the first one's result and count twice, where two overlapping
// copies would only lose one update to the other. Few clients and keys keep concurrent
// read-modify-writes rare, so what quorum loses to them cannot hide what duplicates would add.
std::string counter_scenario(const std::string& protocol, const std::string& options) {
  return "version: 1\n"
         "name: duplicate-counter-" + protocol + "\n"
         "description: Client requests delivered twice must count once.\n"
         "seed: 5\n"
         "duration: 10s\n"
         "cluster: {nodes: 3, protocol: " + protocol + ", options: " + options + "}\n"
         "workload:\n"
         "  name: counter\n"
         "  clients: 3\n"
         "  rate: 60/s\n"
         "  keys: 3\n"
         "  mix: {increment: 90, read: 10}\n"
         "  timeout: 500ms\n"
         "  quiet: 3s\n"
         "  route: any\n"
         "  final_reads: true\n"
         "network:\n"
         "  delay: {latency: 2ms, jitter: 1ms, distribution: lognormal}\n"
         "  duplicate: 20%\n"
         "  links:\n"
         "    - {from: '*', to: '*', message: client.request,\n"
         "       delay: {latency: 10ms, jitter: 10ms, distribution: uniform}}\n"
         "checks: [lost-writes]\n";
}

CheckResult lost_writes_with_duplicates(const std::string& protocol, const std::string& options,
                                        std::uint64_t* duplicated) {
  LoadResult loaded = load_scenario_text(counter_scenario(protocol, options), "duplicates.yaml",
                                         testing::all_protocols());
  INFO(loaded.diagnostics.format());
  REQUIRE(loaded.scenario.has_value());
  Simulation simulation(*loaded.scenario, testing::all_protocols(), nullptr);
  const RunResult result = simulation.run();
  *duplicated = result.messages.duplicated;
  return check_lost_writes(result.history);
}

}  // namespace

TEST_CASE("duplicates scenario: no protocol counts a duplicated increment twice") {
  struct Case {
    std::string protocol;
    std::string options;
  };
  const Case cases[] = {
      {"primary-backup", "{mode: async, failover: majority}"},
      {"primary-backup", "{mode: sync, acks: 1}"},
      {"quorum", "{n: 3, r: 2, w: 2}"},
      {"quorum", "{n: 3, r: 2, w: 2, conflict: siblings}"},
      {"crdt", "{gossip_interval: 100ms}"},
      {"raft", "{}"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.protocol);
    CAPTURE(c.options);
    std::uint64_t duplicated = 0;
    const CheckResult check = lost_writes_with_duplicates(c.protocol, c.options, &duplicated);
    const std::string first_line = check.explanation.empty() ? "" : check.explanation.front();
    INFO(first_line);
    CHECK(duplicated > 100);
    CHECK(check.metrics.at("acknowledged") > 100);
    CHECK(check.metrics.at("over_counted") == 0);
  }
}
