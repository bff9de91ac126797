// FakeSession: a recording SqlSession for unit tests (style.md rule 8). Every text sent is
// recorded in order; answers are scripted by substring: the first matching rule (in the order
// added) answers, rules with a use limit expire. Unmatched queries return no rows.
#pragma once

#include <string>
#include <vector>

#include "runtime/session.h"

namespace bgplan::runtime {

class FakeSession : public SqlSession {
 public:
  // Queries containing `needle` return `rows` (at most `times` times; -1 = always).
  void On(std::string needle, Rows rows, int times = -1);
  // Queries containing `needle` fail with `status` (at most `times` times; -1 = always).
  void Fail(std::string needle, Status status, int times = -1);

  Result<Rows> Query(std::string_view sql) override;
  void Cancel() override { ++cancels_; }
  void Close() override { closed_ = true; }
  int BackendPid() const override { return 4242; }
  std::string Host() const override { return "fake"; }
  std::string Port() const override { return "5432"; }
  std::string User() const override { return "tester"; }
  std::string Database() const override { return "db"; }

  // Everything sent, in order.
  const std::vector<std::string>& sent() const { return sent_; }
  // Indexes into sent() of the texts containing `needle`.
  std::vector<size_t> Find(std::string_view needle) const;
  int cancels() const { return cancels_; }

 private:
  struct Rule {
    std::string needle;
    Rows rows;
    Status status;
    int times;
  };
  std::vector<Rule> rules_;
  std::vector<std::string> sent_;
  int cancels_ = 0;
  bool closed_ = false;
};

}  // namespace bgplan::runtime
