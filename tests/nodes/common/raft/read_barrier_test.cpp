// Read barriers of the Raft core: what read-index and lease barriers wait for before they pass,
// and that they fail when the leader steps down.
#include <doctest/doctest.h>

#include "toy_replica.h"

using namespace capsim;
using namespace capsim::raft;
using namespace capsim::raft::test;

namespace {
constexpr NodeId kN1 = 0;
constexpr NodeId kN2 = 1;
constexpr NodeId kClient = 9;

// A leader of three whose no-op and one command n2 has confirmed (with the round it answered).
void commit_one(ToyReplica& r) {
  r.elect();
  r.core.submit(r.ctx, kClient, 1, "x");
  r.core.on_message(r.ctx, kN2, append_reply(1, true, 2, r.last_round()));
  REQUIRE(r.machine.items == std::vector<std::string>{"x"});
  r.ctx.clear_sent();
}
}  // namespace

TEST_CASE("raft core: a read-index barrier passes once a majority confirms a round sent after it") {
  // The barrier starts a round. An answer to an older round proves nothing; the answer to the
  // new one passes the barrier. Nothing is appended to the log.
  ToyReplica r{kN1, 3};
  commit_one(r);
  const Index last = r.core.log().last_index();
  r.core.read_barrier(r.ctx, 41, BarrierKind::kReadIndex);
  REQUIRE(r.ctx.sent_count<AppendEntries>() == 2);
  const std::uint64_t round = r.last_round();
  CHECK(r.host.passed.empty());
  CHECK(r.core.waiting() == 1);
  r.core.on_message(r.ctx, kN2, append_reply(1, true, 2, round - 1));
  CHECK(r.host.passed.empty());
  r.core.on_message(r.ctx, kN2, append_reply(1, true, 2, round));
  CHECK(r.host.passed == std::vector<BarrierId>{41});
  CHECK(r.core.log().last_index() == last);
  CHECK(r.core.waiting() == 0);
}

TEST_CASE("raft core: a new leader's barrier also waits until its no-op is applied") {
  // Right after winning, a confirmed round is not enough: the barrier waits until the no-op,
  // and the older entry before it, are applied.
  ToyReplica r{kN1, 3};
  r.core.on_start(r.ctx);
  r.core.on_message(r.ctx, kN2, append(1, 0, 0, {command_entry(1, 1, "a")}));
  r.ctx.advance(kQuiet);
  r.core.on_timer(r.ctx, kElectionTimer);
  r.core.on_message(r.ctx, kN2, vote(2, true));
  REQUIRE(r.core.is_leader());
  r.core.read_barrier(r.ctx, 7, BarrierKind::kReadIndex);
  const std::uint64_t round = r.last_round();
  r.core.on_message(r.ctx, kN2, append_reply(2, true, 0, round));
  CHECK(r.host.passed.empty());
  r.core.on_message(r.ctx, kN2, append_reply(2, true, 2, round));
  CHECK(r.host.passed == std::vector<BarrierId>{7});
  CHECK(r.machine.items == std::vector<std::string>{"a"});
}

TEST_CASE("raft core: a lease barrier passes at once while the lease holds, then waits") {
  // The confirmed round was sent at time T; the lease is 250ms. At T+100ms a lease barrier
  // passes without a message; at T+300ms it needs a round. A read-index barrier always does.
  ToyReplica r{kN1, 3};
  commit_one(r);
  r.ctx.advance(100ms);
  CHECK(r.core.holds_lease(r.ctx));
  r.core.read_barrier(r.ctx, 1, BarrierKind::kLease);
  CHECK(r.host.passed == std::vector<BarrierId>{1});
  CHECK(r.ctx.sent_count<AppendEntries>() == 0);
  r.core.read_barrier(r.ctx, 2, BarrierKind::kReadIndex);
  CHECK(r.host.passed.size() == 1);
  CHECK(r.ctx.sent_count<AppendEntries>() == 2);

  r.ctx.advance(200ms);
  CHECK_FALSE(r.core.holds_lease(r.ctx));
  r.core.read_barrier(r.ctx, 3, BarrierKind::kLease);
  CHECK(r.host.passed.size() == 1);
  r.core.on_message(r.ctx, kN2, append_reply(1, true, 2, r.last_round()));
  CHECK(r.host.passed == std::vector<BarrierId>{1, 2, 3});
}

TEST_CASE("raft core: waiting barriers fail, in order, when the leader steps down") {
  ToyReplica r{kN1, 3};
  commit_one(r);
  r.core.read_barrier(r.ctx, 5, BarrierKind::kReadIndex);
  r.core.read_barrier(r.ctx, 6, BarrierKind::kReadIndex);
  r.core.on_message(r.ctx, kN2, append(2, 0, 0, {}));
  CHECK_FALSE(r.core.is_leader());
  CHECK(r.host.failed == std::vector<BarrierId>{5, 6});
  CHECK(r.host.passed.empty());
  CHECK(r.core.waiting() == 0);
}
