-- bgplan compile, target materialize: SQL for review; nothing here has run.
-- Statements run one per round trip (autocommit); BEGIN ... COMMIT is one atomic round trip.
-- "resolved at apply time" lines depend on the live catalog; `bgplan plan` prints them resolved.

-- phase init: deployment "odd one": create the green schemas and clusters next to blue
-- check (read-only): blue-missing: the blue schemas "we""ird; DROP TABLE x", "target", "Märts", "it's" and clusters "my cluster", "Compute" exist
-- check (read-only): blue-contains-sinks: no sink (mz_sinks.schema_id, mz_sinks.cluster_id) lives in the blue schemas "we""ird; DROP TABLE x", "target", "Märts", "it's" and clusters "my cluster", "Compute"
-- check (read-only): not-owner: unless mz_is_superuser(), the current role owns, directly or through role membership, the blue schemas "we""ird; DROP TABLE x", "target", "Märts", "it's" and clusters "my cluster", "Compute", and green where it exists
-- check (read-only): missing-privilege: unless mz_is_superuser(), the current role has CREATE and USAGE on the database (mz_internal.mz_show_my_database_privileges) and CREATECLUSTER (has_system_privilege)
-- check (read-only): unsized-replicas: every replica of the blue clusters "my cluster", "Compute", where unmanaged, has a size (mz_cluster_replicas.size); replicas without one are all listed
-- check (read-only): cluster-settings-unsupported: the `cluster` settings of the plan suit the shape of the blue clusters "my cluster", "Compute": hydration_size only on a managed cluster with a manual schedule; on an unmanaged blue, settings only with both size and replication_factor (green is then managed)
-- check (read-only): green-not-empty: where they exist, the green schemas "we""ird; DROP TABLE x_dbt'deploy", "target_dbt'deploy", "Märts_dbt'deploy", "it's_dbt'deploy" and clusters "my cluster_dbt'deploy", "Compute_dbt'deploy" are empty or carry this deployment's marker (unless --ignore-existing)
-- check (read-only): state-not-carried: a warning, never an error: the tables and sources of the blue schemas "we""ird; DROP TABLE x", "target", "Märts", "it's" are listed; green does not inherit their rows

CREATE SCHEMA "we""ird; DROP TABLE x_dbt'deploy";
-- resolved at apply time: copy the privileges of schema "we""ird; DROP TABLE x" to "we""ird; DROP TABLE x_dbt'deploy":
--   default privileges: for each row of mz_internal.mz_show_default_privileges with database = current_database() and schema = 'we"ird; DROP TABLE x' (object_owner and grantee not 'none'):
--   ALTER DEFAULT PRIVILEGES FOR ROLE "<object_owner>" | FOR ALL ROLES IN SCHEMA "we""ird; DROP TABLE x_dbt'deploy" GRANT <privilege_type> ON <object_type>S TO "<grantee>" | PUBLIC;
--   grants: revoke what green has, then grant what blue has, from mz_internal.mz_aclexplode(mz_schemas.privileges) (grantee ids through mz_roles):
--   REVOKE <privilege_type> ON SCHEMA "we""ird; DROP TABLE x_dbt'deploy" FROM "<grantee>";
--   GRANT <privilege_type> ON SCHEMA "we""ird; DROP TABLE x_dbt'deploy" TO "<grantee>";
--   grantees none, mz_system, mz_support and the current role are skipped.
-- resolved at apply time: mark each green object with this run; <run-id> is the journal id of the run:
--   COMMENT ON SCHEMA "we""ird; DROP TABLE x_dbt'deploy" IS 'bgplan deployment odd one run <run-id>';

CREATE SCHEMA "target_dbt'deploy";
-- resolved at apply time: copy the privileges of schema "target" to "target_dbt'deploy":
--   default privileges: for each row of mz_internal.mz_show_default_privileges with database = current_database() and schema = 'target' (object_owner and grantee not 'none'):
--   ALTER DEFAULT PRIVILEGES FOR ROLE "<object_owner>" | FOR ALL ROLES IN SCHEMA "target_dbt'deploy" GRANT <privilege_type> ON <object_type>S TO "<grantee>" | PUBLIC;
--   grants: revoke what green has, then grant what blue has, from mz_internal.mz_aclexplode(mz_schemas.privileges) (grantee ids through mz_roles):
--   REVOKE <privilege_type> ON SCHEMA "target_dbt'deploy" FROM "<grantee>";
--   GRANT <privilege_type> ON SCHEMA "target_dbt'deploy" TO "<grantee>";
--   grantees none, mz_system, mz_support and the current role are skipped.
-- resolved at apply time: mark each green object with this run; <run-id> is the journal id of the run:
--   COMMENT ON SCHEMA "target_dbt'deploy" IS 'bgplan deployment odd one run <run-id>';

