#include "resolve/resolver.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <random>
#include <unordered_map>

#include "resolve/resolver_impl.h"
#include "sql/quote.h"
#include "sql/statements.h"
#include "support/check.h"
#include "support/strings.h"

namespace bgplan::resolve {

using plans::ObjectKind;
using plans::ObjectRef;
using plans::PhaseKind;
using plans::Step;
using plans::StepKind;
using Dep = Resolver::Impl::Dep;

std::string NewRunId(const std::string& deployment) {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%S", &tm);
  std::random_device rd;
  char hex[16];
  std::snprintf(hex, sizeof(hex), "%08x", rd());
  return deployment + "-" + stamp + "-" + hex;
}

static std::string Quoted(const std::string& s) { return "'" + s + "'"; }

// ---- the deployments a phase acts on ---------------------------------------------------------

// What `phase` does with a deployment standing as `f` says (semantics.md section 2), and why
// not when it does nothing. Every phase is idempotent: a phase that already happened does
// nothing; on a dialect without transactional DDL a phase interrupted after its swap finishes
// the steps after it.
static Disposition Decide(PhaseKind phase, const DeploymentFacts& f, bool transactional,
                          std::string* why) {
  const std::string name = Quoted(f.deployment->name);
  const std::string run = f.run ? " (run " + f.run->id + ")" : "";
  switch (phase) {
    case PhaseKind::kInit:
      if (f.state == DeployState::kAbsent || (f.run && f.run->phase == "initializing")) {
        return Disposition::kAct;
      }
      *why = "deployment " + name + " is already initialized" + run + ", " +
             std::string(DeployStateName(f.state)) + ": nothing to do";
      return Disposition::kDone;
    case PhaseKind::kAwait:
      if (f.state == DeployState::kPromoted) {
        *why = "deployment " + name + " is already promoted" + run + ": nothing to await";
        return Disposition::kDone;
      }
      return Disposition::kAct;
    case PhaseKind::kPromote:
      if (f.state == DeployState::kPromoted) {
        *why = "deployment " + name + " is already promoted" + run + ": nothing to do";
        return transactional ? Disposition::kDone : Disposition::kFinish;
      }
      return Disposition::kAct;
    case PhaseKind::kRollback:
      if (f.state != DeployState::kPromoted && f.run &&
          (f.run->phase == "promoted" || f.run->phase == "rolled_back")) {
        *why = "deployment " + name + " is already rolled back" + run + ": nothing to do";
        return transactional ? Disposition::kDone : Disposition::kFinish;
      }
      return Disposition::kAct;  // nothing-to-roll-back decides the rest
    case PhaseKind::kCleanup:
      if (f.state == DeployState::kAbsent) {
        *why = "deployment " + name + " has no active run: nothing to clean up";
        return Disposition::kDone;
      }
      return Disposition::kAct;
  }
  return Disposition::kDone;
}

Resolver::Impl::Impl(const plans::Plan& p, PhaseKind k, const Snapshot& s, ResolveOptions o)
    : plan(p),
      phase(k),
      snapshot(s),
      options(std::move(o)),
      dialect(sql::MakeDialect(p.target)),
      steps(p.target == plans::Target::kMaterialize ? MakeMaterializeSteps()
                                                    : MakePostgresSteps()),
      index(p),
      phrases(*dialect) {
  result.kind = k;
  if (!options.new_run_id) {
    options.new_run_id = NewRunId;
  }
  if (!s.live) {
    return;
  }
  for (const DeploymentFacts& f : s.deployments) {
    Dep d;
    d.facts = &f;
    std::string why;
    d.disposition = Decide(k, f, transactional(), &why);
    if (d.disposition == Disposition::kDone) {
      result.notes.push_back(why);
    } else if (d.disposition == Disposition::kFinish) {
      d.run_id = f.run ? f.run->id : "";
      deps_notes[f.deployment->name] = why;
    }
    if (k == PhaseKind::kInit && d.disposition == Disposition::kAct) {
      for (const PairFacts& pair : f.schemas) {
        if (pair.swap_name_taken) {
          result.notes.push_back("warning: schema " +
                                 Quoted(sql::SwapTempName(pair.pair->blue, *dialect)) +
                                 " exists; promote will refuse (swap-name-taken) until it is "
                                 "renamed or dropped");
        }
      }
    }
    if (d.disposition != Disposition::kDone) {
      if (f.run) {
        d.run_id = f.run->id;
      } else if (k == PhaseKind::kInit || k == PhaseKind::kPromote) {
        // init makes a run; promote --force adopts a green no run created.
        d.run_id = options.new_run_id(f.deployment->name);
        d.new_run = true;
      }
    }
    deps.emplace(f.deployment->name, d);
  }
}

Dep* Resolver::Impl::FindDep(const std::string& name) {
  auto it = deps.find(name);
  return it == deps.end() ? nullptr : &it->second;
}

Dep* Resolver::Impl::Acting(const std::string& name) {
  Dep* d = FindDep(name);
  if (d == nullptr || d->disposition == Disposition::kDone ||
      (d->disposition == Disposition::kFinish && !after_swap)) {
    return nullptr;
  }
  return d;
}

const PairFacts* Resolver::Impl::Pair(const Dep& d, const ObjectRef& o) const {
  for (const PairFacts& p : d.facts->schemas) {
    if (p.pair->blue == o.blue && p.pair->database == o.database) {
      return &p;
    }
  }
  return nullptr;
}

const ClusterPairFacts* Resolver::Impl::ClusterPair(const Dep& d, const ObjectRef& o) const {
  for (const ClusterPairFacts& c : d.facts->clusters) {
    if (c.pair->blue == o.blue) {
      return &c;
    }
  }
  return nullptr;
}

bool Resolver::Impl::SwapsNow(const Dep& d) const { return d.disposition == Disposition::kAct; }

std::string Resolver::Impl::ShownSchema(const std::string& database,
                                        const std::string& name) const {
  return mz() && !database.empty() ? database + "." + name : name;
}

std::string Resolver::Impl::Shown(const SchemaFacts& s) const {
  return ShownSchema(s.database, s.name);
}

// ---- output -----------------------------------------------------------------------------------

void Resolver::Impl::Sql(ActionSink& out, Dep* d, std::string text, bool changes) {
  if (d != nullptr && changes) {
    // Statement by statement, the run row goes in before the first write (a crash leaves a run
    // to resume); in one transaction it goes in with the phase's other journal writes.
    if (!transactional()) {
      StartRunIfNeeded(out, *d);
    }
    d->wrote = true;
  }
  Action a;
  a.kind = Action::Kind::kSql;
  a.sql = std::move(text);
  a.changes = changes;
  a.deployment = d != nullptr ? d->facts->deployment->name : "";
  out.Add(std::move(a));
}

void Resolver::Impl::Journal(ActionSink& out, Dep* d, JournalOp op) {
  if (d != nullptr) {
    d->wrote = true;
  }
  Action a;
  a.kind = Action::Kind::kJournal;
  a.deployment = op.deployment;
  a.journal = std::move(op);
  out.Add(std::move(a));
}

void Resolver::Impl::Pending(ActionSink& out, std::vector<std::string> lines) {
  Action a;
  a.kind = Action::Kind::kPending;
  a.lines = std::move(lines);
  out.Add(std::move(a));
}

void Resolver::Impl::Note(ActionSink& out, std::vector<std::string> lines) {
  Action a;
  a.kind = Action::Kind::kNote;
  a.lines = std::move(lines);
  out.Add(std::move(a));
}

void Resolver::Impl::Violation(DiagKind kind, const plans::Deployment& d, SourceRange origin,
                               std::string message, std::vector<std::string> objects) {
  resolve::Violation v;
  v.kind = kind;
  v.deployment = d.name;
  v.origin = origin.valid() ? origin : d.origin;
  v.message = std::move(message);
  v.objects = std::move(objects);
  result.violations.push_back(std::move(v));
}

void Resolver::Impl::Warning(DiagKind kind, const plans::Deployment& d, SourceRange origin,
                             std::string message, std::vector<std::string> objects) {
  Violation(kind, d, origin, std::move(message), std::move(objects));
  result.warnings.push_back(std::move(result.violations.back()));
  result.violations.pop_back();
}

JournalOp Resolver::Impl::StartRun(const Dep& d, const std::string& phase_name) const {
  JournalOp op;
  op.kind = JournalOp::Kind::kStartRun;
  op.deployment = d.facts->deployment->name;
  op.run_id = d.run_id;
  op.phase = phase_name;
  op.actor = snapshot.server.user;
  op.host = options.host;
  op.git_commit = options.git_commit;
  op.fingerprint = options.fingerprint;
  return op;
}

JournalOp Resolver::Impl::RecordIds(const Dep& d) const {
  JournalOp op;
  op.kind = JournalOp::Kind::kRecordIds;
  op.deployment = d.facts->deployment->name;
  op.run_id = d.run_id;
  for (const PairFacts& p : d.facts->schemas) {
    op.objects.push_back({ObjectKind::kSchema, p.blue.database, p.pair->blue, p.pair->green, "", ""});
  }
  for (const ClusterPairFacts& c : d.facts->clusters) {
    op.objects.push_back({ObjectKind::kCluster, "", c.pair->blue, c.pair->green, "", ""});
  }
  return op;
}

JournalOp Resolver::Impl::SetPhase(const Dep& d, const std::string& phase_name,
                                   const std::string& status) const {
  JournalOp op;
  op.kind = JournalOp::Kind::kSetPhase;
  op.deployment = d.facts->deployment->name;
  op.run_id = d.run_id;
  op.phase = phase_name;
  op.status = status;
  return op;
}

JournalOp Resolver::Impl::Event(const Dep& d, const std::string& type,
                                const std::string& message) const {
  JournalOp op;
  op.kind = JournalOp::Kind::kEvent;
  op.deployment = d.facts->deployment->name;
  op.run_id = d.run_id;
  op.phase = std::string(plans::PhaseName(phase));
  op.type = type;
  op.message = message;
  return op;
}

void Resolver::Impl::StartRunIfNeeded(ActionSink& out, Dep& d) {
  if (!d.new_run || d.run_started) {
    return;
  }
  d.run_started = true;
  if (d.facts->stale_run_id.has_value()) {
    JournalOp abandon = SetPhase(d, "abandoned", "finished");
    abandon.run_id = *d.facts->stale_run_id;
    Journal(out, &d, std::move(abandon));
  }
  Journal(out, &d, StartRun(d, "initializing"));
}

// ---- the steps common to both dialects --------------------------------------------------------

namespace {

void CreateGreenSchema(Resolver::Impl& r, const Step& step, ActionSink& out) {
  for (const ObjectRef& o : step.objects) {
    BGPLAN_CHECK(o.kind == ObjectKind::kSchema);
    const std::string sql = sql::CreateSchemaSql(*r.dialect, o.database, o.green);
    if (!r.live()) {
      r.Sql(out, nullptr, sql);
      continue;
    }
    Dep* d = r.Acting(o.deployment);
    const PairFacts* p = d != nullptr ? r.Pair(*d, o) : nullptr;
    if (p != nullptr && !p->green.exists) {
      r.Sql(out, d, sql);
      ++r.result.summary.schemas_created;
    }
  }
}

void MarkGreen(Resolver::Impl& r, const Step& step, ActionSink& out) {
  if (!r.live()) {
    std::vector<std::string> lines = {
        "resolved at apply time: mark each green object with this run; <run-id> is the "
        "journal id of the run:"};
    for (const ObjectRef& o : step.objects) {
      lines.push_back(Sql(sql::CommentOnSql(*r.dialect, o.kind, o.database, o.green,
                                            sql::MarkerText(o.deployment, "<run-id>"))));
    }
    r.Pending(out, std::move(lines));
    return;
  }
  for (const ObjectRef& o : step.objects) {
    Dep* d = r.Acting(o.deployment);
    if (d == nullptr) {
      continue;
    }
    const std::string marker = sql::MarkerText(o.deployment, d->run_id);
    const ContainerFacts* green = nullptr;
    if (o.kind == ObjectKind::kSchema) {
      const PairFacts* p = r.Pair(*d, o);
      green = p != nullptr ? &p->green : nullptr;
    } else {
      const ClusterPairFacts* c = r.ClusterPair(*d, o);
      green = c != nullptr ? &c->green : nullptr;
    }
    if (green != nullptr && green->comment != marker) {
      r.Sql(out, d, sql::CommentOnSql(*r.dialect, o.kind, o.database, o.green, marker));
    }
  }
}

void TagSchemas(Resolver::Impl& r, const Step& step, ActionSink& out) {
  if (!r.live()) {
    std::vector<std::string> lines = {
        "resolved at apply time: tag each production schema, one statement each; <user> = "
        "current_user, <time> = now(), <sha> = git rev-parse HEAD",
        "(\" | Commit SHA: <sha>\" left out when unknown), <run-id> = the journal id of the run:"};
    for (const ObjectRef& o : step.objects) {
      if (o.kind == ObjectKind::kSchema) {
        lines.push_back(Sql(sql::CommentOnSql(*r.dialect, ObjectKind::kSchema, o.database, o.blue,
                                              sql::TagText("<user>", "<time>", "<sha>",
                                                           "<run-id>"))));
      }
    }
    r.Pending(out, std::move(lines));
    return;
  }
  for (const ObjectRef& o : step.objects) {
    Dep* d = o.kind == ObjectKind::kSchema ? r.Acting(o.deployment) : nullptr;
    const PairFacts* p = d != nullptr ? r.Pair(*d, o) : nullptr;
    if (p == nullptr) {
      continue;
    }
    // The schema under the blue name once the swap is done: green's, when it swaps now.
    const std::string& current = r.SwapsNow(*d) ? p->green.comment : p->blue.comment;
    const std::string tail = " | bgplan " + d->run_id;
    if (current.size() >= tail.size() &&
        current.compare(current.size() - tail.size(), tail.size(), tail) == 0) {
      continue;  // tagged before a crash
    }
    r.Sql(out, d,
          sql::CommentOnSql(*r.dialect, ObjectKind::kSchema, o.database, o.blue,
                            sql::TagText(r.snapshot.server.user, r.options.now,
                                         r.options.git_commit, d->run_id)));
  }
}

void DropGreen(Resolver::Impl& r, const Step& step, ActionSink& out) {
  for (const ObjectRef& o : step.objects) {
    const std::string sql = sql::DropSql(*r.dialect, o);
    if (!r.live()) {
      if (r.transactional() && o.kind == ObjectKind::kSchema) {
        r.Pending(out, {"resolved at apply time: in this transaction, the schema " +
                        Name(o.green) +
                        " still has the id the journal recorded for it (else SQLSTATE 40001: "
                        "read again, and cleanup-id-mismatch refuses)"});
      } else if (!r.transactional()) {
        r.Pending(out, {"resolved at apply time: just before the drop, the " +
                        std::string(o.kind == ObjectKind::kSchema ? "schema " : "cluster ") +
                        Name(o.green) +
                        " still has the id the journal recorded for it (else "
                        "cleanup-id-mismatch: exit 3, nothing more dropped)"});
      }
      r.Sql(out, nullptr, sql);
      continue;
    }
    Dep* d = r.Acting(o.deployment);
    if (d == nullptr) {
      continue;
    }
    bool exists = false;
    Action::Identity identity;
    identity.kind = o.kind;
    if (o.kind == ObjectKind::kSchema) {
      const PairFacts* p = r.Pair(*d, o);
      exists = p != nullptr && p->green.exists;
      if (exists) {
        identity.database = p->green.database;
        identity.name = p->green.name;
      }
    } else {
      const ClusterPairFacts* c = r.ClusterPair(*d, o);
      exists = c != nullptr && c->green.exists;
      if (exists) {
        identity.name = c->green.name;
      }
    }
    // The object under the green name is the one the journal recorded (cleanup-id-mismatch
    // checked it against the snapshot); where DDL is transactional the check is repeated in the
    // drop's transaction, so nothing can take the name in between (40001: read again, retry).
    // Elsewhere (Materialize) it is read again just before the drop: what remains is the race
    // between that read and the DROP (docs/safety.md).
    if (exists) {
      if (std::optional<std::string> id = RecordedGreenId(*d, o); id.has_value()) {
        if (r.transactional() && o.kind == ObjectKind::kSchema) {
          r.Sql(out, d, sql::PgSchemaIdentityGuardSql(o.green, *id), false);
        } else if (!r.transactional()) {
          identity.id = *id;
          Action check;
          check.kind = Action::Kind::kExpectId;
          check.deployment = o.deployment;
          check.identity = std::move(identity);
          out.Add(std::move(check));
        }
      }
    }
    // DROP ... IF EXISTS of an absent object changes nothing; it still runs (a crashed cleanup
    // resumes with the same statements).
    r.Sql(out, d, sql, exists);
    r.result.summary.dropped += exists ? 1 : 0;
  }
}

void Await(Resolver::Impl& r, const Step& step, ActionSink& out) {
  if (!r.live()) {
    r.steps->DescribeAwait(r, step, out);
    return;
  }
  Action wait;
  wait.kind = Action::Kind::kAwait;
  std::vector<Dep*> waiting;
  for (const plans::Deployment* deployment : r.index.Of(step)) {
    Dep* d = r.Acting(deployment->name);
    if (d == nullptr || std::find(wait.deployments.begin(), wait.deployments.end(),
                                  deployment->name) != wait.deployments.end()) {
      continue;
    }
    bool missing = false;
    for (const PairFacts& p : d->facts->schemas) {
      missing = missing || !p.green.exists;
    }
    for (const ClusterPairFacts& c : d->facts->clusters) {
      missing = missing || !c.green.exists;
    }
    if (missing) {
      r.Violation(DiagKind::kGreenMissing, *deployment, {},
                  "deployment " + Quoted(deployment->name) +
                      ": its green side does not exist (run init first)");
      continue;
    }
    wait.deployments.push_back(deployment->name);
    waiting.push_back(d);
  }
  if (wait.deployments.empty()) {
    return;
  }
  out.Add(std::move(wait));
  if (r.phase != PhaseKind::kAwait) {
    return;
  }
  for (Dep* d : waiting) {
    if (!d->facts->run) {
      continue;
    }
    r.Journal(out, d, r.Event(*d, "ready", "green is ready"));
    const std::string& phase = d->facts->run->phase;
    if (phase == "initialized" || phase == "deployed") {
      r.Journal(out, d, r.SetPhase(*d, "ready"));
    }
  }
}

// The journal step: offline, what is recorded; live, the writes of each deployment it names.
void JournalStep(Resolver::Impl& r, const Step& step, ActionSink& out) {
  if (!r.live()) {
    std::string what;
    if (step.rule == "intent") {
      what = "the intent to swap, with the pre-swap ids of every blue and green object";
    } else if (step.rule == "swapped") {
      what = "the swap, with the ids now under each name";
    } else if (step.rule == "phase-done") {
      what = "that the phase finished";
    } else {
      what = "event " + sql::CommentSafe(step.rule);
    }
    r.Pending(out, {"resolved at apply time: journal (schema --journal-schema, default "
                    "\"bgplan\"): " +
                    what + ", for " + DeploymentNames(r.index.Of(step)) +
                    (r.transactional() ? ", in the same transaction" : "")});
    return;
  }
  for (const plans::Deployment* deployment : r.index.Of(step)) {
    Dep* d = r.Acting(deployment->name);
    if (d == nullptr) {
      continue;
    }
    const std::string& run_phase = d->facts->run ? d->facts->run->phase : std::string();
    const size_t schemas = deployment->schemas.size(), clusters = deployment->clusters.size();
    if (r.phase == PhaseKind::kInit && step.rule == "phase-done") {
      r.StartRunIfNeeded(out, *d);
      r.Journal(out, d, r.RecordIds(*d));
      r.Journal(out, d, r.SetPhase(*d, "initialized"));
      r.Journal(out, d, r.Event(*d, "initialized", "green created by " + r.snapshot.server.user));
    } else if (r.phase == PhaseKind::kPromote && step.rule == "intent") {
      if (d->new_run) {  // --force adopts a green that no run created
        r.StartRunIfNeeded(out, *d);
      }
      r.Journal(out, d, r.RecordIds(*d));
      r.Journal(out, d, r.Event(*d, "intent", "swap"));
      if (!d->left_behind.empty()) {
        r.Journal(out, d,
                  r.Event(*d, "left-behind",
                          "promoted with --allow-missing; green has no counterpart of: " +
                              Join(d->left_behind)));
      }
    } else if (r.phase == PhaseKind::kPromote && step.rule == "swapped") {
      if (run_phase != "promoted" || r.SwapsNow(*d)) {
        r.Journal(out, d, r.SetPhase(*d, "promoted"));
        r.Journal(out, d,
                  r.Event(*d, "promoted", "swapped " + SwappedText(schemas, clusters)));
      }
    } else if (r.phase == PhaseKind::kRollback && step.rule == "phase-done") {
      if (run_phase != "rolled_back" || r.SwapsNow(*d)) {
        r.Journal(out, d, r.SetPhase(*d, "rolled_back"));
        r.Journal(out, d, r.Event(*d, "rolled_back", "swapped back"));
      }
    } else if (r.phase == PhaseKind::kCleanup && step.rule == "phase-done") {
      r.Journal(out, d, r.SetPhase(*d, "finished", "finished"));
      r.Journal(out, d,
                r.Event(*d, "finished",
                        std::string("dropped the green side (") +
                            (d->facts->state == DeployState::kPromoted ? "the old code"
                                                                       : "the code not promoted") +
                            ")"));
    } else {
      r.Journal(out, d, r.Event(*d, step.rule, step.rule));
    }
  }
}

void SwapStep(Resolver::Impl& r, const Step& step, ActionSink& out) {
  std::vector<const ObjectRef*> objects;
  for (const ObjectRef& o : step.objects) {
    if (!r.live()) {
      objects.push_back(&o);
      continue;
    }
    Dep* d = r.Acting(o.deployment);
    if (d != nullptr && r.SwapsNow(*d)) {
      objects.push_back(&o);
      d->wrote = true;
    }
  }
  if (!objects.empty()) {
    r.steps->Swap(r, step, objects, out);
  }
  r.after_swap = true;
}

}  // namespace

void AwaitSettingsLines(Resolver::Impl& r, const Step& step, ObjectKind kind,
                        std::vector<std::string>& lines) {
  // The step's objects of `kind` by deployment name, in step order: one pass over the objects
  // (a merged await step holds every object of the plan).
  std::unordered_map<std::string_view, std::vector<const ObjectRef*>> by_deployment;
  for (const ObjectRef& o : step.objects) {
    if (o.kind == kind) {
      by_deployment[o.deployment].push_back(&o);
    }
  }
  for (const plans::Deployment* d : r.index.Of(step)) {
    std::vector<std::string> names;
    if (auto it = by_deployment.find(d->name); it != by_deployment.end()) {
      for (const ObjectRef* o : it->second) {
        names.push_back(r.phrases.ObjectName(*o, Side::kGreen));
      }
    }
    std::string what;
    if (names.empty()) {
      what = kind == ObjectKind::kCluster ? "no green clusters: ready at once"
                                          : "no green schemas: ready at once";
    } else {
      what = std::string(kind == ObjectKind::kCluster ? "cluster" : "schema") +
             (names.size() == 1 ? " " : "s ") + JoinQuoted(names);
    }
    const plans::AwaitSettings& a = d->await;
    lines.push_back("deployment " + Name(d->name) + ": " + what + "; poll_interval " +
                    FormatDuration(a.poll_interval_ms) +
                    (kind == ObjectKind::kCluster
                         ? ", lag_threshold " + FormatDuration(a.lag_threshold_ms) +
                               (a.compare_to_blue ? " over blue's lag (compare_to_blue)" : "")
                         : std::string()) +
                    ", timeout " + FormatDuration(a.timeout_ms) + ", stable_for " +
                    FormatDuration(a.stable_for_ms));
  }
}

// ---- the resolver -----------------------------------------------------------------------------

Resolver::Resolver(const plans::Plan& plan, PhaseKind phase, const Snapshot& snapshot,
                   ResolveOptions options)
    : impl_(std::make_unique<Impl>(plan, phase, snapshot, std::move(options))) {}

Resolver::~Resolver() = default;

void Resolver::Step(const plans::Step& step, ActionSink& out) {
  Impl& r = *impl_;
  switch (step.kind) {
    case StepKind::kCheck:
      ResolveCheck(r, step, out);
      return;
    case StepKind::kCreateGreenSchema:
      CreateGreenSchema(r, step, out);
      return;
    case StepKind::kCopySchemaPrivileges:
      for (const ObjectRef& o : step.objects) {
        r.steps->CopySchemaPrivileges(r, o, out);
      }
      return;
    case StepKind::kCreateGreenCluster:
      BGPLAN_CHECK(r.dialect->supports_clusters());
      for (const ObjectRef& o : step.objects) {
        r.steps->CreateGreenCluster(r, o, out);
      }
      return;
    case StepKind::kCopyClusterPrivileges:
      BGPLAN_CHECK(r.dialect->supports_clusters());
      for (const ObjectRef& o : step.objects) {
        r.steps->CopyClusterPrivileges(r, o, out);
      }
      return;
    case StepKind::kMarkGreen:
      MarkGreen(r, step, out);
      return;
    case StepKind::kAwaitReady:
      Await(r, step, out);
      return;
    case StepKind::kJournal:
      JournalStep(r, step, out);
      return;
    case StepKind::kSwap:
      SwapStep(r, step, out);
      return;
    case StepKind::kRepointSinks:
      r.steps->RepointSinks(r, step, out);
      return;
    case StepKind::kTagSchemas:
      TagSchemas(r, step, out);
      return;
    case StepKind::kDropGreen:
      DropGreen(r, step, out);
      return;
    case StepKind::kValidate:
      ResolveValidate(r, step, out);
      return;
    case StepKind::kEndHydrationBurst:
      BGPLAN_CHECK(r.dialect->supports_clusters());
      EndHydrationBurst(r, step, out);
      return;
  }
}

ResolvedPhase Resolver::Result() const {
  ResolvedPhase out = impl_->result;
  for (const DeploymentFacts& f : impl_->snapshot.deployments) {
    auto it = impl_->deps.find(f.deployment->name);
    if (it == impl_->deps.end()) {
      continue;
    }
    const Dep& d = it->second;
    if (d.wrote) {
      out.acting.push_back(f.deployment->name);
    } else if (d.disposition == Disposition::kFinish) {
      out.notes.push_back(impl_->deps_notes.at(f.deployment->name));
    }
  }
  return out;
}

namespace {

class Collect : public ActionSink {
 public:
  explicit Collect(std::vector<Action>* out) : out_(out) {}
  void Add(Action action) override { out_->push_back(std::move(action)); }

