// Emulator fidelity tests (issue 12): privileges.
#include "tests/mzemu/mzemu_fixture.h"

namespace {

using mzemu_test::Conn;
using mzemu_test::MzemuTest;
using mzemu_test::Res;

}  // namespace
