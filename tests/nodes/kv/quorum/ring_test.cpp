// The hash ring: where keys live, and that every node computes the same answer.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "nodes/kv/quorum/ring.h"

using namespace capsim;
using namespace capsim::quorum;

TEST_CASE("quorum ring: a key's preference list is n distinct nodes, the same on every build") {
  // Two rings built alike place every key identically, and a walk never repeats a node.
  const Ring a(5, 16);
  const Ring b(5, 16);
  for (int k = 1; k <= 50; ++k) {
    const std::string key = "k" + std::to_string(k);
    const auto list = a.walk(key, 3);
    CHECK(list == b.walk(key, 3));
    REQUIRE(list.size() == 3);
    CHECK(std::set<NodeId>(list.begin(), list.end()).size() == 3);
    for (NodeId node : list) CHECK(node < 5);
    // A longer walk extends the shorter one: fallbacks come after the preferred replicas.
    const auto full = a.walk(key, 5);
    CHECK(std::equal(list.begin(), list.end(), full.begin()));
    CHECK(std::set<NodeId>(full.begin(), full.end()).size() == 5);
  }
}

TEST_CASE("quorum ring: virtual nodes spread keys roughly evenly") {
  // With 16 points per node, each of 5 nodes is the first replica of a fair share of 1000 keys
  // (a fifth is 200; we accept from a quarter of that to twice that), and a preferred replica
  // of about 3/5 of them (600; again from a half to one and a half times).
  const Ring ring(5, 16);
  std::map<NodeId, int> first;
  std::map<NodeId, int> replica;
  for (int k = 0; k < 1000; ++k) {
    const auto list = ring.walk("key" + std::to_string(k), 3);
    ++first[list[0]];
    for (NodeId node : list) ++replica[node];
  }
  REQUIRE(first.size() == 5);
  for (const auto& [node, count] : first) {
    CAPTURE(node);
    CHECK(count > 50);
    CHECK(count < 400);
    CHECK(replica[node] > 300);
    CHECK(replica[node] < 900);
  }
}

TEST_CASE("quorum ring: is_preferred agrees with the walk; small clusters hold every key") {
  const Ring ring(3, 4);
  for (int k = 1; k <= 10; ++k) {
    const std::string key = "k" + std::to_string(k);
    CHECK(ring.walk(key, 3).size() == 3);
    CHECK(ring.walk(key, 7).size() == 3);  // capped at the cluster size
    for (NodeId node = 0; node < 3; ++node) CHECK(ring.is_preferred(key, node, 3));
    const auto two = ring.walk(key, 2);
    for (NodeId node = 0; node < 3; ++node) {
      CHECK(ring.is_preferred(key, node, 2) ==
            (std::find(two.begin(), two.end(), node) != two.end()));
    }
  }
}
