// DdlInterpreter: parses and applies one Materialize DDL statement (CREATE/ALTER/DROP/COMMENT/
// GRANT/REVOKE ...) to the emulated catalog inside the caller's open backing transaction. The
// caller (Session) owns transaction boundaries, the catalog mutex and the catalog version.
#pragma once

#include "tests/mzemu/backend.h"
#include "tests/mzemu/sql_lexer.h"

namespace mzemu {

class Session;

class DdlInterpreter {
 public:
  DdlInterpreter(Session& session, Backend& backend) : session_(session), backend_(backend) {}

  // Applies `stmt`. On error returns the error outcome; the caller must roll back.
  Outcome Apply(const Statement& stmt);

 private:
  Session& session_;
  Backend& backend_;
};

}  // namespace mzemu
