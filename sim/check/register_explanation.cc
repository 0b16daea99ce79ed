#include "sim/check/register_explanation.h"

#include <algorithm>
#include <optional>

#include "sim/check/violation_explanation.h"

namespace capsim {
namespace {

// How many operations of one kind a sentence lists before "and N more".
constexpr std::size_t kListed = 3;

// The value an operation writes when it takes effect: a write's input, a cas's new value.
std::optional<Value> written_value(const Operation& op) {
  if (op.f == "write") return op.input;
  if (op.f == "cas" && op.input.is_list() && op.input.list().size() == 2) {
    return op.input.list()[1];
  }
  return std::nullopt;
}

bool writes(const Operation& op, const Value& value) {
  const std::optional<Value> written = written_value(op);
  return written && *written == value;
}

// The value the stuck operation needs the register to hold: what a read returned, what a
// successful cas expected.
std::optional<Value> needed_value(const Operation& op) {
  if (op.f == "read") return op.output;
  if (op.f == "cas" && op.input.is_list() && op.input.list().size() == 2) {
    return op.input.list()[0];
  }
  return std::nullopt;
}

std::string instant(bool has_times, std::uint64_t index, Time time) {
  return has_times ? format_seconds(time) : "event " + std::to_string(index);
}

// "A, B and C", or "A, B, C and 4 more" past kListed.
std::string listing(const std::vector<std::string>& items) {
  std::vector<std::string> shown(
      items.begin(), items.begin() + static_cast<std::ptrdiff_t>(std::min(items.size(), kListed)));
  if (items.size() > shown.size()) {
    shown.push_back(std::to_string(items.size() - shown.size()) + " more");
  }
  std::string text;
  for (std::size_t i = 0; i < shown.size(); ++i) {
    text += (i == 0 ? "" : i + 1 == shown.size() ? " and " : ", ") + shown[i];
  }
  return text;
}

class Prover {
 public:
  Prover(std::span<const Operation> ops, std::uint32_t stuck, std::span<const Operation> failed,
         const std::map<std::uint64_t, std::string>& errors, bool has_times)
      : ops_(ops), stuck_(stuck), failed_(failed), errors_(errors), has_times_(has_times) {}

  RegisterProof prove() {
    const Operation& op = ops_[stuck_];
    const std::optional<Value> needed = needed_value(op);
    if (!op.is_known() || !needed) return {};
    v_ = *needed;
    v_text_ = v_.is_nil() ? "nil" : v_.to_text();
    const std::uint64_t end = *op.complete_index;
    std::vector<std::uint32_t> writers, later;
    for (std::uint32_t i = 0; i < ops_.size(); ++i) {
      if (i == stuck_ || !writes(ops_[i], v_)) continue;
      (ops_[i].invoke_index < end ? writers : later).push_back(i);
    }
    if (writers.empty() && !v_.is_nil()) return nothing_wrote(later);
    return overwritten(writers);
  }

  // The operations that write the value the stuck operation needs, quoted, whatever their
  // outcome: the decisive ones for a reader checking the search's order by hand.
  RegisterProof writers_of_needed() {
    const Operation& op = ops_[stuck_];
    const std::optional<Value> needed = needed_value(op);
    if (!needed) return {};
    v_ = *needed;
    v_text_ = v_.is_nil() ? "nil" : v_.to_text();
    std::vector<std::string> quoted;
    for (std::uint32_t i = 0; i < ops_.size(); ++i) {
      if (i != stuck_ && writes(ops_[i], v_)) quoted.push_back(quote(i));
    }
    for (std::size_t i = 0; i < failed_.size(); ++i) {
      if (writes(failed_[i], v_)) quoted.push_back(quote_failed(i));
    }
    if (quoted.empty()) {
      if (v_.is_nil()) return {};
      proof_.text = "No operation in the history writes " + v_text_ + ".";
    } else {
      proof_.text = v_text_ + (quoted.size() == 1 ? " is written only by " : " is written by ") +
                    listing(quoted) + ".";
    }
    return std::move(proof_);
  }

