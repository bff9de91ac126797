#include "compiler/emit/sql_emitter.h"

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sql/quote.h"
#include "support/check.h"

namespace bgplan::emit {

// The SQL layer's quoting and statement builders (sql/), used unqualified throughout.
using namespace ::bgplan::sql;  // NOLINT(google-build-using-namespace)

using plans::Batch;
using plans::Deployment;
using plans::ObjectKind;
using plans::ObjectRef;
using plans::Phase;
using plans::PhaseKind;
using plans::Plan;
using plans::Step;
using plans::StepKind;

namespace {

// The plan's deployments by name, built once per plan so that finding a step's deployments costs
// a hash lookup per object instead of a scan of every deployment (the merged swap step names
// every object of the plan, and every other step is looked up too). A name may repeat in a plan
// that did not pass validation; every position is kept, so lookups mean what a scan would.
class DeploymentIndex {
 public:
  explicit DeploymentIndex(const Plan& plan) : plan_(plan) {
    positions_.reserve(plan.deployments.size());
    for (size_t i = 0; i < plan.deployments.size(); ++i) {
      positions_[plan.deployments[i].name].push_back(i);
    }
  }

  // The deployments a step's objects belong to, in plan order; every deployment of the plan when
  // the step names none (or names only unknown ones).
  std::vector<const Deployment*> Of(const Step& step) const {
    std::vector<size_t> found;
    const std::string* last = nullptr;
    for (const ObjectRef& o : step.objects) {
      // Objects of one deployment are usually adjacent: look each run up once.
      if (last != nullptr && *last == o.deployment) {
        continue;
      }
      last = &o.deployment;
      if (auto it = positions_.find(o.deployment); it != positions_.end()) {
        found.insert(found.end(), it->second.begin(), it->second.end());
      }
    }
    std::vector<const Deployment*> out;
    if (found.empty()) {
      out.reserve(plan_.deployments.size());
      for (const Deployment& d : plan_.deployments) {
        out.push_back(&d);
      }
      return out;
    }
    std::sort(found.begin(), found.end());
    found.erase(std::unique(found.begin(), found.end()), found.end());
    out.reserve(found.size());
    for (size_t i : found) {
      out.push_back(&plan_.deployments[i]);
    }
    return out;
  }

  // The first deployment named `name` (Plan::FindDeployment), or null.
  const Deployment* Find(std::string_view name) const {
    auto it = positions_.find(name);
    return it == positions_.end() ? nullptr : &plan_.deployments[it->second.front()];
  }

 private:
  const Plan& plan_;
  std::unordered_map<std::string_view, std::vector<size_t>> positions_;
};

}  // namespace

// CombinedPromoteSettings over `deployments` (see sql_emitter.h).
static plans::PromoteSettings Combine(const std::vector<const Deployment*>& deployments) {
  if (deployments.empty()) {
    return plans::PromoteSettings{};
  }
  plans::PromoteSettings out = deployments.front()->promote;
  for (const Deployment* d : deployments) {
    out.wait = out.wait || d->promote.wait;
    out.max_retries = std::max(out.max_retries, d->promote.max_retries);
    out.retry_backoff_ms = std::max(out.retry_backoff_ms, d->promote.retry_backoff_ms);
    out.lock_timeout_ms = std::min(out.lock_timeout_ms, d->promote.lock_timeout_ms);
  }
  return out;
}

// `quoted` (already quoted and comment-safe) joined with ", ".
static std::string JoinQuoted(const std::vector<std::string>& quoted) {
  std::string out;
  for (size_t i = 0; i < quoted.size(); ++i) {
    if (i > 0) {
      out += ", ";
    }
    out += quoted[i];
  }
  return out;
}

namespace {

enum class Side { kBlue, kGreen, kBoth };

// Renders one plan; see EmitSql. Every name reaches the text through QuoteIdent/QuoteLiteral (SQL)
// or Name()/Lit()/SchemaRef() (comments, which also apply CommentSafe).
class Emitter {
 public:
  // With a `sink`, the text goes to it in pieces (Flush); else Run returns it whole.
  Emitter(const Plan& plan, const Dialect& dialect,
          const std::function<void(std::string_view)>* sink = nullptr)
      : plan_(plan), dialect_(dialect), deployments_(plan), sink_(sink) {}

  std::string Run(const EmitOptions& options) {
    FileHeader();
    bool found = false;
    for (const Phase& phase : plan_.phases) {
      if (options.phase.has_value() && phase.kind != *options.phase) {
        continue;
      }
      found = true;
      EmitPhase(phase);
    }
    if (options.phase.has_value() && !found) {
      Line("");
      Comment("phase " + std::string(plans::PhaseName(*options.phase)) + ": not in this plan");
    }
    if (sink_ != nullptr) {
      Flush();
    }
    return std::move(out_);
  }

