// Consumer groups of the log protocol, coordinated by n1: assignment per generation, rebalance
// on joins and expiry, and fencing of commits from an older generation.
#include <doctest/doctest.h>

#include "log_test_util.h"

using namespace capsim;
using namespace capsim::log;
using namespace capsim::log::test;
using namespace std::chrono_literals;

namespace {

GroupJoin join_request() {
  GroupJoin join;
  join.group = "g";
  join.topic = "orders";
  return join;
}

OffsetCommit commit_request(std::uint64_t generation, std::int64_t partition,
                            std::int64_t offset) {
  OffsetCommit commit;
  commit.group = "g";
  commit.topic = "orders";
  commit.generation = generation;
  commit.partition = partition;
  commit.offset = offset;
  return commit;
}

}  // namespace

TEST_CASE("log: a commit of an older generation is fenced; the member rejoins and commits") {
  // c1 joins alone (generation 1, both partitions); c2 joins (generation 2: c1 gets p0, c2 p1).
  // c1, not yet aware, commits for generation 1 and is fenced; its heartbeat says rebalance
  // with generation 2; it joins again, gets generation 2 without a new bump, and its commit of
  // p0 counts. A commit of a partition outside its share is fenced too.
  LogCluster cluster{3, {{"partitions", "2"}}};
  const auto first = cluster.group_request<GroupJoinReply>(0, join_request(), 0);
  CHECK(first.generation == 1);
  CHECK(first.partitions == std::vector<std::int64_t>{0, 1});
  CHECK(first.committed == std::vector<std::int64_t>{-1, -1});
  const auto second = cluster.group_request<GroupJoinReply>(0, join_request(), 1);
  CHECK(second.generation == 2);
  CHECK(second.partitions == std::vector<std::int64_t>{1});

  const auto stale = cluster.group_request<OffsetCommitReply>(0, commit_request(1, 0, 4), 0);
  CHECK(stale.status.outcome == QueueOutcome::kFail);
  CHECK(stale.status.answered);
  CHECK(stale.status.error == "fenced");
  CHECK(cluster.node(0).coordinator()->committed("g", 0) == -1);

  GroupHeartbeat heartbeat;
  heartbeat.group = "g";
  heartbeat.generation = 1;
  const auto beat = cluster.group_request<GroupHeartbeatReply>(0, heartbeat, 0);
  CHECK(beat.status.error == "rebalance");
  CHECK(beat.generation == 2);

  const auto rejoin = cluster.group_request<GroupJoinReply>(0, join_request(), 0);
  CHECK(rejoin.generation == 2);
  CHECK(rejoin.partitions == std::vector<std::int64_t>{0});
  const auto ok = cluster.group_request<OffsetCommitReply>(0, commit_request(2, 0, 4), 0);
  CHECK(ok.status.outcome == QueueOutcome::kOk);
  CHECK(cluster.node(0).coordinator()->committed("g", 0) == 4);
  const auto not_mine = cluster.group_request<OffsetCommitReply>(0, commit_request(2, 1, 9), 0);
  CHECK(not_mine.status.error == "fenced");

  // The committed offset is handed to whoever gets the partition next.
  const auto c3 = cluster.group_request<GroupJoinReply>(0, join_request(), 2);
  CHECK(c3.generation == 3);
  const auto c1_again = cluster.group_request<GroupJoinReply>(0, join_request(), 0);
  CHECK(c1_again.committed == std::vector<std::int64_t>{4});
}

TEST_CASE("log: a member that stops heartbeating is dropped and the group rebalances") {
  LogCluster cluster{3, {{"partitions", "2"}}};
  cluster.group_request<GroupJoinReply>(0, join_request(), 0);
  cluster.group_request<GroupJoinReply>(0, join_request(), 1);
  GroupHeartbeat heartbeat;
  heartbeat.group = "g";
  heartbeat.generation = 2;
  for (int i = 0; i < 6; ++i) {
    cluster.pump().advance(500ms);
    CHECK(cluster.group_request<GroupHeartbeatReply>(0, heartbeat, 1).status.outcome ==
          QueueOutcome::kOk);
  }
  CHECK(cluster.node(0).coordinator()->generation("g") == 2);
  cluster.pump().advance(1s);
  // c1 was silent for 4s (> group_session_timeout 3s): gone, generation 3 gives c2 everything.
  CHECK(cluster.node(0).coordinator()->generation("g") == 3);
  const auto reply = cluster.group_request<GroupHeartbeatReply>(0, heartbeat, 1);
  CHECK(reply.status.error == "rebalance");
  const auto rejoin = cluster.group_request<GroupJoinReply>(0, join_request(), 1);
  CHECK(rejoin.partitions == std::vector<std::int64_t>{0, 1});
}

TEST_CASE("log: group requests to a broker other than n1 are redirected to it") {
  LogCluster cluster{3};
  const auto reply = cluster.group_request<GroupJoinReply>(2, join_request(), 0);
  CHECK(reply.status.outcome == QueueOutcome::kRedirect);
  CHECK(reply.status.leader_hint == 0);
}

TEST_CASE("log: committed offsets survive a restart of the coordinator") {
  LogCluster cluster{3};
  const auto join = cluster.group_request<GroupJoinReply>(0, join_request(), 0);
  cluster.group_request<OffsetCommitReply>(0, commit_request(join.generation, 0, 7), 0);
  cluster.pump().crash(0);
  cluster.pump().restart(0);
  cluster.pump().deliver_all();
  CHECK(cluster.node(0).coordinator()->committed("g", 0) == 7);
  const auto again = cluster.group_request<GroupJoinReply>(0, join_request(), 0);
  CHECK(again.generation == join.generation + 1);
  CHECK(again.committed == std::vector<std::int64_t>{7});
}

TEST_CASE("log: the drain's offsets_only request reports every partition without joining") {
  // The drain asks where the group stands: every partition with its committed offset (-1
  // where none), and the group's membership and generation stay as they were.
  LogCluster cluster{3, {{"partitions", "3"}}};
  const auto join = cluster.group_request<GroupJoinReply>(0, join_request(), 0);
  cluster.group_request<OffsetCommitReply>(0, commit_request(join.generation, 1, 12), 0);
  GroupJoin offsets = join_request();
  offsets.offsets_only = true;
  const auto reply = cluster.group_request<GroupJoinReply>(0, offsets, 1);
  CHECK(reply.status.outcome == QueueOutcome::kOk);
  CHECK(reply.partitions == std::vector<std::int64_t>{0, 1, 2});
  CHECK(reply.committed == std::vector<std::int64_t>{-1, 12, -1});
  CHECK(cluster.node(0).coordinator()->generation("g") == join.generation);
}
