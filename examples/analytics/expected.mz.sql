-- bgplan compile, target materialize: SQL for review; nothing here has run.
-- Statements run one per round trip (autocommit); BEGIN ... COMMIT is one atomic round trip.
-- "resolved at apply time" lines depend on the live catalog; `bgplan plan` prints them resolved.

-- phase init: deployment "analytics": create the green schemas and clusters next to blue
-- check (read-only): blue-missing: the blue schemas "marts", "staging" and clusters "compute", "serving" exist
-- check (read-only): blue-contains-sinks: no sink (mz_sinks.schema_id, mz_sinks.cluster_id) lives in the blue schemas "marts", "staging" and clusters "compute", "serving"
-- check (read-only): not-owner: unless mz_is_superuser(), the current role owns, directly or through role membership, the blue schemas "marts", "staging" and clusters "compute", "serving", and green where it exists
-- check (read-only): missing-privilege: unless mz_is_superuser(), the current role has CREATE and USAGE on the database (mz_internal.mz_show_my_database_privileges) and CREATECLUSTER (has_system_privilege)
-- check (read-only): unsized-replicas: every replica of the blue clusters "compute", "serving", where unmanaged, has a size (mz_cluster_replicas.size); replicas without one are all listed
-- check (read-only): cluster-settings-unsupported: the `cluster` settings of the plan suit the shape of the blue clusters "compute", "serving": hydration_size only on a managed cluster with a manual schedule; on an unmanaged blue, settings only with both size and replication_factor (green is then managed)
-- check (read-only): green-not-empty: where they exist, the green schemas "marts_dbt_deploy", "staging_dbt_deploy" and clusters "compute_dbt_deploy", "serving_dbt_deploy" are empty or carry this deployment's marker (unless --ignore-existing)
-- check (read-only): state-not-carried: a warning, never an error: the tables and sources of the blue schemas "marts", "staging" are listed; green does not inherit their rows

CREATE SCHEMA "marts_dbt_deploy";
-- resolved at apply time: copy the privileges of schema "marts" to "marts_dbt_deploy":
--   default privileges: for each row of mz_internal.mz_show_default_privileges with database = current_database() and schema = 'marts' (object_owner and grantee not 'none'):
--   ALTER DEFAULT PRIVILEGES FOR ROLE "<object_owner>" | FOR ALL ROLES IN SCHEMA "marts_dbt_deploy" GRANT <privilege_type> ON <object_type>S TO "<grantee>" | PUBLIC;
--   grants: revoke what green has, then grant what blue has, from mz_internal.mz_aclexplode(mz_schemas.privileges) (grantee ids through mz_roles):
--   REVOKE <privilege_type> ON SCHEMA "marts_dbt_deploy" FROM "<grantee>";
--   GRANT <privilege_type> ON SCHEMA "marts_dbt_deploy" TO "<grantee>";
--   grantees none, mz_system, mz_support and the current role are skipped.
-- resolved at apply time: mark each green object with this run; <run-id> is the journal id of the run:
--   COMMENT ON SCHEMA "marts_dbt_deploy" IS 'bgplan deployment analytics run <run-id>';

CREATE SCHEMA "staging_dbt_deploy";
-- resolved at apply time: copy the privileges of schema "staging" to "staging_dbt_deploy":
--   default privileges: for each row of mz_internal.mz_show_default_privileges with database = current_database() and schema = 'staging' (object_owner and grantee not 'none'):
--   ALTER DEFAULT PRIVILEGES FOR ROLE "<object_owner>" | FOR ALL ROLES IN SCHEMA "staging_dbt_deploy" GRANT <privilege_type> ON <object_type>S TO "<grantee>" | PUBLIC;
--   grants: revoke what green has, then grant what blue has, from mz_internal.mz_aclexplode(mz_schemas.privileges) (grantee ids through mz_roles):
--   REVOKE <privilege_type> ON SCHEMA "staging_dbt_deploy" FROM "<grantee>";
--   GRANT <privilege_type> ON SCHEMA "staging_dbt_deploy" TO "<grantee>";
--   grantees none, mz_system, mz_support and the current role are skipped.
-- resolved at apply time: mark each green object with this run; <run-id> is the journal id of the run:
--   COMMENT ON SCHEMA "staging_dbt_deploy" IS 'bgplan deployment analytics run <run-id>';

