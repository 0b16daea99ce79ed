// Shared helpers for the Raft key-value tests: nodes built through the real option parsing, and
// short constructors for entries holding key-value commands and for client requests. The core's
// messages come from the core's test helpers.
#pragma once

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "nodes/common/raft/raft_messages_util.h"
#include "nodes/kv/raft/kv_command.h"
#include "nodes/kv/raft/raft_node.h"
#include "support/options_with.h"
#include "support/pump_cluster.h"
#include "support/recording_context.h"

namespace capsim::raft::test {

using Overrides = testing::OptionOverrides;

// The protocol's defaults with `overrides` parsed as a scenario would write them.
inline Options options_with(const Overrides& overrides) {
  return testing::options_with(protocol_info(), overrides);
}

inline std::unique_ptr<RaftNode> make_node(NodeId id, std::uint32_t nodes,
                                           const Overrides& overrides = {}) {
  return std::make_unique<RaftNode>(id, config_from(options_with(overrides), nodes));
}

inline testing::PumpCluster::Factory factory(std::uint32_t nodes,
                                             const Overrides& overrides = {}) {
  const Config config = config_from(options_with(overrides), nodes);
  return [config](NodeId id) { return std::make_unique<RaftNode>(id, config); };
}

inline Entry op_entry(Term term, Index index, std::string f, std::string key, Value argument,
                      NodeId client = 9, std::uint64_t op_id = 0) {
  Entry entry;
  entry.term = term;
  entry.index = index;
  entry.command = encode_kv_command({std::move(f), std::move(key), std::move(argument)});
  entry.client = client;
  entry.op_id = op_id == 0 ? index : op_id;
  return entry;
}

inline Entry write_entry(Term term, Index index, std::string key, Value value) {
  return op_entry(term, index, "write", std::move(key), std::move(value));
}

inline Message client_request(std::uint64_t op_id, std::string f, std::string key,
                              Value value = {}) {
  ClientRequest request;
  request.op_id = op_id;
  request.f = std::move(f);
  request.key = std::move(key);
  request.value = std::move(value);
  return Message::of(std::move(request));
}

// Makes `node` (id 0 of `nodes`) leader of term 1 by hand: start, wait out the start-up quiet
// period, fire the election timer, receive votes from a majority.
inline void elect_first(RaftNode& node, testing::RecordingContext& ctx, std::uint32_t nodes) {
  node.on_start(ctx);
  ctx.advance(kQuiet);
  node.on_timer(ctx, kElectionTimer);
  for (NodeId peer = 1; peer < nodes && !node.is_leader(); ++peer) {
    node.on_message(ctx, peer, vote(node.term(), true));
  }
  REQUIRE(node.is_leader());
}

}  // namespace capsim::raft::test
