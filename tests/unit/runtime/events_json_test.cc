// The JSON lines of EventSink: typed members (numbers, booleans), schema_version and timestamp on
// every event, the same diagnostic members as the offline commands.
#include <gtest/gtest.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "runtime/events.h"

namespace bgplan::runtime {
namespace {

// Runs `emit` on a JSON sink writing to a temporary file; returns the lines, parsed.
template <typename F>
std::vector<nlohmann::json> JsonLines(F emit) {
  FILE* out = std::tmpfile();
  EXPECT_NE(out, nullptr);
  OutputOptions options;
  options.json = true;
  EventSink sink(options, out, out);
  emit(sink);
  std::rewind(out);
  std::string text;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof(buf), out)) > 0;) {
    text.append(buf, n);
  }
  std::fclose(out);
  std::vector<nlohmann::json> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(nlohmann::json::parse(line));
  }
  return lines;
}

TEST(EventsJson, NumbersAndBooleansKeepTheirType) {
  auto lines = JsonLines([](EventSink& sink) {
    sink.Emit({"poll",
               "shop",
               "marts_dbt_deploy: ready",
               {{"poll", 3}, {"elapsed_ms", int64_t{1200}}, {"ready", true}, {"state", "ready"}}});
    sink.Result("promote", 3);
    sink.Result("plan", 2);
  });
  ASSERT_EQ(lines.size(), 3u);
  for (const nlohmann::json& j : lines) {
    EXPECT_EQ(j["schema_version"], 1) << j;
    ASSERT_TRUE(j["timestamp"].is_string()) << j;
    EXPECT_EQ(j["timestamp"].get<std::string>().back(), 'Z') << j;
    EXPECT_TRUE(j["deployment"].is_string()) << j;
  }
  EXPECT_EQ(lines[0]["poll"], 3);
  EXPECT_EQ(lines[0]["elapsed_ms"], 1200);
  EXPECT_EQ(lines[0]["ready"], true);
  EXPECT_EQ(lines[0]["message"], "marts_dbt_deploy: ready");
  EXPECT_EQ(lines[1]["exit_code"], 3);
  EXPECT_EQ(lines[1]["ok"], false);
  EXPECT_EQ(lines[2]["ok"], true);  // plan: exit 2 means changes to apply
}

TEST(EventsJson, EnvelopeOrderAndDiagnosticMembers) {
  Diagnostic d;
  d.severity = Severity::kError;
  d.kind = DiagKind::kSinkUpstreamMissing;
  d.message = "green lacks marts.t";
  d.file = "shop.bgplan";
  d.range.begin = {3, 5};
  d.range.end = {3, 9};
  d.objects = {"table marts.t"};
  std::string line = EventJsonLine("diagnostic", nullptr, DiagnosticFields(d));
  EXPECT_EQ(line.rfind("{\"type\":\"diagnostic\",\"schema_version\":1,\"timestamp\":\"", 0), 0u)
      << line;
  nlohmann::json j = nlohmann::json::parse(line);
  EXPECT_FALSE(j.contains("deployment"));
  EXPECT_EQ(j["line"], 3);
  EXPECT_EQ(j["column"], 5);
  EXPECT_EQ(j["end_column"], 9);
  EXPECT_EQ(j["kind"], "sink-upstream-missing");
  EXPECT_EQ(j["objects"], nlohmann::json::array({"table marts.t"}));
}

}  // namespace
}  // namespace bgplan::runtime
