#include "compiler/frontend/ast_builder.h"

#include <optional>
#include <string>
#include <typeinfo>
#include <utility>
#include <vector>

#include "BgPlanLexer.h"
#include "BgPlanParser.h"
#include "antlr4-runtime.h"
#include "compiler/frontend/ast_recovery.h"
#include "compiler/frontend/lexemes.h"
#include "support/check.h"

namespace bgplan::frontend {

namespace gen = bgplan::grammar::gen;
using Parser = gen::BgPlanParser;

SourceLocation TokenBegin(const antlr4::Token& token) {
  return SourceLocation{static_cast<int>(token.getLine()),
                        static_cast<int>(token.getCharPositionInLine()) + 1};
}

SourceRange TokenRange(const antlr4::Token& token) {
  SourceRange range;
  range.begin = TokenBegin(token);
  range.end = range.begin;
  if (token.getType() == antlr4::Token::EOF) {
    return range;
  }
  size_t type = token.getType();
  if (type != Parser::STRING && type != Parser::QUOTED_IDENT &&
      type != Parser::UNTERMINATED_STRING && type != Parser::UNTERMINATED_QUOTED_IDENT) {
    // One line; start and stop index code points.
    range.end.column += static_cast<int>(token.getStopIndex() - token.getStartIndex() + 1);
    return range;
  }
  // Strings and quoted identifiers may span lines: walk the UTF-8 text (columns count code
  // points).
  std::string text = token.getText();
  for (size_t i = 0; i < text.size(); ++i) {
    auto byte = static_cast<unsigned char>(text[i]);
    if (byte == '\n') {
      ++range.end.line;
      range.end.column = 1;
    } else if ((byte & 0xC0) != 0x80) {
      ++range.end.column;
    }
  }
  return range;
}

// The children of `ctx` whose dynamic type is exactly T, in order. Generated rule contexts have
// no subclasses (labeled alternatives are dispatched on separately), so one typeid comparison
// per child replaces the two dynamic_casts per child of the generated accessors.
template <typename T>
static std::vector<T*> ChildrenOf(antlr4::ParserRuleContext& ctx) {
  std::vector<T*> out;
  for (antlr4::tree::ParseTree* child : ctx.children) {
    if (child != nullptr && typeid(*child) == typeid(T)) {
      out.push_back(static_cast<T*>(child));
    }
  }
  return out;
}

// `ctx` as the labeled alternative T, which its first token selects (checked).
template <typename T, typename Base>
static T& Alternative(Base& ctx) {
  BGPLAN_CHECK(typeid(ctx) == typeid(T));
  return static_cast<T&>(ctx);
}

namespace {

class AstBuilder {
 public:
  AstBuilder() = default;

  // True once an unknown item was left out that may have listed objects (MayListObjects).
  bool lossy() const { return lossy_; }

  std::unique_ptr<ast::File> BuildFile(Parser::FileContext& ctx,
                                       antlr4::BufferedTokenStream& tokens) {
    auto file = std::make_unique<ast::File>();
    for (auto* target : ctx.targetDecl()) {
      BGPLAN_CHECK(target != nullptr);
      file->targets.push_back(BuildTarget(*target));
    }
    for (auto* deployment : ctx.deployment()) {
      BGPLAN_CHECK(deployment != nullptr);
      file->deployments.push_back(BuildDeployment(*deployment));
    }
    CollectComments(tokens, *file);
    return file;
  }

 private:
  static SourceRange RangeOf(antlr4::ParserRuleContext& ctx) {
    BGPLAN_CHECK(ctx.getStart() != nullptr && ctx.getStop() != nullptr);
    return SourceRange{TokenBegin(*ctx.getStart()), TokenRange(*ctx.getStop()).end};
  }

  static antlr4::Token& TokenOf(antlr4::tree::TerminalNode* node) {
    BGPLAN_CHECK(node != nullptr && node->getSymbol() != nullptr);
    return *node->getSymbol();
  }

