// Monotonic writes and writes-follow-reads: both ask whether reads by any session saw a
// session's writes in an order real time forbids.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <utility>

#include "sim/check/session_violation.h"

namespace capsim {
namespace {

constexpr std::int64_t kNoAge = std::numeric_limits<std::int64_t>::max();

// How old the state a read saw is, on the scale of write invokes: a read is older than the
// write W exactly when its age is below W's invoke index (nil: -1; a write: the index of the
// point it was known done; anything not known to be older than every later write: kNoAge).
std::int64_t age_of(const HistoryIndex& index, const ReadSource& source) {
  if (source.kind == ReadSource::Kind::kInitial) return -1;
  if (source.kind == ReadSource::Kind::kUnknown) return kNoAge;
  const std::optional<std::uint64_t> done = index.done_index(source.write);
  return done ? static_cast<std::int64_t>(*done) : kNoAge;
}

std::string process_text(const Operation& op) { return "process " + std::to_string(op.process); }

// The ok reads of one key in invoke order, with the least age from each position on, so that
// "is there a read of this key, invoked after X, older than W?" takes one binary search.
struct KeyReads {
  std::vector<std::size_t> reads;
  std::vector<std::int64_t> age;
  std::vector<std::int64_t> suffix_min_age;
};

std::map<std::string, KeyReads> index_key_reads(const HistoryIndex& index) {
  std::map<std::string, KeyReads> by_key;
  for (const auto& [key, reads] : index.reads()) {
    KeyReads& entry = by_key[key];
    entry.reads = reads;
    for (std::size_t r : reads) {
      entry.age.push_back(age_of(index, index.source_of_read(index.operations()[r])));
    }
    entry.suffix_min_age = entry.age;
    for (std::size_t i = entry.age.size(); i-- > 1;) {
      entry.suffix_min_age[i - 1] = std::min(entry.suffix_min_age[i - 1], entry.suffix_min_age[i]);
    }
  }
  return by_key;
}

// The first read in `entry` invoked after history index `after`.
std::size_t first_invoked_after(const HistoryIndex& index, const KeyReads& entry,
                                std::uint64_t after) {
  const auto it = std::upper_bound(entry.reads.begin(), entry.reads.end(), after,
                                   [&](std::uint64_t bound, std::size_t r) {
                                     return bound < index.operations()[r].invoke_index;
                                   });
  return static_cast<std::size_t>(it - entry.reads.begin());
}

}  // namespace

void check_monotonic_writes(const HistoryIndex& index, SessionViolations& out) {
  const std::vector<Operation>& ops = index.operations();
  // Each write's place among its session's writes to its key.
  std::vector<std::size_t> rank(ops.size(), 0);
  for (const auto& [process, positions] : index.sessions()) {
    std::map<std::string, std::size_t> next;
    for (std::size_t pos : positions) {
      if (is_write(ops[pos])) rank[pos] = next[key_of(ops[pos])]++;
    }
  }
  // Reads grouped by key and by the session whose write they returned, as (read, write) pairs.
  std::map<std::pair<std::string, std::uint64_t>, std::vector<std::pair<std::size_t, std::size_t>>>
      groups;
  for (const auto& [key, reads] : index.reads()) {
    for (std::size_t r : reads) {
      const ReadSource source = index.source_of_read(ops[r]);
      if (source.kind != ReadSource::Kind::kWrite) continue;
      groups[{key, ops[source.write].process}].emplace_back(r, source.write);
    }
  }
  for (const auto& [group, reads] : groups) {
    auto by_completion = reads;
    std::sort(by_completion.begin(), by_completion.end(), [&](const auto& a, const auto& b) {
      return *ops[a.first].complete_index < *ops[b.first].complete_index;
    });
    // latest[i]: among the first i + 1 reads to complete, the one that saw the latest write.
    std::vector<std::pair<std::size_t, std::size_t>> latest(by_completion.size());
    for (std::size_t i = 0; i < by_completion.size(); ++i) {
      latest[i] = (i == 0 || rank[by_completion[i].second] > rank[latest[i - 1].second])
                      ? by_completion[i]
                      : latest[i - 1];
    }
    for (const auto& [later_read, early_write] : reads) {
      const std::uint64_t invoked = ops[later_read].invoke_index;
      const auto done = std::partition_point(
          by_completion.begin(), by_completion.end(),
          [&](const auto& entry) { return *ops[entry.first].complete_index < invoked; });
      if (done == by_completion.begin()) continue;
      out.judged(later_read);
      const auto [earlier_read, late_write] =
          latest[static_cast<std::size_t>(done - by_completion.begin() - 1)];
      if (rank[late_write] <= rank[early_write]) continue;
      // A process reused after an unknown outcome could have writes that overlap in time.
      if (!index.known_before(early_write, ops[late_write])) continue;
      std::string text;
      if (out.wants_words(Guarantee::kMonotonicWrites)) {
        const Operation& early = ops[early_write];
        const Operation& late = ops[late_write];
        text = process_text(early) + " " + write_phrase(early) + " (" +
               done_phrase(index, early_write) + "), then " + write_phrase(late) +
               " (invoked at " + format_seconds(late.invoke_time) + "); " +
               process_text(ops[earlier_read]) + " read " + ops[earlier_read].output.to_text() +
               " from " + key_phrase(late) + " at " +
               format_seconds(ops[earlier_read].invoke_time) + " (done at " +
               format_seconds(*ops[earlier_read].complete_time) + "), yet " +
               process_text(ops[later_read]) + " read " + key_phrase(late) + " at " +
               format_seconds(ops[later_read].invoke_time) + " and got the earlier " +
               ops[later_read].output.to_text();
      }
      out.add(Guarantee::kMonotonicWrites, std::move(text),
              {early_write, late_write, earlier_read, later_read});
    }
  }
}

void check_writes_follow_reads(const HistoryIndex& index, SessionViolations& out) {
  const std::vector<Operation>& ops = index.operations();
  const std::map<std::string, KeyReads> key_reads = index_key_reads(index);
  std::map<std::size_t, std::vector<std::size_t>> readers;  // write -> ok reads that saw it
  for (const auto& [key, entry] : key_reads) {
    for (std::size_t r : entry.reads) {
      const ReadSource source = index.source_of_read(ops[r]);
      if (source.kind == ReadSource::Kind::kWrite) readers[source.write].push_back(r);
    }
  }
  for (const auto& [process, positions] : index.sessions()) {
    // key -> the session's read so far that saw the write invoked last (see monotonic reads).
    std::map<std::string, std::size_t> freshest;
    for (std::size_t pos : positions) {
      const Operation& op = ops[pos];
      if (is_read(op) && op.outcome == OpType::kOk) {
        const ReadSource source = index.source_of_read(op);
        if (source.kind != ReadSource::Kind::kWrite) continue;
        auto [it, inserted] = freshest.emplace(key_of(op), pos);
        if (!inserted && ops[source.write].invoke_index >
                             ops[index.source_of_read(ops[it->second]).write].invoke_index) {
          it->second = pos;
        }
        continue;
      }
      auto seen = readers.find(pos);
      if (!is_write(op) || seen == readers.end()) continue;
      for (const auto& [key, dependency_read] : freshest) {
        const std::size_t dependency = index.source_of_read(ops[dependency_read]).write;
        const auto threshold = static_cast<std::int64_t>(ops[dependency].invoke_index);
        const KeyReads& entry = key_reads.at(key);
        for (std::size_t seen_read : seen->second) {
          std::size_t i = first_invoked_after(index, entry, *ops[seen_read].complete_index);
          if (i >= entry.reads.size() || entry.suffix_min_age[i] >= threshold) continue;
          std::vector<std::size_t> named;
          std::string text;
          if (out.wants_words(Guarantee::kWritesFollowReads)) {
            while (entry.age[i] >= threshold) ++i;  // the first such read, to name it
            const std::size_t stale_read = entry.reads[i];
            named = {dependency_read, pos, seen_read, stale_read};
            const Operation& stale = ops[stale_read];
            text = process_text(op) + " read " + ops[dependency_read].output.to_text() + " from " +
                   key_phrase(stale) + " at " + format_seconds(ops[dependency_read].invoke_time) +
                   ", then " + write_phrase(op) + " (invoked at " + format_seconds(op.invoke_time) +
                   "); " + process_text(ops[seen_read]) + " read " +
                   ops[seen_read].output.to_text() + " from " + key_phrase(op) + " at " +
                   format_seconds(ops[seen_read].invoke_time) + " (done at " +
                   format_seconds(*ops[seen_read].complete_time) + "), yet " + process_text(stale) +
                   " read " + key_phrase(stale) + " at " + format_seconds(stale.invoke_time) +
                   " and got " +
                   older_value_phrase(index, index.source_of_read(stale), ops[dependency], named);
          }
          out.add(Guarantee::kWritesFollowReads, std::move(text), std::move(named));
          break;  // one violation per write and key
        }
      }
    }
  }
}

}  // namespace capsim
