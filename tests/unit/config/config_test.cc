// bgplan.toml: profiles, defaults, password_env; syntax errors, wrong types and unknown keys as
// located diagnostics.
#include "runtime/config/config.h"

#include <gtest/gtest.h>

namespace bgplan::config {
namespace {

TEST(Config, ReadsProfilesAndDefaults) {
  DiagnosticEngine diags;
  Config c = ParseConfig("bgplan.toml",
                         "[defaults]\nprofile = \"prod\"\n\n[profile.prod]\n"
                         "url = \"postgresql://deployer@mz:6875/materialize?sslmode=require\"\n"
                         "password_env = \"MZ_PASSWORD\"\n\n[profile.local]\n"
                         "url = \"postgresql://postgres@localhost:5432/analytics\"\n",
                         diags);
  EXPECT_FALSE(diags.has_errors());
  EXPECT_EQ(diags.warning_count(), 0);
  EXPECT_EQ(c.default_profile, "prod");
  ASSERT_EQ(c.profiles.size(), 2u);
  EXPECT_EQ(c.profiles["prod"].password_env, "MZ_PASSWORD");
  EXPECT_EQ(c.profiles["local"].url, "postgresql://postgres@localhost:5432/analytics");
}

TEST(Config, UnknownKeysAreWarningsWithALocation) {
  DiagnosticEngine diags;
  ParseConfig("bgplan.toml", "[profile.p]\nurl = \"x\"\npassword = \"oops\"\n[extra]\n", diags);
  EXPECT_FALSE(diags.has_errors());
  auto d = diags.Sorted();
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].severity, Severity::kWarning);
  EXPECT_EQ(d[0].range.begin.line, 3);
  EXPECT_NE(d[0].message.find("password_env"), std::string::npos);
  EXPECT_EQ(d[1].range.begin.line, 4);
}

TEST(Config, SyntaxErrorsAndWrongTypesAreErrors) {
  DiagnosticEngine syntax;
  ParseConfig("bgplan.toml", "[profile.p]\nurl = \"unterminated\n", syntax);
  ASSERT_TRUE(syntax.has_errors());
  EXPECT_EQ(syntax.Sorted()[0].range.begin.line, 2);
  EXPECT_EQ(syntax.Sorted()[0].file, "bgplan.toml");

  DiagnosticEngine types;
  ParseConfig("bgplan.toml", "[profile.p]\nurl = 5\n", types);
  ASSERT_TRUE(types.has_errors());
  EXPECT_EQ(types.Sorted()[0].range.begin.line, 2);
  EXPECT_NE(types.Sorted()[0].message.find("profile.p.url"), std::string::npos);
}

TEST(Config, MissingFileIsAStatus) {
  DiagnosticEngine diags;
  Result<Config> r = LoadConfig("/nonexistent/bgplan.toml", diags);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kIoError);
}

}  // namespace
}  // namespace bgplan::config
