// The pieces of the log protocol that are pure: the epoch cache and the divergence rule, the
// disk layout, the idempotence window, placement and the group assignment.
#include <doctest/doctest.h>

#include "log_test_util.h"
#include "nodes/queue/log/group_coordinator.h"
#include "nodes/queue/log/partition_log.h"
#include "nodes/queue/log/placement.h"
#include "nodes/queue/log/producer_state.h"
#include "sim/client/partition_for_key.h"

using namespace capsim;
using namespace capsim::log;

namespace {

// A log whose entries have these epochs, one entry each, message ids 100, 101, ...
PartitionLog log_of_epochs(const std::vector<Epoch>& epochs) {
  PartitionLog log;
  for (const Epoch epoch : epochs) {
    LogEntry entry;
    entry.epoch = epoch;
    entry.message_id = Value(100 + log.end_offset());
    log.append(entry);
  }
  return log;
}

}  // namespace

TEST_CASE("log: the epoch cache answers where each epoch ends") {
  // Epoch 1 holds offsets 0..2, epoch 3 offsets 3..4: epoch 1 ends where 3 starts, 2 (absent)
  // answers with 1, 3 ends at the log end, and an epoch below every cached one has no answer.
  const PartitionLog log = log_of_epochs({1, 1, 1, 3, 3});
  CHECK(log.epoch_cache() == std::vector<std::pair<Epoch, Offset>>{{1, 0}, {3, 3}});
  CHECK(log.end_offset_for_epoch(1) == std::pair<Epoch, Offset>{1, 3});
  CHECK(log.end_offset_for_epoch(2) == std::pair<Epoch, Offset>{1, 3});
  CHECK(log.end_offset_for_epoch(3) == std::pair<Epoch, Offset>{3, 5});
  CHECK(log.end_offset_for_epoch(9) == std::pair<Epoch, Offset>{3, 5});
  CHECK(log_of_epochs({2}).end_offset_for_epoch(1) == std::pair<Epoch, Offset>{0, 0});
}

TEST_CASE("log: truncation drops entries and the epochs that started in them") {
  PartitionLog log = log_of_epochs({1, 1, 2, 2, 4});
  const std::vector<LogEntry> removed = log.truncate_to(3);
  REQUIRE(removed.size() == 2);
  CHECK(removed[0].offset == 3);
  CHECK(log.end_offset() == 3);
  CHECK(log.epoch_cache() == std::vector<std::pair<Epoch, Offset>>{{1, 0}, {2, 2}});
  CHECK(log.truncate_to(7).empty());
}

TEST_CASE("log: a follower truncates where its epochs part from the leader's (KIP-101)") {
  // The follower wrote offsets 2..4 in epoch 1 as a leader nobody copied; the new leader's
  // epoch 1 ends at 2. The follower keeps 0..1.
  const PartitionLog follower = log_of_epochs({1, 1, 1, 1, 1});
  CHECK(divergence_point(follower, 1, 2) == 2);
  // The leader's answer ends beyond the follower: keep everything.
  CHECK(divergence_point(follower, 1, 9) == 5);
  // The leader has epoch 2 where the follower only knows 1 (the follower's largest smaller
  // epoch): truncate to its end and ask again.
  const PartitionLog older = log_of_epochs({1, 1, 3, 3});
  CHECK(divergence_point(older, 2, 2) == 2);
  // Nothing in common.
  CHECK(divergence_point(log_of_epochs({2, 2}), 0, 0) == 0);
}

TEST_CASE("log: the stored log reads back only as far as it was synced") {
  // Entries and the end offset go to the disk's pending layer; a crash before sync loses them.
  PartitionLog log = log_of_epochs({1, 1});
  MemoryDisk disk;
  log.store(disk, 4, 0);
  PartitionLog::store_high_watermark(disk, 4, 1);
  disk.sync();
  LogEntry third;
  third.epoch = 2;
  third.message_id = Value("m");
  third.key = "k";
  third.producer_id = 9;
  third.sequence = 3;
  log.append(third);
  log.store(disk, 4, 2);
  Offset hw = -1;
  CHECK(PartitionLog::load(disk, 4, hw).entries() == log.entries());
  disk.lose_unsynced();
  const PartitionLog loaded = PartitionLog::load(disk, 4, hw);
  CHECK(loaded.end_offset() == 2);
  CHECK(hw == 1);
  CHECK(PartitionLog::load(disk, 5, hw).end_offset() == 0);
  LogEntry decoded;
  REQUIRE(decode_log_entry(encode_log_entry(log.at(2)), decoded));
  CHECK(decoded == log.at(2));
  CHECK_FALSE(decode_log_entry("garbage", decoded));
}

TEST_CASE("log: the idempotence window answers retries of the last five appends") {
  ProducerState state;
  CHECK(state.check(7, 12).check == SequenceCheck::kNew);  // unknown producer: any start
  for (std::uint64_t seq = 0; seq < 7; ++seq) state.record(7, seq, static_cast<Offset>(seq + 10));
  CHECK(state.check(7, 7).check == SequenceCheck::kNew);
  const SequenceVerdict retry = state.check(7, 4);
  CHECK(retry.check == SequenceCheck::kDuplicate);
  CHECK(retry.offset == 14);
  CHECK(state.check(7, 1).check == SequenceCheck::kOutOfOrder);  // older than the window
  CHECK(state.check(7, 9).check == SequenceCheck::kOutOfOrder);  // a gap
  CHECK(state.check(8, 0).check == SequenceCheck::kNew);
}

TEST_CASE("log: partitions spread over the brokers, the preferred leader after n1") {
  const Config config = test::config_for(3, {{"topics", "a,b"}, {"partitions", "2"},
                                             {"replication_factor", "2"}});
  const std::vector<PartitionPlace> places = place_partitions(config);
  REQUIRE(places.size() == 4);
  CHECK(places[0].name() == "a/0");
  CHECK(places[0].replicas == std::vector<NodeId>{1, 2});
  CHECK(places[1].replicas == std::vector<NodeId>{2, 0});
  CHECK(places[2].name() == "b/0");
  CHECK(places[2].replicas == std::vector<NodeId>{0, 1});
  CHECK(find_partition(places, "b", 1) == 3);
  CHECK(find_partition(places, "b", 2) == -1);
  CHECK(find_partition(places, "c", 0) == -1);
}

TEST_CASE("log: keys map to partitions by a fixed hash, and groups split partitions round-robin") {
  CHECK(partition_for_key("customer-7", 1) == 0);
  CHECK(partition_for_key("customer-7", 8) == partition_for_key("customer-7", 8));
  std::set<std::uint32_t> seen;
  for (int k = 0; k < 50; ++k) seen.insert(partition_for_key("k" + std::to_string(k), 4));
  CHECK(seen.size() == 4);
  CHECK(assign_round_robin(5, 2, 0) == std::vector<std::int64_t>{0, 2, 4});
  CHECK(assign_round_robin(5, 2, 1) == std::vector<std::int64_t>{1, 3});
  CHECK(assign_round_robin(2, 3, 2).empty());
}
