-- bgplan compile, target postgres: SQL for review; nothing here has run.
-- Each phase's writes run in one transaction (BEGIN ... COMMIT), atomically.
-- "resolved at apply time" lines depend on the live catalog; `bgplan plan` prints them resolved.

-- phase init: deployment "warehouse": create the green schemas next to blue
-- check (read-only): blue-missing: the blue schemas "marts", "staging" exist
-- check (read-only): not-owner: unless the role is a superuser, the current role owns, directly or through role membership, the blue schemas "marts", "staging", and green where it exists
-- check (read-only): missing-privilege: the current role has CREATE on the database (has_database_privilege)
-- check (read-only): green-not-empty: where they exist, the green schemas "marts_dbt_deploy", "staging_dbt_deploy" are empty or carry this deployment's marker (unless --ignore-existing)
-- check (read-only): state-not-carried: a warning, never an error: the tables of the blue schemas "marts", "staging" are listed; green does not inherit their rows

BEGIN;
CREATE SCHEMA "marts_dbt_deploy";
-- resolved at apply time: copy the privileges of schema "marts" to "marts_dbt_deploy":
--   grants: revoke what green has, then grant what blue has, from aclexplode(pg_namespace.nspacl) (grantee 0 = PUBLIC; the schema owner is skipped):
--   REVOKE <privilege_type> ON SCHEMA "marts_dbt_deploy" FROM "<grantee>" | PUBLIC;
--   GRANT <privilege_type> ON SCHEMA "marts_dbt_deploy" TO "<grantee>" | PUBLIC;
--   default privileges: for each aclexplode(defaclacl) of the pg_default_acl rows with defaclnamespace = schema "marts":
--   ALTER DEFAULT PRIVILEGES FOR ROLE "<defaclrole>" IN SCHEMA "marts_dbt_deploy" GRANT <privilege_type> ON TABLES|SEQUENCES|FUNCTIONS|TYPES TO "<grantee>" | PUBLIC;
-- resolved at apply time: mark each green object with this run; <run-id> is the journal id of the run:
--   COMMENT ON SCHEMA "marts_dbt_deploy" IS 'bgplan deployment warehouse run <run-id>';

CREATE SCHEMA "staging_dbt_deploy";
-- resolved at apply time: copy the privileges of schema "staging" to "staging_dbt_deploy":
--   grants: revoke what green has, then grant what blue has, from aclexplode(pg_namespace.nspacl) (grantee 0 = PUBLIC; the schema owner is skipped):
--   REVOKE <privilege_type> ON SCHEMA "staging_dbt_deploy" FROM "<grantee>" | PUBLIC;
--   GRANT <privilege_type> ON SCHEMA "staging_dbt_deploy" TO "<grantee>" | PUBLIC;
--   default privileges: for each aclexplode(defaclacl) of the pg_default_acl rows with defaclnamespace = schema "staging":
--   ALTER DEFAULT PRIVILEGES FOR ROLE "<defaclrole>" IN SCHEMA "staging_dbt_deploy" GRANT <privilege_type> ON TABLES|SEQUENCES|FUNCTIONS|TYPES TO "<grantee>" | PUBLIC;
-- resolved at apply time: mark each green object with this run; <run-id> is the journal id of the run:
--   COMMENT ON SCHEMA "staging_dbt_deploy" IS 'bgplan deployment warehouse run <run-id>';
-- resolved at apply time: journal (schema --journal-schema, default "bgplan"): that the phase finished, for deployment "warehouse", in the same transaction
COMMIT;

-- phase await: deployment "warehouse": wait until the green side is ready
-- resolved at apply time: poll pg_matviews.ispopulated of the materialized views in the green schemas below: any not populated = hydrating, else ready;
--   done when all are ready in one poll and stay ready for stable_for; exit 4 at timeout.
--   deployment "warehouse": schemas "marts_dbt_deploy", "staging_dbt_deploy"; poll_interval 5s, timeout 30m, stable_for 0s

