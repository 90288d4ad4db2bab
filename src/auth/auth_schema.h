// The schema of the auth module (module "auth"): users and sessions.
#pragma once

#include <vector>

#include "store/store.h"

namespace jiandu::auth {

std::vector<store::Migration> Migrations();

}  // namespace jiandu::auth