 private:
  std::string quote(std::uint32_t i) {
    proof_.quoted.push_back(i);
    return "the " + quote_operation(ops_[i], has_times_);
  }
  std::string quote_failed(std::size_t i) {
    proof_.quoted_failed.push_back(i);
    const auto reason = errors_.find(failed_[i].invoke_index);
    return "the " +
           quote_operation(failed_[i], has_times_, reason == errors_.end() ? "" : reason->second);
  }
  // "read at event 12" / "found by the cas at event 12, which succeeded".
  std::string used_at() const {
    const std::string at = "event " + std::to_string(ops_[stuck_].invoke_index);
    return ops_[stuck_].f == "read" ? "read at " + at : "found by the cas at " + at + ", which succeeded";
  }
  // "yet it returned 474" / "yet it succeeded on 474".
  std::string yet() const {
    return ops_[stuck_].f == "read" ? "yet it returned " + v_text_
                                    : "yet it succeeded on " + v_text_;
  }

  // No operation that could have taken effect before the stuck one completed writes v.
  RegisterProof nothing_wrote(const std::vector<std::uint32_t>& later) {
    std::vector<std::size_t> failed_writers;
    for (std::size_t i = 0; i < failed_.size(); ++i) {
      if (failed_[i].invoke_index < *ops_[stuck_].complete_index && writes(failed_[i], v_)) {
        failed_writers.push_back(i);
      }
    }
    std::string text;
    if (!failed_writers.empty()) {
      std::vector<std::string> quoted;
      for (std::size_t i : failed_writers) quoted.push_back(quote_failed(i));
      const bool one = failed_writers.size() == 1;
      const Operation& first = failed_[failed_writers.front()];
      text =
          std::string(one ? "The only operation that writes " : "The only operations that write ") +
          v_text_ + " before it completed " + (one ? "is " : "are ") + listing(quoted) + ": " +
          (one ? "the " : "they were all reported failed, yet the ") + first.f + " at event " +
          std::to_string(first.invoke_index) + (one ? " reported fail but its value " : "'s value ") +
          v_text_ + " was " + used_at() + ", so a failed operation took effect.";
    } else if (!later.empty()) {
      text = "Every operation that writes " + v_text_ +
             " was invoked after it completed, the "
             "first being " +
             quote(later.front()) + "; " + yet() + ".";
    } else {
      text = "No operation in the history writes " + v_text_ + "; " + yet() + ".";
    }
    proof_.text = std::move(text);
    return std::move(proof_);
  }

