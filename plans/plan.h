// The intermediate plan (IR) shared by the compiler and the runtime: deployments with their
// blue/green object pairs and settings, and the phases (init, await, promote, rollback, cleanup)
// as ordered batches of steps. Built by compiler/lower, checked and optimized by compiler/passes,
// resolved step by step by resolve/ (docs/architecture.md): printed by `compile` and `plan`,
// executed by runtime/execute.
// Names here are final: folded (unquoted) or exact (quoted), never quoted or escaped.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "support/source.h"

namespace bgplan::plans {

enum class Target { kMaterialize, kPostgres };
std::string_view TargetName(Target target);

struct SchemaPair {
  // Database of the schema; "" means the connection's database.
  std::string database;
  std::string blue;
  std::string green;
  SourceRange origin;
};

// `cluster X { ... }`: how green differs from an exact clone of blue. Unset = as blue has it.
// Durations are in milliseconds.
struct ClusterSettings {
  std::optional<std::string> size;
  std::optional<int64_t> replication_factor;
  std::optional<int64_t> introspection_interval_ms;  // 0 = introspection off
  std::optional<bool> introspection_debugging;
  // The green-only hydration burst: green gets AUTO SCALING STRATEGY = (ON HYDRATION
  // (HYDRATION SIZE = hydration_size[, LINGER DURATION = linger])); promote gives the cluster
  // blue's own strategy back (or none) before the swap.
  std::optional<std::string> hydration_size;
  std::optional<int64_t> linger_ms;

  bool operator==(const ClusterSettings&) const = default;
};

struct ClusterPair {
  std::string blue;
  std::string green;
  // From the `cluster X { }` block naming blue (ClusterOverride).
  ClusterSettings settings;
  SourceRange origin;
};

struct SinkSchema {
  std::string database;  // "" = the connection's database
  std::string name;
  SourceRange origin;
};

struct SinkCluster {
  std::string name;
  SourceRange origin;
};

// A `cluster X { ... }` block as written, kept so that validation can report a block naming a
// cluster that is not in `clusters` (unknown-cluster-override) or a cluster block under
// `target postgres`. Lowering also copies the settings into the matching ClusterPair.
struct ClusterOverride {
  std::string name;
  ClusterSettings settings;
  // The cluster name in the `cluster X {` line.
  SourceRange origin;
};

// Durations are in milliseconds.
struct AwaitSettings {
  int64_t poll_interval_ms = 15'000;
  int64_t lag_threshold_ms = 1'000;
  int64_t timeout_ms = 24LL * 3600 * 1000;
  int64_t stable_for_ms = 0;
  // `compare_to_blue true`: a green object with a namesake in blue (same schema pair, name and
  // type) is caught up when its lag is at most lag_threshold more than the namesake's, instead
  // of at most lag_threshold (a blue that always lags some minutes never passes that).
  bool compare_to_blue = false;
};

struct PromoteSettings {
  bool wait = false;
  int64_t max_retries = 3;
  int64_t retry_backoff_ms = 1'000;
  int64_t lock_timeout_ms = 5'000;
};

struct CleanupSettings {
  int64_t keep_blue_ms = 0;
};

// `assert NAME 'SQL';` of a `validate` block: the query must return one row with one boolean
// column, true. `{schema}` placeholders (plans/validation.h) name blue schemas of the deployment
// and are replaced by the quoted green name when resolved.
struct ValidationAssert {
  std::string name;
  std::string sql;     // as written (the string's value), placeholders unreplaced
  SourceRange origin;  // the assert's name
  SourceRange sql_origin;  // the SQL string literal
  bool operator==(const ValidationAssert&) const = default;
};

// `validate { assert ...; row_count_change N; }`: the user's checks, run against green before
// the swap (promote, apply) and by `bgplan validate`.
struct ValidateSettings {
  std::vector<ValidationAssert> asserts;
  // `row_count_change N`: percent, 0..1000; unset = off. Fails a relation whose row count in
  // green differs from blue's by more than N percent of blue's.
  std::optional<int64_t> row_count_change_pct;
  SourceRange origin;  // the `validate` keyword; invalid when the block is absent
  bool empty() const { return asserts.empty() && !row_count_change_pct.has_value(); }
  bool operator==(const ValidateSettings&) const = default;
};

struct Deployment {
  std::string name;
  SourceRange origin;
  // `database d;` ("" = the connection's database). Unqualified schemas use it.
  std::string database;
  std::string suffix = "_dbt_deploy";
  std::vector<SchemaPair> schemas;
  std::vector<ClusterPair> clusters;
  std::vector<SinkSchema> sink_schemas;
  std::vector<SinkCluster> sink_clusters;
  // Every `cluster X { }` block, in file order (see ClusterOverride).
  std::vector<ClusterOverride> cluster_overrides;
  AwaitSettings await;
  PromoteSettings promote;
  CleanupSettings cleanup;
  ValidateSettings validate;
};

enum class PhaseKind { kInit, kAwait, kPromote, kRollback, kCleanup };
std::string_view PhaseName(PhaseKind phase);
// Parses "init", "await", ... ; false if unknown.
bool ParsePhaseName(std::string_view name, PhaseKind* phase);

enum class ObjectKind { kSchema, kCluster };

// One blue/green object a step acts on, with everything needed to render it.
struct ObjectRef {
  ObjectKind kind = ObjectKind::kSchema;
  std::string deployment;
  std::string database;  // schemas only; "" = the connection's database
  std::string blue;
  std::string green;

