// A minimal SQL lexer for the emitter's tests (plain and E'...' literals): separates what SQL text says outside comments
// (code words) from the decoded contents of quoted identifiers and string literals, so a test can
// assert that a name never appears anywhere but inside a correctly quoted identifier.
#pragma once

#include <gtest/gtest.h>

#include <cctype>
#include <set>
#include <string>
#include <vector>

namespace bgplan::resolve::testing {

// What SQL text contains outside comments: code words, and the decoded contents of quoted
// identifiers and string literals. `ok` is false if a quote is left open.
struct Lexed {
  std::vector<std::string> words;
  std::vector<std::string> identifiers;
  std::vector<std::string> literals;
  bool ok = true;
};

inline Lexed Lex(const std::string& sql) {
  Lexed out;
  std::string word;
  auto flush = [&] {
    if (!word.empty()) {
      out.words.push_back(word);
      word.clear();
    }
  };
  size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      flush();
      while (i < sql.size() && sql[i] != '\n' && sql[i] != '\r') {
        ++i;
      }
      continue;
    }
    if (c == '"' || c == '\'') {
      // E'...' (an escape string constant): a backslash escapes the next character.
      const bool escape = c == '\'' && (word == "E" || word == "e");
      if (escape) {
        word.clear();
      }
      flush();
      std::string text;
      ++i;
      bool closed = false;
      while (i < sql.size()) {
        if (escape && sql[i] == '\\' && i + 1 < sql.size()) {
          text += sql[i + 1];
          i += 2;
          continue;
        }
        if (sql[i] == c) {
          if (i + 1 < sql.size() && sql[i + 1] == c) {
            text += c;
            i += 2;
            continue;
          }
          ++i;
          closed = true;
          break;
        }
        text += sql[i++];
      }
      out.ok = out.ok && closed;
      (c == '"' ? out.identifiers : out.literals).push_back(text);
      continue;
    }
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') {
      word += c;
    } else {
      flush();
      if (!std::isspace(static_cast<unsigned char>(c))) {
        out.words.push_back(std::string(1, c));
      }
    }
    ++i;
  }
  flush();
  return out;
}

// Every word the emitter may write outside quotes and comments.
inline const std::set<std::string>& AllowedWords() {
  static const std::set<std::string> words = {
      "BEGIN",       "COMMIT", "CREATE", "SCHEMA",  "CLUSTER",
      "ALTER",       "SWAP",   "WITH",   "RENAME",  "TO",
      "DROP",        "IF",     "EXISTS", "CASCADE", "SIZE",
      "REPLICATION", "FACTOR", "SET",    "LOCAL",   "lock_timeout",
      "search_path", "=",      "(",      ")",       ",",
      ";",           ".",      "2",      "1",       "0"};
  return words;
}

inline void ExpectOnlyQuotedNames(const std::string& sql, const std::set<std::string>& names) {
  const Lexed lexed = Lex(sql);
  EXPECT_TRUE(lexed.ok) << sql;
  for (const std::string& w : lexed.words) {
    EXPECT_TRUE(AllowedWords().count(w) > 0) << "unexpected code word '" << w << "' in\n" << sql;
  }
  for (const std::string& id : lexed.identifiers) {
    EXPECT_TRUE(names.count(id) > 0) << "unexpected identifier '" << id << "'";
  }
}

}  // namespace bgplan::resolve::testing