  // v was overwritten for good before the stuck operation began.
  RegisterProof overwritten(const std::vector<std::uint32_t>& writers) {
    // The last completion among the writes of v; an unknown outcome may take effect at any
    // time, so then nothing can be proved this way.
    std::int64_t last_v = -1;  // -1: only the initial nil
    for (std::uint32_t i : writers) {
      if (!ops_[i].is_known()) return {};
      last_v = std::max(last_v, static_cast<std::int64_t>(*ops_[i].complete_index));
    }
    const std::uint64_t begin = ops_[stuck_].invoke_index;
    // The witness that completed last before the stuck operation began.
    std::optional<std::uint32_t> witness;
    std::vector<std::uint32_t> witness_writers;
    for (std::uint32_t x = 0; x < ops_.size(); ++x) {
      const Operation& op = ops_[x];
      if (x == stuck_ || !op.is_known() || *op.complete_index >= begin) continue;
      std::vector<std::uint32_t> sources;  // the operations that put w in the register
      bool began_after_v = false;          // a read of w that itself began after every v
      if (const std::optional<Value> w = written_value(op)) {
        if (*w == v_) continue;
        sources.push_back(x);
      } else if (op.f == "read") {
        if (op.output == v_ || op.output.is_nil()) continue;
        for (std::uint32_t i = 0; i < ops_.size(); ++i) {
          if (writes(ops_[i], op.output)) sources.push_back(i);
        }
        // At its instant every write of v had taken effect and the register held w, so v
        // cannot come back, whoever wrote w and whenever.
        began_after_v = !writers.empty() && static_cast<std::int64_t>(op.invoke_index) > last_v;
      } else {
        continue;
      }
      // Naming the writers of w says more, so that form is preferred when both hold.
      const bool sources_after_v =
          !sources.empty() && std::all_of(sources.begin(), sources.end(), [&](std::uint32_t i) {
            return static_cast<std::int64_t>(ops_[i].invoke_index) > last_v;
          });
      if (!sources_after_v && !began_after_v) continue;
      if (!sources_after_v) sources.clear();
      if (!witness || *op.complete_index > *ops_[*witness].complete_index) {
        witness = x;
        witness_writers = std::move(sources);
      }
    }
    if (!witness) return {};
    const Operation& x = ops_[*witness];
    const std::string began = "Before it began at " +
                              instant(has_times_, begin, ops_[stuck_].invoke_time) + ", " +
                              quote(*witness);
    std::string text;
    if (writers.empty()) {
      // v is nil and nothing writes nil: any value seen or written rules nil out.
      text = began + (x.f == "read" ? "" : " had taken effect") +
             ", and no operation writes nil, so the register could no longer hold nil; " + yet() +
             ".";
    } else {
      std::vector<std::string> v_writes;
      for (std::uint32_t i : writers) v_writes.push_back(quote(i));
      const std::string every_v =
          std::string(writers.size() == 1 ? "the only write of " : "every write of ") + v_text_ +
          " (" + listing(v_writes) + ") had completed";
      if (x.f == "read" && witness_writers.empty()) {
        text = began + ", and that read began after " + every_v + ".";
      } else if (x.f == "read") {
        const std::string w = x.output.to_text();
        std::vector<std::string> w_writes;
        for (std::uint32_t i : witness_writers) w_writes.push_back(quote(i));
        text = began + "; " + w + " is written only by " + listing(w_writes) + ", invoked after " +
               every_v + ".";
      } else {
        text = began + " overwrote " + v_text_ + ": it was invoked after " + every_v + ".";
      }
      text += " So " + v_text_ + " had been overwritten for good; " + yet() + ".";
    }
    proof_.text = std::move(text);
    return std::move(proof_);
  }

  std::span<const Operation> ops_;
  std::uint32_t stuck_;
  std::span<const Operation> failed_;
  const std::map<std::uint64_t, std::string>& errors_;
  bool has_times_;
  Value v_;
  std::string v_text_;
  RegisterProof proof_;
};

}  // namespace

std::string quote_operation(const Operation& op, bool has_times, const std::string& error) {
  const bool is_read = op.f == "read";
  std::string text = describe_operation(op, !is_read);
  if (is_read && op.is_known()) {
    // A long set in full would drown the sentence; the explanation names the elements that
    // matter, and summary.json's details hold the whole value.
    const bool long_list = op.output.is_list() && op.output.list().size() > 8;
    text += " returned " + (op.output.is_nil() ? std::string("nil")
                            : long_list ? "a set of " + std::to_string(op.output.list().size()) +
                                              " elements"
                                        : op.output.to_text());
  }
  text += " [event " + std::to_string(op.invoke_index) + ", ";
  const std::string invoked = instant(has_times, op.invoke_index, op.invoke_time);
  if (!op.complete_index) return text + "invoked at " + invoked + ", never completed]";
  const std::string done = instant(has_times, *op.complete_index, *op.complete_time);
  const std::string span = has_times ? invoked + " to " + done
                                     : "completed at event " + std::to_string(*op.complete_index);
  if (op.outcome == OpType::kOk) return text + span + ", ok]";
  if (op.outcome == OpType::kFail) {
    return text + span + ", reported failed" + (error.empty() ? "" : " (" + error + ")") + "]";
  }
  return text + "invoked at " + invoked + ", timed out at " + done + ": outcome unknown]";
}

RegisterProof prove_register_violation(std::span<const Operation> ops, std::uint32_t stuck,
                                       std::span<const Operation> failed,
                                       const std::map<std::uint64_t, std::string>& errors,
                                       bool has_times) {
  return Prover(ops, stuck, failed, errors, has_times).prove();
}

RegisterProof quote_register_writers(std::span<const Operation> ops, std::uint32_t stuck,
                                     std::span<const Operation> failed,
                                     const std::map<std::uint64_t, std::string>& errors,
                                     bool has_times) {
  return Prover(ops, stuck, failed, errors, has_times).writers_of_needed();
}

}  // namespace capsim
