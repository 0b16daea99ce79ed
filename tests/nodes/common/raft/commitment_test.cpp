// Commitment and applying in the Raft core with a toy state machine: only entries of the
// leader's own term are counted, results reach the host in log order, and a request delivered
// twice is applied once.
#include <doctest/doctest.h>

#include "toy_replica.h"

using namespace capsim;
using namespace capsim::raft;
using namespace capsim::raft::test;

namespace {
constexpr NodeId kN1 = 0;
constexpr NodeId kN2 = 1;
constexpr NodeId kN3 = 2;
constexpr NodeId kN4 = 3;
constexpr NodeId kClient = 9;
}  // namespace

TEST_CASE("raft core: a leader commits an older term's entries only with an entry of its own") {
  // n1 of five holds a@1 and b@2 from earlier leaders, wins term 3 and appends its no-op. A
  // majority holding b@2 commits nothing; a majority holding the no-op commits all three, and
  // the machine applies a then b.
  ToyReplica r{kN1, 5};
  r.core.on_start(r.ctx);
  r.core.on_message(r.ctx, kN2,
                    append(2, 0, 0, {command_entry(1, 1, "a"), command_entry(2, 2, "b")}));
  r.ctx.advance(kQuiet);
  r.core.on_timer(r.ctx, kElectionTimer);
  REQUIRE(r.core.term() == 3);
  r.core.on_message(r.ctx, kN3, vote(3, true));
  r.core.on_message(r.ctx, kN4, vote(3, true));
  REQUIRE(r.core.is_leader());

  r.core.on_message(r.ctx, kN3, append_reply(3, true, 2));
  r.core.on_message(r.ctx, kN4, append_reply(3, true, 2));
  CHECK(r.core.commit_index() == 0);
  CHECK(r.machine.items.empty());

  r.core.on_message(r.ctx, kN3, append_reply(3, true, 3));
  CHECK(r.core.commit_index() == 0);
  r.core.on_message(r.ctx, kN4, append_reply(3, true, 3));
  CHECK(r.core.commit_index() == 3);
  CHECK(r.machine.items == std::vector<std::string>{"a", "b"});
  CHECK(r.host.applied.empty());  // nothing of this leader's clients was waiting
}

TEST_CASE("raft core: submitted commands are applied in log order and their results handed back") {
  // Three submissions wait until n2 confirms them all; then the host gets each result, in log
  // order, with the machine's answers: lengths 1 and 2, and a refusal that changed nothing.
  ToyReplica r{kN1, 3};
  r.elect();
  const Index first = r.core.submit(r.ctx, kClient, 1, "x");
  const Index second = r.core.submit(r.ctx, kClient + 1, 1, "!no");
  const Index third = r.core.submit(r.ctx, kClient, 2, "y");
  CHECK(first == 2);
  CHECK(second == 3);
  CHECK(third == 4);
  CHECK(r.core.waiting() == 3);
  CHECK(r.ctx.memory_disk().pending_count() == 0);  // synced before the leader counts itself
  CHECK(r.host.applied.empty());

  r.core.on_message(r.ctx, kN2, append_reply(1, true, 4));
  REQUIRE(r.host.applied.size() == 3);
  CHECK(r.host.applied[0].index == first);
  CHECK(r.host.applied[0].client == kClient);
  CHECK(r.host.applied[0].result.value == Value(1));
  CHECK(r.host.applied[1].index == second);
  CHECK_FALSE(r.host.applied[1].result.ok);
  CHECK(r.host.applied[1].result.error == "refused no");
  CHECK(r.host.applied[2].index == third);
  CHECK(r.host.applied[2].op_id == 2);
  CHECK(r.host.applied[2].result.value == Value(2));
  CHECK(r.machine.items == std::vector<std::string>{"x", "y"});
  CHECK(r.core.waiting() == 0);
}

TEST_CASE("raft core: a request submitted twice is applied once, and its copy gets the result") {
  // A single replica commits at once. The same (client, op id) submitted twice reaches the
  // machine once; the host gets the first result for both. An older op id after a newer one is a
  // copy nobody waits for: not applied, no result. A command without a client is never a copy.
  ToyReplica r{kN1, 1};
  r.elect();
  r.core.submit(r.ctx, kClient, 5, "x");
  r.core.submit(r.ctx, kClient, 5, "x");
  REQUIRE(r.host.applied.size() == 2);
  CHECK(r.host.applied[1].result == r.host.applied[0].result);
  CHECK(r.machine.items == std::vector<std::string>{"x"});

  r.core.submit(r.ctx, kClient, 6, "y");
  r.core.submit(r.ctx, kClient, 5, "x");
  CHECK(r.host.applied.size() == 3);
  CHECK(r.machine.items == std::vector<std::string>{"x", "y"});

  r.core.submit(r.ctx, kNoNode, 1, "tick");
  r.core.submit(r.ctx, kNoNode, 1, "tick");
  CHECK(r.machine.items == std::vector<std::string>{"x", "y", "tick", "tick"});
}

TEST_CASE("raft core: a leader that steps down drops its waiting submissions without a result") {
  // Whether they commit is for the next leader to decide: the host hears nothing of them.
  ToyReplica r{kN1, 3};
  r.elect();
  r.core.submit(r.ctx, kClient, 1, "x");
  r.core.on_message(r.ctx, kN2, append_reply(2, false, 0));
  CHECK_FALSE(r.core.is_leader());
  CHECK(r.core.waiting() == 0);
  r.core.on_message(r.ctx, kN3, append(2, 2, 1, {}, 2));
  CHECK(r.core.commit_index() == 2);
  CHECK(r.machine.items == std::vector<std::string>{"x"});
  CHECK(r.host.applied.empty());
}
