// The Raft log on its own: the entry encoding, the disk layout across truncation and reload,
// the refusal hint and the up-to-date rule voters apply.
#include <doctest/doctest.h>

#include <limits>

#include "raft_test_util.h"

using namespace capsim;
using namespace capsim::raft;
using namespace capsim::raft::test;

TEST_CASE("raft: log entries round-trip through their disk encoding") {
  // Every kind of value, awkward bytes in keys and strings, and a no-op come back unchanged;
  // corrupt texts are refused rather than half-read.
  const std::vector<Entry> entries = {
      noop_entry(3, 1),
      op_entry(3, 2, "write", "k1", Value(std::numeric_limits<std::int64_t>::min())),
      op_entry(4, 3, "cas", "k:2,'[", Value(Value::List{Value(), Value("a'b[2]#~")})),
      op_entry(4, 4, "add", "", Value(Value::List{Value(Value::List{1, 2}), Value("")}), kNoNode,
               77),
  };
  for (const Entry& entry : entries) {
    CAPTURE(entry.describe());
    Entry decoded;
    REQUIRE(decode_entry(encode_entry(entry), decoded));
    CHECK(decoded == entry);
  }
  Entry ignored;
  const std::string good = encode_entry(entries[2]);
  CHECK_FALSE(decode_entry(good.substr(0, good.size() - 1), ignored));
  CHECK_FALSE(decode_entry(good + "~", ignored));
  CHECK_FALSE(decode_entry("", ignored));
  CHECK_FALSE(decode_entry("1,2,3,4,99:write", ignored));
}

TEST_CASE("raft: the log survives a reload, truncation included, and stops at a gap") {
  // Appends and a truncation are written through; a reload sees exactly the surviving entries.
  // Losing an unsynced entry in the middle leaves a log that ends before the gap.
  MemoryDisk disk;
  Log log;
  log.append(disk, write_entry(1, 1, "k1", 1));
  log.append(disk, write_entry(1, 2, "k1", 2));
  log.append(disk, write_entry(2, 3, "k2", 3));
  const std::vector<Entry> removed = log.truncate_from(disk, 2);
  REQUIRE(removed.size() == 2);
  CHECK(removed[0].index == 2);
  CHECK(removed[1].term == 2);
  log.append(disk, write_entry(3, 2, "k3", 4));
  disk.sync();
  bool complete = false;
  const Log reloaded = Log::load(disk, &complete);
  CHECK(complete);
  CHECK(reloaded.entries() == log.entries());

  Log longer = reloaded;
  longer.append(disk, write_entry(3, 3, "k1", 5));
  disk.sync();
  disk.erase("raft/log/00000002");
  const Log broken = Log::load(disk, &complete);
  CHECK_FALSE(complete);
  CHECK(broken.last_index() == 1);
}

TEST_CASE("raft: a refused append hints where the leader should resume") {
  // Too short: resume after our last entry. Conflicting term: skip the whole run of that term.
  MemoryDisk disk;
  Log log;
  log.append(disk, write_entry(1, 1, "k", 1));
  log.append(disk, write_entry(2, 2, "k", 2));
  log.append(disk, write_entry(2, 3, "k", 3));
  log.append(disk, write_entry(2, 4, "k", 4));
  CHECK(log.refusal_hint(9) == 4);
  CHECK(log.refusal_hint(4) == 1);  // entries 2..4 are all of term 2
  CHECK(log.refusal_hint(1) == 0);
  CHECK(log.matches(0, 0));
  CHECK(log.matches(3, 2));
  CHECK_FALSE(log.matches(3, 3));
  CHECK_FALSE(log.matches(5, 2));
}

TEST_CASE("raft: a later last term wins the up-to-date comparison, then the longer log") {
  CHECK(is_at_least_as_up_to_date(3, 1, 2, 9));
  CHECK_FALSE(is_at_least_as_up_to_date(2, 9, 3, 1));
  CHECK(is_at_least_as_up_to_date(2, 5, 2, 5));
  CHECK_FALSE(is_at_least_as_up_to_date(2, 4, 2, 5));
  CHECK(is_at_least_as_up_to_date(0, 0, 0, 0));
}
