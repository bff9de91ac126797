-- bgplan compile, target postgres: SQL for review; nothing here has run.
-- Each phase's writes run in one transaction (BEGIN ... COMMIT), atomically.
-- "resolved at apply time" lines depend on the live catalog; `bgplan plan` prints them resolved.

-- phase init: deployment "long": create the green schemas next to blue
-- deployment "long" works in database "shop": the connection must be to that database
-- check (read-only): blue-missing: the blue schema "a_very_long_schema_name_that_is_close_to_the_limit_xyz" exists
-- check (read-only): not-owner: unless the role is a superuser, the current role owns, directly or through role membership, the blue schema "a_very_long_schema_name_that_is_close_to_the_limit_xyz", and green where it exists
-- check (read-only): missing-privilege: the current role has CREATE on the database (has_database_privilege)
-- check (read-only): green-not-empty: where they exist, the green schema "a_very_long_schema_name_that_is_close_to_the_limit_xyz_g" are empty or carry this deployment's marker (unless --ignore-existing)
-- check (read-only): state-not-carried: a warning, never an error: the tables of the blue schema "a_very_long_schema_name_that_is_close_to_the_limit_xyz" are listed; green does not inherit their rows

BEGIN;
CREATE SCHEMA "a_very_long_schema_name_that_is_close_to_the_limit_xyz_g";
-- resolved at apply time: copy the privileges of schema "a_very_long_schema_name_that_is_close_to_the_limit_xyz" to "a_very_long_schema_name_that_is_close_to_the_limit_xyz_g":
--   grants: revoke what green has, then grant what blue has, from aclexplode(pg_namespace.nspacl) (grantee 0 = PUBLIC; the schema owner is skipped):
--   REVOKE <privilege_type> ON SCHEMA "a_very_long_schema_name_that_is_close_to_the_limit_xyz_g" FROM "<grantee>" | PUBLIC;
--   GRANT <privilege_type> ON SCHEMA "a_very_long_schema_name_that_is_close_to_the_limit_xyz_g" TO "<grantee>" | PUBLIC;
--   default privileges: for each aclexplode(defaclacl) of the pg_default_acl rows with defaclnamespace = schema "a_very_long_schema_name_that_is_close_to_the_limit_xyz":
--   ALTER DEFAULT PRIVILEGES FOR ROLE "<defaclrole>" IN SCHEMA "a_very_long_schema_name_that_is_close_to_the_limit_xyz_g" GRANT <privilege_type> ON TABLES|SEQUENCES|FUNCTIONS|TYPES TO "<grantee>" | PUBLIC;
-- resolved at apply time: mark each green object with this run; <run-id> is the journal id of the run:
--   COMMENT ON SCHEMA "a_very_long_schema_name_that_is_close_to_the_limit_xyz_g" IS 'bgplan deployment long run <run-id>';
-- resolved at apply time: journal (schema --journal-schema, default "bgplan"): that the phase finished, for deployment "long", in the same transaction
COMMIT;

-- phase await: deployment "long": wait until the green side is ready
-- deployment "long" works in database "shop": the connection must be to that database
-- resolved at apply time: poll pg_matviews.ispopulated of the materialized views in the green schemas below: any not populated = hydrating, else ready;
--   done when all are ready in one poll and stay ready for stable_for; exit 4 at timeout.
--   deployment "long": schema "a_very_long_schema_name_that_is_close_to_the_limit_xyz_g"; poll_interval 15s, timeout 1d, stable_for 0s

