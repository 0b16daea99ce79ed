// Messages between the replicas of a Raft group. A host's clients use the host's own messages.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "nodes/common/raft/entry.h"
#include "sim/node.h"

namespace capsim::raft {

// Candidate -> every other replica: "vote for me in this term".
struct RequestVote {
  static constexpr std::string_view kKind = "raft.request_vote";
  Term term = 0;
  NodeId candidate = kNoNode;
  Index last_index = 0;  // the candidate's log, so that voters refuse a stale candidate
  Term last_term = 0;
  std::string describe() const;
};

// Voter -> candidate. Sent only once the vote (and the term) is on disk.
struct RequestVoteReply {
  static constexpr std::string_view kKind = "raft.request_vote_reply";
  Term term = 0;  // the voter's term after handling the request
  bool granted = false;
  std::string describe() const;
};

// Leader -> follower: "your log should continue mine after (prev_index, prev_term) with these
// entries". Sent for new entries and, empty or not, every heartbeat interval and for every
// confirmation round of a read barrier.
struct AppendEntries {
  static constexpr std::string_view kKind = "raft.append_entries";
  Term term = 0;
  Index prev_index = 0;  // the entry just before entries[0] (0: the start of the log)
  Term prev_term = 0;
  std::vector<Entry> entries;  // consecutive, at most kMaxBatch
  Index leader_commit = 0;
  // The leader's confirmation round: a reply echoes it, which tells the leader that this
  // follower still accepted it as leader after the round began (read barriers and leases).
  std::uint64_t round = 0;
  // How many times the leader had rewound this follower's next index when it sent this; the
  // follower echoes it, so that refusals of messages sent before the latest rewind (which were
  // already in flight, pipelined) are recognised as stale and do not rewind it again.
  std::uint64_t rewinds = 0;
  // How the trace shows the entries' commands: the sending host's (ConsensusConfig). Not part
  // of the protocol; the receiver ignores it.
  DescribeCommand describe_command = nullptr;
  std::string describe() const;
};

// Follower -> leader: the answer to an AppendEntries. Sent only once the entries are on disk.
struct AppendEntriesReply {
  static constexpr std::string_view kKind = "raft.append_entries_reply";
  Term term = 0;          // the follower's term after handling the message
  bool success = false;   // the consistency check passed and the log now holds every entry sent
  Index match_index = 0;  // success: the follower's log agrees with the leader's up to here
  // Refused: resend from hint_index + 1 (see Log::refusal_hint).
  Index hint_index = 0;
  std::uint64_t round = 0;    // echoed from the AppendEntries
  std::uint64_t rewinds = 0;  // echoed from the AppendEntries
  std::string describe() const;
};

// The most entries one AppendEntries carries; a lagging follower catches up a batch per round
// trip.
constexpr std::size_t kMaxBatch = 64;

}  // namespace capsim::raft
