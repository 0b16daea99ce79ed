#include "nodes/kv/raft/kv_state_machine.h"

#include <utility>

#include "nodes/kv/raft/kv_command.h"
#include "sim/assert.h"

namespace capsim::raft {

Result KvStateMachine::apply(const Entry& entry) {
  KvCommand command;
  // Only a leader's encode_kv_command() writes commands, and the disk keeps values whole.
  const bool readable = decode_kv_command(entry.command, command);
  CAPSIM_ASSERT(readable);
  kv::Effect effect = state_.apply(command.f, command.key, command.argument);
  Result result;
  result.ok = effect.ok;
  result.error = std::move(effect.error);
  result.value = std::move(effect.reply);
  return result;
}

}  // namespace capsim::raft
