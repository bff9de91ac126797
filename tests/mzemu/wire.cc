#include "tests/mzemu/wire.h"

#include <arpa/inet.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace mzemu {

bool ReadFull(int fd, void* buf, size_t n) {
  char* p = static_cast<char*>(buf);
  while (n > 0) {
    ssize_t r = read(fd, p, n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    p += r;
    n -= static_cast<size_t>(r);
  }
  return true;
}

bool WriteFull(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t w = send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    data.remove_prefix(static_cast<size_t>(w));
  }
  return true;
}

bool ReadMessage(int fd, FrontendMessage* msg) {
  char type;
  uint32_t len;
  if (!ReadFull(fd, &type, 1) || !ReadFull(fd, &len, 4)) return false;
  len = ntohl(len);
  if (len < 4 || len > (1u << 30)) return false;
  msg->type = type;
  msg->payload.resize(len - 4);
  return len == 4 || ReadFull(fd, msg->payload.data(), len - 4);
}

int32_t PayloadReader::Int32() {
  if (pos_ + 4 > data_.size()) {
    ok_ = false;
    return 0;
  }
  uint32_t v;
  std::memcpy(&v, data_.data() + pos_, 4);
  pos_ += 4;
  return static_cast<int32_t>(ntohl(v));
}

int16_t PayloadReader::Int16() {
  if (pos_ + 2 > data_.size()) {
    ok_ = false;
    return 0;
  }
  uint16_t v;
  std::memcpy(&v, data_.data() + pos_, 2);
  pos_ += 2;
  return static_cast<int16_t>(ntohs(v));
}

char PayloadReader::Byte() {
  if (pos_ >= data_.size()) {
    ok_ = false;
    return 0;
  }
  return data_[pos_++];
}

std::string PayloadReader::CString() {
  size_t end = data_.find('\0', pos_);
  if (end == std::string_view::npos) {
    ok_ = false;
    return "";
  }
  std::string s(data_.substr(pos_, end - pos_));
  pos_ = end + 1;
  return s;
}

std::string PayloadReader::Bytes(size_t n) {
  if (pos_ + n > data_.size()) {
    ok_ = false;
    return "";
  }
  std::string s(data_.substr(pos_, n));
  pos_ += n;
  return s;
}

MessageBuilder& MessageBuilder::Int32(int32_t v) {
  uint32_t n = htonl(static_cast<uint32_t>(v));
  body_.append(reinterpret_cast<const char*>(&n), 4);
  return *this;
}

MessageBuilder& MessageBuilder::Int16(int16_t v) {
  uint16_t n = htons(static_cast<uint16_t>(v));
  body_.append(reinterpret_cast<const char*>(&n), 2);
  return *this;
}

MessageBuilder& MessageBuilder::Byte(char c) {
  body_ += c;
  return *this;
}

MessageBuilder& MessageBuilder::CString(std::string_view s) {
  body_.append(s);
  body_ += '\0';
  return *this;
}

MessageBuilder& MessageBuilder::Raw(std::string_view s) {
  body_.append(s);
  return *this;
}

std::string MessageBuilder::Finish() const {
  std::string out(1, type_);
  uint32_t n = htonl(static_cast<uint32_t>(body_.size() + 4));
  out.append(reinterpret_cast<const char*>(&n), 4);
  out += body_;
  return out;
}

std::string ErrorResponseMessage(const SqlError& e) {
  MessageBuilder m('E');
  m.Byte('S').CString("ERROR").Byte('V').CString("ERROR").Byte('C').CString(e.code);
  m.Byte('M').CString(e.message);
  if (!e.detail.empty()) m.Byte('D').CString(e.detail);
  if (!e.hint.empty()) m.Byte('H').CString(e.hint);
  m.Byte('\0');
  return m.Finish();
}

std::string RowDescriptionMessage(const std::vector<Field>& fields) {
  MessageBuilder m('T');
  m.Int16(static_cast<int16_t>(fields.size()));
  for (const auto& f : fields) {
    m.CString(f.name).Int32(0).Int16(0).Int32(static_cast<int32_t>(f.type_oid));
    m.Int16(f.type_len).Int32(f.type_mod).Int16(0);
  }
  return m.Finish();
}

std::string DataRowMessage(const Row& row) {
  MessageBuilder m('D');
  m.Int16(static_cast<int16_t>(row.size()));
  for (const auto& v : row) {
    if (!v) {
      m.Int32(-1);
    } else {
      m.Int32(static_cast<int32_t>(v->size())).Raw(*v);
    }
  }
  return m.Finish();
}

std::string CommandCompleteMessage(const std::string& tag) {
  return MessageBuilder('C').CString(tag).Finish();
}

std::string ReadyForQueryMessage(char status) { return MessageBuilder('Z').Byte(status).Finish(); }

std::string ParameterStatusMessage(const std::string& name, const std::string& value) {
  return MessageBuilder('S').CString(name).CString(value).Finish();
}

}  // namespace mzemu
