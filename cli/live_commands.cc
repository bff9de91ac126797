// The live commands of the bgplan CLI: plan, init, await, promote, rollback, cleanup, status,
// apply, unlock and demo (cli.md). Each command loads a plan (a .bgplan file through the compile
// driver, or a plan file), connects, takes the deployment lock, runs the executor and maps the
// outcome to the exit codes of cli.md.
#include "cli/live_commands.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>

#include "support/exit_codes.h"
#include "support/file_util.h"
#include "runtime/conninfo.h"
#include "runtime/events.h"
#include "runtime/execute/executor.h"
#include "runtime/interrupt.h"
#include "runtime/local_postgres.h"
#include "plans/deploy_env.h"
#include "plans/plan_file.h"
#include "plans/plan_json.h"
#include "runtime/session.h"
#include "resolve/resolver.h"

#include "compiler/driver/compile.h"

namespace bgplan::runtime {
namespace {

struct LiveOptions {
  std::string file;
  ConnOptions conn;
  std::vector<std::string> deployments;
  std::string target;
  RunOptions run;
  // plan
  std::string phase;
  std::string out;
  bool detailed_exitcode = false;
  // The connection as shown (password redacted), set once connected; a plan file records it.
  std::string shown_url;
  // apply
  std::string deploy_cmd;
  std::string through = "promote";
  // Debugging (plan, the phase commands, apply): optimization passes to skip, IR dumps.
  std::vector<std::string> disabled_passes;
  std::string dump_ir_after;
};

OutputOptions ToOutput(const GlobalOptions& g) {
  OutputOptions o;
  o.json = g.format == "json";
  o.quiet = g.quiet;
  o.verbose = g.verbose;
  o.color = !g.no_color;
  return o;
}

// A plan loaded from a .bgplan file or a plan file.
struct LoadedPlan {
  plans::Plan plan;
  std::optional<plans::PlanFile> file;
  // The .bgplan text, for diagnostics with source lines (a plan file's carried source).
  std::shared_ptr<SourceFile> source;
  // How the plan was compiled (recorded in a plan file written from it): --target ("" = the
  // file's own), --deployment.
  std::string target_override;
  std::vector<std::string> deployments;
  std::vector<std::string> disabled_passes;
};

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

int ExitFor(const Status& st, EventSink& sink) {
  if (st.ok()) {
    return kExitOk;
  }
  sink.Error(st.message() + (st.sqlstate().empty() ? "" : " (SQLSTATE " + st.sqlstate() + ")"),
             st.sqlstate());
  return ExitCodeFor(st);
}

struct Connected {
  std::unique_ptr<SqlSession> session;
  ConnTarget target;
};

std::optional<Connected> Connect(const LiveOptions& o, EventSink& sink, int* exit_code) {
  DiagnosticEngine diags;
  Result<ConnTarget> target = ResolveConnection(o.conn, diags);
  for (const Diagnostic& d : diags.Sorted()) {
    sink.Diagnose(d, "");
  }
  if (!target.ok()) {
    sink.Error(target.status().message());
    *exit_code = diags.has_errors() ? kExitInputErrors : kExitUsage;
    return std::nullopt;
  }
  std::string shown =
      target->conninfo.empty() ? "(libpq environment)" : RedactConninfo(target->conninfo);
  sink.Emit({"connect",
             "",
             sink.options().verbose > 0 ? "connecting to " + shown : "",
             {{"url", shown}}});
  // The password for scrubbing error messages: the profile's, else the one libpq reads from
  // the connection string itself.
  Result<std::unique_ptr<SqlSession>> session = ConnectPqxx(
      ConninfoForLibpq(*target),
      target->password.empty() ? PasswordInConninfo(target->conninfo) : target->password);
  if (!session.ok()) {
    *exit_code = ExitFor(session.status(), sink);
    return std::nullopt;
  }
  Connected c;
  c.session = std::move(session).value();
  c.target = std::move(target).value();
  SqlSession* raw = c.session.get();
  SetInterruptCallback([raw] { raw->Cancel(); });
  return c;
}

// Runs `body` with a connected executor holding the locks when `lock` is set.
int WithExecutor(const std::string& command, LiveOptions& o, const GlobalOptions& g, bool lock,
                 std::optional<plans::PhaseKind> phase,
                 const std::function<Status(Executor&, const LoadedPlan&)>& body) {
  // The commands that run (or plan) phases need a plan the executor can run.
  const bool phase_runs = command != "status" && command != "unlock";
  InstallInterruptHandler();
  EventSink sink(ToOutput(g));
  int code = kExitOk;
  std::optional<LoadedPlan> loaded = LoadPlan(o, sink, &code);
  if (!loaded) {
    sink.Result(command, code);
    return code;
  }
  sink.set_source(loaded->source.get());
  if (Status runnable = CheckRunnable(loaded->plan); !runnable.ok() && phase_runs) {
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
  std::optional<Connected> conn = Connect(o, sink, &code);
  if (!conn) {
    sink.Result(command, code);
    return code;
  }
  o.run.command = command;
  o.shown_url = conn->target.conninfo.empty() ? "" : RedactConninfo(conn->target.conninfo);
  o.run.password = !conn->target.password.empty() ? conn->target.password
                                                  : PasswordInConninfo(conn->target.conninfo);
  std::vector<std::string> selected = o.deployments;
  if (selected.empty() && loaded->file.has_value()) {
    selected = loaded->file->deployments;
  }
  if (loaded->file.has_value() && phase.has_value()) {
    o.run.expected_fingerprint =
        loaded->file->fingerprints.at(std::string(plans::PhaseName(*phase)));
  }
  Executor executor(*conn->session, loaded->plan, selected, o.run, sink);
  Status st;
  // Before the lock (on Materialize a lock is a schema): nothing of a deployment may be one of
  // bgplan's own schemas.
  if (std::vector<resolve::Violation> reserved = resolve::ReservedSchemaViolations(
          loaded->plan, selected, o.run.journal_schema, conn->session->Database());
      !reserved.empty() && command != "unlock") {
    for (const resolve::Violation& v : reserved) {
      Diagnostic d;
      d.kind = v.kind;
      d.file = loaded->plan.source_file;
      d.range = v.origin;
      d.message = v.message;
      sink.Diagnose(d, v.deployment);
    }
    st = Status(StatusCode::kPrecondition,
                command + ": " + std::to_string(reserved.size()) +
                    " live precondition(s) failed (first: reserved-schema-name); nothing was "
                    "changed");
  }
  if (st.ok() && lock) {
    st = executor.Lock();
  }
  if (st.ok()) {
    st = body(executor, *loaded);
  }
  if (Interrupted() && st.code() != StatusCode::kInterrupted) {
    // A statement cancelled by the signal thread fails with 57014; whatever failed, the cause
    // is the interruption (every phase rolled back its transaction).
    st = Status(StatusCode::kInterrupted,
                command + " interrupted" + (st.ok() ? "" : " (" + st.message() + ")"));
  }
  code = ExitFor(st, sink);
  executor.Unlock();
  SetInterruptCallback(nullptr);
  conn->session->Close();
  sink.Result(command, code);
  return code;
}

void AddCommon(CLI::App* cmd, LiveOptions& o, bool writes) {
  cmd->add_option("FILE", o.file, "the .bgplan file, or a plan file written by `bgplan plan -o`")
      ->required();
  cmd->add_option("--url", o.conn.url,
                  "connection string (else BGPLAN_URL, the bgplan.toml profile, libpq's "
                  "environment)");
  cmd->add_option("--profile", o.conn.profile, "profile of bgplan.toml");
  cmd->add_option("--config", o.conn.config_path, "path of bgplan.toml (default ./bgplan.toml)");
  cmd->add_option("--deployment", o.deployments, "deployment to act on (repeatable; default all)");
  cmd->add_option("--target", o.target, "override the file's target (checked against the server)")
      ->check(CLI::IsMember({"materialize", "postgres"}));
  cmd->add_option("--journal-schema", o.run.journal_schema, "schema of the journal")
      ->capture_default_str();
  if (writes) {
    cmd->add_flag("--dry-run", o.run.dry_run, "print what would run; change nothing");
  }
  cmd->fallthrough();
}

// --disable-pass and --dump-ir-after for the commands that run a plan's phases: only
// optimization passes can be disabled (the others decide what the plan is); the executor still
// refuses a plan whose swap would not run in one transaction.
void AddDebugging(CLI::App* cmd, LiveOptions& o) {
  cmd->add_option("--disable-pass", o.disabled_passes,
                  "Debugging: run the plan without this optimization pass (repeatable; a plan "
                  "file records them)")
      ->check(CLI::IsMember(driver::OptimizationPassNames()))
      ->group("Debugging");
  std::vector<std::string> dumpable = driver::PassNames();
  dumpable.push_back("all");
  cmd->add_option("--dump-ir-after", o.dump_ir_after,
                  "Debugging: print the plan after the named pass to stderr ('all' for every "
                  "pass)")
      ->check(CLI::IsMember(dumpable))
      ->group("Debugging");
}

std::string Example(const std::string& text) { return "Example:\n  " + text; }

using PhaseList = std::vector<plans::PhaseKind>;

const PhaseList& AllPhases() {
  static const PhaseList kAll = {plans::PhaseKind::kInit, plans::PhaseKind::kAwait,
                                 plans::PhaseKind::kPromote, plans::PhaseKind::kRollback,
                                 plans::PhaseKind::kCleanup};
  return kAll;
}

// With --deploy-cmd, a name its environment cannot carry unambiguously (plans/deploy_env.h) is
// an error, found before anything runs: the deploy command could write into the wrong schema.
// (`bgplan check` reports the same as a warning.)
Status CheckDeployEnvironment(const LiveOptions& o, const LoadedPlan& loaded,
                              const std::vector<std::string>& selected, EventSink& sink) {
  if (o.deploy_cmd.empty()) {
    return Status::Ok();
  }
  std::vector<plans::DeployEnvProblem> problems =
      plans::DeployEnvProblems(loaded.plan, selected);
  for (const plans::DeployEnvProblem& p : problems) {
    Diagnostic d;
    d.kind = DiagKind::kDeployEnvAmbiguous;
    d.severity = Severity::kError;
    d.file = loaded.plan.source_file;
    d.range = p.origin;
    d.message = p.message;
    sink.Diagnose(d, p.deployment);
  }
  if (problems.empty()) {
    return Status::Ok();
  }
  return Status::InvalidArgument(
      "apply: the deploy command's environment cannot name every object of the plan "
      "unambiguously (deploy-env-ambiguous); nothing was changed");
}

Status WritePlanFile(const LiveOptions& o, const LoadedPlan& loaded,
                     const std::vector<std::pair<std::string, std::string>>& fps,
                     const std::vector<std::pair<std::string, std::string>>& sql) {
  plans::PlanFile file;
  file.plan = loaded.plan;
  if (loaded.source != nullptr) {
    file.source_name = loaded.source->display_name();
    file.source_text = loaded.source->text();
  }
  file.target_override = loaded.target_override;
  file.deployments = loaded.deployments;
  file.disabled_passes = loaded.disabled_passes;
  file.url = o.shown_url;
  for (const auto& [k, v] : fps) {
    file.fingerprints[k] = v;
  }
  for (const auto& [k, v] : sql) {
    file.sql[k] = v;
  }
  if (std::string err = WriteFileAtomically(o.out, plans::PlanFileToJson(file)); !err.empty()) {
    return Status::IoError(err);
  }
  return Status::Ok();
}

}  // namespace

// demo.cc
int RunDemo(const GlobalOptions& global);

void RegisterLiveCommands(CLI::App& app, const GlobalOptions& global, int* exit_code) {
  // The options must outlive app.parse(); the app does not own them, so they live as long as the
  // process (RegisterLiveCommands is called once per process).
  static std::vector<std::unique_ptr<LiveOptions>> storage;
  auto make = [&]() -> LiveOptions& {
    storage.push_back(std::make_unique<LiveOptions>());
    return *storage.back();
  };

  {
    LiveOptions& o = make();
    CLI::App* cmd = app.add_subcommand(
        "plan",
        "Resolve every statement against the live catalog, run the live rules, print the exact "
        "SQL and a summary (read-only)");
    AddCommon(cmd, o, false);
    AddDebugging(cmd, o);
    cmd->add_option("--phase", o.phase,
                    "init, await, promote, rollback, cleanup, all, or next (the default: the "
                    "phase apply would run next)")
        ->check(CLI::IsMember({"init", "await", "promote", "rollback", "cleanup", "all", "next"}));
    cmd->add_option("-o", o.out, "write a plan file (JSON) carrying the catalog fingerprint");
    cmd->add_flag("--detailed-exitcode", o.detailed_exitcode,
                  "exit 2 when there are changes to apply, 0 when there are none");
    // The overrides of the phase commands, so that a plan shows what the command given the same
    // flag would do (each names the rule it overrides; none skips an identity check).
    cmd->add_flag("--ignore-existing", o.run.ignore_existing, "plan init as with --ignore-existing");
    cmd->add_flag("--force", o.run.force, "plan promote and cleanup as with --force");
    cmd->add_flag("--allow-orphans", o.run.allow_orphans,
                  "plan promote and rollback as with --allow-orphans");
    cmd->footer(Example("bgplan plan deploy.bgplan --url postgresql://me@db/prod -o plan.json"));
    cmd->callback([&global, exit_code, &o] {
      bool changes = false;
      // --phase all | a phase name | next (the default): the phase apply would run next.
      auto SelectPhases = [&o](auto& executor) -> Result<PhaseList> {
        if (o.phase == "all") {
          return AllPhases();
        }
        if (!o.phase.empty() && o.phase != "next") {
          plans::PhaseKind k = plans::PhaseKind::kInit;
          plans::ParsePhaseName(o.phase, &k);
          return PhaseList{k};
        }
        BGPLAN_ASSIGN_OR_RETURN(plans::PhaseKind next, executor.NextPhase());
        return PhaseList{next};
      };
      *exit_code = WithExecutor(
          "plan", o, global, false, std::nullopt,
          [&](Executor& ex, const LoadedPlan& loaded) {
            BGPLAN_ASSIGN_OR_RETURN(PhaseList phases, SelectPhases(ex));
            std::vector<std::pair<std::string, std::string>> fps, sql;
            Status st = ex.PrintPlan(phases, &changes, &fps, &sql);
            if (st.ok() && !o.out.empty()) {
              st = WritePlanFile(o, loaded, fps, sql);
            }
            return st;
          });
      if (*exit_code == kExitOk && o.detailed_exitcode && changes) {
        *exit_code = kExitChanges;
      }
    });
  }

  struct PhaseCommand {
    const char* name;
    plans::PhaseKind phase;
    const char* help;
    const char* example;
  };
  const PhaseCommand kPhases[] = {
      {"init", plans::PhaseKind::kInit,
       "Create the green schemas, copy blue's grants and default privileges, mark them (one "
       "transaction)",
       "bgplan init deploy.bgplan --url postgresql://deployer@db/analytics"},
      {"await", plans::PhaseKind::kAwait,
       "Wait until green is ready (PostgreSQL: every materialized view in green is populated)",
       "bgplan await deploy.bgplan --deployment analytics"},
      {"promote", plans::PhaseKind::kPromote,
       "Swap blue and green atomically and re-point the views of the sinks schemas (one "
       "transaction, one round trip)",
       "bgplan promote plan.json   # refuses with stale-plan if the catalog changed"},
      {"rollback", plans::PhaseKind::kRollback,
       "Swap back after promote (before cleanup) and re-point the sinks views back",
       "bgplan rollback deploy.bgplan"},
      {"cleanup", plans::PhaseKind::kCleanup,
       "Drop the green schemas (the old code after promote) once keep_blue has passed",
       "bgplan cleanup deploy.bgplan --dry-run"},
  };
  for (const PhaseCommand& pc : kPhases) {
    LiveOptions& o = make();
    CLI::App* cmd = app.add_subcommand(pc.name, pc.help);
    AddCommon(cmd, o, true);
    AddDebugging(cmd, o);
    if (pc.phase == plans::PhaseKind::kInit) {
      cmd->add_flag("--ignore-existing", o.run.ignore_existing,
                    "adopt a green schema that exists and is not empty (green-not-empty)");
    }
    if (pc.phase == plans::PhaseKind::kPromote || pc.phase == plans::PhaseKind::kCleanup) {
      cmd->add_flag("--force", o.run.force,
                    pc.phase == plans::PhaseKind::kPromote
                        ? "promote a green that does not carry this run's marker (green-not-ours)"
                        : "drop before keep_blue has passed, or with dependents "
                          "(keep-blue-not-elapsed, cleanup-drops-dependents, not-promoted)");
    }
    if (pc.phase == plans::PhaseKind::kPromote || pc.phase == plans::PhaseKind::kRollback) {
      cmd->add_flag("--allow-orphans", o.run.allow_orphans,
                    "swap although objects outside the sinks schemas depend on blue "
                    "(orphaned-dependents)");
    }
    if (pc.phase == plans::PhaseKind::kAwait || pc.phase == plans::PhaseKind::kPromote) {
      cmd->add_flag("--tolerate-failing", o.run.tolerate_failing,
                    "do not stop on a failing cluster (Materialize)");
    }
    cmd->footer(Example(pc.example));
    plans::PhaseKind phase = pc.phase;
    std::string name = pc.name;
    cmd->callback([&global, exit_code, &o, phase, name] {
      *exit_code = WithExecutor(
          name, o, global, true, phase,
          [&](Executor& ex, const LoadedPlan&) { return ex.RunPhase(phase); });
    });
  }

  {
    LiveOptions& o = make();
    CLI::App* cmd = app.add_subcommand(
        "apply",
        "Run init -> deploy command -> await -> promote (-> cleanup), resuming from the "
        "deployment's current state");
    AddCommon(cmd, o, true);
    AddDebugging(cmd, o);
    cmd->add_option("--deploy-cmd", o.deploy_cmd,
                    "command run through /bin/sh -c after init to put the new code into green "
                    "(environment: BGPLAN_DEPLOYMENT, BGPLAN_GREEN_SCHEMAS, "
                    "BGPLAN_GREEN_CLUSTERS, BGPLAN_GREEN_<BLUE NAME>, BGPLAN_URL, PG*)");
    cmd->add_option("--through", o.through, "last phase: promote (default) or cleanup")
        ->check(CLI::IsMember({"promote", "cleanup"}));
    cmd->add_flag("--ignore-existing", o.run.ignore_existing, "see init");
    cmd->add_flag("--force", o.run.force, "see promote and cleanup");
    cmd->add_flag("--allow-orphans", o.run.allow_orphans, "see promote");
    cmd->add_flag("--tolerate-failing", o.run.tolerate_failing, "see await");
    cmd->footer(Example(
        "bgplan apply deploy.bgplan --deploy-cmd 'psql -v green=$BGPLAN_GREEN_MARTS -f new.sql'"));
    cmd->callback([&global, exit_code, &o] {
      *exit_code = WithExecutor(
          "apply", o, global, true, std::nullopt,
          [&](Executor& ex, const LoadedPlan& loaded) {
            BGPLAN_RETURN_IF_ERROR(CheckDeployEnvironment(o, loaded, ex.selected(), ex.sink()));
            return ex.Apply(o.deploy_cmd, o.through == "cleanup");
          });
    });
  }

  {
    LiveOptions& o = make();
    CLI::App* cmd = app.add_subcommand(
        "status",
        "Where each deployment stands: phase, blue/green ids, readiness, journal history "
        "(read-only)");
    AddCommon(cmd, o, false);
    cmd->footer(Example("bgplan status deploy.bgplan --format json"));
    cmd->callback([&global, exit_code, &o] {
      *exit_code = WithExecutor(
          "status", o, global, false, std::nullopt,
          [&](Executor& ex, const LoadedPlan&) { return ex.PrintStatus(); });
    });
  }

  {
    LiveOptions& o = make();
    CLI::App* cmd = app.add_subcommand(
        "unlock", "Remove a stale deployment lock after confirming its holder is gone");
    AddCommon(cmd, o, false);
    cmd->add_flag("--force", o.run.force,
                  "terminate the holder's session if it is still connected (PostgreSQL releases "
                  "the lock with it)");
    cmd->footer(Example("bgplan unlock deploy.bgplan --deployment analytics"));
    cmd->callback([&global, exit_code, &o] {
      *exit_code = WithExecutor(
          "unlock", o, global, false, std::nullopt,
          [&](Executor& ex, const LoadedPlan&) { return ex.BreakLock(o.run.force); });
    });
  }

  {
    CLI::App* cmd = app.add_subcommand(
        "demo",
        "Start a throwaway local PostgreSQL, run a full blue/green cycle on it from "
        "examples/demo, narrate each step, stop it");
    cmd->fallthrough();
    cmd->footer(Example("bgplan demo"));
    cmd->callback([&global, exit_code] { *exit_code = RunDemo(global); });
  }
}

}  // namespace bgplan::runtime
