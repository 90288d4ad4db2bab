#include "monitor/engine/testing/generated_data.h"

#include <random>

#include "core/civil_date.h"

namespace jiandu::monitor::testing {
namespace {

class Gen {
 public:
  explicit Gen(uint64_t seed) : rng_(seed) {}
  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool Chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  // A date between two ISO dates.
  std::string Date(const char* from, const char* to) {
    int32_t a = core::CivilDate::Parse(from)->day_number();
    int32_t b = core::CivilDate::Parse(to)->day_number();
    return core::CivilDate::FromDayNumber(Int(a, b)).ToString();
  }
  static std::string Plus(const std::string& date, int days) {
    return core::CivilDate::Parse(date)->AddDays(days).ToString();
  }
  static std::string Money(int cents) {
    return std::to_string(cents / 100) + "." + (cents % 100 < 10 ? "0" : "") +
           std::to_string(cents % 100);
  }

 private:
  std::mt19937_64 rng_;
};

}  // namespace

Tables GenerateData(uint64_t seed, int scale) {
  Gen g(seed);
  const int people = 2000 * scale;
  Tables out;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> death(people);
  for (int i = 0; i < people; ++i) {
    if (g.Chance(0.05)) death[i] = g.Date("2022-01-01", "2024-12-31");
    rows.push_back({Id(i), "P" + std::to_string(i), death[i]});
  }
  out.Add(MakeTable("people", rows));

  rows.clear();
  for (int i = 0; i < 6000 * scale; ++i) {
    int payee = g.Int(0, people - 1);
    char period[16];
    std::snprintf(period, sizeof period, "%04d-%02d-01", g.Int(2023, 2024), g.Int(1, 12));
    std::string paid_on = Gen::Plus(period, g.Int(0, 27));
    if (!death[payee].empty() && g.Chance(0.1)) paid_on = death[payee];  // the boundary
    int cents = g.Int(10000, 30000);
    if (g.Chance(0.004)) cents *= g.Int(6, 20);
    std::vector<std::string> row = {Id(payee), "item" + std::to_string(g.Int(0, 7)), period,
                                    Gen::Money(cents), paid_on,
                                    g.Chance(0.1) ? "" : "org" + std::to_string(g.Int(0, 4))};
    rows.push_back(row);
    if (g.Chance(0.005)) rows.push_back(row);  // an injected duplicate
  }
  out.Add(MakeTable("payments", rows));

  const int officials = 100 * scale;
  auto official_person = [&](int i) { return (i * 13) % people; };
  rows.clear();
  for (int i = 0; i < officials; ++i) {
    rows.push_back({Id(official_person(i)), "O" + std::to_string(i),
                    "org" + std::to_string(i % 5), "科长", "", ""});
  }
  out.Add(MakeTable("officials", rows));

  rows.clear();
  static const char* kRelations[] = {"spouse", "parent", "child", "sibling"};
  for (int i = 0; i < 3 * officials; ++i) {
    std::vector<std::string> row = {Id(official_person(g.Int(0, officials - 1))),
                                    Id(g.Int(0, people - 1)), kRelations[g.Int(0, 3)]};
    rows.push_back(row);
    if (g.Chance(0.02)) rows.push_back(row);  // declared twice
  }
  out.Add(MakeTable("relatives", rows));

  rows.clear();
  for (int i = 0; i < 4 * officials; ++i) {
    int leader = g.Chance(0.7) ? official_person(g.Int(0, officials / 4)) : g.Int(0, people - 1);
    std::string start = g.Date("2022-01-01", "2024-12-31");
    rows.push_back({"PRJ" + std::to_string(i), "", Id(leader), "org" + std::to_string(i % 5),
                    start, g.Chance(0.5) ? "" : Gen::Plus(start, 200), "", ""});
  }
  out.Add(MakeTable("projects", rows));

  rows.clear();
  for (int i = 0; i < 600 * scale; ++i) {
    int project = g.Int(0, 150 * scale);
    rows.push_back({"PRJ" + std::to_string(project), g.Date("2023-01-01", "2024-12-31"), ""});
  }
  out.Add(MakeTable("project_changes", rows));

  rows.clear();
  for (int i = 0; i < 300 * scale; ++i) {
    std::string start = g.Date("2022-01-01", "2024-06-30");
    rows.push_back({Id(g.Int(0, people / 4)), "", start,
                    g.Chance(0.4) ? "" : Gen::Plus(start, g.Int(1, 400)), "500.00"});
  }
  out.Add(MakeTable("dibao_roll", rows));

  rows.clear();
  for (int i = 0; i < 300 * scale; ++i) {
    std::string reg = g.Date("2015-01-01", "2024-12-31");
    rows.push_back({Id(g.Int(0, people / 4)), "鄂C" + std::to_string(10000 + i), reg,
                    g.Chance(0.7) ? "" : Gen::Plus(reg, g.Int(0, 900)), ""});
  }
  out.Add(MakeTable("vehicles", rows));

  rows.clear();
  for (int i = 0; i < 200 * scale; ++i) {
    std::string est = g.Date("2010-01-01", "2024-12-31");
    rows.push_back({CreditCode(i), "公司" + std::to_string(i), Id(g.Int(0, people / 4)), "", "",
                    "", g.Chance(0.1) ? "" : est,
                    g.Chance(0.7) ? "" : Gen::Plus(est, g.Int(0, 900))});
  }
  out.Add(MakeTable("companies", rows));

  rows.clear();
  for (int i = 0; i < 300 * scale; ++i) {
    std::string accepted = g.Date("2024-01-02", "2025-11-30");
    rows.push_back({"CASE" + std::to_string(i), "item" + std::to_string(i % 6),
                    g.Chance(0.1) ? "" : "org" + std::to_string(i % 5), accepted,
                    g.Chance(0.1) ? "" : Gen::Plus(accepted, g.Int(0, 40)),
                    std::to_string(g.Int(5, 20))});
  }
  out.Add(MakeTable("approvals", rows));

  rows.clear();
  for (int i = 0; i < 8; ++i) {
    rows.push_back({"fee" + std::to_string(i), Gen::Money(5000 + 1000 * i)});
  }
  rows.push_back({"fee3", Gen::Money(12000)});  // a second, higher standard for one item
  out.Add(MakeTable("fee_standards", rows));
  rows.clear();
  for (int i = 0; i < 300 * scale; ++i) {
    int item = g.Int(0, 9);
    rows.push_back({g.Chance(0.1) ? "" : "CASE" + std::to_string(i), "fee" + std::to_string(item),
                    Gen::Money(g.Int(3000, 14000)),
                    g.Chance(0.1) ? "" : g.Date("2024-01-01", "2024-12-31")});
  }
  out.Add(MakeTable("fees", rows));

  rows.clear();
  for (int i = 0; i < 200 * scale; ++i) {
    rows.push_back({"T" + std::to_string(g.Int(0, 40 * scale)), CreditCode(g.Int(0, 60)), "",
                    g.Chance(0.3) ? "" : "1380000" + std::to_string(1000 + g.Int(0, 150)),
                    g.Chance(0.3) ? "" : "地址" + std::to_string(g.Int(0, 150)),
                    g.Chance(0.3) ? "" : Id(g.Int(0, 200)), Gen::Money(g.Int(100000, 900000)),
                    ""});
  }
  out.Add(MakeTable("bids", rows));
  return out;
}

}  // namespace jiandu::monitor::testing
