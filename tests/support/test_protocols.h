// Tiny protocols for engine tests, so the engine can be tested without any real protocol.
//
// "pinger": node n1 sends a Ping to every other node every `interval`; each receiver answers
// with a Pong and records in its disk (unsynced unless `sync`) how many pings it saw. Every
// node notes what it receives, so tests can read the trace.
// "register": every node is a single-copy register server answering ClientRequests alone.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "sim/client/kv_messages.h"
#include "sim/protocol_registry.h"

namespace capsim::testing {

struct Ping {
  static constexpr std::string_view kKind = "test.ping";
  int round = 0;
  std::string describe() const { return "ping " + std::to_string(round); }
};

struct Pong {
  static constexpr std::string_view kKind = "test.pong";
  int round = 0;
  std::string describe() const { return "pong " + std::to_string(round); }
};

class PingerNode final : public Node {
 public:
  explicit PingerNode(const NodeSetup& setup) : setup_(setup) {}
  void on_start(Context& ctx) override {
    if (auto saved = ctx.disk().get("pings")) pings_seen_ = std::stoi(*saved);
    ctx.note("start pings=" + std::to_string(pings_seen_) + " now=" +
             std::to_string(ctx.now().count()));
    if (ctx.self() == 0) ctx.set_timer("round", interval());
  }
  void on_message(Context& ctx, NodeId from, const Message& message) override {
    if (const Ping* ping = message.as<Ping>()) {
      ++pings_seen_;
      ctx.disk().put("pings", std::to_string(pings_seen_));
      if (setup_.options->flag("sync")) ctx.disk().sync();
      ctx.note("got ping " + std::to_string(ping->round) + " at " +
               std::to_string(ctx.now().count()));
      ctx.send(from, Message::of(Pong{ping->round}));
    }
  }
  void on_timer(Context& ctx, std::string_view name) override {
    if (name != "round") return;
    ++round_;
    for (NodeId to = 1; to < setup_.cluster_size; ++to) ctx.send(to, Message::of(Ping{round_}));
    ctx.set_timer("round", interval());
  }
  std::string state_digest() const override { return "pings=" + std::to_string(pings_seen_); }
  bool is_leader() const override { return setup_.id == 0; }

 private:
  Duration interval() const { return setup_.options->duration("interval"); }
  NodeSetup setup_;
  int round_ = 0;
  int pings_seen_ = 0;
};

class RegisterNode final : public Node {
 public:
  explicit RegisterNode(const NodeSetup&) {}
  void on_start(Context&) override {}
  void on_message(Context& ctx, NodeId from, const Message& message) override {
    const ClientRequest* request = message.as<ClientRequest>();
    if (request == nullptr) return;
    ClientReply reply;
    reply.op_id = request->op_id;
    if (request->f == "read") {
      auto it = values_.find(request->key);
      if (it != values_.end()) reply.value = it->second;
    } else if (request->f == "write") {
      values_[request->key] = request->value;
    } else if (request->f == "cas") {
      auto it = values_.find(request->key);
      const Value current = it == values_.end() ? Value{} : it->second;
      if (current == request->value.list()[0]) {
        values_[request->key] = request->value.list()[1];
      } else {
        reply.outcome = ClientReply::Outcome::kFail;
        reply.error = "cas mismatch";
      }
    }
    ctx.send(from, Message::of(std::move(reply)));
  }
  void on_timer(Context&, std::string_view) override {}

 private:
  std::map<std::string, Value> values_;
};

inline void register_test_protocols(ProtocolRegistry& registry) {
  ProtocolInfo pinger;
  pinger.name = "pinger";
  pinger.summary = "n1 pings every other node (engine tests)";
  pinger.options = {
      OptionSpec{"interval", OptionType::kDuration, "100ms", "time between rounds", {}, 0, 0},
      OptionSpec{"sync", OptionType::kBool, "false", "sync the ping count to disk", {}, 0, 0}};
  pinger.make = [](const NodeSetup& setup) { return std::make_unique<PingerNode>(setup); };
  registry.add(std::move(pinger));
  ProtocolInfo reg;
  reg.name = "register";
  reg.summary = "each node is an independent register (engine tests)";
  reg.make = [](const NodeSetup& setup) { return std::make_unique<RegisterNode>(setup); };
  registry.add(std::move(reg));
}

}  // namespace capsim::testing
