#include "compiler/frontend/lexemes.h"

#include <array>

#include "support/check.h"

namespace bgplan::frontend {

namespace {

struct Unit {
  std::string_view name;
  int64_t milliseconds;
};

// Largest first: the index is the order units must appear in.
constexpr std::array<Unit, 5> kUnits = {{
    {"d", 86'400'000},
    {"h", 3'600'000},
    {"m", 60'000},
    {"s", 1'000},
    {"ms", 1},
}};

}  // namespace

static bool IsDigit(char c) { return c >= '0' && c <= '9'; }
static bool IsLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// a * b + c with overflow detection; returns false on overflow.
static bool MulAdd(int64_t a, int64_t b, int64_t c, int64_t& out) {
  int64_t product = 0;
  if (__builtin_mul_overflow(a, b, &product)) {
    return false;
  }
  return !__builtin_add_overflow(product, c, &out);
}

DurationLexeme ParseDurationLexeme(std::string_view lexeme) {
  DurationLexeme result;
  int64_t total = 0;
  bool overflow = false;
  int last_unit = -1;
  size_t i = 0;
  if (lexeme.empty()) {
    result.error = "empty duration";
    result.milliseconds = -1;
    return result;
  }
  while (i < lexeme.size()) {
    size_t digits_begin = i;
    int64_t number = 0;
    while (i < lexeme.size() && IsDigit(lexeme[i])) {
      if (!MulAdd(number, 10, lexeme[i] - '0', number)) {
        overflow = true;
      }
      ++i;
    }
    std::string_view digits = lexeme.substr(digits_begin, i - digits_begin);
    size_t unit_begin = i;
    while (i < lexeme.size() && IsLetter(lexeme[i])) {
      ++i;
    }
    std::string_view unit = lexeme.substr(unit_begin, i - unit_begin);
    if (digits.empty()) {
      result.error = "expected a number before '" + std::string(unit) + "'";
      break;
    }
    if (unit.empty()) {
      if (i < lexeme.size()) {
        result.error = "unexpected character '" + std::string(1, lexeme[i]) + "'";
      } else {
        result.error =
            "missing unit after '" + std::string(digits) + "' (units are ms, s, m, h, d)";
      }
      break;
    }
    int index = -1;
    for (size_t k = 0; k < kUnits.size(); ++k) {
      if (kUnits[k].name == unit) {
        index = static_cast<int>(k);
      }
    }
    if (index < 0) {
      result.error = "unknown unit '" + std::string(unit) + "' (units are ms, s, m, h, d)";
      break;
    }
    if (index == last_unit) {
      result.error = "unit '" + std::string(unit) + "' appears more than once";
      break;
    }
    if (index < last_unit) {
      result.error = "units must go from largest to smallest ('" + std::string(unit) + "' after '" +
                     std::string(kUnits[static_cast<size_t>(last_unit)].name) + "')";
      break;
    }
    last_unit = index;
    if (!overflow &&
        !MulAdd(number, kUnits[static_cast<size_t>(index)].milliseconds, total, total)) {
      overflow = true;
    }
  }
  result.milliseconds = (overflow || !result.error.empty()) ? -1 : total;
  return result;
}

int64_t ParseIntegerLexeme(std::string_view lexeme) {
  int64_t value = 0;
  if (lexeme.empty()) {
    return -1;
  }
  for (char c : lexeme) {
    if (!IsDigit(c) || !MulAdd(value, 10, c - '0', value)) {
      return -1;
    }
  }
  return value;
}

std::string UnquoteLexeme(std::string_view lexeme, char quote) {
  BGPLAN_CHECK(lexeme.size() >= 2 && lexeme.front() == quote && lexeme.back() == quote);
  std::string out;
  out.reserve(lexeme.size() - 2);
  for (size_t i = 1; i + 1 < lexeme.size(); ++i) {
    out.push_back(lexeme[i]);
    if (lexeme[i] == quote) {
      // The lexer only accepts doubled quotes inside, so skip the second one.
      ++i;
    }
  }
  return out;
}

}  // namespace bgplan::frontend
