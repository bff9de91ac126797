// More emulated catalog relations (lag history, role-membership views), kept apart from
// catalog_schema.cc to keep that file readable. Appended to the bootstrap SQL by
// CatalogBootstrapSql, after the relations and helper functions it builds on.
#pragma once

#include <string>

namespace mzemu {

// SQL (several statements) creating the relations listed in README.md that are defined here.
std::string CatalogHistorySql();

}  // namespace mzemu
