-- bgplan compile, target materialize: SQL for review; nothing here has run.
-- Statements run one per round trip (autocommit); BEGIN ... COMMIT is one atomic round trip.
-- "resolved at apply time" lines depend on the live catalog; `bgplan plan` prints them resolved.

-- phase init: deployment "clusters_only": create the green clusters next to blue
-- check (read-only): blue-missing: the blue clusters "full", "size_only", "rf_only", "copied", "burst" exist
-- check (read-only): blue-contains-sinks: no sink (mz_sinks.schema_id, mz_sinks.cluster_id) lives in the blue clusters "full", "size_only", "rf_only", "copied", "burst"
-- check (read-only): not-owner: unless mz_is_superuser(), the current role owns, directly or through role membership, the blue clusters "full", "size_only", "rf_only", "copied", "burst", and green where it exists
-- check (read-only): missing-privilege: unless mz_is_superuser(), the current role has CREATE and USAGE on the database (mz_internal.mz_show_my_database_privileges) and CREATECLUSTER (has_system_privilege)
-- check (read-only): unsized-replicas: every replica of the blue clusters "full", "size_only", "rf_only", "copied", "burst", where unmanaged, has a size (mz_cluster_replicas.size); replicas without one are all listed
-- check (read-only): cluster-settings-unsupported: the `cluster` settings of the plan suit the shape of the blue clusters "full", "size_only", "rf_only", "copied", "burst": hydration_size only on a managed cluster with a manual schedule; on an unmanaged blue, settings only with both size and replication_factor (green is then managed)
-- check (read-only): green-not-empty: where they exist, the green clusters "full_dbt_deploy", "size_only_dbt_deploy", "rf_only_dbt_deploy", "copied_dbt_deploy", "burst_dbt_deploy" are empty or carry this deployment's marker (unless --ignore-existing)

-- resolved at apply time: create green cluster "full_dbt_deploy" as an exact clone of blue "full":
--   managed blue: replay SHOW CREATE CLUSTER "full" under the name "full_dbt_deploy", every option as blue has it:
--   CREATE CLUSTER "full_dbt_deploy" (<each option of blue: SIZE, REPLICATION FACTOR, SCHEDULE, AUTO SCALING STRATEGY, AVAILABILITY ZONES, INTROSPECTION INTERVAL, INTROSPECTION DEBUGGING, ...>);
--   (where the server does not give SHOW CREATE CLUSTER, the options come from mz_clusters, mz_internal.mz_cluster_schedules and mz_internal.mz_cluster_auto_scaling_strategies)
--   a blue being resized (mz_internal.mz_cluster_reconfigurations, in-progress) is cloned at the size it moves to (warning blue-reconfiguring)
--   set by the plan: SIZE = '200cc', REPLICATION FACTOR = 2, INTROSPECTION INTERVAL = '0s';
--   unmanaged blue: cloned replica by replica from mz_cluster_replicas (name, size, availability_zone; internal replicas skipped), ordered by replica name:
--   CREATE CLUSTER "full_dbt_deploy" REPLICAS ("<replica>" (SIZE '<size>'[, AVAILABILITY ZONE '<zone>']), ...);
--   (with both size and replication_factor in the plan, an unmanaged blue gets a managed green: CREATE CLUSTER "full_dbt_deploy" (SIZE = '200cc', REPLICATION FACTOR = 2, ...))
-- resolved at apply time: copy the grants of cluster "full" to "full_dbt_deploy": revoke what green has, then grant what blue has, from mz_internal.mz_aclexplode(mz_clusters.privileges) (grantee ids through mz_roles):
--   REVOKE <privilege_type> ON CLUSTER "full_dbt_deploy" FROM "<grantee>";
--   GRANT <privilege_type> ON CLUSTER "full_dbt_deploy" TO "<grantee>";
--   grantees none, mz_system, mz_support and the current role are skipped.
-- resolved at apply time: mark each green object with this run; <run-id> is the journal id of the run:
--   COMMENT ON CLUSTER "full_dbt_deploy" IS 'bgplan deployment clusters_only run <run-id>';

