// The generated queue history behind `capsim bench --parts delivery`, and the benchmark itself:
// small in the fast suite, at its full 1,000,000 messages in the slow one.
#include <doctest/doctest.h>

#include "sim/check/delivery.h"
#include "sim/check/queue_history_generator.h"
#include "tools/bench_check/delivery_bench.h"

using namespace capsim;

TEST_CASE("queue history generator: a correct queue with redeliveries, by construction") {
  // What the generator promises: nothing lost, no phantom, order kept, each effect applied
  // once; only at-most-once fails, on the redelivered batches; and a few sends were retried.
  Rng rng(7);
  QueueHistorySpec spec;
  spec.messages = 5'000;
  spec.info_per_mille = 20;
  spec.redeliver_per_mille = 50;
  DeliveryOptions options;
  options.guarantees = delivery_guarantees();
  const CheckResult result = check_delivery(generate_queue_history(rng, spec), options);
  CHECK(result.guarantees.at("at-least-once") == CheckVerdict::kPass);
  CHECK(result.guarantees.at("exactly-once-effect") == CheckVerdict::kPass);
  CHECK(result.guarantees.at("per-key-order") == CheckVerdict::kPass);
  CHECK(result.guarantees.at("no-phantoms") == CheckVerdict::kPass);
  CHECK(result.guarantees.at("at-most-once") == CheckVerdict::kFail);
  CHECK(result.metrics.at("messages") == 5'000);
  CHECK(result.metrics.at("acknowledged") == 5'000);
  CHECK(result.metrics.at("retried") > 0);
  CHECK(result.metrics.at("duplicated") > 0);
  CHECK(result.metrics.at("redelivered") == result.metrics.at("duplicated"));
  CHECK(result.metrics.at("effects") == 5'000);
}

TEST_CASE("delivery bench: a small run reports the verdict and its times") {
  DeliveryBenchOptions options;
  options.messages = 2'000;
  options.repeats = 1;
  const DeliveryBenchResult result = run_delivery_bench(options);
  CHECK(result.messages == 2'000);
  CHECK(result.events > 8'000);
  CHECK(result.verdict == "pass");
  CHECK(result.lost == 0);
  CHECK(format_delivery_bench(result).find("   2000") != std::string::npos);
}

TEST_SUITE("slow") {
  TEST_CASE("delivery bench: 1,000,000 messages") {
    // The figure behind the speed target (under 2 s), printed for a person to read; the
    // verdict is checked, the time is not.
    const DeliveryBenchResult result = run_delivery_bench(DeliveryBenchOptions{});
    MESSAGE("\n" << format_delivery_bench(result));
    CHECK(result.verdict == "pass");
    CHECK(result.lost == 0);
  }
}