  ast::TargetDecl BuildTarget(Parser::TargetDeclContext& ctx) {
    ast::TargetDecl target;
    target.name = NameFromToken(TokenOf(ctx.IDENT()));
    target.range = RangeOf(ctx);
    return target;
  }

  ast::Deployment BuildDeployment(Parser::DeploymentContext& ctx) {
    ast::Deployment deployment;
    BGPLAN_CHECK(ctx.name() != nullptr);
    deployment.name = BuildName(*ctx.name());
    for (auto* item : ctx.item()) {
      BGPLAN_CHECK(item != nullptr);
      if (auto* list = dynamic_cast<Parser::ClusterListItemContext*>(item)) {
        // `cluster a, b;` (reported by ReportUnknownItems): the list of `clusters a, b;`.
        ast::Item clusters;
        clusters.kind = ast::ItemKind::kClusters;
        clusters.range = RangeOf(*list);
        clusters.keyword_range = TokenRange(*list->getStart());
        clusters.clusters = BuildNames(ChildrenOf<Parser::NameContext>(*list));
        deployment.items.push_back(std::move(clusters));
        continue;
      }
      if (item->getStart()->getType() == Parser::IDENT) {
        // An unknown item (reported by ReportUnknownItems): kept when it is recognisably a
        // misspelt item of the right shape, so that what it lists is still checked.
        if (std::optional<ast::Item> recovered = RecoverItem(*item)) {
          deployment.items.push_back(std::move(*recovered));
        } else if (MayListObjects(*item)) {
          lossy_ = true;
        }
        continue;
      }
      deployment.items.push_back(BuildItem(*item));
    }
    deployment.range = RangeOf(ctx);
    return deployment;
  }

  std::vector<ast::QualifiedName> BuildQualifiedNames(
      const std::vector<Parser::QualifiedNameContext*>& names) {
    std::vector<ast::QualifiedName> out;
    out.reserve(names.size());
    for (auto* name : names) {
      BGPLAN_CHECK(name != nullptr);
      out.push_back(BuildQualifiedName(*name));
    }
    return out;
  }

  std::vector<ast::Name> BuildNames(const std::vector<Parser::NameContext*>& names) {
    std::vector<ast::Name> out;
    out.reserve(names.size());
    for (auto* name : names) {
      BGPLAN_CHECK(name != nullptr);
      out.push_back(BuildName(*name));
    }
    return out;
  }

  std::vector<ast::Setting> BuildSettings(const std::vector<Parser::SettingContext*>& settings) {
    std::vector<ast::Setting> out;
    out.reserve(settings.size());
    for (auto* setting : settings) {
      BGPLAN_CHECK(setting != nullptr);
      out.push_back(BuildSetting(*setting));
    }
    return out;
  }

