#include "tests/mzemu/catalog_history.h"

namespace mzemu {

namespace {

// Column names, order and types follow MaterializeInc/materialize src/catalog/src/builtin.rs
// (MZ_WALLCLOCK_LAG_HISTORY = WALLCLOCK_LAG_HISTORY_DESC in src/storage-client/src/healthcheck.rs,
// MZ_WALLCLOCK_GLOBAL_LAG_HISTORY, MZ_WALLCLOCK_GLOBAL_LAG_RECENT_HISTORY) and
// doc/user/content/sql/system-catalog/mz_internal.md (mz_show_role_members).
constexpr const char* kHistorySql = R"SQL(
-- Lag history. Nothing lags by itself here, so the history is the current lag (mzemu.lag via
-- mz_wallclock_global_lag) observed now: one row per persistent collection (tables, sources,
-- materialized views, sinks; replica_id NULL) and one per replica computing an index or a
-- materialized view.
CREATE VIEW mz_internal.mz_wallclock_lag_history AS
  SELECT g.object_id, NULL::text AS replica_id, g.lag, now() AS occurred_at
  FROM mz_internal.mz_wallclock_global_lag g JOIN mzemu.objects o ON o.id = g.object_id
  WHERE o.type IN ('table', 'source', 'materialized-view', 'sink')
  UNION ALL
  SELECT g.object_id, r.id, g.lag, now()
  FROM mz_internal.mz_wallclock_global_lag g JOIN mzemu.objects o ON o.id = g.object_id
       JOIN mz_catalog.mz_cluster_replicas r ON r.cluster_id = o.cluster_id
  WHERE o.type IN ('index', 'materialized-view');
-- Materialize's definitions: the minimum lag per object and minute, and its last day.
CREATE VIEW mz_internal.mz_wallclock_global_lag_history AS
  SELECT object_id, min(lag) AS lag, occurred_at
  FROM (SELECT object_id, lag, date_trunc('minute', occurred_at) AS occurred_at
        FROM mz_internal.mz_wallclock_lag_history) times_binned
  GROUP BY object_id, occurred_at;
CREATE VIEW mz_internal.mz_wallclock_global_lag_recent_history AS
  SELECT object_id, lag, occurred_at FROM mz_internal.mz_wallclock_global_lag_history
  WHERE occurred_at + interval '1 day' > mz_catalog.mz_now();

-- Role memberships by name. The "my" variant keeps the rows whose member the current role
-- has (Materialize: pg_has_role(member, 'USAGE')); a superuser sees every row.
CREATE VIEW mz_internal.mz_show_role_members AS
  SELECT r.name AS role, m.name AS member, g.name AS grantor
  FROM mz_catalog.mz_role_members rm
       JOIN mz_catalog.mz_roles r ON r.id = rm.role_id
       JOIN mz_catalog.mz_roles m ON m.id = rm.member
       JOIN mz_catalog.mz_roles g ON g.id = rm.grantor;
CREATE VIEW mz_internal.mz_show_my_role_members AS
  SELECT * FROM mz_internal.mz_show_role_members WHERE mzemu.my_grantee(member);
)SQL";

}  // namespace

std::string CatalogHistorySql() { return kHistorySql; }

}  // namespace mzemu
