// The words of the .bgplan language that the front end and the lowering both need: the items of
// a deployment, the settings of each block with their types and accepted ranges, and the "did you
// mean" helpers. Plain C++ (library bgplan_vocabulary): no ANTLR, no diagnostics. The front end
// uses it to say what a misplaced or misspelt item means, the lowering (compiler/lower) to check
// the settings of each block.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace bgplan::frontend {

inline constexpr int64_t kSecondMs = 1000;
inline constexpr int64_t kMinuteMs = 60 * kSecondMs;
inline constexpr int64_t kHourMs = 60 * kMinuteMs;
inline constexpr int64_t kDayMs = 24 * kHourMs;

enum class SettingType { kDuration, kInteger, kBoolean, kString };

// One valid key of a settings block, with its type and accepted range (durations in ms).
// `why_max` explains a bound bgplan chose where language.md gives none.
struct SettingSpec {
  std::string_view key;
  SettingType type;
  int64_t min;
  int64_t max;
  std::string_view why_max;
};

// Where language.md is silent: durations at most 365d (a longer wait, window or timeout is a
// mistake in units), retry_backoff and lock_timeout at most 1h (the deployment lock is held
// meanwhile), timeout and lock_timeout above 0 (0 would give up at once / disable the timeout),
// max_retries at most 1000.
inline constexpr std::string_view kYearBound = "bgplan's upper bound for durations";
inline constexpr SettingSpec kAwaitSpecs[] = {
    {"poll_interval", SettingType::kDuration, 100, 365 * kDayMs, kYearBound},
    {"lag_threshold", SettingType::kDuration, 0, 365 * kDayMs, kYearBound},
    {"timeout", SettingType::kDuration, 1, 365 * kDayMs, kYearBound},
    {"stable_for", SettingType::kDuration, 0, 365 * kDayMs, kYearBound},
    {"compare_to_blue", SettingType::kBoolean, 0, 1, ""},
};
inline constexpr SettingSpec kPromoteSpecs[] = {
    {"wait", SettingType::kBoolean, 0, 1, ""},
    {"max_retries", SettingType::kInteger, 0, 1000, "bgplan's upper bound"},
    {"retry_backoff", SettingType::kDuration, 0, kHourMs,
     "bgplan's upper bound: the deployment lock is held while waiting"},
    {"lock_timeout", SettingType::kDuration, 1, kHourMs,
     "bgplan's upper bound: the deployment lock is held while waiting"},
};
inline constexpr SettingSpec kCleanupSpecs[] = {
    {"keep_blue", SettingType::kDuration, 0, 365 * kDayMs, kYearBound},
};
inline constexpr SettingSpec kClusterSpecs[] = {
    {"size", SettingType::kString, 0, 0, ""},
    {"replication_factor", SettingType::kInteger, 0, 16, ""},
    {"introspection_interval", SettingType::kDuration, 0, kHourMs,
     "bgplan's upper bound: introspection data older than this is of little use"},
    {"introspection_debugging", SettingType::kBoolean, 0, 1, ""},
    {"hydration_size", SettingType::kString, 0, 0, ""},
    {"linger", SettingType::kDuration, 0, 365 * kDayMs, kYearBound},
};
// `assert NAME 'SQL';` may repeat and takes a name before its value; the SQL is checked by the
// validate-validation pass (empty-assert-sql, unknown-placeholder).
inline constexpr SettingSpec kValidateSpecs[] = {
    {"assert", SettingType::kString, 0, 0, ""},
    {"row_count_change", SettingType::kInteger, 0, 1000, "a percentage of blue's row count"},
};

// A block of settings: its keyword ("await", "cluster", ...) and its settings.
struct BlockSpec {
  std::string_view keyword;
  std::span<const SettingSpec> settings;
};
inline constexpr BlockSpec kSettingBlocks[] = {
    {"await", kAwaitSpecs},     {"promote", kPromoteSpecs},   {"cleanup", kCleanupSpecs},
    {"cluster", kClusterSpecs}, {"validate", kValidateSpecs},
};

// The items of a deployment (grammar/BgPlan.g4, rule `item`), by shape: those that end with ';'
// and the blocks.
inline constexpr std::string_view kStatementItems[] = {"schemas", "clusters", "suffix", "database"};
inline constexpr std::string_view kBlockItems[] = {"cluster", "sinks",   "await",
                                                   "promote", "cleanup", "validate"};
// The items of a `sinks { }` block.
inline constexpr std::string_view kSinkItems[] = {"schemas", "clusters"};

// `text` with A-Z folded to a-z, as unquoted names and setting keys are compared.
std::string FoldAscii(std::string_view text);

// The block whose settings include `key` ("await", "promote", "cleanup", "cluster", "validate"),
// or "". Keys are unique across blocks.
std::string_view BlockOfKey(std::string_view key);

// The spec of `key` in whichever block has it, or null.
const SettingSpec* FindSettingSpec(std::string_view key);

// Levenshtein distance between `a` and `b` (bytes); used for "did you mean" suggestions.
int EditDistance(std::string_view a, std::string_view b);

// True when `word` is close enough to `candidate` to be taken for a misspelling of it: at most
// one edit in three letters of the candidate (at least one), and fewer edits than `word` has
// letters (so that `x` is nobody's misspelling).
bool IsLikelyMisspelling(std::string_view word, std::string_view candidate);

// The candidate closest to `word` among those it is a likely misspelling of (the first on a tie),
// or "" when there is none.
std::string_view ClosestWord(std::string_view word, std::span<const std::string_view> candidates);

// The setting key (of any block) closest to `word` among those it is a likely misspelling of, or
// null.
const SettingSpec* ClosestSettingSpec(std::string_view word);

}  // namespace bgplan::frontend
