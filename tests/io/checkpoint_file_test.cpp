#include <forge/error.h>

#include "io/checkpoint_file.h"
#include "support/test_support.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <vector>

namespace forge {
namespace {

namespace fs = std::filesystem;
using test::temp_dir;
using Shape = std::vector<std::int64_t>;

std::string file_bytes(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void overwrite_bytes(const fs::path& file, const std::string& content) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
}

// Bytes that differ from element to element and from array to array.
std::vector<unsigned char> pattern(std::size_t size, std::size_t seed) {
  std::vector<unsigned char> bytes(size);
  for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<unsigned char>(i * 131 + seed * 7);
  return bytes;
}

std::string message_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& error) {
    return error.what();
  }
  return "(no forge::Error thrown)";
}

// Writes one array at `path`, an array in a sibling dataset, and commits.
void write_single(const fs::path& file, const std::string& path, ArrayType type, const Shape& shape,
                  const std::vector<unsigned char>& data) {
  CheckpointWriter writer(file);
  writer.write_array(path, type, shape, data.data(), data.size());
  std::vector<float> other = {1, 2, 3};
  writer.write_array("/model/other", ArrayType::f32, Shape{3}, other.data(), 12);
  writer.commit();
}

constexpr ArrayType kAllTypes[] = {ArrayType::f32, ArrayType::f64, ArrayType::bf16, ArrayType::i32,
                                   ArrayType::i64, ArrayType::u8,  ArrayType::u16};

TEST(CheckpointFile, RoundTripsEveryTypeAndShape) {
  const fs::path file = temp_dir("ckpt-roundtrip") / "all.h5";
  // 0-d, 1-d, 3-d, empty, and shapes of several chunks: whole rows per chunk, a row split
  // across chunks (6 MB rows), and partial edge chunks.
  const std::vector<Shape> shapes = {{}, {5}, {2, 3, 4}, {0}, {3, 0, 2}};
  const std::vector<std::pair<ArrayType, Shape>> large = {{ArrayType::f32, {3, 1000, 1000}},
                                                          {ArrayType::f32, {3, 1500, 1000}},
                                                          {ArrayType::bf16, {1500, 2001}},
                                                          {ArrayType::u8, {9000001}}};
  std::vector<std::pair<std::string, ArrayInfo>> written;
  {
    CheckpointWriter writer(file);
    unsigned seed = 0;
    for (ArrayType type : kAllTypes) {
      for (const Shape& shape : shapes) {
        ArrayInfo info{type, shape};
        std::string path = "/model/" + std::string(array_type_name(type)) + "/rank" +
                           std::to_string(shape.size()) + "." + std::to_string(info.bytes());
        auto data = pattern(info.bytes(), ++seed);
        writer.write_array(path, type, shape, data.data(), data.size());
        written.emplace_back(path, info);
      }
    }
    for (const auto& [type, shape] : large) {
      ArrayInfo info{type, shape};
      std::string path = "/large/" + std::to_string(written.size());
      auto data = pattern(info.bytes(), ++seed);
      writer.write_array(path, type, shape, data.data(), data.size());
      written.emplace_back(path, info);
    }
    writer.commit();
  }
  CheckpointReader reader(file);
  unsigned seed = 0;
  for (const auto& [path, expected] : written) {
    SCOPED_TRACE(path);
    ArrayInfo info = reader.info(path);
    EXPECT_EQ(info.type, expected.type);
    EXPECT_EQ(info.shape, expected.shape);
    std::vector<unsigned char> data(info.bytes(), 0xAA);
    reader.read_array(path, data.data(), data.size());
    EXPECT_TRUE(data == pattern(expected.bytes(), ++seed));
  }
  EXPECT_EQ(reader.attribute("/model/bf16/rank1.10", "forge_dtype"),
            AttributeValue(std::string("bfloat16")));
  EXPECT_FALSE(reader.attribute("/model/u16/rank1.10", "forge_dtype"));
}

