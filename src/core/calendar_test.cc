#include "core/calendar.h"

#include <gtest/gtest.h>

#include <array>
#include <string>

namespace jiandu::core {
namespace {

CivilDate D(std::string_view text) { return *CivilDate::Parse(text); }

const Calendar& Cal() { return Calendar::Default(); }

TEST(CalendarTest, EmbeddedYears) {
  EXPECT_EQ(Cal().Years(), (std::vector<int>{2024, 2025, 2026}));
  EXPECT_EQ(*Cal().SourceDocument(2025), "国办发明电〔2024〕12号");
  EXPECT_EQ(*Cal().SourceDocument(2026), "国办发明电〔2025〕7号");
}

TEST(CalendarTest, WorkingDaysPerYear) {
  // 2025: 248, as computed in DOMAIN.md §8.3; 2024 and 2026 computed the same way.
  EXPECT_EQ(*Cal().WorkingDaysBetween(D("2024-12-31"), D("2025-12-31")), 248);
  EXPECT_EQ(*Cal().WorkingDaysBetween(D("2023-12-31"), D("2024-12-31")), 251);
  EXPECT_EQ(*Cal().WorkingDaysBetween(D("2025-12-31"), D("2026-12-31")), 248);
}

TEST(CalendarTest, MakeUpWorkdaysHolidaysAndPlainDays) {
  EXPECT_TRUE(*Cal().IsWorkingDay(D("2025-09-28")));   // Sunday, 调休上班
  EXPECT_TRUE(*Cal().IsWorkingDay(D("2025-10-11")));   // Saturday, 调休上班
  EXPECT_FALSE(*Cal().IsWorkingDay(D("2025-10-08")));  // Wednesday, 国庆节
  EXPECT_FALSE(*Cal().IsWorkingDay(D("2025-10-04")));  // Saturday inside the holiday
  EXPECT_TRUE(*Cal().IsWorkingDay(D("2025-09-26")));   // plain Friday
  EXPECT_FALSE(*Cal().IsWorkingDay(D("2025-09-27")));  // plain Saturday
  EXPECT_TRUE(*Cal().IsWorkingDay(D("2024-02-09")));   // Friday 除夕: only "encouraged" rest
}

TEST(CalendarTest, FifteenWorkingDaysFromAFridayReceipt) {
  // DOMAIN.md §8.3: received Fri 2025-09-26, receipt day excluded; Sun 09-28 and Sat 10-11 count.
  EXPECT_EQ(*Cal().AddWorkingDays(D("2025-09-26"), 15), D("2025-10-23"));
  EXPECT_EQ(*Cal().WorkingDaysBetween(D("2025-09-26"), D("2025-10-23")), 15);
}

TEST(CalendarTest, NaturalDayDeadlineOnAHolidayMovesToNextWorkingDay) {
  // 2025-09-08 + 30 days = 10-08, a holiday → 10-09 (民法典 art 203).
  EXPECT_EQ(*Cal().CalendarDaysDeadline(D("2025-09-08"), 30), D("2025-10-09"));
  EXPECT_EQ(*Cal().CalendarDaysDeadline(D("2025-09-08"), 10), D("2025-09-18"));
  // Ends on a plain Saturday → Monday.
  EXPECT_EQ(*Cal().CalendarDaysDeadline(D("2025-09-08"), 12), D("2025-09-22"));
}

TEST(CalendarTest, MonthDeadlineUsesMonthEndWhenDayIsMissing) {
  EXPECT_EQ(*Cal().MonthsDeadline(D("2024-10-31"), 6), D("2025-04-30"));
  EXPECT_EQ(*Cal().MonthsDeadline(D("2024-01-31"), 1), D("2024-02-29"));
}

TEST(CalendarTest, MonthDeadlineOnARestDayMoves) {
  EXPECT_EQ(*Cal().MonthsDeadline(D("2025-07-04"), 3), D("2025-10-09"));  // 10-04 国庆节
  EXPECT_EQ(*Cal().MonthsDeadline(D("2025-05-31"), 1), D("2025-06-30"));  // Monday
  EXPECT_EQ(*Cal().MonthsDeadline(D("2025-04-28"), 2), D("2025-06-30"));  // 06-28 Saturday
}

TEST(CalendarTest, ZeroAndNegativeCounts) {
  EXPECT_EQ(*Cal().AddWorkingDays(D("2025-10-04"), 0), D("2025-10-04"));
  EXPECT_EQ(*Cal().CalendarDaysDeadline(D("2025-10-04"), 0), D("2025-10-09"));
  EXPECT_TRUE(Cal().AddWorkingDays(D("2025-10-04"), -1).status().IsInvalidArgument());
  EXPECT_TRUE(Cal().CalendarDaysDeadline(D("2025-10-04"), -1).status().IsInvalidArgument());
  EXPECT_TRUE(Cal().MonthsDeadline(D("2025-10-04"), -1).status().IsInvalidArgument());
  EXPECT_TRUE(Cal().MonthsDeadline(D("2025-10-04"), 1201).status().IsInvalidArgument());
  EXPECT_TRUE(Cal().CalendarDaysDeadline(D("2025-10-04"), 40000).status().IsInvalidArgument());
}

TEST(CalendarTest, WorkingDaysBetweenIsSigned) {
  EXPECT_EQ(*Cal().WorkingDaysBetween(D("2025-10-23"), D("2025-09-26")), -15);
  EXPECT_EQ(*Cal().WorkingDaysBetween(D("2025-10-23"), D("2025-10-23")), 0);
}

TEST(CalendarTest, YearWithoutFileFailsInsteadOfGuessing) {
  Result<bool> r = Cal().IsWorkingDay(D("2027-01-04"));
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsFailedPrecondition());
  EXPECT_TRUE(std::string(r.status().message())
                  .starts_with("no holiday calendar loaded for 2027:"));
  EXPECT_TRUE(std::string(Cal().AddWorkingDays(D("2026-12-25"), 10).status().message())
                  .starts_with("no holiday calendar loaded for 2027:"));
  EXPECT_TRUE(std::string(Cal().WorkingDaysBetween(D("2023-12-01"), D("2024-01-05")).status().message())
                  .starts_with("no holiday calendar loaded for 2023:"));
  EXPECT_TRUE(std::string(Cal().MonthsDeadline(D("2026-12-01"), 1).status().message())
                  .starts_with("no holiday calendar loaded for 2027:"));
  EXPECT_TRUE(Cal().SourceDocument(2027).status().IsFailedPrecondition());
}

TEST(CalendarTest, ExtraYearsExtendTheEmbeddedOnes) {
  const std::array<std::string_view, 1> y2027 = {
      "# year=2027 source=test-2027 published=2026-11-10\nfrom,to,kind,name\n"
      "2027-01-01,2027-01-01,holiday,元旦\n"};
  Result<Calendar> cal = Calendar::WithExtraYears(y2027);
  ASSERT_TRUE(cal.ok()) << cal.status().ToString();
  EXPECT_EQ(*cal->MonthsDeadline(D("2026-12-01"), 1), D("2027-01-04"));  // 01-01 holiday, weekend
  EXPECT_EQ(*cal->SourceDocument(2027), "test-2027");
  EXPECT_EQ(cal->Years(), (std::vector<int>{2024, 2025, 2026, 2027}));
  const std::array<std::string_view, 1> again = {
      "# year=2026 source=again published=2025-11-04\nfrom,to,kind,name\n"};
  EXPECT_EQ(Calendar::WithExtraYears(again).status().field(), "calendar");
}

TEST(CalendarTest, GapBetweenLoadedYearsFails) {
  const std::array<std::string_view, 2> files = {
      "# year=2024 source=test published=2023-10-25\nfrom,to,kind,name\n",
      "# year=2026 source=test published=2025-11-04\nfrom,to,kind,name\n"};
  Result<Calendar> cal = Calendar::Parse(files);
  ASSERT_TRUE(cal.ok()) << cal.status().ToString();
  EXPECT_TRUE(std::string(cal->AddWorkingDays(D("2024-12-30"), 5).status().message())
                  .starts_with("no holiday calendar loaded for 2025:"));
}

TEST(CalendarParseTest, ParsesCommentsBlankLinesAndCrLf) {
  const std::array<std::string_view, 1> files = {
      "# year=2025 source=国办发明电〔2024〕12号 published=2024-11-12\r\n"
      "# second comment\r\n\r\n \t\n"
      "from,to,kind,name\r\n"
      "2025-01-01,2025-01-01,holiday,元旦\r\n"
      "2025-01-26,2025-01-26,workday,春节\r\n"};
  Result<Calendar> cal = Calendar::Parse(files);
  ASSERT_TRUE(cal.ok()) << cal.status().ToString();
  EXPECT_FALSE(*cal->IsWorkingDay(D("2025-01-01")));
  EXPECT_TRUE(*cal->IsWorkingDay(D("2025-01-26")));
  EXPECT_FALSE(*cal->IsWorkingDay(D("2025-01-25")));
  EXPECT_EQ(*cal->SourceDocument(2025), "国办发明电〔2024〕12号");
}

TEST(CalendarParseTest, IgnoresByteOrderMark) {
  const std::array<std::string_view, 1> files = {
      "\xEF\xBB\xBF# year=2025 source=x published=2024-11-12\nfrom,to,kind,name\n"};
  EXPECT_TRUE(Calendar::Parse(files).ok());
}

TEST(CalendarParseTest, RejectsNoFilesAndDuplicateYears) {
  EXPECT_EQ(Calendar::Parse({}).status().message(), "no calendar files given");
  const std::array<std::string_view, 2> files = {
      "# year=2025 source=a published=2024-11-12\nfrom,to,kind,name\n",
      "# year=2025 source=b published=2024-11-12\nfrom,to,kind,name\n"};
  EXPECT_EQ(Calendar::Parse(files).status().message(),
            "calendar file 2 (year 2025): the year is given by more than one file");
}

struct BadFile {
  const char* body;  // after the first line
  const char* message;
};

class CalendarParseErrorTest : public testing::TestWithParam<BadFile> {};

TEST_P(CalendarParseErrorTest, NamesFileLineAndReason) {
  const std::string text =
      std::string("# year=2025 source=test published=2024-11-12\n") + GetParam().body;
  const std::array<std::string_view, 1> files = {text};
  Result<Calendar> cal = Calendar::Parse(files);
  ASSERT_FALSE(cal.ok());
  EXPECT_TRUE(cal.status().IsInvalidArgument());
  EXPECT_EQ(cal.status().field(), "calendar");
  const std::string reason = GetParam().message;
  EXPECT_EQ(cal.status().message(),
            "calendar file 1 (year 2025)" + std::string(reason[0] == ':' ? "" : " ") + reason);
}

INSTANTIATE_TEST_SUITE_P(
    Errors, CalendarParseErrorTest,
    testing::Values(BadFile{"", ": missing the header line \"from,to,kind,name\""},
                    BadFile{"from,to,type,name\n",
                            "line 2: expected the header line \"from,to,kind,name\""},
                    BadFile{"from,to,kind,name\n2025-01-01,2025-01-01,holiday\n",
                            "line 3: expected 4 comma-separated fields from,to,kind,name"},
                    BadFile{"from,to,kind,name\n2025-1-1,2025-01-01,holiday,元旦\n",
                            "line 3: from and to must be dates YYYY-MM-DD"},
                    BadFile{"from,to,kind,name\n2025-02-30,2025-03-01,holiday,x\n",
                            "line 3: from and to must be dates YYYY-MM-DD"},
                    BadFile{"from,to,kind,name\n2024-12-31,2025-01-01,holiday,元旦\n",
                            "line 3: dates must fall in the file's year"},
                    BadFile{"from,to,kind,name\n2025-01-02,2025-01-01,holiday,元旦\n",
                            "line 3: to is before from"},
                    BadFile{"from,to,kind,name\n2025-01-01,2025-01-01,rest,元旦\n",
                            "line 3: kind must be holiday or workday"},
                    BadFile{"from,to,kind,name\n2025-01-01,2025-01-01,holiday,\n",
                            "line 3: name must be non-empty UTF-8 without commas"},
                    BadFile{"from,to,kind,name\n2025-01-01,2025-01-01,holiday,元,旦\n",
                            "line 3: name must be non-empty UTF-8 without commas"},
                    BadFile{"from,to,kind,name\n2025-01-27,2025-01-27,workday,春节\n",
                            "line 3: make-up workday 2025-01-27 is not a Saturday or Sunday"},
                    BadFile{"from,to,kind,name\n2025-01-28,2025-02-04,holiday,春节\n"
                            "2025-02-04,2025-02-04,holiday,春节\n",
                            "line 4: 2025-02-04 is listed twice"}));

TEST(CalendarParseTest, RejectsBadFirstLine) {
  const std::array<std::pair<std::string_view, std::string_view>, 5> cases = {{
      {"from,to,kind,name\n",
       "calendar file 1 line 1: the first line must be \"# year=YYYY source=... "
       "published=YYYY-MM-DD\""},
      {"# year=25 source=x published=2024-11-12\n",
       "calendar file 1 line 1: year= must be a 4-digit year"},
      {"# source=x published=2024-11-12\n", "calendar file 1 line 1: year= must be a 4-digit year"},
      {"# year=2025 published=2024-11-12\n",
       "calendar file 1 line 1: source= must name the document the dates come from"},
      {"# year=2025 source=x published=2024-11\n",
       "calendar file 1 line 1: published= must be a date YYYY-MM-DD"},
  }};
  for (const auto& [text, message] : cases) {
    const std::array<std::string_view, 1> files = {text};
    EXPECT_EQ(Calendar::Parse(files).status().message(), message) << text;
  }
}

}  // namespace
}  // namespace jiandu::core
