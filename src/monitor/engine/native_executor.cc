#include "monitor/engine/native_executor.h"

#include <algorithm>

#include "monitor/engine/internal/exec_common.h"
#include "monitor/engine/internal/parallel.h"

namespace jiandu::monitor {
namespace internal {

const Table& RunContext::TableOf(std::string_view role) const {
  return *tables->find(rule->Input(role)->dataset)->second;
}

const Column* RunContext::Col(std::string_view role, std::string_view slot) const {
  const std::string& name = rule->Column(role, slot);
  return name.empty() ? nullptr : TableOf(role).Find(name);
}

std::vector<const Column*> RunContext::Cols(std::string_view role, std::string_view slot) const {
  std::vector<const Column*> out;
  for (const std::string& name : rule->List(role, slot)) {
    out.push_back(TableOf(role).Find(name));
  }
  return out;
}

const std::string& RunContext::DatasetOf(std::string_view role) const {
  return rule->Input(role)->dataset;
}

Result<RunContext> BindContext(const Rule& rule, const TableSet& tables,
                               const ExecOptions& options) {
  for (const RuleInput& in : rule.inputs) {
    auto it = tables.find(in.dataset);
    if (it == tables.end() || it->second == nullptr) {
      return Status::InvalidArgument("inputs." + in.role + ".dataset",
                                     rule.Where("inputs." + in.role + ".dataset") +
                                         "dataset '" + in.dataset + "' is not loaded");
    }
    auto check = [&](const std::string& slot, const std::string& column) -> Status {
      if (it->second->Find(column) == nullptr) {
        std::string key = "inputs." + in.role + "." + slot;
        return Status::InvalidArgument(key, rule.Where(key) + key + ": no column '" + column +
                                                "' in the loaded dataset " + in.dataset);
      }
      return Status::Ok();
    };
    for (const auto& [slot, column] : in.columns) {
      JIANDU_RETURN_IF_ERROR(check(slot, column));
    }
    for (const auto& [slot, columns] : in.lists) {
      for (const std::string& column : columns) {
        JIANDU_RETURN_IF_ERROR(check(slot, column));
      }
    }
  }
  RunContext ctx;
  ctx.rule = &rule;
  ctx.tables = &tables;
  ctx.threads = ResolveThreads(options.threads);
  ctx.calendar = options.calendar != nullptr ? options.calendar : &core::Calendar::Default();
  return ctx;
}

KeyValue ValueAt(const Column& c, size_t row) {
  KeyValue v;
  v.type = c.spec.type;
  switch (c.spec.type) {
    case ColumnType::kDate:
      v.null = c.i32[row] == kNullI32;
      v.number = v.null ? 0 : c.i32[row];
      break;
    case ColumnType::kIdNumber:
    case ColumnType::kMoney:
    case ColumnType::kInt:
      v.null = c.i64[row] == kNullI64;
      v.number = v.null ? 0 : c.i64[row];
      break;
    default:
      v.null = c.codes[row] == kNullCode;
      if (!v.null) {
        v.text = std::string(c.dict->At(c.codes[row]));
      }
      break;
  }
  return v;
}

Warning MakeWarning(const Rule& rule, std::vector<KeyValue> key_values) {
  Warning w;
  w.rule_id = rule.id;
  w.rule_version = rule.version;
  w.level = rule.level;
  w.key = StableKey(rule.id, key_values);
  w.key_values = std::move(key_values);
  return w;
}

void AddSubject(Warning* w, std::string role, const Column& c, size_t row) {
  w->subjects.push_back(Subject{std::move(role), ValueAt(c, row)});
}

void AddEvidence(Warning* w, const std::string& dataset, std::vector<uint32_t> rows) {
  std::sort(rows.begin(), rows.end());
  rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
  for (Evidence& e : w->evidence) {
    if (e.dataset == dataset) {
      e.rows.insert(e.rows.end(), rows.begin(), rows.end());
      std::sort(e.rows.begin(), e.rows.end());
      e.rows.erase(std::unique(e.rows.begin(), e.rows.end()), e.rows.end());
      return;
    }
  }
  w->evidence.push_back(Evidence{dataset, std::move(rows)});
}

JoinKeys::JoinKeys(const Column& probe, const Column& build)
    : probe_(&probe),
      build_(&build),
      numeric_(probe.spec.type == ColumnType::kIdNumber || probe.spec.type == ColumnType::kInt ||
               probe.spec.type == ColumnType::kMoney) {
  if (!numeric_ && probe.dict && build.dict) {
    probe_to_build_.resize(probe.dict->size());
    for (uint32_t c = 0; c < probe_to_build_.size(); ++c) {
      probe_to_build_[c] = build.dict->Find(probe.dict->At(c));
    }
  }
}

Result<Table> ConcatTables(const Table& base, const Table& batch) {
  if (base.columns.size() != batch.columns.size()) {
    return Status::InvalidArgument("batch", "the batch's columns differ from the dataset's");
  }
  Table out = base;
  for (size_t i = 0; i < out.columns.size(); ++i) {
    Column& dst = out.columns[i];
    const Column& src = batch.columns[i];
    if (dst.spec.type != src.spec.type) {
      return Status::InvalidArgument(dst.spec.name, "the batch column has another type");
    }
    dst.i64.insert(dst.i64.end(), src.i64.begin(), src.i64.end());
    dst.i32.insert(dst.i32.end(), src.i32.begin(), src.i32.end());
    if (src.dict) {
      // The base dictionary is shared with the base table: copy before interning.
      dst.dict = std::make_shared<Dictionary>(*dst.dict);
      for (uint32_t code : src.codes) {
        dst.codes.push_back(code == kNullCode ? kNullCode : dst.dict->Intern(src.dict->At(code)));
      }
    }
  }
  out.rows = base.rows + batch.rows;
  return out;
}

namespace {

Result<std::vector<Warning>> Dispatch(const RunContext& ctx) {
  switch (ctx.rule->kind) {
    case RuleKind::kMatch:
      return RunMatch(ctx);
    case RuleKind::kLink:
      return RunLink(ctx);
    case RuleKind::kCount:
      return RunCount(ctx);
    case RuleKind::kDuplicate:
      return RunDuplicate(ctx);
    case RuleKind::kOutlier:
      return RunOutlier(ctx);
    case RuleKind::kWindow:
      return RunWindow(ctx);
    case RuleKind::kDeadline:
      return RunDeadline(ctx);
    case RuleKind::kThreshold:
      return RunThreshold(ctx);
  }
  return Status::Internal("unknown rule kind");
}

bool TouchesNewRows(const Warning& w, const std::string& dataset, uint32_t first_new) {
  for (const Evidence& e : w.evidence) {
    if (e.dataset == dataset && !e.rows.empty() && e.rows.back() >= first_new) {
      return true;
    }
  }
  return false;
}

}  // namespace
}  // namespace internal

Result<std::vector<Warning>> RunRule(const Rule& rule, const TableSet& tables,
                                     const ExecOptions& options) {
  JIANDU_ASSIGN_OR_RETURN(internal::RunContext ctx, internal::BindContext(rule, tables, options));
  JIANDU_ASSIGN_OR_RETURN(std::vector<Warning> warnings, internal::Dispatch(ctx));
  // Every executor's evidence is sorted and unique (AddEvidence); executors that build their
  // warnings in key order (match, link) leave nothing to sort or merge when keys are distinct.
  bool ordered = true;
  for (size_t i = 1; ordered && i < warnings.size(); ++i) {
    ordered = warnings[i - 1].key < warnings[i].key;
  }
  if (!ordered) SortAndMerge(&warnings);
  return warnings;
}

struct PreparedRule::State {
  std::unique_ptr<internal::PreparedState> fast;
};

PreparedRule::PreparedRule(Rule rule, TableSet base, ExecOptions options)
    : rule_(std::move(rule)), base_(std::move(base)), options_(options) {}

PreparedRule::~PreparedRule() = default;

Result<std::unique_ptr<PreparedRule>> PreparedRule::Prepare(const Rule& rule, const TableSet& base,
                                                            const ExecOptions& options) {
  std::unique_ptr<PreparedRule> p(new PreparedRule(rule, base, options));
  JIANDU_ASSIGN_OR_RETURN(internal::RunContext ctx,
                          internal::BindContext(p->rule_, p->base_, options));
  p->state_ = std::make_unique<State>();
  switch (rule.kind) {
    case RuleKind::kMatch:
      p->state_->fast = internal::PrepareMatch(ctx);
      break;
    case RuleKind::kLink:
      p->state_->fast = internal::PrepareLink(ctx);
      break;
    case RuleKind::kCount:
      p->state_->fast = internal::PrepareCount(ctx);
      break;
    case RuleKind::kDuplicate: {
      JIANDU_ASSIGN_OR_RETURN(p->state_->fast, internal::PrepareDuplicate(ctx));
      break;
    }
    case RuleKind::kOutlier: {
      JIANDU_ASSIGN_OR_RETURN(p->state_->fast, internal::PrepareOutlier(ctx));
      break;
    }
    default:
      break;  // per-record kinds check a batch on its own (below); window re-runs
  }
  return p;
}

Result<std::vector<Warning>> PreparedRule::RunIncremental(std::string_view dataset,
                                                          const Table& batch) const {
  bool reads = false;
  for (const RuleInput& in : rule_.inputs) {
    reads = reads || in.dataset == dataset;
  }
  if (!reads || batch.rows == 0) {
    return std::vector<Warning>();
  }
  auto base_it = base_.find(dataset);
  const auto first_new = static_cast<uint32_t>(base_it->second->rows);
  if (state_->fast) {
    bool handled = false;
    JIANDU_ASSIGN_OR_RETURN(std::vector<Warning> w,
                            state_->fast->Check(dataset, batch, &handled));
    if (handled) {
      SortAndMerge(&w);
      return w;
    }
  }
  // Per-record kinds: a record's warning depends only on itself and the other inputs, so the
  // batch alone is run against the base of the other roles.
  bool per_record = rule_.kind == RuleKind::kDeadline ||
                    (rule_.kind == RuleKind::kThreshold &&
                     rule_.Input("records")->dataset == dataset &&
                     rule_.Input("standards")->dataset != dataset);
  if (per_record) {
    TableSet with_batch = base_;
    with_batch[std::string(dataset)] = &batch;
    JIANDU_ASSIGN_OR_RETURN(std::vector<Warning> w, RunRule(rule_, with_batch, options_));
    for (Warning& x : w) {
      for (Evidence& e : x.evidence) {
        if (e.dataset == dataset) {
          for (uint32_t& r : e.rows) r += first_new;
        }
      }
    }
    return w;
  }
  // No index for this combination: re-run over base + batch and keep what touches the batch.
  JIANDU_ASSIGN_OR_RETURN(Table combined, internal::ConcatTables(*base_it->second, batch));
  TableSet with_batch = base_;
  with_batch[std::string(dataset)] = &combined;
  JIANDU_ASSIGN_OR_RETURN(std::vector<Warning> all, RunRule(rule_, with_batch, options_));
  std::vector<Warning> out;
  std::string name(dataset);
  for (Warning& w : all) {
    if (internal::TouchesNewRows(w, name, first_new)) {
      out.push_back(std::move(w));
    }
  }
  return out;
}

}  // namespace jiandu::monitor
