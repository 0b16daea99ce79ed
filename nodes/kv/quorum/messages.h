// Messages between the nodes of the quorum protocol. Clients use the shared ClientRequest /
// ClientReply of sim/client/kv_messages.h; any node coordinates any request.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "nodes/kv/quorum/versions.h"
#include "sim/node.h"

namespace capsim::quorum {

// Coordinator -> replica (or fallback): "what do you hold for this key?"
struct ReplicaRead {
  static constexpr std::string_view kKind = "quorum.read";
  std::uint64_t op = 0;  // the coordinator's operation number, echoed in the reply
  std::string key;
  std::string describe() const;
};

// Replica -> coordinator: its versions of the key (a fallback adds the hints it holds for it).
struct ReplicaReadReply {
  static constexpr std::string_view kKind = "quorum.read_reply";
  std::uint64_t op = 0;
  std::string key;
  Versions versions;
  std::string describe() const;
};

// Coordinator -> replica: "reconcile these versions into the key and make them durable".
// Sent for writes, read write-backs and read repair (op 0: no acknowledgement wanted).
struct ReplicaWrite {
  static constexpr std::string_view kKind = "quorum.write";
  std::uint64_t op = 0;
  std::string key;
  Versions versions;
  // kNoNode: the receiver is a replica of the key. Otherwise the receiver is a fallback
  // standing in for this replica: it keeps the versions as a hint for it.
  NodeId hint_for = kNoNode;
  std::string describe() const;
};

// Replica -> coordinator: the versions are reconciled and synced to disk.
struct ReplicaWriteAck {
  static constexpr std::string_view kKind = "quorum.write_ack";
  std::uint64_t op = 0;
  std::string describe() const;
};

// One key's versions, in handoff and anti-entropy messages.
using KeyVersions = std::vector<std::pair<std::string, Versions>>;
// One key's version summary (versions_hash), in acknowledgements and summaries.
using KeyHashes = std::vector<std::pair<std::string, std::uint64_t>>;

// Fallback -> intended replica: hints it held on the replica's behalf (hinted handoff).
struct HintHandoff {
  static constexpr std::string_view kKind = "quorum.handoff";
  KeyVersions hints;  // at most kMaxBatch
  std::string describe() const;
};

// Intended replica -> fallback: these hints are durable here now; the fallback drops each one
// whose versions it has not changed since (same hash).
struct HintHandoffAck {
  static constexpr std::string_view kKind = "quorum.handoff_ack";
  KeyHashes received;
  std::string describe() const;
};

// Anti-entropy, node -> peer: a summary of the keys both are replicas of, as the sender holds
// them.
struct AntiEntropySummary {
  static constexpr std::string_view kKind = "quorum.ae_summary";
  KeyHashes keys;
  std::string describe() const;
};

// Peer -> node: versions of the keys the sender summarised differently or not at all, and the
// keys the peer wants the sender's versions of.
struct AntiEntropyReply {
  static constexpr std::string_view kKind = "quorum.ae_reply";
  KeyVersions versions;
  std::vector<std::string> wanted;
  std::string describe() const;
};

// Node -> peer: the versions of the keys the peer wanted.
struct AntiEntropyPush {
  static constexpr std::string_view kKind = "quorum.ae_push";
  KeyVersions versions;
  std::string describe() const;
};

// The most keys one handoff or anti-entropy message carries.
constexpr std::size_t kMaxBatch = 256;

}  // namespace capsim::quorum
