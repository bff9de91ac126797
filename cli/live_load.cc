// The executable's half of a live command: load the plan (compile the .bgplan, or verify a plan
// file against the source it carries), check what needs no database (the plan can run; a plan
// file runs only the phases it was made for), then hand over to the live module
// (cli/live_loader.h), which connects and runs it.
#include "cli/live_load.h"

#include <cstdio>
#include <optional>

#include "cli/live_loader.h"
#include "compiler/driver/compile.h"
#include "plans/plan_file.h"
#include "plans/plan_json.h"
#include "resolve/resolver.h"
#include "support/exit_codes.h"
#include "support/file_util.h"

namespace bgplan::runtime {

namespace {

// Compiles `name`/`text` (a .bgplan file or the source a plan file carries) and prints its
// diagnostics. nullopt (and *exit_code) when it has errors.
std::optional<driver::CompileOutput> CompileSource(const std::string& name, std::string text,
                                                   const driver::CompileOptions& options,
                                                   EventSink& sink, int* exit_code) {
  driver::CompileOutput out = driver::CompileText(name, std::move(text), options);
  if (!out.ir_dump.empty()) {
    std::fputs(out.ir_dump.c_str(), stderr);
  }
  for (const Diagnostic& d : out.diagnostics) {
    if (sink.options().json) {
      sink.Diagnose(d, "");
    }
  }
  if (!sink.options().json && !out.diagnostics.empty()) {
    std::fputs(driver::RenderDiagnostics(out).c_str(), stderr);
  }
  for (const std::string& d : out.unknown_deployments) {
    sink.Error("--deployment " + d + ": no such deployment in " + name);
  }
  if (!out.unknown_deployments.empty()) {
    *exit_code = kExitUsage;
    return std::nullopt;
  }
  if (!out.ok() || !out.plan.has_value()) {
    *exit_code = out.internal_error.ok() ? kExitInputErrors : kExitInternal;
    return std::nullopt;
  }
  return out;
}

// Loads a plan file: its checksum, then the .bgplan it carries compiled again with the options
// it records, which must give exactly the plan it holds (so a plan file passes every static rule
// a .bgplan does, and one edited by hand is refused).
std::optional<LoadedPlan> LoadPlanFile(const LiveOptions& o, EventSink& sink, int* exit_code) {
  LoadedPlan loaded;
  Result<plans::PlanFile> file = plans::ReadPlanFile(o.file);
  if (!file.ok()) {
    sink.Error(o.file + ": " + file.status().message());
    *exit_code = kExitInputErrors;
    return std::nullopt;
  }
  if (!o.target.empty() && o.target != plans::TargetName(file->plan.target)) {
    sink.Error("--target " + o.target + ": " + o.file + " was planned for target " +
               std::string(plans::TargetName(file->plan.target)) +
               "; make a plan file for the other target with `bgplan plan --target " + o.target +
               " -o`");
    *exit_code = kExitUsage;
    return std::nullopt;
  }
  if (!o.disabled_passes.empty() && o.disabled_passes != file->disabled_passes) {
    sink.Error("--disable-pass: " + o.file +
               " records the passes it was planned without; make the plan file again with the "
               "--disable-pass options you want");
    *exit_code = kExitUsage;
    return std::nullopt;
  }
  driver::CompileOptions options;
  options.deployments = file->deployments;
  options.disabled_passes = file->disabled_passes;
  options.dump_ir_after = o.dump_ir_after;
  if (!file->target_override.empty()) {
    options.target = file->target_override == "postgres" ? plans::Target::kPostgres
                                                          : plans::Target::kMaterialize;
  }
  std::optional<driver::CompileOutput> out =
      CompileSource(file->source_name, file->source_text, options, sink, exit_code);
  if (!out) {
    sink.Error(o.file + ": the .bgplan it carries (" + file->source_name +
               ") does not compile with this bgplan; make the plan file again");
    return std::nullopt;
  }
  if (plans::PlanToJson(*out->plan) != plans::PlanToJson(file->plan)) {
    sink.Error(o.file + ": its plan differs from the plan its .bgplan (" + file->source_name +
               ") compiles to (edited by hand?); make it again with `bgplan plan -o`");
    *exit_code = kExitInputErrors;
    return std::nullopt;
  }
  loaded.source = std::shared_ptr<SourceFile>(std::move(out->source));
  loaded.plan = file->plan;
  loaded.target_override = file->target_override;
  loaded.deployments = file->deployments;
  loaded.disabled_passes = file->disabled_passes;
  loaded.file = std::move(file).value();
  return loaded;
}

// Loads `path`. Compile diagnostics are printed; returns the exit code on failure.
std::optional<LoadedPlan> LoadPlan(const LiveOptions& o, EventSink& sink, int* exit_code) {
  std::optional<LoadedPlan> loaded;
  if (plans::IsPlanFilePath(o.file)) {
    loaded = LoadPlanFile(o, sink, exit_code);
    if (!loaded) {
      return std::nullopt;
    }
  } else {
    std::string text;
    if (std::string error = ReadFileBounded(o.file, kMaxSourceBytes, &text); !error.empty()) {
      sink.Error(error);
      *exit_code = kExitInputErrors;
      return std::nullopt;
    }
    driver::CompileOptions options;
    options.deployments = o.deployments;
    options.disabled_passes = o.disabled_passes;
    options.dump_ir_after = o.dump_ir_after;
    if (!o.target.empty()) {
      // The phases are built for the target they run on.
      options.target =
          o.target == "postgres" ? plans::Target::kPostgres : plans::Target::kMaterialize;
    }
    std::optional<driver::CompileOutput> out =
        CompileSource(o.file == "-" ? "<stdin>" : o.file, std::move(text), options, sink,
                      exit_code);
    if (!out) {
      return std::nullopt;
    }
    loaded.emplace();
    loaded->plan = std::move(*out->plan);
    loaded->source = std::shared_ptr<SourceFile>(std::move(out->source));
    loaded->deployments = o.deployments;
    loaded->disabled_passes = o.disabled_passes;
    loaded->target_override = o.target;
  }
  for (const std::string& name : o.deployments) {
    if (loaded->plan.FindDeployment(name) == nullptr) {
      sink.Error("--deployment " + name + ": no such deployment in " + o.file);
      *exit_code = kExitUsage;
      return std::nullopt;
    }
  }
  return loaded;
}

}  // namespace

int RunLiveCommand(const std::string& command, LiveOptions& o, const GlobalOptions& g,
                   std::optional<plans::PhaseKind> phase) {
  // The commands that run (or plan) phases need a plan the executor can run.
  const bool phase_runs = command != "status" && command != "unlock";
  EventSink sink(ToOutput(g));
  int code = kExitOk;
  std::optional<LoadedPlan> loaded = LoadPlan(o, sink, &code);
  if (!loaded) {
    sink.Result(command, code);
    return code;
  }
  sink.set_source(loaded->source.get());
  if (Status runnable = resolve::CheckRunnable(loaded->plan); !runnable.ok() && phase_runs) {
    sink.Error(runnable.message());
    sink.Result(command, kExitUsage);
    return kExitUsage;
  }
  if (loaded->file.has_value()) {
    // A plan file runs only the phases it was planned for: each needs the fingerprint of the
    // catalog it was resolved against. apply runs several phases against a catalog that each of
    // them changes, so no single fingerprint can vouch for it.
    std::string planned;
    for (const auto& [name, fp] : loaded->file->fingerprints) {
      planned += (planned.empty() ? "" : ", ") + name;
    }
    std::string problem;
    if (command == "apply") {
      problem = "apply runs init, await and promote against a catalog each of them changes, so "
                "no plan file can vouch for it: run `bgplan apply` on the .bgplan, or each phase "
                "command on a plan file made for it";
    } else if (phase.has_value() &&
               !loaded->file->fingerprints.count(std::string(plans::PhaseName(*phase)))) {
      problem = "this plan file was made for " +
                (planned.empty() ? std::string("no phase") : "phase(s) " + planned) +
                " and has no fingerprint for " + std::string(plans::PhaseName(*phase)) +
                "; make one with `bgplan plan --phase " + std::string(plans::PhaseName(*phase)) +
                " -o " + o.file + "`";
    }
    if (!problem.empty()) {
      Diagnostic d;
      d.kind = DiagKind::kPlanFilePhase;
      d.file = o.file;
      d.message = problem;
      sink.Diagnose(d, "");
      sink.Result(command, kExitInputErrors);
      return kExitInputErrors;
    }
  }
  LiveCall call;
  call.command = command;
  call.options = &o;
  call.global = &g;
  call.loaded = &*loaded;
  call.phase = phase;
  return CallLive(call);
}

int RunDemoCommand(const GlobalOptions& g) {
  LiveCall call;
  call.command = "demo";
  call.global = &g;
  call.compile = [&g](const std::string& path) -> std::optional<plans::Plan> {
    EventSink sink(ToOutput(g));
    std::string text;
    if (std::string error = ReadFileBounded(path, kMaxSourceBytes, &text); !error.empty()) {
      sink.Error(error);
      return std::nullopt;
    }
    int code = kExitOk;
    std::optional<driver::CompileOutput> out = CompileSource(path, std::move(text), {}, sink, &code);
    if (!out) {
      return std::nullopt;
    }
    return std::move(*out->plan);
  };
  return CallLive(call);
}

}  // namespace bgplan::runtime