-- phase promote: deployment "long": swap blue and green and re-create dependent views
-- deployment "long" works in database "shop": the connection must be to that database
-- check (read-only): blue-missing: the blue schema "a_very_long_schema_name_that_is_close_to_the_limit_xyz" exists
-- check (read-only): green-missing: the green schema "a_very_long_schema_name_that_is_close_to_the_limit_xyz_g" exists
-- check (read-only): not-owner: unless the role is a superuser, the current role owns, directly or through role membership, the blue schema "a_very_long_schema_name_that_is_close_to_the_limit_xyz" and green schema "a_very_long_schema_name_that_is_close_to_the_limit_xyz_g"
-- check (read-only): green-not-ours: the green schema "a_very_long_schema_name_that_is_close_to_the_limit_xyz_g" carries this deployment's marker comment (unless --force)
-- check (read-only): sink-upstream-missing: every dependent view in the sinks schemas that references the blue schema "a_very_long_schema_name_that_is_close_to_the_limit_xyz" finds objects of the same names in the matching green schema
-- check (read-only): orphaned-dependents: nothing outside the deployment except sinks depends on the blue schema "a_very_long_schema_name_that_is_close_to_the_limit_xyz" (pg_depend, pg_rewrite) (unless --allow-orphans)
-- check (read-only): missing-in-green: every object of the blue schema "a_very_long_schema_name_that_is_close_to_the_limit_xyz" has one of the same name and a compatible kind in the matching green schema (tables, views, materialized views and foreign tables stand in for each other; sequences, functions and types must match) (unless --allow-missing)
-- check (read-only): incompatible-upstream: every view of the sinks schemas reading the blue schema "a_very_long_schema_name_that_is_close_to_the_limit_xyz" finds each column it references (pg_depend), with the same type, in the green counterpart (format_type)
-- check (read-only): repoint-not-owner: unless the role is a superuser, the current role owns, directly or through role membership, every view of the sinks schemas and has CREATE on those schemas (CREATE OR REPLACE VIEW) that reads the blue schema "a_very_long_schema_name_that_is_close_to_the_limit_xyz", so the cut-over after the swap cannot fail on a right
-- check (read-only): missing-privilege: the current role has CREATE on the database (has_database_privilege)
-- check (read-only): state-not-carried: a warning, never an error: the tables of the blue schema "a_very_long_schema_name_that_is_close_to_the_limit_xyz" are listed; green does not inherit their rows
-- check (read-only): swap-name-taken: no schema exists under the temporary name the swap parks each blue schema under: "a_very_long_schema_name_that_is_close_to_t_4aa1e296_bgplan_swap"

-- swap in one transaction with the dependent views.
-- On SQLSTATE 40001, 40P01 or 55P03 only: ROLLBACK, sleep retry_backoff 1s, retry, at most max_retries 3 retries; any other error stops with nothing swapped.
BEGIN;
SET LOCAL lock_timeout = '5s';
SET LOCAL search_path = '';
-- resolved at apply time: journal (schema --journal-schema, default "bgplan"): the intent to swap, with the pre-swap ids of every blue and green object, for deployment "long", in the same transaction
-- exchange "a_very_long_schema_name_that_is_close_to_the_limit_xyz" and "a_very_long_schema_name_that_is_close_to_the_limit_xyz_g" through "a_very_long_schema_name_that_is_close_to_t_4aa1e296_bgplan_swap"
ALTER SCHEMA "a_very_long_schema_name_that_is_close_to_the_limit_xyz" RENAME TO "a_very_long_schema_name_that_is_close_to_t_4aa1e296_bgplan_swap";
ALTER SCHEMA "a_very_long_schema_name_that_is_close_to_the_limit_xyz_g" RENAME TO "a_very_long_schema_name_that_is_close_to_the_limit_xyz";
ALTER SCHEMA "a_very_long_schema_name_that_is_close_to_t_4aa1e296_bgplan_swap" RENAME TO "a_very_long_schema_name_that_is_close_to_the_limit_xyz_g";
-- resolved at apply time: journal (schema --journal-schema, default "bgplan"): the swap, with the ids now under each name, for deployment "long", in the same transaction
-- resolved at apply time: tag each production schema, one statement each; <user> = current_user, <time> = now(), <sha> = git rev-parse HEAD
--   (" | Commit SHA: <sha>" left out when unknown), <run-id> = the journal id of the run:
--   COMMENT ON SCHEMA "a_very_long_schema_name_that_is_close_to_the_limit_xyz" IS 'Deployment by <user> on <time> | Commit SHA: <sha> | bgplan <run-id>';
-- no sinks schemas: no dependent views to re-create
COMMIT;

