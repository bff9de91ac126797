// PostgreSQL v3 wire-protocol framing for the emulator: reading frontend messages from a socket
// and building backend messages. No SQL knowledge lives here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tests/mzemu/backend.h"

namespace mzemu {

// Reads exactly `n` bytes; false on EOF or error.
bool ReadFull(int fd, void* buf, size_t n);
bool WriteFull(int fd, std::string_view data);

// A frontend message: type byte and payload (without the length word).
struct FrontendMessage {
  char type = 0;
  std::string payload;
};
bool ReadMessage(int fd, FrontendMessage* msg);

// Cursor over a message payload (network byte order).
class PayloadReader {
 public:
  explicit PayloadReader(std::string_view data) : data_(data) {}
  int32_t Int32();
  int16_t Int16();
  char Byte();
  std::string CString();
  std::string Bytes(size_t n);
  bool ok() const { return ok_; }

 private:
  std::string_view data_;
  size_t pos_ = 0;
  bool ok_ = true;
};

// Builds one backend message; Finish() returns type + length + payload.
class MessageBuilder {
 public:
  explicit MessageBuilder(char type) : type_(type) {}
  MessageBuilder& Int32(int32_t v);
  MessageBuilder& Int16(int16_t v);
  MessageBuilder& Byte(char c);
  MessageBuilder& CString(std::string_view s);
  MessageBuilder& Raw(std::string_view s);
  std::string Finish() const;

 private:
  char type_;
  std::string body_;
};

std::string ErrorResponseMessage(const SqlError& e);
std::string RowDescriptionMessage(const std::vector<Field>& fields);
std::string DataRowMessage(const Row& row);
std::string CommandCompleteMessage(const std::string& tag);
std::string ReadyForQueryMessage(char status);
std::string ParameterStatusMessage(const std::string& name, const std::string& value);

}  // namespace mzemu
