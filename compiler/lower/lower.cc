#include "compiler/lower/lower.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "compiler/frontend/lexemes.h"
#include "compiler/frontend/vocabulary.h"
#include "support/strings.h"

namespace bgplan::lower {

// The settings of each block, their types and ranges, are the language's vocabulary, shared with
// the front end (which says where a misplaced setting belongs).
using frontend::BlockOfKey;
using frontend::kAwaitSpecs;
using frontend::kCleanupSpecs;
using frontend::kClusterSpecs;
using frontend::kPromoteSpecs;
using frontend::kValidateSpecs;
using frontend::SettingSpec;
using frontend::SettingType;

// The targets a file may name.
constexpr std::string_view kTargets[] = {"materialize", "postgres"};

static std::string_view TypeNoun(SettingType type) {
  switch (type) {
    case SettingType::kDuration:
      return "a duration such as '15s'";
    case SettingType::kInteger:
      return "an integer";
    case SettingType::kBoolean:
      return "'true' or 'false'";
    case SettingType::kString:
      return "a string such as '200cc'";
  }
  return "a value";
}

static std::string_view ValueNoun(ast::ValueKind kind) {
  switch (kind) {
    case ast::ValueKind::kDuration:
      return "duration";
    case ast::ValueKind::kInteger:
      return "integer";
    case ast::ValueKind::kString:
      return "string";
    case ast::ValueKind::kBoolean:
      return "boolean";
    case ast::ValueKind::kName:
      return "name";
  }
  return "value";
}

static bool TypeMatches(SettingType type, ast::ValueKind kind) {
  switch (type) {
    case SettingType::kDuration:
      return kind == ast::ValueKind::kDuration;
    case SettingType::kInteger:
      return kind == ast::ValueKind::kInteger;
    case SettingType::kBoolean:
      return kind == ast::ValueKind::kBoolean;
    case SettingType::kString:
      return kind == ast::ValueKind::kString;
  }
  return false;
}

static std::string Quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

// A duration the front end reported as malformed (invalid-duration, or invalid-setting-value for
// `size 200cc;`): the file is still lowered to report its other errors, but nothing more is said
// about this value.
static bool IsMalformedDuration(const ast::Value& value) {
  return value.kind == ast::ValueKind::kDuration && value.duration_ms < 0 &&
         !frontend::ParseDurationLexeme(value.source_text).error.empty();
}

// What a value of the wrong type most likely meant, as the end of a message ("" when nothing
// better than the type can be said): dbt gives durations as seconds (`poll_interval 30;`).
static std::string TypeHint(SettingType type, const ast::Value& value) {
  if (type == SettingType::kDuration && value.kind == ast::ValueKind::kInteger) {
    return "durations need a unit: did you mean " + Quoted(value.source_text + "s") + "?";
  }
  if (type == SettingType::kDuration && value.kind == ast::ValueKind::kString &&
      !value.string.empty() && frontend::ParseDurationLexeme(value.string).error.empty()) {
    return "durations are written without quotes: did you mean " + value.string + "?";
  }
  return "";
}

namespace {

// A schema as written: its name, and its database when qualified.
struct PendingSchema {
  std::optional<std::string> database;
  std::string name;
  SourceRange range;
};

class Lowerer {
 public:
  Lowerer(const SourceFile& source, const LowerOptions& options, DiagnosticEngine& diags)
      : source_(source), options_(options), diags_(diags) {}

  plans::Plan Lower(const ast::File& file) {
    plans::Plan plan;
    plan.source_file = source_.display_name();
    LowerTarget(file, plan);
    for (const auto& deployment : file.deployments) {
      plan.deployments.push_back(LowerDeployment(deployment));
    }
    return plan;
  }

 private:
  void Report(DiagKind kind, SourceRange range, std::string message,
              std::vector<Diagnostic::Note> notes = {}) {
    diags_.Report(kind, source_.display_name(), range, std::move(message), std::move(notes));
  }

