// Messages between the replicas of the primary-backup protocol. Clients use the shared
// ClientRequest / ClientReply of sim/client/kv_messages.h.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "nodes/kv/primary_backup/log.h"
#include "sim/node.h"

namespace capsim::pb {

// Primary -> backup: "your log should continue mine after (prev_index, prev_epoch) with these
// entries". Sent for new writes and, empty or not, every heartbeat interval, which is how
// backups know the primary is alive.
struct Replicate {
  static constexpr std::string_view kKind = "pb.replicate";
  Epoch epoch = 0;          // the sender's epoch
  Index prev_index = 0;     // the entry just before entries[0] (0: start of the log)
  Epoch prev_epoch = 0;     // its epoch
  std::vector<Entry> entries;  // consecutive, at most kMaxBatch
  Index commit_index = 0;   // highest index confirmed by the required backups (informational)
  // How many times the primary had moved this backup's resume point back when it sent this
  // (Progress::rewinds); echoed in the ack, so that refusals of older messages are told apart.
  std::uint64_t rewinds = 0;
  std::string describe() const;
};

// Backup -> primary: the answer to a Replicate.
struct ReplicateAck {
  static constexpr std::string_view kKind = "pb.replicate_ack";
  Epoch epoch = 0;          // the backup's epoch after handling the Replicate
  bool success = false;     // the log matched and now holds every entry sent
  Index match_index = 0;    // success: the backup's log agrees with the primary up to here
  // Refused: where the backup's log parts from the primary's, by epoch (Raft's conflict-term
  // rule). A log too short: hint_epoch 0 and hint_index its last index. A log with another
  // epoch at prev_index: hint_epoch is that epoch and hint_index the index before the backup's
  // first entry of it. A primary that holds entries of hint_epoch resumes after its last one
  // (up to there the logs agree); one that holds none skips the backup's whole run of it. Either
  // way it skips a whole stale epoch per round trip instead of one entry.
  Index hint_index = 0;
  Epoch hint_epoch = 0;
  std::uint64_t rewinds = 0;  // the rewinds of the Replicate this answers
  NodeId primary = kNoNode; // who the backup follows: lets a deposed primary name its successor
  std::string describe() const;
};

// Candidate -> every other replica: "vote for me in this epoch".
struct RequestVote {
  static constexpr std::string_view kKind = "pb.request_vote";
  Epoch epoch = 0;
  NodeId candidate = kNoNode;
  Index last_index = 0;     // the candidate's log, so voters refuse a stale candidate
  Epoch last_epoch = 0;
  std::string describe() const;
};

// Voter -> candidate.
struct Vote {
  static constexpr std::string_view kKind = "pb.vote";
  Epoch epoch = 0;          // the voter's epoch after handling the request
  bool granted = false;
  std::string describe() const;
};

// The most entries one Replicate carries; a lagging backup catches up one batch per round trip.
constexpr std::size_t kMaxBatch = 64;

}  // namespace capsim::pb
