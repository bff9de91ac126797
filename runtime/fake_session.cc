#include "runtime/fake_session.h"

namespace bgplan::runtime {

void FakeSession::On(std::string needle, Rows rows, int times) {
  rules_.push_back({std::move(needle), std::move(rows), Status::Ok(), times});
}

void FakeSession::Fail(std::string needle, Status status, int times) {
  rules_.push_back({std::move(needle), {}, std::move(status), times});
}

Result<Rows> FakeSession::Query(std::string_view sql) {
  sent_.emplace_back(sql);
  if (closed_) {
    return Status(StatusCode::kConnectionError, "the connection is closed");
  }
  for (Rule& rule : rules_) {
    if (rule.times == 0 || sql.find(rule.needle) == std::string_view::npos) {
      continue;
    }
    if (rule.times > 0) {
      --rule.times;
    }
    if (!rule.status.ok()) {
      return rule.status;
    }
    return rule.rows;
  }
  return Rows{};
}

std::vector<size_t> FakeSession::Find(std::string_view needle) const {
  std::vector<size_t> out;
  for (size_t i = 0; i < sent_.size(); ++i) {
    if (sent_[i].find(needle) != std::string::npos) {
      out.push_back(i);
    }
  }
  return out;
}

}  // namespace bgplan::runtime
