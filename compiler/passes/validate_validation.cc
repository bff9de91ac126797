// Pass `validate-validation` (validation).
// Input: a lowered plan, phases not built yet.
// Output: the plan unchanged.
// Diagnostics, about the asserts of each deployment's `validate` block (lowering reports the
// block's unknown keys, duplicate items and settings, and invalid values):
//  - duplicate-assert: a second assert of one deployment with the same (folded) name; at its
//    name, note at the first;
//  - empty-assert-sql: an assert whose SQL is empty or only whitespace; at the string;
//  - unknown-placeholder: a `{schema}` placeholder (plans/validation.h) that names no schema the
//    deployment swaps; at the placeholder inside the string, with a suggestion when one schema is
//    a close match and a note listing the placeholders the deployment allows.
//
// A placeholder's location is computed from the string literal's (ValidationAssert::sql_origin)
// and the SQL alone: the SQL is the literal's text between its quotes with each `''` made one
// `'`, so walking it from just after the opening quote, a `'` counts two columns, a '\n' starts
// a line, and any other character counts one column per code point (as the lexer counts).
#include <algorithm>
#include <cctype>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "compiler/lower/lower.h"
#include "compiler/passes/pass.h"
#include "compiler/passes/passes.h"
#include "plans/validation.h"

namespace bgplan::passes {

namespace {

// The most schemas the unknown-placeholder note lists.
constexpr size_t kMaxListed = 20;

// Where byte `offset` of `a.sql` stands in the source (see the file comment).
SourceLocation SqlLocation(const plans::ValidationAssert& a, size_t offset) {
  SourceLocation at = a.sql_origin.begin;
  ++at.column;  // the opening quote
  for (size_t i = 0; i < offset && i < a.sql.size(); ++i) {
    auto byte = static_cast<unsigned char>(a.sql[i]);
    if (byte == '\n') {
      ++at.line;
      at.column = 1;
    } else if (byte == '\'') {
      at.column += 2;
    } else if ((byte & 0xC0) != 0x80) {
      ++at.column;
    }
  }
  return at;
}

bool Blank(std::string_view sql) {
  return std::all_of(sql.begin(), sql.end(),
                     [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; });
}

// How a placeholder naming the schema `name` (final spelling) is written: `{marts}`, or
// `{"Marts"}` when the name does not read the same unquoted.
std::string PlaceholderFor(std::string_view name) {
  bool bare = !name.empty() && !(name[0] >= '0' && name[0] <= '9') && name[0] != '$';
  for (char c : name) {
    bare = bare && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '$');
  }
  if (bare) {
    return "{" + std::string(name) + "}";
  }
  std::string out = "{\"";
  for (char c : name) {
    out += c;
    if (c == '"') {
      out += '"';
    }
  }
  return out + "\"}";
}

class ValidateValidationPass : public Pass {
 public:
  std::string_view Name() const override { return "validate-validation"; }
  PassKind Kind() const override { return PassKind::kValidation; }

  Result<bool> Run(plans::Plan& plan, PassContext& ctx) override {
    for (const auto& d : plan.deployments) {
      if (d.validate.asserts.empty()) {
        continue;
      }
      std::unordered_map<std::string_view, const plans::ValidationAssert*> names;
      for (const auto& a : d.validate.asserts) {
        auto [first, inserted] = names.emplace(a.name, &a);
        if (!inserted) {
          ctx.Report(plan, DiagKind::kDuplicateAssert, a.origin,
                     "duplicate assert '" + a.name + "' in deployment '" + d.name + "'",
                     {{first->second->origin, "first assert '" + a.name + "' is here"}});
        }
        if (Blank(a.sql)) {
          ctx.Report(
              plan, DiagKind::kEmptyAssertSql, a.sql_origin,
              "assert '" + a.name +
                  "' has no SQL: it needs a query returning one row with one boolean column");
          continue;
        }
        CheckPlaceholders(plan, d, a, ctx);
      }
    }
    return false;
  }

 private:
  static void CheckPlaceholders(const plans::Plan& plan, const plans::Deployment& d,
                                const plans::ValidationAssert& a, PassContext& ctx) {
    std::vector<plans::ValidationPlaceholder> placeholders = plans::ValidationPlaceholders(a.sql);
    if (placeholders.empty()) {
      return;
    }
    std::unordered_set<std::string_view> schemas;
    for (const auto& s : d.schemas) {
      schemas.insert(s.blue);
    }
    for (const auto& p : placeholders) {
      if (schemas.count(p.schema) != 0) {
        continue;
      }
      std::string written = a.sql.substr(p.begin, p.end - p.begin);
      std::string message =
          "placeholder '" + written + "' names no schema of deployment '" + d.name + "'";
      const plans::SchemaPair* closest = nullptr;
      int closest_distance = 0;
      for (const auto& s : d.schemas) {
        int distance = lower::EditDistance(p.schema, s.blue);
        if (closest == nullptr || distance < closest_distance) {
          closest = &s;
          closest_distance = distance;
        }
      }
      // Suggest only a plausible typo: at most a third of the name changed.
      if (closest != nullptr &&
          closest_distance <= std::max<int>(1, static_cast<int>(p.schema.size()) / 3)) {
        message += "; did you mean '" + PlaceholderFor(closest->blue) + "'?";
      }
      SourceRange range = a.sql_origin.valid()
                              ? SourceRange{SqlLocation(a, p.begin), SqlLocation(a, p.end)}
                              : a.origin;
      ctx.Report(plan, DiagKind::kUnknownPlaceholder, range, message,
                 {{SourceRange{}, Allowed(d)}});
    }
  }

  // The note listing the placeholders `d` allows.
  static std::string Allowed(const plans::Deployment& d) {
    std::vector<std::string_view> names;
    std::unordered_set<std::string_view> seen;
    for (const auto& s : d.schemas) {
      if (seen.insert(s.blue).second) {
        names.push_back(s.blue);
      }
    }
    std::string note;
    if (names.empty()) {
      note = "deployment '" + d.name + "' swaps no schema, so its asserts can use no placeholder";
    } else {
      note = "a placeholder names a schema the deployment swaps: ";
      for (size_t i = 0; i < names.size() && i < kMaxListed; ++i) {
        note += (i == 0 ? "" : ", ") + PlaceholderFor(names[i]);
      }
      if (names.size() > kMaxListed) {
        note += " and " + std::to_string(names.size() - kMaxListed) + " more";
      }
    }
    return note + "; write '{{' for a literal '{'";
  }
};

}  // namespace

std::unique_ptr<Pass> MakeValidateValidationPass() {
  return std::make_unique<ValidateValidationPass>();
}

}  // namespace bgplan::passes
