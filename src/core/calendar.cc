#include "core/calendar.h"

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "core/text.h"

namespace jiandu::embedded {
extern const std::string_view calendar_2024_csv;
extern const std::string_view calendar_2025_csv;
extern const std::string_view calendar_2026_csv;
}  // namespace jiandu::embedded

namespace jiandu::core {
namespace {

constexpr std::string_view kField = "calendar";
constexpr std::string_view kColumns = "from,to,kind,name";
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// No statutory period is longer than a century; the caps keep date arithmetic far from
// integer overflow for any input.
constexpr int kMaxDeadlineDays = 36525;
constexpr int kMaxDeadlineMonths = 1200;

enum class Mark : uint8_t { kNone, kHoliday, kWorkday };

bool IsWeekend(CivilDate d) {
  return d.weekday() == Weekday::kSaturday || d.weekday() == Weekday::kSunday;
}

// Splits on the first '=': "year=2025" → {"year", "2025"}; false without '='.
bool SplitKeyValue(std::string_view token, std::string_view* key, std::string_view* value) {
  const size_t eq = token.find('=');
  if (eq == std::string_view::npos) {
    return false;
  }
  *key = token.substr(0, eq);
  *value = token.substr(eq + 1);
  return true;
}

// Calls fn(token) for each space-separated token of `text`.
template <typename Fn>
void ForEachToken(std::string_view text, Fn fn) {
  while (!text.empty()) {
    const size_t start = text.find_first_not_of(' ');
    if (start == std::string_view::npos) {
      return;
    }
    text.remove_prefix(start);
    const size_t end = text.find(' ');
    fn(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view() : text.substr(end);
  }
}

// Calls fn(line_number, line) for each line, without the line ending; stops at the first error.
template <typename Fn>
Status ForEachLine(std::string_view text, Fn fn) {
  size_t line_no = 0;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    JIANDU_RETURN_IF_ERROR(fn(++line_no, line));
  }
  return Status::Ok();
}

}  // namespace

// Parses one year file into a Calendar::Year (a friend of Calendar for that type).
class CalendarFileParser {
 public:
  explicit CalendarFileParser(size_t file_index) : file_index_(file_index) {}

  Status Parse(std::string_view text) {
    // Spreadsheet programs save CSV with a byte-order mark; it is not part of the first line.
    if (text.starts_with(kUtf8Bom)) {
      text.remove_prefix(kUtf8Bom.size());
    }
    JIANDU_RETURN_IF_ERROR(
        ForEachLine(text, [this](size_t n, std::string_view line) { return ParseLine(n, line); }));
    if (!columns_seen_) {
      return Error(0, "missing the header line \"from,to,kind,name\"");
    }
    const int days = IsLeapYear(year_) ? 366 : 365;
    out_.working.resize(days);
    for (int i = 0; i < days; ++i) {
      const Mark m = marks_[i];
      out_.working[i] = m == Mark::kWorkday || (m == Mark::kNone && !IsWeekend(jan1_.AddDays(i)));
    }
    return Status::Ok();
  }

  int year() const { return year_; }
  Calendar::Year TakeYear() { return std::move(out_); }

  // "calendar file 2 (year 2025) line 5: reason"; line 0 means the whole file.
  Status Error(size_t line, std::string_view reason) const {
    std::string msg = "calendar file " + std::to_string(file_index_);
    if (year_ != 0) {
      msg += " (year " + std::to_string(year_) + ")";
    }
    if (line != 0) {
      msg += " line " + std::to_string(line);
    }
    return Status::InvalidArgument(kField, msg + ": " + std::string(reason));
  }

 private:
  Status ParseLine(size_t n, std::string_view line) {
    if (n == 1) {
      return ParseHeaderComment(n, line);
    }
    if (Trim(line).empty() || line.front() == '#') {
      return Status::Ok();
    }
    if (!columns_seen_) {
      if (line != kColumns) {
        return Error(n, "expected the header line \"from,to,kind,name\"");
      }
      columns_seen_ = true;
      return Status::Ok();
    }
    return ParseRow(n, line);
  }

