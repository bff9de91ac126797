// The complete example of language.md section 1, verbatim (tests parse and format it).
#pragma once

#include <string_view>

namespace bgplan::testing {

inline constexpr std::string_view kLanguageExample =
    R"bgplan(# analytics.bgplan: the analytics stack, deployed blue/green.
target materialize;

deployment analytics {
    schemas  marts, staging;          # production ("blue") schemas in the current database
    clusters compute, serving;        # production clusters

    cluster compute {                 # optional: size the green copy differently
        size '200cc';
        replication_factor 2;
    }

    sinks {                           # sinks live here; never swapped, cut over after promote
        schemas  sink_schema;
        clusters sink_cluster;
    }

    suffix '_dbt_deploy';             # the default; green = blue name + suffix

    await {
        poll_interval 15s;
        lag_threshold 1s;
        timeout       2h;
    }

    promote {
        wait          false;
        max_retries   3;
        retry_backoff 1s;
    }

    cleanup {
        keep_blue 24h;                # rollback window before the old objects are dropped
    }
}
)bgplan";

}  // namespace bgplan::testing
