#include "sim/check/linearization_search.h"

#include <algorithm>

#include "sim/assert.h"

namespace capsim {
namespace {

constexpr std::uint32_t kNone = 0xffffffffU;
constexpr std::uint32_t kPollEvery = 4096;

}  // namespace

LinearizationSearch::LinearizationSearch(std::span<const Operation> ops, ModelMachine& machine,
                                         std::size_t cache_limit_bytes)
    : machine_(machine),
      linearized_(0, 0),
      cache_(cache_limit_bytes),
      state_(machine.initial_state()) {
  // Operations with unknown outcomes that cannot change the state constrain nothing.
  std::uint32_t required = 0;
  for (std::uint32_t i = 0; i < ops.size(); ++i) {
    if (!ops[i].is_known() && machine.is_read_only(i)) continue;
    active_.push_back(
        Active{i, 0, ops[i].is_known(), ops[i].is_known() && machine.is_read_only(i)});
    if (ops[i].is_known()) ++required;
  }
  std::uint32_t next_required = 0;
  std::uint32_t next_optional = required;
  for (Active& a : active_) a.bit = a.required ? next_required++ : next_optional++;
  linearized_ = LinearizedSet(required, next_optional - required);
  remaining_ = required;
  build_list(ops);
  cursor_ = list_.head;
  stack_.reserve(active_.size());
  if (remaining_ == 0) finish(SearchOutcome::Status::kLinearizable);
}

void LinearizationSearch::build_list(std::span<const Operation> ops) {
  struct Point {
    std::uint64_t position;
    std::uint32_t slot;
    bool is_call;
  };
  // Invokes come in order already (operations are in invoke order); only completions need
  // sorting before the two runs are merged.
  std::vector<Point> calls;
  std::vector<Point> returns;
  calls.reserve(active_.size());
  returns.reserve(active_.size());
  for (std::uint32_t k = 0; k < active_.size(); ++k) {
    const Operation& op = ops[active_[k].op];
    calls.push_back(Point{op.invoke_index, k, true});
    if (active_[k].required) returns.push_back(Point{*op.complete_index, k, false});
  }
  auto earlier = [](const Point& a, const Point& b) { return a.position < b.position; };
  CAPSIM_ASSERT(std::is_sorted(calls.begin(), calls.end(), earlier));
  std::sort(returns.begin(), returns.end(), earlier);
  std::vector<Point> points(calls.size() + returns.size());
  std::merge(calls.begin(), calls.end(), returns.begin(), returns.end(), points.begin(), earlier);
  const auto n = static_cast<std::uint32_t>(points.size());
  EntryList& list = list_;
  list.head = n;
  list.next.resize(n + 1);
  list.prev.resize(n + 1);
  list.slot.resize(n + 1, kNone);
  list.match.resize(n + 1, kNone);
  list.is_call.resize(n + 1, false);
  std::vector<std::uint32_t> call_of(active_.size(), kNone);
  for (std::uint32_t e = 0; e < n; ++e) {
    list.next[e] = e + 1;
    list.prev[e] = e == 0 ? n : e - 1;
    list.slot[e] = points[e].slot;
    list.is_call[e] = points[e].is_call;
    if (points[e].is_call) {
      call_of[points[e].slot] = e;
    } else {
      list.match[call_of[points[e].slot]] = e;
    }
  }
  list.next[n] = n == 0 ? n : 0;
  list.prev[n] = n == 0 ? n : n - 1;
}

void LinearizationSearch::lift(std::uint32_t call) {
  auto unlink = [this](std::uint32_t e) {
    list_.next[list_.prev[e]] = list_.next[e];
    list_.prev[list_.next[e]] = list_.prev[e];
  };
  unlink(call);
  if (list_.match[call] != kNone) unlink(list_.match[call]);
}

void LinearizationSearch::unlift(std::uint32_t call) {
  auto relink = [this](std::uint32_t e) {
    list_.next[list_.prev[e]] = e;
    list_.prev[list_.next[e]] = e;
  };
  if (list_.match[call] != kNone) relink(list_.match[call]);
  relink(call);
}

void LinearizationSearch::record_best() {
  best_depth_ = static_cast<std::int64_t>(stack_.size());
  outcome_.best_prefix.resize(agree_);
  for (std::size_t d = agree_; d < stack_.size(); ++d) {
    outcome_.best_prefix.push_back(active_[list_.slot[stack_[d].call]].op);
  }
  agree_ = stack_.size();
  outcome_.best_state = state_;
  // The op that must go next and cannot: the owner of the first completion in the list.
  std::uint32_t e = list_.next[list_.head];
  while (e != list_.head && list_.is_call[e]) e = list_.next[e];
  CAPSIM_ASSERT(e != list_.head);
  outcome_.stuck = active_[list_.slot[e]].op;
}

SearchOutcome::Status LinearizationSearch::finish(SearchOutcome::Status status) {
  outcome_.status = status;
  outcome_.states_explored = cache_.size();
  outcome_.cache_bytes = cache_.bytes();
  outcome_.cache_resets = cache_.resets();
  if (status != SearchOutcome::Status::kRunning) {
    // Done: the memory goes back now, not when the checker is done with every key.
    cache_ = SearchCache();
    stack_ = {};
  }
  return status;
}

std::uint32_t LinearizationSearch::find_forced() {
  for (std::uint32_t e = list_.next[list_.head]; e != list_.head && list_.is_call[e];
       e = list_.next[e]) {
    const Active& a = active_[list_.slot[e]];
    ModelState next = 0;
    if (a.forcible && machine_.step(state_, a.op, next)) return e;
  }
  return kNone;
}

void LinearizationSearch::push(std::uint32_t call, ModelState next, bool forced) {
  const std::uint32_t op = active_[list_.slot[call]].op;
  const std::size_t depth = stack_.size();
  if (agree_ == depth && depth < outcome_.best_prefix.size() && outcome_.best_prefix[depth] == op) {
    ++agree_;
  }
  stack_.push_back(Frame{call, state_, forced});
  state_ = next;
  lift(call);
  fresh_ = true;
}

SearchOutcome::Status LinearizationSearch::run(std::uint64_t steps,
                                               const std::function<bool()>& should_stop) {
  if (outcome_.status != SearchOutcome::Status::kRunning) return outcome_.status;
  std::uint32_t cur = cursor_;
  for (std::uint64_t step = 0;; ++step) {
    if (step == steps) {
      cursor_ = cur;
      outcome_.steps += step;
      return finish(SearchOutcome::Status::kRunning);
    }
    if ((step + 1) % kPollEvery == 0 && should_stop && should_stop()) {
      outcome_.steps += step;
      return finish(SearchOutcome::Status::kStopped);
    }
    if (fresh_) {
      // A new configuration: first look for an operation to lift without alternatives.
      fresh_ = false;
      cur = list_.next[list_.head];
      if (const std::uint32_t forced = find_forced(); forced != kNone) {
        const Active& a = active_[list_.slot[forced]];
        linearized_.set(a.bit);
        if (cache_.insert(linearized_, state_)) {
          push(forced, state_, /*forced=*/true);
          if (--remaining_ == 0) {
            outcome_.steps += step + 1;
            return finish(SearchOutcome::Status::kLinearizable);
          }
          continue;
        }
        // Seen before and failed; since the forced lift loses nothing, so does this one.
        linearized_.clear(a.bit);
        cur = list_.head;
      }
    }
    if (cur != list_.head && list_.is_call[cur]) {
      const Active& a = active_[list_.slot[cur]];
      ModelState next = 0;
      if (machine_.step(state_, a.op, next)) {
        linearized_.set(a.bit);
        if (cache_.insert(linearized_, next)) {
          push(cur, next, /*forced=*/false);
          if (a.required && --remaining_ == 0) {
            outcome_.steps += step + 1;
            return finish(SearchOutcome::Status::kLinearizable);
          }
          continue;
        }
        linearized_.clear(a.bit);
      }
      cur = list_.next[cur];
      continue;
    }
    // A completion comes before any open operation could be placed: stuck here.
    if (static_cast<std::int64_t>(stack_.size()) > best_depth_) record_best();
    if (stack_.empty()) {
      outcome_.steps += step + 1;
      return finish(SearchOutcome::Status::kNotLinearizable);
    }
    const Frame frame = stack_.back();
    stack_.pop_back();
    agree_ = std::min(agree_, stack_.size());
    const Active& a = active_[list_.slot[frame.call]];
    linearized_.clear(a.bit);
    state_ = frame.state_before;
    unlift(frame.call);
    if (a.required) ++remaining_;
    // After a forced lift there is nothing else to try here: the configuration failed.
    cur = frame.forced ? list_.head : list_.next[frame.call];
  }
}

}  // namespace capsim