 private:
  // With a sink, the buffered text goes out once it reaches this size.
  static constexpr size_t kChunk = 64 * 1024;

  void Flush() {
    (*sink_)(out_);
    out_.clear();
  }
  // Ends a line: hands the buffer to the sink when it is full.
  void EndLine() {
    out_ += '\n';
    if (sink_ != nullptr && out_.size() >= kChunk) {
      Flush();
    }
  }
  void Line(std::string_view text) {
    out_ += text;
    EndLine();
  }
  // A comment line; `text` must already be comment-safe (names through Name()/Lit()/SchemaRef()).
  void Comment(std::string_view text) {
    out_ += "-- ";
    out_ += text;
    EndLine();
  }
  // A continuation line of a multi-line comment.
  void More(std::string_view text) {
    out_ += "--   ";
    out_ += text;
    EndLine();
  }
  // Comment-safe renderings of names and literals.
  static std::string Name(std::string_view name) { return CommentSafe(QuoteIdent(name)); }
  static std::string Lit(std::string_view text) { return CommentSafe(QuoteLiteral(text)); }
  static std::string Sql(std::string_view sql) { return CommentSafe(sql); }
  std::string SchemaRef(std::string_view database, std::string_view name) const {
    return CommentSafe(dialect_.SchemaRef(database, name));
  }
  std::string ObjectName(const ObjectRef& o, Side side) const {
    const std::string& name = side == Side::kGreen ? o.green : o.blue;
    if (o.kind == ObjectKind::kCluster) {
      return Name(name);
    }
    return SchemaRef(o.database, name);
  }
  bool IsMaterialize() const { return dialect_.target() == plans::Target::kMaterialize; }

  // "blue schemas "a", "b" and clusters "c"" for `objects` on `side`; kBoth gives
  // "blue ... and green ...".
  // With `only` set, objects of the other kind are left out (as if not in `objects`).
  // Memoized per list, side and `only` (see phrases_).
  const std::string& ObjectList(const plans::ObjectList& objects, Side side,
                                std::optional<ObjectKind> only = std::nullopt) {
    Phrases& entry = phrases_[{objects.begin(), objects.size()}];
    if (entry.list.begin() != objects.begin()) {
      entry.list = objects;  // a new entry: keep the list's storage (and address) taken
    }
    const size_t key =
        static_cast<size_t>(side) * 3 + (only.has_value() ? 1 + static_cast<size_t>(*only) : 0);
    std::optional<std::string>& phrase = entry.phrases[key];
    if (!phrase.has_value()) {
      phrase = RenderObjectList(objects, side, only);
    }
    return *phrase;
  }
  std::string RenderObjectList(const plans::ObjectList& objects, Side side,
                               std::optional<ObjectKind> only) const {
    auto list = [&](ObjectKind kind, Side s) {
      std::vector<std::string> names;
      if (only.has_value() && *only != kind) {
        return names;
      }
      for (const ObjectRef& o : objects) {
        if (o.kind == kind) {
          names.push_back(ObjectName(o, s));
        }
      }
      return names;
    };
    auto phrase = [&](Side s) {
      std::string text;
      const std::vector<std::string> schemas = list(ObjectKind::kSchema, s);
      const std::vector<std::string> clusters = list(ObjectKind::kCluster, s);
      if (!schemas.empty()) {
        text += (schemas.size() == 1 ? "schema " : "schemas ") + JoinQuoted(schemas);
      }
      if (!clusters.empty()) {
        if (!text.empty()) {
          text += " and ";
        }
        text += (clusters.size() == 1 ? "cluster " : "clusters ") + JoinQuoted(clusters);
      }
      if (text.empty() && only.has_value()) {
        return std::string(*only == ObjectKind::kSchema ? "schemas" : "clusters") +
               " (none in this deployment)";
      }
      return text.empty() ? std::string("(no objects)") : text;
    };
    if (side == Side::kBoth) {
      return "blue " + phrase(Side::kBlue) + " and green " + phrase(Side::kGreen);
    }
    return (side == Side::kBlue ? "blue " : "green ") + phrase(side);
  }

  std::string DeploymentNames(const std::vector<const Deployment*>& deployments) const {
    std::vector<std::string> names;
    for (const Deployment* d : deployments) {
      names.push_back(Name(d->name));
    }
    return (names.size() == 1 ? "deployment " : "deployments ") + JoinQuoted(names);
  }

  void FileHeader() {
    Comment("bgplan compile, target " + std::string(dialect_.name()) +
            ": SQL for review; nothing here has run.");
    if (dialect_.transactional_ddl()) {
      Comment("Each phase's writes run in one transaction (BEGIN ... COMMIT), atomically.");
    } else {
      Comment(
          "Statements run one per round trip (autocommit); BEGIN ... COMMIT is one atomic round "
          "trip.");
    }
    Comment(
        "\"resolved at apply time\" lines depend on the live catalog; `bgplan plan` prints them "
        "resolved.");
  }

