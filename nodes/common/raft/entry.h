// One entry of the Raft log: where it stands (index, term), who asked for it (client, op id) and
// what it asks the state machine to do (an opaque command).
//
// Entries are numbered from 1; index 0 stands for "before the first entry" and has term 0, so an
// AppendEntries that starts at the beginning of the log always passes the consistency check.
// The command is bytes that only the state machine encodes and decodes; the core copies,
// stores and replicates them and never looks inside. They must be a pure function of the
// request, so that every replica applying the same log reaches the same state.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sim/node.h"

namespace capsim::raft {

using Term = std::uint64_t;
using Index = std::uint64_t;

// How a trace line shows a command ("write k1 7"). The state machine's host supplies one; the
// core only calls it when it describes a message for the trace.
using DescribeCommand = std::string (*)(std::string_view command);

struct Entry {
  Term term = 0;
  Index index = 0;
  // Who asked, and its op id: the core applies a request a client sent twice only once (see
  // state_machine.h). kNoNode: no client; such a command is never taken for a copy.
  NodeId client = kNoNode;
  std::uint64_t op_id = 0;
  // The state machine's encoding of the operation. Empty for a no-op, which is what a new
  // leader appends first so that it can commit something of its own term and, with it,
  // everything before; a host never submits an empty command.
  std::string command;

  bool is_noop() const { return command.empty(); }
  // "3@2 write k1 7" or "4@2 noop": index@term, then the command as `describe_command` shows it
  // (without one, its size: "3@2 command of 12 bytes").
  std::string describe(DescribeCommand describe_command = nullptr) const;
  friend bool operator==(const Entry&, const Entry&) = default;
};

// The text stored for one entry: term, index, client and op id as decimal numbers, each ended by
// a comma, then the command's bytes to the end of the text (the command needs no length: it is
// the last field). Round-trips every entry.
std::string encode_entry(const Entry& entry);
// Parses what encode_entry() wrote. Returns false if `text` does not start with four such
// numbers (the command is not checked: only the state machine can read it).
bool decode_entry(std::string_view text, Entry& out);

}  // namespace capsim::raft