  // "# year=2025 source=国办发明电〔2024〕12号 published=2024-11-12"
  Status ParseHeaderComment(size_t n, std::string_view line) {
    if (line.empty() || line.front() != '#') {
      return Error(n, "the first line must be \"# year=YYYY source=... published=YYYY-MM-DD\"");
    }
    std::string_view year_text, source, published;
    ForEachToken(line.substr(1), [&](std::string_view token) {
      std::string_view key, value;
      if (!SplitKeyValue(token, &key, &value)) {
        return;
      }
      if (key == "year") {
        year_text = value;
      } else if (key == "source") {
        source = value;
      } else if (key == "published") {
        published = value;
      }
    });
    Result<CivilDate> jan1 = CivilDate::Parse(std::string(year_text) + "-01-01");
    if (!jan1.ok()) {
      return Error(n, "year= must be a 4-digit year");
    }
    if (source.empty() || !IsValidUtf8(source)) {
      return Error(n, "source= must name the document the dates come from");
    }
    Result<CivilDate> published_on = CivilDate::Parse(published);
    if (!published_on.ok()) {
      return Error(n, "published= must be a date YYYY-MM-DD");
    }
    jan1_ = *jan1;
    year_ = jan1_.year();
    out_.first_day = jan1_;
    out_.source = std::string(source);
    out_.published = *published_on;
    return Status::Ok();
  }

  Status ParseRow(size_t n, std::string_view line) {
    std::array<std::string_view, 4> f;
    for (size_t i = 0; i < 4; ++i) {
      const size_t comma = i < 3 ? line.find(',') : std::string_view::npos;
      if (i < 3 && comma == std::string_view::npos) {
        return Error(n, "expected 4 comma-separated fields from,to,kind,name");
      }
      f[i] = line.substr(0, comma);
      line = i < 3 ? line.substr(comma + 1) : std::string_view();
    }
    Result<CivilDate> from = CivilDate::Parse(f[0]);
    Result<CivilDate> to = CivilDate::Parse(f[1]);
    if (!from.ok() || !to.ok()) {
      return Error(n, "from and to must be dates YYYY-MM-DD");
    }
    if (from->year() != year_ || to->year() != year_) {
      return Error(n, "dates must fall in the file's year");
    }
    if (*to < *from) {
      return Error(n, "to is before from");
    }
    if (f[2] != "holiday" && f[2] != "workday") {
      return Error(n, "kind must be holiday or workday");
    }
    if (f[3].empty() || f[3].find(',') != std::string_view::npos || !IsValidUtf8(f[3])) {
      return Error(n, "name must be non-empty UTF-8 without commas");
    }
    return MarkDays(n, *from, *to, f[2] == "holiday" ? Mark::kHoliday : Mark::kWorkday);
  }

  Status MarkDays(size_t n, CivilDate from, CivilDate to, Mark mark) {
    for (CivilDate d = from; d <= to; d = d.AddDays(1)) {
      // 调休: a make-up workday replaces a weekend day; a weekday "workday" row is a typo.
      if (mark == Mark::kWorkday && !IsWeekend(d)) {
        return Error(n, "make-up workday " + d.ToString() + " is not a Saturday or Sunday");
      }
      Mark& slot = marks_[jan1_.DaysUntil(d)];
      if (slot != Mark::kNone) {
        return Error(n, d.ToString() + " is listed twice");
      }
      slot = mark;
    }
    return Status::Ok();
  }

