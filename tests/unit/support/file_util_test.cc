#include "support/file_util.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace bgplan {
namespace {

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(WriteFileAtomically, CreatesAndReplacesRegularFiles) {
  char dir[] = "/tmp/bgplan-fu-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string path = std::string(dir) + "/out.sql";
  EXPECT_EQ(WriteFileAtomically(path, "one\n"), "");
  EXPECT_EQ(Read(path), "one\n");
  EXPECT_EQ(WriteFileAtomically(path, "two\n"), "");
  EXPECT_EQ(Read(path), "two\n");
  // No temporary file is left behind.
  EXPECT_EQ(system(("test $(ls -A " + std::string(dir) + " | wc -l) -eq 1").c_str()), 0);
  system(("rm -rf " + std::string(dir)).c_str());
}

TEST(WriteFileAtomically, WritesThroughDevicesInsteadOfReplacingThem) {
  // Renaming a temporary file over /dev/null (as root) would replace the device node.
  EXPECT_EQ(WriteFileAtomically("/dev/null", "discarded\n"), "");
  struct stat st;
  ASSERT_EQ(stat("/dev/null", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
}

TEST(WriteFileAtomically, ReportsUnwritablePaths) {
  std::string err = WriteFileAtomically("/nonexistent-dir/x.sql", "x");
  EXPECT_NE(err.find("cannot write '/nonexistent-dir/x.sql'"), std::string::npos) << err;
}

TEST(StreamFileAtomically, WritesThePiecesInOrder) {
  char dir[] = "/tmp/bgplan-fu-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string path = std::string(dir) + "/out.sql";
  EXPECT_EQ(StreamFileAtomically(path,
                                 [](const WriteChunk& write) {
                                   write("one\n");
                                   write("");
                                   write("two\n");
                                 }),
            "");
  EXPECT_EQ(Read(path), "one\ntwo\n");
  EXPECT_EQ(StreamFileAtomically("/dev/null", [](const WriteChunk& write) { write("x"); }), "");
  system(("rm -rf " + std::string(dir)).c_str());
}

TEST(StreamFileAtomically, AFailedProducerLeavesTheOldFileAndNoTemporary) {
  char dir[] = "/tmp/bgplan-fu-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string path = std::string(dir) + "/out.sql";
  ASSERT_EQ(WriteFileAtomically(path, "old\n"), "");
  EXPECT_THROW(StreamFileAtomically(path,
                                    [](const WriteChunk& write) {
                                      write("half of the new text");
                                      throw std::runtime_error("stop");
                                    }),
               std::runtime_error);
  EXPECT_EQ(Read(path), "old\n");
  EXPECT_EQ(system(("test $(ls -A " + std::string(dir) + " | wc -l) -eq 1").c_str()), 0);
  system(("rm -rf " + std::string(dir)).c_str());
}

TEST(StreamFileAtomically, ReportsAFailedWrite) {
  // /dev/full accepts the open and fails every write with ENOSPC.
  std::string err =
      StreamFileAtomically("/dev/full", [](const WriteChunk& write) { write("x"), write("y"); });
  EXPECT_NE(err.find("cannot write '/dev/full'"), std::string::npos) << err;
}

}  // namespace
}  // namespace bgplan
