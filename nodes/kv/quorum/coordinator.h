// What a coordinator remembers about one client operation while it gathers a quorum, and the
// pure rules that choose which nodes it talks to.
//
// An operation goes through at most two phases:
//   read       ask the targets for their versions; done at r replies. Every read starts here,
//              and so do add and increment (read-modify-write) and, under conflict=siblings,
//              write (the new version's context is what the read found).
//   write      send the new version; done at w acknowledgements.
//   writeback  (read_writeback) send the versions the read found; done at w acknowledgements,
//              then the read answers.
// Under conflict=lww a write skips the read phase: its version needs no context.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "nodes/kv/quorum/versions.h"
#include "sim/node.h"
#include "sim/time.h"
#include "sim/value.h"

namespace capsim::quorum {

enum class Phase { kRead, kWrite, kWriteback };

// One node an operation talks to.
struct Target {
  NodeId node = kNoNode;
  NodeId hint_for = kNoNode;  // kNoNode: a replica of the key; else the replica it stands in for
  bool answered = false;      // in the current phase
  bool given_up = false;      // silent past replica_timeout (a fallback may have replaced it)
};

struct Operation {
  std::uint64_t id = 0;
  NodeId client = kNoNode;
  std::uint64_t client_op = 0;
  std::string f;
  std::string key;
  Value argument;

  Phase phase = Phase::kRead;
  std::vector<Target> targets;
  std::uint32_t answers = 0;             // in the current phase
  Versions versions;                     // read: replies reconciled; else: what is written
  std::map<NodeId, Versions> read_replies;  // read phase, for read repair
  Value reply_value;                     // what an ok reply carries
  bool answered = false;                 // a read answered and waits only for late replies
  Time replica_deadline{0};              // silent targets are given up on at this time
  Time request_deadline{0};              // the operation gives up at this time

  Target* target(NodeId node);
};

// The nodes an operation on a key talks to first. `walk` is the key's ring order (at least the
// n preferred replicas, then fallbacks). Strict: the n preferred replicas. Sloppy: each
// preferred replica that `is_suspected` is replaced, in ring order, by the next fallback that
// is not suspected, which keeps a hint for it (a preferred replica stays if none is left).
std::vector<Target> initial_targets(const std::vector<NodeId>& walk, std::uint32_t n,
                                    bool sloppy,
                                    const std::function<bool(NodeId)>& is_suspected);

// The next node of `walk`, after the first n, that is not a target yet and not suspected.
std::optional<NodeId> next_fallback(const std::vector<NodeId>& walk, std::uint32_t n,
                                    const std::vector<Target>& targets,
                                    const std::function<bool(NodeId)>& is_suspected);

}  // namespace capsim::quorum
