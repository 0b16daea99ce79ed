// Shared helpers for the crdt tests: nodes built through the real option parsing, client
// requests, and random CRDT states drawn from a seeded Rng for the merge-law properties.
#pragma once

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "nodes/kv/crdt/crdt_node.h"
#include "sim/rng.h"
#include "support/options_with.h"
#include "support/pump_cluster.h"
#include "support/recording_context.h"

namespace capsim::crdt::test {

using Overrides = testing::OptionOverrides;

// The protocol's defaults with `overrides` parsed as a scenario would write them.
inline Options options_with(const Overrides& overrides) {
  return testing::options_with(protocol_info(), overrides);
}

inline testing::PumpCluster::Factory factory(std::uint32_t nodes,
                                             const Overrides& overrides = {}) {
  const Config config = config_from(options_with(overrides), nodes);
  return [config](NodeId id) { return std::make_unique<CrdtNode>(id, config); };
}

inline Message client_request(std::uint64_t op_id, std::string f, std::string key,
                              Value value = {}) {
  ClientRequest request;
  request.op_id = op_id;
  request.f = std::move(f);
  request.key = std::move(key);
  request.value = std::move(value);
  return Message::of(std::move(request));
}

// The last ClientReply the node sent; fails the test if there is none.
inline ClientReply last_reply(const testing::RecordingContext& ctx) {
  const auto replies = ctx.sent_of<ClientReply>();
  REQUIRE_FALSE(replies.empty());
  return *replies.back();
}

// --- Random states ----------------------------------------------------------------------
// Drawn from small universes (few nodes, elements, stamps) so that random states overlap and
// merges really combine entries. A stamp always carries the same value wherever it appears,
// as in a real run, where one write has one value.

inline GCounter random_g_counter(Rng& rng) {
  GCounter counter;
  const auto entries = rng.below(4);
  for (std::uint64_t i = 0; i < entries; ++i) {
    counter.set_entry(static_cast<NodeId>(rng.below(4)), rng.below(20));
  }
  return counter;
}

inline PnCounter random_pn_counter(Rng& rng) {
  PnCounter counter;
  counter.increments() = random_g_counter(rng);
  counter.decrements() = random_g_counter(rng);
  return counter;
}

inline Dot random_dot(Rng& rng) {
  return Dot{static_cast<NodeId>(rng.below(3)), rng.below(6) + 1};
}

inline OrSet random_or_set(Rng& rng) {
  OrSet set;
  const auto adds = rng.below(6);
  for (std::uint64_t i = 0; i < adds; ++i) {
    set.add(Value(static_cast<std::int64_t>(rng.below(5))), random_dot(rng));
  }
  const auto removes = rng.below(3);
  for (std::uint64_t i = 0; i < removes; ++i) set.insert_removed(random_dot(rng));
  return set;
}

inline LwwRegister random_lww_register(Rng& rng) {
  LwwRegister reg;
  if (rng.chance(1, 5)) return reg;  // never written
  const Stamp stamp{Time{static_cast<std::int64_t>(rng.below(4))},
                    static_cast<NodeId>(rng.below(3)), rng.below(3)};
  // The value is a function of the stamp: one write, one value.
  const std::int64_t value = stamp.time.count() * 100 +
                             static_cast<std::int64_t>(stamp.node) * 10 +
                             static_cast<std::int64_t>(stamp.seq);
  reg.assign(Value(value), stamp);
  return reg;
}

inline KeyState random_key_state(Rng& rng) {
  switch (rng.below(4)) {
    case 0:
      return random_g_counter(rng);
    case 1:
      return random_pn_counter(rng);
    case 2:
      return random_or_set(rng);
    default:
      return random_lww_register(rng);
  }
}

}  // namespace capsim::crdt::test
