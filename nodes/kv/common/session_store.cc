#include "nodes/kv/common/session_store.h"

#include <string>
#include <vector>

#include "nodes/kv/common/session_codec.h"
#include "nodes/common/value_codec.h"

namespace capsim::kv {
namespace {

constexpr std::string_view kClientListKey = "clients";

std::string client_key(NodeId client) { return "client/" + std::to_string(client); }

}  // namespace

std::size_t SessionStore::load(const Disk& disk) {
  sessions_.clear();
  listed_.clear();
  const std::optional<std::string> list_text = disk.get(kClientListKey);
  if (!list_text) return 0;
  std::vector<std::string> ids;
  if (!codec::decode_strings(*list_text, ids)) return 1;
  std::size_t unreadable = 0;
  for (const std::string& id : ids) {
    const std::optional<std::uint64_t> client = codec::parse_stored_number(id);
    ClientReply answer;
    const std::optional<std::string> text =
        client && *client < kNoNode ? disk.get(client_key(static_cast<NodeId>(*client)))
                                    : std::nullopt;
    if (!text || !decode_session_answer(*text, answer)) {
      ++unreadable;
      continue;
    }
    listed_.insert(static_cast<NodeId>(*client));
    sessions_.record(static_cast<NodeId>(*client), std::move(answer));
  }
  return unreadable;
}

void SessionStore::remember(Disk& disk, NodeId client, const ClientReply& answer,
                            bool sync) {
  sessions_.record(client, answer);
  disk.put(client_key(client), encode_session_answer(answer));
  if (listed_.insert(client).second) {
    std::vector<std::string> ids;
    for (NodeId id : listed_) ids.push_back(std::to_string(id));
    disk.put(kClientListKey, codec::encode_strings(ids));
  }
  if (sync) disk.sync();
}

}  // namespace capsim::kv