  std::string_view PhasePurpose(PhaseKind kind) const {
    switch (kind) {
      case PhaseKind::kInit: {
        bool schemas = false;
        bool clusters = false;
        for (const Deployment& d : plan_.deployments) {
          schemas = schemas || !d.schemas.empty();
          clusters = clusters || !d.clusters.empty();
        }
        if (schemas && clusters) {
          return "create the green schemas and clusters next to blue";
        }
        return clusters ? "create the green clusters next to blue"
                        : "create the green schemas next to blue";
      }
      case PhaseKind::kAwait:
        return "wait until the green side is ready";
      case PhaseKind::kPromote:
        return IsMaterialize() ? "swap blue and green, tag the schemas, re-point sinks"
                               : "swap blue and green and re-create dependent views";
      case PhaseKind::kRollback:
        return IsMaterialize() ? "swap back, re-point sinks back"
                               : "swap back and re-create dependent views";
      case PhaseKind::kCleanup:
        return "drop what now carries the green names (after promote: the previous blue)";
    }
    return "";
  }

  void EmitPhase(const Phase& phase) {
    Line("");
    std::vector<const Deployment*> all;
    for (const Deployment& d : plan_.deployments) {
      all.push_back(&d);
    }
    Comment("phase " + std::string(plans::PhaseName(phase.kind)) + ": " + DeploymentNames(all) +
            ": " + std::string(PhasePurpose(phase.kind)));
    if (!IsMaterialize()) {
      for (const Deployment* d : all) {
        if (!d->database.empty()) {
          Comment("deployment " + Name(d->name) + " works in database " + Name(d->database) +
                  ": the connection must be to that database");
        }
      }
    }
    phase_ = phase.kind;
    bool any = false;
    bool first = true;
    for (const Batch& batch : phase.batches) {
      if (batch.steps.empty()) {
        continue;
      }
      if (!first) {
        Line("");
      }
      first = false;
      any = true;
      EmitBatch(batch);
    }
    if (!any) {
      Comment("nothing to do in this phase");
    }
  }

  void EmitBatch(const Batch& batch) {
    const bool txn = batch.mode == Batch::Mode::kTransaction;
    const Step* swap = nullptr;
    for (const Step& step : batch.steps) {
      if (txn) {
        BGPLAN_CHECK(dialect_.AllowedInTransaction(step.kind));
      }
      if (step.kind == StepKind::kSwap && swap == nullptr) {
        swap = &step;
      }
    }
    if (txn) {
      if (swap != nullptr) {
        SwapRetryComment(*swap);
      }
      Line(dialect_.BeginSql());
      if (swap != nullptr && !IsMaterialize()) {
        Line(SetLockTimeoutSql(Combine(deployments_.Of(*swap)).lock_timeout_ms));
        Line(SetLocalEmptySearchPathSql());
      }
    }
    const Step* previous = nullptr;
    for (size_t i = 0; i < batch.steps.size(); ++i) {
      const Step& step = batch.steps[i];
      // A blank line after the checks and before each object's create, so that each green
      // object's statements read as one block.
      if (previous != nullptr &&
          ((previous->kind == StepKind::kCheck && step.kind != StepKind::kCheck) ||
           step.kind == StepKind::kCreateGreenSchema ||
           step.kind == StepKind::kCreateGreenCluster)) {
        Line("");
      }
      previous = &step;
      if (step.kind == StepKind::kAwaitReady) {
        // Consecutive await steps (one per deployment) are one readiness poll over all their
        // green objects (semantics.md, await), so they render as one description.
        Step merged = step;
        std::vector<ObjectRef> objects = step.objects.ToVector();
        while (i + 1 < batch.steps.size() && batch.steps[i + 1].kind == StepKind::kAwaitReady) {
          ++i;
          objects.insert(objects.end(), batch.steps[i].objects.begin(),
                         batch.steps[i].objects.end());
        }
        merged.objects = std::move(objects);
        EmitStep(merged);
        continue;
      }
      EmitStep(step);
    }
    if (txn) {
      Line(dialect_.CommitSql());
    }
  }

  void SwapRetryComment(const Step& swap) {
    const plans::PromoteSettings settings = Combine(deployments_.Of(swap));
    std::vector<std::string> states = dialect_.RetryableSqlstates();
    std::string state_text;
    for (size_t i = 0; i < states.size(); ++i) {
      state_text += (i == 0 ? "" : (i + 1 == states.size() ? " or " : ", ")) + states[i];
    }
    Comment(std::string(swap.reverse ? "swap back" : "swap") +
            (IsMaterialize() ? " in one atomic round trip, schemas first, then clusters."
                             : " in one transaction with the dependent views."));
    Comment("On SQLSTATE " + state_text + " only: ROLLBACK, sleep retry_backoff " +
            FormatDuration(settings.retry_backoff_ms) + ", retry, at most max_retries " +
            std::to_string(settings.max_retries) +
            " retries; any other error stops with nothing swapped.");
  }

