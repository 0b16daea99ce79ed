// Replication in the Raft core with a toy state machine, from the follower's side: a
// conflicting suffix is truncated and replaced, and committed entries lost without synced disks
// make the state machine start again.
#include <doctest/doctest.h>

#include "toy_replica.h"

using namespace capsim;
using namespace capsim::raft;
using namespace capsim::raft::test;

namespace {
constexpr NodeId kN1 = 0;
constexpr NodeId kN2 = 1;
constexpr NodeId kN3 = 2;
}  // namespace

TEST_CASE("raft core: a follower truncates a conflicting suffix and applies the new leader's log") {
  // n2 holds a@1 b@1 c@1 from the leader of term 1, of which only a is committed. The leader of
  // term 2 sends x@2 after a@1 and commits it: b and c go (noted, and told to the run's story),
  // and the machine applies a then x. Only the leader answers clients: the host hears nothing.
  ToyReplica r{kN2, 3};
  r.core.on_start(r.ctx);
  r.core.on_message(
      r.ctx, kN1,
      append(1, 0, 0,
             {command_entry(1, 1, "a"), command_entry(1, 2, "b"), command_entry(1, 3, "c")}, 1));
  CHECK(r.machine.items == std::vector<std::string>{"a"});
  r.core.on_message(r.ctx, kN3, append(2, 1, 1, {command_entry(2, 2, "x")}, 2));
  CHECK(noted(r.ctx, "raft: n2 truncates entries 2..3 (terms 1..1)"));
  REQUIRE(r.ctx.events.size() == 1);
  CHECK(r.ctx.events[0].kind == NodeEventKind::kEntriesDropped);
  CHECK(r.ctx.events[0].count == 2);
  REQUIRE(r.core.log().last_index() == 2);
  CHECK(r.core.log().at(2).command == "x");
  CHECK(r.machine.items == std::vector<std::string>{"a", "x"});
  CHECK(last_sent<AppendEntriesReply>(r.ctx, kN3)->success);
  CHECK(last_sent<AppendEntriesReply>(r.ctx, kN3)->match_index == 2);
  CHECK(r.host.applied.empty());
}

TEST_CASE("raft core: a follower refuses a gap and hints where its log ends") {
  ToyReplica r{kN2, 3};
  r.core.on_start(r.ctx);
  r.core.on_message(r.ctx, kN1, append(1, 0, 0, {command_entry(1, 1, "a")}));
  r.core.on_message(r.ctx, kN1, append(1, 4, 1, {command_entry(1, 5, "e")}));
  const auto* refused = last_sent<AppendEntriesReply>(r.ctx, kN1);
  REQUIRE(refused != nullptr);
  CHECK_FALSE(refused->success);
  CHECK(refused->hint_index == 1);
  CHECK(r.core.log().last_index() == 1);
}

TEST_CASE("raft core: committed entries lost without sync_disk reset the machine, then replay") {
  // Without synced disks a new leader can lack entries this follower applied. Its log then
  // replaces them, the state machine is reset, and the surviving log is applied from the start.
  ConsensusConfig config;
  config.sync_disk = false;
  ToyReplica r{kN2, 3, config};
  r.core.on_start(r.ctx);
  r.core.on_message(r.ctx, kN1,
                    append(1, 0, 0, {command_entry(1, 1, "a"), command_entry(1, 2, "b")}, 2));
  REQUIRE(r.machine.items == std::vector<std::string>{"a", "b"});
  r.core.on_message(r.ctx, kN3, append(3, 0, 0, {command_entry(3, 1, "x")}, 1));
  CHECK(noted(r.ctx, "raft: n2 loses committed entries from 1"));
  CHECK(r.machine.resets == 1);
  CHECK(r.machine.items == std::vector<std::string>{"x"});
  CHECK(r.core.commit_index() == 1);
  CHECK(r.core.last_applied() == 1);
}
