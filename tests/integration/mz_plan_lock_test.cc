// Plan files, fingerprints and the lock schema on the Materialize path (both lanes).
#include "tests/integration/mz_fixture.h"
