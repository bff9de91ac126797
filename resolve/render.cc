#include "resolve/render.h"

#include <memory>
#include <vector>

#include "resolve/resolver.h"
#include "resolve/text.h"
#include "sql/dialect.h"
#include "sql/statements.h"
#include "support/check.h"
#include "support/strings.h"

namespace bgplan::resolve {

using plans::Batch;
using plans::Deployment;
using plans::ObjectRef;
using plans::Phase;
using plans::PhaseKind;
using plans::Step;
using plans::StepKind;

namespace {

class Renderer : public ActionSink {
 public:
  Renderer(const plans::Plan& plan, const std::function<void(std::string_view)>* sink,
           const LiveText* live = nullptr)
      : plan_(plan),
        dialect_(sql::MakeDialect(plan.target)),
        index_(plan),
        sink_(sink),
        live_(live) {}

  std::string Compile(std::optional<PhaseKind> only) {
    Comment("bgplan compile, target " + std::string(dialect_->name()) +
            ": SQL for review; nothing here has run.");
    if (dialect_->transactional_ddl()) {
      Comment("Each phase's writes run in one transaction (BEGIN ... COMMIT), atomically.");
    } else {
      Comment(
          "Statements run one per round trip (autocommit); BEGIN ... COMMIT is one atomic round "
          "trip.");
    }
    Comment(
        "\"resolved at apply time\" lines depend on the live catalog; `bgplan plan` prints them "
        "resolved.");
    const Snapshot offline;
    bool found = false;
    for (const Phase& phase : plan_.phases) {
      if (only.has_value() && phase.kind != *only) {
        continue;
      }
      found = true;
      PhaseHeader(phase.kind);
      Resolver resolver(plan_, phase.kind, offline, {});
      bool any = false;
      for (const Batch& batch : phase.batches) {
        if (batch.steps.empty()) {
          continue;
        }
        if (any) {
          Line("");
        }
        any = true;
        BatchOpen(batch);
        const Step* previous = nullptr;
        for (size_t i = 0; i < batch.steps.size(); ++i) {
          const Step& step = batch.steps[i];
          BlankBefore(previous, step);
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
            resolver.Step(merged, *this);
            continue;
          }
          resolver.Step(step, *this);
        }
        BatchClose(batch);
      }
      if (!any) {
        Comment("nothing to do in this phase");
      }
    }
    if (only.has_value() && !found) {
      Line("");
      Comment("phase " + std::string(plans::PhaseName(*only)) + ": not in this plan");
    }
    if (sink_ != nullptr) {
      Flush();
    }
    return std::move(out_);
  }

  std::string Resolved(const ResolvedPhase& resolved) {
    PhaseHeader(resolved.kind);
    for (const std::string& note : resolved.notes) {
      Comment(Sql(note));
    }
    bool any = false;
    for (const auto& batch : resolved.batches) {
      bool has_actions = false;
      for (const ResolvedStep& s : batch.steps) {
        has_actions = has_actions || !s.actions.empty() || s.step->kind == StepKind::kCheck;
      }
      if (!has_actions) {
        continue;
      }
      if (any) {
        Line("");
      }
      any = true;
      const plans::Batch* plan_batch = batch.batch;
      const bool txn = batch.mode == Batch::Mode::kTransaction && batch.HasWrites();
      if (txn && plan_batch != nullptr) {
        BatchOpen(*plan_batch);
      }
      const Step* previous = nullptr;
      for (const ResolvedStep& s : batch.steps) {
        if (s.step->kind == StepKind::kCheck) {
          Comment("check (read-only): " + Sql(s.step->rule) + ": passed");
          previous = s.step;
          continue;
        }
        if (!s.actions.empty()) {
          BlankBefore(previous, *s.step);
          previous = s.step;
        }
        for (const Action& a : s.actions) {
          Add(a);
        }
      }
      if (txn && plan_batch != nullptr) {
        BatchClose(*plan_batch);
      }
    }
    if (!any) {
      Comment("nothing to do in this phase");
    }
    return std::move(out_);
  }

