// Compile-path benchmarks (issue 2): parse, lower, passes and emit of a generated plan with
// 10,000 schemas across 1,000 deployments (and 10x that for the linearity check), plus toml++
// parsing the same content for comparison. Run: bench/run_compile_bench.
#include <benchmark/benchmark.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "bench/gen_plan.h"
#include "compiler/driver/compile.h"
#include "resolve/render.h"
#include "compiler/frontend/parse.h"
#include "compiler/lower/lower.h"
#include "compiler/passes/pipeline.h"
#include "support/check.h"

namespace bgplan::bench {
namespace {

// range(0): deployments; 10 schemas each.
const SourceFile& Source(int deployments) {
  static std::map<int, std::unique_ptr<SourceFile>> cache;
  auto& slot = cache[deployments];
  if (!slot) {
    slot = std::make_unique<SourceFile>("bench.bgplan", GeneratePlan(deployments, 10));
  }
  return *slot;
}

// The plan of `deployments` deployments after the whole pass pipeline (the input of emit).
plans::Plan CompiledPlan(int deployments) {
  const SourceFile& source = Source(deployments);
  DiagnosticEngine diags;
  auto file = frontend::ParseFile(source, diags);
  plans::Plan plan = lower::LowerToPlan(*file, source, {}, diags);
  BGPLAN_CHECK(passes::RunPipeline(plan, {}, diags));
  return plan;
}

void BM_Parse(benchmark::State& state) {
  const SourceFile& source = Source(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    DiagnosticEngine diags;
    auto file = frontend::ParseFile(source, diags);
    BGPLAN_CHECK(file != nullptr);
    benchmark::DoNotOptimize(file);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(source.text().size()));
}

void BM_TomlParse(benchmark::State& state) {
  std::string toml_text = GenerateToml(static_cast<int>(state.range(0)), 10);
  for (auto _ : state) {
    auto table = toml::parse(toml_text);
    benchmark::DoNotOptimize(table);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(toml_text.size()));
}

void BM_Lower(benchmark::State& state) {
  const SourceFile& source = Source(static_cast<int>(state.range(0)));
  DiagnosticEngine diags;
  auto file = frontend::ParseFile(source, diags);
  for (auto _ : state) {
    DiagnosticEngine d;
    auto plan = lower::LowerToPlan(*file, source, {}, d);
    benchmark::DoNotOptimize(plan);
  }
}

// The whole pipeline, with each pass's mean time as a counter ("ms:<pass>").
void BM_Passes(benchmark::State& state) {
  const SourceFile& source = Source(static_cast<int>(state.range(0)));
  DiagnosticEngine diags;
  auto file = frontend::ParseFile(source, diags);
  plans::Plan lowered = lower::LowerToPlan(*file, source, {}, diags);
  std::map<std::string, double> pass_ms;
  for (auto _ : state) {
    state.PauseTiming();
    plans::Plan plan = lowered;
    DiagnosticEngine d;
    std::vector<passes::PassTiming> timings;
    passes::PipelineOptions options;
    options.timings = &timings;
    state.ResumeTiming();
    BGPLAN_CHECK(passes::RunPipeline(plan, options, d));
    benchmark::DoNotOptimize(plan);
    state.PauseTiming();
    for (const auto& t : timings) {
      pass_ms["ms:" + t.name] += std::chrono::duration<double, std::milli>(t.duration).count();
    }
    // Freed outside the timed region (BM_Check and BM_Compile include freeing).
    plan = plans::Plan{};
    state.ResumeTiming();
  }
  for (const auto& [name, ms] : pass_ms) {
    state.counters[name] = ms / static_cast<double>(state.iterations());
  }
}

// In-process `bgplan check` (driver::CompileText: parse, lower, passes; no file read) and
// `bgplan compile` (the same plus EmitSql, streamed as `bgplan compile` does, the pieces
// discarded as with -o /dev/null), to check the per-stage figures against.
void BM_Check(benchmark::State& state) {
  const SourceFile& source = Source(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    driver::CompileOutput out = driver::CompileText("bench.bgplan", source.text(), {});
    BGPLAN_CHECK(out.ok());
    benchmark::DoNotOptimize(out);
  }
}

void BM_Compile(benchmark::State& state) {
  const SourceFile& source = Source(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    driver::CompileOutput out = driver::CompileText("bench.bgplan", source.text(), {});
    BGPLAN_CHECK(out.ok() && out.plan.has_value());
    size_t bytes = 0;
    resolve::RenderCompile(*out.plan, std::nullopt, [&](std::string_view piece) { bytes += piece.size(); });
    benchmark::DoNotOptimize(bytes);
  }
}

void BM_Emit(benchmark::State& state) {
  const plans::Plan plan = CompiledPlan(static_cast<int>(state.range(0)));
  size_t bytes = 0;
  for (auto _ : state) {
    std::string sql = resolve::RenderCompile(plan, std::nullopt);
    bytes = sql.size();
    benchmark::DoNotOptimize(sql);
  }
  state.counters["sql_bytes"] = static_cast<double>(bytes);
}

// EmitSql streamed in pieces (what `bgplan compile` runs), the pieces discarded.
void BM_EmitStreamed(benchmark::State& state) {
  const plans::Plan plan = CompiledPlan(static_cast<int>(state.range(0)));
  size_t bytes = 0;
  for (auto _ : state) {
    bytes = 0;
    resolve::RenderCompile(plan, std::nullopt, [&](std::string_view piece) { bytes += piece.size(); });
    benchmark::DoNotOptimize(bytes);
  }
  state.counters["sql_bytes"] = static_cast<double>(bytes);
}

BENCHMARK(BM_Parse)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TomlParse)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Lower)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Passes)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Emit)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_EmitStreamed)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Check)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Compile)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace bgplan::bench

BENCHMARK_MAIN();
