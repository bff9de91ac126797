// Catalog relations and functions of newer Materialize releases (issue 13: the emulated
// version, mz_cluster_reconfigurations, mz_object_lifetimes, cluster settings). Appended to the
// bootstrap SQL by CatalogBootstrapSql before the bootstrap objects are inserted, so the
// lifetime triggers record those too.
#pragma once

#include <string>

namespace mzemu {

// SQL (several statements) creating the relations listed in README.md that are defined here.
std::string Catalog2026Sql();

}  // namespace mzemu
