// SIGINT/SIGTERM handling for the live commands: a dedicated thread waits for the signals
// (they are blocked in every other thread), sets the interrupted flag and cancels the running
// statement, so the executor rolls back and exits with 8 (cli.md).
#pragma once

#include <functional>

namespace bgplan::runtime {

// Blocks SIGINT and SIGTERM in the calling thread (call before any other thread starts), starts
// the signal thread, and ignores SIGPIPE. Idempotent.
void InstallInterruptHandler();

// True once SIGINT or SIGTERM arrived.
bool Interrupted();

// The function the signal thread calls on a signal (e.g. SqlSession::Cancel of the current
// session); empty to clear. Thread-safe.
void SetInterruptCallback(std::function<void()> callback);

// For children (fork/exec): restores the default signal mask. Async-signal-safe.
void UnblockSignalsInChild();

// Sleeps `ms` milliseconds, waking early on interruption. Returns false if interrupted.
bool InterruptibleSleep(long ms);

}  // namespace bgplan::runtime
