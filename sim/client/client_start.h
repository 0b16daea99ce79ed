// Where a client's numbering starts: its first process and its first request's op id.
//
// At the start of a run, client i is process i and numbers its requests 1, 2, 3, ... After a
// restart (a crash of the client) it must not reuse either: the history would pair its new
// operations with old ones, and a node that remembers each client's latest op id (the kv
// protocols' client sessions, the broker's last answer) would take new requests for copies of
// old ones. So a restarted client starts at the least process above every process recorded so
// far that is i modulo the number of clients (every other client's processes stay in their own
// classes), and at op id (that process << 32) + 1, above any op id an earlier incarnation
// could have reached (each incarnation's first process is higher than the last one's, and
// none makes 2^32 requests).
#pragma once

#include <cstdint>

namespace capsim {

struct ClientStart {
  std::uint64_t process = 0;
  std::uint64_t op_id = 1;
};

// Requires: clients >= 1, index < clients.
inline ClientStart client_start(std::uint32_t index, std::uint32_t clients, bool restarted,
                                std::uint64_t next_free_process) {
  if (!restarted || next_free_process <= index) return ClientStart{index, 1};
  const std::uint64_t steps = (next_free_process - index + clients - 1) / clients;
  const std::uint64_t process = index + steps * clients;
  return ClientStart{process, (process << 32) + 1};
}

}  // namespace capsim
