#include "core/civil_date.h"

#include <gtest/gtest.h>

#include "core/clock.h"
#include "core/page.h"

namespace jiandu::core {
namespace {

CivilDate D(std::string_view s) { return *CivilDate::Parse(s); }

TEST(CivilDateTest, ParsesAndFormatsRealDatesOnly) {
  EXPECT_EQ(D("2025-09-26").ToString(), "2025-09-26");
  EXPECT_EQ(D("1970-01-01").day_number(), 0);
  EXPECT_EQ(D("1969-12-31").day_number(), -1);
  EXPECT_EQ(D("2024-02-29").ToString(), "2024-02-29");
  for (const char* bad : {"2023-02-29", "2023-02-30", "2025-13-01", "2025-00-10", "2025-1-1",
                          "20250101", "2025/01/01", "", "1799-12-31", "２０２５-01-01"}) {
    Status s = CivilDate::Parse(bad, "appointed_on").status();
    EXPECT_TRUE(s.IsInvalidArgument()) << bad;
    EXPECT_EQ(s.field(), "appointed_on") << bad;
  }
  EXPECT_TRUE(CivilDate::Parse("1900-02-29").status().IsInvalidArgument());  // not leap
  EXPECT_TRUE(CivilDate::Parse("2000-02-29").ok());                          // leap
}

TEST(CivilDateTest, RoundTripsEveryDayOfFourCenturies) {
  CivilDate d = D("1900-01-01");
  for (int i = 0; i < 146097; ++i, d = d.AddDays(1)) {
    Result<CivilDate> again = CivilDate::FromYmd(d.year(), d.month(), d.day());
    ASSERT_TRUE(again.ok()) << d.ToString();
    ASSERT_EQ(*again, d);
    ASSERT_EQ(D(d.ToString()), d);
  }
  EXPECT_EQ(d.ToString(), "2300-01-01");
}

TEST(CivilDateTest, KnowsWeekdays) {
  EXPECT_EQ(D("1970-01-01").weekday(), Weekday::kThursday);
  EXPECT_EQ(D("2025-09-26").weekday(), Weekday::kFriday);
  EXPECT_EQ(D("2025-09-28").weekday(), Weekday::kSunday);
  EXPECT_EQ(D("1969-12-29").weekday(), Weekday::kMonday);
}

// 民法典 art 202: the corresponding day of the final month, else that month's last day.
TEST(CivilDateTest, AddsMonthsLikeTheCivilCode) {
  EXPECT_EQ(D("2024-10-31").AddMonths(6).ToString(), "2025-04-30");
  EXPECT_EQ(D("2024-08-31").AddMonths(6).ToString(), "2025-02-28");
  EXPECT_EQ(D("2023-08-31").AddMonths(6).ToString(), "2024-02-29");
  EXPECT_EQ(D("2025-01-15").AddMonths(3).ToString(), "2025-04-15");
  EXPECT_EQ(D("2025-11-30").AddMonths(2).ToString(), "2026-01-30");
  EXPECT_EQ(D("2025-03-31").AddMonths(-1).ToString(), "2025-02-28");
  EXPECT_EQ(D("2025-01-01").DaysUntil(D("2026-01-01")), 365);
}

TEST(TimestampTest, FormatsRfc3339AndChinaDate) {
  Timestamp t = Timestamp::FromUnixMicros(1'758'848'523'456'789);  // 2025-09-26T01:02:03.456Z
  EXPECT_EQ(t.ToRfc3339(), "2025-09-26T01:02:03.456Z");
  EXPECT_EQ(Timestamp::FromUnixSeconds(0).ToRfc3339(), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(Timestamp::FromUnixMicros(-1).ToRfc3339(), "1969-12-31T23:59:59.999Z");
  // China Standard Time is UTC+8: 16:00 UTC is already the next day in Beijing.
  EXPECT_EQ(Timestamp::FromUnixSeconds(1'758'902'399).ChinaDate().ToString(), "2025-09-26");
  EXPECT_EQ(Timestamp::FromUnixSeconds(1'758'902'400).ChinaDate().ToString(), "2025-09-27");
  FakeClock clock(Timestamp::FromUnixSeconds(1'758'902'399));
  clock.Advance(std::chrono::seconds(1));
  EXPECT_EQ(clock.Today().ToString(), "2025-09-27");
}

TEST(PageTest, CursorsRoundTripAndRefuseForgeries) {
  EXPECT_EQ(*DecodeCursor(EncodeCursor(42)), 42);
  EXPECT_EQ(*DecodeCursor(EncodeCursor(0x7fffffffffffffff)), 0x7fffffffffffffff);
  for (const char* bad : {"", "42", "c1", "c100000000000000zz", "x10000000000000002a"}) {
    EXPECT_EQ(DecodeCursor(bad).status().field(), "cursor") << bad;
  }
  EXPECT_EQ(PageRequest::Make(0, std::nullopt).status().field(), "limit");
  EXPECT_EQ(PageRequest::Make(201, std::nullopt).status().field(), "limit");
  EXPECT_EQ(PageRequest::Make(200, std::nullopt)->limit, 200);
  PageRequest req{.limit = 2};
  Page<int> page = MakePage(std::vector<int>{5, 4, 3}, req, [](int v) { return v; });
  EXPECT_EQ(page.items, (std::vector<int>{5, 4}));
  EXPECT_EQ(*DecodeCursor(*page.next_cursor), 4);
  EXPECT_FALSE(MakePage(std::vector<int>{5, 4}, req, [](int v) { return v; }).next_cursor);
}

TEST(StatusTest, CarriesCodeFieldAndContext) {
  Status s = Status::InvalidArgument("id_number", "check digit does not match");
  EXPECT_EQ(s.ToString(), "invalid_argument: id_number: check digit does not match");
  Status copy = s;
  EXPECT_EQ(copy.field(), "id_number");
  EXPECT_EQ(s.WithContext("person").message(), "person: check digit does not match");
  EXPECT_TRUE(Status().ok());
  Result<int> r = Status::NotFound("x");
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  Result<int> from_ok = Status::Ok();  // a bug made visible, never a silent success
  EXPECT_EQ(from_ok.status().code(), StatusCode::kInternal);
  EXPECT_EQ(StatusCodeName(StatusCode::kResourceExhausted), "resource_exhausted");
}

}  // namespace
}  // namespace jiandu::core
