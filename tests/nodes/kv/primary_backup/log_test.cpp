#include <doctest/doctest.h>

#include "nodes/kv/primary_backup/log.h"
#include "pb_test_util.h"

using namespace capsim;
using namespace capsim::pb;
using capsim::pb::test::noop;
using capsim::pb::test::put;

TEST_CASE("pb: a log entry survives encoding with every kind of value") {
  // Entries reach the disk as text; each Value shape, including awkward strings, must come back.
  const std::vector<Entry> entries = {
      put(1, 1, "k1", 7),
      put(2, 2, "k2", Value(std::int64_t{-9223372036854775807LL - 1})),
      put(3, 3, "k 3", Value("a:b;c\nd")),
      put(3, 4, "k4", Value(Value::List{1, Value("x"), Value(), Value::List{2, 3}})),
      noop(4, 5),
      test::asked(put(4, 6, "k6", 1), 7, 123456789),  // the request it came from, too
  };
  for (const Entry& entry : entries) {
    Entry decoded;
    REQUIRE(decode_entry(encode_entry(entry), decoded));
    CHECK(decoded == entry);
  }
}

TEST_CASE("pb: decoding rejects text that no entry encodes to") {
  // A damaged disk record is refused rather than read as some other entry.
  Entry decoded;
  CHECK_FALSE(decode_entry("", decoded));
  CHECK_FALSE(decode_entry("1 1 2:k1", decoded));       // no value
  CHECK_FALSE(decode_entry("1 1 2:k1i7", decoded));     // integer without terminator
  CHECK_FALSE(decode_entry("1 1 9:k1i7;", decoded));    // key longer than the text
  CHECK_FALSE(decode_entry("1 1 2:k1i7;x", decoded));   // trailing bytes
  CHECK_FALSE(decode_entry("1 1 2:k1l5:i1;", decoded)); // list shorter than announced
}

TEST_CASE("pb: a later last epoch beats a longer log") {
  // The voting rule: compare the last entries' epochs first, then the lengths.
  CHECK(is_at_least_as_up_to_date(2, 1, 1, 9));
  CHECK_FALSE(is_at_least_as_up_to_date(1, 9, 2, 1));
  CHECK(is_at_least_as_up_to_date(2, 5, 2, 5));
  CHECK_FALSE(is_at_least_as_up_to_date(2, 4, 2, 5));
  CHECK(is_at_least_as_up_to_date(0, 0, 0, 0));
}

TEST_CASE("pb: the log reloads from disk after appends and a truncation") {
  // One key per entry plus the length: what load() reads must be exactly what was kept.
  MemoryDisk disk;
  Log log;
  log.append(disk, put(1, 1, "k1", 1));
  log.append(disk, put(1, 2, "k1", 2));
  log.append(disk, put(1, 3, "k2", 3));
  const std::vector<Entry> removed = log.truncate_from(disk, 2);
  REQUIRE(removed.size() == 2);
  CHECK(removed[0].index == 2);
  log.append(disk, noop(2, 2));
  CHECK(log.matches(2, 2));
  CHECK_FALSE(log.matches(2, 1));
  CHECK_FALSE(log.matches(3, 2));
  CHECK(log.matches(0, 0));

  const Log reloaded = Log::load(disk);
  CHECK(reloaded.entries() == log.entries());
  CHECK(reloaded.last_index() == 2);
  CHECK(reloaded.last_epoch() == 2);
  CHECK_FALSE(disk.get(log_key(3)).has_value());
  CHECK(log_key(42) == "log/00000042");
}

TEST_CASE("pb: a slice stops at the end of the log and at its size limit") {
  // Replicate batches come from slice(); they must never run past the log.
  MemoryDisk disk;
  Log log;
  for (Index i = 1; i <= 5; ++i) log.append(disk, put(1, i, "k1", static_cast<int>(i)));
  CHECK(log.slice(4, 10).size() == 2);
  CHECK(log.slice(1, 3).size() == 3);
  CHECK(log.slice(1, 3).back().index == 3);
  CHECK(log.slice(6, 10).empty());
}

TEST_CASE("pb: a log with a hole on disk loads up to the hole") {
  // A fault can drop unsynced entries while later ones reach the disk; loading keeps the
  // consistent prefix and says it stopped early instead of stopping the run.
  MemoryDisk disk;
  Log log;
  for (Index i = 1; i <= 4; ++i) log.append(disk, put(1, i, "k1", static_cast<int>(i)));
  disk.sync();
  disk.erase(log_key(3));
  bool complete = true;
  const Log loaded = Log::load(disk, &complete);
  CHECK_FALSE(complete);
  CHECK(loaded.last_index() == 2);

  disk.put("log/length", "not a number");
  CHECK(Log::load(disk, &complete).last_index() == 0);
  CHECK_FALSE(complete);
}