  ast::Item BuildItem(Parser::ItemContext& ctx) {
    ast::Item item;
    item.range = RangeOf(ctx);
    item.keyword_range = TokenRange(*ctx.getStart());
    // Each alternative of `item` starts with its own keyword.
    switch (ctx.getStart()->getType()) {
      case Parser::SCHEMAS: {
        auto& schemas = Alternative<Parser::SchemasItemContext>(ctx);
        item.kind = ast::ItemKind::kSchemas;
        item.schemas = BuildQualifiedNames(ChildrenOf<Parser::QualifiedNameContext>(schemas));
        break;
      }
      case Parser::CLUSTERS: {
        auto& clusters = Alternative<Parser::ClustersItemContext>(ctx);
        item.kind = ast::ItemKind::kClusters;
        item.clusters = BuildNames(ChildrenOf<Parser::NameContext>(clusters));
        break;
      }
      case Parser::CLUSTER: {
        auto& cluster = Alternative<Parser::ClusterBlockItemContext>(ctx);
        item.kind = ast::ItemKind::kClusterBlock;
        BGPLAN_CHECK(cluster.name() != nullptr);
        item.name = BuildName(*cluster.name());
        item.settings = BuildSettings(ChildrenOf<Parser::SettingContext>(cluster));
        break;
      }
      case Parser::SINKS: {
        auto& sinks = Alternative<Parser::SinksItemContext>(ctx);
        item.kind = ast::ItemKind::kSinks;
        for (antlr4::tree::ParseTree* child : sinks.children) {
          auto* sink = dynamic_cast<Parser::SinkItemContext*>(child);
          if (sink == nullptr) {
            continue;
          }
          if (sink->getStart()->getType() == Parser::IDENT) {
            if (std::optional<ast::SinkItem> recovered =
                    RecoverSinkItem(Alternative<Parser::UnknownSinkItemContext>(*sink))) {
              item.sink_items.push_back(std::move(*recovered));
            }
            continue;
          }
          item.sink_items.push_back(BuildSinkItem(*sink));
        }
        break;
      }
      case Parser::SUFFIX: {
        auto& suffix = Alternative<Parser::SuffixItemContext>(ctx);
        item.kind = ast::ItemKind::kSuffix;
        antlr4::Token& token = TokenOf(suffix.STRING());
        item.suffix_source = token.getText();
        item.suffix = UnquoteLexeme(item.suffix_source, '\'');
        item.value_range = TokenRange(token);
        break;
      }
      case Parser::DATABASE: {
        auto& database = Alternative<Parser::DatabaseItemContext>(ctx);
        item.kind = ast::ItemKind::kDatabase;
        BGPLAN_CHECK(database.name() != nullptr);
        item.name = BuildName(*database.name());
        break;
      }
      case Parser::AWAIT:
        item.kind = ast::ItemKind::kAwait;
        item.settings = BuildSettings(
            ChildrenOf<Parser::SettingContext>(Alternative<Parser::AwaitItemContext>(ctx)));
        break;
      case Parser::PROMOTE:
        item.kind = ast::ItemKind::kPromote;
        item.settings = BuildSettings(
            ChildrenOf<Parser::SettingContext>(Alternative<Parser::PromoteItemContext>(ctx)));
        break;
      case Parser::CLEANUP:
        item.kind = ast::ItemKind::kCleanup;
        item.settings = BuildSettings(
            ChildrenOf<Parser::SettingContext>(Alternative<Parser::CleanupItemContext>(ctx)));
        break;
      case Parser::VALIDATE:
        item.kind = ast::ItemKind::kValidate;
        for (auto* setting : ChildrenOf<Parser::ValidateSettingContext>(
                 Alternative<Parser::ValidateItemContext>(ctx))) {
          item.settings.push_back(BuildValidateSetting(*setting));
        }
        break;
      default:
        // Every alternative of `item` is labeled; an unknown start means the grammar changed.
        BGPLAN_CHECK(false && "unknown item alternative");
    }
    return item;
  }

  // True when the unknown item `ctx`, left out of the AST, may have been meant to list schemas or
  // clusters or to name the database (`schema 'marts';`, `frob compute;`): without it, the checks
  // of the rest of the deployment could report errors that are only its consequence (an empty
  // deployment, a `cluster X { }` for a cluster not listed, a placeholder naming no schema).
  static bool MayListObjects(Parser::ItemContext& ctx) {
    auto* unknown = dynamic_cast<Parser::UnknownItemContext*>(&ctx);
    if (unknown == nullptr) {
      return false;
    }
    const ItemGuess guess = GuessItem(ctx.getStart()->getText(), false, false);
    if (guess.item == "schemas" || guess.item == "clusters" || guess.item == "database") {
      return true;
    }
    if (guess.setting != nullptr) {
      return false;
    }
    // A list of names, whatever the word.
    Parser::LooseValuesContext* values = unknown->looseValues();
    if (values == nullptr) {
      return false;
    }
    for (antlr4::tree::ParseTree* child : values->children) {
      if (auto* value = dynamic_cast<Parser::ValueContext*>(child);
          value != nullptr && dynamic_cast<Parser::NameValueContext*>(value) == nullptr) {
        return false;
      }
    }
    return true;
  }

