// libFuzzer target: runs any byte string through the whole offline pipeline (parse, lower,
// passes, emit for both dialects, graph, IR dump, JSON round trip, fmt) and checks properties
// that must hold for every input:
//  - nothing crashes, hangs or trips a sanitizer;
//  - a file that parses formats to text that parses again, and formatting is idempotent;
//  - a plan survives the JSON round trip unchanged inside a plan file that carries its source;
//  - the same bytes read as a plan file (bounded depth, checksum, every field checked) never
//    crash, whatever they hold.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "compiler/ast/ast_printer.h"
#include "compiler/driver/compile.h"
#include "compiler/emit/graph.h"
#include "resolve/render.h"
#include "plans/plan_dump.h"
#include "plans/plan_file.h"

static void Require(bool condition, const char* what) {
  if (!condition) {
    __builtin_trap();
  }
  (void)what;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  {
    auto file = bgplan::plans::PlanFileFromJson(text);
    if (file.ok()) {
      auto again = bgplan::plans::PlanFileFromJson(bgplan::plans::PlanFileToJson(file.value()));
      Require(again.ok(), "a plan file must read back");
      Require(bgplan::plans::DumpPlan(again.value().plan) ==
                  bgplan::plans::DumpPlan(file.value().plan),
              "a plan file must round-trip");
    }
  }
  for (auto target : {bgplan::plans::Target::kMaterialize, bgplan::plans::Target::kPostgres}) {
    bgplan::driver::CompileOptions options;
    options.target = target;
    bgplan::driver::CompileOutput out = bgplan::driver::CompileText("fuzz.bgplan", text, options);
    std::string rendered = bgplan::driver::RenderDiagnostics(out);
    if (out.ast != nullptr) {
      std::string formatted = bgplan::ast::FormatFile(*out.ast);
      bgplan::driver::CompileOutput again =
          bgplan::driver::CompileText("fuzz.bgplan", formatted, options);
      Require(again.ast != nullptr, "fmt output must parse");
      Require(bgplan::ast::FormatFile(*again.ast) == formatted, "fmt must be idempotent");
      Require(again.plan.has_value() == out.plan.has_value(), "fmt must not change validity");
      if (out.plan.has_value()) {
        // Positions move when text is reformatted; the meaning is the plan without them.
        bgplan::plans::DumpOptions no_origins;
        no_origins.origins = false;
        Require(bgplan::plans::DumpPlan(*again.plan, no_origins) ==
                    bgplan::plans::DumpPlan(*out.plan, no_origins),
                "fmt must not change meaning");
      }
    }
    if (out.plan.has_value()) {
      std::string sql = bgplan::resolve::RenderCompile(*out.plan, std::nullopt);
      std::string dot = bgplan::emit::EmitGraph(*out.plan);
      std::string dump = bgplan::plans::DumpPlan(*out.plan);
      // The plan's JSON travels inside a plan file (with the source it came from): one round
      // trip checks both.
      bgplan::plans::PlanFile file;
      file.plan = *out.plan;
      file.source_name = "fuzz.bgplan";
      file.source_text = text;
      file.fingerprints["promote"] = "f";
      auto read = bgplan::plans::PlanFileFromJson(bgplan::plans::PlanFileToJson(file));
      Require(read.ok(), "a plan file must read back");
      Require(read.value().source_text == text, "a plan file must carry its source");
      Require(bgplan::plans::DumpPlan(read.value().plan) == dump, "plan JSON must round-trip");
    }
  }
  return 0;
}
