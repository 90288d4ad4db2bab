// The county of the ballot benchmark, built through the services with the system principal
// (as app/demo.cc builds the demo county): a standing committee of N members (persons elected
// by the congress to a committee seat, each with a deputy account linked to their person record
// and a signed-in session), an officer account, and for every round a fresh ballot: K government
// departments whose heads the committee appointed, one review each taken to report_submitted, a
// meeting with the K reviews on its agenda (purpose hearing), every member present, the sheet
// opened.
//
//   JIANDU_ASSIGN_OR_RETURN(bench::BallotCounty county, bench::BallotCounty::Build(app, {...}));
//   JIANDU_ASSIGN_OR_RETURN(bench::Ballot ballot, county.PrepareBallot(app, 6, "第1轮"));
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "app/app.h"

namespace jiandu::bench {

struct Account {
  std::string username;
  int64_t person_id = 0;
  std::string cookie;  // "jiandu_session=<token>"
  std::string csrf;
  auth::Principal principal;
};

struct Ballot {
  int64_t meeting_id = 0;
  int64_t sheet_id = 0;
  std::vector<int64_t> review_ids;  // agenda order
};

struct CountyOptions {
  int members = 500;
  int threads = 2;  // set-up threads (password hashing is slow on purpose)
  std::string password = "jiandu-bench-2026";
  // Called now and then with a line of progress.
  std::function<void(const std::string&)> progress;
};

class BallotCounty {
 public:
  static Result<BallotCounty> Build(app::App& app, const CountyOptions& o);

  // A new ballot of `officials` officials, open for voting.
  Result<Ballot> PrepareBallot(app::App& app, int officials, const std::string& label);

  const std::vector<Account>& voters() const { return voters_; }
  const Account& officer() const { return officer_; }
  int64_t committee_id() const { return committee_; }

 private:
  int64_t county_ = 0;
  int64_t congress_ = 0;
  int64_t committee_ = 0;
  int64_t government_ = 0;
  std::vector<Account> voters_;
  Account officer_;
  int rounds_ = 0;
};

}  // namespace jiandu::bench
