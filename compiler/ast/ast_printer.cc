#include "compiler/ast/ast_printer.h"

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bgplan::ast {

// Must match the keyword tokens of grammar/BgPlan.g4 (tests/unit/ast checks each one).
constexpr std::array<std::string_view, 14> kKeywords = {
    "target",   "deployment", "schemas", "clusters", "cluster",  "sinks", "suffix",
    "database", "await",      "promote", "cleanup",  "validate", "true",  "false",
};

constexpr std::string_view kIndent = "    ";

// True when `text` is an unquoted identifier that folds to itself: [a-z_][a-z0-9_$]*.
static bool IsFoldedIdentifier(std::string_view text) {
  if (text.empty()) {
    return false;
  }
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    bool ok = (c >= 'a' && c <= 'z') || c == '_' || (i > 0 && ((c >= '0' && c <= '9') || c == '$'));
    if (!ok) {
      return false;
    }
  }
  return true;
}

static std::string QuoteString(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    out.push_back(c);
    if (c == '\'') {
      out.push_back('\'');
    }
  }
  out.push_back('\'');
  return out;
}

static std::string RightTrim(std::string_view text) {
  size_t end = text.size();
  while (end > 0 && (text[end - 1] == ' ' || text[end - 1] == '\t' || text[end - 1] == '\r')) {
    --end;
  }
  return std::string(text.substr(0, end));
}

static int CodePoints(std::string_view text) {
  int count = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++count;
    }
  }
  return count;
}

static std::string FormatQualifiedName(const QualifiedName& name) {
  if (name.has_database) {
    return FormatName(name.database) + "." + FormatName(name.schema);
  }
  return FormatName(name.schema);
}

static std::string FormatSchemaList(std::string_view keyword,
                                    const std::vector<QualifiedName>& names) {
  std::string out(keyword);
  for (size_t i = 0; i < names.size(); ++i) {
    out += i == 0 ? " " : ", ";
    out += FormatQualifiedName(names[i]);
  }
  return out + ";";
}

static std::string FormatNameList(std::string_view keyword, const std::vector<Name>& names) {
  std::string out(keyword);
  for (size_t i = 0; i < names.size(); ++i) {
    out += i == 0 ? " " : ", ";
    out += FormatName(names[i]);
  }
  return out + ";";
}

static std::string FormatValue(const Value& value) {
  if (value.kind == ValueKind::kName) {
    return FormatName(value.name);
  }
  if (!value.source_text.empty()) {
    return value.source_text;
  }
  // A hand-built node without its lexeme: print the typed value.
  switch (value.kind) {
    case ValueKind::kDuration:
      return std::to_string(value.duration_ms) + "ms";
    case ValueKind::kInteger:
      return std::to_string(value.integer);
    case ValueKind::kString:
      return QuoteString(value.string);
    case ValueKind::kBoolean:
      return value.boolean ? "true" : "false";
    case ValueKind::kName:
      break;
  }
  return FormatName(value.name);
}

namespace {

// One output line of code, before comments are attached. Slots are created in source order.
struct Slot {
  enum class Kind { kTarget, kOpen, kClose, kLine };
  Kind kind = Kind::kLine;
  int depth = 0;
  std::string text;
  // Source position of the slot's first token, and just after its last token on this line
  // (for an opening line: the name or keyword before `{`).
  SourceLocation start;
  SourceLocation end;
  // A deployment's closing brace: always followed by one blank line.
  bool top_level_close = false;
  std::vector<const Comment*> leading;
  // Comments that sat inside the slot's own tokens (a list split over lines); printed before it.
  std::vector<bool> leading_inner;
  const Comment* trailing = nullptr;
};

class Printer {
 public:
  explicit Printer(const File& file) : file_(file) {}

  std::string Print() {
    BuildSlots();
    AttachComments();
    return Emit();
  }

 private:
  void Add(Slot::Kind kind, int depth, std::string text, SourceLocation start, SourceLocation end) {
    Slot slot;
    slot.kind = kind;
    slot.depth = depth;
    slot.text = std::move(text);
    slot.start = start;
    slot.end = end;
    slots_.push_back(std::move(slot));
  }

  void AddClose(int depth, const SourceRange& range, bool top_level) {
    SourceLocation start{range.end.line, std::max(range.end.column - 1, 0)};
    Add(Slot::Kind::kClose, depth, "}", start, range.end);
    slots_.back().top_level_close = top_level;
  }

