#include "registry/validate.h"

#include <gtest/gtest.h>

#include "registry/internal/appointment_rules.h"

namespace jiandu::registry {
namespace {

TEST(CheckPersonNameTest, AcceptsRealNames) {
  for (const char* name : {"李明", "欧阳修", "阿沛·阿旺晋美", "买买提·艾力", "Ayşe Kaya"}) {
    Result<std::string> r = CheckPersonName(name);
    EXPECT_TRUE(r.ok()) << name << ": " << r.status().ToString();
  }
  // Dots are normalised to U+00B7; surrounding blanks trimmed.
  EXPECT_EQ(*CheckPersonName(" 阿沛•阿旺晋美 "), "阿沛·阿旺晋美");
}

TEST(CheckPersonNameTest, RefusesSqlAndLookAlikes) {
  for (const char* bad : {"李'; DROP TABLE person;--", "李＇；", "李明1", "李<明>", "李 明",
                          "·李明", "李明·", "李··明", "", "   "}) {
    Status s = CheckPersonName(bad).status();
    EXPECT_TRUE(s.IsInvalidArgument()) << bad;
    EXPECT_EQ(s.field(), "name") << bad;
    // The reason never repeats the input.
    EXPECT_EQ(std::string(s.message()).find("DROP"), std::string::npos);
  }
  std::string long_name;
  for (int i = 0; i < 51; ++i) long_name += "李";
  EXPECT_TRUE(CheckPersonName(long_name).status().IsInvalidArgument());
  EXPECT_TRUE(CheckPersonName("\xff\xfe").status().IsInvalidArgument());
}

TEST(CheckPhoneTest, NormalisesMobilesAndLandlines) {
  EXPECT_EQ(*CheckPhone("13912345678"), "13912345678");
  EXPECT_EQ(*CheckPhone("１３９１２３４５６７８"), "13912345678");
  EXPECT_EQ(*CheckPhone("0719-6231234"), "0719-6231234");
  EXPECT_EQ(*CheckPhone(""), "");
  for (const char* bad : {"12345", "23912345678", "0719-12", "abc", "139123456789"}) {
    EXPECT_EQ(CheckPhone(bad).status().field(), "phone") << bad;
  }
}

TEST(CheckEthnicityTest, KnowsThe56Groups) {
  EXPECT_EQ(*CheckEthnicity("土家族"), "土家族");
  EXPECT_EQ(*CheckEthnicity(""), "");
  EXPECT_TRUE(CheckEthnicity("火星族").status().IsInvalidArgument());
}

TEST(CheckTextTest, RefusesControlCharacters) {
  EXPECT_TRUE(CheckText("a\x01" "b", "notes", 10, false).status().IsInvalidArgument());
  EXPECT_TRUE(CheckText("line1\nline2", "notes", 20, false, /*multiline=*/true).ok());
  EXPECT_FALSE(CheckText("line1\nline2", "meeting", 20, false).ok());
  EXPECT_EQ(CheckText("", "meeting", 20, true).status().field(), "meeting");
  EXPECT_EQ(*CheckText("'; DROP TABLE person;--", "notes", 100, false),
            "'; DROP TABLE person;--");
}

using internal::CheckPreAppointment;

core::CivilDate D(const char* s) { return *core::CivilDate::Parse(s); }

PreAppointmentInput Passed() {
  PreAppointmentInput in;
  in.exam_score = 86;
  in.exam_pass_mark = 60;
  in.exam_taken_on = "2022-02-20";
  in.statement_on = "2022-03-01";
  in.oath_on = "2022-03-01";
  return in;
}

TEST(PreAppointmentTest, PassedExamIsAccepted) {
  Result<PreAppointment> r = CheckPreAppointment(Passed(), D("2022-03-01"), D("2026-01-01"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->exam_score, 86);
}

TEST(PreAppointmentTest, FailedExamBlocksTheVoteUnlessTheResitPassed) {
  PreAppointmentInput in = Passed();
  in.exam_score = 55;
  Status s = CheckPreAppointment(in, D("2022-03-01"), D("2026-01-01")).status();
  EXPECT_TRUE(s.IsFailedPrecondition());
  EXPECT_EQ(s.field(), "pre_appointment.exam_score");
  in.resit_score = 61;
  in.resit_taken_on = "2022-02-25";
  EXPECT_TRUE(CheckPreAppointment(in, D("2022-03-01"), D("2026-01-01")).ok());
  in.resit_score = 59;
  EXPECT_EQ(CheckPreAppointment(in, D("2022-03-01"), D("2026-01-01")).status().field(),
            "pre_appointment.resit_score");
  // Exactly the pass mark passes.
  in = Passed();
  in.exam_score = 60;
  EXPECT_TRUE(CheckPreAppointment(in, D("2022-03-01"), D("2026-01-01")).ok());
}

TEST(PreAppointmentTest, ResitOnlyAfterAFailedExam) {
  PreAppointmentInput in = Passed();
  in.resit_score = 90;
  in.resit_taken_on = "2022-02-25";
  EXPECT_EQ(CheckPreAppointment(in, D("2022-03-01"), D("2026-01-01")).status().field(),
            "pre_appointment.resit_score");
}

TEST(PreAppointmentTest, ExemptionReplacesTheExam) {
  PreAppointmentInput in;
  in.exam_exemption = "re_appointed";
  EXPECT_TRUE(CheckPreAppointment(in, D("2022-03-01"), D("2026-01-01")).ok());
  in.exam_exemption = "friend_of_mayor";
  EXPECT_EQ(CheckPreAppointment(in, D("2022-03-01"), D("2026-01-01")).status().field(),
            "pre_appointment.exam_exemption");
  EXPECT_EQ(CheckPreAppointment({}, D("2022-03-01"), D("2026-01-01")).status().field(),
            "pre_appointment.exam_score");
}

TEST(PreAppointmentTest, StatementBeforeAndOathAfterTheVote) {
  PreAppointmentInput in = Passed();
  in.statement_on = "2022-03-02";
  EXPECT_EQ(CheckPreAppointment(in, D("2022-03-01"), D("2026-01-01")).status().field(),
            "pre_appointment.statement_on");
  in = Passed();
  in.oath_on = "2022-02-28";
  EXPECT_EQ(CheckPreAppointment(in, D("2022-03-01"), D("2026-01-01")).status().field(),
            "pre_appointment.oath_on");
  in = Passed();
  in.oath_on = "2027-01-01";  // in the future
  EXPECT_EQ(CheckPreAppointment(in, D("2022-03-01"), D("2026-01-01")).status().field(),
            "pre_appointment.oath_on");
  in = Passed();
  in.exam_taken_on = "2022-02-30";
  EXPECT_EQ(CheckPreAppointment(in, D("2022-03-01"), D("2026-01-01")).status().field(),
            "pre_appointment.exam_taken_on");
}

}  // namespace
}  // namespace jiandu::registry
