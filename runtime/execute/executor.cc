#include "runtime/execute/executor.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>

#include "resolve/fingerprint.h"
#include "resolve/render.h"
#include "resolve/resolver.h"
#include "resolve/text.h"
#include "runtime/catalog/mz_catalog.h"
#include "runtime/catalog/pg_catalog.h"
#include "runtime/execute/backend.h"
#include "runtime/fault.h"
#include "runtime/host_info.h"
#include "runtime/interrupt.h"
#include "sql/dialect.h"
#include "sql/statements.h"
#include "support/strings.h"

namespace bgplan::runtime {

using plans::PhaseKind;
using resolve::Action;

int64_t LockTimeoutMs(const plans::Plan& plan, const std::vector<std::string>& selected) {
  int64_t ms = -1;
  for (const auto& d : plan.deployments) {
    if (selected.empty() || std::find(selected.begin(), selected.end(), d.name) != selected.end()) {
      ms = ms < 0 ? d.promote.lock_timeout_ms : std::min(ms, d.promote.lock_timeout_ms);
    }
  }
  return ms < 0 ? plans::PromoteSettings{}.lock_timeout_ms : ms;
}

Result<resolve::Snapshot> Backend::Read(SqlSession& session, const plans::Plan& plan,
                                        const std::vector<std::string>& selected) {
  if (materialize) {
    return ReadMzSnapshot(session, plan, selected, *journal);
  }
  return ReadPgSnapshot(session, plan, selected, *journal, LockTimeoutMs(plan, selected));
}

Result<std::string> Backend::CurrentId(SqlSession& session,
                                       const resolve::Action::Identity& object) {
  if (materialize) {
    return ReadMzId(session, object.kind, object.database, object.name);
  }
  return ReadPgSchemaId(session, object.name);
}

std::unique_ptr<Backend> MakeBackend(const plans::Plan& plan, const std::string& journal_schema,
                                     const std::string& command) {
  auto b = std::make_unique<Backend>();
  b->materialize = plan.target == plans::Target::kMaterialize;
  if (b->materialize) {
    b->journal = MakeMaterializeJournal(journal_schema);
    b->lock = MakeMaterializeLock(command);
    b->readiness = MakeMaterializeReadiness();
  } else {
    b->journal = MakePostgresJournal(journal_schema);
    b->lock = MakePostgresLock();
    b->readiness = MakePostgresReadiness();
  }
  return b;
}

namespace {

std::string UtcSeconds() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[40];
  std::strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buf;
}

// The name of a step for fault points: its kind, e.g. "swap", "mark-green".
std::string StepName(const plans::Step& step) { return std::string(plans::StepKindName(step.kind)); }

}  // namespace

Executor::Executor(SqlSession& session, const plans::Plan& plan, std::vector<std::string> selected,
                   RunOptions options, EventSink& sink)
    : session_(session),
      plan_(plan),
      selected_(std::move(selected)),
      options_(std::move(options)),
      sink_(sink) {
  if (selected_.empty()) {
    for (const auto& d : plan_.deployments) {
      selected_.push_back(d.name);
    }
  }
  if (options_.git_commit.empty()) {
    options_.git_commit = GitCommit();
  }
  backend_ = MakeBackend(plan_, options_.journal_schema, options_.command);
}

Executor::~Executor() = default;

void Executor::Note(const std::string& deployment, const std::string& message) {
  sink_.Emit({"note", deployment, message, {}});
}

void Executor::Diagnose(const std::vector<resolve::Violation>& found, Severity severity) {
  for (const resolve::Violation& v : found) {
    Diagnostic d;
    d.severity = severity;
    d.kind = v.kind;
    d.file = plan_.source_file;
    d.range = v.origin;
    d.message = v.message;
    d.objects = v.objects;
    sink_.Diagnose(d, v.deployment);
  }
}

void Executor::Warn(const std::vector<resolve::Violation>& warnings) {
  Diagnose(warnings, Severity::kWarning);
}

Status Executor::Report(const std::vector<resolve::Violation>& violations, const std::string& what) {
  Diagnose(violations, Severity::kError);
  return Status(StatusCode::kPrecondition,
                what + ": " + std::to_string(violations.size()) +
                    " live precondition(s) failed (first: " +
                    std::string(DiagKindName(violations.front().kind)) + "); nothing was changed");
}

