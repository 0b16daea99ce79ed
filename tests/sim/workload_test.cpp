// The workloads' generators (kv, set, counter) and how the loader reads `workload.name` and
// `workload.mix` for each.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "sim/client/workload.h"
#include "sim/scenario_loader.h"
#include "support/scenario_run.h"

using namespace capsim;

namespace {

const std::string kBase =
    "name: t\n"
    "description: d\n"
    "duration: 10s\n"
    "cluster: {nodes: 3, protocol: primary-backup}\n";

LoadResult load(const std::string& workload_line) {
  return load_scenario_text(kBase + workload_line, "test.yaml", testing::all_protocols());
}

WorkloadSpec spec_for(std::string name, std::vector<std::pair<std::string, std::uint32_t>> mix) {
  WorkloadSpec spec;
  spec.name = std::move(name);
  spec.keys = 3;
  spec.mix = std::move(mix);
  return spec;
}

}  // namespace

TEST_CASE("workload: set adds elements unique across clients and keys, reads carry nothing") {
  // Two clients share one workload, as in a run: the adds they draw number 1, 2, 3, ... with no
  // repeat, whatever key they land on; reads carry nil.
  const WorkloadSpec spec = spec_for("set", {{"add", 3}, {"read", 1}});
  auto workload = make_workload(spec);
  Rng a = rng_for(7, "client/1");
  Rng b = rng_for(7, "client/2");
  std::set<std::int64_t> elements;
  std::int64_t last = 0;
  std::size_t adds = 0, reads = 0;
  for (int i = 0; i < 400; ++i) {
    const KvOperation op = workload->next(i % 2 == 0 ? a : b, {});
    CHECK((op.key == "k1" || op.key == "k2" || op.key == "k3"));
    if (op.f == "add") {
      ++adds;
      REQUIRE(op.value.is_integer());
      CHECK(op.value.integer() == last + 1);
      last = op.value.integer();
      CHECK(elements.insert(last).second);
    } else {
      REQUIRE(op.f == "read");
      ++reads;
      CHECK(op.value.is_nil());
    }
  }
  // 3:1 weights: about 300 adds; the bounds are loose, the draw is seeded.
  CHECK(adds > 250);
  CHECK(reads > 50);
}

TEST_CASE("workload: counter increments by 1 and reads") {
  // Every increment carries 1 and every read nil; with equal weights both kinds show up often.
  const WorkloadSpec spec = spec_for("counter", {{"increment", 1}, {"read", 1}});
  auto workload = make_workload(spec);
  Rng rng = rng_for(3, "client/1");
  std::size_t increments = 0;
  for (int i = 0; i < 200; ++i) {
    const KvOperation op = workload->next(rng, {});
    if (op.f == "increment") {
      ++increments;
      CHECK(op.value == Value(1));
    } else {
      CHECK(op.f == "read");
      CHECK(op.value.is_nil());
    }
  }
  CHECK(increments > 50);
  CHECK(increments < 150);
}

TEST_CASE("workload: the same seed draws the same operations") {
  // Determinism: two workloads fed equal streams agree operation by operation.
  const WorkloadSpec spec = spec_for("set", {{"add", 9}, {"read", 1}});
  auto first = make_workload(spec);
  auto second = make_workload(spec);
  Rng r1 = rng_for(11, "client/1");
  Rng r2 = rng_for(11, "client/1");
  for (int i = 0; i < 100; ++i) {
    const KvOperation x = first->next(r1, {});
    const KvOperation y = second->next(r2, {});
    CHECK(x.f == y.f);
    CHECK(x.key == y.key);
    CHECK(x.value == y.value);
  }
}

TEST_CASE("workload loader: each workload has its own default mix") {
  // Without `mix` a workload gets its own default; a written mix replaces it, in name order.
  using Mix = std::vector<std::pair<std::string, std::uint32_t>>;
  SUBCASE("kv") {
    const LoadResult result = load("workload: {clients: 1}\n");
    REQUIRE_MESSAGE(result.scenario, result.diagnostics.format());
    CHECK(result.scenario->workload.name == "kv");
    CHECK(result.scenario->workload.mix == Mix{{"read", 50}, {"write", 50}});
  }
  SUBCASE("set") {
    const LoadResult result = load("workload: {name: set}\n");
    REQUIRE_MESSAGE(result.scenario, result.diagnostics.format());
    CHECK(result.scenario->workload.name == "set");
    CHECK(result.scenario->workload.mix == Mix{{"add", 90}, {"read", 10}});
  }
  SUBCASE("counter") {
    const LoadResult result = load("workload: {name: counter}\n");
    REQUIRE_MESSAGE(result.scenario, result.diagnostics.format());
    CHECK(result.scenario->workload.mix == Mix{{"increment", 90}, {"read", 10}});
  }
  SUBCASE("a written mix replaces the default") {
    const LoadResult result = load("workload: {name: set, mix: {read: 1, add: 3}}\n");
    REQUIRE_MESSAGE(result.scenario, result.diagnostics.format());
    CHECK(result.scenario->workload.mix == Mix{{"add", 3}, {"read", 1}});
  }
}

TEST_CASE("workload loader: a mix may name only the workload's own operations") {
  // Each message names the workload and its operations, at the offending key.
  CHECK(load("workload: {name: set, mix: {add: 5, write: 5}}\n").diagnostics.format() ==
        "test.yaml:5:37: error: unknown set operation 'write' (expected one of: add, read)\n");
  CHECK(load("workload: {name: counter, mix: {incremnt: 5}}\n").diagnostics.format() ==
        "test.yaml:5:33: error: unknown counter operation 'incremnt' (did you mean "
        "'increment'?)\n");
  CHECK(load("workload: {mix: {add: 1}}\n").diagnostics.format() ==
        "test.yaml:5:18: error: unknown kv operation 'add' (expected one of: read, write, cas)\n");
  CHECK(load("workload: {name: sets}\n").diagnostics.format() ==
        "test.yaml:5:18: error: unknown workload 'sets' (did you mean 'set'?)\n");
}
