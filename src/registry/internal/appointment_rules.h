// Validation of appointment inputs (internal to the registry module and its tests).
#pragma once

#include <optional>
#include <string>

#include "core/civil_date.h"
#include "core/result.h"
#include "registry/appointment_service.h"

namespace jiandu::registry::internal {

// Parses an optional date field; invalid_argument naming `field`; failed if after `today`.
Result<std::optional<core::CivilDate>> ParseOptionalPastDate(const std::optional<std::string>& s,
                                                             std::string_view field,
                                                             core::CivilDate today);

// Checks the pre-appointment record against the appointment date (rules in
// appointment_service.h). Fields are named "pre_appointment.<field>".
Result<PreAppointment> CheckPreAppointment(const PreAppointmentInput& in,
                                           core::CivilDate appointed_on, core::CivilDate today);

}  // namespace jiandu::registry::internal