  // What an unknown item becomes in the AST: the item it misspells when it has that item's shape
  // (`schema a, b;`, `sink { schemas x; }`, `clustr c { size 'x'; }`), else nothing (a setting
  // outside its block, a word that is no item, a shape that fits no item).
  std::optional<ast::Item> RecoverItem(Parser::ItemContext& ctx) {
    ast::Item item;
    item.range = RangeOf(ctx);
    item.keyword_range = TokenRange(*ctx.getStart());
    const std::string word = ctx.getStart()->getText();
    if (auto* unknown = dynamic_cast<Parser::UnknownItemContext*>(&ctx)) {
      const std::string_view guess = GuessItem(word, false, false).item;
      Parser::LooseValuesContext* values = unknown->looseValues();
      if (guess == "schemas" || guess == "clusters") {
        auto names = NameListOf(values, guess == "schemas");
        if (!names.has_value()) {
          return std::nullopt;
        }
        item.kind = guess == "schemas" ? ast::ItemKind::kSchemas : ast::ItemKind::kClusters;
        for (auto& name : *names) {
          if (guess == "schemas") {
            item.schemas.push_back(std::move(name));
          } else {
            item.clusters.push_back(std::move(name.schema));
          }
        }
        return item;
      }
      std::vector<Parser::ValueContext*> list = ValuesOf(values);
      if (list.size() != 1) {
        return std::nullopt;
      }
      ast::Value value = BuildValue(*list[0]);
      if (guess == "database" && value.kind == ast::ValueKind::kName) {
        item.kind = ast::ItemKind::kDatabase;
        item.name = std::move(value.name);
        return item;
      }
      if (guess == "suffix" && value.kind == ast::ValueKind::kString) {
        item.kind = ast::ItemKind::kSuffix;
        item.suffix = std::move(value.string);
        item.suffix_source = std::move(value.source_text);
        item.value_range = value.range;
        return item;
      }
      return std::nullopt;
    }
    auto& block = Alternative<Parser::UnknownBlockItemContext>(ctx);
    const std::string_view guess = GuessItem(word, true, false).item;
    if ((guess == "cluster") != (block.name() != nullptr)) {
      return std::nullopt;
    }
    if (guess == "sinks") {
      item.kind = ast::ItemKind::kSinks;
      for (auto* statement : block.looseStatement()) {
        std::optional<ast::SinkItem> sink =
            SinkItemOf(statement->getStart()->getType() == Parser::IDENT
                           ? GuessItem(statement->getStart()->getText(), false, true).item
                           : std::string_view(statement->getStart()->getText()),
                       statement->looseValues(), RangeOf(*statement));
        if (!sink.has_value()) {
          return std::nullopt;
        }
        item.sink_items.push_back(std::move(*sink));
      }
      return item;
    }
    const std::pair<std::string_view, ast::ItemKind> kSettingItems[] = {
        {"cluster", ast::ItemKind::kClusterBlock},
        {"await", ast::ItemKind::kAwait},
        {"promote", ast::ItemKind::kPromote},
        {"cleanup", ast::ItemKind::kCleanup},
        {"validate", ast::ItemKind::kValidate}};
    for (const auto& [keyword, kind] : kSettingItems) {
      if (guess != keyword) {
        continue;
      }
      item.kind = kind;
      if (block.name() != nullptr) {
        item.name = BuildName(*block.name());
      }
      for (auto* statement : block.looseStatement()) {
        std::optional<ast::Setting> setting =
            SettingOf(*statement, kind == ast::ItemKind::kValidate);
        if (!setting.has_value()) {
          return std::nullopt;
        }
        item.settings.push_back(std::move(*setting));
      }
      return item;
    }
    return std::nullopt;
  }

