// Shared helpers for the Raft tests: nodes built through the real option parsing, and short
// constructors for entries and messages.
#pragma once

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "nodes/kv/raft/raft_node.h"
#include "support/options_with.h"
#include "support/pump_cluster.h"
#include "support/recording_context.h"

namespace capsim::raft::test {

using namespace std::chrono_literals;
using Overrides = testing::OptionOverrides;

// Longer than the default election_timeout_max: after it, any follower's timer has fired and
// no replica still trusts a leader it heard before.
constexpr Duration kQuiet = 1s;

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
  entry.f = std::move(f);
  entry.key = std::move(key);
  entry.argument = std::move(argument);
  entry.client = client;
  entry.op_id = op_id == 0 ? index : op_id;
  return entry;
}

inline Entry write_entry(Term term, Index index, std::string key, Value value) {
  return op_entry(term, index, "write", std::move(key), std::move(value));
}

inline Entry noop_entry(Term term, Index index) {
  Entry entry;
  entry.term = term;
  entry.index = index;
  return entry;
}

inline Message append(Term term, Index prev_index, Term prev_term, std::vector<Entry> entries,
                      Index leader_commit = 0, std::uint64_t round = 0) {
  AppendEntries message;
  message.term = term;
  message.prev_index = prev_index;
  message.prev_term = prev_term;
  message.entries = std::move(entries);
  message.leader_commit = leader_commit;
  message.round = round;
  return Message::of(std::move(message));
}

inline Message append_reply(Term term, bool success, Index match_index, std::uint64_t round = 0) {
  AppendEntriesReply message;
  message.term = term;
  message.success = success;
  message.match_index = match_index;
  message.hint_index = match_index;
  message.round = round;
  return Message::of(message);
}

inline Message request_vote(Term term, NodeId candidate, Index last_index, Term last_term) {
  RequestVote message;
  message.term = term;
  message.candidate = candidate;
  message.last_index = last_index;
  message.last_term = last_term;
  return Message::of(message);
}

inline Message vote(Term term, bool granted) {
  RequestVoteReply message;
  message.term = term;
  message.granted = granted;
  return Message::of(message);
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

// The last message of type T the node sent, or nullptr.
template <MessageType T>
const T* last_sent(const testing::RecordingContext& ctx, NodeId to = kNoNode) {
  const auto all = ctx.sent_of<T>(to);
  return all.empty() ? nullptr : all.back();
}

// True if some note starts with `prefix`.
inline bool noted(const testing::RecordingContext& ctx, std::string_view prefix) {
  for (const auto& note : ctx.notes) {
    if (note.rfind(prefix, 0) == 0) return true;
  }
  return false;
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