-- resolved at apply time: create green cluster "compute_dbt_deploy" as an exact clone of blue "compute":
--   managed blue: replay SHOW CREATE CLUSTER "compute" under the name "compute_dbt_deploy", every option as blue has it:
--   CREATE CLUSTER "compute_dbt_deploy" (<each option of blue: SIZE, REPLICATION FACTOR, SCHEDULE, AUTO SCALING STRATEGY, AVAILABILITY ZONES, INTROSPECTION INTERVAL, INTROSPECTION DEBUGGING, ...>);
--   (where the server does not give SHOW CREATE CLUSTER, the options come from mz_clusters, mz_internal.mz_cluster_schedules and mz_internal.mz_cluster_auto_scaling_strategies)
--   a blue being resized (mz_internal.mz_cluster_reconfigurations, in-progress) is cloned at the size it moves to (warning blue-reconfiguring)
--   set by the plan: SIZE = '200cc', REPLICATION FACTOR = 2;
--   unmanaged blue: cloned replica by replica from mz_cluster_replicas (name, size, availability_zone; internal replicas skipped), ordered by replica name:
--   CREATE CLUSTER "compute_dbt_deploy" REPLICAS ("<replica>" (SIZE '<size>'[, AVAILABILITY ZONE '<zone>']), ...);
--   (with both size and replication_factor in the plan, an unmanaged blue gets a managed green: CREATE CLUSTER "compute_dbt_deploy" (SIZE = '200cc', REPLICATION FACTOR = 2, ...))
-- resolved at apply time: copy the grants of cluster "compute" to "compute_dbt_deploy": revoke what green has, then grant what blue has, from mz_internal.mz_aclexplode(mz_clusters.privileges) (grantee ids through mz_roles):
--   REVOKE <privilege_type> ON CLUSTER "compute_dbt_deploy" FROM "<grantee>";
--   GRANT <privilege_type> ON CLUSTER "compute_dbt_deploy" TO "<grantee>";
--   grantees none, mz_system, mz_support and the current role are skipped.
-- resolved at apply time: mark each green object with this run; <run-id> is the journal id of the run:
--   COMMENT ON CLUSTER "compute_dbt_deploy" IS 'bgplan deployment analytics run <run-id>';

-- resolved at apply time: create green cluster "serving_dbt_deploy" as an exact clone of blue "serving":
--   managed blue: replay SHOW CREATE CLUSTER "serving" under the name "serving_dbt_deploy", every option as blue has it:
--   CREATE CLUSTER "serving_dbt_deploy" (<each option of blue: SIZE, REPLICATION FACTOR, SCHEDULE, AUTO SCALING STRATEGY, AVAILABILITY ZONES, INTROSPECTION INTERVAL, INTROSPECTION DEBUGGING, ...>);
--   (where the server does not give SHOW CREATE CLUSTER, the options come from mz_clusters, mz_internal.mz_cluster_schedules and mz_internal.mz_cluster_auto_scaling_strategies)
--   a blue being resized (mz_internal.mz_cluster_reconfigurations, in-progress) is cloned at the size it moves to (warning blue-reconfiguring)
--   unmanaged blue: cloned replica by replica from mz_cluster_replicas (name, size, availability_zone; internal replicas skipped), ordered by replica name:
--   CREATE CLUSTER "serving_dbt_deploy" REPLICAS ("<replica>" (SIZE '<size>'[, AVAILABILITY ZONE '<zone>']), ...);
-- resolved at apply time: copy the grants of cluster "serving" to "serving_dbt_deploy": revoke what green has, then grant what blue has, from mz_internal.mz_aclexplode(mz_clusters.privileges) (grantee ids through mz_roles):
--   REVOKE <privilege_type> ON CLUSTER "serving_dbt_deploy" FROM "<grantee>";
--   GRANT <privilege_type> ON CLUSTER "serving_dbt_deploy" TO "<grantee>";
--   grantees none, mz_system, mz_support and the current role are skipped.
-- resolved at apply time: mark each green object with this run; <run-id> is the journal id of the run:
--   COMMENT ON CLUSTER "serving_dbt_deploy" IS 'bgplan deployment analytics run <run-id>';
-- resolved at apply time: journal (schema --journal-schema, default "bgplan"): that the phase finished, for deployment "analytics"

