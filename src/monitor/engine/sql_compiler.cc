#include "monitor/engine/sql_compiler.h"

#include "core/civil_date.h"

namespace jiandu::monitor {
namespace {

std::string SqlType(ColumnType t) {
  switch (t) {
    case ColumnType::kDate:
      return "DATE";
    case ColumnType::kIdNumber:
    case ColumnType::kMoney:
    case ColumnType::kInt:
      return "BIGINT";
    default:
      return "TEXT";
  }
}

// Builds one rule's SELECT: resolves columns against the schemas and records the outputs.
class Compiler {
 public:
  Compiler(const Rule& rule, const SchemaLookup& schemas, SqlDialect dialect)
      : rule_(rule), schemas_(schemas), dialect_(dialect) {}

  Result<CompiledRule> Compile();

 private:
  // The type of the column bound to role.slot (or the named column of role's dataset).
  Result<ColumnType> TypeOf(std::string_view role, const std::string& column) {
    const RuleInput* in = rule_.Input(role);
    const DatasetSchema* schema = in == nullptr ? nullptr : schemas_(in->dataset);
    int index = schema == nullptr ? -1 : schema->Find(column);
    if (index < 0) {
      return Status::InvalidArgument("inputs." + std::string(role),
                                     rule_.Where("inputs." + std::string(role)) + "column '" +
                                         column + "' is not in the dataset");
    }
    return schema->columns[index].type;
  }
  std::string Table(std::string_view role) { return QuoteIdent(rule_.Input(role)->dataset); }
  std::string Col(std::string_view alias, std::string_view role, std::string_view slot) {
    return std::string(alias) + "." + QuoteIdent(rule_.Column(role, slot));
  }
  // Adds `expr` (a column of type `type`) as an output; returns its SELECT form.
  std::string Output(const std::string& expr, ColumnType type, bool in_key, std::string subject) {
    out_.outputs.push_back(SqlOutput{type, in_key, std::move(subject)});
    if (type == ColumnType::kDate) {
      return "(" + expr + " - DATE '1970-01-01')";
    }
    return expr;
  }
  // identity columns + optional subject column of role `records` (alias t).
  Result<std::string> IdentityOutputs() {
    std::string select;
    for (const std::string& c : rule_.List("records", "identity")) {
      JIANDU_ASSIGN_OR_RETURN(ColumnType type, TypeOf("records", c));
      select += (select.empty() ? "" : ", ") + Output("t." + QuoteIdent(c), type, true, "");
    }
    const std::string& subject = rule_.Column("records", "subject");
    if (!subject.empty()) {
      JIANDU_ASSIGN_OR_RETURN(ColumnType type, TypeOf("records", subject));
      select += ", " + Output("t." + QuoteIdent(subject), type, false, "subject");
    }
    return select;
  }

  Result<std::string> Match();
  Result<std::string> Link();
  Result<std::string> Count();
  Result<std::string> Duplicate();
  Result<std::string> Outlier();
  Result<std::string> Window();
  Result<std::string> Deadline();
  Result<std::string> Threshold();

