// Connection strings: redaction of passwords everywhere, application_name and the password added
// for libpq, and the resolution order of cli.md.
#include "runtime/conninfo.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace bgplan::runtime {
namespace {

TEST(Conninfo, RedactsPasswords) {
  EXPECT_EQ(RedactConninfo("postgresql://me:s3cret@db:5432/prod?sslmode=require"),
            "postgresql://me:***@db:5432/prod?sslmode=require");
  EXPECT_EQ(RedactConninfo("postgres://me@db/prod?password=s3cret&sslmode=require"),
            "postgres://me:***@db/prod?sslmode=require");
  // keyword/value comes back in libpq's order.
  EXPECT_EQ(RedactConninfo("host=db password=s3cret user=me"), "user=me password=*** host=db");
  EXPECT_EQ(RedactConninfo("host=db password = 'a b\\' c' user=me"),
            "user=me password=*** host=db");
  EXPECT_EQ(RedactConninfo("postgresql://me@db/prod"), "postgresql://me@db/prod");
  EXPECT_EQ(RedactConninfo("host=db sslpassword=keypw"), "host=db sslpassword=***");
}

// What libpq reads as the password is what is hidden, however it is spelled: a raw space in a
// URL password (which a pattern over the text stopped at), percent-encoding, a password given
// twice, a socket directory or an IPv6 host.
TEST(Conninfo, RedactsFromTheParsedConnectionNotFromPatterns) {
  for (const char* url : {"postgresql://u:ab cd@host/db", "postgresql://u:ab%20cd@host/db",
                          "postgresql://u:x@host/db?password=ab%20cd",
                          "postgresql://u@host/db?password=ab cd"}) {
    SCOPED_TRACE(url);
    std::string shown = RedactConninfo(url);
    EXPECT_EQ(shown.find("ab"), std::string::npos) << shown;
    EXPECT_EQ(shown.find("cd"), std::string::npos) << shown;
    EXPECT_NE(shown.find("u:***@host"), std::string::npos) << shown;
  }
  EXPECT_EQ(PasswordInConninfo("postgresql://u:ab cd@host/db"), "ab cd");
  EXPECT_EQ(RedactConninfo("postgresql://u:pw@%2Fvar%2Frun%2Fpostgresql/db"),
            "postgresql://u:***@/db?host=%2Fvar%2Frun%2Fpostgresql");
  EXPECT_EQ(RedactConninfo("postgresql://u:pw@[::1]:5433/db"), "postgresql://u:***@[::1]:5433/db");
  EXPECT_EQ(RedactConninfo("postgresql://u:pw@h1:1,h2:2/db"),
            "postgresql://u:***@/db?host=h1%2Ch2&port=1%2C2");
  EXPECT_EQ(RedactConninfo("host='a b' password='x y' dbname=d"),
            "password=*** dbname=d host='a b'");
  // A string libpq refuses is never echoed.
  EXPECT_EQ(RedactConninfo("host=db password='unterminated"),
            "(a connection string libpq cannot parse; not shown)");
}

TEST(Conninfo, FindsThePasswordInside) {
  EXPECT_EQ(PasswordInConninfo("postgresql://me:p%26w@db/prod"), "p&w");
  EXPECT_EQ(PasswordInConninfo("postgresql://me@db/prod?sslmode=require&password=x%20y"), "x y");
  EXPECT_EQ(PasswordInConninfo("host=db password='it\\'s' user=me"), "it's");
  EXPECT_EQ(PasswordInConninfo("host=db password=plain user=me"), "plain");
  EXPECT_EQ(PasswordInConninfo("postgresql://me@db/prod"), "");
}

TEST(Conninfo, ScrubsTheKnownPasswordFromErrors) {
  EXPECT_EQ(ScrubSecrets("FATAL: password x&y for user me", "x&y"),
            "FATAL: password *** for user me");
  EXPECT_EQ(ScrubSecrets("url postgresql://me:x%26y@h/db", "x&y"), "url postgresql://me:***@h/db");
}

TEST(Conninfo, AddsApplicationNameAndPassword) {
  ConnTarget url;
  url.conninfo = "postgresql://me@db/prod";
  url.password = "p&w";
  EXPECT_EQ(ConninfoForLibpq(url),
            "postgresql://me@db/prod?application_name=bgplan&password=p%26w");
  ConnTarget kv;
  kv.conninfo = "host=db";
  kv.password = "it's";
  EXPECT_EQ(ConninfoForLibpq(kv), "host=db application_name=bgplan password='it\\'s'");
  ConnTarget env;
  EXPECT_EQ(ConninfoForLibpq(env), "application_name=bgplan");
}

TEST(Conninfo, ResolutionOrder) {
  std::string dir = std::filesystem::temp_directory_path() / "bgplan-conninfo-test";
  std::filesystem::create_directories(dir);
  std::string toml = dir + "/bgplan.toml";
  std::ofstream(toml) << "[defaults]\nprofile = \"prod\"\n"
                         "[profile.prod]\nurl = \"postgresql://deployer@prod/db\"\n"
                         "password_env = \"BGPLAN_TEST_PW\"\n"
                         "[profile.local]\nurl = \"postgresql://me@localhost/db\"\n";
  unsetenv("BGPLAN_URL");
  unsetenv("BGPLAN_TEST_PW");
  DiagnosticEngine diags;
  ConnOptions flag;
  flag.url = "postgresql://flag/db";
  flag.config_path = toml;
  EXPECT_EQ(ResolveConnection(flag, diags)->conninfo, "postgresql://flag/db");

  setenv("BGPLAN_URL", "postgresql://env/db", 1);
  ConnOptions from_env;
  from_env.config_path = toml;
  EXPECT_EQ(ResolveConnection(from_env, diags)->source, ConnSource::kEnv);
  unsetenv("BGPLAN_URL");

  ConnOptions profile;
  profile.config_path = toml;
  Result<ConnTarget> missing_pw = ResolveConnection(profile, diags);
  ASSERT_FALSE(missing_pw.ok());
  EXPECT_NE(missing_pw.status().message().find("$BGPLAN_TEST_PW"), std::string::npos);
  setenv("BGPLAN_TEST_PW", "pw", 1);
  Result<ConnTarget> prod = ResolveConnection(profile, diags);
  ASSERT_TRUE(prod.ok());
  EXPECT_EQ(prod->conninfo, "postgresql://deployer@prod/db");
  EXPECT_EQ(prod->password, "pw");
  profile.profile = "local";
  EXPECT_EQ(ResolveConnection(profile, diags)->conninfo, "postgresql://me@localhost/db");
  profile.profile = "nope";
  EXPECT_FALSE(ResolveConnection(profile, diags).ok());
  unsetenv("BGPLAN_TEST_PW");
  EXPECT_FALSE(diags.has_errors());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace bgplan::runtime