 private:
  std::vector<Action>* out_;
};

}  // namespace

ResolvedPhase Resolver::ResolvePhase(const plans::Plan& plan, const plans::Phase& phase,
                                     const Snapshot& snapshot, const ResolveOptions& options) {
  Resolver resolver(plan, phase.kind, snapshot, options);
  std::vector<ResolvedBatch> batches;
  for (const plans::Batch& batch : phase.batches) {
    ResolvedBatch rb;
    rb.batch = &batch;
    rb.mode = batch.mode;
    rb.prologue = TransactionPrologue(plan, batch);
    for (const plans::Step& step : batch.steps) {
      ResolvedStep rs;
      rs.step = &step;
      Collect collect(&rs.actions);
      resolver.Step(step, collect);
      rb.steps.push_back(std::move(rs));
    }
    batches.push_back(std::move(rb));
  }
  ResolvedPhase out = resolver.Result();
  out.batches = std::move(batches);
  return out;
}

std::vector<std::string> TransactionPrologue(const plans::Plan& plan, const plans::Batch& batch) {
  if (plan.target != plans::Target::kPostgres || batch.mode != plans::Batch::Mode::kTransaction) {
    return {};
  }
  for (const plans::Step& step : batch.steps) {
    if (step.kind == StepKind::kSwap) {
      DeploymentIndex index(plan);
      return {sql::SetLockTimeoutSql(CombinePromote(index.Of(step)).lock_timeout_ms),
              sql::SetLocalEmptySearchPathSql()};
    }
  }
  return {};
}

Status CheckRunnable(const plans::Plan& plan) {
  const bool transactional = sql::MakeDialect(plan.target)->transactional_ddl();
  for (const plans::Phase& phase : plan.phases) {
    for (const plans::Batch& batch : phase.batches) {
      if (batch.mode == plans::Batch::Mode::kTransaction) {
        continue;
      }
      for (const plans::Step& step : batch.steps) {
        const bool writes = step.IsWrite();
        if (step.kind == plans::StepKind::kSwap || (transactional && writes)) {
          return Status::InvalidArgument(
              "phase " + std::string(plans::PhaseName(phase.kind)) + " would run its " +
              std::string(plans::StepKindName(step.kind)) +
              " step outside a transaction, which bgplan never does" +
              (transactional ? " on PostgreSQL (every phase is one transaction)" : "") +
              "; keep the pass that puts it in one (" +
              (step.kind == plans::StepKind::kSwap && !transactional ? "merge-swaps or batch"
                                                                      : "batch") +
              "): see `bgplan compile --disable-pass ...` for what the passes change");
        }
      }
    }
  }
  return Status::Ok();
}

}  // namespace bgplan::resolve