  size_t file_index_;
  int year_ = 0;
  CivilDate jan1_;
  bool columns_seen_ = false;
  std::array<Mark, 366> marks_{};
  Calendar::Year out_;
};

Result<Calendar> Calendar::Parse(std::span<const std::string_view> year_files) {
  if (year_files.empty()) {
    return Status::InvalidArgument(kField, "no calendar files given");
  }
  Calendar cal;
  for (size_t i = 0; i < year_files.size(); ++i) {
    CalendarFileParser parser(i + 1);
    JIANDU_RETURN_IF_ERROR(parser.Parse(year_files[i]));
    if (cal.years_.count(parser.year()) != 0) {
      return parser.Error(0, "the year is given by more than one file");
    }
    cal.years_.emplace(parser.year(), parser.TakeYear());
  }
  return cal;
}

std::vector<std::string_view> Calendar::EmbeddedFiles() {
  return {embedded::calendar_2024_csv, embedded::calendar_2025_csv, embedded::calendar_2026_csv};
}

Result<Calendar> Calendar::WithExtraYears(std::span<const std::string_view> extra_files) {
  std::vector<std::string_view> files = EmbeddedFiles();
  files.insert(files.end(), extra_files.begin(), extra_files.end());
  return Parse(files);
}

namespace {
Calendar LoadEmbedded() {
  const std::vector<std::string_view> files = Calendar::EmbeddedFiles();
  Result<Calendar> parsed = Calendar::Parse(files);
  if (!parsed.ok()) {
    std::fprintf(stderr, "FATAL: embedded calendar: %s\n", parsed.status().ToString().c_str());
    std::abort();
  }
  return std::move(parsed).value();
}
}  // namespace

const Calendar& Calendar::Default() {
  static const Calendar calendar = LoadEmbedded();
  return calendar;
}

Result<const Calendar::Year*> Calendar::FindYear(int year) const {
  auto it = years_.find(year);
  if (it == years_.end()) {
    return Status::FailedPrecondition(
        "no holiday calendar loaded for " + std::to_string(year) +
            ": add the State Council's arrangement for that year as calendar/" +
            std::to_string(year) + ".csv in the data directory (docs/operations.md)",
        kField);
  }
  return &it->second;
}

Result<bool> Calendar::IsWorkingDay(CivilDate day) const {
  JIANDU_ASSIGN_OR_RETURN(const Year* year, FindYear(day.year()));
  return static_cast<bool>(year->working[year->first_day.DaysUntil(day)]);
}

Result<CivilDate> Calendar::NextWorkingDayFrom(CivilDate day) const {
  for (;; day = day.AddDays(1)) {
    JIANDU_ASSIGN_OR_RETURN(bool working, IsWorkingDay(day));
    if (working) {
      return day;
    }
  }
}

Result<CivilDate> Calendar::AddWorkingDays(CivilDate start, int n) const {
  if (n < 0) {
    return Status::InvalidArgument("working_days", "must not be negative");
  }
  CivilDate day = start;
  for (int counted = 0; counted < n;) {
    day = day.AddDays(1);
    JIANDU_ASSIGN_OR_RETURN(bool working, IsWorkingDay(day));
    counted += working ? 1 : 0;
  }
  return day;
}

Result<int> Calendar::WorkingDaysBetween(CivilDate from, CivilDate to) const {
  if (to < from) {
    JIANDU_ASSIGN_OR_RETURN(int reverse, WorkingDaysBetween(to, from));
    return -reverse;
  }
  int count = 0;
  for (CivilDate day = from.AddDays(1); day <= to; day = day.AddDays(1)) {
    JIANDU_ASSIGN_OR_RETURN(bool working, IsWorkingDay(day));
    count += working ? 1 : 0;
  }
  return count;
}

Result<CivilDate> Calendar::CalendarDaysDeadline(CivilDate start, int days) const {
  if (days < 0 || days > kMaxDeadlineDays) {
    return Status::InvalidArgument("calendar_days", "must be between 0 and 36525");
  }
  return NextWorkingDayFrom(start.AddDays(days));
}

Result<CivilDate> Calendar::MonthsDeadline(CivilDate start, int months) const {
  if (months < 0 || months > kMaxDeadlineMonths) {
    return Status::InvalidArgument("months", "must be between 0 and 1200");
  }
  return NextWorkingDayFrom(start.AddMonths(months));
}

std::vector<int> Calendar::Years() const {
  std::vector<int> out;
  for (const auto& [year, unused] : years_) {
    out.push_back(year);
  }
  return out;
}

Result<std::string> Calendar::SourceDocument(int year) const {
  JIANDU_ASSIGN_OR_RETURN(const Year* y, FindYear(year));
  return y->source;
}

}  // namespace jiandu::core