  void EmitStep(const Step& step) {
    switch (step.kind) {
      case StepKind::kCheck:
        EmitCheck(step);
        return;
      case StepKind::kCreateGreenSchema:
        for (const ObjectRef& o : step.objects) {
          BGPLAN_CHECK(o.kind == ObjectKind::kSchema);
          Line(CreateSchemaSql(dialect_, o.database, o.green));
        }
        return;
      case StepKind::kCopySchemaPrivileges:
        for (const ObjectRef& o : step.objects) {
          if (IsMaterialize()) {
            CopySchemaPrivilegesMz(o);
          } else {
            CopySchemaPrivilegesPg(o);
          }
        }
        return;
      case StepKind::kCreateGreenCluster:
        BGPLAN_CHECK(dialect_.supports_clusters());
        for (const ObjectRef& o : step.objects) {
          BGPLAN_CHECK(o.kind == ObjectKind::kCluster);
          CreateGreenCluster(o);
        }
        return;
      case StepKind::kCopyClusterPrivileges:
        BGPLAN_CHECK(dialect_.supports_clusters());
        for (const ObjectRef& o : step.objects) {
          CopyClusterPrivileges(o);
        }
        return;
      case StepKind::kMarkGreen:
        MarkGreen(step);
        return;
      case StepKind::kAwaitReady:
        if (IsMaterialize()) {
          AwaitMz(step);
        } else {
          AwaitPg(step);
        }
        return;
      case StepKind::kJournal:
        Journal(step);
        return;
      case StepKind::kSwap:
        Swap(step);
        return;
      case StepKind::kRepointSinks:
        if (IsMaterialize()) {
          RepointSinksMz(step);
        } else {
          RecreateViewsPg(step);
        }
        return;
      case StepKind::kTagSchemas:
        TagSchemas(step);
        return;
      case StepKind::kDropGreen:
        for (const ObjectRef& o : step.objects) {
          Line(DropSql(dialect_, o));
        }
        return;
    }
  }

  // ---- checks ----

  // ObjectList of the objects of `kind` only (no copy of the objects).
  const std::string& Subset(const plans::ObjectList& objects, ObjectKind kind, Side side) {
    return ObjectList(objects, side, kind);
  }

  std::string CheckText(const Step& step) {
    const std::string& rule = step.rule;
    const auto& objects = step.objects;
    const bool mz = IsMaterialize();
    const char* exist = objects.size() == 1 ? " exists" : " exist";
    const char* carry = objects.size() == 1 ? " carries" : " carry";
    if (rule == "blue-missing") {
      return "the " + ObjectList(objects, Side::kBlue) + exist;
    }
    if (rule == "green-missing") {
      return "the " + ObjectList(objects, Side::kGreen) + exist;
    }
    if (rule == "blue-contains-sinks") {
      return "no sink (mz_sinks.schema_id, mz_sinks.cluster_id) lives in the " +
             ObjectList(objects, Side::kBlue);
    }
    if (rule == "not-owner") {
      const Side side = phase_ == PhaseKind::kInit ? Side::kBlue : Side::kBoth;
      return std::string("unless ") + (mz ? "mz_is_superuser()" : "the role is a superuser") +
             ", the current role owns, directly or through role membership, the " +
             ObjectList(objects, side);
    }
    if (rule == "missing-privilege") {
      return mz ? "unless mz_is_superuser(), the current role has CREATE and USAGE on the "
                  "database (mz_internal.mz_show_my_database_privileges) and CREATECLUSTER "
                  "(has_system_privilege)"
                : "the current role has CREATE on the database (has_database_privilege)";
    }
    if (rule == "unsized-replicas") {
      return "every replica of the " + Subset(objects, ObjectKind::kCluster, Side::kBlue) +
             ", where unmanaged, has a size (mz_cluster_replicas.size); replicas without one "
             "are all listed";
    }
    if (rule == "green-not-empty") {
      return "where they exist, the " + ObjectList(objects, Side::kGreen) +
             " are empty or carry this deployment's marker (unless --ignore-existing)";
    }
    if (rule == "green-not-ours") {
      return "the " + ObjectList(objects, Side::kGreen) + carry +
             " this deployment's marker comment (unless --force)";
    }
    if (rule == "sink-upstream-missing") {
      return mz ? "every sink whose upstream is in the " +
                      Subset(objects, ObjectKind::kSchema, Side::kBlue) +
                      " has an object of the same name in the matching green schema "
                      "(mz_internal.mz_object_dependencies, mz_sinks, mz_objects)"
                : "every dependent view in the sinks schemas that references the " +
                      Subset(objects, ObjectKind::kSchema, Side::kBlue) +
                      " finds objects of the same names in the matching green schema";
    }
    if (rule == "orphaned-dependents") {
      return std::string("nothing outside the deployment except sinks depends on the ") +
             Subset(objects, ObjectKind::kSchema, Side::kBlue) +
             (mz ? " (mz_internal.mz_object_dependencies)" : " (pg_depend, pg_rewrite)") +
             " (unless --allow-orphans)";
    }
    if (rule == "cleanup-drops-dependents") {
      return "DROP ... CASCADE of the " + ObjectList(objects, Side::kGreen) +
             " removes nothing else " +
             (mz ? "(mz_internal.mz_object_dependencies)" : "(pg_depend)") + " (unless --force)";
    }
    if (rule == "keep-blue-not-elapsed") {
      std::string text = "the rollback window has passed since promote (journal):";
      bool first = true;
      for (const Deployment* d : deployments_.Of(step)) {
        text += std::string(first ? " " : ", ") + "deployment " + Name(d->name) + " keep_blue " +
                FormatDuration(d->cleanup.keep_blue_ms);
        first = false;
      }
      return text + " (unless --force)";
    }
    if (rule == "nothing-to-roll-back") {
      return "promote ran and cleanup has not: the journal and the live ids of the " +
             ObjectList(objects, Side::kBoth);
    }
    if (rule == "not-promoted") {
      return "promote ran: the blue names carry green's recorded ids (journal) for the " +
             ObjectList(objects, Side::kBlue) + " (unless --force)";
    }
    if (rule == "stale-plan") {
      return "the catalog facts match the plan file's fingerprint";
    }
    if (rule == "target-mismatch") {
      return std::string("the server is ") + (mz ? "Materialize" : "PostgreSQL") +
             " (mz_version())";
    }
    return "verified against the live catalog for the " + ObjectList(objects, Side::kBoth);
  }