  bool operator==(const ObjectRef&) const = default;
};

// The objects a step acts on: an immutable view (offset, size) into a vector of ObjectRefs that
// steps share. Most steps name the same objects as many others (a deployment's 30-odd steps name
// all its objects, its schemas or one of them), so build-phases makes one vector per deployment
// (schemas, then clusters) and every step of that deployment views it or a slice of it; copying a
// Step or an ObjectList copies a pointer, never the objects. The objects are never modified in
// place: a pass that changes a step's objects (dedupe, merge-swaps) gives it a new list.
// Compares by the objects it holds, like the std::vector it replaces; reads like one.
class ObjectList {
 public:
  ObjectList() = default;
  // A list of its own holding `objects` (implicit, so that a fresh vector can be assigned).
  ObjectList(std::vector<ObjectRef> objects);  // NOLINT(google-explicit-constructor)
  ObjectList(std::initializer_list<ObjectRef> objects);

  // The `count` objects from `offset` on, sharing this list's vector (aborts when out of range).
  ObjectList Slice(size_t offset, size_t count) const;

  const ObjectRef* begin() const { return data_; }
  const ObjectRef* end() const { return data_ + size_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const ObjectRef& operator[](size_t i) const { return data_[i]; }
  const ObjectRef& front() const { return data_[0]; }
  const ObjectRef& back() const { return data_[size_ - 1]; }
  // A copy of the objects, to build a changed list from.
  std::vector<ObjectRef> ToVector() const { return {begin(), end()}; }

  bool operator==(const ObjectList& other) const;

 private:
  std::shared_ptr<const std::vector<ObjectRef>> storage_;
  const ObjectRef* data_ = nullptr;  // into *storage_
  size_t size_ = 0;
};

enum class StepKind {
  // Read-only precondition; `rule` names the live rule kind it enforces ("not-owner", ...).
  kCheck,
  kCreateGreenSchema,
  kCopySchemaPrivileges,  // schema grants and default privileges, blue -> green
  kCreateGreenCluster,
  kCopyClusterPrivileges,
  kMarkGreen,     // marker comment naming the deployment run on each green object
  kAwaitReady,    // poll readiness of the green side
  kJournal,       // journal write (`note` says which)
  kSwap,          // exchange the names of each blue/green pair in `objects`
  kRepointSinks,  // Materialize: ALTER SINK ... SET FROM; PostgreSQL: re-create dependent views
  kTagSchemas,    // deployment comment on the (new) production schemas
  kDropGreen,     // DROP ... CASCADE of the objects named by the green names
  kValidate,      // the deployment's `validate` block, read-only, against green (before a swap)
  // Materialize, promote, before the swap: green gets blue's own auto scaling strategy back (or
  // none), ending the green-only hydration burst of `cluster X { hydration_size ...; }`.
  kEndHydrationBurst,
};
std::string_view StepKindName(StepKind kind);

struct Step {
  StepKind kind = StepKind::kCheck;
  // Shared with other steps; see ObjectList.
  ObjectList objects;
  // kCheck: the rule kind ("blue-missing", "not-owner", ...). kJournal: what is recorded
  // ("intent", "swapped", "phase-done"). Empty otherwise.
  std::string rule;
  // kSwap during rollback swaps back; kRepointSinks during rollback points back.
  bool reverse = false;
  SourceRange origin;

  // True if the step changes the database (everything except kCheck and kAwaitReady).
  bool IsWrite() const;
  bool operator==(const Step&) const = default;
};

// Steps sent together. kEach: each statement is its own round trip (autocommit).
// kTransaction: one round trip, BEGIN; ...; COMMIT; atomically.
struct Batch {
  enum class Mode { kEach, kTransaction } mode = Mode::kEach;
  std::vector<Step> steps;

  bool operator==(const Batch&) const = default;
};

struct Phase {
  PhaseKind kind = PhaseKind::kInit;
  std::vector<Batch> batches;

  bool operator==(const Phase&) const = default;
};

struct Plan {
  Target target = Target::kMaterialize;
  // The name in the file's `target` line when it decided `target`; invalid when the target is the
  // default or came from the command line (--target).
  SourceRange target_origin;
  // Display name of the source file.
  std::string source_file;
  std::vector<Deployment> deployments;
  // All five phases, in order init, await, promote, rollback, cleanup.
  std::vector<Phase> phases;
  // SHA-256 hex of the catalog facts a resolved plan was computed from (plans/fingerprint.h);
  // empty for a plan compiled without a database. Carried by the JSON plan file.
  std::string catalog_fingerprint;

  const Phase* FindPhase(PhaseKind kind) const;
  const Deployment* FindDeployment(std::string_view name) const;
};

}  // namespace bgplan::plans
