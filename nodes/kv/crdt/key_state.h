// The replicated state of one key: exactly one of the CRDTs, chosen by the first operation that
// touched the key (increment: a counter, add: an OR-set, write: an LWW-register).
//
// Replicas can disagree on a key's type only if two of them touched a new key concurrently with
// different kinds of operation. Merge then resolves it the same way everywhere: the type that
// comes later in KeyType's order wins and the other side's state for that key is dropped. With
// "same type: merge the CRDTs; different types: keep the larger type" the merge of key states is
// still commutative, associative and idempotent. The workloads never mix types on one key.
#pragma once

#include <string_view>
#include <variant>

#include "nodes/kv/crdt/g_counter.h"
#include "nodes/kv/crdt/lww_register.h"
#include "nodes/kv/crdt/or_set.h"
#include "nodes/kv/crdt/pn_counter.h"
#include "sim/value.h"

namespace capsim::crdt {

// The alternatives' order is KeyType's order, and the order in which a type conflict is won.
using KeyState = std::variant<GCounter, PnCounter, OrSet, LwwRegister>;

enum class KeyType { kGCounter = 0, kPnCounter = 1, kOrSet = 2, kLwwRegister = 3 };

KeyType type_of(const KeyState& state);

// "g-counter", "pn-counter", "or-set", "lww-register": for error replies and the trace.
std::string_view type_name(KeyType type);

// What a client reads: a counter's integer, the set's sorted elements, the register's value.
Value observed_value(const KeyState& state);

// Merges `other` into `mine` (see the type rule above). Returns true if `mine` changed.
bool merge_key(KeyState& mine, const KeyState& other);

}  // namespace capsim::crdt
