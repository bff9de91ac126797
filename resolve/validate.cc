// The `validate` step: the user's checks of each deployment's `validate` block, against green.
#include "resolve/resolver_impl.h"

namespace bgplan::resolve {

void ResolveValidate(Resolver::Impl& /*r*/, const plans::Step& /*step*/, ActionSink& /*out*/) {}

}  // namespace bgplan::resolve