// The server must be the plan's dialect (target-mismatch otherwise), before anything else.
Status Executor::Prepare() {
  if (prepared_) {
    return Status::Ok();
  }
  BGPLAN_ASSIGN_OR_RETURN(Rows rows, session_.Query("SELECT version(), current_database()"));
  const bool is_mz = !rows.empty() && rows[0][0].find("Materialize") != std::string::npos;
  database_ = rows.empty() ? "" : rows[0][1];
  if (is_mz != backend_->materialize) {
    resolve::Violation v;
    v.kind = DiagKind::kTargetMismatch;
    const plans::Deployment* first = plan_.deployments.empty() ? nullptr : &plan_.deployments[0];
    v.deployment = first != nullptr ? first->name : "";
    v.origin = plan_.target_origin.valid() ? plan_.target_origin
                                           : (first != nullptr ? first->origin : SourceRange{});
    v.message = "the plan targets " + std::string(plans::TargetName(plan_.target)) +
                " but the server is " + (is_mz ? "Materialize" : "PostgreSQL");
    return Report({v}, options_.command.empty() ? "bgplan" : options_.command);
  }
  prepared_ = true;
  return Status::Ok();
}

Result<resolve::Snapshot> Executor::Read(std::vector<resolve::Violation>* journal_access) {
  BGPLAN_RETURN_IF_ERROR(Prepare());
  BGPLAN_ASSIGN_OR_RETURN(resolve::Snapshot snap, backend_->Read(session_, plan_, selected_));
  const std::optional<resolve::ServerVersion>& version = snap.server.materialize_version;
  backend_->readiness->KnowServer(version);
  if (version.has_value() && *version < resolve::kOldestCheckedMaterialize &&
      !warned_old_server_) {
    warned_old_server_ = true;
    sink_.Emit({"warning", Join(selected_),
                "the server runs Materialize " + version->Text() +
                    ", older than " + resolve::kOldestCheckedMaterialize.Text() +
                    ", the oldest release bgplan was checked against; statements it needs may "
                    "be refused",
                {{"server_version", version->Text()}}});
  }
  // The journal is read and written on the Materialize session's cluster: checked before any
  // write (and before a dry run that would read the journal).
  if (snap.journal_exists || !options_.dry_run) {
    std::vector<resolve::Violation> session = resolve::SessionViolations(plan_, snap);
    const bool only_access =
        std::all_of(session.begin(), session.end(), [](const resolve::Violation& v) {
          return v.kind == DiagKind::kJournalAccess;
        });
    if (!session.empty() && journal_access != nullptr && only_access) {
      *journal_access = std::move(session);  // reported with the phase's rights rules
    } else if (!session.empty()) {
      return Report(session, options_.command.empty() ? "bgplan" : options_.command);
    }
  }
  return snap;
}

std::vector<resolve::Violation> JournalFree(const std::vector<resolve::Violation>& phase) {
  std::vector<resolve::Violation> out;
  for (const resolve::Violation& v : phase) {
    if (v.kind == DiagKind::kNotOwner || v.kind == DiagKind::kMissingPrivilege ||
        v.kind == DiagKind::kRepointNotOwner || v.kind == DiagKind::kBlueMissing ||
        v.kind == DiagKind::kUnsizedReplicas) {
      out.push_back(v);
    }
  }
  return out;
}

std::vector<resolve::Violation> WithJournalAccess(std::vector<resolve::Violation> journal_access,
                                                  const std::vector<resolve::Violation>& phase) {
  if (journal_access.empty()) {
    return phase;  // the journal is readable: every rule of the phase stands
  }
  for (resolve::Violation& v : JournalFree(phase)) {
    journal_access.push_back(std::move(v));
  }
  return journal_access;
}

Status Executor::Lock() {
  if (options_.dry_run || locked_) {
    return Status::Ok();
  }
  BGPLAN_RETURN_IF_ERROR(Prepare());
  BGPLAN_RETURN_IF_ERROR(backend_->lock->Take(session_, database_, selected_, sink_));
  locked_ = true;
  return Status::Ok();
}

void Executor::Unlock() {
  if (locked_) {
    backend_->lock->Release(session_);
    locked_ = false;
  }
}

Status Executor::BreakLock(bool force) {
  BGPLAN_RETURN_IF_ERROR(Prepare());
  return backend_->lock->Break(session_, database_, selected_, force, sink_);
}

