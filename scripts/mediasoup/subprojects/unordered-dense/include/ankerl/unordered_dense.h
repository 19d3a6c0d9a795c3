// Stand-in for ankerl::unordered_dense 4.8.1, which is packaged neither by Debian 12 nor on npm.
// mediasoup uses only `map`, `set` and `hash<T>{}(x)`, and none of unordered_dense's own methods
// (values(), extract() of the dense vector…), so the standard containers serve: somewhat slower
// lookups, the same behaviour. Custom hash and equality parameters are forwarded
// (PortManager.hpp declares `map<PortRangeKey, PortRange, PortRangeKeyHash>`).
#pragma once

#include <functional>
#include <memory>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace ankerl::unordered_dense
{
	template<class T>
	using hash = std::hash<T>;

	template<
	  class Key,
	  class T,
	  class Hash     = hash<Key>,
	  class KeyEqual = std::equal_to<Key>,
	  class Alloc    = std::allocator<std::pair<const Key, T>>>
	using map = std::unordered_map<Key, T, Hash, KeyEqual, Alloc>;

	template<
	  class Key,
	  class Hash     = hash<Key>,
	  class KeyEqual = std::equal_to<Key>,
	  class Alloc    = std::allocator<Key>>
	using set = std::unordered_set<Key, Hash, KeyEqual, Alloc>;
} // namespace ankerl::unordered_dense
