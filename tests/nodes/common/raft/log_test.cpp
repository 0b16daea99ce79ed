// The Raft log on its own: the entry encoding, the disk layout across truncation and reload
// (under the host's prefix), the refusal hint and the up-to-date rule voters apply.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "nodes/common/raft/log.h"
#include "toy_replica.h"

using namespace capsim;
using namespace capsim::raft;
using namespace capsim::raft::test;

TEST_CASE("raft: log entries round-trip through their disk encoding") {
  // Commands are bytes the core never reads: separators, digits, line breaks and zero bytes come
  // back unchanged, as do a no-op and an entry without a client. Texts that do not start with
  // the four numbers are refused rather than half-read.
  const std::vector<Entry> entries = {
      noop_entry(3, 1),
      command_entry(3, 2, "5:write2:k1i-9223372036854775808;"),
      command_entry(4, 3, std::string("a,b,\n1,2,3,4,\0~", 15)),
      command_entry(4, 4, ",", kNoNode, 77),
  };
  for (const Entry& entry : entries) {
    CAPTURE(entry.describe());
    Entry decoded;
    REQUIRE(decode_entry(encode_entry(entry), decoded));
    CHECK(decoded == entry);
  }
  Entry ignored;
  CHECK_FALSE(decode_entry("", ignored));
  CHECK_FALSE(decode_entry("1,2,3", ignored));
  CHECK_FALSE(decode_entry("1,2,x,4,cmd", ignored));
  CHECK_FALSE(decode_entry("1,2,99999999999,4,cmd", ignored));  // no such node
  CHECK_FALSE(decode_entry("-1,2,3,4,cmd", ignored));
}

TEST_CASE("raft: an entry describes its command the way its host says") {
  // Without a describer the trace shows the command's size; a no-op is always "noop".
  const Entry entry = command_entry(2, 3, "abc");
  CHECK(entry.describe() == "3@2 command of 3 bytes");
  auto shout = [](std::string_view command) { return "append " + std::string(command); };
  CHECK(entry.describe(+shout) == "3@2 append abc");
  CHECK(noop_entry(2, 4).describe(+shout) == "4@2 noop");
}

TEST_CASE("raft: the log survives a reload, truncation included, and stops at a gap") {
  // Appends and a truncation are written through; a reload sees exactly the surviving entries.
  // Losing an unsynced entry in the middle leaves a log that ends before the gap.
  MemoryDisk disk;
  Log log;
  log.append(disk, command_entry(1, 1, "k1=1"));
  log.append(disk, command_entry(1, 2, "k1=2"));
  log.append(disk, command_entry(2, 3, "k2=3"));
  const std::vector<Entry> removed = log.truncate_from(disk, 2);
  REQUIRE(removed.size() == 2);
  CHECK(removed[0].index == 2);
  CHECK(removed[1].term == 2);
  log.append(disk, command_entry(3, 2, "k3=4"));
  disk.sync();
  bool complete = false;
  const Log reloaded = Log::load(disk, "raft/", &complete);
  CHECK(complete);
  CHECK(reloaded.entries() == log.entries());

  Log longer = reloaded;
  longer.append(disk, command_entry(3, 3, "k1=5"));
  disk.sync();
  disk.erase("raft/log/00000002");
  const Log broken = Log::load(disk, "raft/", &complete);
  CHECK_FALSE(complete);
  CHECK(broken.last_index() == 1);
}

TEST_CASE("raft: logs under different disk prefixes share a disk without meeting") {
  // Two hosts' logs on one disk: each reloads only its own entries, and its keys carry its
  // prefix.
  MemoryDisk disk;
  Log mine("queue/raft/");
  Log theirs;
  mine.append(disk, command_entry(1, 1, "mine"));
  theirs.append(disk, command_entry(1, 1, "theirs"));
  theirs.append(disk, command_entry(1, 2, "theirs too"));
  CHECK(disk.get("queue/raft/log/00000001").has_value());
  CHECK(disk.get("queue/raft/log/length") == std::optional<std::string>("1"));
  const Log reloaded = Log::load(disk, "queue/raft/");
  CHECK(reloaded.entries() == mine.entries());
  CHECK(Log::load(disk, "raft/").entries() == theirs.entries());
}

TEST_CASE("raft: a refused append hints where the leader should resume") {
  // Too short: resume after our last entry. Conflicting term: skip the whole run of that term.
  MemoryDisk disk;
  Log log;
  log.append(disk, command_entry(1, 1, "a"));
  log.append(disk, command_entry(2, 2, "b"));
  log.append(disk, command_entry(2, 3, "c"));
  log.append(disk, command_entry(2, 4, "d"));
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