  const Rule& rule_;
  const SchemaLookup& schemas_;
  SqlDialect dialect_;
  CompiledRule out_;
};

Result<std::string> Compiler::Match() {
  JIANDU_ASSIGN_OR_RETURN(ColumnType key_type, TypeOf("left", rule_.Column("left", "key")));
  std::string sql = "SELECT DISTINCT " + Output(Col("l", "left", "key"), key_type, true, "key") +
                    " FROM " + Table("left") + " l JOIN " + Table("right") + " r ON " +
                    Col("l", "left", "key") + " = " + Col("r", "right", "key");
  const RuleParams& p = rule_.params;
  if (p.relation == MatchRelation::kAfter) {
    sql += " WHERE " + Col("r", "right", "date") + " IS NOT NULL AND " +
           Col("l", "left", "date") + " > " + Col("r", "right", "date") + " + " +
           std::to_string(p.grace_days);
  } else if (p.relation == MatchRelation::kOverlaps) {
    // Half-open periods; a missing start or end is open.
    auto lt = [&](std::string_view a_role, std::string_view b_role, char a, char b) {
      std::string from = Col(std::string(1, a), a_role, "from");
      std::string cond = "(" + from + " IS NULL";
      if (!rule_.Column(b_role, "to").empty()) {
        std::string to = Col(std::string(1, b), b_role, "to");
        cond += " OR " + to + " IS NULL OR " + from + " < " + to + ")";
      } else {
        cond += " OR TRUE)";
      }
      return cond;
    };
    sql += " WHERE " + lt("left", "right", 'l', 'r') + " AND " + lt("right", "left", 'r', 'l');
  }
  return sql;
}

Result<std::string> Compiler::Link() {
  JIANDU_ASSIGN_OR_RETURN(ColumnType mt, TypeOf("relation", rule_.Column("relation", "member")));
  JIANDU_ASSIGN_OR_RETURN(ColumnType ot, TypeOf("relation", rule_.Column("relation", "owner")));
  // Two statements: the operands of + are unsequenced, and outputs are recorded in order.
  std::string select = Output(Col("r", "relation", "member"), mt, true, "member");
  select += ", " + Output(Col("r", "relation", "owner"), ot, true, "owner");
  return "SELECT DISTINCT " + select + " FROM " + Table("source") + " s JOIN " +
         Table("relation") + " r ON " + Col("s", "source", "key") + " = " +
         Col("r", "relation", "member") + " WHERE " + Col("r", "relation", "owner") +
         " IS NOT NULL";
}

Result<std::string> Compiler::Count() {
  JIANDU_ASSIGN_OR_RETURN(ColumnType gt, TypeOf("records", rule_.Column("records", "group")));
  std::string g = Col("t", "records", "group");
  std::string sql = "SELECT " + Output("x.g", gt, true, "group") + " FROM (SELECT " + g +
                    " AS g, count(*) AS n FROM " + Table("records") + " t WHERE " + g +
                    " IS NOT NULL GROUP BY " + g + ") x WHERE x.n > " +
                    std::to_string(rule_.params.max_count);
  if (rule_.Input("members") != nullptr) {
    sql += " AND x.g IN (SELECT " + Col("m", "members", "key") + " FROM " + Table("members") +
           " m)";
  }
  return sql;
}

Result<std::string> Compiler::Duplicate() {
  std::string keys, select, not_null;
  for (const std::string& c : rule_.List("records", "keys")) {
    JIANDU_ASSIGN_OR_RETURN(ColumnType type, TypeOf("records", c));
    std::string col = "t." + QuoteIdent(c);
    bool entity = type == ColumnType::kIdNumber || type == ColumnType::kCreditCode;
    keys += (keys.empty() ? "" : ", ") + col;
    select += (select.empty() ? "" : ", ") + Output(col, type, true, entity ? c : "");
    not_null += (not_null.empty() ? "" : " AND ") + col + " IS NOT NULL";
  }
  const std::vector<std::string>& shared = rule_.List("records", "shared");
  if (shared.empty()) {
    return "SELECT " + select + " FROM " + Table("records") + " t WHERE " + not_null +
           " GROUP BY " + keys + " HAVING count(*) > " + std::to_string(rule_.params.max_rows);
  }
  std::string distinct = Col("t", "records", "distinct");
  std::string parts;
  for (const std::string& c : shared) {
    std::string col = "t." + QuoteIdent(c);
    parts += std::string(parts.empty() ? "" : " UNION ALL ") + "SELECT " + keys + " FROM " +
             Table("records") + " t WHERE " + not_null + " AND " + col + " IS NOT NULL AND " +
             distinct + " IS NOT NULL GROUP BY " + keys + ", " + col +
             " HAVING count(DISTINCT " + distinct + ") > 1";
  }
  return "SELECT DISTINCT " + select + " FROM (" + parts + ") t";
}

Result<std::string> Compiler::Outlier() {
  std::string g = "t." + QuoteIdent(rule_.Column("records", "group"));
  std::string v = "t." + QuoteIdent(rule_.Column("records", "value"));
  std::string lo, hi;
  if (dialect_ == SqlDialect::kDuckDb) {
    lo = "quantile_disc(" + v + ", 0.5)";
    hi = "-quantile_disc(-" + v + ", 0.5)";
  } else {
    lo = "percentile_disc(0.5) WITHIN GROUP (ORDER BY " + v + ")";
    hi = "-percentile_disc(0.5) WITHIN GROUP (ORDER BY -" + v + ")";
  }
  std::string select;
  JIANDU_ASSIGN_OR_RETURN(select, IdentityOutputs());
  return "WITH m AS (SELECT " + g + " AS g, count(*) AS n, " + lo + " AS lo, " + hi +
         " AS hi FROM " + Table("records") + " t WHERE " + g + " IS NOT NULL AND " + v +
         " IS NOT NULL GROUP BY " + g + ") SELECT DISTINCT " + select + " FROM " +
         Table("records") + " t JOIN m ON " + g + " = m.g WHERE " + v + " IS NOT NULL AND m.n >= " +
         std::to_string(rule_.params.min_group_size) + " AND " + v + " * 200 > " +
         std::to_string(rule_.params.multiple_hundredths) + " * (m.lo + m.hi)";
}

Result<std::string> Compiler::Window() {
  JIANDU_ASSIGN_OR_RETURN(ColumnType gt, TypeOf("events", rule_.Column("events", "group")));
  std::string g = Col("t", "events", "group");
  std::string d = Col("t", "events", "date");
  return "SELECT DISTINCT " + Output("x.g", gt, true, "group") + " FROM (SELECT " + g +
         " AS g, " + d + " AS d, lead(" + d + ", " + std::to_string(rule_.params.max_events) +
         ") OVER (PARTITION BY " + g + " ORDER BY " + d + ") AS dn FROM " + Table("events") +
         " t WHERE " + g + " IS NOT NULL AND " + d + " IS NOT NULL) x WHERE x.dn IS NOT NULL" +
         " AND x.dn - x.d < " + std::to_string(rule_.params.window_days);
}

Result<std::string> Compiler::Deadline() {
  out_.needs_calendar = true;
  std::string select;
  JIANDU_ASSIGN_OR_RETURN(select, IdentityOutputs());
  std::string start = Col("t", "records", "start");
  std::string end = rule_.Column("records", "end").empty() ? "NULL" : Col("t", "records", "end");
  if (rule_.params.as_of) {
    end = "COALESCE(" + end + ", DATE '" +
          core::CivilDate::FromDayNumber(*rule_.params.as_of).ToString() + "')";
  }
  std::string limit = rule_.params.limit_days ? std::to_string(*rule_.params.limit_days) : "NULL";
  if (!rule_.Column("records", "limit").empty()) {
    limit = "COALESCE(" + Col("t", "records", "limit") + ", " + limit + ")";
  }
  return "SELECT DISTINCT " + select + " FROM " + Table("records") +
         " t JOIN jiandu_workday a ON a.day = " + start + " JOIN jiandu_workday b ON b.day = " +
         end + " WHERE b.idx - a.idx > " + limit;
}

Result<std::string> Compiler::Threshold() {
  std::string select;
  JIANDU_ASSIGN_OR_RETURN(select, IdentityOutputs());
  std::string sk = Col("s", "standards", "key");
  std::string sv = Col("s", "standards", "value");
  std::string v = Col("t", "records", "value");
  return "SELECT DISTINCT " + select + " FROM " + Table("records") + " t JOIN (SELECT " + sk +
         " AS k, max(" + sv + ") AS v FROM " + Table("standards") + " s WHERE " + sk +
         " IS NOT NULL AND " + sv + " IS NOT NULL GROUP BY " + sk + ") st ON " +
         Col("t", "records", "key") + " = st.k WHERE " + v + " IS NOT NULL AND " + v +
         " > st.v + " + std::to_string(rule_.params.min_excess);
}

Result<CompiledRule> Compiler::Compile() {
  for (const RuleInput& in : rule_.inputs) {
    if (schemas_(in.dataset) == nullptr) {
      return Status::InvalidArgument("inputs." + in.role + ".dataset",
                                     rule_.Where("inputs." + in.role + ".dataset") +
                                         "no dataset '" + in.dataset + "'");
    }
  }
  Result<std::string> sql = Status::Internal("unknown kind");
  switch (rule_.kind) {
    case RuleKind::kMatch: sql = Match(); break;
    case RuleKind::kLink: sql = Link(); break;
    case RuleKind::kCount: sql = Count(); break;
    case RuleKind::kDuplicate: sql = Duplicate(); break;
    case RuleKind::kOutlier: sql = Outlier(); break;
    case RuleKind::kWindow: sql = Window(); break;
    case RuleKind::kDeadline: sql = Deadline(); break;
    case RuleKind::kThreshold: sql = Threshold(); break;
  }
  if (!sql.ok()) return sql.status();
  out_.sql = std::move(*sql);
  return std::move(out_);
}

std::string Literal(const Column& c, size_t row) {
  switch (c.spec.type) {
    case ColumnType::kDate:
      if (c.i32[row] == kNullI32) return "NULL";
      return "DATE '" + core::CivilDate::FromDayNumber(c.i32[row]).ToString() + "'";
    case ColumnType::kIdNumber:
    case ColumnType::kMoney:
    case ColumnType::kInt:
      return c.i64[row] == kNullI64 ? "NULL" : std::to_string(c.i64[row]);
    default: {
      if (c.codes[row] == kNullCode) return "NULL";
      std::string out = "'";
      for (char ch : c.dict->At(c.codes[row])) {
        out += ch;
        if (ch == '\'') out += '\'';
      }
      return out + "'";
    }
  }
}

}  // namespace

std::string QuoteIdent(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    out += c;
    if (c == '"') out += '"';
  }
  return out + "\"";
}

