#pragma once
// Ctrl-C handling shared by long commands: the first Ctrl-C asks the running work to stop at its next
// safe point (training saves a resumable run, tracing leaves a resumable trace); a second one
// terminates at once.

#include <atomic>

namespace ndtmoe::cli {

// Installs the handler and returns the flag it sets.
const std::atomic<bool>& cancel_on_interrupt();

}  // namespace ndtmoe::cli
