#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "check/check_test_support.h"
#include "sim/check/kv_history_generator.h"
#include "sim/check/linearizability.h"
#include "sim/rng.h"

namespace capsim {
namespace {

using testing::edn_history;

LinearizabilityResult check(std::string_view edn, std::string_view model = "cas-register") {
  return check_linearizable(edn_history(edn), *find_model(model));
}

TEST_CASE("linearizability: overlapping operations may take effect in either order") {
  // A read concurrent with a write may see the old or the new value.
  for (const char* seen : {"nil", "1"}) {
    CAPTURE(seen);
    const auto result = check(std::string("{:process 0 :type :invoke :f :write :value 1}\n"
                                          "{:process 1 :type :invoke :f :read}\n"
                                          "{:process 1 :type :ok :f :read :value ") +
                              seen +
                              "}\n"
                              "{:process 0 :type :ok :f :write :value 1}\n");
    CHECK(result.verdict == Verdict::kLinearizable);
    CHECK(result.operations_checked == 2);
  }
}

TEST_CASE("linearizability: a stale read is explained with the write it missed") {
  // The read starts after write 5 completed, so it must see 5; the explanation says so in words.
  const auto result = check(
      "{:process 1 :type :invoke :f :write :value 3 :time 10000000000}\n"
      "{:process 1 :type :ok :f :write :value 3 :time 10500000000}\n"
      "{:process 0 :type :invoke :f :write :value 5 :time 12000000000}\n"
      "{:process 0 :type :ok :f :write :value 5 :time 12100000000}\n"
      "{:process 4 :type :invoke :f :read :value nil :time 12250000000}\n"
      "{:process 4 :type :ok :f :read :value 3 :time 12301000000}\n");
  REQUIRE(result.verdict == Verdict::kNotLinearizable);
  CHECK(result.explanation ==
        "read by process 4 returned 3 [event 4, 12.250s to 12.301s, ok] cannot be linearized. "
        "Before it began at 12.250s, the write 5 by process 0 [event 2, 12.000s to 12.100s, ok] "
        "overwrote 3: it was invoked after the only write of 3 (the write 3 by process 1 [event 0, "
        "10.000s to 10.500s, ok]) had completed. So 3 had been overwritten for good; yet it "
        "returned 3.");
  CHECK(result.linearized_prefix == std::vector<std::uint64_t>{0, 2});
  REQUIRE(result.unplaceable.has_value());
  CHECK(result.unplaceable->invoke_index == 4);
  CHECK(result.state_after_prefix == "the register holds 5");
  // The operations the proof quotes, in invoke order: both writes and the read.
  REQUIRE(result.operations.size() == 3);
  CHECK(result.operations[0].invoke_index == 0);
  CHECK(result.operations[1].invoke_index == 2);
  CHECK(result.operations[2].invoke_index == 4);
  CHECK(!result.key.has_value());
}

TEST_CASE("linearizability: a read of a value never written says that no write produced it") {
  // Without times the explanation counts events; the missing writer is named as the cause.
  const auto result = check(
      "{:process 0 :type :invoke :f :write :value 5}\n"
      "{:process 0 :type :ok :f :write :value 5}\n"
      "{:process 4 :type :invoke :f :read :value nil}\n"
      "{:process 4 :type :ok :f :read :value 3}\n");
  REQUIRE(result.verdict == Verdict::kNotLinearizable);
  CHECK(result.explanation ==
        "read by process 4 returned 3 [event 2, completed at event 3, ok] cannot be linearized. No "
        "operation in the history writes 3; yet it returned 3.");
}

TEST_CASE("linearizability: an operation with an unknown outcome may take effect late or never") {
  // An info write may land any time after its invoke, even after later operations began; a
  // never-completed one too; and either may also never happen.
  const char* info_write =
      "{:process 0 :type :invoke :f :write :value 1}\n"
      "{:process 0 :type :info :f :write :value 1}\n"
      "{:process 1 :type :invoke :f :read}\n"
      "{:process 1 :type :ok :f :read :value nil}\n"
      "{:process 1 :type :invoke :f :read}\n"
      "{:process 1 :type :ok :f :read :value 1}\n";
  CHECK(check(info_write).verdict == Verdict::kLinearizable);
  const char* pending_cas =
      "{:process 0 :type :invoke :f :write :value 1}\n"
      "{:process 0 :type :ok :f :write :value 1}\n"
      "{:process 2 :type :invoke :f :cas :value [1 2]}\n"
      "{:process 1 :type :invoke :f :read}\n"
      "{:process 1 :type :ok :f :read :value 1}\n";
  CHECK(check(pending_cas).verdict == Verdict::kLinearizable);
  // But not before its invoke: this read of 1 completes before the write is invoked.
  const char* too_early =
      "{:process 1 :type :invoke :f :read}\n"
      "{:process 1 :type :ok :f :read :value 1}\n"
      "{:process 0 :type :invoke :f :write :value 1}\n"
      "{:process 0 :type :info :f :write :value 1}\n";
  CHECK(check(too_early).verdict == Verdict::kNotLinearizable);
}

TEST_CASE("linearizability: a failed operation did not happen") {
  // Knossos's immediate-failure case: a read cannot see the value of a write that failed.
  const auto result = check(
      "[{:type :invoke, :process 1, :f :read, :value nil}\n"
      "{:type :invoke, :process 101, :f :write, :value 3}\n"
      "{:type :fail, :process 101, :f :write, :value 3}\n"
      "{:type :ok, :process 1, :f :read, :value 3}]\n");
  CHECK(result.verdict == Verdict::kNotLinearizable);
  CHECK(result.operations_checked == 1);
  // The failed write is the only writer of 3: the explanation quotes it as such (it used to
  // say that no operation writing 3 was invoked), and names the read that shows it took effect.
  CHECK(result.explanation.ends_with(
      "The only operation that writes 3 before it completed is the write 3 by process 101 "
      "[event 1, completed at event 2, reported failed]: the write at event 1 reported fail but "
      "its value 3 was read at event 0, so a failed operation took effect."));
  REQUIRE(result.operations.size() == 2);
  CHECK(result.operations[0].invoke_index == 0);
  CHECK(result.operations[1].invoke_index == 1);
  CHECK(result.operations[1].outcome == OpType::kFail);
}

TEST_CASE("linearizability: keyed operations are checked per key and the failing key is named") {
  // Key a is fine; key b has a stale read. The result names b and its operations.
  const auto result = check(
      "{:process 0 :type :invoke :f :write :key \"a\" :value 1}\n"
      "{:process 0 :type :ok :f :write :key \"a\" :value 1}\n"
      "{:process 1 :type :invoke :f :write :key \"b\" :value 2}\n"
      "{:process 1 :type :ok :f :write :key \"b\" :value 2}\n"
      "{:process 2 :type :invoke :f :read :key \"a\"}\n"
      "{:process 2 :type :ok :f :read :key \"a\" :value 1}\n"
      "{:process 2 :type :invoke :f :read :key \"b\"}\n"
      "{:process 2 :type :ok :f :read :key \"b\" :value nil}\n",
      "kv");
  REQUIRE(result.verdict == Verdict::kNotLinearizable);
  CHECK(result.key == std::optional<std::string>("b"));
  CHECK(result.keys_checked == 2);
  CHECK(result.explanation.starts_with(
      "read on key b by process 2 returned nil [event 6, completed at event 7, ok]"));
}

TEST_CASE("linearizability: kv reads Jepsen's [key value] tuples as keys") {
  // The independent-keys encoding checks the same way as explicit keys.
  const auto result = check(
      "{:process 0 :type :invoke :f :write :value [\"x\" 1]}\n"
      "{:process 0 :type :ok :f :write :value [\"x\" 1]}\n"
      "{:process 1 :type :invoke :f :cas :value [\"y\" [nil 2]]}\n"
      "{:process 1 :type :ok :f :cas :value [\"y\" [nil 2]]}\n"
      "{:process 2 :type :invoke :f :read :value [\"y\" nil]}\n"
      "{:process 2 :type :ok :f :read :value [\"y\" 2]}\n",
      "kv");
  CHECK(result.verdict == Verdict::kLinearizable);
  CHECK(result.keys_checked == 2);
}

TEST_CASE("linearizability: malformed histories and unknown operations give unknown, not a guess") {
  // The checker cannot answer about a history it cannot read as operations; it says why.
  const auto orphan = check("{:process 0 :type :ok :f :read :value 1}\n");
  CHECK(orphan.verdict == Verdict::kUnknown);
  CHECK(orphan.error == "event 0: process 0 completed a read (ok) that it never invoked");
  const auto twice =
      check("{:process 0 :type :invoke :f :read}\n{:process 0 :type :invoke :f :read}\n");
  CHECK(twice.error ==
        "event 1: process 0 invoked an operation while its read from event 0 is still open");
  const auto mismatch =
      check("{:process 0 :type :invoke :f :read}\n{:process 0 :type :ok :f :write}\n");
  CHECK(mismatch.error == "event 1: process 0 invoked read at event 0 but completed write");
  const auto foreign = check("{:process 0 :type :invoke :f :enqueue :value 1}\n");
  CHECK(foreign.verdict == Verdict::kUnknown);
  CHECK(foreign.explanation ==
        "The history could not be checked: event 0: model cas-register has no operation "
        "'enqueue' (expected read, write or cas).");
}

TEST_CASE("linearizability: a stop request ends the search with unknown") {
  // The caller's timeout: should_stop is polled, and once it says stop the verdict is unknown.
  Rng rng(3);
  KvHistorySpec spec;
  spec.operations = 20'000;
  spec.keys = 1;
  const History history = generate_kv_history(rng, spec);
  int polls = 0;
  const auto result = check_linearizable(history, *find_model("kv"), [&] { return ++polls > 1; });
  CHECK(result.verdict == Verdict::kUnknown);
  CHECK(polls == 2);
  CHECK(result.error.empty());
  CHECK(result.explanation.starts_with("The check was stopped before it reached a verdict"));
}

TEST_CASE("linearizability: a key whose search ends in the first round is let go at once") {
  // Memory must follow the input, not keys times a search: with 400 keys of a few operations
  // each, every search ends in its first slice and is released before the next key is
  // prepared, so no two are ever held together.
  Rng rng(11);
  KvHistorySpec spec;
  spec.operations = 2'000;
  spec.keys = 400;
  const auto result = check_linearizable(generate_kv_history(rng, spec), *find_model("kv"));
  CHECK(result.verdict == Verdict::kLinearizable);
  CHECK(result.keys_checked > 300);
  CHECK(result.searches_held_max == 1);
}

TEST_CASE("linearizability: a key still searching after the first round is the only one held") {
  // Key "a" has 20,000 operations, more than the first slice has steps (each operation placed
  // is one), so its search is kept for the next round; the 200 small keys after it in key
  // order each come and go beside it, never piling up.
  Rng rng(12);
  KvHistorySpec hard;
  hard.operations = 20'000;
  hard.keys = 1;
  KvHistorySpec easy;
  easy.operations = 1'000;
  easy.keys = 200;
  const History first = generate_kv_history(rng, hard);
  const History second = generate_kv_history(rng, easy);
  History history;
  Time end{0};
  for (HistoryEvent event : first.events()) {
    event.key.emplace(1, 'a');
    end = event.time;
    history.add(event);
  }
  for (HistoryEvent event : second.events()) {
    event.process += 1000;  // processes of their own, after the first history has ended
    event.time += end;
    history.add(event);
  }
  const auto result = check_linearizable(history, *find_model("kv"));
  CHECK(result.verdict == Verdict::kLinearizable);
  CHECK(result.keys_checked > 150);
  CHECK(result.searches_held_max == 2);
}

TEST_CASE(
    "linearizability: generated histories of a correct store pass, and a corrupted read fails") {
  // The generator plays a linearizable store, info outcomes included; changing one read's
  // result to a value never written must be caught.
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    CAPTURE(seed);
    Rng rng(seed);
    KvHistorySpec spec;
    spec.operations = 2'000;
    spec.keys = 3;
    spec.processes = 6;
    spec.info_per_mille = 50;
    History history = generate_kv_history(rng, spec);
    CHECK(check_linearizable(history, *find_model("kv")).verdict == Verdict::kLinearizable);

    History corrupted;
    bool changed = false;
    for (HistoryEvent event : history.events()) {
      if (!changed && event.type == OpType::kOk && event.f == "read" && event.index > 1000) {
        event.value = Value(-1);
        changed = true;
      }
      corrupted.add(event);
    }
    REQUIRE(changed);
    const auto result = check_linearizable(corrupted, *find_model("kv"));
    CHECK(result.verdict == Verdict::kNotLinearizable);
    CHECK(result.explanation.find("it returned -1") != std::string::npos);
  }
}

TEST_CASE("linearizability: the JSON form carries the verdict, the culprit and the prefix") {
  // summary.json and the report read this structure; it must parse and hold the key facts.
  const auto result = check(
      "{:process 0 :type :invoke :f :write :value 5 :time 1000}\n"
      "{:process 0 :type :ok :f :write :value 5 :time 2000}\n"
      "{:process 4 :type :invoke :f :read :time 3000}\n"
      "{:process 4 :type :ok :f :read :value 3 :time 4000}\n");
  const auto json = nlohmann::json::parse(to_json(result));
  CHECK(json["checker"] == "linearizability");
  CHECK(json["model"] == "cas-register");
  CHECK(json["verdict"] == "not linearizable");
  CHECK(json["explanation"] == result.explanation);
  CHECK(json["key"].is_null());
  CHECK(json["unplaceable"]["index"] == 2);
  CHECK(json["unplaceable"]["output"] == 3);
  CHECK(json["unplaceable"]["complete_time"] == 4000);
  CHECK(json["prefix"]["length"] == 1);
  CHECK(json["prefix"]["last"] == nlohmann::json::array({0}));
  // Only the read: no operation writes 3, so nothing else bears on it.
  CHECK(json["operations"].size() == 1);
  CHECK(json["operations_constraining"] == 1);
  CHECK(json["states_explored"] == result.states_explored);

  const auto good = nlohmann::json::parse(to_json(check("{:process 0 :type :invoke :f :read}\n")));
  CHECK(good["verdict"] == "linearizable");
  CHECK(!good.contains("unplaceable"));
}

}  // namespace
}  // namespace capsim