  // Keys padded to the longest key among the settings without a label; a labeled setting
  // (`assert NAME 'SQL';`) is printed with single spaces and is not aligned.
  void AddSettings(int depth, const std::vector<Setting>& settings) {
    int width = 0;
    for (const Setting& setting : settings) {
      if (!setting.has_label) {
        width = std::max(width, CodePoints(FormatName(setting.key)));
      }
    }
    for (const Setting& setting : settings) {
      std::string key = FormatName(setting.key);
      std::string text =
          setting.has_label
              ? key + " " + FormatName(setting.label) + " "
              : key + std::string(static_cast<size_t>(width - CodePoints(key) + 1), ' ');
      text += FormatValue(setting.value) + ";";
      Add(Slot::Kind::kLine, depth, std::move(text), setting.range.begin, setting.range.end);
    }
  }

  void AddItem(const Item& item) {
    const int depth = 1;
    switch (item.kind) {
      case ItemKind::kSchemas:
        Add(Slot::Kind::kLine, depth, FormatSchemaList("schemas", item.schemas), item.range.begin,
            item.range.end);
        return;
      case ItemKind::kClusters:
        Add(Slot::Kind::kLine, depth, FormatNameList("clusters", item.clusters), item.range.begin,
            item.range.end);
        return;
      case ItemKind::kSuffix: {
        std::string literal =
            item.suffix_source.empty() ? QuoteString(item.suffix) : item.suffix_source;
        Add(Slot::Kind::kLine, depth, "suffix " + literal + ";", item.range.begin, item.range.end);
        return;
      }
      case ItemKind::kDatabase:
        Add(Slot::Kind::kLine, depth, "database " + FormatName(item.name) + ";", item.range.begin,
            item.range.end);
        return;
      case ItemKind::kClusterBlock:
        Add(Slot::Kind::kOpen, depth, "cluster " + FormatName(item.name) + " {", item.range.begin,
            item.name.range.end);
        AddSettings(depth + 1, item.settings);
        AddClose(depth, item.range, false);
        return;
      case ItemKind::kSinks:
        Add(Slot::Kind::kOpen, depth, "sinks {", item.range.begin, item.keyword_range.end);
        for (const SinkItem& sink : item.sink_items) {
          std::string text = sink.kind == SinkItem::Kind::kSchemas
                                 ? FormatSchemaList("schemas", sink.schemas)
                                 : FormatNameList("clusters", sink.clusters);
          Add(Slot::Kind::kLine, depth + 1, std::move(text), sink.range.begin, sink.range.end);
        }
        AddClose(depth, item.range, false);
        return;
      case ItemKind::kAwait:
      case ItemKind::kPromote:
      case ItemKind::kCleanup:
      case ItemKind::kValidate: {
        std::string_view keyword = item.kind == ItemKind::kAwait     ? "await"
                                   : item.kind == ItemKind::kPromote ? "promote"
                                   : item.kind == ItemKind::kCleanup ? "cleanup"
                                                                     : "validate";
        Add(Slot::Kind::kOpen, depth, std::string(keyword) + " {", item.range.begin,
            item.keyword_range.end);
        AddSettings(depth + 1, item.settings);
        AddClose(depth, item.range, false);
        return;
      }
    }
  }

  void BuildSlots() {
    for (const TargetDecl& target : file_.targets) {
      Add(Slot::Kind::kTarget, 0, "target " + FormatName(target.name) + ";", target.range.begin,
          target.range.end);
    }
    for (const Deployment& deployment : file_.deployments) {
      Add(Slot::Kind::kOpen, 0, "deployment " + FormatName(deployment.name) + " {",
          deployment.range.begin, deployment.name.range.end);
      for (const Item& item : deployment.items) {
        AddItem(item);
      }
      AddClose(0, deployment.range, true);
    }
  }

  // Attaches each comment to the line it trails, or before the next line of code that starts
  // after it (comments inside a slot's own tokens go before that slot), or to the end of file.
  void AttachComments() {
    // Comments and slots are both in source order, so one forward scan finds each owner.
    size_t starts_before = 0;
    for (const Comment& comment : file_.comments) {
      SourceLocation at = comment.range.begin;
      while (starts_before < slots_.size() && slots_[starts_before].start <= at) {
        ++starts_before;
      }
      // The last slot starting at or before the comment.
      int owner = static_cast<int>(starts_before) - 1;
      if (owner >= 0) {
        Slot& slot = slots_[static_cast<size_t>(owner)];
        if (comment.trailing && at.line == slot.end.line && slot.end <= at &&
            slot.trailing == nullptr) {
          slot.trailing = &comment;
          continue;
        }
        if (at < slot.end) {
          slot.leading.push_back(&comment);
          slot.leading_inner.push_back(true);
          continue;
        }
      }
      size_t next = static_cast<size_t>(owner + 1);
      if (next < slots_.size()) {
        slots_[next].leading.push_back(&comment);
        slots_[next].leading_inner.push_back(false);
      } else {
        tail_.push_back(&comment);
      }
    }
  }

