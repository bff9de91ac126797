// Status and Result<T>: the channel for environment failures (I/O, database, connection).
// User mistakes in input are Diagnostics (diagnostic.h); broken invariants are BGPLAN_CHECK.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "support/check.h"

namespace bgplan {

enum class StatusCode {
  kOk,
  kInvalidArgument,
  kNotFound,
  kIoError,
  kConnectionError,
  kDatabaseError,
  // A live precondition failed (exit 3); the message names the rule.
  kPrecondition,
  // The deployment is locked by another run (exit 6).
  kLocked,
  // Await gave up (exit 4) or saw a failing cluster (exit 5).
  kTimeout,
  kFailing,
  // SIGINT/SIGTERM (exit 8).
  kInterrupted,
  // apply's --deploy-cmd exited non-zero (exit 9).
  kCommandFailed,
  kInternal,
};

// A Status is OK or carries a code, a message and, for database errors, the SQLSTATE.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message, std::string sqlstate = "")
      : code_(code), message_(std::move(message)), sqlstate_(std::move(sqlstate)) {}

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status IoError(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // Five-character SQLSTATE for database errors, else empty.
  const std::string& sqlstate() const { return sqlstate_; }
  // "message (SQLSTATE xxxxx)" or just the message.
  std::string ToString() const {
    if (sqlstate_.empty()) {
      return message_;
    }
    return message_ + " (SQLSTATE " + sqlstate_ + ")";
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::string sqlstate_;
};

// Either a value or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Status status) : status_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    BGPLAN_CHECK(!status_.ok());
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & {
    BGPLAN_CHECK(ok());
    return *value_;
  }
  const T& value() const& {
    BGPLAN_CHECK(ok());
    return *value_;
  }
  T&& value() && {
    BGPLAN_CHECK(ok());
    return std::move(*value_);
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace bgplan

#define BGPLAN_STATUS_CONCAT_INNER_(a, b) a##b
#define BGPLAN_STATUS_CONCAT_(a, b) BGPLAN_STATUS_CONCAT_INNER_(a, b)

#define BGPLAN_RETURN_IF_ERROR(expr)          \
  do {                                        \
    ::bgplan::Status bgplan_status_ = (expr); \
    if (!bgplan_status_.ok()) {               \
      return bgplan_status_;                  \
    }                                         \
  } while (false)

#define BGPLAN_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) {                                    \
    return tmp.status();                              \
  }                                                   \
  lhs = std::move(tmp).value()

#define BGPLAN_ASSIGN_OR_RETURN(lhs, expr) \
  BGPLAN_ASSIGN_OR_RETURN_IMPL_(BGPLAN_STATUS_CONCAT_(bgplan_result_, __LINE__), lhs, expr)
