#include "bench/monitor/data_generator.h"

#include <cstdio>
#include <random>
#include <thread>

namespace jiandu::bench {
namespace {

// Region codes (GB/T 2260) the generated people are born in.
constexpr const char* kRegions[] = {"110101", "110105", "310101", "310115", "420322", "420102",
                                    "440305", "440106", "510104", "330106", "320102", "370102",
                                    "610113", "500103", "430102", "350102", "210102", "120101",
                                    "130102", "410102"};
constexpr int kRegionCount = 20;
constexpr const char* kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴",
                                     "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗"};
constexpr const char* kGiven[] = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋",
                                  "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "霞", "平"};
constexpr int kItems = 50;
constexpr int kOrgs = 2000;

struct Sizes {
  uint64_t people, officials, relatives, payments, projects;
};

Sizes SizesFor(double scale) {
  auto n = [&](double base) { return static_cast<uint64_t>(base * scale + 0.5); };
  return {n(5'000'000), n(50'000), n(200'000), n(10'000'000), n(200'000)};
}

// Days since 1970-01-01 → "YYYY-MM-DD" (Howard Hinnant's civil_from_days).
void FormatDate(int32_t z, char* out) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int y = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
  std::snprintf(out, 11, "%04d-%02u-%02u", y % 10000, m % 100, d % 100);
}

int32_t DayNumber(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

// Person i's ID number: a region, a birth date in 1940–2005 and a sequence number, chosen
// injectively from i; the check character per GB 11643.
void PersonId(uint64_t i, char* out) {
  uint64_t region = i % kRegionCount;
  uint64_t rest = i / kRegionCount;
  uint64_t seq = rest % 1000;
  uint64_t day = (rest / 1000) * 89 % 24000;  // 89 is prime to 24000: distinct days
  char date[11];
  FormatDate(DayNumber(1940, 1, 1) + static_cast<int32_t>(day), date);
  std::snprintf(out, 19, "%s%.4s%.2s%.2s%03u", kRegions[region], date, date + 5, date + 8,
                static_cast<unsigned>(seq));
  static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int k = 0; k < 17; ++k) sum += (out[k] - '0') * kWeights[k];
  out[17] = "10X98765432"[sum % 11];
  out[18] = '\0';
}

class Chunk {
 public:
  Chunk(uint64_t seed, uint64_t file, uint64_t chunk)
      : rng_(seed * 0x9E3779B97F4A7C15ULL ^ (file << 48) ^ chunk) {}
  uint64_t Below(uint64_t n) { return rng_() % n; }
  bool Chance(double p) { return (rng_() >> 11) * 0x1.0p-53 < p; }
  std::string text;

 private:
  std::mt19937_64 rng_;
};

// The person index of official j (officials are people; spread over the population).
uint64_t OfficialPerson(uint64_t j, const Sizes& s) { return (j * 7919 + 13) % s.people; }

// Base amount of item k in cents (its median lies near it).
int64_t ItemBase(int k) { return 10'000 + 3'700 * k; }

void AppendMoney(std::string& out, int64_t cents) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld.%02lld", static_cast<long long>(cents / 100),
                static_cast<long long>(cents % 100));
  out += buf;
}

void PeopleRows(Chunk& c, uint64_t begin, uint64_t end, const Sizes&) {
  char id[19], date[11];
  for (uint64_t i = begin; i < end; ++i) {
    PersonId(i, id);
    c.text += id;
    c.text += ',';
    c.text += kSurnames[c.Below(20)];
    c.text += kGiven[c.Below(20)];
    c.text += ',';
    if (c.Chance(0.02)) {
      FormatDate(DayNumber(2015, 1, 1) + static_cast<int32_t>(c.Below(3653)), date);
      c.text += date;
    }
    c.text += '\n';
  }
}

void OfficialRows(Chunk& c, uint64_t begin, uint64_t end, const Sizes& s) {
  char id[19];
  for (uint64_t j = begin; j < end; ++j) {
    PersonId(OfficialPerson(j, s), id);
    c.text += id;
    c.text += ',';
    c.text += kSurnames[c.Below(20)];
    c.text += kGiven[c.Below(20)];
    c.text += ",单位" + std::to_string(j % kOrgs) + ",科员,,\n";
  }
}

void RelativeRows(Chunk& c, uint64_t begin, uint64_t end, const Sizes& s) {
  static constexpr const char* kRelations[] = {"spouse", "parent", "child", "sibling"};
  char id[19];
  for (uint64_t r = begin; r < end; ++r) {
    PersonId(OfficialPerson(c.Below(s.officials), s), id);
    c.text += id;
    c.text += ',';
    PersonId(c.Below(s.people), id);
    c.text += id;
    c.text += ',';
    c.text += kRelations[c.Below(4)];
    c.text += '\n';
  }
}

void AppendPayment(Chunk& c, const Sizes& s) {
  char id[19], date[11];
  PersonId(c.Below(s.people), id);
  int item = static_cast<int>(c.Below(kItems));
  int month = static_cast<int>(c.Below(24));
  int32_t period = DayNumber(2023 + month / 12, static_cast<unsigned>(month % 12 + 1), 1);
  int64_t cents = ItemBase(item) + static_cast<int64_t>(c.Below(4001)) - 2000;
  if (c.Chance(0.001)) cents *= 6 + static_cast<int64_t>(c.Below(15));
  std::string row = id;
  row += ",项目" + std::to_string(item) + ',';
  FormatDate(period, date);
  row += date;
  row += ',';
  AppendMoney(row, cents);
  row += ',';
  FormatDate(period + static_cast<int32_t>(c.Below(28)), date);
  row += date;
  row += ",财政所" + std::to_string(c.Below(200)) + '\n';
  c.text += row;
  if (c.Chance(0.005)) c.text += row;  // an injected duplicate
}

