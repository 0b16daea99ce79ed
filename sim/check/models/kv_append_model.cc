// kv-append: one string per key ("" when absent), read with get, replaced with put, extended
// with append. The checker splits the history per key, so a machine handles one string.
//
// Strings grow with every append, so the state is not the string but a node in a tree of
// pieces: a put starts a new branch from the empty root and an append adds a child. Each node
// carries the length and a polynomial hash of its string, so a get compares two numbers first
// and walks the pieces only when they agree; the answer is exact, never a guess on a hash.
#include <map>
#include <memory>
#include <unordered_map>

#include "sim/check/models/builtin_models.h"
#include "sim/check/models/ids.h"

namespace capsim::models {
namespace {

constexpr std::uint64_t kHashBase = 0x100000001b3ULL;

struct Piece {
  std::string text;
  std::uint64_t hash = 0;   // polynomial hash of text
  std::uint64_t power = 1;  // kHashBase ^ text.size()
};

Piece make_piece(std::string text) {
  Piece piece;
  for (char c : text) {
    piece.hash = piece.hash * kHashBase + static_cast<unsigned char>(c);
    piece.power *= kHashBase;
  }
  piece.text = std::move(text);
  return piece;
}

enum class AppendOpKind : std::uint8_t { kGet, kPut, kAppend };

struct AppendOp {
  AppendOpKind kind;
  bool known;
  std::uint32_t piece;  // put/append: the argument; get: the string returned
};

struct Node {
  std::uint32_t parent;  // the root is its own parent
  std::uint32_t piece;   // the piece this node appends to its parent
  std::uint64_t length;
  std::uint64_t hash;
};

class AppendMachine final : public ModelMachine {
 public:
  AppendMachine(std::vector<AppendOp> compiled, std::vector<Piece> pieces)
      : compiled_(std::move(compiled)), pieces_(std::move(pieces)) {
    nodes_.push_back(Node{0, 0, 0, 0});
  }

  ModelState initial_state() override { return 0; }

  bool step(ModelState state, std::uint32_t op, ModelState& next) override {
    const AppendOp& o = compiled_[op];
    switch (o.kind) {
      case AppendOpKind::kGet:
        next = state;
        return !o.known || holds(static_cast<std::uint32_t>(state), o.piece);
      case AppendOpKind::kPut: next = child(0, o.piece); return true;
      case AppendOpKind::kAppend:
        next = child(static_cast<std::uint32_t>(state), o.piece);
        return true;
    }
    return false;
  }

  bool is_read_only(std::uint32_t op) const override {
    return compiled_[op].kind == AppendOpKind::kGet;
  }

  std::string describe_state(ModelState state) const override {
    return "the value is " + shorten(Value(text_of(static_cast<std::uint32_t>(state))).to_text());
  }

  std::string describe_mismatch(ModelState state, std::uint32_t op) const override {
    return "it returned " + shorten(Value(pieces_[compiled_[op].piece].text).to_text()) +
           ", but the value is " +
           shorten(Value(text_of(static_cast<std::uint32_t>(state))).to_text());
  }

 private:
  std::uint32_t child(std::uint32_t parent, std::uint32_t piece) {
    if (pieces_[piece].text.empty()) return parent;
    const std::uint64_t key = (static_cast<std::uint64_t>(parent) << 32) | piece;
    auto [it, added] = children_.emplace(key, static_cast<std::uint32_t>(nodes_.size()));
    if (added) {
      const Node& p = nodes_[parent];
      const Piece& q = pieces_[piece];
      nodes_.push_back(Node{parent, piece, p.length + q.text.size(), p.hash * q.power + q.hash});
    }
    return it->second;
  }

  // Whether node `id` spells exactly the text of piece `target`.
  bool holds(std::uint32_t id, std::uint32_t target) const {
    const Piece& want = pieces_[target];
    if (nodes_[id].length != want.text.size() || nodes_[id].hash != want.hash) return false;
    std::size_t end = want.text.size();
    while (id != 0) {
      const std::string& part = pieces_[nodes_[id].piece].text;
      end -= part.size();
      if (want.text.compare(end, part.size(), part) != 0) return false;
      id = nodes_[id].parent;
    }
    return true;
  }

  std::string text_of(std::uint32_t id) const {
    std::vector<std::uint32_t> chain;
    for (; id != 0; id = nodes_[id].parent) chain.push_back(nodes_[id].piece);
    std::string text;
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) text += pieces_[*it].text;
    return text;
  }

  std::vector<AppendOp> compiled_;
  std::vector<Piece> pieces_;
  std::vector<Node> nodes_;
  // Only looked up, never iterated.
  std::unordered_map<std::uint64_t, std::uint32_t> children_;
};

class KvAppendModel final : public Model {
 public:
  std::string_view name() const override { return "kv-append"; }
  std::string_view summary() const override {
    return "get, put and append of strings per key (get returns \"\" when absent)";
  }

  std::unique_ptr<ModelMachine> prepare(std::span<const Operation> ops,
                                        std::string& error) const override {
    std::vector<Piece> pieces;
    std::map<std::string, std::uint32_t> piece_ids;
    auto piece_of = [&](const std::string& text) {
      auto [it, added] = piece_ids.emplace(text, static_cast<std::uint32_t>(pieces.size()));
      if (added) pieces.push_back(make_piece(text));
      return it->second;
    };
    piece_of("");
    std::vector<AppendOp> compiled;
    compiled.reserve(ops.size());
    for (const Operation& op : ops) {
      AppendOp o{AppendOpKind::kGet, op.is_known(), 0};
      if (op.f == "get") {
        if (op.is_known()) {
          if (!op.output.is_string()) {
            error = operation_error(op, "get must return a string, got " + op.output.to_text());
            return nullptr;
          }
          o.piece = piece_of(op.output.string());
        }
      } else if (op.f == "put" || op.f == "append") {
        if (!op.input.is_string()) {
          error = operation_error(op, op.f + " needs a string, got " + op.input.to_text());
          return nullptr;
        }
        o.kind = op.f == "put" ? AppendOpKind::kPut : AppendOpKind::kAppend;
        o.piece = piece_of(op.input.string());
      } else {
        error = unknown_f_error(op, name(), {"get", "put", "append"});
        return nullptr;
      }
      compiled.push_back(o);
    }
    return std::make_unique<AppendMachine>(std::move(compiled), std::move(pieces));
  }
};

}  // namespace

const Model& kv_append_model() {
  static const KvAppendModel model;
  return model;
}

}  // namespace capsim::models
