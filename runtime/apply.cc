// Executor commands built on RunPhase: apply (with --deploy-cmd), status and plan.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>

#include "sql/quote.h"
#include "plans/deploy_env.h"
#include "runtime/conninfo.h"
#include "runtime/executor.h"
#include "runtime/fault.h"
#include "runtime/interrupt.h"
#include "runtime/lock.h"

namespace bgplan::runtime {

namespace {

std::string Join(const std::vector<std::string>& items, const std::string& sep) {
  std::string s;
  for (size_t i = 0; i < items.size(); ++i) {
    s += (i ? sep : "") + items[i];
  }
  return s;
}

}  // namespace

Status Executor::RunDeployCmd(const std::string& cmd) {
  std::vector<std::pair<std::string, std::string>> env =
      plans::DeployEnvironment(plan_, selected_);
  std::vector<std::string> greens;
  for (const auto& d : plan_.deployments) {
    if (std::find(selected_.begin(), selected_.end(), d.name) != selected_.end()) {
      for (const auto& p : d.schemas) {
        greens.push_back(p.green);
      }
    }
  }
  const std::string names = Join(selected_, ",");
  // psql and dbt read the PG* variables; BGPLAN_URL never carries the password.
  std::string host = session_.Host();
  std::string url = "postgresql://" + PercentEncodeUser(session_.User()) + "@" +
                    (host.find('/') == 0 ? std::string("") : host) + ":" + session_.Port() + "/" +
                    PercentEncodeUser(session_.Database());
  if (host.find('/') == 0) {
    url += "?host=" + PercentEncodeUser(host);
  }
  env.push_back({"BGPLAN_URL", url});
  env.push_back({"PGHOST", host});
  env.push_back({"PGPORT", session_.Port()});
  env.push_back({"PGUSER", session_.User()});
  env.push_back({"PGDATABASE", session_.Database()});
  if (!options_.password.empty()) {
    env.push_back({"PGPASSWORD", options_.password});
  }
  sink_.Emit({"deploy-cmd",
              names,
              "deploy: running `" + cmd + "` to put the new code into " + Join(greens, ", "),
              {{"command", cmd}, {"state", "started"}}});
  std::fflush(nullptr);
  pid_t pid = fork();
  if (pid < 0) {
    return Status::Internal("fork failed");
  }
  if (pid == 0) {
    UnblockSignalsInChild();
    signal(SIGPIPE, SIG_DFL);
    setpgid(0, 0);
    for (const auto& [k, v] : env) {
      setenv(k.c_str(), v.c_str(), 1);
    }
    // In JSON mode stdout carries only events: the command's output goes to stderr.
    if (sink_.options().json) {
      dup2(2, 1);
    }
    execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  for (;;) {
    pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) {
      break;
    }
    if (Interrupted()) {
      kill(-pid, SIGTERM);
      waitpid(pid, &status, 0);
      return Status(StatusCode::kInterrupted,
                    "interrupted while the deploy command ran; green is not promoted; re-run "
                    "apply to continue");
    }
    InterruptibleSleep(20);
  }
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  if (code != 0) {
    return Status(StatusCode::kDatabaseError,
                  "deploy command `" + cmd + "` failed with exit status " + std::to_string(code) +
                      "; stopped before await, nothing was promoted");
  }
  sink_.Emit({"deploy-cmd",
              names,
              "deploy: the command succeeded",
              {{"command", cmd}, {"state", "done"}}});
  return Status::Ok();
}

Status Executor::BreakLock(bool force) {
  BGPLAN_ASSIGN_OR_RETURN(ServerInfo info, ReadServerInfo(session_));
  for (const std::string& d : selected_) {
    BGPLAN_ASSIGN_OR_RETURN(LockHolder holder, FindLockHolder(session_, info.database, d));
    if (holder.pid == 0) {
      sink_.Emit({"lock", d, "deployment '" + d + "' is not locked", {{"state", "free"}}});
      continue;
    }
    if (!force) {
      return Status(StatusCode::kLocked,
                    "deployment '" + d + "' is locked and its holder is still connected: " +
                        holder.Describe() + "; use --force to terminate that session");
    }
    BGPLAN_RETURN_IF_ERROR(
        session_.Exec("SELECT pg_terminate_backend(" + std::to_string(holder.pid) + ")"));
    sink_.Emit({"lock",
                d,
                "deployment '" + d + "': terminated the session that held the lock (" +
                    holder.Describe() + ")",
                {{"state", "broken"}, {"pid", std::to_string(holder.pid)}}});
  }
  return Status::Ok();
}

Result<plans::PhaseKind> Executor::NextPhase() {
  BGPLAN_ASSIGN_OR_RETURN(Facts facts, ReadFacts(session_, plan_, selected_, options_));
  bool any_absent = false;
  bool any_initialized = false;
  for (const DeploymentFacts& df : facts.deployments) {
    any_absent = any_absent || df.state == DeployState::kAbsent;
    any_initialized = any_initialized || df.state == DeployState::kInitialized ||
                      df.state == DeployState::kRolledBack;
  }
  return any_absent        ? plans::PhaseKind::kInit
         : any_initialized ? plans::PhaseKind::kPromote
                           : plans::PhaseKind::kCleanup;
}

Status Executor::Apply(const std::string& deploy_cmd, bool through_cleanup) {
  BGPLAN_ASSIGN_OR_RETURN(Facts facts, ReadFacts(session_, plan_, selected_, options_));
  bool any_absent = false;
  bool all_promoted = true;
  for (const DeploymentFacts& df : facts.deployments) {
    any_absent = any_absent || df.state == DeployState::kAbsent;
    all_promoted = all_promoted && df.state == DeployState::kPromoted;
    sink_.Emit(
        {"state",
         df.deployment->name,
         "deployment '" + df.deployment->name + "' is " + std::string(DeployStateName(df.state)) +
             (df.run ? " (run " + df.run->id + ", journal phase " + df.run->phase + ")" : ""),
         {{"state", std::string(DeployStateName(df.state))}}});
  }
  if (!all_promoted) {
    if (any_absent) {
      BGPLAN_RETURN_IF_ERROR(RunPhase(plans::PhaseKind::kInit));
      FaultPoint("apply", "after-init");
      if (options_.dry_run) {
        Note("",
             "apply (dry run): the deploy command, await and promote are resolved once init "
             "has run; nothing was changed");
        return Status::Ok();
      }
    }
    if (!deploy_cmd.empty()) {
      BGPLAN_ASSIGN_OR_RETURN(facts, ReadFacts(session_, plan_, selected_, options_));
      bool need = false;
      for (const DeploymentFacts& df : facts.deployments) {
        need = need || options_.dry_run ||
               (df.run && (df.run->phase == "initialized" || df.run->phase == "rolled_back"));
      }
      if (!need) {
        sink_.Emit({"deploy-cmd", "", "deploy: already done for this run (journal); skipped", {}});
      } else if (options_.dry_run) {
        sink_.Emit({"deploy-cmd", "", "deploy (dry run): would run `" + deploy_cmd + "`", {}});
      } else {
        BGPLAN_RETURN_IF_ERROR(RunDeployCmd(deploy_cmd));
        Journal journal(options_.journal_schema);
        std::string sql = "BEGIN;\n";
        for (const DeploymentFacts& df : facts.deployments) {
          if (df.run) {
            sql += journal.UpdatePhaseSql(df.run->id, "deployed") + "\n" +
                   journal.EventSql(df.run->id, df.deployment->name, "deploy", "deployed",
                                    "deploy command succeeded") +
                   "\n";
          }
        }
        BGPLAN_RETURN_IF_ERROR(session_.Exec(sql + "COMMIT;"));
        FaultPoint("apply", "after-deploy-cmd");
      }
    }
    if (!options_.dry_run) {
      BGPLAN_RETURN_IF_ERROR(RunPhase(plans::PhaseKind::kAwait));
      FaultPoint("apply", "after-await");
    }
    BGPLAN_RETURN_IF_ERROR(RunPhase(plans::PhaseKind::kPromote));
    FaultPoint("apply", "after-promote");
  } else {
    Note("", "already promoted");
  }
  if (through_cleanup) {
    BGPLAN_RETURN_IF_ERROR(RunPhase(plans::PhaseKind::kCleanup));
  }
  return Status::Ok();
}

Status Executor::PrintStatus() {
  BGPLAN_ASSIGN_OR_RETURN(Facts facts, ReadFacts(session_, plan_, selected_, options_));
  Journal journal(options_.journal_schema);
  std::string text;
  for (const DeploymentFacts& df : facts.deployments) {
    const plans::Deployment& d = *df.deployment;
    std::string state(DeployStateName(df.state));
    std::string phase = df.run ? df.run->phase : "";
    if (df.state == DeployState::kAbsent) {
      BGPLAN_ASSIGN_OR_RETURN(std::optional<RunRecord> latest, journal.ActiveRun(session_, d.name));
      if (facts.journal_exists) {
        BGPLAN_ASSIGN_OR_RETURN(latest, journal.LatestRun(session_, d.name));
      }
      if (latest && latest->status == "finished") {
        state = "finished";
        phase = latest->phase;
      }
    }
    bool ready = true;
    std::vector<std::string> hydrating;
    for (const PairFacts& p : df.pairs) {
      for (const auto& m : p.green.unpopulated_matviews) {
        hydrating.push_back(p.pair.green + "." + m);
      }
    }
    ready = hydrating.empty();
    text += "deployment " + d.name + ": " + state;
    if (df.run) {
      text += " (run " + df.run->id + ", journal phase " + df.run->phase + ", by " + df.run->actor +
              "@" + df.run->host + " since " + df.run->started_at + ")";
    }
    text += "\n";
    std::map<std::string, std::string> fields = {
        {"state", state}, {"phase", phase}, {"run", df.run ? df.run->id : ""}};
    for (size_t i = 0; i < df.pairs.size(); ++i) {
      const PairFacts& p = df.pairs[i];
      std::string which;
      if (df.run) {
        for (const auto& rec : df.run->pairs) {
          if (rec.blue == p.pair.blue) {
            which = p.blue.oid == rec.green_oid ? " (new code, from green)" : " (original)";
          }
        }
      }
      text += "  schema " + p.pair.blue + ": oid " +
              (p.blue.exists ? std::to_string(p.blue.oid) : "absent") + which + "; green " +
              p.pair.green + ": " +
              (p.green.exists ? "oid " + std::to_string(p.green.oid) + ", " +
                                    std::to_string(p.green.object_count) + " objects"
                              : "absent") +
              "\n";
      fields["schema." + p.pair.blue + ".oid"] = std::to_string(p.blue.oid);
      fields["schema." + p.pair.green + ".oid"] = std::to_string(p.green.oid);
    }
    if (df.state != DeployState::kAbsent) {
      text += std::string("  readiness: ") +
              (ready ? "ready" : "hydrating (" + Join(hydrating, ", ") + ")") + "\n";
    }
    fields["ready"] = ready ? "true" : "false";
    for (const SinkView& v : df.sink_views) {
      text +=
          "  sink view " + v.schema + "." + v.name + " reads " + Join(v.references, ", ") + "\n";
    }
    for (const Dependent& o : df.orphans) {
      text += "  dependent (not a sink): " + o.description + "\n";
    }
    BGPLAN_ASSIGN_OR_RETURN(std::vector<JournalEvent> events, journal.Events(session_, d.name, 10));
    if (!events.empty()) {
      text += "  history:\n";
      for (const JournalEvent& e : events) {
        text += "    " + e.at + "  " + e.phase + ": " + e.type + " - " + e.message + "\n";
      }
    }
    if (sink_.options().json) {
      sink_.Emit({"status", d.name, "", fields});
    }
  }
  if (!sink_.options().json) {
    sink_.Product("status", "", text);
  }
  return Status::Ok();
}

Status Executor::PrintPlan(const std::vector<plans::PhaseKind>& phases, bool* has_changes,
                           std::vector<std::pair<std::string, std::string>>* fingerprints,
                           std::vector<std::pair<std::string, std::string>>* sql) {
  BGPLAN_ASSIGN_OR_RETURN(Facts facts, ReadFacts(session_, plan_, selected_, options_));
  *has_changes = false;
  std::string text;
  Status result;
  for (plans::PhaseKind phase : phases) {
    std::string name(plans::PhaseName(phase));
    ResolvedPhase r = Resolve(plan_, facts, phase, options_);
    if (fingerprints != nullptr) {
      fingerprints->push_back({name, r.fingerprint});
    }
    if (!r.violations.empty()) {
      Status st = ReportViolations(r);
      if (result.ok()) {
        result = st;
      }
      continue;
    }
    text += "-- phase " + name + "\n";
    for (const std::string& n : r.notes) {
      text += "-- " + n + "\n";
    }
    if (phase == plans::PhaseKind::kAwait) {
      text +=
          "-- await: poll pg_matviews.ispopulated of the green schemas until every "
          "materialized view is populated\n";
    }
    text += r.TransactionText();
    if (!r.statements.empty()) {
      *has_changes = true;
      text += "-- summary: " + std::to_string(r.schemas_created) + " schema(s) created, " +
              std::to_string(r.grants_copied) + " grant(s) and " +
              std::to_string(r.default_privileges_copied) + " default privilege(s) copied, " +
              std::to_string(r.sinks_repointed) + " sink view(s) re-pointed, " +
              std::to_string(r.dependents) +
              " other dependent(s); green capacity: no clusters on PostgreSQL\n";
    }
    text += "\n";
    if (sql != nullptr) {
      sql->push_back({name, r.TransactionText()});
    }
  }
  sink_.Product("plan", "", text);
  return result;
}

}  // namespace bgplan::runtime
