#include "nodes/kv/crdt/lww_register.h"

namespace capsim::crdt {

bool LwwRegister::assign(const Value& value, Stamp stamp) {
  if (stamp_ && *stamp_ >= stamp) return false;
  value_ = value;
  stamp_ = stamp;
  return true;
}

bool LwwRegister::merge(const LwwRegister& other) {
  if (!other.stamp_) return false;
  return assign(other.value_, *other.stamp_);
}

}  // namespace capsim::crdt