plans::PromoteSettings Executor::Retries(const plans::Phase& phase) const {
  resolve::DeploymentIndex index(plan_);
  for (const plans::Batch& batch : phase.batches) {
    for (const plans::Step& step : batch.steps) {
      if (step.kind == plans::StepKind::kSwap) {
        return resolve::CombinePromote(index.Of(step));
      }
    }
  }
  std::vector<const plans::Deployment*> all;
  for (const plans::Deployment& d : plan_.deployments) {
    if (std::find(selected_.begin(), selected_.end(), d.name) != selected_.end()) {
      all.push_back(&d);
    }
  }
  return resolve::CombinePromote(all);
}

std::string Executor::Acting(const resolve::ResolvedPhase& resolved) const {
  return Join(resolved.acting.empty() ? selected_ : resolved.acting);
}

Status Executor::RunPhase(PhaseKind phase) {
  const std::string name(plans::PhaseName(phase));
  if (Interrupted()) {
    return Status(StatusCode::kInterrupted, name + " interrupted before it started");
  }
  BGPLAN_RETURN_IF_ERROR(Prepare());
  FaultPoint(name, "after-lock");
  const plans::Phase* plan_phase = plan_.FindPhase(phase);
  if (plan_phase == nullptr) {
    return Status::Internal("the plan has no phase " + name + " (it was not compiled?)");
  }
  BGPLAN_RETURN_IF_ERROR(resolve::CheckRunnable(plan_));
  const plans::PromoteSettings retries = Retries(*plan_phase);
  const std::vector<std::string> retryable = sql::MakeDialect(plan_.target)->RetryableSqlstates();
  auto is_retryable = [&](const Status& st) {
    return std::find(retryable.begin(), retryable.end(), st.sqlstate()) != retryable.end();
  };
  bool fingerprint_checked = false;
  size_t from_batch = 0;
  for (int64_t attempt = 0;; ++attempt) {
    Status failed;
    std::vector<resolve::Violation> journal_access;
    Result<resolve::Snapshot> snap = Read(&journal_access);
    if (!snap.ok()) {
      failed = snap.status();
      if (failed.code() == StatusCode::kPrecondition || !is_retryable(failed)) {
        return failed;
      }
    } else {
      const std::string fingerprint = resolve::Fingerprint(*snap, phase);
      if (!fingerprint_checked && options_.expected_fingerprint.has_value() &&
          *options_.expected_fingerprint != fingerprint) {
        Diagnostic d;
        d.kind = DiagKind::kStalePlan;
        d.file = plan_.source_file;
        const std::string& planned = *options_.expected_fingerprint;
        d.message = "the catalog changed since this plan file was made (" + name +
                    " fingerprint " + planned.substr(0, 12) + " planned, " +
                    fingerprint.substr(0, 12) + " now); run `bgplan plan` again";
        sink_.Diagnose(d, Join(selected_));
        return Status(StatusCode::kPrecondition, name + ": stale-plan: the plan file is stale");
      }
      fingerprint_checked = true;
      resolve::ResolvedPhase resolved = resolve::Resolver::ResolvePhase(
          plan_, *plan_phase, *snap, ResolveOptionsFor(fingerprint, false));
      if (std::vector<resolve::Violation> refused =
              WithJournalAccess(std::move(journal_access), resolved.violations);
          !refused.empty()) {
        return Report(refused, name);
      }
      if (attempt == 0) {
        Warn(resolved.warnings);
        // The user's checks of green, before any write (and in a dry run: they only read).
        BGPLAN_RETURN_IF_ERROR(RunValidations(resolved, name));
        for (const std::string& n : resolved.notes) {
          Note("", n);
        }
        // Every rule the phase's check steps evaluated (and passed): the `check` lines of
        // `bgplan compile`, in their order.
        for (const std::string& rule : resolved.rules) {
          sink_.Emit({"check", Acting(resolved),
                      sink_.options().verbose > 0 ? "  check passed: " + rule : "",
                      {{"phase", name}, {"rule", rule}, {"state", "passed"}}});
        }
      }
      if (!resolved.HasWrites() && from_batch == 0) {
        sink_.Emit({"phase", Join(selected_), name + ": nothing to do",
                    {{"phase", name}, {"state", "unchanged"}}});
        // A wait still waits (await of a deployment with nothing to journal).
        for (const resolve::ResolvedBatch& batch : resolved.batches) {
          for (const resolve::ResolvedStep& step : batch.steps) {
            for (const Action& a : step.actions) {
              if (a.kind == Action::Kind::kAwait && !options_.dry_run) {
                BGPLAN_RETURN_IF_ERROR(Await(a.deployments));
              }
            }
          }
        }
        return Status::Ok();
      }
      if (options_.dry_run) {
        sink_.Emit({"phase", Acting(resolved),
                    name + " (dry run): would run the statements below; nothing was changed",
                    {{"phase", name}, {"state", "dry-run"}}});
        sink_.Product("sql", Acting(resolved), Render(resolved));
        return Status::Ok();
      }
      if (from_batch == 0) {
        sink_.Emit({"phase", Acting(resolved), name + ": " + Acting(resolved),
                    {{"phase", name}, {"state", "started"}, {"attempt", attempt}}});
      }
      for (; from_batch < resolved.batches.size(); ++from_batch) {
        failed = RunBatch(phase, resolved.batches[from_batch]);
        if (!failed.ok()) {
          break;
        }
      }
      if (failed.ok()) {
        // What moved for the readers outside the swapped objects: each sink re-pointed (or view
        // re-created); in JSON the done event's "repointed" array, in text one line each.
        EventFields fields = {{"phase", name}, {"state", "done"}};
        if (!resolved.summary.repointed.empty()) {
          fields["repointed"] = resolved.summary.repointed;
        }
        sink_.Emit({"phase", Acting(resolved), name + ": done", std::move(fields)});
        if (!sink_.options().json) {
          for (const std::string& line : resolved.summary.repointed) {
            Note(Acting(resolved), "  " + line);
          }
        }
        return Status::Ok();
      }
      if (failed.code() == StatusCode::kInterrupted || Interrupted() ||
          !is_retryable(failed) ||
          resolved.batches[from_batch].mode != plans::Batch::Mode::kTransaction) {
        return failed;
      }
    }
    // Nothing of the failed round trip stayed: read the catalog again and retry.
    if (attempt >= retries.max_retries) {
      return Status(failed.code(),
                    name + " gave up after " + std::to_string(attempt + 1) +
                        " attempt(s): " + failed.message() +
                        (failed.sqlstate() == kSqlstateLockTimeout
                             ? " (another session holds a lock the phase needs; nothing was "
                               "changed)"
                             : " (nothing was changed)"),
                    failed.sqlstate());
    }
    sink_.Emit({"retry",
                Join(selected_),
                name + ": " + failed.ToString() + "; nothing changed, retrying in " +
                    std::to_string(retries.retry_backoff_ms) + " ms (" +
                    std::to_string(attempt + 1) + "/" + std::to_string(retries.max_retries) + ")",
                {{"phase", name},
                 {"sqlstate", failed.sqlstate()},
                 {"attempt", attempt + 1}}});
    if (!InterruptibleSleep(retries.retry_backoff_ms)) {
      return Status(StatusCode::kInterrupted, name + " interrupted while waiting to retry");
    }
  }
}

