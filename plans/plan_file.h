// Plan files (`bgplan plan -o PLAN.json`): a compiled plan bound to the .bgplan text it was
// compiled from, the resolved SQL of each phase that was planned, and the fingerprint of the
// catalog facts each of those phases was resolved against. A phase run from a plan file needs its
// fingerprint there and refuses with stale-plan when the catalog changed; the reader compiles the
// carried source again, so the plan passes every static rule of a .bgplan and a plan that differs
// from its source is refused. A checksum over the whole content catches edits by hand. Passwords
// never appear in it (the URL is redacted).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "support/status.h"
#include "plans/plan.h"

namespace bgplan::plans {

// The version written in "format"; the reader refuses any other.
inline constexpr std::string_view kPlanFileFormat = "bgplan-plan-file/2";

struct PlanFile {
  Plan plan;
  // The .bgplan the plan was compiled from: its display name and its whole text.
  std::string source_name;
  std::string source_text;
  // How it was compiled: --target ("" = the file's own), --deployment (empty = all),
  // --disable-pass.
  std::string target_override;
  std::vector<std::string> deployments;
  std::vector<std::string> disabled_passes;
  // Connection the plan was made against, password redacted.
  std::string url;
  // Phase name -> fingerprint / resolved SQL, for each phase that was planned.
  std::map<std::string, std::string> fingerprints;
  std::map<std::string, std::string> sql;
};

// True if `path` looks like a plan file (ends in .json).
bool IsPlanFilePath(const std::string& path);

// The file's JSON text, with "content_sha256": the SHA-256 of the rest of the document in
// canonical form (keys sorted, no whitespace).
std::string PlanFileToJson(const PlanFile& file);
// Parses a plan file. kInvalidArgument, naming the problem, when it is not a plan file of this
// format, is nested deeper than plans::kMaxJsonDepth, its checksum does not match its content, a
// field is missing or has the wrong type, a phase is named twice or is unknown, or the plan
// breaks an IR invariant.
Result<PlanFile> PlanFileFromJson(std::string_view text);
// Reads at most kMaxPlanFileBytes of `path` and parses it.
Result<PlanFile> ReadPlanFile(const std::string& path);

}  // namespace bgplan::plans