  void LowerTarget(const ast::File& file, plans::Plan& plan) {
    for (size_t i = 0; i < file.targets.size(); ++i) {
      const ast::TargetDecl& decl = file.targets[i];
      if (i > 0) {
        Report(DiagKind::kDuplicateTarget, decl.range, "duplicate 'target' declaration",
               {{file.targets[0].range, "first 'target' declaration is here"}});
        continue;
      }
      std::string name = FoldName(decl.name);
      if (name == "materialize") {
        plan.target = plans::Target::kMaterialize;
        plan.target_origin = decl.name.range;
      } else if (name == "postgres") {
        plan.target = plans::Target::kPostgres;
        plan.target_origin = decl.name.range;
      } else {
        std::string message = "unknown target " + Quoted(decl.name.text);
        std::string_view closest = frontend::ClosestWord(name, kTargets);
        if (!closest.empty()) {
          message += "; did you mean " + Quoted(closest) + "?";
        } else {
          message += "; expected 'materialize' or 'postgres'";
        }
        Report(DiagKind::kUnknownTarget, decl.name.range, message);
      }
    }
    if (options_.target_override.has_value()) {
      plan.target = *options_.target_override;
      plan.target_origin = SourceRange{};
    }
  }

  // Reports duplicate-item when `keyword` was already seen in this deployment; else records it.
  bool FirstItem(std::map<std::string, SourceRange>& seen, const std::string& keyword,
                 SourceRange range, const std::string& deployment) {
    auto [it, inserted] = seen.emplace(keyword, range);
    if (!inserted) {
      Report(DiagKind::kDuplicateItem, range,
             "duplicate " + Quoted(keyword) + " in deployment " + Quoted(deployment) +
                 "; only the first one is used",
             {{it->second, "first " + Quoted(keyword) + " is here"}});
      return false;
    }
    return true;
  }

  // The spec of `setting`'s key among `specs`; when there is none, reports unknown-setting (with
  // the closest key, or the block the key belongs in) and returns null.
  template <size_t N>
  const SettingSpec* FindSpec(const ast::Setting& setting, const SettingSpec (&specs)[N],
                              std::string_view block) {
    std::string key = FoldName(setting.key);
    for (const auto& candidate : specs) {
      if (candidate.key == key) {
        return &candidate;
      }
    }
    const SettingSpec* best = &specs[0];
    int best_distance = EditDistance(key, best->key);
    for (const auto& candidate : specs) {
      int distance = EditDistance(key, candidate.key);
      if (distance < best_distance) {
        best = &candidate;
        best_distance = distance;
      }
    }
    std::string message =
        "unknown setting " + Quoted(setting.key.text) + " in '" + std::string(block) + "' block";
    // A key of another block is more likely misplaced than misspelt: say where it belongs.
    std::string_view home = BlockOfKey(key);
    if (!home.empty()) {
      message += "; " + Quoted(key) + " belongs in a '" + std::string(home) + "' block";
    } else {
      message += "; did you mean " + Quoted(best->key) + "?";
    }
    Report(DiagKind::kUnknownSetting, setting.key.range, message);
    return nullptr;
  }

  // Reports duplicate-setting when `spec`'s key was already set in this block; else records it.
  bool FirstSetting(std::map<std::string_view, SourceRange>& seen, const SettingSpec& spec,
                    const ast::Setting& setting, std::string_view block) {
    auto [it, inserted] = seen.emplace(spec.key, setting.key.range);
    if (!inserted) {
      Report(DiagKind::kDuplicateSetting, setting.key.range,
             "duplicate setting " + Quoted(spec.key) + " in '" + std::string(block) + "' block",
             {{it->second, "first set here"}});
    }
    return inserted;
  }

  // Checks the settings of one block against `specs`. Returns, per valid key, its value; every
  // problem is reported and the offending setting left out.
  template <size_t N>
  std::map<std::string_view, const ast::Value*> CheckSettings(
      const std::vector<ast::Setting>& settings, const SettingSpec (&specs)[N],
      std::string_view block) {
    std::map<std::string_view, const ast::Value*> values;
    std::map<std::string_view, SourceRange> seen;
    for (const auto& setting : settings) {
      const SettingSpec* spec = FindSpec(setting, specs, block);
      if (spec == nullptr || !FirstSetting(seen, *spec, setting, block)) {
        continue;
      }
      if (CheckValue(*spec, setting.value)) {
        values[spec->key] = &setting.value;
      }
    }
    return values;
  }