void PaymentRows(Chunk& c, uint64_t begin, uint64_t end, const Sizes& s) {
  for (uint64_t i = begin; i < end; ++i) AppendPayment(c, s);
}

void ProjectRows(Chunk& c, uint64_t begin, uint64_t end, const Sizes& s) {
  char id[19], date[11];
  for (uint64_t p = begin; p < end; ++p) {
    // Officials lead 70 %; a skewed pick so that some lead many.
    uint64_t official = c.Below(s.officials);
    if (c.Chance(0.5)) official = c.Below(std::max<uint64_t>(s.officials / 10, 1));
    PersonId(c.Chance(0.7) ? OfficialPerson(official, s) : c.Below(s.people), id);
    c.text += "XM" + std::to_string(p) + ",,";
    c.text += id;
    c.text += ",单位" + std::to_string(c.Below(kOrgs)) + ',';
    int32_t start = DayNumber(2020, 1, 1) + static_cast<int32_t>(c.Below(1800));
    FormatDate(start, date);
    c.text += date;
    c.text += ',';
    if (c.Chance(0.5)) {
      FormatDate(start + 30 + static_cast<int32_t>(c.Below(700)), date);
      c.text += date;
    }
    c.text += ",,";
    AppendMoney(c.text, 1'000'000 + static_cast<int64_t>(c.Below(100'000'000)));
    c.text += '\n';
  }
}

struct FileSpec {
  const char* dataset;
  const char* header;
  uint64_t Sizes::*rows;
  void (*fill)(Chunk&, uint64_t, uint64_t, const Sizes&);
};

constexpr FileSpec kFiles[] = {
    {"people", "id_number,name,death_date", &Sizes::people, PeopleRows},
    {"officials", "id_number,name,org,position,term_start,term_end", &Sizes::officials,
     OfficialRows},
    {"relatives", "official_id,relative_id,relation", &Sizes::relatives, RelativeRows},
    {"payments", "payee_id,item,period,amount,paid_on,payer_org", &Sizes::payments, PaymentRows},
    {"projects", "project_id,name,leader_id,org,start,end,contractor_code,budget",
     &Sizes::projects, ProjectRows},
};

}  // namespace

Result<std::vector<GeneratedFile>> GenerateMonitorData(const GeneratorOptions& options) {
  const Sizes sizes = SizesFor(options.scale);
  std::vector<GeneratedFile> out;
  constexpr uint64_t kChunkRows = 250'000;
  for (uint64_t f = 0; f < std::size(kFiles); ++f) {
    const FileSpec& spec = kFiles[f];
    GeneratedFile file{spec.dataset, options.dir + "/" + spec.dataset + ".csv", 0, 0};
    std::FILE* fp = std::fopen(file.path.c_str(), "wb");
    if (fp == nullptr) {
      return Status::Unavailable("cannot write " + file.path);
    }
    std::string header = std::string(spec.header) + "\n";
    std::fwrite(header.data(), 1, header.size(), fp);
    file.bytes += header.size();
    const uint64_t rows = sizes.*spec.rows;
    const uint64_t chunks = (rows + kChunkRows - 1) / kChunkRows;
    // Generate a window of chunks in parallel, write them in order, repeat.
    const auto window = static_cast<uint64_t>(std::max(options.threads, 1)) * 2;
    for (uint64_t base = 0; base < chunks; base += window) {
      std::vector<Chunk> done;
      for (uint64_t k = base; k < std::min(chunks, base + window); ++k) {
        done.emplace_back(options.seed, f, k);
      }
      std::vector<std::thread> pool;
      for (size_t t = 0; t < static_cast<size_t>(std::max(options.threads, 1)); ++t) {
        pool.emplace_back([&, t] {
          for (size_t k = t; k < done.size(); k += static_cast<size_t>(std::max(options.threads, 1))) {
            uint64_t begin = (base + k) * kChunkRows;
            spec.fill(done[k], begin, std::min(rows, begin + kChunkRows), sizes);
          }
        });
      }
      for (std::thread& t : pool) t.join();
      for (Chunk& c : done) {
        std::fwrite(c.text.data(), 1, c.text.size(), fp);
        file.bytes += c.text.size();
      }
    }
    file.rows = rows;
    if (std::fclose(fp) != 0) {
      return Status::Unavailable("cannot write " + file.path);
    }
    out.push_back(file);
  }
  return out;
}

std::string GenerateNewPayments(const GeneratorOptions& options, int n) {
  const Sizes sizes = SizesFor(options.scale);
  Chunk c(options.seed, 99, 0);
  c.text = std::string(kFiles[3].header) + "\n";
  int lines = 0;
  while (lines < n) {
    size_t before = c.text.size();
    AppendPayment(c, sizes);
    for (size_t i = before; i < c.text.size(); ++i) lines += c.text[i] == '\n';
  }
  if (lines > n) {  // an injected duplicate went one past: drop the last line
    c.text.resize(c.text.rfind('\n', c.text.size() - 2) + 1);
  }
  return c.text;
}

}  // namespace jiandu::bench
