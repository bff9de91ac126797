// The .bgplan language (shared/design/language.md sections 2 and 3).
// Generated at build time into the build tree (grammar/CMakeLists.txt); only compiler/frontend/
// includes the generated code. No actions, no predicates: the AST is built in C++ by
// compiler/frontend/ast_builder.cc, and every lexical problem becomes a token the parser rejects
// (ERROR_CHAR, UNTERMINATED_*), so nothing is ever printed by ANTLR itself.
//
// Deviation from language.md section 3: `targetDecl*` instead of `targetDecl?`, so that a second
// `target` line parses and is reported by the compiler as `duplicate-target` (language.md section 5)
// instead of as a bare syntax error. The AST keeps every target line for that purpose.
grammar BgPlan;

// ---------------------------------------------------------------------------------------------
// Parser. No rule is recursive, so nesting depth never grows the C++ stack.

file
    : targetDecl* deployment+ EOF
    ;

targetDecl
    : TARGET IDENT SEMI
    ;

deployment
    : DEPLOYMENT name LBRACE item* RBRACE
    ;

item
    : SCHEMAS qualifiedName (COMMA qualifiedName)* SEMI   # SchemasItem
    | CLUSTERS name (COMMA name)* SEMI                    # ClustersItem
    | CLUSTER name LBRACE setting* RBRACE                 # ClusterBlockItem
    | SINKS LBRACE sinkItem* RBRACE                       # SinksItem
    | SUFFIX STRING SEMI                                  # SuffixItem
    | DATABASE name SEMI                                  # DatabaseItem
    | AWAIT LBRACE setting* RBRACE                        # AwaitItem
    | PROMOTE LBRACE setting* RBRACE                      # PromoteItem
    | CLEANUP LBRACE setting* RBRACE                      # CleanupItem
    | VALIDATE LBRACE validateSetting* RBRACE             # ValidateItem
    ;

sinkItem
    : SCHEMAS qualifiedName (COMMA qualifiedName)* SEMI   # SinkSchemasItem
    | CLUSTERS name (COMMA name)* SEMI                    # SinkClustersItem
    ;

setting
    : IDENT value SEMI
    ;

// Inside `validate { }`: a setting, optionally with a name before its value, for
// `assert NAME 'SQL';`. Like every block, keys are identifiers checked by the compiler (`assert`
// is not a keyword), so a misspelt key is an unknown-setting diagnostic, not a syntax error.
validateSetting
    : IDENT name? value SEMI
    ;

value
    : DURATION   # DurationValue
    | INTEGER    # IntegerValue
    | STRING     # StringValue
    | BOOLEAN    # BooleanValue
    | name       # NameValue
    ;

qualifiedName
    : name (DOT name)?
    ;

// One alternative (a token set), so no label is needed.
name
    : ident=(IDENT | QUOTED_IDENT)
    ;

// ---------------------------------------------------------------------------------------------
// Lexer. Keywords are reserved: they come before IDENT, and ANTLR prefers the earlier rule on a
// tie of equal length.

TARGET     : 'target' ;
DEPLOYMENT : 'deployment' ;
SCHEMAS    : 'schemas' ;
CLUSTERS   : 'clusters' ;
CLUSTER    : 'cluster' ;
SINKS      : 'sinks' ;
SUFFIX     : 'suffix' ;
DATABASE   : 'database' ;
AWAIT      : 'await' ;
PROMOTE    : 'promote' ;
CLEANUP    : 'cleanup' ;
VALIDATE   : 'validate' ;
BOOLEAN    : 'true' | 'false' ;

LBRACE : '{' ;
RBRACE : '}' ;
SEMI   : ';' ;
COMMA  : ',' ;
DOT    : '.' ;

// Any digits followed by letters (and optionally more digit/letter groups) is one DURATION token;
// the AST builder checks the units (ms s m h d, each at most once, largest first), so `5x` or
// `1h30` is an invalid-duration diagnostic at the token rather than a confusing syntax error.
DURATION : DIGIT+ LETTER+ (DIGIT+ LETTER*)* ;
INTEGER  : DIGIT+ ;

IDENT : [A-Za-z_] [A-Za-z0-9_$]* ;

// A quoted identifier may hold any character but NUL (the frontend rejects NUL before lexing),
// line breaks included; `""` stands for one `"`.
QUOTED_IDENT : '"' (~'"' | '""')* '"' ;
STRING       : '\'' (~'\'' | '\'\'')* '\'' ;

// Unterminated forms run to the end of the file; the longest-match rule makes the terminated
// forms win whenever the closing quote exists.
UNTERMINATED_QUOTED_IDENT : '"' (~'"' | '""')* ;
UNTERMINATED_STRING       : '\'' (~'\'' | '\'\'')* ;

// Comments are kept (for fmt) on the hidden channel.
COMMENT : '#' ~[\r\n]* -> channel(HIDDEN) ;
WS      : [ \t\r\n]+ -> skip ;

// Anything else: one character the parser never accepts, so it is reported as a syntax error.
ERROR_CHAR : . ;

fragment DIGIT  : [0-9] ;
fragment LETTER : [A-Za-z] ;
