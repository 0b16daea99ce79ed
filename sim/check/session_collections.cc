// Session guarantees on sets and counters (session_guarantees.h). A set read shows every element
// it holds, so a guarantee is broken exactly when a read lacks an element it had to hold; a count
// shows only a total, so a read is held to a lower bound.
#include <algorithm>
#include <set>

#include "sim/check/collection_explanation.h"
#include "sim/check/session_violation.h"

namespace capsim {
namespace {

using ElementSet = std::set<Value>;

ElementSet as_set(const Value& read) {
  const Value::List& elements = *set_elements(read);
  return ElementSet(elements.begin(), elements.end());
}

std::string process_text(const Operation& op) { return "process " + std::to_string(op.process); }

// "got a set of 12 elements without 2 and 5" (or "got [1 3] without 2" when it is short).
std::string got_without(const Operation& read, const std::vector<Value>& missing) {
  const Value::List& elements = *set_elements(read.output);
  const std::string got = elements.size() <= 6 ? read.output.to_text()
                                               : "a set of " + std::to_string(elements.size()) +
                                                     " elements";
  return "got " + got + ", without " + element_list(missing);
}

// The elements of `required` that `read` lacks, in order.
std::vector<Value> missing_from(const ElementSet& read, const ElementSet& required) {
  std::vector<Value> missing;
  for (const Value& element : required) {
    if (read.count(element) == 0) missing.push_back(element);
  }
  return missing;
}

// Read-your-writes and monotonic reads, per session and set: a read must hold every element the
// session added and saw acknowledged, and every element of its earlier reads of that set.
void check_set_session_reads(const HistoryIndex& index, SessionViolations& out) {
  const std::vector<Operation>& ops = index.operations();
  for (const auto& [process, positions] : index.sessions()) {
    std::map<std::string, ElementSet> own;   // key -> elements the session added, acknowledged
    std::map<std::string, ElementSet> seen;  // key -> elements of the session's earlier reads
    std::map<std::string, std::size_t> first_read;  // key -> the session's first ok read
    for (std::size_t pos : positions) {
      const Operation& op = ops[pos];
      const std::string key = key_of(op);
      if (index.kind_of(key) != KeyKind::kSet || op.outcome != OpType::kOk) continue;
      if (is_add(op)) {
        own[key].insert(op.input);
        continue;
      }
      if (!is_read(op)) continue;
      const ElementSet got = as_set(op.output);
      if (own.count(key) || seen.count(key)) out.judged(pos);
      if (auto mine = own.find(key); mine != own.end()) {
        const std::vector<Value> missing = missing_from(got, mine->second);
        if (!missing.empty()) {
          std::string text;
          std::vector<std::size_t> named;
          if (out.wants_words(Guarantee::kReadYourWrites)) {
            // Name the session's add of the first missing element (its own, even when another
            // add of the same element makes adder_of ambiguous).
            std::size_t add = pos;
            for (std::size_t p : positions) {
              if (p >= pos) break;
              if (is_add(ops[p]) && key_of(ops[p]) == key && ops[p].input == missing.front()) add = p;
            }
            named = {add, pos};
            text = process_text(op) + " added " + missing.front().to_text() + " to " +
                   key_phrase(op) + " (ok at " + format_seconds(*ops[add].complete_time) +
                   "), then read " + key_phrase(op) + " at " + format_seconds(op.invoke_time) +
                   " and " + got_without(op, missing) + (missing.size() == 1 ? "," : ", all") +
                   " its own acknowledged " + (missing.size() == 1 ? "add" : "adds");
          }
          out.add(Guarantee::kReadYourWrites, std::move(text), std::move(named));
        }
      }
      if (auto earlier = seen.find(key); earlier != seen.end()) {
        const std::vector<Value> missing = missing_from(got, earlier->second);
        if (!missing.empty()) {
          std::string text;
          std::vector<std::size_t> named;
          if (out.wants_words(Guarantee::kMonotonicReads)) {
            // Name the session's first read that held the first missing element.
            std::size_t holder = first_read.at(key);
            for (std::size_t p : positions) {
              if (p >= pos) break;
              const Operation& e = ops[p];
              if (is_read(e) && e.outcome == OpType::kOk && key_of(e) == key &&
                  as_set(e.output).count(missing.front())) {
                holder = p;
                break;
              }
            }
            named = {holder, pos};
            text = process_text(op) + " read " + key_phrase(op) + " at " +
                   format_seconds(ops[holder].invoke_time) + " and got " +
                   missing.front().to_text() + " in it, then read " + key_phrase(op) + " at " +
                   format_seconds(op.invoke_time) + " and " + got_without(op, missing) +
                   ", elements its earlier reads held";
          }
          out.add(Guarantee::kMonotonicReads, std::move(text), std::move(named));
        }
      }
      first_read.emplace(key, pos);
      seen[key].insert(got.begin(), got.end());
    }
  }
}

// The adds of one session to one set, in order, and each add's place among them.
struct SessionAdds {
  std::vector<std::size_t> adds;
};

// Monotonic writes: a session's adds take effect in its order everywhere, so any read that
// holds an element the session added must hold every element it added, acknowledged, before
// that add began.
void check_set_monotonic_writes(const HistoryIndex& index, SessionViolations& out) {
  const std::vector<Operation>& ops = index.operations();
  std::map<std::pair<std::string, std::uint64_t>, SessionAdds> by_session;
  std::map<std::size_t, std::size_t> rank;  // add -> its place in its session's adds to its key
  for (const auto& [key, updates] : index.writes()) {
    if (index.kind_of(key) != KeyKind::kSet) continue;
    for (std::size_t w : updates) {
      if (!index.adder_of(key, ops[w].input)) continue;  // added twice: proves no order
      SessionAdds& adds = by_session[{key, ops[w].process}];
      rank[w] = adds.adds.size();
      adds.adds.push_back(w);
    }
  }
  for (const auto& [key, reads] : index.reads()) {
    if (index.kind_of(key) != KeyKind::kSet) continue;
    for (std::size_t r : reads) {
      const Operation& read = ops[r];
      const ElementSet got = as_set(read.output);
      // Per session: the latest of its adds the read holds.
      std::map<std::uint64_t, std::size_t> latest;
      for (const Value& element : got) {
        const std::optional<std::size_t> add = index.adder_of(key, element);
        if (!add) continue;
        auto [it, inserted] = latest.emplace(ops[*add].process, *add);
        if (!inserted && rank.at(*add) > rank.at(it->second)) it->second = *add;
      }
      std::vector<Value> missing;
      std::size_t late = 0;
      bool constrained = false;  // the read was held to some earlier add
      for (const auto& [process, last] : latest) {
        const SessionAdds& adds = by_session.at({key, process});
        for (std::size_t i = 0; i < rank.at(last); ++i) {
          const std::size_t early = adds.adds[i];
          if (!index.known_before(early, ops[last])) continue;
          constrained = true;
          if (got.count(ops[early].input) == 0) {
            if (missing.empty()) late = last;
            if (late == last) missing.push_back(ops[early].input);
          }
        }
        if (!missing.empty()) break;
      }
      if (constrained) out.judged(r);
      if (missing.empty()) continue;
      std::string text;
      std::vector<std::size_t> named;
      if (out.wants_words(Guarantee::kMonotonicWrites)) {
        const std::size_t early = *index.adder_of(key, missing.front());
        named = {early, late, r};
        text = process_text(ops[early]) + " added " + missing.front().to_text() + " to " +
               key_phrase(read) + " (" + done_phrase(index, early) + "), then added " +
               ops[late].input.to_text() + " (invoked at " + format_seconds(ops[late].invoke_time) +
               "); " + process_text(read) + " read " + key_phrase(read) + " at " +
               format_seconds(read.invoke_time) + " and got " + ops[late].input.to_text() +
               " but not the earlier " + element_list(missing);
      }
      out.add(Guarantee::kMonotonicWrites, std::move(text), std::move(named));
    }
  }
}

// Where an element came to be required of every later read of a set, for writes-follow-reads.
struct Requirement {
  std::size_t dependency_read;  // the session's read that held the element
  std::size_t add;              // the session's later add that made it a dependency
  std::size_t seen_read;        // the read holding that add, after which it was required
};

// Writes-follow-reads: a session that read a set holding e and then added f (to any set) puts f
// after e; once any read has returned f, every read of the first set invoked after that read
// completed must hold e. For each set, a sweep over its reads in invoke order keeps what has
// become required so far.
void check_set_writes_follow_reads(const HistoryIndex& index, SessionViolations& out) {
  const std::vector<Operation>& ops = index.operations();
  // add -> the earliest-completing ok read that held its element.
  std::map<std::size_t, std::size_t> first_seen;
  for (const auto& [key, reads] : index.reads()) {
    if (index.kind_of(key) != KeyKind::kSet) continue;
    for (std::size_t r : reads) {
      for (const Value& element : *set_elements(ops[r].output)) {
        const std::optional<std::size_t> add = index.adder_of(key, element);
        if (!add) continue;
        auto [it, inserted] = first_seen.emplace(*add, r);
        if (!inserted && *ops[r].complete_index < *ops[it->second].complete_index) it->second = r;
      }
    }
  }
  // Adds that some read returned, in order of when that read completed.
  std::vector<std::pair<std::uint64_t, std::size_t>> visible;  // (completion index, add)
  for (const auto& [add, read] : first_seen) visible.emplace_back(*ops[read].complete_index, add);
  std::sort(visible.begin(), visible.end());
  // Per session: its ok reads of sets in order, to find what it had read before each add.
  std::map<std::uint64_t, std::vector<std::size_t>> session_reads;
  for (const auto& [process, positions] : index.sessions()) {
    for (std::size_t p : positions) {
      const Operation& op = ops[p];
      if (is_read(op) && op.outcome == OpType::kOk && index.kind_of(key_of(op)) == KeyKind::kSet) {
        session_reads[process].push_back(p);
      }
    }
  }
  for (const auto& [key, reads] : index.reads()) {
    if (index.kind_of(key) != KeyKind::kSet) continue;
    std::map<Value, Requirement> required;
    std::map<std::uint64_t, std::size_t> taken;  // session -> how many of its reads are in
    std::size_t next = 0;
    for (std::size_t r : reads) {
      const Operation& read = ops[r];
      for (; next < visible.size() && visible[next].first < read.invoke_index; ++next) {
        const std::size_t add = visible[next].second;
        auto session = session_reads.find(ops[add].process);
        if (session == session_reads.end()) continue;
        std::size_t& done = taken[ops[add].process];
        for (; done < session->second.size() && session->second[done] < add; ++done) {
          const std::size_t dependency = session->second[done];
          if (key_of(ops[dependency]) != key) continue;
          for (const Value& element : *set_elements(ops[dependency].output)) {
            required.emplace(element, Requirement{dependency, add, first_seen.at(add)});
          }
        }
      }
      if (required.empty()) continue;
      out.judged(r);
      const ElementSet got = as_set(read.output);
      std::vector<Value> missing;
      for (const auto& [element, why] : required) {
        if (got.count(element) == 0) missing.push_back(element);
      }
      if (missing.empty()) continue;
      std::string text;
      std::vector<std::size_t> named;
      if (out.wants_words(Guarantee::kWritesFollowReads)) {
        const Requirement& why = required.at(missing.front());
        const Operation& add = ops[why.add];
        named = {why.dependency_read, why.add, why.seen_read, r};
        text = process_text(add) + " read " + key_phrase(read) + " at " +
               format_seconds(ops[why.dependency_read].invoke_time) + " and got " +
               missing.front().to_text() + " in it, then added " + add.input.to_text() + " to " +
               key_phrase(add) + " (invoked at " + format_seconds(add.invoke_time) + "); " +
               process_text(ops[why.seen_read]) + " read " + key_phrase(add) + " at " +
               format_seconds(ops[why.seen_read].invoke_time) + " (done at " +
               format_seconds(*ops[why.seen_read].complete_time) + ") and got " +
               add.input.to_text() + ", yet " + process_text(read) + " read " + key_phrase(read) +
               " at " + format_seconds(read.invoke_time) + " and " + got_without(read, missing);
      }
      out.add(Guarantee::kWritesFollowReads, std::move(text), std::move(named));
    }
  }
}

// Read-your-writes and monotonic reads, per session and counter (increment-only).
//   read-your-writes  a read is at least the session's own acknowledged increments, and at
//                     least what an earlier read of the session returned plus the session's
//                     increments acknowledged since (they were invoked after that read
//                     completed, so it could not have counted them);
//   monotonic reads   a read is at least what every earlier read of the session returned.
void check_counter_session_reads(const HistoryIndex& index, SessionViolations& out) {
  const std::vector<Operation>& ops = index.operations();
  // An earlier read E with own increments since bounds later reads by E + (own now - own at E):
  // the best such E is the one with the highest E - own at E.
  struct Best {
    std::int64_t margin = 0;  // E's count minus the session's own increments when E was read
    std::optional<std::size_t> read;
    void offer(std::int64_t m, std::size_t r) {
      if (!read || m > margin) {
        margin = m;
        read = r;
      }
    }
  };
  for (const auto& [process, positions] : index.sessions()) {
    struct State {
      std::int64_t own = 0;             // the session's acknowledged increments so far
      std::optional<std::size_t> last;  // the session's latest increment
      Best before_last;                 // earlier reads before the latest increment
      Best since_last;                  // earlier reads after it
      Best highest;                     // the earlier read with the highest count (margin: count)
    };
    std::map<std::string, State> states;
    for (std::size_t pos : positions) {
      const Operation& op = ops[pos];
      const std::string key = key_of(op);
      if (index.kind_of(key) != KeyKind::kCounter || op.outcome != OpType::kOk) continue;
      State& state = states[key];
      if (is_increment(op)) {
        state.own += op.input.integer();
        state.last = pos;
        if (state.since_last.read) state.before_last.offer(state.since_last.margin, *state.since_last.read);
        state.since_last = Best{};
        continue;
      }
      if (!is_read(op)) continue;
      const std::int64_t got = *counter_value(op.output);
      if (state.last || state.highest.read) out.judged(pos);
      if (state.highest.read && got < state.highest.margin) {
        std::string text;
        std::vector<std::size_t> named{*state.highest.read, pos};
        if (out.wants_words(Guarantee::kMonotonicReads)) {
          text = process_text(op) + " read " + key_phrase(op) + " at " +
                 format_seconds(ops[*state.highest.read].invoke_time) + " and got " +
                 std::to_string(state.highest.margin) + ", then read it at " +
                 format_seconds(op.invoke_time) + " and got " + std::to_string(got) +
                 ", a lower count of an increment-only counter";
        }
        out.add(Guarantee::kMonotonicReads, std::move(text), std::move(named));
      }
      const std::int64_t after_read =
          state.before_last.read ? state.own + state.before_last.margin : 0;
      // (Without an increment of its own the session holds a read to nothing here.)
      if (state.last && got < std::max(state.own, after_read)) {
        std::string text;
        std::vector<std::size_t> named;
        if (out.wants_words(Guarantee::kReadYourWrites)) {
          if (state.own >= after_read) {
            named = {*state.last, pos};
            text = process_text(op) + " had " + std::to_string(state.own) +
                   " acknowledged increments of " + key_phrase(op) + " (the last ok at " +
                   format_seconds(*ops[*state.last].complete_time) + "), then read it at " +
                   format_seconds(op.invoke_time) + " and got " + std::to_string(got);
          } else {
            const std::size_t earlier = *state.before_last.read;
            const std::int64_t since = after_read - *counter_value(ops[earlier].output);
            named = {earlier, *state.last, pos};
            text = process_text(op) + " read " + key_phrase(op) + " at " +
                   format_seconds(ops[earlier].invoke_time) + " and got " +
                   ops[earlier].output.to_text() + ", then had " + std::to_string(since) +
                   (since == 1 ? " more increment" : " more increments") +
                   " acknowledged (the last ok at " +
                   format_seconds(*ops[*state.last].complete_time) + "), then read it at " +
                   format_seconds(op.invoke_time) + " and got " + std::to_string(got) +
                   ", below " + std::to_string(after_read);
          }
        }
        out.add(Guarantee::kReadYourWrites, std::move(text), std::move(named));
      }
      state.highest.offer(got, pos);
      state.since_last.offer(got - state.own, pos);
    }
  }
}

}  // namespace

void check_collection_sessions(const HistoryIndex& index, SessionViolations& out) {
  check_set_session_reads(index, out);
  check_set_monotonic_writes(index, out);
  check_set_writes_follow_reads(index, out);
  check_counter_session_reads(index, out);
}

}  // namespace capsim
