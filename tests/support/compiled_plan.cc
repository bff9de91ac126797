#include "tests/support/compiled_plan.h"

#include <gtest/gtest.h>

#include "compiler/passes/pipeline.h"

namespace bgplan::testing {

plans::Plan Compiled(plans::Plan plan, const std::vector<std::string>& disabled_passes) {
  plan.phases.clear();
  DiagnosticEngine diags;
  passes::PipelineOptions options;
  options.disabled_passes = disabled_passes;
  Status internal;
  options.internal_error = &internal;
  if (!passes::RunPipeline(plan, options, diags) || !internal.ok()) {
    std::string text = internal.ok() ? "" : internal.ToString() + "\n";
    for (const Diagnostic& d : diags.Sorted()) {
      text += std::string(DiagKindName(d.kind)) + ": " + d.message + "\n";
    }
    ADD_FAILURE() << "the test's plan does not compile:\n" << text;
  }
  return plan;
}

}  // namespace bgplan::testing
