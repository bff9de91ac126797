// Test helpers for the frontend (ninja's ParseTest idea): parse a string named `input.bgplan`
// and render what was reported exactly as `bgplan check` would. Test-only; header-only.
#pragma once

#include <memory>
#include <sstream>
#include <string>
#include <string_view>

#include "compiler/ast/ast.h"
#include "compiler/frontend/parse.h"
#include "support/diagnostic.h"
#include "support/source.h"

namespace bgplan::testing {

// The outcome of parsing one string. Holds the SourceFile so diagnostics render with carets.
struct ParsedString {
  SourceFile source;
  DiagnosticEngine diags;
  std::unique_ptr<ast::File> file;

  // Every diagnostic, sorted, rendered with source lines and carets.
  std::string Rendered() const {
    DiagnosticPrinter printer;
    printer.AddSource(source);
    return printer.RenderAll(diags.Sorted());
  }
};

// Parses `text` as a file named `name` with a fresh engine.
inline std::unique_ptr<ParsedString> ParseString(std::string_view text,
                                                 std::string_view name = "input.bgplan") {
  auto result = std::unique_ptr<ParsedString>(
      new ParsedString{SourceFile(std::string(name), std::string(text)), DiagnosticEngine(), {}});
  result->file = frontend::ParseFile(result->source, result->diags);
  return result;
}

// How DumpAst prints names and comments.
enum class DumpMode {
  // Names exactly as stored (text and quoted flag); comments with their trailing flag.
  kExact,
  // What the file means: each name as the object it denotes (unquoted names folded to lower
  // case, quoted ones exact, shown in quotes), comment texts without trailing whitespace. Two
  // files with equal kMeaning dumps compile to the same plan and keep the same comments.
  kMeaning,
};

// A text dump of `file`, one node per line, without source ranges; for comparing ASTs.
inline std::string DumpAst(const ast::File& file, DumpMode mode = DumpMode::kExact) {
  std::ostringstream out;
  auto name = [&](const ast::Name& n) {
    if (mode == DumpMode::kExact) {
      return (n.quoted ? "Q:" : "U:") + n.text;
    }
    std::string text = n.text;
    if (!n.quoted) {
      for (char& c : text) {
        if (c >= 'A' && c <= 'Z') {
          c = static_cast<char>(c - 'A' + 'a');
        }
      }
    }
    return "\"" + text + "\"";
  };
  auto qualified = [&](const ast::QualifiedName& q) {
    return q.has_database ? name(q.database) + "." + name(q.schema) : name(q.schema);
  };
  auto settings = [&](const std::vector<ast::Setting>& list) {
    for (const auto& s : list) {
      out << "    setting " << name(s.key);
      if (s.has_label) {
        out << " " << name(s.label);
      }
      out << " = ";
      const ast::Value& v = s.value;
      switch (v.kind) {
        case ast::ValueKind::kDuration:
          out << "duration " << v.source_text << " (" << v.duration_ms << " ms)";
          break;
        case ast::ValueKind::kInteger:
          out << "integer " << v.source_text << " (" << v.integer << ")";
          break;
        case ast::ValueKind::kString:
          out << "string [" << v.string << "]";
          break;
        case ast::ValueKind::kBoolean:
          out << "boolean " << (v.boolean ? "true" : "false");
          break;
        case ast::ValueKind::kName:
          out << "name " << name(v.name);
          break;
      }
      out << "\n";
    }
  };
  for (const auto& t : file.targets) {
    out << "target " << name(t.name) << "\n";
  }
  for (const auto& d : file.deployments) {
    out << "deployment " << name(d.name) << "\n";
    for (const auto& item : d.items) {
      switch (item.kind) {
        case ast::ItemKind::kSchemas:
          out << "  schemas";
          for (const auto& q : item.schemas) {
            out << " " << qualified(q);
          }
          out << "\n";
          break;
        case ast::ItemKind::kClusters:
          out << "  clusters";
          for (const auto& n : item.clusters) {
            out << " " << name(n);
          }
          out << "\n";
          break;
        case ast::ItemKind::kClusterBlock:
          out << "  cluster " << name(item.name) << "\n";
          settings(item.settings);
          break;
        case ast::ItemKind::kSinks:
          out << "  sinks\n";
          for (const auto& sink : item.sink_items) {
            out << (sink.kind == ast::SinkItem::Kind::kSchemas ? "    schemas" : "    clusters");
            for (const auto& q : sink.schemas) {
              out << " " << qualified(q);
            }
            for (const auto& n : sink.clusters) {
              out << " " << name(n);
            }
            out << "\n";
          }
          break;
        case ast::ItemKind::kSuffix:
          out << "  suffix [" << item.suffix << "]\n";
          break;
        case ast::ItemKind::kDatabase:
          out << "  database " << name(item.name) << "\n";
          break;
        case ast::ItemKind::kAwait:
          out << "  await\n";
          settings(item.settings);
          break;
        case ast::ItemKind::kPromote:
          out << "  promote\n";
          settings(item.settings);
          break;
        case ast::ItemKind::kCleanup:
          out << "  cleanup\n";
          settings(item.settings);
          break;
        case ast::ItemKind::kValidate:
          out << "  validate\n";
          settings(item.settings);
          break;
      }
    }
  }
  for (const auto& c : file.comments) {
    std::string text = c.text;
    if (mode == DumpMode::kMeaning) {
      while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
        text.pop_back();
      }
      out << "comment " << text << "\n";
    } else {
      out << (c.trailing ? "trailing comment " : "comment ") << text << "\n";
    }
  }
  return out.str();
}

}  // namespace bgplan::testing