-- phase await: deployment "analytics": wait until the green side is ready
-- resolved at apply time: poll readiness with one query per poll over all green clusters below (mz_clusters, mz_cluster_replicas, mz_internal.mz_hydration_statuses, mz_internal.mz_wallclock_global_lag, mz_internal.mz_cluster_replica_status_history):
--   failing = no replicas, or every replica OOM-killed 3+ times in 24h (exit 5 unless --tolerate-failing); reconfiguring = a resize in progress (mz_internal.mz_cluster_reconfigurations, v26.35+); hydrating = an object not hydrated on any replica;
--   lagging = an object's wallclock lag > lag_threshold (with compare_to_blue, for an object blue also has: > blue's lag + lag_threshold); lag-unknown = a lag reading longer than the environment has existed (mz_internal.mz_object_lifetimes); else ready (a cluster without dataflows is ready; an ON REFRESH cluster that is off is skipped with a warning).
--   done when all are ready in one poll and stay ready for stable_for; exit 4 at timeout.
--   deployment "analytics": clusters "compute_dbt_deploy", "serving_dbt_deploy"; poll_interval 15s, lag_threshold 1s, timeout 2h, stable_for 0s

-- phase promote: deployment "analytics": swap blue and green, tag the schemas, re-point sinks
-- check (read-only): blue-missing: the blue schemas "marts", "staging" and clusters "compute", "serving" exist
-- check (read-only): green-missing: the green schemas "marts_dbt_deploy", "staging_dbt_deploy" and clusters "compute_dbt_deploy", "serving_dbt_deploy" exist
-- check (read-only): not-owner: unless mz_is_superuser(), the current role owns, directly or through role membership, the blue schemas "marts", "staging" and clusters "compute", "serving" and green schemas "marts_dbt_deploy", "staging_dbt_deploy" and clusters "compute_dbt_deploy", "serving_dbt_deploy"
-- check (read-only): green-not-ours: the green schemas "marts_dbt_deploy", "staging_dbt_deploy" and clusters "compute_dbt_deploy", "serving_dbt_deploy" carry this deployment's marker comment (unless --force)
-- check (read-only): sink-upstream-missing: every sink whose upstream is in the blue schemas "marts", "staging" has an object of the same name in the matching green schema (mz_internal.mz_object_dependencies, mz_sinks, mz_objects)
-- check (read-only): orphaned-dependents: nothing outside the deployment except sinks depends on the blue schemas "marts", "staging" (mz_internal.mz_object_dependencies) (unless --allow-orphans)
-- check (read-only): missing-in-green: every object of the blue schemas "marts", "staging" has one of the same name and a compatible kind in the matching green schema (tables, views, materialized views and sources stand in for each other; sinks, indexes, connections, secrets and types must match) (unless --allow-missing)
-- check (read-only): incompatible-upstream: every sink reading the blue schemas "marts", "staging" finds each column of its upstream, with the same type, in the green counterpart (mz_columns)
-- check (read-only): repoint-not-owner: unless mz_is_superuser(), the current role owns, directly or through role membership, every sink (ALTER SINK ... SET FROM) that reads the blue schemas "marts", "staging", so the cut-over after the swap cannot fail on a right
-- check (read-only): state-not-carried: a warning, never an error: the tables and sources of the blue schemas "marts", "staging" are listed; green does not inherit their rows

