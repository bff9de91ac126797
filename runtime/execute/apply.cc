// apply (init -> deploy command -> await -> promote (-> cleanup), resuming from where each
// deployment stands) and the deploy command it runs.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "plans/deploy_env.h"
#include "runtime/conninfo.h"
#include "runtime/execute/backend.h"
#include "runtime/execute/executor.h"
#include "runtime/fault.h"
#include "runtime/interrupt.h"
#include "sql/statements.h"
#include "support/strings.h"

namespace bgplan::runtime {
namespace {

// Connection parameters not handed to the deploy command. The secrets: the password goes only
// through PGPASSWORD (RunOptions::password), sslpassword nowhere. And application_name: the live
// one is bgplan's own (ConninfoForLibpq adds application_name=bgplan), so it is kept out and the
// command names itself (psql, dbt), or takes PGAPPNAME as the user set it in bgplan's environment.
bool Withheld(const std::string& keyword) {
  return keyword == "password" || keyword == "sslpassword" || keyword == "application_name" ||
         keyword == "fallback_application_name";
}

// BGPLAN_URL: postgresql://user@host:port/dbname?keyword=value&... with every parameter of
// `params` that has a value, none withheld (runtime/conninfo.h, ConninfoUrl).
std::string DeployUrl(const std::vector<ConnParam>& params) {
  std::vector<std::pair<std::string, std::string>> options;
  for (const ConnParam& p : params) {
    if (!Withheld(p.keyword) && !p.value.empty()) {
      options.push_back({p.keyword, p.value});
    }
  }
  return ConninfoUrl(options, "postgresql://", /*redact_secrets=*/false);
}

}  // namespace

Status Executor::RunDeployCmd(const std::string& cmd, bool validation) {
  const std::string event = validation ? "validate-cmd" : "deploy-cmd";
  const std::string what = validation ? "validate" : "deploy";
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
  // The whole live connection, so that the command connects as bgplan did (same server, TLS
  // settings, timeouts, options): BGPLAN_URL carries every parameter with a value, and each of
  // them libpq reads from an environment variable is set there too (PGHOST, PGSSLMODE,
  // PGCONNECT_TIMEOUT, PGOPTIONS, ...), for psql and dbt. Such a variable of a parameter the
  // connection leaves at libpq's default is removed, so that a value inherited from bgplan's
  // environment (which the connection string overrode) cannot change the settings. The password
  // goes only through PGPASSWORD, never in BGPLAN_URL or another variable.
  const std::vector<ConnParam> params = session_.ConnectionParameters();
  std::vector<std::string> unset;
  env.push_back({"BGPLAN_URL", DeployUrl(params)});
  for (const ConnParam& p : params) {
    if (Withheld(p.keyword) || p.envvar.empty()) {
      continue;
    }
    if (p.value.empty()) {
      unset.push_back(p.envvar);
    } else {
      env.push_back({p.envvar, p.value});
    }
  }
  if (!options_.password.empty()) {
    env.push_back({"PGPASSWORD", options_.password});
  }
  sink_.Emit({event,
              names,
              what + ": running `" + cmd + "` " +
                  (validation ? "to check" : "to put the new code into") + " " +
                  Join(greens, ", "),
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
    for (const std::string& k : unset) {
      unsetenv(k.c_str());
    }
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
                    "interrupted while the " + what +
                        " command ran; green is not promoted; re-run apply to continue");
    }
    InterruptibleSleep(20);
  }
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  if (code != 0 && validation) {
    // A failed check of green: validation-failed, like the validate block's (exit 3).
    Diagnose({{DiagKind::kValidationFailed, Join(selected_), {},
               "--validate-cmd `" + cmd + "` failed with exit status " + std::to_string(code) +
                   "; stopped before promote, nothing was swapped",
               {cmd}}},
             Severity::kError);
    return Status(StatusCode::kPrecondition,
                  "apply: the validate command failed; nothing was promoted");
  }
  if (code != 0) {
    return Status(StatusCode::kCommandFailed,
                  "deploy command `" + cmd + "` failed with exit status " + std::to_string(code) +
                      "; stopped before await, nothing was promoted");
  }
  sink_.Emit({event,
              names,
              what + ": the command succeeded",
              {{"command", cmd}, {"state", "done"}}});
  return Status::Ok();
}

