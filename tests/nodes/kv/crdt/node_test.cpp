// One crdt replica driven by hand: what each client operation does and answers, type rules,
// and the disk.
#include <doctest/doctest.h>

#include "crdt_test_util.h"
#include "nodes/common/value_codec.h"
#include "nodes/kv/crdt/state_codec.h"

using namespace capsim;
using namespace capsim::crdt;
using namespace capsim::crdt::test;
using namespace std::chrono_literals;
using testing::RecordingContext;
using Outcome = ClientReply::Outcome;

namespace {

constexpr NodeId kClient = 9;

struct OneNode {
  explicit OneNode(const Overrides& overrides = {}, std::uint32_t nodes = 3)
      : ctx(0, 7), node(0, config_from(options_with(overrides), nodes)) {
    node.on_start(ctx);
  }
  // Sends one request and returns the node's answer.
  ClientReply ask(std::string f, std::string key, Value value = {}) {
    node.on_message(ctx, kClient, client_request(++op, std::move(f), std::move(key),
                                                 std::move(value)));
    const ClientReply reply = last_reply(ctx);
    CHECK(reply.op_id == op);
    CHECK(ctx.sent.back().to == kClient);
    return reply;
  }
  RecordingContext ctx;
  CrdtNode node;
  std::uint64_t op = 0;
};

}  // namespace

TEST_CASE("crdt: a read of a key nobody updated returns nil and fixes no type") {
  OneNode one;
  const ClientReply reply = one.ask("read", "k1");
  CHECK(reply.outcome == Outcome::kOk);
  CHECK(reply.value.is_nil());
  CHECK(one.node.state().empty());
  CHECK(one.ask("write", "k1", 4).outcome == Outcome::kOk);
}

TEST_CASE("crdt: increments make a counter that reads as an integer") {
  // The reply carries the delta, as the shared kv semantics say; reads return the count.
  OneNode one;
  ClientReply reply = one.ask("increment", "k1", 5);
  CHECK(reply.outcome == Outcome::kOk);
  CHECK(reply.value == Value(5));
  one.ask("increment", "k1", -2);
  CHECK(one.ask("read", "k1").value == Value(3));
  CHECK(type_of(*one.node.state().find("k1")) == KeyType::kPnCounter);
  reply = one.ask("increment", "k1", "x");
  CHECK(reply.outcome == Outcome::kFail);
  CHECK(reply.error == "increment needs an integer, got \"x\"");
}

TEST_CASE("crdt: with counter g a negative increment fails and changes nothing") {
  OneNode one(Overrides{{"counter", "g"}});
  CHECK(one.ask("increment", "k1", 2).outcome == Outcome::kOk);
  const ClientReply reply = one.ask("increment", "k1", -1);
  CHECK(reply.outcome == Outcome::kFail);
  CHECK(reply.error == "a g-counter cannot be decremented (increment -1; set counter: pn to allow it)");
  CHECK(one.ask("read", "k1").value == Value(2));
  CHECK(type_of(*one.node.state().find("k1")) == KeyType::kGCounter);
}

TEST_CASE("crdt: adds make a set that reads as a sorted list without duplicates") {
  OneNode one;
  for (int element : {4, 1, 4, 3}) {
    const ClientReply reply = one.ask("add", "k2", element);
    CHECK(reply.outcome == Outcome::kOk);
    CHECK(reply.value == Value(element));
  }
  CHECK(one.ask("read", "k2").value == Value(Value::List{1, 3, 4}));
  // Each add got its own tag, built from the node id and a sequence number.
  const auto& set = std::get<OrSet>(*one.node.state().find("k2"));
  CHECK(set.added().at(4).size() == 2);
  for (const auto& [element, dots] : set.added()) {
    for (const Dot& dot : dots) CHECK(dot.node == 0);
  }
}

TEST_CASE("crdt: remove takes an element out of a set; on an unknown key it does nothing") {
  OneNode one;
  one.ask("add", "k1", 1);
  one.ask("add", "k1", 2);
  CHECK(one.ask("remove", "k1", 1).outcome == Outcome::kOk);
  CHECK(one.ask("read", "k1").value == Value(Value::List{2}));
  CHECK(one.ask("remove", "k9", 1).outcome == Outcome::kOk);
  CHECK(one.node.state().find("k9") == nullptr);
}

