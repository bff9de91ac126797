// The live commands of the bgplan CLI: their options, help and examples (cli.md). Running one
// loads the live module (cli/live_loader.h) and hands it the parsed options; cli/live_run.cc
// does the rest.
#include "cli/live_commands.h"

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <vector>

#include "cli/live_load.h"
#include "cli/live_options.h"
#include "compiler/driver/compile.h"
#include "plans/plan.h"
#include "resolve/overrides.h"

namespace bgplan::runtime {
namespace {

void AddCommon(CLI::App* cmd, LiveOptions& o, bool writes) {
  cmd->add_option("FILE", o.file, "the .bgplan file, or a plan file written by `bgplan plan -o`")
      ->required();
  cmd->add_option("--url", o.conn.url,
                  "connection string (else BGPLAN_URL, the bgplan.toml profile, libpq's "
                  "environment)")
      // `--url $URL` with URL unset takes the next option as the connection string.
      ->check(CLI::Validator(
          [](const std::string& url) -> std::string {
            return !url.empty() && url[0] == '-'
                       ? "'" + url + "' is an option, not a connection string (is a variable empty?)"
                       : "";
          },
          ""));
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

// The overrides (resolve/overrides.h), each letting one live rule pass: a phase command takes
// those of its phase; plan (to show what the command given the flag would do) and apply take all.
void AddOverrides(CLI::App* cmd, LiveOptions& o, std::optional<plans::PhaseKind> phase) {
  for (const resolve::OverrideSpec& spec : resolve::OverrideSpecs()) {
    std::string phases;
    bool mine = !phase.has_value();
    for (plans::PhaseKind k : spec.phases) {
      phases += std::string(phases.empty() ? "" : " and ") + std::string(plans::PhaseName(k));
      mine = mine || k == *phase;
    }
    if (!mine) {
      continue;
    }
    std::string help(spec.help);
    if (!phase.has_value()) {
      help = phases + ": " + help;
    }
    cmd->add_flag(std::string(spec.flag), o.run.overrides.*spec.field, help)->group("Overrides");
  }
}

}  // namespace

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
                    "init, await, promote, rollback, cleanup, all (each phase against the state "
                    "the ones before it will leave), or next (the default: the phase apply would "
                    "run next; before init it also warns about what would block promote)")
        ->check(CLI::IsMember({"init", "await", "promote", "rollback", "cleanup", "all", "next"}));
    cmd->add_option("-o", o.out, "write a plan file (JSON) carrying the catalog fingerprint");
    cmd->add_flag("--detailed-exitcode", o.detailed_exitcode,
                  "exit 2 when there are changes to apply, 0 when there are none");
    // The overrides of the phase commands, so that a plan shows what the command given the same
    // flag would do (each names the rule it overrides; none skips an identity check).
    AddOverrides(cmd, o, std::nullopt);
    cmd->footer(Example("bgplan plan deploy.bgplan --url postgresql://me@db/prod -o plan.json"));
    cmd->callback([&global, exit_code, &o] { *exit_code = RunLiveCommand("plan", o, global, std::nullopt); });
  }

  struct PhaseCommand {
    const char* name;
    plans::PhaseKind phase;
    const char* help;
    const char* example;
  };
  const PhaseCommand kPhases[] = {
      {"init", plans::PhaseKind::kInit,
       "Create green next to blue: the green schemas (and, on Materialize, the green clusters, "
       "exact clones of blue's), with blue's grants and default privileges, marked as this "
       "run's (PostgreSQL: one transaction; Materialize: statement by statement, journaled)",
       "bgplan init deploy.bgplan --url postgresql://deployer@db/analytics"},
      {"await", plans::PhaseKind::kAwait,
       "Wait until green is ready (PostgreSQL: every materialized view in green is populated)",
       "bgplan await deploy.bgplan --deployment analytics"},
      {"promote", plans::PhaseKind::kPromote,
       "Swap blue and green atomically (one transaction, one round trip: schemas, and clusters "
       "on Materialize), then re-point what follows the swap (Materialize: ALTER SINK ... SET "
       "FROM, one sink at a time; PostgreSQL: the views of the sinks schemas); after a swap "
       "whose cut-over stopped, finish the cut-over",
       "bgplan promote plan.json   # refuses with stale-plan if the catalog changed"},
      {"rollback", plans::PhaseKind::kRollback,
       "Swap back after promote (before cleanup) and re-point the sinks views back",
       "bgplan rollback deploy.bgplan"},
      {"cleanup", plans::PhaseKind::kCleanup,
       "Drop what the green names hold after promote (the old code: schemas, and clusters on "
       "Materialize) once keep_blue has passed, each checked against the id the journal "
       "recorded",
       "bgplan cleanup deploy.bgplan --dry-run\n"
       "  bgplan cleanup deploy.bgplan --when-due   # hourly: exit 0 until keep_blue has passed"},
  };
  for (const PhaseCommand& pc : kPhases) {
    LiveOptions& o = make();
    CLI::App* cmd = app.add_subcommand(pc.name, pc.help);
    AddCommon(cmd, o, true);
    AddDebugging(cmd, o);
    AddOverrides(cmd, o, pc.phase);
    if (pc.phase == plans::PhaseKind::kAwait || pc.phase == plans::PhaseKind::kPromote) {
      cmd->add_flag("--tolerate-failing", o.run.tolerate_failing,
                    "do not stop on a failing cluster (Materialize)");
    }
    if (pc.phase == plans::PhaseKind::kCleanup) {
      cmd->add_flag("--when-due", o.run.when_due,
                    "clean only the promoted deployments whose keep_blue has passed, say when the "
                    "others are due, and exit 0 (for a schedule, e.g. hourly)");
    }
    cmd->footer(Example(pc.example));
    std::string name = pc.name;
    plans::PhaseKind phase = pc.phase;
    cmd->callback([&global, exit_code, &o, name, phase] {
      *exit_code = RunLiveCommand(name, o, global, phase);
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
    cmd->add_option("--validate-cmd", o.validate_cmd,
                    "command run like --deploy-cmd after await and before promote to check green "
                    "(e.g. dbt test); a non-zero exit stops before promote (validation-failed, "
                    "exit 3)");
    cmd->add_option("--through", o.through,
                    "last phase: promote (default) or cleanup (run only once keep_blue has "
                    "passed; before that apply ends at promote, exit 0, saying when cleanup is "
                    "due)")
        ->check(CLI::IsMember({"promote", "cleanup"}));
    AddOverrides(cmd, o, std::nullopt);
    cmd->add_flag("--tolerate-failing", o.run.tolerate_failing, "see await");
    cmd->add_flag("--redeploy", o.run.redeploy,
                  "run the deploy command again although the journal says it ran for this run "
                  "(before promote)");
    cmd->footer(Example(
        "bgplan apply deploy.bgplan --deploy-cmd 'psql -v green=$BGPLAN_GREEN_MARTS -f new.sql' "
        "--validate-cmd 'psql -v ON_ERROR_STOP=1 -f checks.sql'"));
    cmd->callback([&global, exit_code, &o] { *exit_code = RunLiveCommand("apply", o, global, std::nullopt); });
  }

  {
    LiveOptions& o = make();
    CLI::App* cmd = app.add_subcommand(
        "validate",
        "Check green before the cut-over: promote's rules (incompatible-upstream included) and "
        "the checks of each `validate` block, against green, without swapping (read-only)");
    AddCommon(cmd, o, false);
    AddOverrides(cmd, o, plans::PhaseKind::kPromote);
    cmd->footer(Example("bgplan validate deploy.bgplan --url postgresql://me@db/prod\n"
                        "  exit 0: promote would pass its rules and checks; 3: what fails, "
                        "every check with its query and what it returned"));
    cmd->callback([&global, exit_code, &o] {
      *exit_code = RunLiveCommand("validate", o, global, std::nullopt);
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
    cmd->callback([&global, exit_code, &o] { *exit_code = RunLiveCommand("status", o, global, std::nullopt); });
  }

  {
    LiveOptions& o = make();
    CLI::App* cmd = app.add_subcommand(
        "unlock", "Remove a stale deployment lock after confirming its holder is gone");
    AddCommon(cmd, o, false);
    cmd->add_flag("--force", o.break_lock,
                  "terminate the holder's session if it is still connected (PostgreSQL releases "
                  "the lock with it)");
    cmd->footer(Example("bgplan unlock deploy.bgplan --deployment analytics"));
    cmd->callback([&global, exit_code, &o] { *exit_code = RunLiveCommand("unlock", o, global, std::nullopt); });
  }

  {
    CLI::App* cmd = app.add_subcommand(
        "demo",
        "Start a throwaway local PostgreSQL, run a full blue/green cycle on it from "
        "examples/demo, narrate each step, stop it");
    cmd->fallthrough();
    cmd->footer(Example("bgplan demo"));
    cmd->callback([&global, exit_code] { *exit_code = RunDemoCommand(global); });
  }
}

}  // namespace bgplan::runtime