CREATE SCHEMA "Märts_dbt'deploy";
-- resolved at apply time: copy the privileges of schema "Märts" to "Märts_dbt'deploy":
--   default privileges: for each row of mz_internal.mz_show_default_privileges with database = current_database() and schema = 'Märts' (object_owner and grantee not 'none'):
--   ALTER DEFAULT PRIVILEGES FOR ROLE "<object_owner>" | FOR ALL ROLES IN SCHEMA "Märts_dbt'deploy" GRANT <privilege_type> ON <object_type>S TO "<grantee>" | PUBLIC;
--   grants: revoke what green has, then grant what blue has, from mz_internal.mz_aclexplode(mz_schemas.privileges) (grantee ids through mz_roles):
--   REVOKE <privilege_type> ON SCHEMA "Märts_dbt'deploy" FROM "<grantee>";
--   GRANT <privilege_type> ON SCHEMA "Märts_dbt'deploy" TO "<grantee>";
--   grantees none, mz_system, mz_support and the current role are skipped.
-- resolved at apply time: mark each green object with this run; <run-id> is the journal id of the run:
--   COMMENT ON SCHEMA "Märts_dbt'deploy" IS 'bgplan deployment odd one run <run-id>';

CREATE SCHEMA "it's_dbt'deploy";
-- resolved at apply time: copy the privileges of schema "it's" to "it's_dbt'deploy":
--   default privileges: for each row of mz_internal.mz_show_default_privileges with database = current_database() and schema = 'it''s' (object_owner and grantee not 'none'):
--   ALTER DEFAULT PRIVILEGES FOR ROLE "<object_owner>" | FOR ALL ROLES IN SCHEMA "it's_dbt'deploy" GRANT <privilege_type> ON <object_type>S TO "<grantee>" | PUBLIC;
--   grants: revoke what green has, then grant what blue has, from mz_internal.mz_aclexplode(mz_schemas.privileges) (grantee ids through mz_roles):
--   REVOKE <privilege_type> ON SCHEMA "it's_dbt'deploy" FROM "<grantee>";
--   GRANT <privilege_type> ON SCHEMA "it's_dbt'deploy" TO "<grantee>";
--   grantees none, mz_system, mz_support and the current role are skipped.
-- resolved at apply time: mark each green object with this run; <run-id> is the journal id of the run:
--   COMMENT ON SCHEMA "it's_dbt'deploy" IS 'bgplan deployment odd one run <run-id>';

-- resolved at apply time: create green cluster "my cluster_dbt'deploy" as an exact clone of blue "my cluster":
--   managed blue: replay SHOW CREATE CLUSTER "my cluster" under the name "my cluster_dbt'deploy", every option as blue has it:
--   CREATE CLUSTER "my cluster_dbt'deploy" (<each option of blue: SIZE, REPLICATION FACTOR, SCHEDULE, AUTO SCALING STRATEGY, AVAILABILITY ZONES, INTROSPECTION INTERVAL, INTROSPECTION DEBUGGING, ...>);
--   (where the server does not give SHOW CREATE CLUSTER, the options come from mz_clusters, mz_internal.mz_cluster_schedules and mz_internal.mz_cluster_auto_scaling_strategies)
--   a blue being resized (mz_internal.mz_cluster_reconfigurations, in-progress) is cloned at the size it moves to (warning blue-reconfiguring)
--   set by the plan: SIZE = '25cc', REPLICATION FACTOR = 1;
--   unmanaged blue: cloned replica by replica from mz_cluster_replicas (name, size, availability_zone; internal replicas skipped), ordered by replica name:
--   CREATE CLUSTER "my cluster_dbt'deploy" REPLICAS ("<replica>" (SIZE '<size>'[, AVAILABILITY ZONE '<zone>']), ...);
--   (with both size and replication_factor in the plan, an unmanaged blue gets a managed green: CREATE CLUSTER "my cluster_dbt'deploy" (SIZE = '25cc', REPLICATION FACTOR = 1, ...))
-- resolved at apply time: copy the grants of cluster "my cluster" to "my cluster_dbt'deploy": revoke what green has, then grant what blue has, from mz_internal.mz_aclexplode(mz_clusters.privileges) (grantee ids through mz_roles):
--   REVOKE <privilege_type> ON CLUSTER "my cluster_dbt'deploy" FROM "<grantee>";
--   GRANT <privilege_type> ON CLUSTER "my cluster_dbt'deploy" TO "<grantee>";
--   grantees none, mz_system, mz_support and the current role are skipped.
-- resolved at apply time: mark each green object with this run; <run-id> is the journal id of the run:
--   COMMENT ON CLUSTER "my cluster_dbt'deploy" IS 'bgplan deployment odd one run <run-id>';

