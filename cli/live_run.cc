// The live module's half of the live commands (cli/live_options.h): plan, init, await, promote,
// rollback, cleanup, status, apply, unlock and demo. The executable has loaded and checked the
// plan (cli/live_load.cc); here each command connects, takes the deployment lock, runs the
// executor and maps the outcome to the exit codes of cli.md.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <sstream>

#include "cli/live_options.h"
#include "plans/deploy_env.h"
#include "plans/plan_file.h"
#include "plans/plan_json.h"
#include "resolve/resolver.h"
#include "runtime/conninfo.h"
#include "runtime/events.h"
#include "runtime/execute/executor.h"
#include "runtime/interrupt.h"
#include "runtime/session.h"
#include "support/exit_codes.h"
#include "support/file_util.h"

namespace bgplan::runtime {

// demo.cc
int RunDemo(const GlobalOptions& global,
            const std::function<std::optional<plans::Plan>(const std::string&)>& compile);

namespace {

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

// Runs `body` for `call` (loaded and checked by the executable) with a connected executor holding
// the locks when `lock` is set.
// `final_code`, when set, turns the exit code into the command's own before the result event
// (plan --detailed-exitcode), so that the event says what the process exits with.
int WithExecutor(const LiveCall& call, bool lock,
                 const std::function<Status(Executor&, const LoadedPlan&)>& body,
                 const std::function<int(int)>& final_code = nullptr) {
  const std::string& command = call.command;
  LiveOptions& o = *call.options;
  const LoadedPlan* loaded = call.loaded;
  InstallInterruptHandler();
  EventSink sink(ToOutput(*call.global));
  sink.set_source(loaded->source.get());
  int code = kExitOk;
  std::optional<Connected> conn = Connect(o, sink, &code);
  if (!conn) {
    sink.Result(command, code);
    return code;
  }
  o.run.command = command;
  o.run.markdown = call.global->format == "markdown";
  o.shown_url = conn->target.conninfo.empty() ? "" : RedactConninfo(conn->target.conninfo);
  o.run.password = !conn->target.password.empty() ? conn->target.password
                                                  : PasswordInConninfo(conn->target.conninfo);
  std::vector<std::string> selected = o.deployments;
  if (selected.empty() && loaded->file.has_value()) {
    selected = loaded->file->deployments;
  }
  if (loaded->file.has_value() && call.phase.has_value()) {
    o.run.expected_fingerprint =
        loaded->file->fingerprints.at(std::string(plans::PhaseName(*call.phase)));
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
  if (final_code) {
    code = final_code(code);
  }
  executor.Unlock();
  SetInterruptCallback(nullptr);
  conn->session->Close();
  sink.Result(command, code);
  return code;
}

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

// --phase all | a phase name | next (the default): the phase apply would run next.
Result<PhaseList> SelectPhases(const LiveOptions& o, Executor& executor) {
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
}

int RunPlan(const LiveCall& call) {
  LiveOptions& o = *call.options;
  bool changes = false;
  int code = WithExecutor(
      call, false,
      [&](Executor& ex, const LoadedPlan& loaded) {
        BGPLAN_ASSIGN_OR_RETURN(PhaseList phases, SelectPhases(o, ex));
        std::vector<std::pair<std::string, std::string>> fps, sql;
        Status st = ex.PrintPlan(phases, &changes, &fps, &sql);
        if (st.ok() && !o.out.empty()) {
          st = WritePlanFile(o, loaded, fps, sql);
        }
        return st;
      },
      [&](int done) {
        return done == kExitOk && o.detailed_exitcode && changes ? kExitChanges : done;
      });
  return code;
}

int Run(const LiveCall& call) {
  const std::string& command = call.command;
  if (command == "demo") {
    return RunDemo(*call.global, call.compile);
  }
  if (call.options == nullptr || call.loaded == nullptr) {
    std::fprintf(stderr, "bgplan: internal error: %s without a plan\n", command.c_str());
    return kExitInternal;
  }
  LiveOptions& o = *call.options;
  if (command == "plan") {
    return RunPlan(call);
  }
  if (command == "apply") {
    return WithExecutor(call, true, [&](Executor& ex, const LoadedPlan& loaded) {
      BGPLAN_RETURN_IF_ERROR(CheckDeployEnvironment(o, loaded, ex.selected(), ex.sink()));
      return ex.Apply(o.deploy_cmd, o.through == "cleanup", o.validate_cmd);
    });
  }
  if (command == "validate") {
    return WithExecutor(call, false,
                        [&](Executor& ex, const LoadedPlan&) { return ex.Validate(); });
  }
  if (command == "status") {
    return WithExecutor(call, false,
                        [&](Executor& ex, const LoadedPlan&) { return ex.PrintStatus(); });
  }
  if (command == "unlock") {
    return WithExecutor(call, false,
                        [&](Executor& ex, const LoadedPlan&) { return ex.BreakLock(o.break_lock); });
  }
  if (!call.phase.has_value()) {
    std::fprintf(stderr, "bgplan: internal error: no live command %s\n", command.c_str());
    return kExitInternal;
  }
  const plans::PhaseKind phase = *call.phase;
  return WithExecutor(call, true, [&](Executor& ex, const LoadedPlan&) {
    return phase == plans::PhaseKind::kCleanup && o.run.when_due ? ex.CleanupWhenDue()
                                                                 : ex.RunPhase(phase);
  });
}

}  // namespace
}  // namespace bgplan::runtime

// The module's entry point (cli/live_options.h, LiveMain).
extern "C" __attribute__((visibility("default"))) int bgplan_live_main(
    const bgplan::runtime::LiveCall* call) {
  try {
    return bgplan::runtime::Run(*call);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bgplan: internal error: %s\n", e.what());
    return bgplan::kExitInternal;
  }
}
