#include "sim/check/collection_explanation.h"

#include <algorithm>
#include <optional>
#include <set>

namespace capsim {
namespace {

// How many further operations a sentence names by element and event after the one it quotes.
constexpr std::size_t kAlsoNamed = 10;

std::string instant(bool has_times, std::uint64_t index, Time time) {
  return has_times ? format_seconds(time) : "event " + std::to_string(index);
}

bool is_addition(const Operation& op) { return op.f == "add" || op.f == "increment"; }

// What a read of a set returned, in words: "[1 3]", or "a set of 51 elements".
std::string set_words(const Value::List& elements) {
  if (elements.size() <= 8) return Value(elements).to_text();
  return "a set of " + std::to_string(elements.size()) + " elements";
}

class Quoter {
 public:
  Quoter(std::span<const Operation> ops, std::span<const Operation> failed,
         const std::map<std::uint64_t, std::string>& errors, bool has_times)
      : ops_(ops), failed_(failed), errors_(errors), has_times_(has_times) {}

  std::string quote(std::uint32_t i) {
    proof.quoted.push_back(i);
    return "the " + quote_operation(ops_[i], has_times_);
  }
  std::string quote_failed(std::size_t i) {
    proof.quoted_failed.push_back(i);
    const auto reason = errors_.find(failed_[i].invoke_index);
    return "the " +
           quote_operation(failed_[i], has_times_, reason == errors_.end() ? "" : reason->second);
  }
  // "the add at event 12", for a failed operation already quoted.
  std::string at_event(const Operation& op) const {
    return "the " + op.f + " at event " + std::to_string(op.invoke_index);
  }

  RegisterProof proof;

