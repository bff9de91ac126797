// BGPLAN_CHECK: aborts with file:line when an internal invariant is broken.
// User mistakes are diagnostics and environment failures are Status; this is for bugs only.
#pragma once

#include <cstdio>
#include <cstdlib>

#define BGPLAN_CHECK(cond)                                                                  \
  do {                                                                                      \
    if (!(cond)) {                                                                          \
      std::fprintf(stderr, "bgplan: internal error: check failed at %s:%d: %s\n", __FILE__, \
                   __LINE__, #cond);                                                        \
      std::abort();                                                                         \
    }                                                                                       \
  } while (false)
