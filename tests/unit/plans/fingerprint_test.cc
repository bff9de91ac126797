#include "plans/fingerprint.h"

#include <gtest/gtest.h>

namespace bgplan::plans {
namespace {

TEST(Sha256Test, KnownVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(FingerprintTest, OrderAndRepetitionDoNotMatter) {
  Fingerprint a;
  a.AddFact("schema marts id=u1");
  a.AddFact("cluster compute id=u2 size=200cc");
  Fingerprint b;
  b.AddFact("cluster compute id=u2 size=200cc");
  b.AddFact("schema marts id=u1");
  b.AddFact("schema marts id=u1");
  EXPECT_EQ(a.Hex(), b.Hex());
  EXPECT_EQ(a.Hex().size(), 64u);
  EXPECT_EQ(a.Hex(), Sha256Hex("bgplan-fingerprint-v1\n"
                               "cluster compute id=u2 size=200cc\n"
                               "schema marts id=u1\n"));
}

TEST(FingerprintTest, ChangedFactChangesHash) {
  Fingerprint a;
  a.AddFact("schema marts id=u1");
  Fingerprint b;
  b.AddFact("schema marts id=u9");
  EXPECT_NE(a.Hex(), b.Hex());
}

TEST(FingerprintTest, NewlinesAreEscapedSoFactsCannotBeSplicedTogether) {
  Fingerprint one;
  one.AddFact("a\nb");
  Fingerprint two;
  two.AddFact("a");
  two.AddFact("b");
  EXPECT_NE(one.Hex(), two.Hex());
  EXPECT_EQ(one.SortedFacts(), (std::vector<std::string>{"a\\nb"}));
  Fingerprint backslash;
  backslash.AddFact("a\\nb");
  EXPECT_NE(one.Hex(), backslash.Hex());
}

TEST(FingerprintTest, EmptyIsStable) {
  EXPECT_EQ(Fingerprint().Hex(), Sha256Hex("bgplan-fingerprint-v1\n"));
}

}  // namespace
}  // namespace bgplan::plans