 private:
  std::span<const Operation> ops_;
  std::span<const Operation> failed_;
  const std::map<std::uint64_t, std::string>& errors_;
  bool has_times_;
};

// ", and so had 2 more adds of elements it lacks: 100 [event 203] and 101 [event 206]".
std::string more_adds(std::span<const Operation> ops, const std::vector<std::uint32_t>& adds) {
  if (adds.size() <= 1) return "";
  std::vector<std::string> named;
  for (std::size_t i = 1; i < adds.size() && named.size() < kAlsoNamed; ++i) {
    named.push_back(ops[adds[i]].input.to_text() + " [event " +
                    std::to_string(ops[adds[i]].invoke_index) + "]");
  }
  if (adds.size() - 1 > named.size()) {
    named.push_back(std::to_string(adds.size() - 1 - named.size()) + " more");
  }
  std::string text;
  for (std::size_t i = 0; i < named.size(); ++i) {
    text += (i == 0 ? "" : i + 1 == named.size() ? " and " : ", ") + named[i];
  }
  const std::size_t more = adds.size() - 1;
  return ", and so had " + std::to_string(more) + (more == 1 ? " more add" : " more adds") +
         " of " + (more == 1 ? "an element" : "elements") + " it lacks: " + text;
}

}  // namespace

std::string element_list(const Value::List& elements, std::size_t named) {
  std::string text;
  const std::size_t shown = std::min(elements.size(), named);
  for (std::size_t i = 0; i < shown; ++i) {
    const bool last = i + 1 == shown && shown == elements.size();
    text += (i == 0 ? "" : last ? " and " : ", ") + elements[i].to_text();
  }
  if (shown < elements.size()) text += " and " + std::to_string(elements.size() - shown) + " more";
  return text;
}

RegisterProof prove_set_violation(std::span<const Operation> ops, std::uint32_t stuck,
                                  std::span<const Operation> failed,
                                  const std::map<std::uint64_t, std::string>& errors,
                                  bool has_times) {
  const Operation& read = ops[stuck];
  if (read.f != "read" || !read.is_known() || !(read.output.is_nil() || read.output.is_list())) {
    return {};
  }
  const Value::List got = read.output.is_list() ? read.output.list() : Value::List{};
  const std::set<Value> held(got.begin(), got.end());
  const std::uint64_t begin = read.invoke_index;
  const std::uint64_t end = *read.complete_index;
  Quoter q(ops, failed, errors, has_times);
  const std::string read_at = "event " + std::to_string(read.invoke_index);

  // An element no add can have put there before the read completed.
  for (const Value& element : held) {
    bool possible = false;
    std::optional<std::uint32_t> later;
    for (std::uint32_t i = 0; i < ops.size(); ++i) {
      if (!is_addition(ops[i]) || ops[i].input != element) continue;
      if (ops[i].invoke_index < end) possible = true;
      if (ops[i].invoke_index >= end && !later) later = i;
    }
    if (possible) continue;
    const std::string e = element.to_text();
    for (std::size_t i = 0; i < failed.size(); ++i) {
      if (!is_addition(failed[i]) || failed[i].input != element || failed[i].invoke_index >= end) {
        continue;
      }
      q.proof.text = "The only operation that adds " + e + " before it completed is " +
                     q.quote_failed(i) + ": " + q.at_event(failed[i]) +
                     " reported fail but its element " + e + " was read at " + read_at +
                     ", so a failed operation took effect.";
      return std::move(q.proof);
    }
    q.proof.text = later ? "Every operation that adds " + e +
                               " was invoked after it completed, the first being " +
                               q.quote(*later) + "; yet it returned a set holding " + e + "."
                         : "No operation in the history adds " + e +
                               "; yet it returned a set holding " + e + ".";
    return std::move(q.proof);
  }

  // Adds of elements the read lacks that completed before it began, earliest completed first.
  std::vector<std::uint32_t> lacking;
  for (std::uint32_t i = 0; i < ops.size(); ++i) {
    const Operation& op = ops[i];
    if (is_addition(op) && op.is_known() && *op.complete_index < begin &&
        held.count(op.input) == 0) {
      lacking.push_back(i);
    }
  }
  if (lacking.empty()) return {};
  std::stable_sort(lacking.begin(), lacking.end(), [&](std::uint32_t a, std::uint32_t b) {
    return *ops[a].complete_index < *ops[b].complete_index;
  });
  Value::List missing;
  for (std::uint32_t i : lacking) {
    if (std::find(missing.begin(), missing.end(), ops[i].input) == missing.end()) {
      missing.push_back(ops[i].input);
    }
  }
  q.proof.text = "Before it began at " + instant(has_times, begin, read.invoke_time) + ", " +
                 q.quote(lacking.front()) + " had completed" + more_adds(ops, lacking) +
                 ". A set only grows, yet it returned " + set_words(got) + ", without " +
                 element_list(missing) + ".";
  return std::move(q.proof);
}

RegisterProof prove_counter_violation(std::span<const Operation> ops, std::uint32_t stuck,
                                      std::span<const Operation> failed,
                                      const std::map<std::uint64_t, std::string>& errors,
                                      bool has_times) {
  const Operation& read = ops[stuck];
  if (read.f != "read" || !read.is_known() || !(read.output.is_nil() || read.output.is_integer())) {
    return {};
  }
  for (const auto list : {ops, failed}) {
    for (const Operation& op : list) {
      if (is_addition(op) && (!op.input.is_integer() || op.input.integer() < 0)) return {};
    }
  }
  const std::int64_t got = read.output.is_nil() ? 0 : read.output.integer();
  const std::uint64_t begin = read.invoke_index;
  const std::uint64_t end = *read.complete_index;
  Quoter q(ops, failed, errors, has_times);
  std::int64_t lower = 0, upper = 0;
  std::vector<std::uint32_t> done, possible;
  for (std::uint32_t i = 0; i < ops.size(); ++i) {
    const Operation& op = ops[i];
    if (!is_addition(op)) continue;
    if (op.is_known() && *op.complete_index < begin) {
      lower += op.input.integer();
      done.push_back(i);
    }
    if (op.invoke_index < end) {
      upper += op.input.integer();
      possible.push_back(i);
    }
  }
  const std::string c = std::to_string(got);
  if (got < lower) {
    // The last to complete is the one after which the count was certainly above the read.
    std::uint32_t last = done.front();
    for (std::uint32_t i : done) {
      if (*ops[i].complete_index > *ops[last].complete_index) last = i;
    }
    q.proof.text = "Before it began at " + instant(has_times, begin, read.invoke_time) + ", " +
                   std::to_string(done.size()) + (done.size() == 1 ? " addition" : " additions") +
                   " summing to " + std::to_string(lower) + " had completed ok, the last being " +
                   q.quote(last) + ". A counter with no negative additions only grows, yet it "
                   "returned " + c + ".";
    return std::move(q.proof);
  }
  if (got <= upper) return {};
  const bool one = possible.size() == 1;
  std::string text = possible.empty()
                         ? "No addition was invoked before it completed"
                         : std::to_string(possible.size()) + (one ? " addition" : " additions") +
                               " summing to " + std::to_string(upper) + (one ? " was" : " were") +
                               " invoked before it completed (ok or of unknown outcome), the last "
                               "being " + q.quote(possible.back());
  text += "; yet it returned " + c;
  std::int64_t refused = 0;
  std::vector<std::size_t> refused_adds;
  for (std::size_t i = 0; i < failed.size(); ++i) {
    if (is_addition(failed[i]) && failed[i].invoke_index < end) {
      refused += failed[i].input.integer();
      refused_adds.push_back(i);
    }
  }
  // More than every addition that may have taken effect: one reported failed took effect, or
  // one was counted twice. Which of the two the history cannot tell.
  if (!refused_adds.empty() && got <= upper + refused) {
    text += ", so an addition reported failed took effect or one was counted twice (" +
            std::to_string(refused_adds.size()) +
            (refused_adds.size() == 1 ? " was" : " were") +
            " reported failed before it completed, the first being " +
            q.quote_failed(refused_adds.front()) + ").";
  } else {
    text += ", more than any operation added.";
  }
  q.proof.text = std::move(text);
  return std::move(q.proof);
}

}  // namespace capsim
