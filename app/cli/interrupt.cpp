#include "interrupt.h"

#include <csignal>

namespace ndtmoe::cli {
namespace {

std::atomic<bool> interrupted{false};

void on_interrupt(int) {
  interrupted = true;
  std::signal(SIGINT, SIG_DFL);
}

}  // namespace

const std::atomic<bool>& cancel_on_interrupt() {
  std::signal(SIGINT, on_interrupt);
  return interrupted;
}

}  // namespace ndtmoe::cli