Status Executor::RunBatch(PhaseKind phase, const resolve::ResolvedBatch& batch) {
  if (batch.mode == plans::Batch::Mode::kTransaction) {
    return batch.HasWrites() ? RunTransaction(phase, batch) : Status::Ok();
  }
  return RunEach(phase, batch);
}

Status Executor::WriteJournal(const resolve::JournalOp& op) {
  if (!journal_ensured_) {
    BGPLAN_RETURN_IF_ERROR(backend_->journal->Ensure(session_));
    journal_ensured_ = true;
  }
  BGPLAN_ASSIGN_OR_RETURN(std::vector<std::string> statements,
                          backend_->journal->Statements(session_, op));
  for (const std::string& s : statements) {
    BGPLAN_RETURN_IF_ERROR(session_.Exec(s));
  }
  return Status::Ok();
}

Status Executor::RunTransaction(PhaseKind phase, const resolve::ResolvedBatch& batch) {
  const std::string name(plans::PhaseName(phase));
  bool swaps = false;
  for (const resolve::ResolvedStep& step : batch.steps) {
    swaps = swaps || step.step->kind == plans::StepKind::kSwap;
  }
  if (swaps) {
    BGPLAN_RETURN_IF_ERROR(backend_->lock->Verify(session_, "the swap"));
  }
  BGPLAN_RETURN_IF_ERROR(backend_->lock->Refresh(session_));
  if (!journal_ensured_) {
    BGPLAN_RETURN_IF_ERROR(backend_->journal->Ensure(session_));
    journal_ensured_ = true;
  }
  BGPLAN_ASSIGN_OR_RETURN(std::vector<std::string> statements, TransactionStatements(batch));
  std::string body = "BEGIN;\n";
  for (const std::string& s : statements) {
    sink_.Emit({"statement", "", "  " + s, {{"sql", s}, {"phase", name}}});
    body += s + "\n";
  }
  if (FaultArmed(name, "before-commit")) {
    (void)session_.Exec(body);
    FaultPoint(name, "before-commit");
  }
  auto start = std::chrono::steady_clock::now();
  Status st = session_.Exec(body + "COMMIT;\n");
  const double ms = std::chrono::duration_cast<std::chrono::microseconds>(
                        std::chrono::steady_clock::now() - start)
                        .count() /
                    1000.0;
  if (!st.ok()) {
    (void)session_.Exec("ROLLBACK");
    if (st.sqlstate() == kSqlstateLockTimeout) {
      st = Status(st.code(), st.message() + backend_->lock->DescribeWait(session_, batch),
                  st.sqlstate());
    }
    if (Interrupted()) {
      return Status(StatusCode::kInterrupted,
                    name + " interrupted; its transaction was rolled back and nothing changed; "
                           "the phase can be re-run");
    }
    return Status(st.code(), name + ": the transaction failed, nothing in it was changed: " +
                                 st.message(),
                  st.sqlstate());
  }
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.1f", ms);
  sink_.Emit({"transaction",
              "",
              sink_.options().verbose > 0 ? "  (" + std::to_string(statements.size()) +
                                                " statements committed in one round trip, " +
                                                buf + " ms)"
                                          : "",
              {{"phase", name},
               {"statements", statements.size()},
               {"duration_ms", std::round(ms * 10) / 10}}});
  FaultPoint(name, "after-commit");
  for (const resolve::ResolvedStep& step : batch.steps) {
    FaultPoint(name, "after-" + StepName(*step.step));
  }
  return Status::Ok();
}