-- phase promote: deployment "warehouse": swap blue and green and re-create dependent views
-- check (read-only): blue-missing: the blue schemas "marts", "staging" exist
-- check (read-only): green-missing: the green schemas "marts_dbt_deploy", "staging_dbt_deploy" exist
-- check (read-only): not-owner: unless the role is a superuser, the current role owns, directly or through role membership, the blue schemas "marts", "staging" and green schemas "marts_dbt_deploy", "staging_dbt_deploy"
-- check (read-only): green-not-ours: the green schemas "marts_dbt_deploy", "staging_dbt_deploy" carry this deployment's marker comment (unless --force)
-- check (read-only): sink-upstream-missing: every dependent view in the sinks schemas that references the blue schemas "marts", "staging" finds objects of the same names in the matching green schema
-- check (read-only): orphaned-dependents: nothing outside the deployment except sinks depends on the blue schemas "marts", "staging" (pg_depend, pg_rewrite) (unless --allow-orphans)
-- check (read-only): missing-in-green: every object of the blue schemas "marts", "staging" has one of the same name and a compatible kind in the matching green schema (tables, views, materialized views and foreign tables stand in for each other; sequences, functions and types must match) (unless --allow-missing)
-- check (read-only): incompatible-upstream: every view of the sinks schemas reading the blue schemas "marts", "staging" finds each column it references (pg_depend), with the same type, in the green counterpart (format_type)
-- check (read-only): repoint-not-owner: unless the role is a superuser, the current role owns, directly or through role membership, every view of the sinks schemas and has CREATE on those schemas (CREATE OR REPLACE VIEW) that reads the blue schemas "marts", "staging", so the cut-over after the swap cannot fail on a right
-- check (read-only): missing-privilege: the current role has CREATE on the database (has_database_privilege)
-- check (read-only): state-not-carried: a warning, never an error: the tables of the blue schemas "marts", "staging" are listed; green does not inherit their rows
-- check (read-only): swap-name-taken: no schema exists under the temporary name the swap parks each blue schema under: "marts_bgplan_swap", "staging_bgplan_swap"

