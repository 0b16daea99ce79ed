// An idempotent producer's numbering: sequence 0 before the partition count is known, then
// per-partition sequences by key, and a fresh producer id after a message is given up.
#include <doctest/doctest.h>

#include "sim/client/partition_for_key.h"
#include "sim/client/producer_sequences.h"

using namespace capsim;

TEST_CASE("producer sequences: count per partition once the partition count is known") {
  ProducerSequences sequences{100};
  // Nothing known yet: a keyed message names no partition, an unkeyed one partition 0.
  CHECK(sequences.assign("orders", "k1") == std::pair<std::int64_t, std::uint64_t>{-1, 0});
  CHECK(sequences.assign("orders", "") == std::pair<std::int64_t, std::uint64_t>{0, 0});
  // The first acknowledgement says the topic has 4 partitions and where the message went.
  const std::int64_t p1 = partition_for_key("k1", 4);
  sequences.acknowledged("orders", 4, p1, 0);
  CHECK(sequences.assign("orders", "k1") == std::pair<std::int64_t, std::uint64_t>{p1, 1});
  CHECK(sequences.assign("orders", "k1") == std::pair<std::int64_t, std::uint64_t>{p1, 2});
  // Another topic counts on its own.
  CHECK(sequences.assign("audit", "k1").second == 0);
  CHECK(sequences.producer_id() == 100);
  sequences.reset();
  CHECK(sequences.producer_id() == 101);
  CHECK(sequences.assign("orders", "k1") == std::pair<std::int64_t, std::uint64_t>{p1, 0});
}
