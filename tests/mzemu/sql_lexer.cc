#include "tests/mzemu/sql_lexer.h"

#include <algorithm>
#include <cctype>

namespace mzemu {

static bool IsIdentStart(unsigned char c) { return std::isalpha(c) || c == '_' || c >= 0x80; }
static bool IsIdentChar(unsigned char c) {
  return std::isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

std::vector<Token> Tokenize(std::string_view sql) {
  std::vector<Token> out;
  size_t i = 0;
  const size_t n = sql.size();
  while (i < n) {
    unsigned char c = sql[i];
    if (std::isspace(c)) {
      ++i;
      continue;
    }
    if (c == '-' && i + 1 < n && sql[i + 1] == '-') {
      while (i < n && sql[i] != '\n') ++i;
      continue;
    }
    if (c == '/' && i + 1 < n && sql[i + 1] == '*') {
      int depth = 0;
      while (i < n) {
        if (sql[i] == '/' && i + 1 < n && sql[i + 1] == '*') {
          ++depth;
          i += 2;
        } else if (sql[i] == '*' && i + 1 < n && sql[i + 1] == '/') {
          --depth;
          i += 2;
          if (depth == 0) break;
        } else {
          ++i;
        }
      }
      continue;
    }
    Token t;
    t.begin = i;
    bool escape_string = (c == 'e' || c == 'E') && i + 1 < n && sql[i + 1] == '\'';
    if (c == '\'' || escape_string) {
      if (escape_string) ++i;
      ++i;
      std::string value;
      while (i < n) {
        if (sql[i] == '\'') {
          if (i + 1 < n && sql[i + 1] == '\'') {
            value += '\'';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        if (escape_string && sql[i] == '\\' && i + 1 < n) {
          char e = sql[i + 1];
          value += e == 'n' ? '\n' : e == 't' ? '\t' : e;
          i += 2;
          continue;
        }
        value += sql[i++];
      }
      t.kind = TokenKind::kString;
      t.text = value;
    } else if (c == '"') {
      ++i;
      std::string value;
      while (i < n) {
        if (sql[i] == '"') {
          if (i + 1 < n && sql[i + 1] == '"') {
            value += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        value += sql[i++];
      }
      t.kind = TokenKind::kQuotedIdent;
      t.text = value;
    } else if (c == '$' && i + 1 < n && std::isdigit(static_cast<unsigned char>(sql[i + 1]))) {
      ++i;
      while (i < n && std::isdigit(static_cast<unsigned char>(sql[i]))) ++i;
      t.kind = TokenKind::kParam;
      t.text = std::string(sql.substr(t.begin, i - t.begin));
    } else if (c == '$') {
      // Dollar-quoted string: $tag$ ... $tag$
      size_t j = i + 1;
      while (j < n && IsIdentChar(sql[j]) && sql[j] != '$') ++j;
      if (j < n && sql[j] == '$') {
        std::string tag(sql.substr(i, j - i + 1));
        size_t close = sql.find(tag, j + 1);
        size_t body_end = close == std::string_view::npos ? n : close;
        t.kind = TokenKind::kString;
        t.text = std::string(sql.substr(j + 1, body_end - j - 1));
        i = close == std::string_view::npos ? n : close + tag.size();
      } else {
        t.kind = TokenKind::kOp;
        t.text = "$";
        ++i;
      }
    } else if (IsIdentStart(c)) {
      while (i < n && IsIdentChar(sql[i])) ++i;
      t.kind = TokenKind::kIdent;
      t.text = std::string(sql.substr(t.begin, i - t.begin));
      std::transform(t.text.begin(), t.text.end(), t.text.begin(),
                     [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    } else if (std::isdigit(c) ||
               (c == '.' && i + 1 < n && std::isdigit(static_cast<unsigned char>(sql[i + 1])))) {
      while (i < n && (std::isalnum(static_cast<unsigned char>(sql[i])) || sql[i] == '.')) ++i;
      t.kind = TokenKind::kNumber;
      t.text = std::string(sql.substr(t.begin, i - t.begin));
    } else {
      static const char* kMulti[] = {"::", "<=", ">=",  "<>", "!=", "||", "->>",
                                     "->", "=>", "#>>", "#>", "@>", "<@"};
      t.kind = TokenKind::kOp;
      size_t len = 1;
      for (const char* m : kMulti) {
        std::string_view mv(m);
        if (sql.substr(i, mv.size()) == mv && mv.size() > len) len = mv.size();
      }
      t.text = std::string(sql.substr(i, len));
      i += len;
    }
    t.end = i;
    out.push_back(std::move(t));
  }
  return out;
}

std::vector<Statement> SplitStatements(std::string_view sql) {
  std::vector<Token> tokens = Tokenize(sql);
  std::vector<Statement> out;
  size_t start = 0;
  for (size_t i = 0; i <= tokens.size(); ++i) {
    if (i < tokens.size() && !tokens[i].IsOp(";")) continue;
    if (i > start) {
      Statement s;
      size_t base = tokens[start].begin;
      s.text = std::string(sql.substr(base, tokens[i - 1].end - base));
      for (size_t k = start; k < i; ++k) {
        Token t = tokens[k];
        t.begin -= base;
        t.end -= base;
        s.tokens.push_back(std::move(t));
      }
      out.push_back(std::move(s));
    }
    start = i + 1;
  }
  return out;
}

std::string Splice(const std::string& text,
                   std::vector<std::pair<std::pair<size_t, size_t>, std::string>> edits) {
  std::sort(edits.begin(), edits.end(),
            [](const auto& a, const auto& b) { return a.first.first > b.first.first; });
  std::string out = text;
  for (const auto& [range, replacement] : edits) {
    out.replace(range.first, range.second - range.first, replacement);
  }
  return out;
}

std::string QuoteIdent(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string QuoteLiteral(std::string_view value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string RewriteForPostgres(const Statement& stmt) {
  const auto& t = stmt.tokens;
  std::vector<std::pair<std::pair<size_t, size_t>, std::string>> edits;
  // Wrapping is recorded as inserts; they are applied as zero-length edits.
  std::vector<std::pair<size_t, std::string>> inserts;
  for (size_t i = 0; i < t.size(); ++i) {
    bool after_dot = i > 0 && t[i - 1].IsOp(".");
    if (!after_dot && (t[i].IsWord("current_user") || t[i].IsWord("current_role"))) {
      size_t start = t[i].begin;
      std::string word = t[i].text;
      size_t end = t[i].end;
      if (i + 2 < t.size() && t[i + 1].IsOp("(") && t[i + 2].IsOp(")")) {
        end = t[i + 2].end;
        i += 2;
      }
      // Functions named like the keyword keep PostgreSQL's column name ("current_user").
      edits.push_back({{start, end}, "mz_catalog.\"" + word + "\"()"});
      continue;
    }
    // name ( ... ) .  -> ( name ( ... ) ) .
    if (t[i].IsOp("(") && i > 0 && t[i - 1].kind == TokenKind::kIdent) {
      int depth = 0;
      size_t j = i;
      for (; j < t.size(); ++j) {
        if (t[j].IsOp("(")) ++depth;
        if (t[j].IsOp(")") && --depth == 0) break;
      }
      if (j + 1 < t.size() && t[j + 1].IsOp(".")) {
        size_t name_start = i - 1;
        while (name_start >= 2 && t[name_start - 1].IsOp(".") && t[name_start - 2].IsName()) {
          name_start -= 2;
        }
        inserts.push_back({t[name_start].begin, "("});
        inserts.push_back({t[j].end, ")"});
      }
    }
  }
  for (auto& [pos, s] : inserts) edits.push_back({{pos, pos}, s});
  // Inserts at the same position as an edit start must come after it when splicing from the
  // back; stable ordering by position is sufficient because ranges never overlap.
  std::stable_sort(edits.begin(), edits.end(),
                   [](const auto& a, const auto& b) { return a.first.first > b.first.first; });
  std::string out = stmt.text;
  for (const auto& [range, replacement] : edits) {
    out.replace(range.first, range.second - range.first, replacement);
  }
  return out;
}

size_t AfterInsertTarget(const Statement& stmt) {
  const auto& t = stmt.tokens;
  if (t.empty() || !t[0].IsWord("insert")) return 0;
  size_t i = 1;
  if (i < t.size() && t[i].IsWord("into")) ++i;
  while (i < t.size() && t[i].IsName()) {
    ++i;
    if (i < t.size() && t[i].IsOp(".")) {
      ++i;
    } else {
      break;
    }
  }
  return i;
}

}  // namespace mzemu
