#include "monitor/import/schema_toml.h"

#include <gtest/gtest.h>

namespace jiandu::monitor {
namespace {

TEST(SchemaTomlTest, ParsesColumns) {
  Result<DatasetSchema> s = ParseSchemaToml(R"(
name = "relatives"
title = "亲属"

[[columns]]
name = "official_id"
type = "id_number"
title = "公职人员身份证号"
aliases = ["干部身份证号"]

[[columns]]
name = "relation"
type = "enum"
required = false
values = ["spouse", "child"]
)",
                                            "relatives.toml");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->name, "relatives");
  EXPECT_EQ(s->title, "亲属");
  ASSERT_EQ(s->columns.size(), 2u);
  EXPECT_EQ(s->columns[0].type, ColumnType::kIdNumber);
  EXPECT_TRUE(s->columns[0].required);
  EXPECT_EQ(s->columns[0].aliases, std::vector<std::string>{"干部身份证号"});
  EXPECT_EQ(s->columns[1].type, ColumnType::kEnum);
  EXPECT_FALSE(s->columns[1].required);
  EXPECT_EQ(s->columns[1].enum_values, (std::vector<std::string>{"spouse", "child"}));
}

struct BadCase {
  const char* toml;
  const char* message;
};

class SchemaTomlErrorTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(SchemaTomlErrorTest, NamesKeyAndLine) {
  Result<DatasetSchema> s = ParseSchemaToml(GetParam().toml, "x.toml");
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.status().IsInvalidArgument());
  EXPECT_NE(s.status().message().find(GetParam().message), std::string::npos)
      << s.status().message();
}

INSTANTIATE_TEST_SUITE_P(
    Cases, SchemaTomlErrorTest,
    ::testing::Values(
        BadCase{"name = \"a\"\n[[columns]]\nname = \"x\"\ntype = \"decimal\"\n",
                "x.toml:4: columns[1].type: unknown column type 'decimal'"},
        BadCase{"name = \"a\"\n[[columns]]\nname = \"x\"\ntype = \"text\"\n"
                "[[columns]]\nname = \"x\"\ntype = \"date\"\n",
                "x.toml:6: columns[2].name: duplicate column name 'x'"},
        BadCase{"name = \"a\"\n[[columns]]\nname = \"kind\"\ntype = \"enum\"\n",
                "x.toml:2: columns[1].values: an enum column needs its values"},
        BadCase{"name = \"a\"\n[[columns]]\nname = \"x\"\ntype = \"text\"\nrequried = false\n",
                "x.toml:5: columns[1].requried: unknown key"},
        BadCase{"name = \"a\"\n[[columns]]\nname = \"x\"\ntype = \"text\"\nrequired = \"no\"\n",
                "x.toml:5: columns[1].required: must be true or false"},
        BadCase{"name = \"a\"\n[[columns]]\nname = \"Bad Name\"\ntype = \"text\"\n",
                "x.toml:3: columns[1].name: 'Bad Name' is not an identifier"},
        BadCase{"name = \"a\"\n", "columns: missing"},
        BadCase{"name = \"a\"\n[[columns]]\nname = \"x\"\ntype = \"text\"\nvalues = [\"a\"]\n",
                "columns[1].values: only an enum column has values"},
        BadCase{"name = \"a\"\n[[columns]]\nname = \"x\"\ntype = \"enum\"\nvalues = [\"a\", \"a\"]\n",
                "'a' is listed twice"},
        BadCase{"name = \"a\"\n[[columns]]\nname = \"x\"\ntype = \"text\"\ntitle = \"t\"\n"
                "[[columns]]\nname = \"y\"\ntype = \"text\"\naliases = [\"t\"]\n",
                "x.toml:9: columns[2].aliases: header spelling 't' is also used by column x"},
        BadCase{"name = \"a\"\n[[columns]\n", "x.toml:2: syntax"}));

TEST(BuiltinSchemaTest, EveryShippedSchemaParses) {
  std::vector<std::string_view> names = BuiltinSchemaNames();
  EXPECT_GE(names.size(), 13u);
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  for (std::string_view name : names) {
    Result<DatasetSchema> s = BuiltinSchema(name);
    ASSERT_TRUE(s.ok()) << name << ": " << s.status().ToString();
    EXPECT_EQ(s->name, name);
    EXPECT_FALSE(s->title.empty()) << name;
    for (const ColumnSpec& c : s->columns) EXPECT_FALSE(c.title.empty()) << name << "." << c.name;
  }
  Result<DatasetSchema> payments = BuiltinSchema("payments");
  ASSERT_TRUE(payments.ok());
  EXPECT_EQ(payments->columns[0].name, "payee_id");
  EXPECT_EQ(payments->columns[3].type, ColumnType::kMoney);
  Result<DatasetSchema> none = BuiltinSchema("nope");
  EXPECT_TRUE(none.status().IsNotFound());
}

TEST(SchemaTomlTest, EnumValueAliasesMustNameAValue) {
  const char* good = R"(name = "r"
[[columns]]
name = "relation"
type = "enum"
values = ["spouse", "child"]
[columns.value_aliases]
"配偶" = "spouse"
)";
  Result<DatasetSchema> s = ParseSchemaToml(good, "r.toml");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(EnumCode(s->columns[0], "配偶"), 0);
  const char* bad = R"(name = "r"
[[columns]]
name = "relation"
type = "enum"
values = ["spouse", "child"]
[columns.value_aliases]
"邻居" = "neighbour"
)";
  Result<DatasetSchema> b = ParseSchemaToml(bad, "r.toml");
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().ToString().find("'neighbour' is not one of the column's values"),
            std::string::npos)
      << b.status().ToString();
}

TEST(BuiltinSchemaTest, RelationsAcceptTheirChineseNames) {
  const DatasetSchema* r = FindBuiltinSchema("relatives");
  ASSERT_NE(r, nullptr);
  const ColumnSpec& relation = r->columns[static_cast<size_t>(r->Find("relation"))];
  EXPECT_EQ(EnumCode(relation, "配偶"), EnumCode(relation, "spouse"));
  EXPECT_EQ(EnumCode(relation, "儿媳"), EnumCode(relation, "child_spouse"));
  EXPECT_EQ(EnumCode(relation, "邻居"), -1);
}

}  // namespace
}  // namespace jiandu::monitor
