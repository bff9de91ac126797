// What the bgplan executable hands to its live commands. The live commands (everything that
// talks to a database) are built into a module of their own, libbgplan_live.so, loaded only when
// one of them runs (cli/live_loader.cc): the offline commands never load libpq and the 30
// libraries it brings in. The module is built from the same sources as the executable in the
// same build, so these structs are shared as they are.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "plans/plan.h"
#include "plans/plan_file.h"
#include "runtime/conninfo.h"
#include "runtime/events.h"
#include "runtime/execute/executor.h"
#include "support/source.h"

namespace bgplan::runtime {

// Options the main program parses once for every command (app-level options; subcommands are
// created with fallthrough so they may appear after the command name).
struct GlobalOptions {
  std::string format = "text";  // "text" | "json" (one object per line on stdout) | "markdown"
  bool quiet = false;
  int verbose = 0;
  bool no_color = false;
};

// The options of one live command, as parsed.
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
  std::string validate_cmd;
  std::string through = "promote";
  // unlock
  bool break_lock = false;
  // Debugging (plan, the phase commands, apply): optimization passes to skip, IR dumps.
  std::vector<std::string> disabled_passes;
  std::string dump_ir_after;
};

inline OutputOptions ToOutput(const GlobalOptions& g) {
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

// One call into the module: `command` is the subcommand's name ("plan", "init", ..., "demo").
// The executable has compiled the plan (`loaded`; null for demo) and checked everything that
// needs no database: the module connects and runs it.
struct LiveCall {
  std::string command;
  LiveOptions* options = nullptr;
  const GlobalOptions* global = nullptr;
  const LoadedPlan* loaded = nullptr;
  std::optional<plans::PhaseKind> phase;
  // Compiles a .bgplan file with the executable's compiler (the demo's plan): the plan, or
  // nullopt after printing its diagnostics.
  std::function<std::optional<plans::Plan>(const std::string& path)> compile;
};

// The module's entry point (cli/live_run.cc): runs the command, returns its exit code.
using LiveMain = int (*)(const LiveCall* call);
inline constexpr const char* kLiveMainSymbol = "bgplan_live_main";
inline constexpr const char* kLiveModule = "libbgplan_live.so";

}  // namespace bgplan::runtime