Status Executor::RunEach(PhaseKind phase, const resolve::ResolvedBatch& batch) {
  const std::string name(plans::PhaseName(phase));
  for (const resolve::ResolvedStep& step : batch.steps) {
    const std::string step_name = StepName(*step.step);
    FaultPoint(name, "before-" + step_name);
    size_t last_sql = step.actions.size();
    size_t statements = 0;
    for (size_t i = 0; i < step.actions.size(); ++i) {
      if (step.actions[i].kind == Action::Kind::kSql) {
        last_sql = i;
        ++statements;
      }
    }
    for (size_t i = 0; i < step.actions.size(); ++i) {
      const Action& a = step.actions[i];
      if (Interrupted()) {
        return Status(StatusCode::kInterrupted,
                      name + " interrupted between two statements; what ran is journaled and "
                             "the phase resumes from there when re-run");
      }
      switch (a.kind) {
        case Action::Kind::kSql: {
          if (i == last_sql && statements > 1) {
            FaultPoint(name, "before-last-" + step_name);
          }
          BGPLAN_RETURN_IF_ERROR(backend_->lock->Refresh(session_));
          if (a.changes && !journal_ensured_) {
            // The run row goes in the journal before the first write (a crash leaves a run).
            BGPLAN_RETURN_IF_ERROR(backend_->journal->Ensure(session_));
            journal_ensured_ = true;
          }
          sink_.Emit({"statement", a.deployment, "  " + a.sql, {{"sql", a.sql}, {"phase", name}}});
          Status st = session_.Exec(a.sql);
          if (!st.ok()) {
            return Status(st.code(), name + " failed: " + st.message(), st.sqlstate());
          }
          break;
        }
        case Action::Kind::kJournal:
          BGPLAN_RETURN_IF_ERROR(backend_->lock->Refresh(session_));
          BGPLAN_RETURN_IF_ERROR(WriteJournal(*a.journal));
          break;
        case Action::Kind::kAwait:
          BGPLAN_RETURN_IF_ERROR(Await(a.deployments));
          break;
        case Action::Kind::kExpectId: {
          BGPLAN_ASSIGN_OR_RETURN(std::string now, backend_->CurrentId(session_, *a.identity));
          // Gone since the check: the DROP ... IF EXISTS that follows changes nothing.
          if (!now.empty() && now != a.identity->id) {
            const std::string object = a.identity->Describe();
            Diagnose({{DiagKind::kCleanupIdMismatch, a.deployment, step.step->origin,
                       object + " was replaced since the phase was checked: the name now holds "
                                "id " + now + "; bgplan drops only what its journal recorded, so it stops here",
                       {object}}},
                     Severity::kError);
            return Status(StatusCode::kPrecondition,
                          name + ": cleanup-id-mismatch just before a drop; nothing more was "
                                 "dropped (what ran before is journaled)");
          }
          FaultPoint(name, "after-id-check");
          break;
        }
        default:
          break;
      }
    }
    FaultPoint(name, "after-" + step_name);
    if (step.step->kind == plans::StepKind::kJournal) {
      FaultPoint(name, "after-" + step.step->rule);
    }
  }
  return Status::Ok();
}