  // An unknown item of `sinks { }` taken for the sink item it misspells, if its shape fits.
  std::optional<ast::SinkItem> RecoverSinkItem(Parser::UnknownSinkItemContext& ctx) {
    return SinkItemOf(GuessItem(ctx.getStart()->getText(), false, true).item, ctx.looseValues(),
                      RangeOf(ctx));
  }

  // `schemas`/`clusters` (`keyword`) followed by the names of `values`, if they are a list.
  std::optional<ast::SinkItem> SinkItemOf(std::string_view keyword,
                                          Parser::LooseValuesContext* values, SourceRange range) {
    if (keyword != "schemas" && keyword != "clusters") {
      return std::nullopt;
    }
    auto names = NameListOf(values, keyword == "schemas");
    if (!names.has_value()) {
      return std::nullopt;
    }
    ast::SinkItem sink;
    sink.range = range;
    sink.kind =
        keyword == "schemas" ? ast::SinkItem::Kind::kSchemas : ast::SinkItem::Kind::kClusters;
    for (auto& name : *names) {
      if (keyword == "schemas") {
        sink.schemas.push_back(std::move(name));
      } else {
        sink.clusters.push_back(std::move(name.schema));
      }
    }
    return sink;
  }

  // The names `a, db.b, c` of `values` (`db.b` only when `qualified`), or nothing when `values`
  // is not such a list.
  std::optional<std::vector<ast::QualifiedName>> NameListOf(Parser::LooseValuesContext* values,
                                                            bool qualified) {
    if (values == nullptr) {
      return std::nullopt;
    }
    std::vector<ast::QualifiedName> out;
    bool expect_name = true;
    bool after_dot = false;
    for (antlr4::tree::ParseTree* child : values->children) {
      if (auto* value = dynamic_cast<Parser::ValueContext*>(child)) {
        auto* name_value = dynamic_cast<Parser::NameValueContext*>(value);
        if (!expect_name || name_value == nullptr || name_value->name() == nullptr) {
          return std::nullopt;
        }
        ast::Name name = BuildName(*name_value->name());
        if (after_dot) {
          ast::QualifiedName& last = out.back();
          last.has_database = true;
          last.database = std::move(last.schema);
          last.range.end = name.range.end;
          last.schema = std::move(name);
        } else {
          ast::QualifiedName qualified_name;
          qualified_name.range = name.range;
          qualified_name.schema = std::move(name);
          out.push_back(std::move(qualified_name));
        }
        expect_name = false;
        after_dot = false;
        continue;
      }
      auto* separator = dynamic_cast<antlr4::tree::TerminalNode*>(child);
      if (expect_name || separator == nullptr) {
        return std::nullopt;
      }
      size_t type = TokenOf(separator).getType();
      if (type == Parser::DOT && (!qualified || out.back().has_database)) {
        return std::nullopt;
      }
      after_dot = type == Parser::DOT;
      expect_name = true;
    }
    if (expect_name) {
      return std::nullopt;
    }
    return out;
  }

  // The values of `values` when no separator stands between them (empty for none).
  static std::vector<Parser::ValueContext*> ValuesOf(Parser::LooseValuesContext* values) {
    std::vector<Parser::ValueContext*> out;
    if (values == nullptr) {
      return out;
    }
    for (antlr4::tree::ParseTree* child : values->children) {
      auto* value = dynamic_cast<Parser::ValueContext*>(child);
      if (value == nullptr) {
        return {};
      }
      out.push_back(value);
    }
    return out;
  }

  // `key value;` (or, with `labels`, `key name value;`) as a setting, if it has that shape.
  std::optional<ast::Setting> SettingOf(Parser::LooseStatementContext& statement, bool labels) {
    if (statement.getStart()->getType() != Parser::IDENT) {
      return std::nullopt;
    }
    std::vector<Parser::ValueContext*> values = ValuesOf(statement.looseValues());
    ast::Setting setting;
    setting.key = NameFromToken(*statement.getStart());
    if (values.size() == 2 && labels) {
      auto* label = dynamic_cast<Parser::NameValueContext*>(values[0]);
      if (label == nullptr || label->name() == nullptr) {
        return std::nullopt;
      }
      setting.has_label = true;
      setting.label = BuildName(*label->name());
    } else if (values.size() != 1) {
      return std::nullopt;
    }
    setting.value = BuildValue(*values.back());
    setting.range = RangeOf(statement);
    return setting;
  }