  // `cluster X { ... }`: each key's type and range, then the combinations Materialize refuses
  // whatever blue looks like (those that depend on blue are live rules, resolve/rules.cc).
  void LowerClusterSettings(const ast::Item& item, plans::ClusterSettings& c) {
    auto values = CheckSettings(item.settings, kClusterSpecs, "cluster");
    auto string_of = [&](std::string_view key, std::optional<std::string>& out) {
      if (auto it = values.find(key); it != values.end()) {
        out = it->second->string;
      }
    };
    auto int_of = [&](std::string_view key, std::optional<int64_t>& out) {
      if (auto it = values.find(key); it != values.end()) {
        out = it->second->integer;
      }
    };
    string_of("size", c.size);
    int_of("replication_factor", c.replication_factor);
    string_of("hydration_size", c.hydration_size);
    if (auto it = values.find("introspection_interval"); it != values.end()) {
      c.introspection_interval_ms = it->second->duration_ms;
    }
    if (auto it = values.find("introspection_debugging"); it != values.end()) {
      c.introspection_debugging = it->second->boolean;
    }
    if (auto it = values.find("linger"); it != values.end()) {
      c.linger_ms = it->second->duration_ms;
      if (!c.hydration_size.has_value()) {
        Report(DiagKind::kInvalidSettingValue, it->second->range,
               "'linger' without 'hydration_size': the linger duration belongs to the hydration "
               "burst; add hydration_size '...'; or remove linger");
      }
    }
    if (c.introspection_debugging.value_or(false) && c.introspection_interval_ms == 0) {
      Report(DiagKind::kInvalidSettingValue, values.at("introspection_debugging")->range,
             "'introspection_debugging true' with 'introspection_interval 0s': Materialize "
             "refuses introspection debugging when introspection is off");
    }
    if (c.hydration_size.has_value() && c.size.has_value() && *c.hydration_size == *c.size) {
      Report(DiagKind::kInvalidSettingValue, values.at("hydration_size")->range,
             "'hydration_size' " + Quoted(*c.hydration_size) +
                 " equals 'size': a burst replica of the cluster's own size adds nothing");
    }
  }

  // `validate { assert NAME 'SQL'; row_count_change N; }`: unknown keys, a duplicate or
  // out-of-range row_count_change, and the shape of each assert are reported here; what the
  // asserts say (duplicate names, empty SQL, placeholders) by the validate-validation pass.
  void LowerValidate(const ast::Item& item, plans::ValidateSettings& validate) {
    validate.origin = item.keyword_range;
    std::map<std::string_view, SourceRange> seen;
    for (const auto& setting : item.settings) {
      const SettingSpec* spec = FindSpec(setting, kValidateSpecs, "validate");
      if (spec == nullptr) {
        continue;
      }
      if (spec->key == "assert") {
        LowerAssert(setting, validate);
        continue;
      }
      if (!FirstSetting(seen, *spec, setting, "validate")) {
        continue;
      }
      if (setting.has_label) {
        Report(DiagKind::kInvalidSettingValue, setting.label.range,
               Quoted(spec->key) + " takes one value, not a name and a value");
        continue;
      }
      if (CheckValue(*spec, setting.value)) {
        validate.row_count_change_pct = setting.value.integer;
      }
    }
  }

  void LowerAssert(const ast::Setting& setting, plans::ValidateSettings& validate) {
    const ast::Value& value = setting.value;
    if (IsMalformedDuration(value)) {
      return;
    }
    if (!setting.has_label) {
      Report(DiagKind::kInvalidSettingValue, value.range,
             "'assert' takes a name and then its SQL: assert NAME 'SELECT ...';");
      return;
    }
    if (value.kind != ast::ValueKind::kString) {
      Report(DiagKind::kInvalidSettingValue, value.range,
             "invalid value " + Quoted(value.source_text) +
                 " for 'assert': expected a SQL string such as 'SELECT true', found " +
                 std::string(ValueNoun(value.kind)));
      return;
    }
    plans::ValidationAssert a;
    a.name = FoldName(setting.label);
    a.sql = value.string;
    a.origin = setting.label.range;
    a.sql_origin = value.range;
    validate.asserts.push_back(std::move(a));
  }

