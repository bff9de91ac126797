// The .bgplan syntax tree: what the user wrote, with a SourceRange on every node.
// Built by compiler/frontend from the ANTLR parse tree; read by compiler/lower (to the IR) and by
// the printer used by `bgplan fmt`. Plain structs, no ANTLR types; owns all its strings.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "support/source.h"

namespace bgplan::ast {

// A name as written: `marts` (quoted == false, text is the source spelling, not yet folded) or
// `"Marts"` (quoted == true, text is the content with "" already unescaped to ").
struct Name {
  std::string text;
  bool quoted = false;
  SourceRange range;
};

// `schema` or `database.schema`.
struct QualifiedName {
  bool has_database = false;
  Name database;
  Name schema;
  SourceRange range;
};

enum class ValueKind { kDuration, kInteger, kString, kBoolean, kName };

// A setting's value. `source_text` is the exact lexeme (used by fmt).
struct Value {
  ValueKind kind = ValueKind::kInteger;
  std::string source_text;
  // kInteger: the value, or -1 when it does not fit in int64 (the lowerer reports it).
  int64_t integer = 0;
  // kDuration: total milliseconds (-1 on overflow).
  int64_t duration_ms = 0;
  bool boolean = false;
  // kString: content with '' unescaped.
  std::string string;
  // kName: the name.
  Name name;
  SourceRange range;
};

// `key value;` inside await/promote/cleanup/cluster/validate blocks, or `key label value;`
// inside `validate { }` (`assert NAME 'SQL';`, the only key that takes a label).
struct Setting {
  Name key;
  bool has_label = false;
  Name label;
  Value value;
  SourceRange range;
};

// `schemas a, b;` / `clusters x, y;` inside `sinks { }`.
struct SinkItem {
  enum class Kind { kSchemas, kClusters } kind = Kind::kSchemas;
  std::vector<QualifiedName> schemas;
  std::vector<Name> clusters;
  SourceRange range;
};

enum class ItemKind {
  kSchemas,       // schemas a, db.b;
  kClusters,      // clusters c1, c2;
  kClusterBlock,  // cluster c { settings }
  kSinks,         // sinks { sink items }
  kSuffix,        // suffix '...';
  kDatabase,      // database d;
  kAwait,         // await { settings }
  kPromote,       // promote { settings }
  kCleanup,       // cleanup { settings }
  kValidate,      // validate { settings, `assert NAME 'SQL';` among them }
};

// One item of a deployment. Which fields are set depends on `kind`.
struct Item {
  ItemKind kind = ItemKind::kSchemas;
  SourceRange range;          // the whole item
  SourceRange keyword_range;  // the leading keyword
  std::vector<QualifiedName> schemas;  // kSchemas
  std::vector<Name> clusters;          // kClusters
  Name name;                           // kClusterBlock (cluster name), kDatabase
  std::vector<Setting> settings;       // kClusterBlock, kAwait, kPromote, kCleanup, kValidate
  std::vector<SinkItem> sink_items;    // kSinks
  std::string suffix;                  // kSuffix: content with '' unescaped
  std::string suffix_source;           // kSuffix: the exact lexeme, quotes included
  SourceRange value_range;             // kSuffix: the string literal
};

struct Deployment {
  Name name;
  std::vector<Item> items;
  SourceRange range;
};

struct TargetDecl {
  Name name;
  SourceRange range;
};

// A `#` comment, kept for the formatter. `text` starts with '#', has no line terminator.
// `trailing` is true when code precedes it on its line.
struct Comment {
  std::string text;
  SourceRange range;
  bool trailing = false;
};

struct File {
  // Every `target` line, in order (more than one is a diagnostic).
  std::vector<TargetDecl> targets;
  std::vector<Deployment> deployments;
  std::vector<Comment> comments;
};

}  // namespace bgplan::ast