Result<CompiledRule> CompileRule(const Rule& rule, const SchemaLookup& schemas, SqlDialect dialect) {
  return Compiler(rule, schemas, dialect).Compile();
}

std::string CreateTableSql(const DatasetSchema& schema) {
  std::string sql = "CREATE TABLE " + QuoteIdent(schema.name) + " (";
  for (size_t i = 0; i < schema.columns.size(); ++i) {
    sql += (i == 0 ? "" : ", ") + QuoteIdent(schema.columns[i].name) + " " +
           SqlType(schema.columns[i].type);
  }
  return sql + ")";
}

std::string InsertRowsSql(const Table& table, size_t begin, size_t end) {
  std::string sql;
  const size_t batch = 500;
  for (size_t b = begin; b < end; b += batch) {
    sql += "INSERT INTO " + QuoteIdent(table.schema.name) + " VALUES ";
    for (size_t r = b; r < std::min(end, b + batch); ++r) {
      sql += r == b ? "(" : ", (";
      for (size_t c = 0; c < table.columns.size(); ++c) {
        sql += (c == 0 ? "" : ", ") + Literal(table.columns[c], r);
      }
      sql += ")";
    }
    sql += ";\n";
  }
  return sql;
}

std::vector<std::string> LoadCsvSql(const DatasetSchema& schema, std::string_view csv_path,
                                    SqlDialect dialect) {
  std::string path(csv_path);  // quoted below; the benchmark chooses the path
  std::string conv;
  for (size_t i = 0; i < schema.columns.size(); ++i) {
    const ColumnSpec& c = schema.columns[i];
    std::string col = QuoteIdent(c.name);
    std::string expr;
    switch (c.type) {
      case ColumnType::kIdNumber:
        expr = "CAST(left(" + col + ", 17) AS BIGINT)";
        break;
      case ColumnType::kMoney:
        expr = dialect == SqlDialect::kDuckDb ? "CAST(" + col + " * 100 AS BIGINT)"
                                              : "CAST(round(CAST(" + col +
                                                    " AS NUMERIC) * 100) AS BIGINT)";
        break;
      case ColumnType::kDate:
        expr = dialect == SqlDialect::kDuckDb ? col : "CAST(" + col + " AS DATE)";
        break;
      case ColumnType::kInt:
        expr = dialect == SqlDialect::kDuckDb ? col : "CAST(" + col + " AS BIGINT)";
        break;
      default:
        expr = col;
        break;
    }
    conv += (i == 0 ? "" : ", ") + expr + " AS " + col;
  }
  std::string table = QuoteIdent(schema.name);
  if (dialect == SqlDialect::kDuckDb) {
    std::string types;
    for (size_t i = 0; i < schema.columns.size(); ++i) {
      const ColumnSpec& c = schema.columns[i];
      std::string t = c.type == ColumnType::kDate    ? "DATE"
                      : c.type == ColumnType::kMoney ? "DECIMAL(18,2)"
                      : c.type == ColumnType::kInt   ? "BIGINT"
                                                     : "VARCHAR";
      types += (i == 0 ? "'" : ", '") + c.name + "': '" + t + "'";
    }
    return {"CREATE TABLE " + table + " AS SELECT " + conv + " FROM read_csv('" + path +
            "', header = true, delim = ',', quote = '\"', columns = {" + types + "})"};
  }
  std::string staging = QuoteIdent(schema.name + "_csv");
  std::string cols;
  for (size_t i = 0; i < schema.columns.size(); ++i) {
    cols += (i == 0 ? "" : ", ") + QuoteIdent(schema.columns[i].name) + " TEXT";
  }
  return {"CREATE UNLOGGED TABLE " + staging + " (" + cols + ")",
          "COPY " + staging + " FROM '" + path + "' WITH (FORMAT csv, HEADER true)",
          "CREATE TABLE " + table + " AS SELECT " + conv + " FROM " + staging,
          "DROP TABLE " + staging, "ANALYZE " + table};
}

