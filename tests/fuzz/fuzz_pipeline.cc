// libFuzzer target: runs any byte string through the whole offline pipeline (parse, lower,
// passes, emit for both dialects, graph, IR dump, JSON round trip, fmt) and checks properties
// that must hold for every input:
//  - nothing crashes, hangs or trips a sanitizer;
//  - a file that parses formats to text that parses again, and formatting is idempotent;
//  - a plan survives the JSON round trip unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "compiler/ast/ast_printer.h"
#include "compiler/driver/compile.h"
#include "compiler/emit/graph.h"
#include "compiler/emit/sql_emitter.h"
#include "plans/plan_dump.h"
#include "plans/plan_json.h"

static void Require(bool condition, const char* what) {
  if (!condition) {
    __builtin_trap();
  }
  (void)what;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
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
      std::string sql = bgplan::emit::EmitSql(*out.plan, {});
      std::string dot = bgplan::emit::EmitGraph(*out.plan);
      std::string dump = bgplan::plans::DumpPlan(*out.plan);
      auto back = bgplan::plans::PlanFromJson(bgplan::plans::PlanToJson(*out.plan));
      Require(back.ok(), "plan JSON must parse back");
      Require(bgplan::plans::DumpPlan(back.value()) == dump, "plan JSON must round-trip");
    }
  }
  return 0;
}