-- resolved at apply time: create green cluster "size_only_dbt_deploy" as an exact clone of blue "size_only":
--   managed blue: replay SHOW CREATE CLUSTER "size_only" under the name "size_only_dbt_deploy", every option as blue has it:
--   CREATE CLUSTER "size_only_dbt_deploy" (<each option of blue: SIZE, REPLICATION FACTOR, SCHEDULE, AUTO SCALING STRATEGY, AVAILABILITY ZONES, INTROSPECTION INTERVAL, INTROSPECTION DEBUGGING, ...>);
--   (where the server does not give SHOW CREATE CLUSTER, the options come from mz_clusters, mz_internal.mz_cluster_schedules and mz_internal.mz_cluster_auto_scaling_strategies)
--   a blue being resized (mz_internal.mz_cluster_reconfigurations, in-progress) is cloned at the size it moves to (warning blue-reconfiguring)
--   set by the plan: SIZE = '50cc';
--   unmanaged blue: cloned replica by replica from mz_cluster_replicas (name, size, availability_zone; internal replicas skipped), ordered by replica name:
--   CREATE CLUSTER "size_only_dbt_deploy" REPLICAS ("<replica>" (SIZE '<size>'[, AVAILABILITY ZONE '<zone>']), ...);
-- resolved at apply time: copy the grants of cluster "size_only" to "size_only_dbt_deploy": revoke what green has, then grant what blue has, from mz_internal.mz_aclexplode(mz_clusters.privileges) (grantee ids through mz_roles):
--   REVOKE <privilege_type> ON CLUSTER "size_only_dbt_deploy" FROM "<grantee>";
--   GRANT <privilege_type> ON CLUSTER "size_only_dbt_deploy" TO "<grantee>";
--   grantees none, mz_system, mz_support and the current role are skipped.
-- resolved at apply time: mark each green object with this run; <run-id> is the journal id of the run:
--   COMMENT ON CLUSTER "size_only_dbt_deploy" IS 'bgplan deployment clusters_only run <run-id>';

-- resolved at apply time: create green cluster "rf_only_dbt_deploy" as an exact clone of blue "rf_only":
--   managed blue: replay SHOW CREATE CLUSTER "rf_only" under the name "rf_only_dbt_deploy", every option as blue has it:
--   CREATE CLUSTER "rf_only_dbt_deploy" (<each option of blue: SIZE, REPLICATION FACTOR, SCHEDULE, AUTO SCALING STRATEGY, AVAILABILITY ZONES, INTROSPECTION INTERVAL, INTROSPECTION DEBUGGING, ...>);
--   (where the server does not give SHOW CREATE CLUSTER, the options come from mz_clusters, mz_internal.mz_cluster_schedules and mz_internal.mz_cluster_auto_scaling_strategies)
--   a blue being resized (mz_internal.mz_cluster_reconfigurations, in-progress) is cloned at the size it moves to (warning blue-reconfiguring)
--   set by the plan: REPLICATION FACTOR = 0, INTROSPECTION DEBUGGING = true;
--   unmanaged blue: cloned replica by replica from mz_cluster_replicas (name, size, availability_zone; internal replicas skipped), ordered by replica name:
--   CREATE CLUSTER "rf_only_dbt_deploy" REPLICAS ("<replica>" (SIZE '<size>'[, AVAILABILITY ZONE '<zone>']), ...);
-- resolved at apply time: copy the grants of cluster "rf_only" to "rf_only_dbt_deploy": revoke what green has, then grant what blue has, from mz_internal.mz_aclexplode(mz_clusters.privileges) (grantee ids through mz_roles):
--   REVOKE <privilege_type> ON CLUSTER "rf_only_dbt_deploy" FROM "<grantee>";
--   GRANT <privilege_type> ON CLUSTER "rf_only_dbt_deploy" TO "<grantee>";
--   grantees none, mz_system, mz_support and the current role are skipped.
-- resolved at apply time: mark each green object with this run; <run-id> is the journal id of the run:
--   COMMENT ON CLUSTER "rf_only_dbt_deploy" IS 'bgplan deployment clusters_only run <run-id>';

