#include "registry/internal/appointment_rules.h"

namespace jiandu::registry::internal {
namespace {

Status CheckScore(const std::optional<int>& v, std::string_view field, int min) {
  if (v && (*v < min || *v > 100)) {
    return Status::InvalidArgument(field, "must be between " + std::to_string(min) + " and 100");
  }
  return Status::Ok();
}

}  // namespace

Result<std::optional<core::CivilDate>> ParseOptionalPastDate(const std::optional<std::string>& s,
                                                             std::string_view field,
                                                             core::CivilDate today) {
  if (!s || s->empty()) {
    return std::optional<core::CivilDate>();
  }
  JIANDU_ASSIGN_OR_RETURN(core::CivilDate d, core::CivilDate::Parse(*s, field));
  if (d > today) {
    return Status::InvalidArgument(field, "must not be in the future");
  }
  return std::optional<core::CivilDate>(d);
}

Result<PreAppointment> CheckPreAppointment(const PreAppointmentInput& in,
                                           core::CivilDate appointed_on, core::CivilDate today) {
  PreAppointment out;
  out.exam_score = in.exam_score;
  out.exam_pass_mark = in.exam_pass_mark;
  out.resit_score = in.resit_score;
  JIANDU_ASSIGN_OR_RETURN(out.exam_taken_on, ParseOptionalPastDate(
                                                 in.exam_taken_on,
                                                 "pre_appointment.exam_taken_on", today));
  JIANDU_ASSIGN_OR_RETURN(out.resit_taken_on, ParseOptionalPastDate(
                                                  in.resit_taken_on,
                                                  "pre_appointment.resit_taken_on", today));
  JIANDU_ASSIGN_OR_RETURN(out.statement_on, ParseOptionalPastDate(
                                                in.statement_on, "pre_appointment.statement_on",
                                                today));
  JIANDU_ASSIGN_OR_RETURN(out.oath_on, ParseOptionalPastDate(in.oath_on,
                                                             "pre_appointment.oath_on", today));
  if (in.exam_exemption && !in.exam_exemption->empty()) {
    out.exam_exemption = ParseExamExemption(*in.exam_exemption);
    if (!out.exam_exemption) {
      return Status::InvalidArgument("pre_appointment.exam_exemption",
                                     "must be lateral_transfer, internal_transfer or re_appointed");
    }
  }
  JIANDU_RETURN_IF_ERROR(CheckScore(in.exam_score, "pre_appointment.exam_score", 0));
  JIANDU_RETURN_IF_ERROR(CheckScore(in.exam_pass_mark, "pre_appointment.exam_pass_mark", 1));
  JIANDU_RETURN_IF_ERROR(CheckScore(in.resit_score, "pre_appointment.resit_score", 0));

  const bool took_exam = in.exam_score.has_value();
  if (!out.exam_exemption && !took_exam) {
    return Status::InvalidArgument("pre_appointment.exam_score",
                                   "is required unless an exam exemption is given");
  }
  if (took_exam) {
    if (!in.exam_pass_mark) {
      return Status::InvalidArgument("pre_appointment.exam_pass_mark",
                                     "is required with an exam score");
    }
    if (!out.exam_taken_on) {
      return Status::InvalidArgument("pre_appointment.exam_taken_on",
                                     "is required with an exam score");
    }
    if (*out.exam_taken_on > appointed_on) {
      return Status::InvalidArgument("pre_appointment.exam_taken_on",
                                     "the exam comes before the appointment");
    }
  }
  const bool first_passed = took_exam && *in.exam_score >= *in.exam_pass_mark;
  if (in.resit_score) {
    if (!took_exam || first_passed) {
      return Status::InvalidArgument("pre_appointment.resit_score",
                                     "a resit is taken only after a failed exam");
    }
    if (!out.resit_taken_on || *out.resit_taken_on <= *out.exam_taken_on ||
        *out.resit_taken_on > appointed_on) {
      return Status::InvalidArgument("pre_appointment.resit_taken_on",
                                     "is required, after the first exam and not after the "
                                     "appointment");
    }
  } else if (out.resit_taken_on) {
    return Status::InvalidArgument("pre_appointment.resit_score",
                                   "is required with a resit date");
  }
  const bool passed =
      first_passed || (in.resit_score && *in.resit_score >= in.exam_pass_mark.value_or(101));
  if (!out.exam_exemption && !passed) {
    // Local practice: passing is a precondition of the vote; after a failed resit the
    // nomination should be withdrawn.
    return Status::FailedPrecondition(
        "the pre-appointment law exam was not passed; one resit is allowed before the vote",
        in.resit_score ? "pre_appointment.resit_score" : "pre_appointment.exam_score");
  }
  if (out.statement_on && *out.statement_on > appointed_on) {
    return Status::InvalidArgument("pre_appointment.statement_on",
                                   "the statement is made before the vote, on or before "
                                   "appointed_on");
  }
  if (out.oath_on && *out.oath_on < appointed_on) {
    return Status::InvalidArgument("pre_appointment.oath_on",
                                   "the constitutional oath is taken on or after appointed_on");
  }
  return out;
}

}  // namespace jiandu::registry::internal