TEST(CheckpointFile, ElementSizesAndNames) {
  EXPECT_EQ(element_size(ArrayType::bf16), 2u);
  EXPECT_EQ(element_size(ArrayType::i64), 8u);
  EXPECT_EQ(array_type_name(ArrayType::bf16), "bf16");
  EXPECT_EQ((ArrayInfo{ArrayType::f32, {2, 3}}.bytes()), 24u);
  EXPECT_EQ((ArrayInfo{ArrayType::u16, {}}.bytes()), 2u);
  EXPECT_EQ((ArrayInfo{ArrayType::f64, {4, 0}}.bytes()), 0u);
}

TEST(CheckpointFile, AttributesOfEveryKindOnRootGroupsAndDatasets) {
  const fs::path file = temp_dir("ckpt-attributes") / "attrs.h5";
  const std::string recipe(100000, 'r');  // larger than HDF5's 64 KiB compact attribute limit
  std::vector<double> many(20000);
  for (std::size_t i = 0; i < many.size(); ++i) many[i] = 0.5 * static_cast<double>(i);
  const std::vector<AttributeValue> values = {
      AttributeValue(std::int64_t{-42}),
      AttributeValue(3.25),
      AttributeValue(std::string("γράμματα, UTF-8")),
      AttributeValue(std::string()),
      AttributeValue(recipe),
      AttributeValue(std::vector<std::int64_t>{1, -2, std::int64_t{1} << 40}),
      AttributeValue(std::vector<std::int64_t>{}),
      AttributeValue(std::vector<double>{0.9, 0.95}),
      AttributeValue(std::vector<double>{}),
      AttributeValue(many)};
  const std::vector<std::string> owners = {"/", "/meta", "/optim/a/b", "/model/w"};
  {
    CheckpointWriter writer(file);
    float weight = 1.5f;
    writer.write_array("/model/w", ArrayType::f32, Shape{}, &weight, sizeof weight);
    for (const auto& owner : owners) {
      for (std::size_t i = 0; i < values.size(); ++i) {
        writer.set_attribute(owner, cat("a", i), values[i]);
      }
    }
    writer.set_attribute("/meta", "step", std::int64_t{1});
    writer.set_attribute("/meta", "step", std::int64_t{2000});  // replaces
    writer.commit();
  }
  CheckpointReader reader(file);
  for (const auto& owner : owners) {
    for (std::size_t i = 0; i < values.size(); ++i) {
      SCOPED_TRACE(cat(owner, " a", i));
      EXPECT_EQ(reader.attribute(owner, cat("a", i)), values[i]);
    }
  }
  EXPECT_EQ(reader.attribute("/meta", "step"), AttributeValue(std::int64_t{2000}));
  EXPECT_FALSE(reader.attribute("/meta", "missing"));
  EXPECT_FALSE(reader.attribute("/nowhere", "step"));
  float weight = 0;
  reader.read_array("/model/w", &weight, sizeof weight);
  EXPECT_EQ(weight, 1.5f);
}

TEST(CheckpointFile, ReservedAttributeNamesAreRefused) {
  CheckpointWriter writer(temp_dir("ckpt-reserved") / "r.h5");
  std::int32_t value = 7;
  writer.write_array("/x", ArrayType::i32, Shape{}, &value, sizeof value);
  EXPECT_NE(message_of([&] {
              writer.set_attribute("/x", "forge_crc32", std::int64_t{0});
            }).find("reserved"),
            std::string::npos);
  EXPECT_NE(message_of([&] { writer.set_attribute("/", "", std::int64_t{0}); }).find("non-empty"),
            std::string::npos);
}