std::vector<const plans::Deployment*> Executor::Deployments(
    const std::vector<std::string>& names) const {
  std::vector<const plans::Deployment*> out;
  for (const std::string& name : names) {
    if (const plans::Deployment* d = plan_.FindDeployment(name); d != nullptr) {
      out.push_back(d);
    }
  }
  return out;
}

Status Executor::Await(const std::vector<std::string>& deployments) {
  return AwaitReady(session_, *backend_->readiness, *backend_->lock, Deployments(deployments),
                    options_.tolerate_failing, sink_);
}

Result<PhaseKind> Executor::NextPhase() {
  BGPLAN_ASSIGN_OR_RETURN(resolve::Snapshot snap, Read());
  bool any_absent = false, any_initialized = false;
  for (const resolve::DeploymentFacts& f : snap.deployments) {
    any_absent = any_absent || f.state == resolve::DeployState::kAbsent;
    any_initialized = any_initialized || f.state == resolve::DeployState::kInitialized ||
                      f.state == resolve::DeployState::kRolledBack;
  }
  return any_absent ? PhaseKind::kInit : any_initialized ? PhaseKind::kPromote : PhaseKind::kCleanup;
}

resolve::ResolveOptions Executor::ResolveOptionsFor(const std::string& fingerprint,
                                                    bool planning) const {
  resolve::ResolveOptions ro;
  ro.overrides = options_.overrides;
  ro.journal_schema = options_.journal_schema;
  ro.git_commit = options_.git_commit;
  ro.host = Hostname();
  ro.now = planning ? "<time>" : UtcSeconds();
  ro.fingerprint = fingerprint;
  if (planning) {
    ro.new_run_id = [](const std::string& deployment) { return deployment + "-<new run>"; };
  }
  return ro;
}

Result<resolve::ResolvedPhase> Executor::Resolve(PhaseKind phase) {
  const plans::Phase* plan_phase = plan_.FindPhase(phase);
  if (plan_phase == nullptr) {
    return Status::Internal("the plan has no phase " + std::string(plans::PhaseName(phase)));
  }
  BGPLAN_ASSIGN_OR_RETURN(resolve::Snapshot snap, Read());
  return resolve::Resolver::ResolvePhase(plan_, *plan_phase, snap,
                                         ResolveOptionsFor(resolve::Fingerprint(snap, phase),
                                                           false));
}

Result<std::vector<std::string>> Executor::TransactionStatements(
    const resolve::ResolvedBatch& batch) {
  std::vector<std::string> statements = batch.prologue;
  for (const resolve::ResolvedStep& step : batch.steps) {
    for (const Action& a : step.actions) {
      if (a.kind == Action::Kind::kSql) {
        statements.push_back(a.sql);
      } else if (a.kind == Action::Kind::kJournal) {
        BGPLAN_ASSIGN_OR_RETURN(std::vector<std::string> sql,
                                backend_->journal->Statements(session_, *a.journal));
        statements.insert(statements.end(), sql.begin(), sql.end());
      }
    }
  }
  return statements;
}

std::string Executor::Render(const resolve::ResolvedPhase& resolved) {
  resolve::LiveText live;
  live.journal_sql = [this](const resolve::JournalOp& op) {
    Result<std::vector<std::string>> statements = backend_->journal->Statements(session_, op);
    return statements.ok() ? *statements
                           : std::vector<std::string>{
                                 "-- (" + sql::CommentSafe(statements.status().message()) + ")"};
  };
  live.await_query = [this](const std::vector<std::string>& deployments) {
    return backend_->readiness->Query(Deployments(deployments));
  };
  return resolve::RenderResolved(plan_, resolved, live);
}

Result<std::string> Executor::Fingerprint(PhaseKind phase) {
  BGPLAN_ASSIGN_OR_RETURN(resolve::Snapshot snap, Read());
  return resolve::Fingerprint(snap, phase);
}

}  // namespace bgplan::runtime
