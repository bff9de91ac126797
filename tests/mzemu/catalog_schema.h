// The Materialize catalog as emulated in the backing PostgreSQL: schemas mz_catalog, mz_internal
// (relations and functions with Materialize's columns) and mzemu (emulator state and control
// functions). Installed once per database by the server at start-up; reused if present.
#pragma once

#include <string>

namespace mzemu {

// SQL (several statements, one transaction's worth) that creates the catalog and seeds the
// bootstrap objects: database `db_name` (u1), schema public, cluster quickstart, roles mz_system,
// mz_support and every name in `superusers` (comma separated) as superusers.
std::string CatalogBootstrapSql(const std::string& db_name, const std::string& superusers);

// Version tag stored in mzemu.state; a mismatch means the catalog was made by another mzemu.
inline constexpr int kCatalogFormat = 7;

}  // namespace mzemu
