// Histories of a correct queue, made up for benchmarks and tests of the delivery check.
//
// Producers send messages 1..N to one queue, each with a partition key; a few sends time out
// (info) and are retried, under a new process, until acknowledged. Consumers take the messages
// in batches, in send order, apply each one's effect once and ack the batch; a few batches are
// redelivered (the broker marks them with a delivery count of 2) and acked again, the effect
// deduplicated. A final drain finds the queue empty. So at-least-once, exactly-once-effect,
// per-key-order and no-phantoms pass, and at-most-once fails on the redeliveries.
#pragma once

#include <cstddef>
#include <cstdint>

#include "sim/history.h"
#include "sim/rng.h"

namespace capsim {

struct QueueHistorySpec {
  std::size_t messages = 1000;
  std::size_t keys = 100;        // partition keys "k0", "k1", ...
  std::size_t producers = 10;
  std::size_t consumers = 10;
  std::size_t batch = 10;        // messages per receive, at most
  std::uint32_t info_per_mille = 2;         // sends that time out and are retried
  std::uint32_t redeliver_per_mille = 5;    // batches delivered a second time
};

// Generates a history. Requires: every count in `spec` above zero.
History generate_queue_history(Rng& rng, const QueueHistorySpec& spec);

}  // namespace capsim
