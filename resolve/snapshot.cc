#include "resolve/snapshot.h"

#include <algorithm>

#include "resolve/resolved.h"

namespace bgplan::resolve {

std::string CatalogObject::QualifiedName() const {
  return (database.empty() ? "" : database + ".") + schema + "." + name;
}

std::string CatalogObject::Describe() const { return kind + " " + QualifiedName(); }

const RecordedObject* RunFacts::Find(plans::ObjectKind kind, const std::string& blue) const {
  for (const RecordedObject& o : objects) {
    if (o.kind == kind && o.blue == blue) {
      return &o;
    }
  }
  return nullptr;
}

std::string_view DeployStateName(DeployState state) {
  switch (state) {
    case DeployState::kAbsent:
      return "absent";
    case DeployState::kInitialized:
      return "initialized";
    case DeployState::kPromoted:
      return "promoted";
    case DeployState::kRolledBack:
      return "rolled_back";
  }
  return "absent";
}

std::vector<const SinkFacts*> SinksReadingGreen(const DeploymentFacts& f) {
  std::vector<const SinkFacts*> out;
  for (const SinkFacts& k : f.sinks) {
    const bool reads_green = std::any_of(k.reads.begin(), k.reads.end(), [&](const auto& read) {
      return std::any_of(f.schemas.begin(), f.schemas.end(), [&](const PairFacts& p) {
        return p.green.exists && read.schema == p.green.name && read.database == p.green.database;
      });
    });
    if (reads_green) {
      out.push_back(&k);
    }
  }
  return out;
}

const DeploymentFacts* Snapshot::Find(const std::string& deployment) const {
  for (const DeploymentFacts& d : deployments) {
    if (d.deployment->name == deployment) {
      return &d;
    }
  }
  return nullptr;
}

std::string JournalOp::Describe() const {
  std::string what;
  switch (kind) {
    case Kind::kStartRun:
      what = "a new run of deployment " + deployment + " (" + phase + ")";
      break;
    case Kind::kRecordIds:
      what = "the ids now under each name of deployment " + deployment;
      break;
    case Kind::kSetPhase:
      what = "run phase " + phase + (status.empty() ? "" : ", status " + status);
      break;
    case Kind::kEvent:
      what = phase + " event " + type + ": " + message;
      break;
  }
  return "journal: " + what + " (run " + run_id + ")";
}

std::string Action::Identity::Describe() const {
  return std::string(kind == plans::ObjectKind::kSchema ? "schema '" : "cluster '") +
         (database.empty() ? "" : database + ".") + name + "' (id " + id + ")";
}

bool ResolvedBatch::HasWrites() const {
  for (const ResolvedStep& s : steps) {
    for (const Action& a : s.actions) {
      if ((a.kind == Action::Kind::kSql && a.changes) || a.kind == Action::Kind::kJournal) {
        return true;
      }
    }
  }
  return false;
}

bool ResolvedPhase::HasWrites() const {
  for (const ResolvedBatch& b : batches) {
    if (b.HasWrites()) {
      return true;
    }
  }
  return false;
}

bool ResolvedPhase::HasChanges() const {
  for (const ResolvedBatch& b : batches) {
    for (const ResolvedStep& s : b.steps) {
      for (const Action& a : s.actions) {
        if (a.kind == Action::Kind::kSql && a.changes) {
          return true;
        }
      }
    }
  }
  return false;
}

}  // namespace bgplan::resolve
