// A Raft core with a toy state machine and a host that records what the core tells it, for
// driving the core by hand without any protocol around it.
//
// The state machine is an append-only list of strings: a command "x" appends x and answers ok
// with the list's new length; a command that starts with '!' is refused (not ok, error "refused
// <rest>") and changes nothing.
#pragma once

#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "nodes/common/raft/consensus.h"
#include "raft_messages_util.h"
#include "support/recording_context.h"

namespace capsim::raft::test {

class ListMachine final : public StateMachine {
 public:
  Result apply(const Entry& entry) override {
    applied_indexes.push_back(entry.index);
    Result result;
    if (!entry.command.empty() && entry.command.front() == '!') {
      result.ok = false;
      result.error = "refused " + entry.command.substr(1);
      return result;
    }
    items.push_back(entry.command);
    result.value = Value(static_cast<std::int64_t>(items.size()));
    return result;
  }
  void reset() override {
    items.clear();
    applied_indexes.clear();
    ++resets;
  }

  std::vector<std::string> items;
  std::vector<Index> applied_indexes;  // every index apply() was called for, in order
  int resets = 0;
};

class RecordingHost final : public Host {
 public:
  struct Applied {
    Index index = 0;
    NodeId client = kNoNode;
    std::uint64_t op_id = 0;
    Result result;
  };

  void on_applied(Context&, const Entry& entry, const Result& result) override {
    applied.push_back({entry.index, entry.client, entry.op_id, result});
  }
  void on_barrier_passed(Context&, BarrierId id) override { passed.push_back(id); }
  void on_barrier_failed(Context&, BarrierId id) override { failed.push_back(id); }
  void on_role_changed(Context&) override { ++role_changes; }

  std::vector<Applied> applied;
  std::vector<BarrierId> passed;
  std::vector<BarrierId> failed;
  int role_changes = 0;
};

// One replica of a group of `nodes`, with its context.
struct ToyReplica {
  ToyReplica(NodeId self, std::uint32_t nodes, ConsensusConfig config = {})
      : ctx(self, 7), core(self, with_size(std::move(config), nodes), machine, host) {}

  static ConsensusConfig with_size(ConsensusConfig config, std::uint32_t nodes) {
    config.cluster_size = nodes;
    return config;
  }

  // Starts, waits out the start-up quiet period, fires the election timer and collects votes
  // from a majority: leader of term 1 when nothing was on disk.
  void elect() {
    core.on_start(ctx);
    ctx.advance(kQuiet);
    core.on_timer(ctx, kElectionTimer);
    for (NodeId peer = 0; peer < core.config().cluster_size && !core.is_leader(); ++peer) {
      if (peer != ctx.self()) core.on_message(ctx, peer, vote(core.term(), true));
    }
    REQUIRE(core.is_leader());
  }

  // The round of the last AppendEntries sent.
  std::uint64_t last_round() const { return ctx.sent_of<AppendEntries>().back()->round; }

  testing::RecordingContext ctx;
  ListMachine machine;
  RecordingHost host;
  Consensus core;
};

inline Entry command_entry(Term term, Index index, std::string command, NodeId client = 9,
                           std::uint64_t op_id = 0) {
  Entry entry;
  entry.term = term;
  entry.index = index;
  entry.command = std::move(command);
  entry.client = client;
  entry.op_id = op_id == 0 ? index : op_id;
  return entry;
}

}  // namespace capsim::raft::test