  void EmitCheck(const Step& step) {
    Comment("check (read-only): " + CommentSafe(step.rule) + ": " + CheckText(step));
  }

  // ---- init ----

  std::string DatabaseFilter(std::string_view database) const {
    return database.empty() ? std::string("current_database()") : Lit(database);
  }

  void CopySchemaPrivilegesMz(const ObjectRef& o) {
    const std::string green = ObjectName(o, Side::kGreen);
    Comment("resolved at apply time: copy the privileges of schema " + ObjectName(o, Side::kBlue) +
            " to " + green + ":");
    More(
        "default privileges: for each row of mz_internal.mz_show_default_privileges with "
        "database = " +
        DatabaseFilter(o.database) + " and schema = " + Lit(o.blue) +
        " (object_owner and grantee not 'none'):");
    More("ALTER DEFAULT PRIVILEGES FOR ROLE \"<object_owner>\" | FOR ALL ROLES IN SCHEMA " + green +
         " GRANT <privilege_type> ON <object_type>S TO \"<grantee>\" | PUBLIC;");
    More(
        "grants: revoke what green has, then grant what blue has, from "
        "mz_internal.mz_aclexplode(mz_schemas.privileges) (grantee ids through mz_roles):");
    More("REVOKE <privilege_type> ON SCHEMA " + green + " FROM \"<grantee>\";");
    More("GRANT <privilege_type> ON SCHEMA " + green + " TO \"<grantee>\";");
    More("grantees none, mz_system, mz_support and the current role are skipped.");
  }

  void CopySchemaPrivilegesPg(const ObjectRef& o) {
    const std::string green = ObjectName(o, Side::kGreen);
    Comment("resolved at apply time: copy the privileges of schema " + ObjectName(o, Side::kBlue) +
            " to " + green + ":");
    More(
        "grants: revoke what green has, then grant what blue has, from "
        "aclexplode(pg_namespace.nspacl) (grantee 0 = PUBLIC; the schema owner is skipped):");
    More("REVOKE <privilege_type> ON SCHEMA " + green + " FROM \"<grantee>\" | PUBLIC;");
    More("GRANT <privilege_type> ON SCHEMA " + green + " TO \"<grantee>\" | PUBLIC;");
    More(
        "default privileges: for each aclexplode(defaclacl) of the pg_default_acl rows with "
        "defaclnamespace = schema " +
        ObjectName(o, Side::kBlue) + ":");
    More("ALTER DEFAULT PRIVILEGES FOR ROLE \"<defaclrole>\" IN SCHEMA " + green +
         " GRANT <privilege_type> ON TABLES|SEQUENCES|FUNCTIONS|TYPES TO \"<grantee>\" | PUBLIC;");
  }