-- swap in one transaction with the dependent views.
-- On SQLSTATE 40001, 40P01 or 55P03 only: ROLLBACK, sleep retry_backoff 1s, retry, at most max_retries 3 retries; any other error stops with nothing swapped.
BEGIN;
SET LOCAL lock_timeout = '5s';
SET LOCAL search_path = '';
-- resolved at apply time: journal (schema --journal-schema, default "bgplan"): the intent to swap, with the pre-swap ids of every blue and green object, for deployment "warehouse", in the same transaction
-- resolved at apply time: the views in sinks schema "reporting" that depend on the blue schemas "marts", "staging" (pg_depend, pg_rewrite), their definitions (pg_get_viewdef(oid), under the empty search_path, so every name is schema-qualified) and options (pg_class.reloptions) are read before this transaction, each read waiting at most lock_timeout;
--   here, before renaming, they are read again: if one changed, SQLSTATE 40001 is raised and the transaction retried
-- exchange "marts" and "marts_dbt_deploy" through "marts_bgplan_swap"
ALTER SCHEMA "marts" RENAME TO "marts_bgplan_swap";
ALTER SCHEMA "marts_dbt_deploy" RENAME TO "marts";
ALTER SCHEMA "marts_bgplan_swap" RENAME TO "marts_dbt_deploy";
-- exchange "staging" and "staging_dbt_deploy" through "staging_bgplan_swap"
ALTER SCHEMA "staging" RENAME TO "staging_bgplan_swap";
ALTER SCHEMA "staging_dbt_deploy" RENAME TO "staging";
ALTER SCHEMA "staging_bgplan_swap" RENAME TO "staging_dbt_deploy";
-- resolved at apply time: journal (schema --journal-schema, default "bgplan"): the swap, with the ids now under each name, for deployment "warehouse", in the same transaction
-- resolved at apply time: tag each production schema, one statement each; <user> = current_user, <time> = now(), <sha> = git rev-parse HEAD
--   (" | Commit SHA: <sha>" left out when unknown), <run-id> = the journal id of the run:
--   COMMENT ON SCHEMA "marts" IS 'Deployment by <user> on <time> | Commit SHA: <sha> | bgplan <run-id>';
--   COMMENT ON SCHEMA "staging" IS 'Deployment by <user> on <time> | Commit SHA: <sha> | bgplan <run-id>';
-- resolved at apply time: re-create each captured view with its captured definition, which now binds to the objects under the blue names, and its options (security_invoker, security_barrier, check_option; owner, grants and comment stay with the view):
--   CREATE OR REPLACE VIEW "<sinks schema>"."<view>" [WITH (<option> = '<value>', ...)] AS <definition>;
--   (if the new objects change a view's columns this fails and the whole transaction rolls back)
COMMIT;

-- phase rollback: deployment "warehouse": swap back and re-create dependent views
-- check (read-only): nothing-to-roll-back: promote ran and cleanup has not: the journal and the live ids of the blue schemas "marts", "staging" and green schemas "marts_dbt_deploy", "staging_dbt_deploy"
-- check (read-only): not-owner: unless the role is a superuser, the current role owns, directly or through role membership, the blue schemas "marts", "staging" and green schemas "marts_dbt_deploy", "staging_dbt_deploy"
-- check (read-only): orphaned-dependents: nothing outside the deployment except sinks depends on the blue schemas "marts", "staging" (pg_depend, pg_rewrite) (unless --allow-orphans)
-- check (read-only): repoint-not-owner: unless the role is a superuser, the current role owns, directly or through role membership, every view of the sinks schemas and has CREATE on those schemas (CREATE OR REPLACE VIEW) that reads the blue schemas "marts", "staging", so the cut-over after the swap cannot fail on a right
-- check (read-only): missing-privilege: the current role has CREATE on the database (has_database_privilege)
-- check (read-only): swap-name-taken: no schema exists under the temporary name the swap parks each blue schema under: "marts_bgplan_swap", "staging_bgplan_swap"

-- swap back in one transaction with the dependent views.
-- On SQLSTATE 40001, 40P01 or 55P03 only: ROLLBACK, sleep retry_backoff 1s, retry, at most max_retries 3 retries; any other error stops with nothing swapped.
BEGIN;
SET LOCAL lock_timeout = '5s';
SET LOCAL search_path = '';
-- resolved at apply time: the views in sinks schema "reporting" that depend on the blue schemas "marts", "staging" (pg_depend, pg_rewrite), their definitions (pg_get_viewdef(oid), under the empty search_path, so every name is schema-qualified) and options (pg_class.reloptions) are read before this transaction, each read waiting at most lock_timeout;
--   here, before renaming, they are read again: if one changed, SQLSTATE 40001 is raised and the transaction retried
-- exchange "marts" and "marts_dbt_deploy" through "marts_bgplan_swap"
ALTER SCHEMA "marts" RENAME TO "marts_bgplan_swap";
ALTER SCHEMA "marts_dbt_deploy" RENAME TO "marts";
ALTER SCHEMA "marts_bgplan_swap" RENAME TO "marts_dbt_deploy";
-- exchange "staging" and "staging_dbt_deploy" through "staging_bgplan_swap"
ALTER SCHEMA "staging" RENAME TO "staging_bgplan_swap";
ALTER SCHEMA "staging_dbt_deploy" RENAME TO "staging";
ALTER SCHEMA "staging_bgplan_swap" RENAME TO "staging_dbt_deploy";
-- resolved at apply time: re-create each captured view with its captured definition, which now binds to the objects under the blue names, and its options (security_invoker, security_barrier, check_option; owner, grants and comment stay with the view):
--   CREATE OR REPLACE VIEW "<sinks schema>"."<view>" [WITH (<option> = '<value>', ...)] AS <definition>;
--   (if the new objects change a view's columns this fails and the whole transaction rolls back)
-- resolved at apply time: journal (schema --journal-schema, default "bgplan"): that the phase finished, for deployment "warehouse", in the same transaction
COMMIT;

-- phase cleanup: deployment "warehouse": drop what now carries the green names (after promote: the previous blue)
-- check (read-only): not-promoted: promote ran (a rollback after it counts): the blue names carry green's recorded ids (journal), or rollback restored them, for the blue schemas "marts", "staging" (unless --abandon)
-- check (read-only): cleanup-id-mismatch: the green schemas "marts_dbt_deploy", "staging_dbt_deploy" carry the id the journal recorded for it (after promote the old blue's, else green's); no override skips this
-- check (read-only): cleanup-drops: a warning, never an error: every object DROP ... CASCADE of the green schemas "marts_dbt_deploy", "staging_dbt_deploy" removes is listed (kind and name; tables with PostgreSQL's row estimate)
-- check (read-only): cutover-unfinished: no view of the sinks schemas reads an object of the green schemas "marts_dbt_deploy", "staging_dbt_deploy" (after promote: the old objects, an unfinished cut-over that promote finishes); no override drops a sink
-- check (read-only): not-owner: unless the role is a superuser, the current role owns, directly or through role membership, the green schemas "marts_dbt_deploy", "staging_dbt_deploy"
-- check (read-only): cleanup-drops-dependents: DROP ... CASCADE of the green schemas "marts_dbt_deploy", "staging_dbt_deploy" removes nothing else (pg_depend) (unless --drop-dependents)
-- check (read-only): keep-blue-not-elapsed: the rollback window has passed since promote (journal): deployment "warehouse" keep_blue 1h (unless --before-keep-blue)

BEGIN;
-- resolved at apply time: in this transaction, the schema "staging_dbt_deploy" still has the id the journal recorded for it (else SQLSTATE 40001: read again, and cleanup-id-mismatch refuses)
DROP SCHEMA IF EXISTS "staging_dbt_deploy" CASCADE;
-- resolved at apply time: in this transaction, the schema "marts_dbt_deploy" still has the id the journal recorded for it (else SQLSTATE 40001: read again, and cleanup-id-mismatch refuses)
DROP SCHEMA IF EXISTS "marts_dbt_deploy" CASCADE;
-- resolved at apply time: journal (schema --journal-schema, default "bgplan"): that the phase finished, for deployment "warehouse", in the same transaction
COMMIT;