TEST_CASE("crdt: writes make an lww-register stamped with the node's clock") {
  OneNode one;
  one.ctx.set_now(3s);
  CHECK(one.ask("write", "k3", 7).outcome == Outcome::kOk);
  CHECK(one.ask("read", "k3").value == Value(7));
  const auto& reg = std::get<LwwRegister>(*one.node.state().find("k3"));
  REQUIRE(reg.stamp().has_value());
  CHECK(reg.stamp()->time == 3s);
  CHECK(reg.stamp()->node == 0);
}

TEST_CASE("crdt: a write stamped behind the register's value is acknowledged yet lost") {
  // The clock jumps back 2s between two writes: the second write is acknowledged, but its
  // stamp is older, so the register keeps the first. The trace says so.
  OneNode one;
  one.ctx.set_now(5s);
  one.ask("write", "k1", 1);
  one.ctx.set_now(3s);
  CHECK(one.ask("write", "k1", 2).outcome == Outcome::kOk);
  CHECK(one.ask("read", "k1").value == Value(1));
  REQUIRE(one.ctx.notes.size() == 1);
  CHECK(one.ctx.notes[0] ==
        "crdt: write 2 to k1 at clock 3.000s lost at once to a write stamped 5.000s by n1");
}

TEST_CASE("crdt: cas is refused: coordination-free replication cannot offer it") {
  OneNode one;
  one.ask("write", "k1", 1);
  const ClientReply reply = one.ask("cas", "k1", Value::List{1, 2});
  CHECK(reply.outcome == Outcome::kFail);
  CHECK(reply.error == "cas is not supported by crdt");
  CHECK(reply.answered);
  CHECK(one.ask("read", "k1").value == Value(1));
}

TEST_CASE("crdt: a key keeps the type of its first update") {
  // Each mismatched operation fails with a reason naming the key's type, and changes nothing.
  OneNode one;
  one.ask("increment", "c", 1);
  one.ask("add", "s", 1);
  one.ask("write", "r", 1);
  ClientReply reply = one.ask("add", "c", 2);
  CHECK(reply.outcome == Outcome::kFail);
  CHECK(reply.error == "add on c, whose type is pn-counter (a key keeps the type of its first update)");
  CHECK(reply.answered);
  reply = one.ask("write", "s", 2);
  CHECK(reply.error == "write on s, whose type is or-set (a key keeps the type of its first update)");
  reply = one.ask("increment", "r", 2);
  CHECK(reply.error ==
        "increment on r, whose type is lww-register (a key keeps the type of its first update)");
  CHECK(one.ask("remove", "r", 1).outcome == Outcome::kFail);
  CHECK(one.node.state_digest() == "c=1;r=1;s=[1]");
}

TEST_CASE("crdt: unknown operations and empty keys fail with a reason") {
  OneNode one;
  ClientReply reply = one.ask("append", "k1", 1);
  CHECK(reply.outcome == Outcome::kFail);
  CHECK(reply.error == "unknown operation 'append'");
  CHECK(reply.answered);
  reply = one.ask("write", "", 1);
  CHECK(reply.outcome == Outcome::kFail);
  CHECK(reply.error == "empty key");
}

TEST_CASE("crdt: the digest shows observable values in key order, not tags") {
  // Two replicas that reached the same values through different adds and increments have
  // equal digests.
  OneNode a;
  a.ask("increment", "k2", 5);
  a.ask("add", "k1", 3);
  a.ask("add", "k1", 1);
  a.ask("write", "k3", "v");
  CHECK(a.node.state_digest() == "k1=[1 3];k2=5;k3=\"v\"");
  OneNode b;
  b.ask("add", "k1", 1);
  b.ask("add", "k1", 3);
  b.ask("add", "k1", 3);
  b.ask("increment", "k2", 2);
  b.ask("increment", "k2", 3);
  b.ask("write", "k3", "v");
  CHECK(b.node.state_digest() == a.node.state_digest());
}

TEST_CASE("crdt: every update is synced to disk before it is acknowledged") {
  // Nothing is pending on the disk when the reply leaves: a crash right after the ack keeps it.
  OneNode one;
  for (const auto& [f, key, value] : std::vector<std::tuple<std::string, std::string, Value>>{
           {"increment", "c", 2}, {"add", "s", 1}, {"write", "r", 3}, {"remove", "s", 1}}) {
    CAPTURE(f);
    const std::size_t sent = one.ctx.sent.size();
    one.ask(f, key, value);
    CHECK(one.ctx.sent.size() == sent + 1);
    CHECK(one.ctx.memory_disk().pending_count() == 0);
  }
  // With sync_disk=false the update stays pending and a crash would lose it.
  OneNode lax(Overrides{{"sync_disk", "false"}});
  lax.ask("increment", "c", 2);
  CHECK(lax.ctx.memory_disk().pending_count() > 0);
}