  void Add(Action a) override {
    switch (a.kind) {
      case Action::Kind::kSql:
        Line(a.sql);
        return;
      case Action::Kind::kCheck:
      case Action::Kind::kPending:
      case Action::Kind::kNote:
        for (size_t i = 0; i < a.lines.size(); ++i) {
          if (i == 0) {
            Comment(a.lines[i]);
          } else {
            More(a.lines[i]);
          }
        }
        return;
      case Action::Kind::kValidate:
        Comment("validate (read-only, before any write): " + Sql(a.validation->name) + ": " +
                Sql(a.validation->sql));
        return;
      case Action::Kind::kExpectId:
        Comment("check (read-only, just before the drop): " + Sql(a.identity->Describe()) +
                " is still under that name (else cleanup-id-mismatch: exit 3, nothing more "
                "dropped)");
        return;
      case Action::Kind::kJournal:
        Comment(Sql(a.journal->Describe()));
        if (live_ != nullptr && live_->journal_sql) {
          for (const std::string& statement : live_->journal_sql(*a.journal)) {
            Line(statement);
          }
        }
        return;
      case Action::Kind::kAwait: {
        std::vector<std::string> names;
        for (const std::string& d : a.deployments) {
          names.push_back(Name(d));
        }
        Comment("await: wait until the green side of " +
                std::string(names.size() == 1 ? "deployment " : "deployments ") +
                JoinQuoted(names) + " is ready");
        if (live_ != nullptr && live_->await_query) {
          if (const std::string query = live_->await_query(a.deployments); !query.empty()) {
            More("polling: " + Sql(query));
          }
        }
        return;
      }
    }
  }

 private:
  static constexpr size_t kChunk = 64 * 1024;

  void Flush() {
    (*sink_)(out_);
    out_.clear();
  }
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
  void Comment(std::string_view text) {
    out_ += "-- ";
    out_ += text;
    EndLine();
  }
  void More(std::string_view text) {
    out_ += "--   ";
    out_ += text;
    EndLine();
  }
  bool IsMaterialize() const { return plan_.target == plans::Target::kMaterialize; }

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

  void PhaseHeader(PhaseKind kind) {
    Line("");
    std::vector<const Deployment*> all;
    for (const Deployment& d : plan_.deployments) {
      all.push_back(&d);
    }
    Comment("phase " + std::string(plans::PhaseName(kind)) + ": " + DeploymentNames(all) + ": " +
            std::string(PhasePurpose(kind)));
    if (!IsMaterialize()) {
      for (const Deployment* d : all) {
        if (!d->database.empty()) {
          Comment("deployment " + Name(d->name) + " works in database " + Name(d->database) +
                  ": the connection must be to that database");
        }
      }
    }
  }

  // A blank line after the checks and before each object's create, so that each green object's
  // statements read as one block.
  void BlankBefore(const Step* previous, const Step& step) {
    if (previous != nullptr &&
        ((previous->kind == StepKind::kCheck && step.kind != StepKind::kCheck) ||
         step.kind == StepKind::kCreateGreenSchema || step.kind == StepKind::kCreateGreenCluster)) {
      Line("");
    }
  }

  void BatchOpen(const Batch& batch) {
    if (batch.mode != Batch::Mode::kTransaction) {
      return;
    }
    const Step* swap = nullptr;
    for (const Step& step : batch.steps) {
      BGPLAN_CHECK(dialect_->AllowedInTransaction(step.kind));
      if (step.kind == StepKind::kSwap && swap == nullptr) {
        swap = &step;
      }
    }
    if (swap != nullptr) {
      SwapRetryComment(*swap);
    }
    Line(dialect_->BeginSql());
    for (const std::string& statement : TransactionPrologue(plan_, batch)) {
      Line(statement);
    }
  }

  void BatchClose(const Batch& batch) {
    if (batch.mode == Batch::Mode::kTransaction) {
      Line(dialect_->CommitSql());
    }
  }

  void SwapRetryComment(const Step& swap) {
    const plans::PromoteSettings settings = CombinePromote(index_.Of(swap));
    std::vector<std::string> states = dialect_->RetryableSqlstates();
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

  const plans::Plan& plan_;
  std::unique_ptr<sql::Dialect> dialect_;
  const DeploymentIndex index_;
  const std::function<void(std::string_view)>* sink_;
  const LiveText* live_;
  std::string out_;
};

}  // namespace

std::string RenderCompile(const plans::Plan& plan, std::optional<PhaseKind> phase) {
  return Renderer(plan, nullptr).Compile(phase);
}

void RenderCompile(const plans::Plan& plan, std::optional<PhaseKind> phase,
                   const std::function<void(std::string_view)>& sink) {
  Renderer(plan, &sink).Compile(phase);
}

std::string RenderResolved(const plans::Plan& plan, const ResolvedPhase& resolved,
                           const LiveText& live) {
  return Renderer(plan, nullptr, &live).Resolved(resolved);
}

}  // namespace bgplan::resolve