  // The first cluster pair of the first deployment named o.deployment whose blue name is o.blue.
  const plans::ClusterPair* FindClusterPair(const ObjectRef& o) {
    const Deployment* d = deployments_.Find(o.deployment);
    if (d == nullptr) {
      return nullptr;
    }
    // Indexed on first use, so a deployment with many clusters is not scanned once per cluster.
    auto [it, inserted] = cluster_pairs_.try_emplace(d);
    if (inserted) {
      it->second.reserve(d->clusters.size());
      for (const plans::ClusterPair& c : d->clusters) {
        it->second.emplace(c.blue, &c);
      }
    }
    auto pair = it->second.find(o.blue);
    return pair == it->second.end() ? nullptr : pair->second;
  }

  void CreateGreenCluster(const ObjectRef& o) {
    const plans::ClusterPair* pair = FindClusterPair(o);
    const std::optional<std::string> size = pair != nullptr ? pair->size : std::nullopt;
    const std::optional<int64_t> rf = pair != nullptr ? pair->replication_factor : std::nullopt;
    if (size.has_value() && rf.has_value()) {
      Comment("green cluster " + Name(o.green) +
              " sized by the plan; blue's schedule and auto scaling strategy are not copied");
      ManagedClusterOptions options;
      options.size = *size;
      options.replication_factor = rf;
      Line(CreateClusterSql(o.green, options));
      return;
    }
    const std::string green = Name(o.green);
    Comment("resolved at apply time: create green cluster " + green + " as a copy of blue " +
            Name(o.blue) + ":");
    More(
        "read managed, size, replication_factor from mz_clusters, type and "
        "refresh_hydration_time_estimate from mz_internal.mz_cluster_schedules and strategy from "
        "mz_internal.mz_cluster_auto_scaling_strategies, for the cluster named " +
        Lit(o.blue) + ";");
    const std::string size_text = size.has_value() ? Lit(*size) : "'<size>'";
    const std::string rf_text =
        rf.has_value() ? std::to_string(*rf) : std::string("<replication_factor>");
    More("managed blue: CREATE CLUSTER " + green + " (SIZE = " + size_text +
         ", REPLICATION FACTOR = " + rf_text +
         "[, SCHEDULE = ON REFRESH (HYDRATION TIME ESTIMATE = '<estimate>')][, AUTO SCALING "
         "STRATEGY = (ON HYDRATION (HYDRATION SIZE = '<hydration_size>'[, LINGER DURATION = "
         "'<duration>']))]);");
    More(
        "(REPLICATION FACTOR only with a manual schedule; SCHEDULE and AUTO SCALING STRATEGY "
        "as blue has them)");
    if (size.has_value() || rf.has_value()) {
      std::string fixed;
      if (size.has_value()) {
        fixed = "SIZE = " + Lit(*size) + " (REPLICATION FACTOR read from blue)";
      } else {
        fixed = "REPLICATION FACTOR = " + std::to_string(*rf) + " (SIZE read from blue)";
      }
      More("fixed by the plan: " + fixed + ";");
    }
    More(
        "unmanaged blue: cloned replica by replica from mz_cluster_replicas (name, size, "
        "availability_zone; internal replicas skipped), ordered by replica name:");
    More("CREATE CLUSTER " + green +
         " REPLICAS (\"<replica>\" (SIZE '<size>'[, AVAILABILITY ZONE '<zone>']), ...);");
    if (size.has_value() || rf.has_value()) {
      More(
          "an unmanaged blue with a partial override is refused: give both size and "
          "replication_factor.");
    }
  }

  void CopyClusterPrivileges(const ObjectRef& o) {
    const std::string green = Name(o.green);
    Comment("resolved at apply time: copy the grants of cluster " + Name(o.blue) + " to " + green +
            ": revoke what green has, then grant what blue has, from "
            "mz_internal.mz_aclexplode(mz_clusters.privileges) (grantee ids through mz_roles):");
    More("REVOKE <privilege_type> ON CLUSTER " + green + " FROM \"<grantee>\";");
    More("GRANT <privilege_type> ON CLUSTER " + green + " TO \"<grantee>\";");
    More("grantees none, mz_system, mz_support and the current role are skipped.");
  }

  void MarkGreen(const Step& step) {
    Comment(
        "resolved at apply time: mark each green object with this run; <run-id> is the "
        "journal id of the run:");
    for (const ObjectRef& o : step.objects) {
      More(Sql(CommentOnSql(dialect_, o.kind, o.database, o.green,
                            MarkerText(o.deployment, "<run-id>"))));
    }
  }

  // ---- await ----

