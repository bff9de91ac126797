#include "tests/mzemu/backend.h"

#include <libpq-fe.h>

namespace mzemu {

static void IgnoreNotice(void*, const char*) {}

Backend::~Backend() {
  if (cancel_ != nullptr) PQfreeCancel(cancel_);
  if (conn_ != nullptr) PQfinish(conn_);
}

bool Backend::Connect(const std::string& url, std::string* error) {
  conn_ = PQconnectdb(url.c_str());
  if (PQstatus(conn_) != CONNECTION_OK) {
    *error = PQerrorMessage(conn_);
    return false;
  }
  PQsetNoticeProcessor(conn_, IgnoreNotice, nullptr);
  cancel_ = PQgetCancel(conn_);
  return true;
}

static Outcome FromResult(PGconn* conn, PGresult* res) {
  Outcome out;
  if (res == nullptr) {
    out.error = SqlError{"08006", PQerrorMessage(conn), "", ""};
    return out;
  }
  switch (PQresultStatus(res)) {
    case PGRES_TUPLES_OK: {
      out.has_rows = true;
      int nf = PQnfields(res);
      for (int f = 0; f < nf; ++f) {
        out.fields.push_back(Field{PQfname(res, f), PQftype(res, f),
                                   static_cast<int16_t>(PQfsize(res, f)), PQfmod(res, f)});
      }
      int nr = PQntuples(res);
      out.rows.reserve(nr);
      for (int r = 0; r < nr; ++r) {
        Row row;
        for (int f = 0; f < nf; ++f) {
          if (PQgetisnull(res, r, f)) {
            row.emplace_back(std::nullopt);
          } else {
            row.emplace_back(std::string(PQgetvalue(res, r, f), PQgetlength(res, r, f)));
          }
        }
        out.rows.push_back(std::move(row));
      }
      out.tag = PQcmdStatus(res);
      break;
    }
    case PGRES_COMMAND_OK:
      out.tag = PQcmdStatus(res);
      break;
    case PGRES_EMPTY_QUERY:
      out.empty = true;
      break;
    default: {
      SqlError e;
      const char* code = PQresultErrorField(res, PG_DIAG_SQLSTATE);
      const char* msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
      const char* detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
      const char* hint = PQresultErrorField(res, PG_DIAG_MESSAGE_HINT);
      e.code = code ? code : "XX000";
      e.message = msg ? msg : PQerrorMessage(conn);
      e.detail = detail ? detail : "";
      e.hint = hint ? hint : "";
      out.error = e;
    }
  }
  PQclear(res);
  return out;
}

Outcome Backend::Exec(const std::string& sql,
                      const std::vector<std::optional<std::string>>& params) {
  if (params.empty()) {
    return FromResult(conn_, PQexec(conn_, sql.c_str()));
  }
  std::vector<const char*> values;
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  return FromResult(conn_, PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()),
                                        nullptr, values.data(), nullptr, nullptr, 0));
}

Outcome Backend::Describe(const std::string& sql, std::vector<uint32_t>* param_types) {
  Outcome prep = FromResult(conn_, PQprepare(conn_, "", sql.c_str(), 0, nullptr));
  if (!prep.ok()) return prep;
  PGresult* res = PQdescribePrepared(conn_, "");
  if (res == nullptr || PQresultStatus(res) != PGRES_COMMAND_OK) {
    return FromResult(conn_, res);
  }
  Outcome out;
  int np = PQnparams(res);
  for (int i = 0; i < np; ++i) param_types->push_back(PQparamtype(res, i));
  int nf = PQnfields(res);
  out.has_rows = nf > 0;
  for (int f = 0; f < nf; ++f) {
    out.fields.push_back(Field{PQfname(res, f), PQftype(res, f),
                               static_cast<int16_t>(PQfsize(res, f)), PQfmod(res, f)});
  }
  PQclear(res);
  return out;
}

void Backend::Cancel() {
  if (cancel_ == nullptr) return;
  char buf[256];
  PQcancel(cancel_, buf, sizeof(buf));
}

bool Backend::InTransaction() const { return PQtransactionStatus(conn_) != PQTRANS_IDLE; }

}  // namespace mzemu
