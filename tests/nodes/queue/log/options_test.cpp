// The log protocol's options: registration and defaults, and the loader's errors for values
// that cannot work, at their positions.
#include <doctest/doctest.h>

#include "log_test_util.h"
#include "nodes/register_protocols.h"
#include "sim/scenario_loader.h"

using namespace capsim;
using namespace capsim::log;
using namespace std::chrono_literals;

namespace {

// The errors of a scenario of `nodes` brokers with these cluster options (one YAML line), and
// a queue workload on `queues` with `consume` settings.
std::string errors_for(const std::string& options, int nodes = 3,
                       const std::string& queues = "[orders]", const std::string& consume = "{}") {
  ProtocolRegistry registry;
  register_protocols(registry);
  const std::string text =
      "name: t\n"
      "description: d\n"
      "duration: 10s\n"
      "cluster:\n"
      "  nodes: " + std::to_string(nodes) + "\n"
      "  protocol: log\n"
      "  options: " + options + "\n"
      "workload: {name: queue, queues: " + queues + ", rate: 10/s, consume: " + consume +
      ", quiet: 5s}\n";
  const LoadResult result = load_scenario_text(text, "s.yaml", registry);
  return result.diagnostics.format();
}

}  // namespace

TEST_CASE("log options: registered as log, with Kafka's defaults where they fit a short run") {
  ProtocolRegistry registry;
  register_protocols(registry);
  const ProtocolInfo* info = registry.find("log");
  REQUIRE(info != nullptr);
  for (const auto& spec : info->options) CHECK_FALSE(spec.help.empty());
  const Config config = test::config_for(3);
  CHECK(config.topics == std::vector<std::string>{"orders"});
  CHECK(config.partitions == 1);
  CHECK(config.replication_factor == 3);
  CHECK(config.acks == Acks::kAll);
  CHECK(config.min_insync_replicas == 1);
  CHECK_FALSE(config.unclean_leader_election);
  CHECK(config.flush == Flush::kNever);
  CHECK(config.replica_lag_time_max == 2s);
  CHECK(config.session_timeout == 2s);
  CHECK(errors_for("{}").empty());
}

TEST_CASE("log options: topics are a list of names, written as a list or as one name") {
  CHECK(errors_for("{topics: [orders, audit], partitions: 2}").empty());
  CHECK(errors_for("{topics: audit}", 3, "audit").empty());
  CHECK(test::config_for(3, {{"topics", "a,b"}}).topics == std::vector<std::string>{"a", "b"});
  CHECK(errors_for("{topics: [orders, orders]}") ==
        "s.yaml:7:21: error: name 'orders' is listed twice\n");
  CHECK(errors_for("{topics: [\"a b\"]}") ==
        "s.yaml:7:21: error: name 'a b' may only contain letters, digits, '-', '_' and '.'\n");
  CHECK(errors_for("{topics: []}", 3, "[]").find(
            "s.yaml:7:21: error: topics needs at least one topic\n") != std::string::npos);
  // The workload's queues must be topics.
  CHECK(errors_for("{topics: [audit]}") ==
        "s.yaml:8:33: error: workload queue 'orders' is not a topic of the log (its topics: "
        "audit; set cluster.options.topics)\n");
}

TEST_CASE("log options: a log consumer has no poison action to choose") {
  CHECK(errors_for("{}", 3, "[orders]", "{poison: 3}").empty());
  CHECK(errors_for("{}", 3, "[orders]", "{poison: 3, on_poison: reject}") ==
        "s.yaml:8:87: error: consume.on_poison has no meaning with the log protocol: a log "
        "consumer cannot return or reject one message; it skips a failed one and commits past "
        "it\n");
}

TEST_CASE("log options: a log consumer may keep its offset with its effects") {
  CHECK(errors_for("{}", 3, "[orders]", "{ack: transactional}").empty());
  CHECK(errors_for("{}", 3, "[orders]", "{ack: transactional, dedup: true}").empty());
}

TEST_CASE("log options: acks outside 0, 1, all is an error at its position") {
  CHECK(errors_for("{acks: 2}") ==
        "s.yaml:7:19: error: expected one of 0, 1 or all, got '2' (did you mean '0'?)\n");
  CHECK(errors_for("{acks: 0}").empty());
  CHECK(errors_for("{acks: all}").empty());
}

TEST_CASE("log options: min_insync_replicas above replication_factor is an error") {
  CHECK(errors_for("{replication_factor: 2, min_insync_replicas: 3}") ==
        "s.yaml:7:57: error: min_insync_replicas is 3 but replication_factor is 2: acks=all "
        "could never be met\n");
}

TEST_CASE("log options: replication_factor above the number of nodes is an error") {
  CHECK(errors_for("{replication_factor: 4}") ==
        "s.yaml:7:33: error: replication_factor is 4 but there are only 3 nodes\n");
  CHECK(errors_for("{replication_factor: 2}", 1) ==
        "s.yaml:7:33: error: replication_factor is 2 but there is only 1 node\n");
}

TEST_CASE("log options: an unknown flush mode is an error that lists the modes") {
  CHECK(errors_for("{flush: sometimes}") ==
        "s.yaml:7:20: error: expected one of every, interval or never, got 'sometimes'\n");
}

TEST_CASE("log options: a heartbeat not shorter than the session timeout is an error") {
  CHECK(errors_for("{heartbeat: 2s, session_timeout: 2s}") ==
        "s.yaml:7:24: error: heartbeat (2s) must be shorter than session_timeout (2s), or the "
        "controller fences live brokers\n");
}