  ast::SinkItem BuildSinkItem(Parser::SinkItemContext& ctx) {
    ast::SinkItem sink;
    sink.range = RangeOf(ctx);
    switch (ctx.getStart()->getType()) {
      case Parser::SCHEMAS:
        sink.kind = ast::SinkItem::Kind::kSchemas;
        sink.schemas = BuildQualifiedNames(ChildrenOf<Parser::QualifiedNameContext>(
            Alternative<Parser::SinkSchemasItemContext>(ctx)));
        break;
      case Parser::CLUSTERS:
        sink.kind = ast::SinkItem::Kind::kClusters;
        sink.clusters = BuildNames(
            ChildrenOf<Parser::NameContext>(Alternative<Parser::SinkClustersItemContext>(ctx)));
        break;
      default:
        BGPLAN_CHECK(false && "unknown sink item alternative");
    }
    return sink;
  }

  ast::Setting BuildSetting(Parser::SettingContext& ctx) {
    ast::Setting setting;
    // `setting : IDENT value SEMI`: the first token is the key.
    BGPLAN_CHECK(ctx.getStart() != nullptr && ctx.getStart()->getType() == Parser::IDENT);
    setting.key = NameFromToken(*ctx.getStart());
    FinishSetting(ctx, setting);
    return setting;
  }

  // The value (the one direct ValueContext child) and range of a setting-like rule.
  void FinishSetting(antlr4::ParserRuleContext& ctx, ast::Setting& setting) {
    // A value has labeled alternatives (subclasses): dynamic_cast, not ChildrenOf.
    std::vector<Parser::ValueContext*> values;
    for (antlr4::tree::ParseTree* child : ctx.children) {
      if (auto* value = dynamic_cast<Parser::ValueContext*>(child)) {
        values.push_back(value);
      }
    }
    BGPLAN_CHECK(values.size() == 1);
    setting.value = BuildValue(*values[0]);
    setting.range = RangeOf(ctx);
  }

  // `validateSetting : IDENT name? value SEMI`: a setting with an optional label.
  ast::Setting BuildValidateSetting(Parser::ValidateSettingContext& ctx) {
    ast::Setting setting;
    BGPLAN_CHECK(ctx.getStart() != nullptr && ctx.getStart()->getType() == Parser::IDENT);
    setting.key = NameFromToken(*ctx.getStart());
    // The label is a direct child; the value's own name (a NameValue) is nested in the value.
    std::vector<Parser::NameContext*> labels = ChildrenOf<Parser::NameContext>(ctx);
    BGPLAN_CHECK(labels.size() <= 1);
    if (!labels.empty()) {
      setting.has_label = true;
      setting.label = BuildName(*labels[0]);
    }
    FinishSetting(ctx, setting);
    return setting;
  }