TEST(CheckpointFile, ListsHasAndInfo) {
  const fs::path file = temp_dir("ckpt-list") / "list.h5";
  {
    CheckpointWriter writer(file);
    std::vector<std::int64_t> ids = {1, 2, 3, 4, 5, 6};
    writer.write_array("/model/wte.weight", ArrayType::i64, Shape{2, 3}, ids.data(), 48);
    writer.write_array("/model/h.0.attn.c_attn.weight", ArrayType::i64, Shape{6}, ids.data(), 48);
    writer.write_array("/optim/h.0/m", ArrayType::i64, Shape{1}, ids.data(), 8);
    writer.set_attribute("/meta", "step", std::int64_t{5});
    writer.commit();
  }
  CheckpointReader reader(file);
  EXPECT_EQ(reader.file(), file);
  EXPECT_EQ(reader.list("/"), (std::vector<std::string>{"meta", "model", "optim"}));
  EXPECT_EQ(reader.list("/model"),
            (std::vector<std::string>{"h.0.attn.c_attn.weight", "wte.weight"}));
  EXPECT_EQ(reader.list("/optim"), (std::vector<std::string>{"h.0"}));
  EXPECT_TRUE(reader.list("/meta").empty());
  EXPECT_TRUE(reader.has("/"));
  EXPECT_TRUE(reader.has("/optim/h.0/m"));
  EXPECT_TRUE(reader.has("/optim/h.0"));
  EXPECT_FALSE(reader.has("/optim/h.1/m"));
  EXPECT_FALSE(reader.has("/model/wte.weight/inside"));
  EXPECT_FALSE(reader.has("/rng"));
  ArrayInfo info = reader.info("/model/wte.weight");
  EXPECT_EQ(info.type, ArrayType::i64);
  EXPECT_EQ(info.shape, (Shape{2, 3}));

  std::string missing = message_of([&] { reader.info("/model/wpe.weight"); });
  EXPECT_NE(missing.find("has no dataset '/model/wpe.weight'"), std::string::npos) << missing;
  EXPECT_NE(missing.find("'/model' holds: h.0.attn.c_attn.weight, wte.weight"), std::string::npos)
      << missing;
  EXPECT_NE(message_of([&] { reader.info("/model"); }).find("is not a dataset"), std::string::npos);
  EXPECT_NE(message_of([&] { reader.list("/model/wte.weight"); }).find("is not a group"),
            std::string::npos);
  EXPECT_NE(message_of([&] { reader.list("/absent"); }).find("has no group '/absent'"),
            std::string::npos);
  EXPECT_NE(message_of([&] { reader.info("/optim/h.1/m"); }).find("'/optim' holds: h.0"),
            std::string::npos);
  for (const char* bad : {"model/wte.weight", "/model//wte.weight", "/model/", "/model/../x", ""}) {
    EXPECT_NE(message_of([&] { reader.has(bad); }).find("invalid object path"), std::string::npos)
        << bad;
  }
  std::vector<std::int64_t> small(5);
  std::string size = message_of([&] { reader.read_array("/model/wte.weight", small.data(), 40); });
  EXPECT_NE(size.find("as i64 [2, 3] (48 bytes), but 40 bytes were asked for"), std::string::npos)
      << size;
}

TEST(CheckpointFile, EachArrayIsWrittenOnce) {
  CheckpointWriter writer(temp_dir("ckpt-twice") / "t.h5");
  std::uint8_t byte = 1;
  writer.write_array("/a/b", ArrayType::u8, Shape{}, &byte, 1);
  EXPECT_NE(message_of([&] {
              writer.write_array("/a/b", ArrayType::u8, Shape{}, &byte, 1);
            }).find("dataset '/a/b' is written twice"),
            std::string::npos);
  EXPECT_NE(message_of([&] {
              writer.write_array("/", ArrayType::u8, Shape{}, &byte, 1);
            }).find("invalid object path '/'"),
            std::string::npos);
}

TEST(CheckpointFile, NothingGoesUnderADataset) {
  const fs::path file = temp_dir("ckpt-under") / "u.h5";
  CheckpointWriter writer(file);
  std::uint8_t byte = 1;
  writer.write_array("/a", ArrayType::u8, Shape{}, &byte, 1);
  const std::string expected = "cannot put '/a/b/c' under dataset '/a'";
  EXPECT_NE(
      message_of([&] { writer.set_attribute("/a/b/c", "x", std::int64_t{1}); }).find(expected),
      std::string::npos);
  EXPECT_NE(message_of([&] {
              writer.write_array("/a/b/c", ArrayType::u8, Shape{}, &byte, 1);
            }).find(expected),
            std::string::npos);
}