  void AwaitSettingsLines(const Step& step, ObjectKind kind) {
    // The step's objects of `kind` by deployment name, in step order: one pass over the objects
    // (a merged await step holds every object of the plan).
    std::unordered_map<std::string_view, std::vector<const ObjectRef*>> by_deployment;
    for (const ObjectRef& o : step.objects) {
      if (o.kind == kind) {
        by_deployment[o.deployment].push_back(&o);
      }
    }
    for (const Deployment* d : deployments_.Of(step)) {
      std::vector<std::string> names;
      if (auto it = by_deployment.find(d->name); it != by_deployment.end()) {
        for (const ObjectRef* o : it->second) {
          names.push_back(ObjectName(*o, Side::kGreen));
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
      More("deployment " + Name(d->name) + ": " + what + "; poll_interval " +
           FormatDuration(a.poll_interval_ms) +
           (kind == ObjectKind::kCluster ? ", lag_threshold " + FormatDuration(a.lag_threshold_ms)
                                         : std::string()) +
           ", timeout " + FormatDuration(a.timeout_ms) + ", stable_for " +
           FormatDuration(a.stable_for_ms));
    }
  }

  void AwaitMz(const Step& step) {
    Comment(
        "resolved at apply time: poll readiness with one query per poll over all green "
        "clusters below (mz_clusters, mz_cluster_replicas, mz_internal.mz_hydration_statuses, "
        "mz_internal.mz_wallclock_global_lag, mz_internal.mz_cluster_replica_status_history):");
    More(
        "failing = no replicas, or every replica OOM-killed 3+ times in 24h (exit 5 unless "
        "--tolerate-failing); hydrating = an object not hydrated on any replica;");
    More(
        "lagging = max wallclock lag > lag_threshold; else ready (a cluster without dataflows is "
        "ready; an ON REFRESH cluster that is off is skipped with a warning).");
    More("done when all are ready in one poll and stay ready for stable_for; exit 4 at timeout.");
    AwaitSettingsLines(step, ObjectKind::kCluster);
  }

  void AwaitPg(const Step& step) {
    Comment(
        "resolved at apply time: poll pg_matviews.ispopulated of the materialized views in "
        "the green schemas below: any not populated = hydrating, else ready;");
    More("done when all are ready in one poll and stay ready for stable_for; exit 4 at timeout.");
    AwaitSettingsLines(step, ObjectKind::kSchema);
  }

  // ---- promote, rollback ----

  void Journal(const Step& step) {
    std::string what;
    if (step.rule == "intent") {
      what = "the intent to swap, with the pre-swap ids of every blue and green object";
    } else if (step.rule == "swapped") {
      what = "the swap, with the ids now under each name";
    } else if (step.rule == "phase-done") {
      what = "that the phase finished";
    } else {
      what = "event " + CommentSafe(step.rule);
    }
    Comment("resolved at apply time: journal (schema --journal-schema, default \"bgplan\"): " +
            what + ", for " + DeploymentNames(deployments_.Of(step)) +
            (IsMaterialize() ? "" : ", in the same transaction"));
  }

  // Blue names of the sinks schemas (and clusters) of the deployments of `step`.
  std::vector<std::string> SinkSchemas(const Step& step) const {
    std::vector<std::string> out;
    for (const Deployment* d : deployments_.Of(step)) {
      for (const plans::SinkSchema& s : d->sink_schemas) {
        out.push_back(SchemaRef(s.database, s.name));
      }
    }
    return out;
  }
  std::vector<std::string> SinkClusters(const Step& step) const {
    std::vector<std::string> out;
    for (const Deployment* d : deployments_.Of(step)) {
      for (const plans::SinkCluster& c : d->sink_clusters) {
        out.push_back(Name(c.name));
      }
    }
    return out;
  }

  void Swap(const Step& step) {
    if (IsMaterialize()) {
      for (const ObjectRef& o : step.objects) {
        for (const std::string& sql : SwapSql(dialect_, o)) {
          Line(sql);
        }
      }
      return;
    }
    const std::vector<std::string> sinks = SinkSchemas(step);
    if (!sinks.empty()) {
      Comment("resolved at apply time: the views in sinks " +
              std::string(sinks.size() == 1 ? "schema " : "schemas ") + JoinQuoted(sinks) +
              " that depend on the " + Subset(step.objects, ObjectKind::kSchema, Side::kBlue) +
              " (pg_depend, pg_rewrite), their definitions (pg_get_viewdef(oid), under the "
              "empty search_path, so every name is schema-qualified) and options "
              "(pg_class.reloptions) are read before this transaction, each read waiting at "
              "most lock_timeout;");
      More(
          "here, before renaming, they are read again: if one changed, SQLSTATE 40001 is "
          "raised and the transaction retried");
    }
    for (const ObjectRef& o : step.objects) {
      BGPLAN_CHECK(o.kind == ObjectKind::kSchema);
      Comment("exchange " + ObjectName(o, Side::kBlue) + " and " + ObjectName(o, Side::kGreen) +
              " through " + Name(SwapTempName(o.blue, dialect_)));
      for (const std::string& sql : SwapSql(dialect_, o)) {
        Line(sql);
      }
    }
  }

  void RepointSinksMz(const Step& step) {
    const std::string schemas = Subset(step.objects, ObjectKind::kSchema, Side::kBlue);
    std::string where;
    const std::vector<std::string> sink_schemas = SinkSchemas(step);
    const std::vector<std::string> sink_clusters = SinkClusters(step);
    if (!sink_schemas.empty()) {
      where += " in sinks " + std::string(sink_schemas.size() == 1 ? "schema " : "schemas ") +
               JoinQuoted(sink_schemas);
    }
    if (!sink_clusters.empty()) {
      where += (where.empty() ? " on " : ", on ") +
               std::string(sink_clusters.size() == 1 ? "cluster " : "clusters ") +
               JoinQuoted(sink_clusters);
    }
    Comment(std::string("resolved at apply time: ") +
            (step.reverse ? "point sinks back" : "re-point sinks") +
            ": read mz_internal.mz_object_dependencies joined to mz_sinks, mz_objects, mz_schemas "
            "and mz_databases for the sinks (" +
            (where.empty() ? std::string("the plan names no sinks schemas or clusters")
                           : "expected" + where) +
            ") whose upstream lives in the " + schemas + ";");
    More(std::string("for each, one statement at a time, each journaled (the name now holds the ") +
         (step.reverse ? "previous" : "new") + " object):");
    for (const ObjectRef& o : step.objects) {
      if (o.kind != ObjectKind::kSchema) {
        continue;
      }
      More(Sql("ALTER SINK \"<db>\".\"<sink schema>\".\"<sink>\" SET FROM ") +
           (o.database.empty() ? std::string("\"<db>\".") : Name(o.database) + ".") + Name(o.blue) +
           ".\"<upstream>\";");
    }
  }

  void RecreateViewsPg(const Step& step) {
    const std::vector<std::string> sinks = SinkSchemas(step);
    if (sinks.empty()) {
      Comment("no sinks schemas: no dependent views to re-create");
      return;
    }
    Comment(
        "resolved at apply time: re-create each captured view with its captured definition, "
        "which now binds to the objects under the blue names, and its options (security_invoker, "
        "security_barrier, check_option; owner, grants and comment stay with the view):");
    More(
        "CREATE OR REPLACE VIEW \"<sinks schema>\".\"<view>\" [WITH (<option> = '<value>', ...)] "
        "AS <definition>;");
    More(
        "(if the new objects change a view's columns this fails and the whole transaction rolls "
        "back)");
  }

  void TagSchemas(const Step& step) {
    Comment(
        "resolved at apply time: tag each production schema, one statement each; <user> = "
        "current_user, <time> = now(), <sha> = git rev-parse HEAD");
    More("(\" | Commit SHA: <sha>\" left out when unknown), <run-id> = the journal id of the run:");
    for (const ObjectRef& o : step.objects) {
      if (o.kind != ObjectKind::kSchema) {
        continue;
      }
      More(Sql(CommentOnSql(dialect_, ObjectKind::kSchema, o.database, o.blue,
                            TagText("<user>", "<time>", "<sha>", "<run-id>"))));
    }
  }

  const Plan& plan_;
  const Dialect& dialect_;
  const DeploymentIndex deployments_;
  // FindClusterPair's index: per deployment, its first cluster pair of each blue name.
  std::unordered_map<const Deployment*,
                     std::unordered_map<std::string_view, const plans::ClusterPair*>>
      cluster_pairs_;
  PhaseKind phase_ = PhaseKind::kInit;
  // ObjectList's phrases, by list (address of its first object and size), side and `only`: a
  // deployment's checks in every phase view the same shared lists (plans::ObjectList), so each
  // phrase is built once per list instead of once per step. An entry holds its list, so the
  // storage (and address) of a temporary list stays taken while the key exists.
  struct Phrases {
    plans::ObjectList list;
    std::optional<std::string> phrases[9];
  };
  struct ListKeyHash {
    size_t operator()(const std::pair<const ObjectRef*, size_t>& key) const {
      return std::hash<const ObjectRef*>()(key.first) ^ key.second;
    }
  };
  std::unordered_map<std::pair<const ObjectRef*, size_t>, Phrases, ListKeyHash> phrases_;
  const std::function<void(std::string_view)>* sink_;
  // The text not yet handed to the sink (all of it without a sink).
  std::string out_;
};

}  // namespace

plans::PromoteSettings CombinedPromoteSettings(const plans::Plan& plan, const plans::Step& step) {
  return Combine(DeploymentIndex(plan).Of(step));
}

std::string EmitSql(const plans::Plan& plan, const EmitOptions& options) {
  const std::unique_ptr<Dialect> dialect = MakeDialect(plan.target);
  return Emitter(plan, *dialect).Run(options);
}

void EmitSql(const plans::Plan& plan, const EmitOptions& options,
             const std::function<void(std::string_view)>& sink) {
  const std::unique_ptr<Dialect> dialect = MakeDialect(plan.target);
  Emitter(plan, *dialect, &sink).Run(options);
}

}  // namespace bgplan::emit
