// Builds a History by hand from operations given by their start and end in milliseconds, for
// checker tests. Events are put in time order; events at the same instant keep the order in
// which they were given, so an operation that ends when another starts can be written first.
//
//   HistoryBuilder h;
//   h.op(0, "add", "k1", 1, 1, 10, 20);                          // ok add of 1, 10ms..20ms
//   h.op(1, "add", "k1", 2, {}, 15, 40, OpType::kInfo);          // unknown outcome
//   h.fail(2, "cas", "k1", Value::List{1, 2}, 20, 25, "cas mismatch", true);  // an answer
//   h.final_read(9, "k1", Value::List{1}, 900, 910, "n2", "n1");  // redirected to n1
//   History history = h.history();
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/history.h"
#include "sim/value.h"

namespace capsim::testing {

class HistoryBuilder {
 public:
  // One operation: an invoke at start_ms and, unless end_ms is absent (still pending at the
  // end), a completion of `type` at end_ms. The completion carries `output` when ok, else the
  // input. `node` is the node asked; `answered_by` (default: the same) the one that completed.
  HistoryBuilder& op(std::uint64_t process, std::string f, std::optional<std::string> key,
                     Value input, Value output, int start_ms, std::optional<int> end_ms,
                     OpType type = OpType::kOk, std::string node = "n1",
                     std::string answered_by = "", bool final_read = false) {
    HistoryEvent invoke;
    invoke.time = ms(start_ms);
    invoke.process = process;
    invoke.type = OpType::kInvoke;
    invoke.f = std::move(f);
    invoke.key = std::move(key);
    invoke.value = input;
    invoke.node = node;
    invoke.final_read = final_read;
    events_.push_back(invoke);
    if (end_ms) {
      HistoryEvent done = invoke;
      done.time = ms(*end_ms);
      done.type = type;
      done.value = type == OpType::kOk ? std::move(output) : std::move(input);
      done.node = answered_by.empty() ? node : answered_by;
      if (type == OpType::kInfo) done.error = "timeout";
      events_.push_back(std::move(done));
    }
    return *this;
  }

  // An operation that failed at end_ms with `error`: a definite answer about the operation
  // when `answered` ("cas mismatch"), else a refusal to serve it ("no leader known").
  HistoryBuilder& fail(std::uint64_t process, std::string f, std::optional<std::string> key,
                       Value input, int start_ms, int end_ms, std::string error, bool answered,
                       std::string node = "n1") {
    op(process, std::move(f), std::move(key), input, Value(), start_ms, end_ms, OpType::kFail,
       std::move(node));
    events_.back().error = std::move(error);
    events_.back().answered = answered;
    return *this;
  }

  // An ok add (set workload) or increment by 1 (counter workload).
  HistoryBuilder& add(std::uint64_t process, std::string key, std::int64_t element, int start_ms,
                      std::optional<int> end_ms, OpType type = OpType::kOk,
                      std::string node = "n1") {
    return op(process, "add", std::move(key), element, element, start_ms, end_ms, type, node);
  }
  HistoryBuilder& increment(std::uint64_t process, std::string key, int start_ms,
                            std::optional<int> end_ms, OpType type = OpType::kOk,
                            std::string node = "n1") {
    return op(process, "increment", std::move(key), 1, 1, start_ms, end_ms, type, node);
  }
  // A write of `v` (register workload); ok unless `type` says otherwise.
  HistoryBuilder& write(std::uint64_t process, std::string key, Value v, int start_ms,
                        std::optional<int> end_ms, OpType type = OpType::kOk,
                        std::string node = "n1") {
    return op(process, "write", std::move(key), v, v, start_ms, end_ms, type, std::move(node));
  }
  // An ordinary ok read.
  HistoryBuilder& read(std::uint64_t process, std::string key, Value got, int start_ms,
                       int end_ms, std::string node = "n1") {
    return op(process, "read", std::move(key), Value(), std::move(got), start_ms, end_ms,
              OpType::kOk, std::move(node));
  }
  // A final read of `key` asked of `node`, answered (ok) by `answered_by` (default: node).
  HistoryBuilder& final_read(std::uint64_t process, std::string key, Value got, int start_ms,
                             int end_ms, std::string node, std::string answered_by = "") {
    return op(process, "read", std::move(key), Value(), std::move(got), start_ms, end_ms,
              OpType::kOk, std::move(node), std::move(answered_by), true);
  }
  // A final read that ended in `type` (fail or info).
  HistoryBuilder& final_read_unanswered(std::uint64_t process, std::string key, int start_ms,
                                        int end_ms, OpType type, std::string node) {
    return op(process, "read", std::move(key), Value(), Value(), start_ms, end_ms, type,
              std::move(node), "", true);
  }

  History history() const {
    std::vector<HistoryEvent> sorted = events_;
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const HistoryEvent& a, const HistoryEvent& b) { return a.time < b.time; });
    History history;
    for (HistoryEvent& event : sorted) history.add(std::move(event));
    return history;
  }

 private:
  static Time ms(int value) { return Time{std::int64_t{value} * 1'000'000}; }

  std::vector<HistoryEvent> events_;
};

}  // namespace capsim::testing
