#include "tests/mzemu/catalog_2026.h"

namespace mzemu {

namespace {

constexpr const char* k2026Sql = R"SQL(
-- The emulated version: Session::SyncBackendSession sets the GUC mzemu.mz_version of every
-- backing session (the catalog is reused by emulators started with other --mz-version values).
-- Materialize: mz_version() is BuildInfo::human_version() ("v26.40.0 (<sha>)"),
-- mz_version_num() formats "{:0>2}{:0>3}{:0>2}" of major, minor, patch (v26.40.0 -> 2604000)
-- and version() is "PostgreSQL 9.5 on <target triple> (Materialize <version without v>)"
-- (src/build-info/src/lib.rs; src/expr/src/scalar/func/unmaterializable.rs).
CREATE FUNCTION mzemu.mz_version_text() RETURNS text LANGUAGE sql STABLE AS
  $$ SELECT coalesce(nullif(pg_catalog.current_setting('mzemu.mz_version', true), ''),
                     'v26.40.0') $$;
CREATE FUNCTION mz_catalog.mz_version() RETURNS text LANGUAGE sql STABLE AS
  $$ SELECT mzemu.mz_version_text() || ' (mzemu)' $$;
CREATE FUNCTION mz_catalog.mz_version_num() RETURNS integer LANGUAGE sql STABLE AS $$
  SELECT split_part(v, '.', 1)::int * 100000 + split_part(v, '.', 2)::int * 100
         + split_part(v, '.', 3)::int
  FROM (SELECT substr(mzemu.mz_version_text(), 2) AS v) x $$;
CREATE FUNCTION mz_catalog.version() RETURNS text LANGUAGE sql STABLE AS
  $$ SELECT 'PostgreSQL 9.5 on x86_64-unknown-linux-gnu (Materialize '
            || substr(mzemu.mz_version_text(), 2) || ')' $$;

-- Per-cluster settings without an mz_clusters column: EXPERIMENTAL ARRANGEMENT COMPRESSION
-- (a field of the durable ManagedCluster since catalog objects v90; absent = false).
CREATE TABLE mzemu.cluster_settings (cluster_id text PRIMARY KEY,
  arrangement_compression boolean NOT NULL DEFAULT false);

-- The latest graceful reconfiguration of each managed cluster (v26.35 release notes: "SELECT
-- cluster_id, status, deadline, on_timeout, target, changes FROM
-- mz_internal.mz_cluster_reconfigurations"; status in-progress, then finalized, timed-out,
-- cancelled or resource-exhausted). `deadline` is milliseconds since the epoch (Materialize's
-- mz_timestamp; clients write deadline::text::numeric). `target` is the shape the cluster moves
-- to; `changes` the dimensions that differ from the realized shape ({} once settled).
CREATE TABLE mz_internal.mz_cluster_reconfigurations (
  cluster_id text PRIMARY KEY, status text NOT NULL, deadline mz_catalog.uint8 NOT NULL,
  on_timeout text NOT NULL, target jsonb NOT NULL, changes jsonb NOT NULL);
-- The shape of cluster $1 with size $2 (NULL: its realized size).
CREATE FUNCTION mzemu.cluster_shape(text, text) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object('size', coalesce($2, c.size),
           'replication_factor', c.replication_factor::bigint,
           'availability_zones', to_jsonb(coalesce(c.availability_zones, '{}')),
           'arrangement_compression', coalesce(s.arrangement_compression, false))
  FROM mz_catalog.mz_clusters c LEFT JOIN mzemu.cluster_settings s ON s.cluster_id = c.id
  WHERE c.id = $1 $$;
CREATE FUNCTION mzemu.cluster_changes(text, text) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN $2 IS DISTINCT FROM c.size
              THEN jsonb_build_object('size', jsonb_build_object('from', c.size, 'to', $2))
              ELSE '{}'::jsonb END
  FROM mz_catalog.mz_clusters c WHERE c.id = $1 $$;
-- Test control: the cluster controller ending the in-progress reconfiguration of `cluster`.
-- finalized: the target size is applied (replicas r1..rN replaced, new ids); timed-out (with
-- ON TIMEOUT ROLLBACK), cancelled, resource-exhausted: nothing is applied. Either way the
-- record settles at the realized shape. A catalog change, so it bumps the catalog version.
CREATE FUNCTION mzemu.mzemu_finish_reconfiguration(cluster text, new_status text) RETURNS text
  LANGUAGE plpgsql AS $$
DECLARE
  c record;
  rc record;
BEGIN
  SELECT * INTO c FROM mz_catalog.mz_clusters WHERE name = cluster OR id = cluster
    ORDER BY name = cluster DESC LIMIT 1;
  IF c.id IS NULL THEN
    RAISE EXCEPTION 'unknown cluster ''%''', cluster USING ERRCODE = '42704';
  END IF;
  IF new_status NOT IN ('finalized', 'timed-out', 'cancelled', 'resource-exhausted') THEN
    RAISE EXCEPTION 'mzemu: status must be finalized, timed-out, cancelled or '
      'resource-exhausted, not %', new_status USING ERRCODE = '22023';
  END IF;
  SELECT * INTO rc FROM mz_internal.mz_cluster_reconfigurations r
    WHERE r.cluster_id = c.id AND r.status = 'in-progress';
  IF rc.cluster_id IS NULL THEN
    RAISE EXCEPTION 'mzemu: cluster % has no reconfiguration in progress', cluster
      USING ERRCODE = '22023';
  END IF;
  IF new_status = 'finalized' THEN
    UPDATE mz_catalog.mz_clusters SET size = rc.target->>'size' WHERE id = c.id;
    DELETE FROM mz_catalog.mz_cluster_replicas WHERE cluster_id = c.id
      AND id NOT IN (SELECT id FROM mz_internal.mz_internal_cluster_replicas);
    INSERT INTO mz_catalog.mz_cluster_replicas
      SELECT mzemu.new_id('replica'), 'r' || n, c.id, rc.target->>'size', NULL, c.owner_id, false
      FROM generate_series(1, coalesce(c.replication_factor, 0)::int) n;
  END IF;
  UPDATE mz_internal.mz_cluster_reconfigurations SET status = new_status,
    target = mzemu.cluster_shape(c.id, NULL), changes = '{}' WHERE cluster_id = c.id;
  UPDATE mzemu.state SET catalog_version = catalog_version + 1;
  RETURN c.id;
END $$;

-- Hydration bursts (clusters/autoscaling.md; mz_cluster_controller HydrationBurstStrategy):
-- while an ON HYDRATION cluster has an object that no replica has hydrated, a burst replica of
-- HYDRATION SIZE runs, shown in `state` as {"burst": {"burst_size": ...}}. "Zero objects make
-- the condition vacuously unsatisfied": a cluster without objects never bursts. Not emulated:
-- the burst replica's row in mz_cluster_replicas, and LINGER DURATION (the burst ends as soon
-- as every object is hydrated).
CREATE VIEW mz_internal.mz_cluster_auto_scaling_strategies AS
  SELECT s.cluster_id, s.strategy,
         CASE WHEN s.strategy ? 'on_hydration' AND EXISTS (
                SELECT 1 FROM mz_internal.mz_hydration_statuses h
                JOIN mzemu.objects o ON o.id = h.object_id
                WHERE o.cluster_id = s.cluster_id AND h.replica_id IS NOT NULL
                GROUP BY h.object_id HAVING NOT bool_or(coalesce(h.hydrated, false)))
              THEN jsonb_build_object('burst', jsonb_build_object('burst_size',
                     s.strategy->'on_hydration'->>'hydration_size'))
         END AS state
  FROM mzemu.auto_scaling_strategies s;

-- Lifetime events (Materialize: mz_internal.mz_object_lifetimes over the audit log's create and
-- drop events; columns as in doc/user/content/sql/system-catalog/mz_internal.md). Recorded by
-- triggers for every user (u...) database, schema, cluster, cluster replica and catalog item;
-- object_type in the audit-log spelling (table, materialized-view, cluster-replica, ...).
CREATE TABLE mzemu.object_history (id text NOT NULL, previous_id text, object_type text NOT NULL,
  event_type text NOT NULL, occurred_at timestamptz NOT NULL);
CREATE VIEW mz_internal.mz_object_lifetimes AS
  SELECT id, previous_id, object_type, event_type, occurred_at FROM mzemu.object_history;
CREATE FUNCTION mzemu.record_lifetime() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  j jsonb;
BEGIN
  IF TG_OP = 'DELETE' THEN j := to_jsonb(OLD); ELSE j := to_jsonb(NEW); END IF;
  IF j->>'id' LIKE 'u%' THEN
    INSERT INTO mzemu.object_history VALUES (j->>'id', NULL,
      CASE WHEN TG_ARGV[0] = 'item' THEN j->>'type' ELSE TG_ARGV[0] END,
      CASE WHEN TG_OP = 'DELETE' THEN 'drop' ELSE 'create' END, now());
  END IF;
  IF TG_OP = 'DELETE' AND TG_ARGV[0] = 'cluster' THEN
    DELETE FROM mz_internal.mz_cluster_reconfigurations WHERE cluster_id = j->>'id';
    DELETE FROM mzemu.cluster_settings WHERE cluster_id = j->>'id';
  END IF;
  RETURN NULL;
END $$;
-- Test control: the catalog's history as if it had happened `age` earlier (an environment older
-- than the test's few seconds, so lag readings up to that age are plausible).
CREATE FUNCTION mzemu.mzemu_backdate_history(age interval) RETURNS text LANGUAGE sql AS $$
  UPDATE mzemu.object_history SET occurred_at = occurred_at - age;
  SELECT 'backdated' $$;
CREATE TRIGGER lifetimes AFTER INSERT OR DELETE ON mzemu.objects
  FOR EACH ROW EXECUTE FUNCTION mzemu.record_lifetime('item');
CREATE TRIGGER lifetimes AFTER INSERT OR DELETE ON mz_catalog.mz_schemas
  FOR EACH ROW EXECUTE FUNCTION mzemu.record_lifetime('schema');
CREATE TRIGGER lifetimes AFTER INSERT OR DELETE ON mz_catalog.mz_databases
  FOR EACH ROW EXECUTE FUNCTION mzemu.record_lifetime('database');
CREATE TRIGGER lifetimes AFTER INSERT OR DELETE ON mz_catalog.mz_clusters
  FOR EACH ROW EXECUTE FUNCTION mzemu.record_lifetime('cluster');
CREATE TRIGGER lifetimes AFTER INSERT OR DELETE ON mz_catalog.mz_cluster_replicas
  FOR EACH ROW EXECUTE FUNCTION mzemu.record_lifetime('cluster-replica');
)SQL";

}  // namespace

std::string Catalog2026Sql() { return k2026Sql; }

}  // namespace mzemu