  bool CheckValue(const SettingSpec& spec, const ast::Value& value) {
    // A string's lexeme already carries its quotes.
    std::string shown =
        value.kind == ast::ValueKind::kString ? value.source_text : Quoted(value.source_text);
    std::string prefix = "invalid value " + shown + " for " + Quoted(spec.key) + ": ";
    if (IsMalformedDuration(value)) {
      return false;
    }
    if (!TypeMatches(spec.type, value.kind)) {
      std::string hint = TypeHint(spec.type, value);
      Report(DiagKind::kInvalidSettingValue, value.range,
             prefix + (!hint.empty() ? hint
                                     : "expected " + std::string(TypeNoun(spec.type)) + ", found " +
                                           std::string(ValueNoun(value.kind))));
      return false;
    }
    switch (spec.type) {
      case SettingType::kBoolean:
        return true;
      case SettingType::kString:
        if (value.string.empty()) {
          Report(DiagKind::kInvalidSettingValue, value.range, prefix + "must not be empty");
          return false;
        }
        return true;
      case SettingType::kInteger:
      case SettingType::kDuration: {
        bool duration = spec.type == SettingType::kDuration;
        int64_t v = duration ? value.duration_ms : value.integer;
        auto show = [&](int64_t x) { return duration ? FormatDuration(x) : std::to_string(x); };
        if (v < 0 || v < spec.min || v > spec.max) {
          std::string message =
              prefix + "must be between " + show(spec.min) + " and " + show(spec.max);
          if (!spec.why_max.empty()) {
            message += " (" + std::string(spec.why_max) + ")";
          }
          Report(DiagKind::kInvalidSettingValue, value.range, message);
          return false;
        }
        return true;
      }
    }
    return false;
  }

