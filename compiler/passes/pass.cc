#include "compiler/passes/pass.h"

#include <utility>

namespace bgplan::passes {

void PassContext::Report(const plans::Plan& plan, DiagKind kind, SourceRange range,
                         std::string message, std::vector<Diagnostic::Note> notes) {
  Diagnostic d;
  d.kind = kind;
  d.severity = DefaultSeverity(kind);
  d.file = plan.source_file;
  d.range = range;
  d.message = std::move(message);
  d.notes = std::move(notes);
  diags_.Report(std::move(d));
}

std::string DisplayName(std::string_view database, std::string_view name) {
  if (database.empty()) {
    return std::string(name);
  }
  return std::string(database) + "." + std::string(name);
}

plans::Phase* FindMutablePhase(plans::Plan& plan, plans::PhaseKind kind) {
  for (auto& phase : plan.phases) {
    if (phase.kind == kind) {
      return &phase;
    }
  }
  return nullptr;
}

std::vector<plans::Step> TakeSteps(plans::Phase& phase,
                                   const std::function<bool(const plans::Step&)>& take,
                                   StepPosition* first) {
  std::vector<plans::Step> taken;
  for (size_t b = 0; b < phase.batches.size(); ++b) {
    std::vector<plans::Step>& steps = phase.batches[b].steps;
    std::vector<plans::Step> kept;
    kept.reserve(steps.size());
    for (auto& step : steps) {
      if (!take(step)) {
        kept.push_back(std::move(step));
        continue;
      }
      if (taken.empty() && first != nullptr) {
        *first = StepPosition{b, kept.size()};
      }
      taken.push_back(std::move(step));
    }
    steps = std::move(kept);
  }
  return taken;
}

void DropEmptyBatches(plans::Phase& phase) {
  std::erase_if(phase.batches, [](const plans::Batch& b) { return b.steps.empty(); });
}

std::vector<plans::Step> FlattenSteps(const plans::Phase& phase) {
  std::vector<plans::Step> steps;
  for (const auto& batch : phase.batches) {
    steps.insert(steps.end(), batch.steps.begin(), batch.steps.end());
  }
  return steps;
}

bool DeploymentNameMatches(std::string_view requested, std::string_view name) {
  if (requested == name) {
    return true;
  }
  if (requested.size() != name.size()) {
    return false;
  }
  for (size_t i = 0; i < requested.size(); ++i) {
    char c = requested[i];
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
    if (c != name[i]) {
      return false;
    }
  }
  return true;
}

bool SameAction(const plans::Step& a, const plans::Step& b) {
  return a.kind == b.kind && a.objects == b.objects && a.rule == b.rule && a.reverse == b.reverse;
}

}  // namespace bgplan::passes
