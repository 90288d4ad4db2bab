// The spreadsheet writer: a real XLSX (a ZIP with the workbook parts), formula neutralisation,
// and refused sheet names.
#include "publish/spreadsheet.h"

#include <gtest/gtest.h>

namespace jiandu::publish {
namespace {

TEST(NeutralizeFormula, PrefixesEveryFormulaStart) {
  for (const char* risky : {"=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "＝1", "＋1", "－1",
                            "＠x"}) {
    EXPECT_EQ(NeutralizeFormula(risky), std::string("'") + risky) << risky;
  }
  for (const char* plain : {"张三", "1+1", "a=b", "", "'quoted"}) {
    EXPECT_EQ(NeutralizeFormula(plain), plain) << plain;
  }
}

TEST(WriteXlsx, WritesAZipWithTheSheetsAndText) {
  Sheet s{"评议结果", {"姓名", "满意率"}, {}};
  s.rows.push_back({Cell::Text("=HYPERLINK(\"x\")"), Cell::Percent(0.97)});
  s.rows.push_back({Cell::Text("张三"), Cell::Number(3)});
  Result<std::string> x = WriteXlsx({s, Sheet{"年度", {"年份"}, {{Cell::Number(2024)}}}});
  ASSERT_TRUE(x.ok()) << x.status().ToString();
  ASSERT_GT(x->size(), 1000u);
  EXPECT_EQ(x->substr(0, 4), std::string("PK\x03\x04", 4));
  EXPECT_NE(x->find("xl/worksheets/sheet2.xml"), std::string::npos);
  EXPECT_NE(x->find("xl/sharedStrings.xml"), std::string::npos);
}

TEST(WriteXlsx, RefusesBadSheets) {
  EXPECT_EQ(WriteXlsx({}).status().field(), "sheets");
  EXPECT_EQ(WriteXlsx({Sheet{"a/b", {}, {}}}).status().field(), "sheets");
  EXPECT_EQ(WriteXlsx({Sheet{"", {}, {}}}).status().field(), "sheets");
  EXPECT_EQ(WriteXlsx({Sheet{"x", {}, {}}, Sheet{"x", {}, {}}}).status().field(), "sheets");
}

}  // namespace
}  // namespace jiandu::publish