TEST(CheckpointFile, HDF5FailuresNameTheFileTheObjectAndTheReasonQuietly) {
  const fs::path folder = temp_dir("ckpt-hdf5-error");
  const fs::path file = folder / "e.h5";
  // A folder where the temporary file should go: HDF5 itself fails to create the file.
  const fs::path temp = folder / ("e.h5.tmp-" + std::to_string(::getpid()));
  test::write_text(temp / "keep", "the folder is not empty, so it survives the stale cleanup");
  testing::internal::CaptureStderr();
  std::string message = message_of([&] { CheckpointWriter writer(file); });
  std::string printed = testing::internal::GetCapturedStderr();
  EXPECT_NE(message.find("checkpoint '" + file.string() + "': cannot create temporary file '" +
                         temp.string() + "': "),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("Is a directory"), std::string::npos) << message;  // HDF5's reason
  EXPECT_NE(message.find("(H5Fcreate); check that its folder"), std::string::npos) << message;
  EXPECT_EQ(printed, "");  // HDF5's own error stack printing is off
}

TEST(CheckpointFile, WriterNeedsAnExistingFolder) {
  const fs::path file = temp_dir("ckpt-folder") / "absent" / "c.h5";
  EXPECT_NE(message_of([&] { CheckpointWriter writer(file); }).find("does not exist; create it"),
            std::string::npos);
}

TEST(CheckpointFile, UncommittedWriterLeavesNothing) {
  const fs::path folder = temp_dir("ckpt-uncommitted");
  {
    CheckpointWriter writer(folder / "c.h5");
    std::vector<float> data(1000, 2.0f);
    writer.write_array("/model/w", ArrayType::f32, Shape{1000}, data.data(), 4000);
    EXPECT_FALSE(fs::is_empty(folder));
  }
  EXPECT_TRUE(fs::is_empty(folder));
}

TEST(CheckpointFile, CommitIsAtomicAndReplacesAnOlderFile) {
  const fs::path folder = temp_dir("ckpt-atomic");
  const fs::path file = folder / "step-1.h5";
  const fs::path temp = folder / ("step-1.h5.tmp-" + std::to_string(::getpid()));
  const fs::path stale = folder / "step-1.h5.tmp-999999999";
  test::write_text(stale, "left by a killed writer");
  test::write_text(file, "an older checkpoint");
  {
    CheckpointWriter writer(file);
    EXPECT_FALSE(fs::exists(stale));
    std::int64_t step = 1;
    writer.write_array("/meta/step", ArrayType::i64, Shape{}, &step, 8);
    EXPECT_TRUE(fs::exists(temp));
    EXPECT_EQ(test::read_text(file), "an older checkpoint");  // untouched until commit
    writer.commit();
    EXPECT_FALSE(fs::exists(temp));
  }
  std::int64_t step = 0;
  CheckpointReader(file).read_array("/meta/step", &step, 8);
  EXPECT_EQ(step, 1);
  EXPECT_EQ(std::distance(fs::directory_iterator(folder), fs::directory_iterator()), 1);
}

// Damages `file` by rewriting the first occurrence of `find` (which must be in it) with
// `replace`, and returns the message reading `path` gives.
std::string read_after_damage(const fs::path& file, const std::string& path, std::size_t bytes,
                              const std::string& find, const std::string& replace) {
  std::string content = file_bytes(file);
  std::size_t at = content.find(find);
  EXPECT_NE(at, std::string::npos) << "the pattern is not in the file";
  if (at == std::string::npos) return "";
  EXPECT_EQ(content.find(find, at + 1), std::string::npos) << "the pattern is not unique";
  content.replace(at, replace.size(), replace);
  overwrite_bytes(file, content);
  CheckpointReader reader(file);
  std::vector<unsigned char> out(bytes);
  reader.read_array("/model/other", out.data(), 12);  // other datasets still read
  return message_of([&] { reader.read_array(path, out.data(), out.size()); });
}

std::string damaged(const fs::path& file, const std::string& path) {
  return "checkpoint '" + file.string() + "': dataset '" + path +
         "' is damaged (checksum mismatch); the file cannot be used";
}

