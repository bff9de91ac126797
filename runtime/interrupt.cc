#include "runtime/interrupt.h"

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

namespace bgplan::runtime {
namespace {

std::atomic<bool> g_interrupted{false};
std::mutex g_mu;
std::function<void()> g_callback;

sigset_t Signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

}  // namespace

void InstallInterruptHandler() {
  static std::once_flag once;
  std::call_once(once, [] {
    // A closed stdout (bgplan ... | head) must not kill a run between its statements or leave
    // the demo's server running: writes fail with EPIPE instead.
    signal(SIGPIPE, SIG_IGN);
    sigset_t set = Signals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    std::thread([set] {
      for (;;) {
        int sig = 0;
        if (sigwait(&set, &sig) != 0) {
          continue;
        }
        g_interrupted = true;
        std::function<void()> cb;
        {
          std::lock_guard<std::mutex> lock(g_mu);
          cb = g_callback;
        }
        if (cb) {
          cb();
        }
      }
    }).detach();
  });
}

bool Interrupted() { return g_interrupted.load(); }

void SetInterruptCallback(std::function<void()> callback) {
  std::lock_guard<std::mutex> lock(g_mu);
  g_callback = std::move(callback);
}

void UnblockSignalsInChild() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
}

bool InterruptibleSleep(long ms) {
  auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  while (std::chrono::steady_clock::now() < end) {
    if (Interrupted()) {
      return false;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        end - std::chrono::steady_clock::now());
    std::this_thread::sleep_for(std::min(left, std::chrono::milliseconds(20)));
  }
  return !Interrupted();
}

}  // namespace bgplan::runtime
