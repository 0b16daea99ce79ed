// What a crash keeps of a broker's log under each flush policy. One broker (n1, the controller
// and the only replica), acks=1: every acknowledged message is in the leader's log at once, and
// only the flush policy decides what survives the crash.
#include <doctest/doctest.h>

#include "log_test_util.h"

using namespace capsim;
using namespace capsim::log;
using namespace capsim::log::test;
using namespace std::chrono_literals;

namespace {

// Publishes `count` messages (ids from `first`) and delivers them.
void publish_some(LogCluster& cluster, int first, int count) {
  for (int id = first; id < first + count; ++id) cluster.publish(0, id);
  cluster.pump().deliver_all();
}

}  // namespace

TEST_CASE("log: flush=never loses the whole unsynced log on a crash") {
  LogCluster cluster{1, {{"replication_factor", "1"}, {"acks", "1"}, {"flush", "never"}}};
  publish_some(cluster, 1, 3);
  CHECK(cluster.ids_on(0) == std::vector<std::int64_t>{1, 2, 3});
  cluster.pump().crash(0);
  cluster.pump().restart(0);
  cluster.pump().deliver_all();
  CHECK(cluster.ids_on(0).empty());
  CHECK(cluster.node(0).leads(0));
}

TEST_CASE("log: flush=every keeps every acknowledged message") {
  LogCluster cluster{1, {{"replication_factor", "1"}, {"acks", "1"}, {"flush", "every"}}};
  publish_some(cluster, 1, 3);
  cluster.pump().crash(0);
  cluster.pump().restart(0);
  cluster.pump().deliver_all();
  CHECK(cluster.ids_on(0) == std::vector<std::int64_t>{1, 2, 3});
}

TEST_CASE("log: flush=interval keeps what the last flush synced and loses the suffix") {
  LogCluster cluster{1, {{"replication_factor", "1"}, {"acks", "1"}, {"flush", "interval"},
                         {"flush_interval", "1s"}}};
  publish_some(cluster, 1, 2);
  cluster.pump().advance(1100ms);
  publish_some(cluster, 3, 2);
  cluster.pump().crash(0);
  cluster.pump().restart(0);
  cluster.pump().deliver_all();
  CHECK(cluster.ids_on(0) == std::vector<std::int64_t>{1, 2});
}
