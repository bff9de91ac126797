#include "tests/mzemu/catalog_schema.h"

#include <sstream>

#include "tests/mzemu/catalog_2026.h"
#include "tests/mzemu/catalog_history.h"

namespace mzemu {

namespace {

// Types, tables and functions. Kept as one raw string so the whole catalog can be read in one
// place next to dbt-materialize-behaviour.md §4.
constexpr const char* kCatalogSql = R"SQL(
CREATE SCHEMA mzemu;
CREATE SCHEMA mz_catalog;
CREATE SCHEMA mz_internal;

-- Materialize allocates ids per kind (src/catalog: separate id allocators for databases,
-- schemas, roles, clusters, cluster replicas and catalog items), each rendered u<N>, so a
-- schema, a cluster and a table routinely share an id. One sequence per kind, as there.
CREATE SEQUENCE mzemu.database_id_seq;
CREATE SEQUENCE mzemu.schema_id_seq START 3;
CREATE SEQUENCE mzemu.role_id_seq;
CREATE SEQUENCE mzemu.cluster_id_seq;
CREATE SEQUENCE mzemu.replica_id_seq;
CREATE SEQUENCE mzemu.item_id_seq;
CREATE SEQUENCE mzemu.oid_seq START 20000;
CREATE TABLE mzemu.state (
  format int NOT NULL,
  catalog_version bigint NOT NULL,
  default_hydrated boolean NOT NULL DEFAULT true
);
-- Overrides keyed by kind and id ('cluster', 'replica', 'item', 'system' = the system
-- introspection index of a cluster): ids of different kinds collide.
CREATE TABLE mzemu.hydration (kind text NOT NULL, target_id text NOT NULL,
  hydrated boolean NOT NULL, PRIMARY KEY (kind, target_id));
CREATE TABLE mzemu.lag (kind text NOT NULL, target_id text NOT NULL, lag interval,
  PRIMARY KEY (kind, target_id));

CREATE DOMAIN mz_catalog.uint2 AS integer CHECK (VALUE >= 0);
CREATE DOMAIN mz_catalog.uint4 AS bigint CHECK (VALUE >= 0);
CREATE DOMAIN mz_catalog.uint8 AS numeric(20, 0) CHECK (VALUE >= 0);
-- mz_aclitem is a base type with text's representation and I/O (textin/textout), not a domain:
-- as in Materialize, its output (wire, arrays, format('%s')) shows role ids (mz_acl_item.rs
-- `Display`), while an explicit cast to text shows role names (typeconv.rs (MzAclItem, String)
-- joins mz_roles), and a domain cannot have a cast of its own. Comparisons are bytewise.
CREATE TYPE mz_catalog.mz_aclitem;
CREATE FUNCTION mzemu.aclitem_in(cstring) RETURNS mz_catalog.mz_aclitem
  LANGUAGE internal IMMUTABLE STRICT AS 'textin';
CREATE FUNCTION mzemu.aclitem_out(mz_catalog.mz_aclitem) RETURNS cstring
  LANGUAGE internal IMMUTABLE STRICT AS 'textout';
CREATE TYPE mz_catalog.mz_aclitem (INPUT = mzemu.aclitem_in, OUTPUT = mzemu.aclitem_out,
  LIKE = text);
DO $$ DECLARE f text[]; BEGIN
  FOREACH f SLICE 1 IN ARRAY ARRAY[['eq', '='], ['ne', '<>'], ['lt', '<'], ['le', '<='],
                                   ['gt', '>'], ['ge', '>=']] LOOP
    EXECUTE format('CREATE FUNCTION mzemu.aclitem_%s(mz_catalog.mz_aclitem, mz_catalog.mz_aclitem) '
                   'RETURNS boolean LANGUAGE internal IMMUTABLE STRICT AS %L', f[1], 'bytea' || f[1]);
    EXECUTE format('CREATE OPERATOR mz_catalog.%s (LEFTARG = mz_catalog.mz_aclitem, '
                   'RIGHTARG = mz_catalog.mz_aclitem, FUNCTION = mzemu.aclitem_%s)', f[2], f[1]);
  END LOOP;
END $$;
CREATE FUNCTION mzemu.aclitem_cmp(mz_catalog.mz_aclitem, mz_catalog.mz_aclitem) RETURNS integer
  LANGUAGE internal IMMUTABLE STRICT AS 'byteacmp';
CREATE FUNCTION mzemu.aclitem_hash(mz_catalog.mz_aclitem) RETURNS integer
  LANGUAGE internal IMMUTABLE STRICT AS 'hashvarlena';
CREATE OPERATOR CLASS mzemu.aclitem_ops DEFAULT FOR TYPE mz_catalog.mz_aclitem USING btree AS
  OPERATOR 1 mz_catalog.<, OPERATOR 2 mz_catalog.<=, OPERATOR 3 mz_catalog.=,
  OPERATOR 4 mz_catalog.>=, OPERATOR 5 mz_catalog.>, FUNCTION 1 mzemu.aclitem_cmp(
  mz_catalog.mz_aclitem, mz_catalog.mz_aclitem);
CREATE OPERATOR CLASS mzemu.aclitem_hash_ops DEFAULT FOR TYPE mz_catalog.mz_aclitem USING hash AS
  OPERATOR 1 mz_catalog.=, FUNCTION 1 mzemu.aclitem_hash(mz_catalog.mz_aclitem);
CREATE CAST (text AS mz_catalog.mz_aclitem) WITHOUT FUNCTION AS ASSIGNMENT;
-- The item as stored (ids), whatever the cast to text does.
CREATE FUNCTION mzemu.acl_raw(mz_catalog.mz_aclitem) RETURNS text LANGUAGE sql IMMUTABLE STRICT
  AS $$ SELECT format('%s', $1) $$;
CREATE DOMAIN mz_catalog.mz_timestamp AS timestamptz;

CREATE TABLE mz_catalog.mz_roles (
  id text PRIMARY KEY, oid oid NOT NULL, name text NOT NULL UNIQUE,
  inherit boolean NOT NULL DEFAULT true, rolcanlogin boolean, rolsuper boolean);
CREATE TABLE mz_catalog.mz_role_members (role_id text NOT NULL, member text NOT NULL,
  grantor text NOT NULL, PRIMARY KEY (role_id, member));
CREATE TABLE mz_catalog.mz_system_privileges (privileges mz_catalog.mz_aclitem NOT NULL);
CREATE TABLE mz_catalog.mz_databases (
  id text PRIMARY KEY, oid oid NOT NULL, name text NOT NULL UNIQUE, owner_id text NOT NULL,
  privileges mz_catalog.mz_aclitem[] NOT NULL);
CREATE TABLE mz_catalog.mz_schemas (
  id text PRIMARY KEY, oid oid NOT NULL, database_id text, name text NOT NULL,
  owner_id text NOT NULL, privileges mz_catalog.mz_aclitem[] NOT NULL);
CREATE TABLE mz_catalog.mz_clusters (
  id text PRIMARY KEY, name text NOT NULL UNIQUE, owner_id text NOT NULL,
  privileges mz_catalog.mz_aclitem[] NOT NULL, managed boolean NOT NULL, size text,
  replication_factor mz_catalog.uint4, disk boolean, availability_zones text[],
  introspection_debugging boolean, introspection_interval interval);
CREATE TABLE mz_catalog.mz_cluster_replicas (
  id text PRIMARY KEY, name text NOT NULL, cluster_id text NOT NULL, size text,
  availability_zone text, owner_id text NOT NULL, disk boolean,
  UNIQUE (cluster_id, name));
CREATE TABLE mz_catalog.mz_default_privileges (
  role_id text NOT NULL, database_id text, schema_id text, object_type text NOT NULL,
  grantee text NOT NULL, privileges text NOT NULL);

-- Every catalog item (user and system). The per-kind relations below are views over it.
CREATE TABLE mzemu.objects (
  id text PRIMARY KEY, oid oid NOT NULL, schema_id text, name text NOT NULL, type text NOT NULL,
  owner_id text NOT NULL, cluster_id text, privileges mz_catalog.mz_aclitem[],
  on_id text, connection_id text, subtype text, envelope_type text, key_format text,
  value_format text, definition text, create_sql text,
  -- 'table' or 'view' when a real PostgreSQL relation schema.name backs the item
  pg_kind text);

CREATE FUNCTION mzemu.system_index_id(cluster_id text) RETURNS text LANGUAGE sql IMMUTABLE AS
  $$ SELECT 's' || (CASE WHEN left(cluster_id, 1) = 'u' THEN 20000 ELSE 19000 END
                    + substr(cluster_id, 2)::int) $$;
-- Like Materialize, every user cluster also has system introspection indexes (ids `s...`, schema
-- mz_introspection, owner mz_system) listed in mz_objects and mz_indexes: one per cluster here,
-- the same object mz_hydration_statuses reports per replica.
CREATE VIEW mzemu.introspection_indexes AS
  SELECT mzemu.system_index_id(c.id) AS id, 0::oid AS oid, 's5'::text AS schema_id,
         'mz_introspection_' || c.id || '_primary_idx' AS name, 'index'::text AS type,
         's1'::text AS owner_id, c.id AS cluster_id, NULL::mz_catalog.mz_aclitem[] AS privileges
  FROM mz_catalog.mz_clusters c WHERE c.id LIKE 'u%';
CREATE VIEW mz_catalog.mz_objects AS
  SELECT id, oid, schema_id, name, type, owner_id, cluster_id, privileges FROM mzemu.objects
  UNION ALL SELECT * FROM mzemu.introspection_indexes;
CREATE VIEW mz_catalog.mz_relations AS
  SELECT id, oid, schema_id, name, type, owner_id, cluster_id, privileges FROM mzemu.objects
  WHERE type IN ('table', 'source', 'view', 'materialized-view');
CREATE VIEW mz_catalog.mz_tables AS
  SELECT id, oid, schema_id, name, owner_id, privileges, create_sql,
         create_sql AS redacted_create_sql, NULL::text AS source_id
  FROM mzemu.objects WHERE type = 'table';
CREATE VIEW mz_catalog.mz_views AS
  SELECT id, oid, schema_id, name, definition, owner_id, privileges, create_sql,
         create_sql AS redacted_create_sql
  FROM mzemu.objects WHERE type = 'view';
CREATE VIEW mz_catalog.mz_materialized_views AS
  SELECT id, oid, schema_id, name, cluster_id, definition, owner_id, privileges, create_sql,
         create_sql AS redacted_create_sql
  FROM mzemu.objects WHERE type = 'materialized-view';
CREATE VIEW mz_catalog.mz_indexes AS
  SELECT id, oid, name, on_id, cluster_id, owner_id, create_sql,
         create_sql AS redacted_create_sql
  FROM mzemu.objects WHERE type = 'index'
  UNION ALL SELECT id, oid, name, NULL, cluster_id, owner_id, NULL, NULL
  FROM mzemu.introspection_indexes;
CREATE VIEW mz_catalog.mz_sources AS
  SELECT id, oid, schema_id, name, subtype AS type, connection_id, NULL::text AS size,
         envelope_type, key_format, value_format, cluster_id, owner_id, privileges, create_sql,
         create_sql AS redacted_create_sql
  FROM mzemu.objects WHERE type = 'source';
-- `format` is Materialize's deprecated combined format column (NOT NULL), kept before
-- key_format/value_format as in builtin.rs; here it repeats the value format.
CREATE VIEW mz_catalog.mz_sinks AS
  SELECT id, oid, schema_id, name, subtype AS type, connection_id, NULL::text AS size,
         envelope_type, coalesce(value_format, key_format, 'text') AS format, key_format,
         value_format, cluster_id, owner_id, create_sql,
         create_sql AS redacted_create_sql
  FROM mzemu.objects WHERE type = 'sink';
CREATE VIEW mz_catalog.mz_connections AS
  SELECT id, oid, schema_id, name, subtype AS type, owner_id, privileges, create_sql,
         create_sql AS redacted_create_sql
  FROM mzemu.objects WHERE type = 'connection';
-- The columns of relations backed by a PostgreSQL relation (tables, views, materialized views,
-- sources), with PostgreSQL's type names.
CREATE VIEW mz_catalog.mz_columns AS
  SELECT o.id, a.attname::text AS name, a.attnum::mz_catalog.uint8 AS position,
         NOT a.attnotnull AS nullable, format_type(a.atttypid, NULL) AS type,
         NULL::text AS "default", a.atttypid AS type_oid, a.atttypmod AS type_mod
  FROM mzemu.objects o JOIN mz_catalog.mz_schemas s ON s.id = o.schema_id
       JOIN pg_catalog.pg_namespace n ON n.nspname = s.name
       JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = o.name
       JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
                                        AND NOT a.attisdropped
  WHERE o.pg_kind IS NOT NULL;
CREATE VIEW mz_catalog.mz_secrets AS
  SELECT id, oid, schema_id, name, owner_id, privileges FROM mzemu.objects WHERE type = 'secret';

CREATE TABLE mz_internal.mz_object_dependencies (
  object_id text NOT NULL, referenced_object_id text NOT NULL);
CREATE TABLE mz_internal.mz_comments (
  id text NOT NULL, object_type text NOT NULL, object_sub_id integer, comment text NOT NULL);
CREATE TABLE mz_internal.mz_cluster_schedules (
  cluster_id text NOT NULL, type text NOT NULL, refresh_hydration_time_estimate interval);
-- The strategies as written; mz_internal.mz_cluster_auto_scaling_strategies (catalog_2026.cc)
-- adds the burst state.
CREATE TABLE mzemu.auto_scaling_strategies (cluster_id text NOT NULL, strategy jsonb);
CREATE TABLE mz_internal.mz_internal_cluster_replicas (id text NOT NULL);
CREATE TABLE mz_internal.mz_cluster_replica_status_history (
  replica_id text NOT NULL, process_id mz_catalog.uint8, status text NOT NULL, reason text,
  occurred_at timestamptz NOT NULL);

-- Session context: the emulated role is carried in the GUC mzemu.role of the backing session.
CREATE FUNCTION mz_catalog.mzemu_current_role() RETURNS text LANGUAGE sql STABLE AS
  $$ SELECT coalesce(nullif(current_setting('mzemu.role', true), ''), 'materialize') $$;
CREATE FUNCTION mz_catalog."current_user"() RETURNS text LANGUAGE sql STABLE AS
  $$ SELECT mz_catalog.mzemu_current_role() $$;
CREATE FUNCTION mz_catalog."current_role"() RETURNS text LANGUAGE sql STABLE AS
  $$ SELECT mz_catalog.mzemu_current_role() $$;
CREATE FUNCTION mzemu.role_id() RETURNS text LANGUAGE sql STABLE AS
  $$ SELECT id FROM mz_catalog.mz_roles WHERE name = mz_catalog.mzemu_current_role() $$;
CREATE FUNCTION mzemu.role_name(text) RETURNS text LANGUAGE sql STABLE AS
  $$ SELECT CASE WHEN $1 = 'p' THEN 'PUBLIC'
                 ELSE coalesce((SELECT name FROM mz_catalog.mz_roles WHERE id = $1), $1) END $$;
-- mz_aclitem → text (explicit, as in typeconv.rs): role names, '' for PUBLIC, the id if the
-- role is gone. `acl::text::text[]` (array I/O) keeps the ids; `acl::text[]` casts each item.
CREATE FUNCTION mzemu.aclitem_names(mz_catalog.mz_aclitem) RETURNS text LANGUAGE sql STABLE
  STRICT AS $$
  SELECT CASE WHEN e = '' THEN '' ELSE coalesce((SELECT name FROM mz_catalog.mz_roles
                                                  WHERE id = e), e) END
         || '=' || split_part(r, '/', 1) || '/'
         || coalesce((SELECT name FROM mz_catalog.mz_roles WHERE id = split_part(r, '/', 2)),
                     split_part(r, '/', 2))
  FROM (SELECT split_part(mzemu.acl_raw($1), '=', 1) AS e,
               split_part(mzemu.acl_raw($1), '=', 2) AS r) x $$;
CREATE CAST (mz_catalog.mz_aclitem AS text) WITH FUNCTION mzemu.aclitem_names(mz_catalog.mz_aclitem);
-- True if role $1 is (transitively) a member of role $2, or $2 is PUBLIC.
CREATE FUNCTION mzemu.is_member(text, text) RETURNS boolean LANGUAGE sql STABLE AS $$
  WITH RECURSIVE m(r) AS (
    SELECT $1
    UNION SELECT rm.role_id FROM mz_catalog.mz_role_members rm JOIN m ON rm.member = m.r)
  SELECT $2 = 'p' OR EXISTS (SELECT 1 FROM m WHERE r = $2) $$;
CREATE FUNCTION mz_catalog.mz_is_superuser() RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT coalesce((SELECT rolsuper FROM mz_catalog.mz_roles
                   WHERE name = mz_catalog.mzemu_current_role()), false) $$;
-- mz_version(), mz_version_num() and version() are in catalog_2026.cc (the emulated version).
-- Lists (mz_clusters.availability_zones is a `text list`) are arrays here; list_length as in
-- Materialize (0 for an empty list).
CREATE FUNCTION mz_catalog.list_length(anyarray) RETURNS integer LANGUAGE sql IMMUTABLE AS
  $$ SELECT cardinality($1) $$;
-- current_setting('cluster') answers the emulated session variable (kept in mzemu.cluster).
CREATE FUNCTION mz_catalog.current_setting(text) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN lower($1) = 'cluster' THEN pg_catalog.current_setting('mzemu.cluster', true)
              ELSE pg_catalog.current_setting($1) END $$;
CREATE FUNCTION mz_catalog.current_setting(text, boolean) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN lower($1) = 'cluster' THEN pg_catalog.current_setting('mzemu.cluster', true)
              ELSE pg_catalog.current_setting($1, $2) END $$;
CREATE FUNCTION mz_catalog.mz_now() RETURNS mz_catalog.mz_timestamp LANGUAGE sql STABLE AS
  $$ SELECT now()::mz_catalog.mz_timestamp $$;

-- PostgreSQL-compatibility objects that Materialize answers from its own catalog. mz_catalog is
-- searched before pg_catalog (see Session::SyncBackendSession), so these shadow the built-ins.
CREATE VIEW mz_catalog.pg_roles AS
  SELECT name AS rolname, coalesce(rolsuper, false) AS rolsuper, inherit AS rolinherit,
         false AS rolcreaterole, false AS rolcreatedb, coalesce(rolcanlogin, false) AS rolcanlogin,
         false AS rolreplication, -1 AS rolconnlimit, NULL::text AS rolpassword,
         NULL::timestamptz AS rolvaliduntil, false AS rolbypassrls, NULL::text[] AS rolconfig, oid
  FROM mz_catalog.mz_roles;
CREATE FUNCTION mzemu.priv_name(text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE $1 WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE'
    WHEN 'd' THEN 'DELETE' WHEN 'U' THEN 'USAGE' WHEN 'C' THEN 'CREATE'
    WHEN 'R' THEN 'CREATEROLE' WHEN 'B' THEN 'CREATEDB' WHEN 'N' THEN 'CREATECLUSTER'
    WHEN 'P' THEN 'CREATENETWORKPOLICY' ELSE $1 END $$;
CREATE FUNCTION mzemu.canon(text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT string_agg(l, '' ORDER BY strpos('arwdUCRBNP', l))
  FROM (SELECT DISTINCT l FROM regexp_split_to_table($1, '') l WHERE l <> '') x $$;

CREATE FUNCTION mz_internal.mz_aclexplode(mz_catalog.mz_aclitem[])
  RETURNS TABLE (grantor text, grantee text, privilege_type text, is_grantable boolean)
  LANGUAGE sql STABLE AS $$
  SELECT coalesce(nullif(split_part(split_part(item, '=', 2), '/', 2), ''), 'p'),
         coalesce(nullif(split_part(item, '=', 1), ''), 'p'),
         mzemu.priv_name(l), false
  FROM unnest($1::text::text[]) WITH ORDINALITY AS a(item, n),
       regexp_split_to_table(split_part(split_part(item, '=', 2), '/', 1), '') AS l
  WHERE l <> '' $$;

-- acl_grant(acl, grantee_id, grantor_id, letters): adds letters for grantee ('p' = PUBLIC).
CREATE FUNCTION mzemu.acl_grant(acl mz_catalog.mz_aclitem[], grantee text, grantor text,
                                letters text) RETURNS mz_catalog.mz_aclitem[]
  LANGUAGE plpgsql STABLE AS $$
DECLARE
  g text := CASE WHEN grantee = 'p' THEN '' ELSE grantee END;
  out text[] := '{}';
  found boolean := false;
  item text;
BEGIN
  FOREACH item IN ARRAY coalesce(acl::text::text[], '{}') LOOP
    IF split_part(item, '=', 1) = g AND split_part(split_part(item, '=', 2), '/', 2) = grantor THEN
      item := g || '=' || mzemu.canon(split_part(split_part(item, '=', 2), '/', 1) || letters)
              || '/' || grantor;
      found := true;
    END IF;
    out := out || item;
  END LOOP;
  IF NOT found THEN
    out := out || (g || '=' || mzemu.canon(letters) || '/' || grantor);
  END IF;
  RETURN out::mz_catalog.mz_aclitem[];
END $$;
-- acl_revoke(acl, grantee_id, letters): removes letters granted to grantee by anyone.
CREATE FUNCTION mzemu.acl_revoke(acl mz_catalog.mz_aclitem[], grantee text, letters text)
  RETURNS mz_catalog.mz_aclitem[] LANGUAGE plpgsql STABLE AS $$
DECLARE
  g text := CASE WHEN grantee = 'p' THEN '' ELSE grantee END;
  out text[] := '{}';
  item text;
  rest text;
BEGIN
  FOREACH item IN ARRAY coalesce(acl::text::text[], '{}') LOOP
    IF split_part(item, '=', 1) = g THEN
      rest := coalesce(mzemu.canon(translate(split_part(split_part(item, '=', 2), '/', 1),
                                             letters, '')), '');
      IF rest = '' THEN CONTINUE; END IF;
      item := g || '=' || rest || '/' || split_part(split_part(item, '=', 2), '/', 2);
    END IF;
    out := out || item;
  END LOOP;
  RETURN out::mz_catalog.mz_aclitem[];
END $$;
-- Replaces role id $2 by $3 in every item (ownership transfer).
CREATE FUNCTION mzemu.acl_reown(mz_catalog.mz_aclitem[], text, text)
  RETURNS mz_catalog.mz_aclitem[] LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(array_agg(regexp_replace(regexp_replace(item, '^' || $2 || '=', $3 || '='),
                                           '/' || $2 || '$', '/' || $3)), '{}')::mz_catalog.mz_aclitem[]
  FROM unnest($1::text::text[]) item $$;

-- Removes every item granted to role $2 (the role is being dropped).
CREATE FUNCTION mzemu.acl_drop_role(mz_catalog.mz_aclitem[], text)
  RETURNS mz_catalog.mz_aclitem[] LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(array_agg(item), '{}')::mz_catalog.mz_aclitem[]
  FROM unnest($1::text::text[]) item WHERE split_part(item, '=', 1) <> $2 $$;
-- Number of catalog objects owned by role $1.
CREATE FUNCTION mzemu.owned_count(text) RETURNS bigint LANGUAGE sql STABLE AS $$
  SELECT (SELECT count(*) FROM mz_catalog.mz_databases WHERE owner_id = $1)
       + (SELECT count(*) FROM mz_catalog.mz_schemas WHERE owner_id = $1)
       + (SELECT count(*) FROM mz_catalog.mz_clusters WHERE owner_id = $1)
       + (SELECT count(*) FROM mzemu.objects WHERE owner_id = $1) $$;
-- has_priv(acl, owner_id, privilege name): the current role's effective privilege.
CREATE FUNCTION mzemu.has_priv(mz_catalog.mz_aclitem[], text, text) RETURNS boolean
  LANGUAGE sql STABLE AS $$
  SELECT mz_catalog.mz_is_superuser() OR mzemu.is_member(mzemu.role_id(), $2)
      OR EXISTS (SELECT 1 FROM mz_internal.mz_aclexplode($1) e
                 WHERE e.privilege_type = $3 AND mzemu.is_member(mzemu.role_id(), e.grantee)) $$;
CREATE FUNCTION mzemu.is_owner(text) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT mz_catalog.mz_is_superuser() OR mzemu.is_member(mzemu.role_id(), $1) $$;

CREATE FUNCTION mz_catalog.has_system_privilege(text, text) RETURNS boolean
  LANGUAGE sql STABLE AS $$
  SELECT coalesce((SELECT rolsuper FROM mz_catalog.mz_roles WHERE name = $1), false)
      OR EXISTS (SELECT 1 FROM mz_catalog.mz_system_privileges sp,
                      mz_internal.mz_aclexplode(ARRAY[sp.privileges]) e
                 WHERE e.privilege_type = upper($2)
                   AND mzemu.is_member((SELECT id FROM mz_catalog.mz_roles WHERE name = $1),
                                       e.grantee)) $$;
CREATE FUNCTION mz_catalog.has_system_privilege(text) RETURNS boolean LANGUAGE sql STABLE AS
  $$ SELECT mz_catalog.has_system_privilege(mz_catalog.mzemu_current_role(), $1) $$;

CREATE FUNCTION mz_catalog.has_database_privilege(text, text) RETURNS boolean
  LANGUAGE sql STABLE AS $$
  SELECT mzemu.has_priv(privileges, owner_id, upper($2)) FROM mz_catalog.mz_databases
  WHERE name = $1 $$;
CREATE FUNCTION mz_catalog.has_schema_privilege(text, text) RETURNS boolean
  LANGUAGE sql STABLE AS $$
  SELECT mzemu.has_priv(s.privileges, s.owner_id, upper($2)) FROM mz_catalog.mz_schemas s
  WHERE s.name = $1 ORDER BY s.database_id NULLS LAST LIMIT 1 $$;
CREATE FUNCTION mz_catalog.has_cluster_privilege(text, text) RETURNS boolean
  LANGUAGE sql STABLE AS $$
  SELECT mzemu.has_priv(privileges, owner_id, upper($2)) FROM mz_catalog.mz_clusters
  WHERE name = $1 $$;

-- Privilege views.
CREATE VIEW mz_internal.mz_show_database_privileges AS
  SELECT mzemu.role_name(e.grantor) AS grantor, mzemu.role_name(e.grantee) AS grantee,
         d.name, e.privilege_type
  FROM mz_catalog.mz_databases d, mz_internal.mz_aclexplode(d.privileges) e;
CREATE VIEW mz_internal.mz_show_schema_privileges AS
  SELECT mzemu.role_name(e.grantor) AS grantor, mzemu.role_name(e.grantee) AS grantee,
         d.name AS database, s.name, e.privilege_type
  FROM mz_catalog.mz_schemas s LEFT JOIN mz_catalog.mz_databases d ON d.id = s.database_id,
       mz_internal.mz_aclexplode(s.privileges) e;
CREATE VIEW mz_internal.mz_show_cluster_privileges AS
  SELECT mzemu.role_name(e.grantor) AS grantor, mzemu.role_name(e.grantee) AS grantee,
         c.name, e.privilege_type
  FROM mz_catalog.mz_clusters c, mz_internal.mz_aclexplode(c.privileges) e;
CREATE VIEW mz_internal.mz_show_object_privileges AS
  SELECT mzemu.role_name(e.grantor) AS grantor, mzemu.role_name(e.grantee) AS grantee,
         d.name AS database, s.name AS schema, o.name, o.type AS object_type, e.privilege_type
  FROM mzemu.objects o JOIN mz_catalog.mz_schemas s ON s.id = o.schema_id
       LEFT JOIN mz_catalog.mz_databases d ON d.id = s.database_id,
       mz_internal.mz_aclexplode(o.privileges) e
  WHERE o.id LIKE 'u%';
CREATE VIEW mz_internal.mz_show_system_privileges AS
  SELECT mzemu.role_name(e.grantor) AS grantor, mzemu.role_name(e.grantee) AS grantee,
         e.privilege_type
  FROM mz_catalog.mz_system_privileges sp, mz_internal.mz_aclexplode(ARRAY[sp.privileges]) e;
CREATE VIEW mz_internal.mz_show_default_privileges AS
  SELECT CASE WHEN dp.role_id = 'p' THEN 'PUBLIC' ELSE mzemu.role_name(dp.role_id) END
           AS object_owner,
         d.name AS database, s.name AS schema, dp.object_type,
         mzemu.role_name(dp.grantee) AS grantee, mzemu.priv_name(l) AS privilege_type
  FROM mz_catalog.mz_default_privileges dp
       LEFT JOIN mz_catalog.mz_databases d ON d.id = dp.database_id
       LEFT JOIN mz_catalog.mz_schemas s ON s.id = dp.schema_id,
       regexp_split_to_table(dp.privileges, '') l
  WHERE l <> '';
CREATE FUNCTION mzemu.my_grantee(text) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT $1 = 'PUBLIC' OR mz_catalog.mz_is_superuser()
      OR mzemu.is_member(mzemu.role_id(), (SELECT id FROM mz_catalog.mz_roles WHERE name = $1)) $$;
CREATE VIEW mz_internal.mz_show_my_database_privileges AS
  SELECT * FROM mz_internal.mz_show_database_privileges WHERE mzemu.my_grantee(grantee);
CREATE VIEW mz_internal.mz_show_my_schema_privileges AS
  SELECT * FROM mz_internal.mz_show_schema_privileges WHERE mzemu.my_grantee(grantee);
CREATE VIEW mz_internal.mz_show_my_cluster_privileges AS
  SELECT * FROM mz_internal.mz_show_cluster_privileges WHERE mzemu.my_grantee(grantee);
CREATE VIEW mz_internal.mz_show_my_object_privileges AS
  SELECT * FROM mz_internal.mz_show_object_privileges WHERE mzemu.my_grantee(grantee);
CREATE VIEW mz_internal.mz_show_my_system_privileges AS
  SELECT * FROM mz_internal.mz_show_system_privileges WHERE mzemu.my_grantee(grantee);
CREATE VIEW mz_internal.mz_show_my_default_privileges AS
  SELECT * FROM mz_internal.mz_show_default_privileges WHERE mzemu.my_grantee(grantee);

-- Health: hydration and lag are driven by mzemu.hydration / mzemu.lag (see README).
-- Every replica also reports one system introspection index (an `s` id per cluster: s20000+N
-- for user cluster uN, s19000+N for system cluster sN), hydrated unless
-- mzemu_set_system_hydrated(cluster, false), as a real replica does, so a cluster without user
-- dataflows reads as hydrated.
CREATE VIEW mz_internal.mz_hydration_statuses AS
  SELECT o.id AS object_id, r.id AS replica_id,
         coalesce(ho.hydrated, hr.hydrated, hc.hydrated, st.default_hydrated) AS hydrated
  FROM mzemu.objects o
       JOIN mz_catalog.mz_cluster_replicas r ON r.cluster_id = o.cluster_id
       CROSS JOIN mzemu.state st
       LEFT JOIN mzemu.hydration ho ON ho.kind = 'item' AND ho.target_id = o.id
       LEFT JOIN mzemu.hydration hr ON hr.kind = 'replica' AND hr.target_id = r.id
       LEFT JOIN mzemu.hydration hc ON hc.kind = 'cluster' AND hc.target_id = o.cluster_id
  WHERE o.type IN ('index', 'materialized-view', 'source', 'sink')
    AND o.subtype IS DISTINCT FROM 'webhook'
  UNION ALL
  SELECT o.id, NULL, false FROM mzemu.objects o
  WHERE o.type IN ('index', 'materialized-view') AND o.cluster_id IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM mz_catalog.mz_cluster_replicas r WHERE r.cluster_id = o.cluster_id)
  UNION ALL
  SELECT mzemu.system_index_id(r.cluster_id), r.id, coalesce(hs.hydrated, true)
  FROM mz_catalog.mz_cluster_replicas r
       LEFT JOIN mzemu.hydration hs ON hs.kind = 'system' AND hs.target_id = r.cluster_id;
CREATE VIEW mz_internal.mz_compute_hydration_statuses AS
  SELECT h.object_id, h.replica_id, h.hydrated, NULL::interval AS hydration_time
  FROM mz_internal.mz_hydration_statuses h
  WHERE h.replica_id IS NOT NULL AND (h.object_id LIKE 's%' OR EXISTS (
    SELECT 1 FROM mzemu.objects o WHERE o.id = h.object_id
      AND o.type IN ('index', 'materialized-view')));
CREATE VIEW mz_internal.mz_wallclock_global_lag AS
  SELECT o.id AS object_id,
         CASE WHEN lo.target_id IS NOT NULL THEN lo.lag WHEN lc.target_id IS NOT NULL THEN lc.lag
              ELSE interval '0 seconds' END AS lag
  FROM mzemu.objects o
       LEFT JOIN mzemu.lag lo ON lo.kind = 'item' AND lo.target_id = o.id
       LEFT JOIN mzemu.lag lc ON lc.kind = 'cluster' AND lc.target_id = o.cluster_id
  WHERE o.id LIKE 'u%'
    AND o.type IN ('table', 'source', 'materialized-view', 'index', 'sink');
CREATE VIEW mz_internal.mz_cluster_replica_statuses AS
  SELECT r.id AS replica_id, 0::mz_catalog.uint8 AS process_id,
         coalesce(h.status, 'online') AS status, h.reason,
         coalesce(h.occurred_at, now()) AS updated_at
  FROM mz_catalog.mz_cluster_replicas r
       LEFT JOIN LATERAL (
         SELECT x.status, x.reason, x.occurred_at
         FROM mz_internal.mz_cluster_replica_status_history x
         WHERE x.replica_id = r.id ORDER BY x.occurred_at DESC LIMIT 1) h ON true;
CREATE VIEW mz_internal.mz_sink_statuses AS
  SELECT id, name, subtype AS type, now() AS last_status_change_at, 'running'::text AS status,
         NULL::text AS error, NULL::jsonb AS details
  FROM mzemu.objects WHERE type = 'sink';

CREATE VIEW mz_internal.mz_source_statuses AS
  SELECT id, name, subtype AS type, now() AS last_status_change_at, 'running'::text AS status,
         NULL::text AS error, NULL::jsonb AS details
  FROM mzemu.objects WHERE type = 'source';
CREATE VIEW mz_internal.mz_materialization_lag AS
  SELECT object_id, lag AS local_lag, lag AS global_lag, NULL::text AS slowest_local_input_id,
         NULL::text AS slowest_global_input_id
  FROM mz_internal.mz_wallclock_global_lag g
  WHERE EXISTS (SELECT 1 FROM mzemu.objects o WHERE o.id = g.object_id
                  AND o.type IN ('index', 'materialized-view', 'sink'));
CREATE VIEW mz_internal.mz_object_fully_qualified_names AS
  SELECT o.id, o.name, o.type AS object_type, o.schema_id, s.name AS schema_name,
         s.database_id, d.name AS database_name, o.cluster_id
  FROM mzemu.objects o JOIN mz_catalog.mz_schemas s ON s.id = o.schema_id
       LEFT JOIN mz_catalog.mz_databases d ON d.id = s.database_id;
CREATE VIEW mz_internal.mz_object_transitive_dependencies AS
  WITH RECURSIVE t(object_id, referenced_object_id) AS (
    SELECT object_id, referenced_object_id FROM mz_internal.mz_object_dependencies
    UNION
    SELECT t.object_id, d.referenced_object_id
    FROM t JOIN mz_internal.mz_object_dependencies d ON d.object_id = t.referenced_object_id)
  SELECT object_id, referenced_object_id FROM t;

-- Catalog helpers used by the statement interpreter.
-- new_id(kind): kind is database, schema, role, cluster, replica or item.
CREATE FUNCTION mzemu.new_id(kind text) RETURNS text LANGUAGE sql AS
  $$ SELECT 'u' || nextval(format('mzemu.%s_id_seq', kind)::regclass) $$;
-- Comment object types of catalog items (mz_comments.object_type, audit-log spelling).
CREATE FUNCTION mzemu.item_comment_types() RETURNS text[] LANGUAGE sql IMMUTABLE AS
  $$ SELECT ARRAY['table', 'view', 'materialized-view', 'index', 'source', 'sink', 'connection',
                  'secret', 'type', 'func', 'continual-task'] $$;
CREATE FUNCTION mzemu.new_oid() RETURNS oid LANGUAGE sql AS
  $$ SELECT nextval('mzemu.oid_seq')::oid $$;

-- Items that must go when the items $1 go: dependents, transitively (indexes depend on the
-- relation they index).
CREATE FUNCTION mzemu.dependents_closure(text[]) RETURNS SETOF text LANGUAGE sql STABLE AS $$
  WITH RECURSIVE c(id) AS (
    SELECT unnest($1)
    UNION
    SELECT d.object_id FROM mz_internal.mz_object_dependencies d JOIN c ON d.referenced_object_id = c.id)
  SELECT id FROM c $$;

-- Removes the items $1 (already closed over dependents) from the catalog and drops their
-- PostgreSQL relations.
CREATE FUNCTION mzemu.drop_items(text[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT o.pg_kind, s.name AS schema_name, o.name FROM mzemu.objects o
           JOIN mz_catalog.mz_schemas s ON s.id = o.schema_id
           WHERE o.id = ANY ($1) AND o.pg_kind IS NOT NULL LOOP
    EXECUTE format('DROP %s IF EXISTS %I.%I CASCADE', r.pg_kind, r.schema_name, r.name);
  END LOOP;
  DELETE FROM mz_internal.mz_object_dependencies
    WHERE object_id = ANY ($1) OR referenced_object_id = ANY ($1);
  DELETE FROM mz_internal.mz_comments
    WHERE id = ANY ($1) AND object_type = ANY (mzemu.item_comment_types());
  DELETE FROM mzemu.hydration WHERE kind = 'item' AND target_id = ANY ($1);
  DELETE FROM mzemu.lag WHERE kind = 'item' AND target_id = ANY ($1);
  DELETE FROM mzemu.objects WHERE id = ANY ($1);
END $$;

-- Privileges an object type has (rbac.rs all_object_privileges; AllLetters in ddl_impl.h).
CREATE FUNCTION mzemu.all_privileges(text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN $1 = 'table' THEN 'arwd'
              WHEN $1 IN ('view', 'materialized-view', 'source') THEN 'r'
              WHEN $1 IN ('connection', 'secret', 'type') THEN 'U'
              WHEN $1 IN ('schema', 'cluster', 'database') THEN 'UC' ELSE '' END $$;
-- The privileges of a new object of type `typ` owned by `owner` in database `db` / schema `sch`:
-- the owner's, plus the default privileges that apply (catalog objects.rs
-- get_applicable_privileges, used by transact.rs for items, schemas, clusters and databases):
-- those FOR ROLE `owner` itself (not a role it is a member of) or FOR ALL ROLES, whose database
-- and schema are unset or the object's; relations match TABLES. Each grantee's privileges are
-- merged and restricted to what the type supports (GRANT ALL ON TABLES gives a view only r).
CREATE FUNCTION mzemu.default_acl(owner text, db text, sch text, typ text)
  RETURNS mz_catalog.mz_aclitem[] LANGUAGE plpgsql STABLE AS $$
DECLARE
  valid text := mzemu.all_privileges(typ);
  acl mz_catalog.mz_aclitem[] := CASE WHEN valid = '' THEN '{}'
                                      ELSE ARRAY[owner || '=' || valid || '/' || owner] END;
  dp record;
  l text;
BEGIN
  FOR dp IN SELECT d.grantee, string_agg(d.privileges, '') AS l
            FROM mz_catalog.mz_default_privileges d
            WHERE d.role_id IN (owner, 'p')
              AND (d.database_id IS NULL OR d.database_id = db)
              AND (d.schema_id IS NULL OR d.schema_id = sch)
              AND d.object_type = CASE WHEN typ IN ('view', 'materialized-view', 'source')
                                       THEN 'table' ELSE typ END
            GROUP BY d.grantee LOOP
    l := translate(dp.l, translate(dp.l, valid, ''), '');  -- only the type's privileges
    IF l <> '' THEN acl := mzemu.acl_grant(acl, dp.grantee, owner, l); END IF;
  END LOOP;
  RETURN acl;
END $$;
-- Sets the privileges of the new item $1 (owner's and default privileges).
CREATE FUNCTION mzemu.apply_default_privs(text) RETURNS void LANGUAGE sql AS $$
  UPDATE mzemu.objects o SET privileges = mzemu.default_acl(o.owner_id, s.database_id, s.id, o.type)
  FROM mz_catalog.mz_schemas s WHERE o.id = $1 AND s.id = o.schema_id $$;
-- A new user cluster gets its owner's and the default privileges whatever statement inserts it
-- (a trigger, created after the bootstrap objects, whose privileges are initialize.rs's).
CREATE FUNCTION mzemu.cluster_default_privs() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.id LIKE 'u%' THEN
    NEW.privileges := mzemu.default_acl(NEW.owner_id, NULL, NULL, 'cluster');
  END IF;
  RETURN NEW;
END $$;

-- Control functions for tests (see README). Targets: a cluster name, 'cluster.replica',
-- an item name, 'schema.item', an id (ambiguous across kinds: cluster, then item, then
-- replica), or 'cluster:<id>' / 'replica:<id>' / 'item:<id>'. Returns 'kind:id'.
CREATE FUNCTION mzemu.resolve_target(t text) RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
  res text;
BEGIN
  IF t ~ '^(cluster|replica|item):[us][0-9]+$' THEN
    IF split_part(t, ':', 1) = 'cluster' THEN
      SELECT id INTO res FROM mz_catalog.mz_clusters WHERE id = split_part(t, ':', 2);
    ELSIF split_part(t, ':', 1) = 'replica' THEN
      SELECT id INTO res FROM mz_catalog.mz_cluster_replicas WHERE id = split_part(t, ':', 2);
    ELSE
      SELECT id INTO res FROM mzemu.objects WHERE id = split_part(t, ':', 2);
    END IF;
    IF res IS NOT NULL THEN RETURN t; END IF;
  END IF;
  SELECT id INTO res FROM mz_catalog.mz_clusters WHERE name = t;
  IF res IS NOT NULL THEN RETURN 'cluster:' || res; END IF;
  SELECT id INTO res FROM mz_catalog.mz_clusters WHERE id = t;
  IF res IS NOT NULL THEN RETURN 'cluster:' || res; END IF;
  SELECT id INTO res FROM mzemu.objects WHERE id = t;
  IF res IS NOT NULL THEN RETURN 'item:' || res; END IF;
  SELECT id INTO res FROM mz_catalog.mz_cluster_replicas WHERE id = t;
  IF res IS NOT NULL THEN RETURN 'replica:' || res; END IF;
  IF strpos(t, '.') > 0 THEN
    SELECT o.id INTO res FROM mzemu.objects o JOIN mz_catalog.mz_schemas s ON s.id = o.schema_id
      WHERE s.name = split_part(t, '.', 1) AND o.name = split_part(t, '.', 2) AND o.id LIKE 'u%';
    IF res IS NOT NULL THEN RETURN 'item:' || res; END IF;
    SELECT r.id INTO res FROM mz_catalog.mz_cluster_replicas r
      JOIN mz_catalog.mz_clusters c ON c.id = r.cluster_id
      WHERE c.name = split_part(t, '.', 1) AND r.name = split_part(t, '.', 2);
    IF res IS NOT NULL THEN RETURN 'replica:' || res; END IF;
  ELSE
    SELECT o.id INTO res FROM mzemu.objects o WHERE o.name = t AND o.id LIKE 'u%'
      ORDER BY substr(o.id, 2)::int LIMIT 1;
    IF res IS NOT NULL THEN RETURN 'item:' || res; END IF;
  END IF;
  RAISE EXCEPTION 'mzemu: unknown cluster, replica or object "%"', t USING ERRCODE = '42704';
END $$;
-- A replica target: 'cluster.replica', a replica id or 'replica:<id>'.
CREATE FUNCTION mzemu.resolve_replica(t text) RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
  res text;
BEGIN
  SELECT r.id INTO res FROM mz_catalog.mz_cluster_replicas r
    JOIN mz_catalog.mz_clusters c ON c.id = r.cluster_id
    WHERE (c.name = split_part(t, '.', 1) AND r.name = split_part(t, '.', 2))
       OR r.id = t OR 'replica:' || r.id = t;
  IF res IS NOT NULL THEN RETURN res; END IF;
  RAISE EXCEPTION 'mzemu: unknown cluster replica "%"', t USING ERRCODE = '42704';
END $$;
CREATE FUNCTION mzemu.mzemu_set_hydrated(target text, hydrated boolean) RETURNS text
  LANGUAGE sql AS $$
  INSERT INTO mzemu.hydration
    SELECT split_part(k, ':', 1), split_part(k, ':', 2), hydrated
    FROM mzemu.resolve_target(target) k
  ON CONFLICT (kind, target_id) DO UPDATE SET hydrated = excluded.hydrated
  RETURNING target_id $$;
CREATE FUNCTION mzemu.mzemu_clear_hydrated(target text) RETURNS text LANGUAGE sql AS $$
  DELETE FROM mzemu.hydration WHERE kind || ':' || target_id = mzemu.resolve_target(target);
  SELECT split_part(mzemu.resolve_target(target), ':', 2) $$;
-- Hydration of the system introspection index every replica of `cluster` reports.
CREATE FUNCTION mzemu.mzemu_set_system_hydrated(cluster text, hydrated boolean) RETURNS text
  LANGUAGE plpgsql AS $$
DECLARE
  cid text;
BEGIN
  SELECT id INTO cid FROM mz_catalog.mz_clusters WHERE name = cluster OR id = cluster;
  IF cid IS NULL THEN
    RAISE EXCEPTION 'unknown cluster ''%''', cluster USING ERRCODE = '42704';
  END IF;
  INSERT INTO mzemu.hydration VALUES ('system', cid, hydrated)
    ON CONFLICT (kind, target_id) DO UPDATE SET hydrated = excluded.hydrated;
  RETURN mzemu.system_index_id(cid);
END $$;
CREATE FUNCTION mzemu.mzemu_set_default_hydrated(hydrated boolean) RETURNS boolean
  LANGUAGE sql AS $$ UPDATE mzemu.state SET default_hydrated = hydrated RETURNING hydrated $$;
CREATE FUNCTION mzemu.mzemu_set_lag(target text, lag interval) RETURNS text LANGUAGE sql AS $$
  INSERT INTO mzemu.lag
    SELECT split_part(k, ':', 1), split_part(k, ':', 2), lag FROM mzemu.resolve_target(target) k
  ON CONFLICT (kind, target_id) DO UPDATE SET lag = excluded.lag
  RETURNING target_id $$;
CREATE FUNCTION mzemu.mzemu_clear_lag(target text) RETURNS text LANGUAGE sql AS $$
  DELETE FROM mzemu.lag WHERE kind || ':' || target_id = mzemu.resolve_target(target);
  SELECT split_part(mzemu.resolve_target(target), ':', 2) $$;
-- Records `n` OOM kills (status offline, reason oom-killed, now) of a replica.
CREATE FUNCTION mzemu.mzemu_oom(replica text, n integer DEFAULT 1) RETURNS text
  LANGUAGE sql AS $$
  INSERT INTO mz_internal.mz_cluster_replica_status_history
    SELECT r.id, 0, 'offline', 'oom-killed', now() FROM mz_catalog.mz_cluster_replicas r,
           generate_series(1, n)
    WHERE r.id = mzemu.resolve_replica(replica);
  SELECT mzemu.resolve_replica(replica) $$;
CREATE FUNCTION mzemu.mzemu_clear_oom(replica text) RETURNS text LANGUAGE sql AS $$
  DELETE FROM mz_internal.mz_cluster_replica_status_history
    WHERE replica_id = mzemu.resolve_replica(replica);
  SELECT mzemu.resolve_replica(replica) $$;
-- The scheduler of an ON REFRESH cluster turning it on (one replica r1) or off (none). A
-- catalog change in Materialize too, so it bumps the catalog version.
CREATE FUNCTION mzemu.mzemu_set_scheduled_on(cluster text, turned_on boolean) RETURNS text
  LANGUAGE plpgsql AS $$
DECLARE
  c record;
BEGIN
  SELECT * INTO c FROM mz_catalog.mz_clusters WHERE name = cluster;
  IF c.id IS NULL THEN
    RAISE EXCEPTION 'unknown cluster ''%''', cluster USING ERRCODE = '42704';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM mz_internal.mz_cluster_schedules
                 WHERE cluster_id = c.id AND type = 'on-refresh') THEN
    RAISE EXCEPTION 'mzemu: cluster % has no ON REFRESH schedule', cluster USING ERRCODE = '22023';
  END IF;
  UPDATE mz_catalog.mz_clusters SET replication_factor = CASE WHEN turned_on THEN 1 ELSE 0 END
    WHERE id = c.id;
  DELETE FROM mz_catalog.mz_cluster_replicas WHERE cluster_id = c.id;
  IF turned_on THEN
    INSERT INTO mz_catalog.mz_cluster_replicas
      VALUES (mzemu.new_id('replica'), 'r1', c.id, c.size, NULL, c.owner_id, false);
  END IF;
  UPDATE mzemu.state SET catalog_version = catalog_version + 1;
  RETURN c.id;
END $$;
CREATE FUNCTION mzemu.mzemu_catalog_version() RETURNS bigint LANGUAGE sql STABLE AS
  $$ SELECT catalog_version FROM mzemu.state $$;
)SQL";

}  // namespace

std::string CatalogBootstrapSql(const std::string& db_name, const std::string& superusers) {
  auto lit = [](const std::string& s) {
    std::string out = "'";
    for (char c : s) {
      if (c == '\'') out += '\'';
      out += c;
    }
    return out + "'";
  };
  std::ostringstream sql;
  sql << kCatalogSql;
  sql << CatalogHistorySql();
  sql << Catalog2026Sql();
  sql << "INSERT INTO mzemu.state VALUES (" << kCatalogFormat << ", 1, true);\n";
  sql << "INSERT INTO mz_catalog.mz_roles VALUES "
         "('s1', 16661, 'mz_system', true, true, true), "
         "('s2', 16662, 'mz_support', true, false, false), "
         "('s3', 16663, 'mz_analytics', true, false, false);\n";
  std::string rest = superusers;
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string name = rest.substr(0, comma);
    rest = comma == std::string::npos ? "" : rest.substr(comma + 1);
    if (name.empty()) continue;
    sql << "INSERT INTO mz_catalog.mz_roles VALUES (mzemu.new_id('role'), mzemu.new_oid(), " << lit(name)
        << ", true, true, true);\n";
  }
  // src/catalog/src/durable/initialize.rs: mz_system (s1) owns the database, its `public` schema
  // and the `quickstart` cluster and replica. Their privileges: mz_system's (UC), USAGE for
  // mz_support (s2) and PUBLIC, and all (UC, granted by mz_system) for the bootstrap role, here
  // the first superuser. System schemas: UC for mz_system, USAGE for mz_support and PUBLIC.
  sql << "CREATE TEMP TABLE boot AS SELECT ARRAY['s1=UC/s1', 's2=U/s1'] || coalesce((SELECT "
         "ARRAY[id || '=UC/s1'] FROM mz_catalog.mz_roles WHERE id LIKE 'u%' ORDER BY "
         "substr(id, 2)::int LIMIT 1), '{}') || ARRAY['=U/s1'] AS acl, mzemu.new_id('database') "
         "AS db, mzemu.new_id('cluster') AS cluster;\n";
  sql << "INSERT INTO mz_catalog.mz_databases SELECT db, mzemu.new_oid(), " << lit(db_name)
      << ", 's1', acl FROM boot;\n";
  sql << "INSERT INTO mz_catalog.mz_schemas SELECT 's' || n, 16670 + n, NULL, name, 's1', "
         "'{s1=UC/s1,s2=U/s1,=U/s1}' FROM unnest(ARRAY['mz_catalog', 'pg_catalog', "
         "'information_schema', 'mz_internal', 'mz_introspection']) WITH ORDINALITY a(name, n);\n";
  sql << "INSERT INTO mz_catalog.mz_schemas SELECT mzemu.new_id('schema'), mzemu.new_oid(), db, "
         "'public', 's1', acl FROM boot;\n";
  sql << "INSERT INTO mz_catalog.mz_clusters VALUES "
         "('s1', 'mz_system', 's1', '{s1=UC/s1}', true, '1', 1, false, '{}', false, '1 s'), "
         "('s2', 'mz_catalog_server', 's1', '{=U/s1,s1=UC/s1}', true, '1', 1, false, '{}', "
         "false, '1 s'), ('s3', 'mz_probe', 's1', '{s1=UC/s1,s2=U/s1}', true, '1', 1, false, "
         "'{}', false, '1 s'), ('s4', 'mz_support', 's2', '{s1=UC/s2,s2=UC/s2}', true, '1', 0, "
         "false, '{}', false, '1 s'), ('s5', 'mz_analytics', 's3', '{s1=UC/s3,s3=UC/s3}', true, "
         "'1', 0, false, '{}', false, '1 s');\n";
  // Built-in clusters as in MaterializeInc/materialize src/catalog/src/builtin.rs (MZ_*_CLUSTER):
  // mz_support and mz_analytics run no replica by default (replication factor 0).
  sql << "INSERT INTO mz_catalog.mz_cluster_replicas VALUES "
         "('s1', 'r1', 's1', '1', NULL, 's1', false), ('s2', 'r1', 's2', '1', NULL, 's1', "
         "false), ('s3', 'r1', 's3', '1', NULL, 's1', false);\n";
  sql << "INSERT INTO mz_catalog.mz_clusters SELECT cluster, 'quickstart', 's1', acl, true, "
         "'25cc', 1, false, '{}', false, '1 s' FROM boot;\n";
  sql << "INSERT INTO mz_catalog.mz_cluster_replicas SELECT mzemu.new_id('replica'), 'r1', "
         "cluster, '25cc', NULL, 's1', false FROM boot;\n";
  // All system privileges for mz_system and the bootstrap role; the built-in default
  // privileges (USAGE for mz_support on new clusters, databases and schemas, and for PUBLIC on
  // types, all FOR ALL ROLES; doc/user/content/sql/alter-default-privileges.md mentions the
  // last). From here on new user clusters get default privileges.
  sql << "INSERT INTO mz_catalog.mz_system_privileges SELECT replace(a, '=UC/', '=RBNP/') "
         "FROM boot, unnest(acl) a WHERE a LIKE '%=UC/s1';\n";
  sql << "INSERT INTO mz_catalog.mz_default_privileges VALUES ('p', NULL, NULL, 'cluster', 's2', "
         "'U'), ('p', NULL, NULL, 'database', 's2', 'U'), ('p', NULL, NULL, 'schema', 's2', 'U'), "
         "('p', NULL, NULL, 'type', 'p', 'U');\n";
  sql << "CREATE TRIGGER default_privileges BEFORE INSERT ON mz_catalog.mz_clusters FOR EACH ROW "
         "EXECUTE FUNCTION mzemu.cluster_default_privs();\n";
  sql << "INSERT INTO mz_internal.mz_cluster_schedules SELECT id, 'manual', NULL FROM "
         "mz_catalog.mz_clusters;\n";
  // System relations are catalog items too (dbt probes mz_objects for them).
  sql << "INSERT INTO mzemu.objects (id, oid, schema_id, name, type, owner_id, privileges) "
         "SELECT 's' || (1000 + row_number() OVER (ORDER BY n.nspname, c.relname)), c.oid, "
         "CASE n.nspname WHEN 'mz_catalog' THEN 's1' ELSE 's4' END, c.relname, "
         "CASE c.relkind WHEN 'r' THEN 'table' ELSE 'view' END, 's1', '{=r/s1}' "
         "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
         "WHERE n.nspname IN ('mz_catalog', 'mz_internal') AND c.relkind IN ('r', 'v');\n";
  sql << "DROP TABLE boot;\n";
  return sql.str();
}

}  // namespace mzemu
