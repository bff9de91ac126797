// Emulator fidelity tests (issue 12): privileges. Each test pins a Materialize behaviour (source
// named at the test) that the emulator did not have before.
#include <string>

#include "tests/mzemu/mzemu_fixture.h"

namespace {

using mzemu_test::Conn;
using mzemu_test::MzemuTest;
using mzemu_test::Res;

// "CODE message" of a failing statement, "" if it succeeded.
std::string ErrorOf(Conn& c, const std::string& sql) {
  Res r = c.Exec(sql);
  return r.ok() ? "" : r.code + " " + r.message;
}

// The DETAIL field of the error of `sql` ("" if none or no error).
std::string DetailOf(Conn& c, const std::string& sql) {
  PGresult* res = PQexec(c.raw(), sql.c_str());
  const char* detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
  std::string out = detail ? detail : "";
  PQclear(res);
  return out;
}

// grantee:privilege_type pairs (role names) on the object `name` of mz_show_<kind>_privileges.
std::string Privs(Conn& c, const std::string& kind, const std::string& name) {
  return c.Scalar(
      "SELECT string_agg(grantee || ':' || privilege_type, ',' ORDER BY grantee "
      "COLLATE \"C\", privilege_type) FROM mz_internal.mz_show_" +
      kind + "_privileges WHERE name = '" + name + "'");
}

// transact.rs Op::CreateSchema / Op::CreateCluster apply the default privileges ON SCHEMAS and
// ON CLUSTERS that are FOR the new object's owner (or ALL ROLES), like Op::CreateItem does for
// items; initialize.rs adds USAGE for mz_support on every new cluster, database and schema.
TEST_F(MzemuTest, DefaultPrivilegesApplyToNewSchemasAndClusters) {
  Run({"CREATE ROLE reader", "CREATE ROLE writer",
       "ALTER DEFAULT PRIVILEGES GRANT USAGE ON SCHEMAS TO reader",
       "ALTER DEFAULT PRIVILEGES IN DATABASE \"" + db_ + "\" GRANT CREATE ON SCHEMAS TO writer",
       "ALTER DEFAULT PRIVILEGES FOR ALL ROLES GRANT USAGE, CREATE ON CLUSTERS TO reader",
       "CREATE SCHEMA s", "CREATE CLUSTER c (SIZE = '1')",
       "CREATE CLUSTER u REPLICAS (r1 (SIZE '1'))"});
  EXPECT_EQ(Privs(*admin_, "schema", "s"),
            "materialize:CREATE,materialize:USAGE,mz_support:USAGE,reader:USAGE,writer:CREATE");
  const std::string cluster =
      "materialize:CREATE,materialize:USAGE,mz_support:USAGE,reader:CREATE,reader:USAGE";
  EXPECT_EQ(Privs(*admin_, "cluster", "c"), cluster);
  EXPECT_EQ(Privs(*admin_, "cluster", "u"), cluster);  // unmanaged too
  // The grantor of a default privilege is the new object's owner.
  EXPECT_EQ(Scalar("SELECT string_agg(DISTINCT r.name, ',') FROM mz_schemas s, "
                   "mz_internal.mz_aclexplode(s.privileges) e JOIN mz_roles r ON r.id = e.grantor "
                   "WHERE s.name = 's'"),
            "materialize");
  // Schema default privileges of another database or of a schema do not apply to schemas.
  Run({"ALTER DEFAULT PRIVILEGES IN SCHEMA s GRANT USAGE ON TYPES TO writer", "CREATE SCHEMA t"});
  EXPECT_EQ(Privs(*admin_, "schema", "t"),
            "materialize:CREATE,materialize:USAGE,mz_support:USAGE,reader:USAGE,writer:CREATE");
}

// get_applicable_privileges (src/adapter/src/catalog/state.rs / catalog objects.rs) looks up the
// entries of the owner's role id itself and of PUBLIC: a default privilege FOR ROLE team does not
// apply to objects created by a member of team.
TEST_F(MzemuTest, ForRoleDefaultPrivilegesApplyOnlyToObjectsOwnedByThatRole) {
  Run({"CREATE ROLE team", "CREATE ROLE reader", "GRANT team TO materialize",
       "GRANT CREATE ON SCHEMA public TO team",
       "ALTER DEFAULT PRIVILEGES FOR ROLE team GRANT SELECT ON TABLES TO reader",
       "CREATE TABLE by_member (a int)", "SET ROLE team", "CREATE TABLE by_team (a int)",
       "RESET ROLE"});
  EXPECT_EQ(Privs(*admin_, "object", "by_member"),
            "materialize:DELETE,materialize:INSERT,materialize:SELECT,materialize:UPDATE");
  EXPECT_EQ(Privs(*admin_, "object", "by_team"),
            "reader:SELECT,team:DELETE,team:INSERT,team:SELECT,team:UPDATE");
}

// get_applicable_privileges restricts each grantee's default privileges to
// rbac::all_object_privileges of the new object's type: ON TABLES covers every relation, but a
// view, materialized view or source only supports SELECT.
TEST_F(MzemuTest, DefaultPrivilegesGrantOnlyWhatTheObjectTypeSupports) {
  Run({"CREATE ROLE reader", "CREATE ROLE inserter",
       "ALTER DEFAULT PRIVILEGES GRANT ALL ON TABLES TO reader",
       "ALTER DEFAULT PRIVILEGES GRANT INSERT ON TABLES TO inserter", "CREATE TABLE t (a int)",
       "CREATE VIEW v AS SELECT 1 AS one", "CREATE MATERIALIZED VIEW mv AS SELECT 1 AS one",
       "CREATE SOURCE src FROM LOAD GENERATOR COUNTER"});
  EXPECT_EQ(Privs(*admin_, "object", "t"),
            "inserter:INSERT,materialize:DELETE,materialize:INSERT,materialize:SELECT,"
            "materialize:UPDATE,reader:DELETE,reader:INSERT,reader:SELECT,reader:UPDATE");
  for (const char* relation : {"v", "mv", "src"}) {
    EXPECT_EQ(Privs(*admin_, "object", relation), "materialize:SELECT,reader:SELECT") << relation;
  }
}

// typeconv.rs (MzAclItem, String): an mz_aclitem cast to text names the roles ('' for PUBLIC),
// while the value itself (pgwire text, mz_acl_item.rs Display) and mz_aclexplode use role ids.
TEST_F(MzemuTest, AclItemTextShowsRoleNamesAndExplodeKeepsIds) {
  Run({"CREATE ROLE reader", "CREATE TABLE t (a int)", "GRANT SELECT ON t TO reader",
       "GRANT SELECT ON t TO PUBLIC"});
  EXPECT_EQ(Scalar("SELECT string_agg(p::text, ',' ORDER BY p::text COLLATE \"C\") FROM mz_tables, "
                   "unnest(privileges) p WHERE name = 't'"),
            "=r/materialize,materialize=arwd/materialize,reader=r/materialize");
  EXPECT_EQ(Scalar("SELECT array_to_string(privileges::text[], ',') FROM mz_tables "
                   "WHERE name = 't'"),
            "materialize=arwd/materialize,reader=r/materialize,=r/materialize");
  std::string reader = Scalar("SELECT id FROM mz_roles WHERE name = 'reader'");
  EXPECT_EQ(Scalar("SELECT privileges FROM mz_tables WHERE name = 't'"),
            "{u1=arwd/u1," + reader + "=r/u1,=r/u1}");
  EXPECT_EQ(
      Scalar(
          "SELECT string_agg(e.grantee || '/' || e.grantor, ',' ORDER BY e.grantee COLLATE \"C\") "
          "FROM mz_tables t, mz_internal.mz_aclexplode(t.privileges) e "
          "WHERE t.name = 't' AND e.privilege_type = 'SELECT'"),
      "p/u1,u1/u1," + reader + "/u1");
  // Comparisons work on the values (DISTINCT, =).
  EXPECT_EQ(Scalar("SELECT count(DISTINCT privileges) FROM mz_tables WHERE name = 't'"), "1");
}

// initialize.rs: the environment starts with default privileges FOR ALL ROLES granting USAGE on
// TYPES to PUBLIC (the one alter-default-privileges.md mentions) and USAGE on CLUSTERS,
// DATABASES and SCHEMAS to mz_support.
TEST_F(MzemuTest, BuiltInDefaultPrivileges) {
  EXPECT_EQ(Scalar("SELECT string_agg(object_owner || ':' || coalesce(database, '*') || ':' || "
                   "coalesce(schema, '*') || ':' || object_type || ':' || grantee || ':' || "
                   "privilege_type, ',' ORDER BY object_type) FROM "
                   "mz_internal.mz_show_default_privileges"),
            "PUBLIC:*:*:cluster:mz_support:USAGE,PUBLIC:*:*:database:mz_support:USAGE,"
            "PUBLIC:*:*:schema:mz_support:USAGE,PUBLIC:*:*:type:PUBLIC:USAGE");
}

// initialize.rs: mz_system owns the `materialize` database, its `public` schema and the
// `quickstart` cluster and replica; PUBLIC and mz_support have USAGE on them and the bootstrap
// role (`materialize`) all their privileges, granted by mz_system; mz_system and the bootstrap
// role have every system privilege.
TEST_F(MzemuTest, BootstrapObjectsAreOwnedByMzSystem) {
  const std::string acl =
      "mz_system=UC/mz_system,mz_support=U/mz_system,"
      "materialize=UC/mz_system,=U/mz_system";
  EXPECT_EQ(Scalar("SELECT owner_id || ' ' || array_to_string(privileges::text[], ',') FROM "
                   "mz_databases WHERE name = current_database()"),
            "s1 " + acl);
  EXPECT_EQ(Scalar("SELECT owner_id || ' ' || array_to_string(privileges::text[], ',') FROM "
                   "mz_schemas WHERE name = 'public'"),
            "s1 " + acl);
  EXPECT_EQ(Scalar("SELECT owner_id || ' ' || array_to_string(privileges::text[], ',') FROM "
                   "mz_clusters WHERE name = 'quickstart'"),
            "s1 " + acl);
  EXPECT_EQ(Scalar("SELECT string_agg(r.owner_id, ',') FROM mz_cluster_replicas r JOIN "
                   "mz_clusters c ON c.id = r.cluster_id WHERE c.name = 'quickstart'"),
            "s1");
  EXPECT_EQ(
      Scalar("SELECT string_agg(grantee || ':' || privilege_type, ',' ORDER BY grantee COLLATE "
             "\"C\", privilege_type) FROM mz_internal.mz_show_system_privileges"),
      "materialize:CREATECLUSTER,materialize:CREATEDB,materialize:CREATENETWORKPOLICY,"
      "materialize:CREATEROLE,mz_system:CREATECLUSTER,mz_system:CREATEDB,"
      "mz_system:CREATENETWORKPOLICY,mz_system:CREATEROLE");
  // Any other role only has USAGE, and owns nothing.
  Conn alice(Dsn("alice"));
  ASSERT_TRUE(alice.ok()) << alice.error();
  EXPECT_EQ(ErrorOf(alice, "CREATE TABLE t (a int)"),
            "42501 permission denied for SCHEMA \"" + db_ + ".public\"");
  EXPECT_EQ(ErrorOf(alice, "COMMENT ON CLUSTER quickstart IS 'x'"),
            "42501 must be owner of CLUSTER quickstart");
  EXPECT_EQ(alice.Scalar("SELECT has_cluster_privilege('quickstart', 'USAGE')::text || "
                         "has_schema_privilege('public', 'CREATE')::text"),
            "truefalse");
}

// acl.rs plan_grant_role: without ADMIN OPTION the grantor of a membership is always mz_system.
TEST_F(MzemuTest, RoleMembershipGrantorIsMzSystem) {
  Run({"CREATE ROLE team", "CREATE ROLE alice", "GRANT team TO alice"});
  EXPECT_EQ(Scalar("SELECT grantor FROM mz_role_members"), "s1");
}

// rbac.rs Plan::Comment: roles have no owner; COMMENT ON ROLE needs CREATEROLE on SYSTEM, also
// for the role itself.
TEST_F(MzemuTest, CommentOnRoleNeedsCreateRole) {
  Run({"CREATE ROLE alice LOGIN", "CREATE ROLE bob"});
  Conn alice(Dsn("alice"));
  ASSERT_TRUE(alice.ok()) << alice.error();
  EXPECT_EQ(ErrorOf(alice, "COMMENT ON ROLE alice IS 'me'"), "42501 permission denied for SYSTEM");
  EXPECT_EQ(DetailOf(alice, "COMMENT ON ROLE alice IS 'me'"),
            "The 'alice' role needs CREATEROLE privileges on SYSTEM");
  Run({"GRANT CREATEROLE ON SYSTEM TO alice"});
  EXPECT_EQ(ErrorOf(alice, "COMMENT ON ROLE bob IS 'not mine'"), "");
  EXPECT_EQ(Scalar("SELECT comment FROM mz_internal.mz_comments WHERE object_type = 'role'"),
            "not mine");
}

// catalog.rs is_reserved_name / is_reserved_role_name, checked by transact.rs (catalog errors,
// XX000; texts from src/catalog/src/memory/error.rs). RENAME checks the new name; SWAP does not.
TEST_F(MzemuTest, ReservedRoleAndSchemaNamesAreRefused) {
  for (const char* name : {"mz_r", "pg_r", "public", "\"PUBLIC\"", "none"}) {
    std::string bare = name[0] == '"' ? "PUBLIC" : name;
    EXPECT_EQ(ErrorOf(*admin_, std::string("CREATE ROLE ") + name),
              "XX000 role name \"" + bare + "\" is reserved");
  }
  EXPECT_EQ(DetailOf(*admin_, "CREATE ROLE mz_r"),
            "The role \"public\" and the prefixes \"mz_\" and \"pg_\" are reserved for system "
            "roles.");
  EXPECT_EQ(ErrorOf(*admin_, "CREATE SCHEMA mz_s"), "XX000 unacceptable schema name 'mz_s'");
  EXPECT_EQ(ErrorOf(*admin_, "CREATE SCHEMA IF NOT EXISTS pg_s"),
            "XX000 unacceptable schema name 'pg_s'");
  EXPECT_EQ(DetailOf(*admin_, "CREATE SCHEMA mz_s"),
            "The prefixes \"mz_\" and \"pg_\" are reserved for system schemas.");
  Run({"CREATE SCHEMA s", "CREATE SCHEMA t", "CREATE CLUSTER c (SIZE = '1')"});
  EXPECT_EQ(ErrorOf(*admin_, "ALTER SCHEMA s RENAME TO mz_s"),
            "XX000 unacceptable schema name 'mz_s'");
  EXPECT_EQ(ErrorOf(*admin_, "ALTER CLUSTER c RENAME TO mz_c"),
            "XX000 cluster name \"mz_c\" is reserved");
  Run({"ALTER SCHEMA s SWAP WITH t", "CREATE ROLE mzr", "CREATE SCHEMA pgs"});
  EXPECT_EQ(Scalar("SELECT string_agg(name, ',' ORDER BY name) FROM mz_roles WHERE name LIKE "
                   "'mz\\_%' OR name LIKE 'pg\\_%' OR lower(name) IN ('public', 'none')"),
            "mz_analytics,mz_support,mz_system");  // the built-in roles only
}

// rbac.rs: ownership errors name schemas and items fully qualified (`must be owner of SCHEMA
// materialize.s`, ownership_err), privilege errors quote that name (`permission denied for SCHEMA
// "materialize.s"`, ErrorMessageObjectDescription; privilege_checks.slt), with the need as the
// DETAIL; superuser-only actions say `permission denied to <action>`.
TEST_F(MzemuTest, PrivilegeErrorsNameObjectsFullyQualified) {
  Run({"CREATE ROLE alice LOGIN", "CREATE SCHEMA s", "CREATE TABLE s.t (a int)",
       "CREATE VIEW s.v AS SELECT 1 AS one", "CREATE CLUSTER c (SIZE = '1')"});
  Conn alice(Dsn("alice"));
  ASSERT_TRUE(alice.ok()) << alice.error();
  const std::string s = db_ + ".s";
  EXPECT_EQ(ErrorOf(alice, "DROP TABLE s.t"), "42501 must be owner of TABLE " + s + ".t");
  EXPECT_EQ(ErrorOf(alice, "ALTER VIEW s.v RENAME TO w"),
            "42501 must be owner of VIEW " + s + ".v");
  EXPECT_EQ(ErrorOf(alice, "COMMENT ON TABLE s.t IS 'x'"),
            "42501 must be owner of TABLE " + s + ".t");
  EXPECT_EQ(ErrorOf(alice, "GRANT SELECT ON s.t TO alice"),
            "42501 must be owner of TABLE " + s + ".t");
  EXPECT_EQ(ErrorOf(alice, "DROP SCHEMA s"), "42501 must be owner of SCHEMA " + s);
  EXPECT_EQ(ErrorOf(alice, "ALTER SCHEMA s RENAME TO s2"), "42501 must be owner of SCHEMA " + s);
  EXPECT_EQ(ErrorOf(alice, "GRANT USAGE ON SCHEMA s TO alice"),
            "42501 must be owner of SCHEMA " + s);
  EXPECT_EQ(ErrorOf(alice, "ALTER CLUSTER c RENAME TO d"), "42501 must be owner of CLUSTER c");
  EXPECT_EQ(ErrorOf(alice, "CREATE TABLE s.u (a int)"),
            "42501 permission denied for SCHEMA \"" + s + "\"");
  EXPECT_EQ(DetailOf(alice, "CREATE TABLE s.u (a int)"),
            "The 'alice' role needs CREATE privileges on SCHEMA \"" + s + "\"");
  Run({"GRANT CREATE ON SCHEMA s TO alice"});
  EXPECT_EQ(ErrorOf(alice, "CREATE MATERIALIZED VIEW s.mv IN CLUSTER c AS SELECT 1"),
            "42501 permission denied for CLUSTER \"c\"");
  EXPECT_EQ(ErrorOf(alice, "GRANT CREATEDB ON SYSTEM TO alice"),
            "42501 permission denied to GRANT/REVOKE SYSTEM PRIVILEGES");
  EXPECT_EQ(ErrorOf(alice,
                    "ALTER DEFAULT PRIVILEGES FOR ALL ROLES GRANT SELECT ON TABLES TO "
                    "alice"),
            "42501 permission denied to ALTER DEFAULT PRIVILEGES FOR ALL ROLES");
}

}  // namespace