-- resolved at apply time: create green cluster "copied_dbt_deploy" as an exact clone of blue "copied":
--   managed blue: replay SHOW CREATE CLUSTER "copied" under the name "copied_dbt_deploy", every option as blue has it:
--   CREATE CLUSTER "copied_dbt_deploy" (<each option of blue: SIZE, REPLICATION FACTOR, SCHEDULE, AUTO SCALING STRATEGY, AVAILABILITY ZONES, INTROSPECTION INTERVAL, INTROSPECTION DEBUGGING, ...>);
--   (where the server does not give SHOW CREATE CLUSTER, the options come from mz_clusters, mz_internal.mz_cluster_schedules and mz_internal.mz_cluster_auto_scaling_strategies)
--   a blue being resized (mz_internal.mz_cluster_reconfigurations, in-progress) is cloned at the size it moves to (warning blue-reconfiguring)
--   unmanaged blue: cloned replica by replica from mz_cluster_replicas (name, size, availability_zone; internal replicas skipped), ordered by replica name:
--   CREATE CLUSTER "copied_dbt_deploy" REPLICAS ("<replica>" (SIZE '<size>'[, AVAILABILITY ZONE '<zone>']), ...);
-- resolved at apply time: copy the grants of cluster "copied" to "copied_dbt_deploy": revoke what green has, then grant what blue has, from mz_internal.mz_aclexplode(mz_clusters.privileges) (grantee ids through mz_roles):
--   REVOKE <privilege_type> ON CLUSTER "copied_dbt_deploy" FROM "<grantee>";
--   GRANT <privilege_type> ON CLUSTER "copied_dbt_deploy" TO "<grantee>";
--   grantees none, mz_system, mz_support and the current role are skipped.
-- resolved at apply time: mark each green object with this run; <run-id> is the journal id of the run:
--   COMMENT ON CLUSTER "copied_dbt_deploy" IS 'bgplan deployment clusters_only run <run-id>';

-- resolved at apply time: create green cluster "burst_dbt_deploy" as an exact clone of blue "burst":
--   managed blue: replay SHOW CREATE CLUSTER "burst" under the name "burst_dbt_deploy", every option as blue has it:
--   CREATE CLUSTER "burst_dbt_deploy" (<each option of blue: SIZE, REPLICATION FACTOR, SCHEDULE, AUTO SCALING STRATEGY, AVAILABILITY ZONES, INTROSPECTION INTERVAL, INTROSPECTION DEBUGGING, ...>);
--   (where the server does not give SHOW CREATE CLUSTER, the options come from mz_clusters, mz_internal.mz_cluster_schedules and mz_internal.mz_cluster_auto_scaling_strategies)
--   a blue being resized (mz_internal.mz_cluster_reconfigurations, in-progress) is cloned at the size it moves to (warning blue-reconfiguring)
--   set by the plan: AUTO SCALING STRATEGY = (ON HYDRATION (HYDRATION SIZE = '800cc', LINGER DURATION = '600s'));
--   green only: a hydration burst replica of size '800cc' while green hydrates; promote gives the cluster blue's own strategy back before the swap;
--   unmanaged blue: cloned replica by replica from mz_cluster_replicas (name, size, availability_zone; internal replicas skipped), ordered by replica name:
--   CREATE CLUSTER "burst_dbt_deploy" REPLICAS ("<replica>" (SIZE '<size>'[, AVAILABILITY ZONE '<zone>']), ...);
-- resolved at apply time: copy the grants of cluster "burst" to "burst_dbt_deploy": revoke what green has, then grant what blue has, from mz_internal.mz_aclexplode(mz_clusters.privileges) (grantee ids through mz_roles):
--   REVOKE <privilege_type> ON CLUSTER "burst_dbt_deploy" FROM "<grantee>";
--   GRANT <privilege_type> ON CLUSTER "burst_dbt_deploy" TO "<grantee>";
--   grantees none, mz_system, mz_support and the current role are skipped.
-- resolved at apply time: mark each green object with this run; <run-id> is the journal id of the run:
--   COMMENT ON CLUSTER "burst_dbt_deploy" IS 'bgplan deployment clusters_only run <run-id>';
-- resolved at apply time: journal (schema --journal-schema, default "bgplan"): that the phase finished, for deployment "clusters_only"