  ast::Value BuildValue(Parser::ValueContext& ctx) {
    ast::Value value;
    value.range = RangeOf(ctx);
    // Each alternative of `value` is one token, or a name (IDENT or QUOTED_IDENT).
    antlr4::Token& token = *ctx.getStart();
    switch (token.getType()) {
      case Parser::DURATION:
        Alternative<Parser::DurationValueContext>(ctx);
        value.kind = ast::ValueKind::kDuration;
        value.source_text = token.getText();
        // -1 when malformed or too large; ParseFile reports malformed durations from the tokens.
        value.duration_ms = ParseDurationLexeme(value.source_text).milliseconds;
        break;
      case Parser::INTEGER:
        Alternative<Parser::IntegerValueContext>(ctx);
        value.kind = ast::ValueKind::kInteger;
        value.source_text = token.getText();
        value.integer = ParseIntegerLexeme(value.source_text);
        break;
      case Parser::STRING:
        Alternative<Parser::StringValueContext>(ctx);
        value.kind = ast::ValueKind::kString;
        value.source_text = token.getText();
        value.string = UnquoteLexeme(value.source_text, '\'');
        break;
      case Parser::BOOLEAN:
        Alternative<Parser::BooleanValueContext>(ctx);
        value.kind = ast::ValueKind::kBoolean;
        value.source_text = token.getText();
        value.boolean = value.source_text == "true";
        break;
      case Parser::IDENT:
      case Parser::QUOTED_IDENT: {
        auto& name = Alternative<Parser::NameValueContext>(ctx);
        value.kind = ast::ValueKind::kName;
        BGPLAN_CHECK(name.name() != nullptr);
        value.name = BuildName(*name.name());
        BGPLAN_CHECK(name.name()->ident != nullptr);
        value.source_text = name.name()->ident->getText();
        break;
      }
      default:
        BGPLAN_CHECK(false && "unknown value alternative");
    }
    return value;
  }

  ast::QualifiedName BuildQualifiedName(Parser::QualifiedNameContext& ctx) {
    ast::QualifiedName qualified;
    qualified.range = RangeOf(ctx);
    std::vector<Parser::NameContext*> names = ChildrenOf<Parser::NameContext>(ctx);
    BGPLAN_CHECK(names.size() == 1 || names.size() == 2);
    for (auto* name : names) {
      BGPLAN_CHECK(name != nullptr);
    }
    if (names.size() == 2) {
      qualified.has_database = true;
      qualified.database = BuildName(*names[0]);
      qualified.schema = BuildName(*names[1]);
    } else {
      qualified.schema = BuildName(*names[0]);
    }
    return qualified;
  }

  ast::Name BuildName(Parser::NameContext& ctx) {
    BGPLAN_CHECK(ctx.ident != nullptr);
    return NameFromToken(*ctx.ident);
  }

  ast::Name NameFromToken(antlr4::Token& token) {
    ast::Name name;
    name.range = TokenRange(token);
    std::string text = token.getText();
    if (token.getType() == Parser::QUOTED_IDENT) {
      name.quoted = true;
      // An empty name is reported by ParseFile from the tokens.
      name.text = UnquoteLexeme(text, '"');
    } else {
      BGPLAN_CHECK(token.getType() == Parser::IDENT);
      name.text = std::move(text);
    }
    return name;
  }

  // Every COMMENT token on the hidden channel, in order. A comment is trailing when the token
  // before it in the stream (whitespace is skipped, so it is the previous lexeme) ends on the
  // comment's line.
  void CollectComments(antlr4::BufferedTokenStream& tokens, ast::File& file) {
    std::vector<antlr4::Token*> all = tokens.getTokens();
    for (size_t i = 0; i < all.size(); ++i) {
      BGPLAN_CHECK(all[i] != nullptr);
      if (all[i]->getType() != Parser::COMMENT) {
        continue;
      }
      ast::Comment comment;
      comment.text = all[i]->getText();
      comment.range = TokenRange(*all[i]);
      if (i > 0 && all[i - 1]->getType() != Parser::COMMENT) {
        comment.trailing = TokenRange(*all[i - 1]).end.line == comment.range.begin.line;
      }
      file.comments.push_back(std::move(comment));
    }
  }

  bool lossy_ = false;
};

}  // namespace

std::unique_ptr<ast::File> BuildAst(antlr4::ParserRuleContext& file,
                                    antlr4::BufferedTokenStream& tokens, bool* lossy) {
  auto* file_ctx = dynamic_cast<Parser::FileContext*>(&file);
  BGPLAN_CHECK(file_ctx != nullptr);
  AstBuilder builder;
  std::unique_ptr<ast::File> out = builder.BuildFile(*file_ctx, tokens);
  if (lossy != nullptr) {
    *lossy = builder.lossy();
  }
  return out;
}

}  // namespace bgplan::frontend
