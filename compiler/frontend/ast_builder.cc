#include "compiler/frontend/ast_builder.h"

#include <string>
#include <typeinfo>
#include <utility>
#include <vector>

#include "BgPlanLexer.h"
#include "BgPlanParser.h"
#include "antlr4-runtime.h"
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
          if (auto* sink = dynamic_cast<Parser::SinkItemContext*>(child)) {
            item.sink_items.push_back(BuildSinkItem(*sink));
          }
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
};

}  // namespace

std::unique_ptr<ast::File> BuildAst(antlr4::ParserRuleContext& file,
                                    antlr4::BufferedTokenStream& tokens) {
  auto* file_ctx = dynamic_cast<Parser::FileContext*>(&file);
  BGPLAN_CHECK(file_ctx != nullptr);
  AstBuilder builder;
  return builder.BuildFile(*file_ctx, tokens);
}

}  // namespace bgplan::frontend