-- resolved at apply time: create green cluster "Compute_dbt'deploy" as an exact clone of blue "Compute":
--   managed blue: replay SHOW CREATE CLUSTER "Compute" under the name "Compute_dbt'deploy", every option as blue has it:
--   CREATE CLUSTER "Compute_dbt'deploy" (<each option of blue: SIZE, REPLICATION FACTOR, SCHEDULE, AUTO SCALING STRATEGY, AVAILABILITY ZONES, INTROSPECTION INTERVAL, INTROSPECTION DEBUGGING, ...>);
--   (where the server does not give SHOW CREATE CLUSTER, the options come from mz_clusters, mz_internal.mz_cluster_schedules and mz_internal.mz_cluster_auto_scaling_strategies)
--   a blue being resized (mz_internal.mz_cluster_reconfigurations, in-progress) is cloned at the size it moves to (warning blue-reconfiguring)
--   unmanaged blue: cloned replica by replica from mz_cluster_replicas (name, size, availability_zone; internal replicas skipped), ordered by replica name:
--   CREATE CLUSTER "Compute_dbt'deploy" REPLICAS ("<replica>" (SIZE '<size>'[, AVAILABILITY ZONE '<zone>']), ...);
-- resolved at apply time: copy the grants of cluster "Compute" to "Compute_dbt'deploy": revoke what green has, then grant what blue has, from mz_internal.mz_aclexplode(mz_clusters.privileges) (grantee ids through mz_roles):
--   REVOKE <privilege_type> ON CLUSTER "Compute_dbt'deploy" FROM "<grantee>";
--   GRANT <privilege_type> ON CLUSTER "Compute_dbt'deploy" TO "<grantee>";
--   grantees none, mz_system, mz_support and the current role are skipped.
-- resolved at apply time: mark each green object with this run; <run-id> is the journal id of the run:
--   COMMENT ON CLUSTER "Compute_dbt'deploy" IS 'bgplan deployment odd one run <run-id>';
-- resolved at apply time: journal (schema --journal-schema, default "bgplan"): that the phase finished, for deployment "odd one"

-- phase await: deployment "odd one": wait until the green side is ready
-- resolved at apply time: poll readiness with one query per poll over all green clusters below (mz_clusters, mz_cluster_replicas, mz_internal.mz_hydration_statuses, mz_internal.mz_wallclock_global_lag, mz_internal.mz_cluster_replica_status_history):
--   failing = no replicas, or every replica OOM-killed 3+ times in 24h (exit 5 unless --tolerate-failing); reconfiguring = a resize in progress (mz_internal.mz_cluster_reconfigurations, v26.35+); hydrating = an object not hydrated on any replica;
--   lagging = an object's wallclock lag > lag_threshold (with compare_to_blue, for an object blue also has: > blue's lag + lag_threshold); lag-unknown = a lag reading longer than the environment has existed (mz_internal.mz_object_lifetimes); else ready (a cluster without dataflows is ready; an ON REFRESH cluster that is off is skipped with a warning).
--   done when all are ready in one poll and stay ready for stable_for; exit 4 at timeout.
--   deployment "odd one": clusters "my cluster_dbt'deploy", "Compute_dbt'deploy"; poll_interval 15s, lag_threshold 1s, timeout 1d, stable_for 0s