-- resolved at apply time: journal (schema --journal-schema, default "bgplan"): the intent to swap, with the pre-swap ids of every blue and green object, for deployment "analytics"

-- swap in one atomic round trip, schemas first, then clusters.
-- On SQLSTATE 40001 only: ROLLBACK, sleep retry_backoff 1s, retry, at most max_retries 3 retries; any other error stops with nothing swapped.
BEGIN;
ALTER SCHEMA "marts" SWAP WITH "marts_dbt_deploy";
ALTER SCHEMA "staging" SWAP WITH "staging_dbt_deploy";
ALTER CLUSTER "compute" SWAP WITH "compute_dbt_deploy";
ALTER CLUSTER "serving" SWAP WITH "serving_dbt_deploy";
COMMIT;

-- resolved at apply time: journal (schema --journal-schema, default "bgplan"): the swap, with the ids now under each name, for deployment "analytics"
-- resolved at apply time: tag each production schema, one statement each; <user> = current_user, <time> = now(), <sha> = git rev-parse HEAD
--   (" | Commit SHA: <sha>" left out when unknown), <run-id> = the journal id of the run:
--   COMMENT ON SCHEMA "marts" IS 'Deployment by <user> on <time> | Commit SHA: <sha> | bgplan <run-id>';
--   COMMENT ON SCHEMA "staging" IS 'Deployment by <user> on <time> | Commit SHA: <sha> | bgplan <run-id>';
-- resolved at apply time: re-point sinks: read mz_internal.mz_object_dependencies joined to mz_sinks, mz_objects, mz_schemas and mz_databases for the sinks (expected in sinks schema "sink_schema", on cluster "sink_cluster") whose upstream lives in the blue schemas "marts", "staging";
--   for each, one statement at a time, each journaled (the name now holds the new object):
--   ALTER SINK "<db>"."<sink schema>"."<sink>" SET FROM "<db>"."marts"."<upstream>";
--   ALTER SINK "<db>"."<sink schema>"."<sink>" SET FROM "<db>"."staging"."<upstream>";

-- phase rollback: deployment "analytics": swap back, re-point sinks back
-- check (read-only): nothing-to-roll-back: promote ran and cleanup has not: the journal and the live ids of the blue schemas "marts", "staging" and clusters "compute", "serving" and green schemas "marts_dbt_deploy", "staging_dbt_deploy" and clusters "compute_dbt_deploy", "serving_dbt_deploy"
-- check (read-only): not-owner: unless mz_is_superuser(), the current role owns, directly or through role membership, the blue schemas "marts", "staging" and clusters "compute", "serving" and green schemas "marts_dbt_deploy", "staging_dbt_deploy" and clusters "compute_dbt_deploy", "serving_dbt_deploy"
-- check (read-only): orphaned-dependents: nothing outside the deployment except sinks depends on the blue schemas "marts", "staging" (mz_internal.mz_object_dependencies) (unless --allow-orphans)
-- check (read-only): repoint-not-owner: unless mz_is_superuser(), the current role owns, directly or through role membership, every sink (ALTER SINK ... SET FROM) that reads the blue schemas "marts", "staging", so the cut-over after the swap cannot fail on a right

-- swap back in one atomic round trip, schemas first, then clusters.
-- On SQLSTATE 40001 only: ROLLBACK, sleep retry_backoff 1s, retry, at most max_retries 3 retries; any other error stops with nothing swapped.
BEGIN;
ALTER SCHEMA "marts" SWAP WITH "marts_dbt_deploy";
ALTER SCHEMA "staging" SWAP WITH "staging_dbt_deploy";
ALTER CLUSTER "compute" SWAP WITH "compute_dbt_deploy";
ALTER CLUSTER "serving" SWAP WITH "serving_dbt_deploy";
COMMIT;