-- phase await: deployment "clusters_only": wait until the green side is ready
-- resolved at apply time: poll readiness with one query per poll over all green clusters below (mz_clusters, mz_cluster_replicas, mz_internal.mz_hydration_statuses, mz_internal.mz_wallclock_global_lag, mz_internal.mz_cluster_replica_status_history):
--   failing = no replicas, or every replica OOM-killed 3+ times in 24h (exit 5 unless --tolerate-failing); reconfiguring = a resize in progress (mz_internal.mz_cluster_reconfigurations, v26.35+); hydrating = an object not hydrated on any replica;
--   lagging = an object's wallclock lag > lag_threshold (with compare_to_blue, for an object blue also has: > blue's lag + lag_threshold); lag-unknown = a lag reading longer than the environment has existed (mz_internal.mz_object_lifetimes); else ready (a cluster without dataflows is ready; an ON REFRESH cluster that is off is skipped with a warning).
--   done when all are ready in one poll and stay ready for stable_for; exit 4 at timeout.
--   deployment "clusters_only": clusters "full_dbt_deploy", "size_only_dbt_deploy", "rf_only_dbt_deploy", "copied_dbt_deploy", "burst_dbt_deploy"; poll_interval 15s, lag_threshold 1s over blue's lag (compare_to_blue), timeout 1d, stable_for 0s

-- phase promote: deployment "clusters_only": swap blue and green, tag the schemas, re-point sinks
-- check (read-only): blue-missing: the blue clusters "full", "size_only", "rf_only", "copied", "burst" exist
-- check (read-only): green-missing: the green clusters "full_dbt_deploy", "size_only_dbt_deploy", "rf_only_dbt_deploy", "copied_dbt_deploy", "burst_dbt_deploy" exist
-- check (read-only): not-owner: unless mz_is_superuser(), the current role owns, directly or through role membership, the blue clusters "full", "size_only", "rf_only", "copied", "burst" and green clusters "full_dbt_deploy", "size_only_dbt_deploy", "rf_only_dbt_deploy", "copied_dbt_deploy", "burst_dbt_deploy"
-- check (read-only): green-not-ours: the green clusters "full_dbt_deploy", "size_only_dbt_deploy", "rf_only_dbt_deploy", "copied_dbt_deploy", "burst_dbt_deploy" carry this deployment's marker comment (unless --force)
-- check (read-only): sink-upstream-missing: every sink whose upstream is in the blue schemas (none in this deployment) has an object of the same name in the matching green schema (mz_internal.mz_object_dependencies, mz_sinks, mz_objects)
-- check (read-only): orphaned-dependents: nothing outside the deployment except sinks depends on the blue schemas (none in this deployment) (mz_internal.mz_object_dependencies) (unless --allow-orphans)