-- phase promote: deployment "odd one": swap blue and green, tag the schemas, re-point sinks
-- check (read-only): blue-missing: the blue schemas "we""ird; DROP TABLE x", "target", "Märts", "it's" and clusters "my cluster", "Compute" exist
-- check (read-only): green-missing: the green schemas "we""ird; DROP TABLE x_dbt'deploy", "target_dbt'deploy", "Märts_dbt'deploy", "it's_dbt'deploy" and clusters "my cluster_dbt'deploy", "Compute_dbt'deploy" exist
-- check (read-only): not-owner: unless mz_is_superuser(), the current role owns, directly or through role membership, the blue schemas "we""ird; DROP TABLE x", "target", "Märts", "it's" and clusters "my cluster", "Compute" and green schemas "we""ird; DROP TABLE x_dbt'deploy", "target_dbt'deploy", "Märts_dbt'deploy", "it's_dbt'deploy" and clusters "my cluster_dbt'deploy", "Compute_dbt'deploy"
-- check (read-only): green-not-ours: the green schemas "we""ird; DROP TABLE x_dbt'deploy", "target_dbt'deploy", "Märts_dbt'deploy", "it's_dbt'deploy" and clusters "my cluster_dbt'deploy", "Compute_dbt'deploy" carry this deployment's marker comment (unless --force)
-- check (read-only): sink-upstream-missing: every sink whose upstream is in the blue schemas "we""ird; DROP TABLE x", "target", "Märts", "it's" has an object of the same name in the matching green schema (mz_internal.mz_object_dependencies, mz_sinks, mz_objects)
-- check (read-only): orphaned-dependents: nothing outside the deployment except sinks depends on the blue schemas "we""ird; DROP TABLE x", "target", "Märts", "it's" (mz_internal.mz_object_dependencies) (unless --allow-orphans)
-- check (read-only): missing-in-green: every object of the blue schemas "we""ird; DROP TABLE x", "target", "Märts", "it's" has one of the same name and a compatible kind in the matching green schema (tables, views, materialized views and sources stand in for each other; sinks, indexes, connections, secrets and types must match) (unless --allow-missing)
-- check (read-only): incompatible-upstream: every sink reading the blue schemas "we""ird; DROP TABLE x", "target", "Märts", "it's" finds each column of its upstream, with the same type, in the green counterpart (mz_columns)
-- check (read-only): repoint-not-owner: unless mz_is_superuser(), the current role owns, directly or through role membership, every sink (ALTER SINK ... SET FROM) that reads the blue schemas "we""ird; DROP TABLE x", "target", "Märts", "it's", so the cut-over after the swap cannot fail on a right
-- check (read-only): state-not-carried: a warning, never an error: the tables and sources of the blue schemas "we""ird; DROP TABLE x", "target", "Märts", "it's" are listed; green does not inherit their rows

-- resolved at apply time: journal (schema --journal-schema, default "bgplan"): the intent to swap, with the pre-swap ids of every blue and green object, for deployment "odd one"

-- swap in one atomic round trip, schemas first, then clusters.
-- On SQLSTATE 40001 only: ROLLBACK, sleep retry_backoff 1s, retry, at most max_retries 3 retries; any other error stops with nothing swapped.
BEGIN;
ALTER SCHEMA "we""ird; DROP TABLE x" SWAP WITH "we""ird; DROP TABLE x_dbt'deploy";
ALTER SCHEMA "target" SWAP WITH "target_dbt'deploy";
ALTER SCHEMA "Märts" SWAP WITH "Märts_dbt'deploy";
ALTER SCHEMA "it's" SWAP WITH "it's_dbt'deploy";
ALTER CLUSTER "my cluster" SWAP WITH "my cluster_dbt'deploy";
ALTER CLUSTER "Compute" SWAP WITH "Compute_dbt'deploy";
COMMIT;

