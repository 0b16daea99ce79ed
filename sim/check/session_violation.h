// The pieces shared by the session guarantee checks (session_guarantees.h): the collector of
// violations with their words, and the rules that judge reads by other sessions (monotonic
// writes and writes-follow-reads, in session_order.cc).
#pragma once

#include <array>
#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/check/history_index.h"

namespace capsim {

enum class Guarantee { kReadYourWrites, kMonotonicReads, kMonotonicWrites, kWritesFollowReads };

// "read-your-writes", "monotonic-reads", "monotonic-writes", "writes-follow-reads".
std::string_view guarantee_name(Guarantee guarantee);

// "wrote 7 to k1", or for a cas "set k1 from 3 to 7 by cas".
std::string write_phrase(const Operation& write);

// When the update at `pos` was known done: "ok at 1.900s", or for one of unknown outcome "outcome
// unknown, known done at 2.300s when process 4 read its value".
std::string done_phrase(const HistoryIndex& index, std::size_t pos);

// The tail of a sentence about a read that saw `source`, older than the write `newer`:
// "nil, as if nothing had been written" or "5, an older value (write of 5 by process 1 completed
// at 1.900s, before the write of 7 began at 2.000s)". Appends the older write's position to
// `named` when it names it.
std::string older_value_phrase(const HistoryIndex& index, const ReadSource& source,
                               const Operation& newer, std::vector<std::size_t>& named);

class SessionViolations {
 public:
  static constexpr std::size_t kShown = 20;     // kept in words per guarantee
  static constexpr std::size_t kExplained = 3;  // of those, put in the explanation

  explicit SessionViolations(const HistoryIndex& index) : index_(index) {}

  // Counts one violation of `guarantee`. `text` is the sentence without its event list;
  // `named` the positions (in index.operations()) of the operations it names, in order.
  void add(Guarantee guarantee, std::string text, std::vector<std::size_t> named);
  // Counts the read at `pos` as judged: some guarantee held it to something (the evidence).
  void judged(std::size_t pos) { judged_.insert(pos); }
  std::size_t judged_reads() const { return judged_.size(); }
  // True while another violation of `guarantee` would still be kept in words.
  bool wants_words(Guarantee guarantee) const;

  std::size_t total() const;
  // `<guarantee>_violations` for each guarantee (underscores for dashes) and `violations`.
  void fill_metrics(std::map<std::string, double>& metrics) const;
  // See session_guarantees.h.
  nlohmann::json details(std::size_t sessions) const;
  std::vector<std::string> explanation(std::size_t sessions) const;

 private:
  struct Kept {
    std::string text;  // with its event list
    std::vector<std::size_t> named;
  };
  const HistoryIndex& index_;
  std::array<std::size_t, 4> counts_{};
  std::array<std::vector<Kept>, 4> kept_;
  std::set<std::size_t> judged_;
};

// Monotonic writes and writes-follow-reads: reads by any session of a session's writes.
void check_monotonic_writes(const HistoryIndex& index, SessionViolations& out);
void check_writes_follow_reads(const HistoryIndex& index, SessionViolations& out);
// Every guarantee on sets, and read-your-writes and monotonic reads on counters
// (session_collections.cc).
void check_collection_sessions(const HistoryIndex& index, SessionViolations& out);

}  // namespace capsim
