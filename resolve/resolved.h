// What resolution produces: for each step of a phase, the actions that carry it out (exact
// statements, journal writes, a readiness wait) or, offline, how they will be decided; and for
// each live rule that fails, a violation. The same actions are printed by `compile`, `plan` and
// `--dry-run` (resolve/render.h) and run by the executor (runtime/execute).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "plans/plan.h"
#include "resolve/snapshot.h"
#include "support/diagnostic.h"

namespace bgplan::resolve {

// A live-rule failure, with the objects involved in the message.
struct Violation {
  DiagKind kind = DiagKind::kNotOwner;
  std::string deployment;
  SourceRange origin;
  std::string message;
  // The objects the rule found ("table marts.events_raw"), also named in the message.
  std::vector<std::string> objects;
};

// A write to the journal (schema --journal-schema), carried out by the dialect's journal
// (runtime/journal): journal writes never decide correctness, the ids they record do.
struct JournalOp {
  enum class Kind {
    kStartRun,   // a new run row (phase `phase`), before the run's first write
    kRecordIds,  // the ids now under each name of `objects` (read when the write runs)
    kSetPhase,   // the run's phase (and status when not empty); "promoted" stamps the time
    kEvent,      // one event row
  };
  Kind kind = Kind::kEvent;
  std::string deployment;
  std::string run_id;
  std::string phase;    // kStartRun, kSetPhase: the run's phase; kEvent: the bgplan phase
  std::string status;   // kSetPhase: "" keeps it
  std::string type;     // kEvent
  std::string message;  // kEvent
  // kStartRun
  std::string actor, host, git_commit, fingerprint;
  // kRecordIds: names only (ids are read when the write runs)
  std::vector<RecordedObject> objects;

  // One line for people: "journal: <what> (run <id>)".
  std::string Describe() const;
};

// One thing a step does.
struct Action {
  enum class Kind {
    kSql,      // an exact statement
    kJournal,  // a journal write
    kAwait,    // wait until the step's green side is ready (the dialect's readiness query)
    kPending,  // offline: statements decided at apply time; `lines` say how
    kCheck,    // offline: a read-only check; `lines` say what it verifies
    kNote,     // a remark for people (a comment line when printed), e.g. what was skipped
    kExpectId, // a read-only identity check just before the next statement (`identity`)
    kValidate, // one user check of a `validate` block (`validation`), run before any write
  };
  // kExpectId: where DDL is not transactional (Materialize), the object under `name` must still
  // have `id` right before the statement that follows (a DROP): else cleanup-id-mismatch stops
  // the phase, and nothing more is dropped.
  struct Identity {
    plans::ObjectKind kind = plans::ObjectKind::kSchema;
    std::string database;  // schemas: the resolved database
    std::string name;
    std::string id;
    // "schema 'db.x' (id u12)"
    std::string Describe() const;
  };
  Kind kind = Kind::kSql;
  std::string sql;                 // kSql
  std::optional<JournalOp> journal;  // kJournal (optional: most actions carry none, and moving
                                     // an engaged JournalOp costs ten strings)
  std::vector<std::string> lines;  // kPending, kCheck, kNote: comment text, comment-safe
  std::optional<Identity> identity;  // kExpectId
  // kValidate: an exact read-only query against green. An assert must return one row with one
  // column, true; a row count returns (blue count, green count), which may differ by at most
  // `max_change_pct` percent of blue's.
  struct Validation {
    std::string name;  // the assert's name, or "row_count_change <green relation>"
    std::string sql;
    std::optional<int64_t> max_change_pct;
    SourceRange origin;
  };
  std::optional<Validation> validation;
  // kSql: false when it would change nothing (DROP ... IF EXISTS of an absent object).
  bool changes = true;
  // The deployment the action is for ("" for several).
  std::string deployment;
  // kAwait: the deployments whose green side is waited for.
  std::vector<std::string> deployments;
  // PostgreSQL: the view a statement re-creates (0 otherwise), to name who holds its locks.
  uint32_t view_oid = 0;
};

// Receives a step's actions as they are resolved (the renderer writes them out at once, the
// executor keeps them).
class ActionSink {
 public:
  virtual ~ActionSink() = default;
  virtual void Add(Action action) = 0;
};

struct ResolvedStep {
  const plans::Step* step = nullptr;
  std::vector<Action> actions;
};

struct ResolvedBatch {
  const plans::Batch* batch = nullptr;  // the plan's batch
  plans::Batch::Mode mode = plans::Batch::Mode::kEach;
  // Statements that open a transaction batch after BEGIN (PostgreSQL's swap: SET LOCAL
  // lock_timeout and search_path); sql::TransactionPrologue decides them.
  std::vector<std::string> prologue;
  std::vector<ResolvedStep> steps;
  // True if any action writes (a statement that changes something, or a journal write).
  bool HasWrites() const;
};

// Counts for `plan`'s summary.
struct Summary {
  int schemas_created = 0;
  int clusters_created = 0;
  int grants_copied = 0;
  int default_privileges_copied = 0;
  // One line per sink re-pointed (Materialize: "sink s.k reads m.v") or view re-created
  // (PostgreSQL: "view r.v re-created, reads m.v"), schema-qualified; its size is the count.
  std::vector<std::string> repointed;
  int dependents = 0;
  int dropped = 0;
};

struct ResolvedPhase {
  plans::PhaseKind kind = plans::PhaseKind::kInit;
  std::vector<ResolvedBatch> batches;
  std::vector<Violation> violations;
  // Warnings of the live rules that never fail a phase (state-not-carried): reported, then the
  // phase runs.
  std::vector<Violation> warnings;
  // For people: what is skipped and why ("deployment 'a' is already promoted: nothing to do"),
  // and warnings.
  std::vector<std::string> notes;
  // The deployments the phase acts on (their state allows it and there is work).
  std::vector<std::string> acting;
  // The rules the phase's checks evaluated, in order (for the compile-vs-run test and `plan`).
  std::vector<std::string> rules;
  Summary summary;

  // True if any batch writes.
  bool HasWrites() const;
  // True if a statement changes the deployment's objects (journal writes alone do not): what
  // `plan --detailed-exitcode` reports as changes.
  bool HasChanges() const;
};

}  // namespace bgplan::resolve
