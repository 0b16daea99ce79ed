// The replica's Disk: one entry per key ("key/<name>"), the list of keys ("keys"), the boot
// count ("boots"), and each client's latest decided update (session_store.h). See
// state_codec.h for the encodings.

#include <optional>
#include <set>
#include <vector>

#include "nodes/common/value_codec.h"
#include "nodes/kv/crdt/crdt_node.h"
#include "nodes/kv/crdt/state_codec.h"

namespace capsim::crdt {

namespace {

constexpr std::string_view kBootsKey = "boots";
constexpr std::string_view kKeyListKey = "keys";

std::string disk_key(const std::string& key) { return "key/" + key; }

}  // namespace

void CrdtNode::load(Context& ctx) {
  Disk& disk = ctx.disk();
  // Synced at once, whatever sync_disk says: it keeps dots and stamps unique across restarts.
  // Nothing else is pending at start (a crash dropped it), so this makes nothing else durable.
  boot_ = codec::read_stored_number(disk, kBootsKey).value_or(0) + 1;
  updates_this_boot_ = 0;
  disk.put(kBootsKey, std::to_string(boot_));
  disk.sync();

  state_ = ReplicaState();
  snapshot_.reset();
  listed_keys_.clear();
  unsaved_keys_.clear();
  if (sessions_.load(disk) != 0) {
    ctx.note("crdt: some client sessions on disk are unreadable; copies of those clients' "
             "earlier requests may be applied again");
  }
  const std::optional<std::string> list_text = disk.get(kKeyListKey);
  if (!list_text) return;
  std::vector<std::string> keys;
  if (!decode_key_list(*list_text, keys)) {
    ctx.note("crdt: the key list on disk is unreadable; starting empty, gossip will refill");
    ctx.record_event({NodeEventKind::kStateTorn, 0, 0,
                      "restarted with its key list on disk unreadable; starting empty"});
    return;
  }
  // Unreadable keys stay listed: gossip will refill them and they will be written again.
  listed_keys_.insert(keys.begin(), keys.end());
  for (const std::string& key : keys) {
    const std::optional<std::string> text = disk.get(disk_key(key));
    KeyState key_state;
    if (!text || !decode_key_state(*text, key_state)) {
      ctx.note("crdt: the state of " + key + " on disk is unreadable; gossip will refill it");
      ctx.record_event({NodeEventKind::kStateTorn, 0, 1,
                        "restarted with the state of " + key + " on disk unreadable"});
      continue;
    }
    if (state_.find(key) == nullptr) state_.create(key, std::move(key_state));
  }
}

void CrdtNode::remember_answer(Context& ctx, NodeId client, const ClientReply& answer) {
  // Synced as the update itself was (sync_disk): a crash keeps both or loses both.
  sessions_.remember(ctx.disk(), client, answer, config_.sync_disk);
}

void CrdtNode::persist(Context& ctx, bool sync) {
  Disk& disk = ctx.disk();
  bool list_grew = false;
  for (const std::string& key : unsaved_keys_) {
    const KeyState* key_state = state_.find(key);
    if (key_state == nullptr) continue;
    disk.put(disk_key(key), encode_key_state(*key_state));
    if (listed_keys_.insert(key).second) list_grew = true;
  }
  unsaved_keys_.clear();
  if (list_grew) {
    disk.put(kKeyListKey,
             encode_key_list(std::vector<std::string>(listed_keys_.begin(), listed_keys_.end())));
  }
  if (sync) disk.sync();
}

}  // namespace capsim::crdt
