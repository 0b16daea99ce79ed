// Short constructors for the Raft core's messages and questions about what a hand-driven replica
// sent or noted, shared by the tests of the core and of the protocols built on it.
#pragma once

#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "nodes/common/raft/messages.h"
#include "support/recording_context.h"

namespace capsim::raft::test {

using namespace std::chrono_literals;

// Longer than the default election_timeout_max: after it, any follower's timer has fired and
// no replica still trusts a leader it heard before.
constexpr Duration kQuiet = 1s;

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

inline Entry noop_entry(Term term, Index index) {
  Entry entry;
  entry.term = term;
  entry.index = index;
  return entry;
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

}  // namespace capsim::raft::test