-- resolved at apply time: point sinks back: read mz_internal.mz_object_dependencies joined to mz_sinks, mz_objects, mz_schemas and mz_databases for the sinks (expected in sinks schema "sink_schema", on cluster "sink_cluster") whose upstream lives in the blue schemas "marts", "staging";
--   for each, one statement at a time, each journaled (the name now holds the previous object):
--   ALTER SINK "<db>"."<sink schema>"."<sink>" SET FROM "<db>"."marts"."<upstream>";
--   ALTER SINK "<db>"."<sink schema>"."<sink>" SET FROM "<db>"."staging"."<upstream>";
-- resolved at apply time: journal (schema --journal-schema, default "bgplan"): that the phase finished, for deployment "analytics"

-- phase cleanup: deployment "analytics": drop what now carries the green names (after promote: the previous blue)
-- check (read-only): not-promoted: promote ran (a rollback after it counts): the blue names carry green's recorded ids (journal), or rollback restored them, for the blue schemas "marts", "staging" and clusters "compute", "serving" (unless --abandon)
-- check (read-only): cleanup-id-mismatch: the green schemas "marts_dbt_deploy", "staging_dbt_deploy" and clusters "compute_dbt_deploy", "serving_dbt_deploy" carry the id the journal recorded for it (after promote the old blue's, else green's); no override skips this
-- check (read-only): cleanup-drops: a warning, never an error: every object DROP ... CASCADE of the green schemas "marts_dbt_deploy", "staging_dbt_deploy" and clusters "compute_dbt_deploy", "serving_dbt_deploy" removes is listed (kind and name)
-- check (read-only): cutover-unfinished: no sink reads an object of the green schemas "marts_dbt_deploy", "staging_dbt_deploy" (after promote: the old objects, an unfinished cut-over that promote finishes); no override drops a sink
-- check (read-only): not-owner: unless mz_is_superuser(), the current role owns, directly or through role membership, the green schemas "marts_dbt_deploy", "staging_dbt_deploy" and clusters "compute_dbt_deploy", "serving_dbt_deploy"
-- check (read-only): cleanup-drops-dependents: DROP ... CASCADE of the green schemas "marts_dbt_deploy", "staging_dbt_deploy" and clusters "compute_dbt_deploy", "serving_dbt_deploy" removes nothing else (mz_internal.mz_object_dependencies) (unless --drop-dependents)
-- check (read-only): keep-blue-not-elapsed: the rollback window has passed since promote (journal): deployment "analytics" keep_blue 1d (unless --before-keep-blue)

-- resolved at apply time: just before the drop, the schema "staging_dbt_deploy" still has the id the journal recorded for it (else cleanup-id-mismatch: exit 3, nothing more dropped)
DROP SCHEMA IF EXISTS "staging_dbt_deploy" CASCADE;
-- resolved at apply time: just before the drop, the schema "marts_dbt_deploy" still has the id the journal recorded for it (else cleanup-id-mismatch: exit 3, nothing more dropped)
DROP SCHEMA IF EXISTS "marts_dbt_deploy" CASCADE;
-- resolved at apply time: just before the drop, the cluster "serving_dbt_deploy" still has the id the journal recorded for it (else cleanup-id-mismatch: exit 3, nothing more dropped)
DROP CLUSTER IF EXISTS "serving_dbt_deploy" CASCADE;
-- resolved at apply time: just before the drop, the cluster "compute_dbt_deploy" still has the id the journal recorded for it (else cleanup-id-mismatch: exit 3, nothing more dropped)
DROP CLUSTER IF EXISTS "compute_dbt_deploy" CASCADE;
-- resolved at apply time: journal (schema --journal-schema, default "bgplan"): that the phase finished, for deployment "analytics"
