#pragma once
// A model family defined only by the tests, to prove the extension point: a fixed hash router (each
// row goes to the experts a fixed random projection of its input ranks highest; the router has no
// parameters and never learns) over the engine's FFN experts. Nothing outside this file and its .cpp
// knows about it; register_hash_family() is the one call that makes it trainable, traceable and
// visible.

#include <string>

namespace ndtmoe::test {

inline const std::string kHashFamily = "hash";

// Registers the family once per process (later calls do nothing).
void register_hash_family();

}  // namespace ndtmoe::test
