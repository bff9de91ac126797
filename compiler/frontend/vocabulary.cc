#include "compiler/frontend/vocabulary.h"

#include <algorithm>
#include <vector>

namespace bgplan::frontend {

std::string FoldAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

std::string_view BlockOfKey(std::string_view key) {
  for (const BlockSpec& block : kSettingBlocks) {
    for (const SettingSpec& spec : block.settings) {
      if (spec.key == key) {
        return block.keyword;
      }
    }
  }
  return "";
}

const SettingSpec* FindSettingSpec(std::string_view key) {
  for (const BlockSpec& block : kSettingBlocks) {
    for (const SettingSpec& spec : block.settings) {
      if (spec.key == key) {
        return &spec;
      }
    }
  }
  return nullptr;
}

int EditDistance(std::string_view a, std::string_view b) {
  std::vector<int> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) {
    row[j] = static_cast<int>(j);
  }
  for (size_t i = 1; i <= a.size(); ++i) {
    int diagonal = row[0];
    row[0] = static_cast<int>(i);
    for (size_t j = 1; j <= b.size(); ++j) {
      int above = row[j];
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
      diagonal = above;
    }
  }
  return row[b.size()];
}

bool IsLikelyMisspelling(std::string_view word, std::string_view candidate) {
  int distance = EditDistance(word, candidate);
  int allowed = std::max(1, static_cast<int>(candidate.size() + 2) / 3);
  return distance > 0 && distance <= allowed && distance < static_cast<int>(word.size());
}

std::string_view ClosestWord(std::string_view word, std::span<const std::string_view> candidates) {
  std::string_view best;
  int best_distance = 0;
  for (std::string_view candidate : candidates) {
    if (!IsLikelyMisspelling(word, candidate)) {
      continue;
    }
    int distance = EditDistance(word, candidate);
    if (best.empty() || distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

const SettingSpec* ClosestSettingSpec(std::string_view word) {
  const SettingSpec* best = nullptr;
  int best_distance = 0;
  for (const BlockSpec& block : kSettingBlocks) {
    for (const SettingSpec& spec : block.settings) {
      if (!IsLikelyMisspelling(word, spec.key)) {
        continue;
      }
      int distance = EditDistance(word, spec.key);
      if (best == nullptr || distance < best_distance) {
        best = &spec;
        best_distance = distance;
      }
    }
  }
  return best;
}

}  // namespace bgplan::frontend