-- resolved at apply time: journal (schema --journal-schema, default "bgplan"): the swap, with the ids now under each name, for deployment "odd one"
-- resolved at apply time: tag each production schema, one statement each; <user> = current_user, <time> = now(), <sha> = git rev-parse HEAD
--   (" | Commit SHA: <sha>" left out when unknown), <run-id> = the journal id of the run:
--   COMMENT ON SCHEMA "we""ird; DROP TABLE x" IS 'Deployment by <user> on <time> | Commit SHA: <sha> | bgplan <run-id>';
--   COMMENT ON SCHEMA "target" IS 'Deployment by <user> on <time> | Commit SHA: <sha> | bgplan <run-id>';
--   COMMENT ON SCHEMA "Märts" IS 'Deployment by <user> on <time> | Commit SHA: <sha> | bgplan <run-id>';
--   COMMENT ON SCHEMA "it's" IS 'Deployment by <user> on <time> | Commit SHA: <sha> | bgplan <run-id>';
-- resolved at apply time: re-point sinks: read mz_internal.mz_object_dependencies joined to mz_sinks, mz_objects, mz_schemas and mz_databases for the sinks (expected in sinks schema "sink's", on cluster "sink ""cluster""") whose upstream lives in the blue schemas "we""ird; DROP TABLE x", "target", "Märts", "it's";
--   for each, one statement at a time, each journaled (the name now holds the new object):
--   ALTER SINK "<db>"."<sink schema>"."<sink>" SET FROM "<db>"."we""ird; DROP TABLE x"."<upstream>";
--   ALTER SINK "<db>"."<sink schema>"."<sink>" SET FROM "<db>"."target"."<upstream>";
--   ALTER SINK "<db>"."<sink schema>"."<sink>" SET FROM "<db>"."Märts"."<upstream>";
--   ALTER SINK "<db>"."<sink schema>"."<sink>" SET FROM "<db>"."it's"."<upstream>";

-- phase rollback: deployment "odd one": swap back, re-point sinks back
-- check (read-only): nothing-to-roll-back: promote ran and cleanup has not: the journal and the live ids of the blue schemas "we""ird; DROP TABLE x", "target", "Märts", "it's" and clusters "my cluster", "Compute" and green schemas "we""ird; DROP TABLE x_dbt'deploy", "target_dbt'deploy", "Märts_dbt'deploy", "it's_dbt'deploy" and clusters "my cluster_dbt'deploy", "Compute_dbt'deploy"
-- check (read-only): not-owner: unless mz_is_superuser(), the current role owns, directly or through role membership, the blue schemas "we""ird; DROP TABLE x", "target", "Märts", "it's" and clusters "my cluster", "Compute" and green schemas "we""ird; DROP TABLE x_dbt'deploy", "target_dbt'deploy", "Märts_dbt'deploy", "it's_dbt'deploy" and clusters "my cluster_dbt'deploy", "Compute_dbt'deploy"
-- check (read-only): orphaned-dependents: nothing outside the deployment except sinks depends on the blue schemas "we""ird; DROP TABLE x", "target", "Märts", "it's" (mz_internal.mz_object_dependencies) (unless --allow-orphans)
-- check (read-only): repoint-not-owner: unless mz_is_superuser(), the current role owns, directly or through role membership, every sink (ALTER SINK ... SET FROM) that reads the blue schemas "we""ird; DROP TABLE x", "target", "Märts", "it's", so the cut-over after the swap cannot fail on a right

-- swap back in one atomic round trip, schemas first, then clusters.
-- On SQLSTATE 40001 only: ROLLBACK, sleep retry_backoff 1s, retry, at most max_retries 3 retries; any other error stops with nothing swapped.
BEGIN;
ALTER SCHEMA "we""ird; DROP TABLE x" SWAP WITH "we""ird; DROP TABLE x_dbt'deploy";
ALTER SCHEMA "target" SWAP WITH "target_dbt'deploy";
ALTER SCHEMA "Märts" SWAP WITH "Märts_dbt'deploy";
ALTER SCHEMA "it's" SWAP WITH "it's_dbt'deploy";
ALTER CLUSTER "my cluster" SWAP WITH "my cluster_dbt'deploy";
ALTER CLUSTER "Compute" SWAP WITH "Compute_dbt'deploy";
COMMIT;

-- resolved at apply time: point sinks back: read mz_internal.mz_object_dependencies joined to mz_sinks, mz_objects, mz_schemas and mz_databases for the sinks (expected in sinks schema "sink's", on cluster "sink ""cluster""") whose upstream lives in the blue schemas "we""ird; DROP TABLE x", "target", "Märts", "it's";
--   for each, one statement at a time, each journaled (the name now holds the previous object):
--   ALTER SINK "<db>"."<sink schema>"."<sink>" SET FROM "<db>"."we""ird; DROP TABLE x"."<upstream>";
--   ALTER SINK "<db>"."<sink schema>"."<sink>" SET FROM "<db>"."target"."<upstream>";
--   ALTER SINK "<db>"."<sink schema>"."<sink>" SET FROM "<db>"."Märts"."<upstream>";
--   ALTER SINK "<db>"."<sink schema>"."<sink>" SET FROM "<db>"."it's"."<upstream>";
-- resolved at apply time: journal (schema --journal-schema, default "bgplan"): that the phase finished, for deployment "odd one"