TEST_CASE("crdt: the first gossip round is scheduled within one interval") {
  OneNode one(Overrides{{"gossip_interval", "250ms"}});
  REQUIRE(one.ctx.has_timer("gossip"));
  CHECK(one.ctx.timers.at("gossip") > 0ns);
  CHECK(one.ctx.timers.at("gossip") <= 250ms);
}

TEST_CASE("crdt: an unreadable key on disk is skipped with a note, the rest is loaded") {
  // Disk contents are ours, but a broken entry must not crash the replica or poison the rest:
  // it starts without that key, says so in the trace, and gossip can bring the key back.
  RecordingContext ctx{0, 3};
  PnCounter counter;
  counter.increment(1, 6);
  ctx.memory_disk().put("keys", encode_key_list({"k1", "k2"}));
  ctx.memory_disk().put("key/k1", "S1:garbage");
  ctx.memory_disk().put("key/k2", encode_key_state(counter));
  ctx.memory_disk().sync();
  CrdtNode node{0, config_from(options_with({}), 3)};
  node.on_start(ctx);
  CHECK(node.state_digest() == "k2=6");
  REQUIRE(ctx.notes.size() == 1);
  CHECK(ctx.notes[0] == "crdt: the state of k1 on disk is unreadable; gossip will refill it");
}

TEST_CASE("crdt: a second copy of an update is answered again and counts once") {
  // The network's duplicate fault delivers one increment (or add) twice to a replica. The
  // counter grows once and both copies hear the same ok; a copy of an older request, arriving
  // after the client moved on, changes nothing and gets no answer.
  OneNode one;
  const Message increment = client_request(1, "increment", "c", Value(3));
  one.node.on_message(one.ctx, kClient, increment);
  one.node.on_message(one.ctx, kClient, increment);
  CHECK(one.node.value_of("c") == Value(3));
  const auto replies = one.ctx.sent_of<ClientReply>();
  REQUIRE(replies.size() == 2);
  CHECK(replies[0]->outcome == Outcome::kOk);
  CHECK(replies[1]->outcome == Outcome::kOk);
  CHECK(replies[1]->value == replies[0]->value);

  const Message add = client_request(2, "add", "s", Value(7));
  one.node.on_message(one.ctx, kClient, add);
  one.node.on_message(one.ctx, kClient, add);
  const auto* set = std::get_if<OrSet>(one.node.state().find("s"));
  REQUIRE(set != nullptr);
  CHECK(set->added().at(Value(7)).size() == 1);  // one tag: one add

  one.ctx.clear_sent();
  one.node.on_message(one.ctx, kClient, increment);
  CHECK(one.node.value_of("c") == Value(3));
  CHECK(one.ctx.sent_count<ClientReply>() == 0);
}

TEST_CASE("crdt: a copy of an update that arrives after a restart is answered, not applied") {
  // The replica increments, answers and crashes; restarted from its disk, it gets the
  // network's second copy of the same request: the count must not grow again.
  OneNode one;
  const Message increment = client_request(1, "increment", "c", Value(3));
  one.node.on_message(one.ctx, kClient, increment);
  REQUIRE(one.ctx.memory_disk().pending_count() == 0);
  one.ctx.memory_disk().lose_unsynced();
  CrdtNode restarted{0, config_from(options_with({}), 3)};
  restarted.on_start(one.ctx);
  one.ctx.clear_sent();
  restarted.on_message(one.ctx, kClient, increment);
  CHECK(restarted.value_of("c") == Value(3));
  const ClientReply again = last_reply(one.ctx);
  CHECK(again.op_id == 1);
  CHECK(again.outcome == Outcome::kOk);
  // The client's next request is new.
  restarted.on_message(one.ctx, kClient, client_request(2, "increment", "c", Value(1)));
  CHECK(restarted.value_of("c") == Value(4));
}

TEST_CASE("crdt: an unreadable client session on disk is skipped with a note") {
  RecordingContext ctx{0, 3};
  ctx.memory_disk().put("clients", codec::encode_strings({"9", "x"}));
  ctx.memory_disk().put("client/9", "garbage");
  ctx.memory_disk().sync();
  CrdtNode node{0, config_from(options_with({}), 3)};
  node.on_start(ctx);
  REQUIRE(ctx.notes.size() == 1);
  CHECK(ctx.notes[0] == "crdt: some client sessions on disk are unreadable; copies of those "
                        "clients' earlier requests may be applied again");
}
