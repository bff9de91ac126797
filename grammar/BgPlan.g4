// The .bgplan language (shared/design/language.md sections 2 and 3).
// Generated at build time into the build tree (grammar/CMakeLists.txt); only compiler/frontend/
// includes the generated code. No actions, no predicates: the AST is built in C++ by
// compiler/frontend/ast_builder.cc, and every lexical problem becomes a token (ERROR_CHAR,
// UNTERMINATED_*), so nothing is ever printed by ANTLR itself: the front end reports ERROR_CHAR and
// keeps it from the parser (compiler/frontend/skipping_source.h), the parser rejects the others.
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
    // Not items: a misspelt or misplaced one (`schema marts;`, `sink { ... }`, a setting such as
    // `poll_interval 15s;` outside its block, `cluster a, b;` for `clusters a, b;`). They parse so
    // that the front end reports one unknown-item diagnostic at the word, with what it most
    // likely meant, instead of a syntax error and a cascade at the closing brace
    // (compiler/frontend/ast_recovery.cc).
    | IDENT looseValues? SEMI                             # UnknownItem
    | IDENT name? LBRACE looseStatement* RBRACE           # UnknownBlockItem
    | CLUSTER name (COMMA name)* SEMI                     # ClusterListItem
    ;

sinkItem
    : SCHEMAS qualifiedName (COMMA qualifiedName)* SEMI   # SinkSchemasItem
    | CLUSTERS name (COMMA name)* SEMI                    # SinkClustersItem
    | IDENT looseValues? SEMI                             # UnknownSinkItem
    ;

// What an unknown item may hold: values, separated by ',' or '.' or nothing, and in a block
// statements that end with ';' (settings, or the lists of `sinks { }`).
looseStatement
    : (IDENT | SCHEMAS | CLUSTERS) looseValues? SEMI
    ;

looseValues
    : value ((COMMA | DOT)? value)*
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

// Anything else: one character that starts no token, reported as a syntax error by the front end,
// which parses the file without it.
ERROR_CHAR : . ;

fragment DIGIT  : [0-9] ;
fragment LETTER : [A-Za-z] ;