-- phase cleanup: deployment "odd one": drop what now carries the green names (after promote: the previous blue)
-- check (read-only): not-promoted: promote ran (a rollback after it counts): the blue names carry green's recorded ids (journal), or rollback restored them, for the blue schemas "we""ird; DROP TABLE x", "target", "Märts", "it's" and clusters "my cluster", "Compute" (unless --abandon)
-- check (read-only): cleanup-id-mismatch: the green schemas "we""ird; DROP TABLE x_dbt'deploy", "target_dbt'deploy", "Märts_dbt'deploy", "it's_dbt'deploy" and clusters "my cluster_dbt'deploy", "Compute_dbt'deploy" carry the id the journal recorded for it (after promote the old blue's, else green's); no override skips this
-- check (read-only): cleanup-drops: a warning, never an error: every object DROP ... CASCADE of the green schemas "we""ird; DROP TABLE x_dbt'deploy", "target_dbt'deploy", "Märts_dbt'deploy", "it's_dbt'deploy" and clusters "my cluster_dbt'deploy", "Compute_dbt'deploy" removes is listed (kind and name)
-- check (read-only): cutover-unfinished: no sink reads an object of the green schemas "we""ird; DROP TABLE x_dbt'deploy", "target_dbt'deploy", "Märts_dbt'deploy", "it's_dbt'deploy" (after promote: the old objects, an unfinished cut-over that promote finishes); no override drops a sink
-- check (read-only): not-owner: unless mz_is_superuser(), the current role owns, directly or through role membership, the green schemas "we""ird; DROP TABLE x_dbt'deploy", "target_dbt'deploy", "Märts_dbt'deploy", "it's_dbt'deploy" and clusters "my cluster_dbt'deploy", "Compute_dbt'deploy"
-- check (read-only): cleanup-drops-dependents: DROP ... CASCADE of the green schemas "we""ird; DROP TABLE x_dbt'deploy", "target_dbt'deploy", "Märts_dbt'deploy", "it's_dbt'deploy" and clusters "my cluster_dbt'deploy", "Compute_dbt'deploy" removes nothing else (mz_internal.mz_object_dependencies) (unless --drop-dependents)
-- check (read-only): keep-blue-not-elapsed: the rollback window has passed since promote (journal): deployment "odd one" keep_blue 0s (unless --before-keep-blue)

-- resolved at apply time: just before the drop, the schema "it's_dbt'deploy" still has the id the journal recorded for it (else cleanup-id-mismatch: exit 3, nothing more dropped)
DROP SCHEMA IF EXISTS "it's_dbt'deploy" CASCADE;
-- resolved at apply time: just before the drop, the schema "Märts_dbt'deploy" still has the id the journal recorded for it (else cleanup-id-mismatch: exit 3, nothing more dropped)
DROP SCHEMA IF EXISTS "Märts_dbt'deploy" CASCADE;
-- resolved at apply time: just before the drop, the schema "target_dbt'deploy" still has the id the journal recorded for it (else cleanup-id-mismatch: exit 3, nothing more dropped)
DROP SCHEMA IF EXISTS "target_dbt'deploy" CASCADE;
-- resolved at apply time: just before the drop, the schema "we""ird; DROP TABLE x_dbt'deploy" still has the id the journal recorded for it (else cleanup-id-mismatch: exit 3, nothing more dropped)
DROP SCHEMA IF EXISTS "we""ird; DROP TABLE x_dbt'deploy" CASCADE;
-- resolved at apply time: just before the drop, the cluster "Compute_dbt'deploy" still has the id the journal recorded for it (else cleanup-id-mismatch: exit 3, nothing more dropped)
DROP CLUSTER IF EXISTS "Compute_dbt'deploy" CASCADE;
-- resolved at apply time: just before the drop, the cluster "my cluster_dbt'deploy" still has the id the journal recorded for it (else cleanup-id-mismatch: exit 3, nothing more dropped)
DROP CLUSTER IF EXISTS "my cluster_dbt'deploy" CASCADE;
-- resolved at apply time: journal (schema --journal-schema, default "bgplan"): that the phase finished, for deployment "odd one"