-- resolved at apply time: end green cluster "burst_dbt_deploy"'s hydration burst: give it blue "burst"'s auto scaling strategy (mz_internal.mz_cluster_auto_scaling_strategies), so nothing of the deployment stays with production:
--   ALTER CLUSTER "burst_dbt_deploy" SET (AUTO SCALING STRATEGY = <blue's>);  or, blue having none:
--   ALTER CLUSTER "burst_dbt_deploy" RESET (AUTO SCALING STRATEGY);
-- resolved at apply time: journal (schema --journal-schema, default "bgplan"): the intent to swap, with the pre-swap ids of every blue and green object, for deployment "clusters_only"

-- swap in one atomic round trip, schemas first, then clusters.
-- On SQLSTATE 40001 only: ROLLBACK, sleep retry_backoff 1s, retry, at most max_retries 3 retries; any other error stops with nothing swapped.
BEGIN;
ALTER CLUSTER "full" SWAP WITH "full_dbt_deploy";
ALTER CLUSTER "size_only" SWAP WITH "size_only_dbt_deploy";
ALTER CLUSTER "rf_only" SWAP WITH "rf_only_dbt_deploy";
ALTER CLUSTER "copied" SWAP WITH "copied_dbt_deploy";
ALTER CLUSTER "burst" SWAP WITH "burst_dbt_deploy";
COMMIT;

-- resolved at apply time: journal (schema --journal-schema, default "bgplan"): the swap, with the ids now under each name, for deployment "clusters_only"

-- phase rollback: deployment "clusters_only": swap back, re-point sinks back
-- check (read-only): nothing-to-roll-back: promote ran and cleanup has not: the journal and the live ids of the blue clusters "full", "size_only", "rf_only", "copied", "burst" and green clusters "full_dbt_deploy", "size_only_dbt_deploy", "rf_only_dbt_deploy", "copied_dbt_deploy", "burst_dbt_deploy"
-- check (read-only): not-owner: unless mz_is_superuser(), the current role owns, directly or through role membership, the blue clusters "full", "size_only", "rf_only", "copied", "burst" and green clusters "full_dbt_deploy", "size_only_dbt_deploy", "rf_only_dbt_deploy", "copied_dbt_deploy", "burst_dbt_deploy"
-- check (read-only): orphaned-dependents: nothing outside the deployment except sinks depends on the blue schemas (none in this deployment) (mz_internal.mz_object_dependencies) (unless --allow-orphans)

-- swap back in one atomic round trip, schemas first, then clusters.
-- On SQLSTATE 40001 only: ROLLBACK, sleep retry_backoff 1s, retry, at most max_retries 3 retries; any other error stops with nothing swapped.
BEGIN;
ALTER CLUSTER "full" SWAP WITH "full_dbt_deploy";
ALTER CLUSTER "size_only" SWAP WITH "size_only_dbt_deploy";
ALTER CLUSTER "rf_only" SWAP WITH "rf_only_dbt_deploy";
ALTER CLUSTER "copied" SWAP WITH "copied_dbt_deploy";
ALTER CLUSTER "burst" SWAP WITH "burst_dbt_deploy";
COMMIT;

-- resolved at apply time: journal (schema --journal-schema, default "bgplan"): that the phase finished, for deployment "clusters_only"

-- phase cleanup: deployment "clusters_only": drop what now carries the green names (after promote: the previous blue)
-- check (read-only): not-promoted: promote ran (a rollback after it counts): the blue names carry green's recorded ids (journal), or rollback restored them, for the blue clusters "full", "size_only", "rf_only", "copied", "burst" (unless --abandon)
-- check (read-only): cleanup-id-mismatch: the green clusters "full_dbt_deploy", "size_only_dbt_deploy", "rf_only_dbt_deploy", "copied_dbt_deploy", "burst_dbt_deploy" carry the id the journal recorded for it (after promote the old blue's, else green's); no override skips this
-- check (read-only): cleanup-drops: a warning, never an error: every object DROP ... CASCADE of the green clusters "full_dbt_deploy", "size_only_dbt_deploy", "rf_only_dbt_deploy", "copied_dbt_deploy", "burst_dbt_deploy" removes is listed (kind and name)
-- check (read-only): not-owner: unless mz_is_superuser(), the current role owns, directly or through role membership, the green clusters "full_dbt_deploy", "size_only_dbt_deploy", "rf_only_dbt_deploy", "copied_dbt_deploy", "burst_dbt_deploy"
-- check (read-only): cleanup-drops-dependents: DROP ... CASCADE of the green clusters "full_dbt_deploy", "size_only_dbt_deploy", "rf_only_dbt_deploy", "copied_dbt_deploy", "burst_dbt_deploy" removes nothing else (mz_internal.mz_object_dependencies) (unless --drop-dependents)
-- check (read-only): keep-blue-not-elapsed: the rollback window has passed since promote (journal): deployment "clusters_only" keep_blue 0s (unless --before-keep-blue)

-- resolved at apply time: just before the drop, the cluster "burst_dbt_deploy" still has the id the journal recorded for it (else cleanup-id-mismatch: exit 3, nothing more dropped)
DROP CLUSTER IF EXISTS "burst_dbt_deploy" CASCADE;
-- resolved at apply time: just before the drop, the cluster "copied_dbt_deploy" still has the id the journal recorded for it (else cleanup-id-mismatch: exit 3, nothing more dropped)
DROP CLUSTER IF EXISTS "copied_dbt_deploy" CASCADE;
-- resolved at apply time: just before the drop, the cluster "rf_only_dbt_deploy" still has the id the journal recorded for it (else cleanup-id-mismatch: exit 3, nothing more dropped)
DROP CLUSTER IF EXISTS "rf_only_dbt_deploy" CASCADE;
-- resolved at apply time: just before the drop, the cluster "size_only_dbt_deploy" still has the id the journal recorded for it (else cleanup-id-mismatch: exit 3, nothing more dropped)
DROP CLUSTER IF EXISTS "size_only_dbt_deploy" CASCADE;
-- resolved at apply time: just before the drop, the cluster "full_dbt_deploy" still has the id the journal recorded for it (else cleanup-id-mismatch: exit 3, nothing more dropped)
DROP CLUSTER IF EXISTS "full_dbt_deploy" CASCADE;
-- resolved at apply time: journal (schema --journal-schema, default "bgplan"): that the phase finished, for deployment "clusters_only"