  // Appends one output line, preceded by a blank line when `blank` is set.
  void Line(bool blank, int depth, std::string_view text) {
    if (blank && !out_.empty()) {
      out_ += '\n';
    }
    for (int i = 0; i < depth; ++i) {
      out_ += kIndent;
    }
    out_ += text;
    out_ += '\n';
  }

  // Whether a unit whose source starts on `first_line` is preceded by a blank line.
  bool BlankBefore(int first_line, bool is_close) {
    if (out_.empty() || after_open_ || is_close) {
      return false;
    }
    if (force_blank_) {
      return true;
    }
    return first_line > 0 && last_line_ > 0 && first_line > last_line_ + 1;
  }

  void EmitComment(const Comment& comment, int depth, int first_line) {
    bool blank = BlankBefore(first_line, false);
    Line(blank, depth, RightTrim(comment.text));
    force_blank_ = false;
    after_open_ = false;
    last_line_ = std::max(last_line_, comment.range.end.line);
  }

  static std::string WithTrailing(std::string text, const Comment* comment) {
    if (comment != nullptr) {
      text += "  ";
      text += RightTrim(comment->text);
    }
    return text;
  }

  std::string Emit() {
    for (size_t i = 0; i < slots_.size(); ++i) {
      Slot& slot = slots_[i];
      bool is_close = slot.kind == Slot::Kind::kClose;
      int comment_depth = is_close ? slot.depth + 1 : slot.depth;
      for (size_t c = 0; c < slot.leading.size(); ++c) {
        int first = slot.leading_inner[c] ? slot.start.line : slot.leading[c]->range.begin.line;
        EmitComment(*slot.leading[c], comment_depth, first);
      }
      std::string text = slot.text;
      const Comment* trailing = slot.trailing;
      SourceLocation end = slot.end;
      bool top_level_close = slot.top_level_close;
      // An empty block on one line: `name {}`.
      if (slot.kind == Slot::Kind::kOpen && i + 1 < slots_.size() &&
          slots_[i + 1].kind == Slot::Kind::kClose && slots_[i + 1].leading.empty() &&
          !(slot.trailing != nullptr && slots_[i + 1].trailing != nullptr)) {
        Slot& close = slots_[i + 1];
        text += "}";
        if (trailing == nullptr) {
          trailing = close.trailing;
        }
        end = close.end;
        top_level_close = close.top_level_close;
        ++i;
        is_close = true;
      }
      bool blank = BlankBefore(slot.start.line, slot.kind == Slot::Kind::kClose);
      Line(blank, slot.depth, WithTrailing(std::move(text), trailing));
      after_open_ = slot.kind == Slot::Kind::kOpen && !is_close;
      last_line_ = std::max({last_line_, end.line, trailing ? trailing->range.end.line : 0});
      force_blank_ = top_level_close;
      if (slot.kind == Slot::Kind::kTarget &&
          (i + 1 >= slots_.size() || slots_[i + 1].kind != Slot::Kind::kTarget)) {
        force_blank_ = true;
      }
    }
    for (const Comment* comment : tail_) {
      EmitComment(*comment, 0, comment->range.begin.line);
    }
    return out_;
  }

  const File& file_;
  std::vector<Slot> slots_;
  std::vector<const Comment*> tail_;
  std::string out_;
  // The last source line printed so far (0 when unknown), for keeping blank lines.
  int last_line_ = 0;
  bool force_blank_ = false;
  bool after_open_ = false;
};

}  // namespace

bool IsKeyword(std::string_view word) {
  return std::find(kKeywords.begin(), kKeywords.end(), word) != kKeywords.end();
}

std::string FormatName(const Name& name) {
  if (!name.quoted || (IsFoldedIdentifier(name.text) && !IsKeyword(name.text))) {
    return name.text;
  }
  std::string out = "\"";
  for (char c : name.text) {
    out.push_back(c);
    if (c == '"') {
      out.push_back('"');
    }
  }
  out.push_back('"');
  return out;
}

std::string FormatFile(const File& file) { return Printer(file).Print(); }

}  // namespace bgplan::ast
