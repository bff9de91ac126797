// Plan files: round trip, the checksum over the whole content, and every way the reader refuses
// a file (format, depth, fields, phases).
#include "plans/plan_file.h"

#include <gtest/gtest.h>

#include <dirent.h>

#include <fstream>
#include <functional>
#include <sstream>

#include "plans/plan_dump.h"
#include "tests/unit/plans/plan_fixture.h"

namespace bgplan::plans {
namespace {

PlanFile RichFile() {
  PlanFile f;
  f.plan = testing_fixture::RichPlan();
  f.source_name = "shop.bgplan";
  f.source_text = "target materialize;\n# ü \"quoted\" \\ backslash\n";
  f.target_override = "postgres";
  f.deployments = {"shop"};
  f.disabled_passes = {"merge-swaps"};
  f.url = "postgresql://u:***@h/db";
  f.fingerprints = {{"init", "aa"}, {"promote", "bb"}};
  f.sql = {{"init", "BEGIN;\nCOMMIT;\n"}, {"promote", ""}};
  return f;
}

TEST(PlanFileTest, RoundTripKeepsEveryField) {
  const PlanFile f = RichFile();
  const std::string text = PlanFileToJson(f);
  Result<PlanFile> back = PlanFileFromJson(text);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(DumpPlan(back->plan), DumpPlan(f.plan));
  EXPECT_EQ(back->source_name, f.source_name);
  EXPECT_EQ(back->source_text, f.source_text);
  EXPECT_EQ(back->target_override, "postgres");
  EXPECT_EQ(back->deployments, f.deployments);
  EXPECT_EQ(back->disabled_passes, f.disabled_passes);
  EXPECT_EQ(back->url, f.url);
  EXPECT_EQ(back->fingerprints, f.fingerprints);
  EXPECT_EQ(back->sql, f.sql);
  EXPECT_EQ(PlanFileToJson(*back), text);
}

// Any change to the content, however small, breaks the checksum; whitespace does not.
TEST(PlanFileTest, ChecksumCoversTheWholeContent) {
  const std::string text = PlanFileToJson(RichFile());
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"\"aa\"", "\"ab\""},
           {"\"lock_timeout_ms\": 5000", "\"lock_timeout_ms\": 0"},
           {"\"url\": \"postgresql://u:***@h/db\"", "\"url\": \"x\""},
           {"\"merge-swaps\"", "\"dedupe\""},
           {"# ü", "# u"},
           {"WHERE s <> 'x'", "WHERE s <> 'y'"},
           {"\"row_count_change_pct\": 10", "\"row_count_change_pct\": 11"}}) {
    std::string edited = text;
    size_t at = edited.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    edited.replace(at, from.size(), to);
    Result<PlanFile> r = PlanFileFromJson(edited);
    ASSERT_FALSE(r.ok()) << from;
    EXPECT_NE(r.status().message().find("checksum does not match"), std::string::npos)
        << r.status().message();
  }
  std::string spaced = text;
  for (size_t at = 0; (at = spaced.find("\n  ", at)) != std::string::npos; at += 5) {
    spaced.replace(at, 3, "\n    ");
  }
  EXPECT_TRUE(PlanFileFromJson(spaced).ok());
}

// The checksum is over the plan as well: plans that differ only in an assert differ in it.
TEST(PlanFileTest, ChecksumFollowsTheValidateBlock) {
  auto checksum = [](const PlanFile& f) {
    std::string text = PlanFileToJson(f);
    size_t at = text.find("\"content_sha256\": \"");
    EXPECT_NE(at, std::string::npos);
    return text.substr(at, 20 + 64);
  };
  const PlanFile base = RichFile();
  PlanFile sql = base;
  sql.plan.deployments[0].validate.asserts[0].sql += " ";
  PlanFile name = base;
  name.plan.deployments[0].validate.asserts[1].name = "other";
  PlanFile pct = base;
  pct.plan.deployments[0].validate.row_count_change_pct.reset();
  EXPECT_NE(checksum(sql), checksum(base));
  EXPECT_NE(checksum(name), checksum(base));
  EXPECT_NE(checksum(pct), checksum(base));
  EXPECT_EQ(checksum(RichFile()), checksum(base));
}

TEST(PlanFileTest, RefusesOtherFormatsDepthAndBadPhases) {
  auto refused = [](const std::string& text, const std::string& why) {
    Result<PlanFile> r = PlanFileFromJson(text);
    ASSERT_FALSE(r.ok()) << text.substr(0, 80);
    EXPECT_NE(r.status().message().find(why), std::string::npos) << r.status().message();
  };
  refused("not json", "invalid plan file");
  refused("[]", "not a bgplan plan file");
  refused("{\"format\": \"bgplan-plan-file/1\"}", "is not 'bgplan-plan-file/2'");
  refused("{\"format\": \"bgplan-plan-file/2\", \"x\": " + std::string(40, '[') +
              std::string(40, ']') + "}",
          "nested deeper than 32 levels");
  refused(std::string(100000, '['), "nested deeper than 32 levels");
  // Fields and phases are checked after the checksum, so these files carry a right one.
  auto with = [](const std::function<void(PlanFile&)>& edit) {
    PlanFile f = RichFile();
    edit(f);
    return PlanFileToJson(f);
  };
  refused(with([](PlanFile& f) { f.fingerprints["promote"] = ""; }), "empty fingerprint");
  refused(with([](PlanFile& f) { f.fingerprints["deploy"] = "x"; }), "unknown phase 'deploy'");
  refused(with([](PlanFile& f) { f.target_override = "oracle"; }), "compile.target");
}

// The plan files committed as seeds of the fuzz corpus are valid plan files.
TEST(PlanFileTest, FuzzSeedsAreValidPlanFiles) {
  const std::string dir = std::string(BGPLAN_SOURCE_DIR) + "/tests/fuzz/corpus";
  DIR* d = opendir(dir.c_str());
  ASSERT_NE(d, nullptr);
  int seeds = 0;
  while (dirent* e = readdir(d)) {
    std::ifstream in(dir + "/" + e->d_name);
    std::stringstream text;
    text << in.rdbuf();
    if (text.str().find("\"bgplan-plan-file/2\"") == std::string::npos) {
      continue;
    }
    ++seeds;
    Result<PlanFile> r = PlanFileFromJson(text.str());
    EXPECT_TRUE(r.ok()) << e->d_name << ": " << r.status().message();
  }
  closedir(d);
  EXPECT_GE(seeds, 2);
}

}  // namespace
}  // namespace bgplan::plans