-- phase rollback: deployment "long": swap back and re-create dependent views
-- deployment "long" works in database "shop": the connection must be to that database
-- check (read-only): nothing-to-roll-back: promote ran and cleanup has not: the journal and the live ids of the blue schema "a_very_long_schema_name_that_is_close_to_the_limit_xyz" and green schema "a_very_long_schema_name_that_is_close_to_the_limit_xyz_g"
-- check (read-only): not-owner: unless the role is a superuser, the current role owns, directly or through role membership, the blue schema "a_very_long_schema_name_that_is_close_to_the_limit_xyz" and green schema "a_very_long_schema_name_that_is_close_to_the_limit_xyz_g"
-- check (read-only): orphaned-dependents: nothing outside the deployment except sinks depends on the blue schema "a_very_long_schema_name_that_is_close_to_the_limit_xyz" (pg_depend, pg_rewrite) (unless --allow-orphans)
-- check (read-only): repoint-not-owner: unless the role is a superuser, the current role owns, directly or through role membership, every view of the sinks schemas and has CREATE on those schemas (CREATE OR REPLACE VIEW) that reads the blue schema "a_very_long_schema_name_that_is_close_to_the_limit_xyz", so the cut-over after the swap cannot fail on a right
-- check (read-only): missing-privilege: the current role has CREATE on the database (has_database_privilege)
-- check (read-only): swap-name-taken: no schema exists under the temporary name the swap parks each blue schema under: "a_very_long_schema_name_that_is_close_to_t_4aa1e296_bgplan_swap"

-- swap back in one transaction with the dependent views.
-- On SQLSTATE 40001, 40P01 or 55P03 only: ROLLBACK, sleep retry_backoff 1s, retry, at most max_retries 3 retries; any other error stops with nothing swapped.
BEGIN;
SET LOCAL lock_timeout = '5s';
SET LOCAL search_path = '';
-- exchange "a_very_long_schema_name_that_is_close_to_the_limit_xyz" and "a_very_long_schema_name_that_is_close_to_the_limit_xyz_g" through "a_very_long_schema_name_that_is_close_to_t_4aa1e296_bgplan_swap"
ALTER SCHEMA "a_very_long_schema_name_that_is_close_to_the_limit_xyz" RENAME TO "a_very_long_schema_name_that_is_close_to_t_4aa1e296_bgplan_swap";
ALTER SCHEMA "a_very_long_schema_name_that_is_close_to_the_limit_xyz_g" RENAME TO "a_very_long_schema_name_that_is_close_to_the_limit_xyz";
ALTER SCHEMA "a_very_long_schema_name_that_is_close_to_t_4aa1e296_bgplan_swap" RENAME TO "a_very_long_schema_name_that_is_close_to_the_limit_xyz_g";
-- no sinks schemas: no dependent views to re-create
-- resolved at apply time: journal (schema --journal-schema, default "bgplan"): that the phase finished, for deployment "long", in the same transaction
COMMIT;

-- phase cleanup: deployment "long": drop what now carries the green names (after promote: the previous blue)
-- deployment "long" works in database "shop": the connection must be to that database
-- check (read-only): not-promoted: promote ran (a rollback after it counts): the blue names carry green's recorded ids (journal), or rollback restored them, for the blue schema "a_very_long_schema_name_that_is_close_to_the_limit_xyz" (unless --abandon)
-- check (read-only): cleanup-id-mismatch: the green schema "a_very_long_schema_name_that_is_close_to_the_limit_xyz_g" carries the id the journal recorded for it (after promote the old blue's, else green's); no override skips this
-- check (read-only): cleanup-drops: a warning, never an error: every object DROP ... CASCADE of the green schema "a_very_long_schema_name_that_is_close_to_the_limit_xyz_g" removes is listed (kind and name; tables with PostgreSQL's row estimate)
-- check (read-only): cutover-unfinished: no view of the sinks schemas reads an object of the green schema "a_very_long_schema_name_that_is_close_to_the_limit_xyz_g" (after promote: the old objects, an unfinished cut-over that promote finishes); no override drops a sink
-- check (read-only): not-owner: unless the role is a superuser, the current role owns, directly or through role membership, the green schema "a_very_long_schema_name_that_is_close_to_the_limit_xyz_g"
-- check (read-only): cleanup-drops-dependents: DROP ... CASCADE of the green schema "a_very_long_schema_name_that_is_close_to_the_limit_xyz_g" removes nothing else (pg_depend) (unless --drop-dependents)
-- check (read-only): keep-blue-not-elapsed: the rollback window has passed since promote (journal): deployment "long" keep_blue 0s (unless --before-keep-blue)

BEGIN;
-- resolved at apply time: in this transaction, the schema "a_very_long_schema_name_that_is_close_to_the_limit_xyz_g" still has the id the journal recorded for it (else SQLSTATE 40001: read again, and cleanup-id-mismatch refuses)
DROP SCHEMA IF EXISTS "a_very_long_schema_name_that_is_close_to_the_limit_xyz_g" CASCADE;
-- resolved at apply time: journal (schema --journal-schema, default "bgplan"): that the phase finished, for deployment "long", in the same transaction
COMMIT;