Status Executor::Apply(const std::string& deploy_cmd, bool through_cleanup,
                       const std::string& validate_cmd) {
  // dbt-materialize's `deploy: true` var always builds into <name>_dbt_deploy: with another
  // suffix a dbt deploy command builds next to green, not into it.
  if (deploy_cmd.find("dbt") != std::string::npos) {
    for (const plans::Deployment& d : plan_.deployments) {
      if (d.suffix != "_dbt_deploy" &&
          (selected_.empty() ||
           std::find(selected_.begin(), selected_.end(), d.name) != selected_.end())) {
        sink_.Emit({"warning", d.name,
                    "deployment '" + d.name + "' uses suffix '" + d.suffix +
                        "', but dbt-materialize's deploy var always builds into "
                        "<name>_dbt_deploy: the deploy command will not build into green (use "
                        "suffix '_dbt_deploy', or target green through $BGPLAN_GREEN_<NAME>)",
                    {{"suffix", d.suffix}}});
      }
    }
  }
  BGPLAN_ASSIGN_OR_RETURN(resolve::Snapshot snap, Read());
  bool any_absent = false;
  bool all_promoted = true;
  for (const resolve::DeploymentFacts& f : snap.deployments) {
    any_absent = any_absent || f.state == resolve::DeployState::kAbsent;
    all_promoted = all_promoted && f.state == resolve::DeployState::kPromoted;
    const std::string state(resolve::DeployStateName(f.state));
    sink_.Emit({"state",
                f.deployment->name,
                "deployment '" + f.deployment->name + "' is " + state +
                    (f.run ? " (run " + f.run->id + ", journal phase " + f.run->phase + ")" : ""),
                {{"state", state}}});
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
      BGPLAN_ASSIGN_OR_RETURN(snap, Read());
      bool need = false;
      for (const resolve::DeploymentFacts& f : snap.deployments) {
        need = need ||
               (f.run && (f.run->phase == "initialized" || f.run->phase == "rolled_back" ||
                          (options_.redeploy && f.state != resolve::DeployState::kPromoted)));
      }
      if (!need) {
        sink_.Emit({"deploy-cmd", "",
                    "deploy: already done for this run (journal); skipped (--redeploy runs it "
                    "again)",
                    {}});
      } else if (options_.dry_run) {
        // What await and promote would do depends on what the command builds into green: a
        // preview from today's green (empty, or the last build) would be wrong, so stop here.
        sink_.Emit({"deploy-cmd", "", "deploy (dry run): would run `" + deploy_cmd + "`", {}});
        Note("",
             "apply (dry run): await and promote are resolved once the deploy command has built "
             "green (preview them then with `bgplan plan`); nothing was changed");
        return Status::Ok();
      } else {
        BGPLAN_RETURN_IF_ERROR(RunDeployCmd(deploy_cmd));
        for (const resolve::DeploymentFacts& f : snap.deployments) {
          if (!f.run) {
            continue;
          }
          resolve::JournalOp phase;
          phase.kind = resolve::JournalOp::Kind::kSetPhase;
          phase.deployment = f.deployment->name;
          phase.run_id = f.run->id;
          phase.phase = "deployed";
          BGPLAN_RETURN_IF_ERROR(WriteJournal(phase));
          resolve::JournalOp event;
          event.kind = resolve::JournalOp::Kind::kEvent;
          event.deployment = f.deployment->name;
          event.run_id = f.run->id;
          event.phase = "deploy";
          event.type = "deployed";
          event.message = "deploy command succeeded";
          BGPLAN_RETURN_IF_ERROR(WriteJournal(event));
        }
        FaultPoint("apply", "after-deploy-cmd");
      }
    }
    if (!options_.dry_run) {
      BGPLAN_RETURN_IF_ERROR(RunPhase(plans::PhaseKind::kAwait));
      FaultPoint("apply", "after-await");
    }
    // The user's own checks of green (e.g. `dbt test`), after await and before promote (which
    // runs the plan's validate block itself, before its swap).
    if (!validate_cmd.empty() && options_.dry_run) {
      sink_.Emit({"validate-cmd", "", "validate (dry run): would run `" + validate_cmd + "`", {}});
    } else if (!validate_cmd.empty()) {
      BGPLAN_RETURN_IF_ERROR(RunDeployCmd(validate_cmd, /*validation=*/true));
    }
  }
  // Promote also finishes a cut-over a crash interrupted after the swap.
  BGPLAN_RETURN_IF_ERROR(RunPhase(plans::PhaseKind::kPromote));
  FaultPoint("apply", "after-promote");
  if (through_cleanup) {
    return CleanupWhenDue();
  }
  return Status::Ok();
}

namespace {

// "2026-12-08 01:00:00 UTC", `ms` from now.
std::string UtcIn(int64_t ms) {
  const std::time_t at = std::time(nullptr) + static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&at, &tm);
  char buf[40];
  std::strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buf;
}

}  // namespace

Status Executor::CleanupWhenDue() {
  BGPLAN_ASSIGN_OR_RETURN(resolve::Snapshot snap, Read());
  std::vector<std::string> due;
  for (const resolve::DeploymentFacts& f : snap.deployments) {
    const plans::Deployment& d = *f.deployment;
    if (f.state != resolve::DeployState::kPromoted || !f.run.has_value()) {
      Note(d.name, "cleanup: not due: deployment '" + d.name + "' is " +
                       std::string(resolve::DeployStateName(f.state)) + ", not promoted");
      continue;
    }
    const int64_t left = d.cleanup.keep_blue_ms - f.run->ms_since_promoted;
    if (f.run->ms_since_promoted >= 0 && left > 0) {
      Note(d.name, "cleanup: not due: keep_blue " + FormatDuration(d.cleanup.keep_blue_ms) +
                       " has not passed since promote; due at " + UtcIn(left) + " (in " +
                       FormatDuration(left - left % 1000 + 1000) +
                       "): run `bgplan cleanup` then, or `bgplan cleanup --when-due` on a schedule");
      continue;
    }
    due.push_back(d.name);
  }
  if (due.empty()) {
    return Status::Ok();
  }
  const std::vector<std::string> all = selected_;
  selected_ = due;
  Status st = RunPhase(plans::PhaseKind::kCleanup);
  selected_ = all;
  return st;
}

}  // namespace bgplan::runtime