TEST(CheckpointFile, DamagedChunkedDatasetIsRefused) {
  const fs::path file = temp_dir("ckpt-damage-chunked") / "d.h5";
  auto data = pattern(std::size_t{3} * 4096 * 1024, 5);  // three chunks
  const std::string marker = "FORGE-MARKER-0123456789";
  std::memcpy(data.data() + 5000000, marker.data(), marker.size());
  write_single(file, "/model/x", ArrayType::u8, Shape{3, 4096, 1024}, data);
  std::string message = read_after_damage(file, "/model/x", data.size(), marker, "forge");
  EXPECT_NE(message.find(damaged(file, "/model/x")), std::string::npos) << message;
}

TEST(CheckpointFile, DamagedContiguousScalarIsRefused) {
  const fs::path file = temp_dir("ckpt-damage-scalar") / "d.h5";
  const std::string marker = "\x11\x22\x33\x44\x55\x66\x77\x88";
  std::vector<unsigned char> data(marker.begin(), marker.end());
  write_single(file, "/model/step", ArrayType::i64, Shape{}, data);
  std::string message = read_after_damage(file, "/model/step", 8, marker, "\x11\x22\x33\x45");
  EXPECT_NE(message.find(damaged(file, "/model/step")), std::string::npos) << message;
}

// Fletcher32 sums 16-bit words modulo 65535, so turning a 0x0000 word into 0xFFFF passes it;
// forge_crc32 still catches the change.
TEST(CheckpointFile, DamageThatFletcher32CannotSeeIsRefused) {
  const fs::path file = temp_dir("ckpt-damage-fletcher") / "d.h5";
  auto data = pattern(4096, 9);
  const std::string marker("\xD0\x0D\xFE\xED\x00\x00\x00\x00\xFA\xCE", 10);
  std::memcpy(data.data() + 1000, marker.data(), marker.size());
  write_single(file, "/model/words", ArrayType::u16, Shape{2048}, data);
  std::string message = read_after_damage(file, "/model/words", data.size(), marker,
                                          std::string("\xD0\x0D\xFE\xED\xFF\xFF\xFF\xFF", 8));
  EXPECT_NE(message.find(damaged(file, "/model/words")), std::string::npos) << message;
}

TEST(CheckpointFile, TruncatedFileIsRefused) {
  const fs::path file = temp_dir("ckpt-truncated") / "t.h5";
  write_single(file, "/model/x", ArrayType::u8, Shape{100000}, pattern(100000, 3));
  std::string content = file_bytes(file);
  overwrite_bytes(file, content.substr(0, content.size() / 2));
  std::string message = message_of([&] { CheckpointReader reader(file); });
  EXPECT_NE(message.find("checkpoint '" + file.string() + "' is truncated"), std::string::npos)
      << message;
  EXPECT_NE(message.find("not completely written or copied"), std::string::npos) << message;
}

TEST(CheckpointFile, MissingEmptyAndNonHDF5FilesAreRefused) {
  const fs::path folder = temp_dir("ckpt-refused");
  test::write_text(folder / "notes.txt", "This is a text file, not a checkpoint.\n");
  test::write_text(folder / "empty.h5", "");
  auto open = [](const fs::path& file) {
    return message_of([&] { CheckpointReader reader(file); });
  };
  EXPECT_EQ(open(folder / "notes.txt"), "checkpoint '" + (folder / "notes.txt").string() +
                                            "' is not an HDF5 file (it has no HDF5 signature); "
                                            "pass a checkpoint Forge wrote");
  EXPECT_EQ(open(folder / "absent.h5"),
            "checkpoint '" + (folder / "absent.h5").string() + "' does not exist; check the path");
  EXPECT_NE(open(folder / "empty.h5").find("is empty (0 bytes)"), std::string::npos);
  EXPECT_NE(open(folder).find("is a folder"), std::string::npos);
}

TEST(CheckpointFileDeathTest, SizeThatDoesNotMatchTheShapeIsABug) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  const fs::path file = temp_dir("ckpt-death") / "d.h5";
  std::vector<float> data(4);
  EXPECT_DEATH(
      {
        CheckpointWriter writer(file);
        writer.write_array("/w", ArrayType::f32, Shape{2, 3}, data.data(), 16);
      },
      "needs 24 bytes, got 16");
}

}  // namespace
}  // namespace forge