  plans::Deployment LowerDeployment(const ast::Deployment& ast_deployment) {
    plans::Deployment d;
    d.name = FoldName(ast_deployment.name);
    d.origin = ast_deployment.name.range;
    std::map<std::string, SourceRange> seen_items;
    std::vector<PendingSchema> schemas;
    std::vector<PendingSchema> sink_schemas;
    std::optional<std::string> database;

    for (const auto& item : ast_deployment.items) {
      switch (item.kind) {
        case ast::ItemKind::kSchemas:
          for (const auto& qn : item.schemas) {
            schemas.push_back(Pending(qn));
          }
          break;
        case ast::ItemKind::kClusters:
          for (const auto& name : item.clusters) {
            plans::ClusterPair pair;
            pair.blue = FoldName(name);
            pair.origin = name.range;
            d.clusters.push_back(std::move(pair));
          }
          break;
        case ast::ItemKind::kClusterBlock: {
          plans::ClusterOverride o;
          o.name = FoldName(item.name);
          o.origin = item.name.range;
          if (!FirstItem(seen_items, "cluster " + o.name, item.name.range, d.name)) {
            break;
          }
          LowerClusterSettings(item, o.settings);
          d.cluster_overrides.push_back(std::move(o));
          break;
        }
        case ast::ItemKind::kSinks:
          for (const auto& sink_item : item.sink_items) {
            for (const auto& qn : sink_item.schemas) {
              sink_schemas.push_back(Pending(qn));
            }
            for (const auto& name : sink_item.clusters) {
              d.sink_clusters.push_back({FoldName(name), name.range});
            }
          }
          break;
        case ast::ItemKind::kSuffix:
          if (!FirstItem(seen_items, "suffix", item.keyword_range, d.name)) {
            break;
          }
          if (item.suffix.empty()) {
            Report(DiagKind::kEmptySuffix, item.value_range,
                   "empty suffix: green names would equal blue names");
            break;
          }
          d.suffix = item.suffix;
          break;
        case ast::ItemKind::kDatabase:
          if (!FirstItem(seen_items, "database", item.keyword_range, d.name)) {
            break;
          }
          database = FoldName(item.name);
          break;
        case ast::ItemKind::kAwait: {
          if (!FirstItem(seen_items, "await", item.keyword_range, d.name)) {
            break;
          }
          auto values = CheckSettings(item.settings, kAwaitSpecs, "await");
          SetDuration(values, "poll_interval", d.await.poll_interval_ms);
          SetDuration(values, "lag_threshold", d.await.lag_threshold_ms);
          SetDuration(values, "timeout", d.await.timeout_ms);
          SetDuration(values, "stable_for", d.await.stable_for_ms);
          if (auto it = values.find("compare_to_blue"); it != values.end()) {
            d.await.compare_to_blue = it->second->boolean;
          }
          break;
        }
        case ast::ItemKind::kPromote: {
          if (!FirstItem(seen_items, "promote", item.keyword_range, d.name)) {
            break;
          }
          auto values = CheckSettings(item.settings, kPromoteSpecs, "promote");
          if (auto it = values.find("wait"); it != values.end()) {
            d.promote.wait = it->second->boolean;
          }
          if (auto it = values.find("max_retries"); it != values.end()) {
            d.promote.max_retries = it->second->integer;
          }
          SetDuration(values, "retry_backoff", d.promote.retry_backoff_ms);
          SetDuration(values, "lock_timeout", d.promote.lock_timeout_ms);
          break;
        }
        case ast::ItemKind::kCleanup: {
          if (!FirstItem(seen_items, "cleanup", item.keyword_range, d.name)) {
            break;
          }
          auto values = CheckSettings(item.settings, kCleanupSpecs, "cleanup");
          SetDuration(values, "keep_blue", d.cleanup.keep_blue_ms);
          break;
        }
        case ast::ItemKind::kValidate:
          if (FirstItem(seen_items, "validate", item.keyword_range, d.name)) {
            LowerValidate(item, d.validate);
          }
          break;
      }
    }

    d.database = database.value_or("");
    for (auto& pending : schemas) {
      plans::SchemaPair pair;
      pair.database = pending.database.value_or(d.database);
      pair.blue = std::move(pending.name);
      pair.green = pair.blue + d.suffix;
      pair.origin = pending.range;
      d.schemas.push_back(std::move(pair));
    }
    for (auto& pending : sink_schemas) {
      d.sink_schemas.push_back(
          {pending.database.value_or(d.database), std::move(pending.name), pending.range});
    }
    // The last override block naming each cluster (FirstItem keeps one per name anyway), found
    // by hash instead of a scan of every block for every cluster.
    std::unordered_map<std::string_view, const plans::ClusterOverride*> overrides;
    for (const auto& o : d.cluster_overrides) {
      overrides[o.name] = &o;
    }
    for (auto& cluster : d.clusters) {
      cluster.green = cluster.blue + d.suffix;
      if (auto it = overrides.find(cluster.blue); it != overrides.end()) {
        cluster.settings = it->second->settings;
      }
    }
    return d;
  }

  static PendingSchema Pending(const ast::QualifiedName& qn) {
    PendingSchema p;
    if (qn.has_database) {
      p.database = FoldName(qn.database);
    }
    p.name = FoldName(qn.schema);
    p.range = qn.range;
    return p;
  }

  static void SetDuration(const std::map<std::string_view, const ast::Value*>& values,
                          std::string_view key, int64_t& out) {
    if (auto it = values.find(key); it != values.end()) {
      out = it->second->duration_ms;
    }
  }

  const SourceFile& source_;
  const LowerOptions& options_;
  DiagnosticEngine& diags_;
};

}  // namespace

std::string FoldName(const ast::Name& name) {
  std::string out = name.text;
  if (!name.quoted) {
    for (char& c : out) {
      if (c >= 'A' && c <= 'Z') {
        c = static_cast<char>(c - 'A' + 'a');
      }
    }
  }
  return out;
}

int EditDistance(std::string_view a, std::string_view b) { return frontend::EditDistance(a, b); }

plans::Plan LowerToPlan(const ast::File& file, const SourceFile& source,
                        const LowerOptions& options, DiagnosticEngine& diags) {
  return Lowerer(source, options, diags).Lower(file);
}

}  // namespace bgplan::lower