Result<std::string> CalendarTableSql(const core::Calendar& calendar) {
  std::vector<int> years = calendar.Years();
  if (years.empty()) {
    return Status::FailedPrecondition("the calendar has no years");
  }
  for (size_t i = 1; i < years.size(); ++i) {
    if (years[i] != years[i - 1] + 1) {
      return Status::FailedPrecondition("the calendar's years are not consecutive");
    }
  }
  JIANDU_ASSIGN_OR_RETURN(core::CivilDate first, core::CivilDate::FromYmd(years.front(), 1, 1));
  JIANDU_ASSIGN_OR_RETURN(core::CivilDate last, core::CivilDate::FromYmd(years.back(), 12, 31));
  std::string sql = "CREATE TABLE jiandu_workday (day DATE PRIMARY KEY, idx INTEGER NOT NULL);\n";
  int idx = 0;
  size_t n = 0;
  for (core::CivilDate d = first; d <= last; d = d.AddDays(1), ++n) {
    JIANDU_ASSIGN_OR_RETURN(bool working, calendar.IsWorkingDay(d));
    idx += working ? 1 : 0;
    sql += (n % 400 == 0 ? std::string(n == 0 ? "" : ";\n") + "INSERT INTO jiandu_workday VALUES "
                         : std::string(", ")) +
           "(DATE '" + d.ToString() + "', " + std::to_string(idx) + ")";
  }
  return sql + ";\n";
}

}  // namespace jiandu::monitor
