// The schema of the registry module (module "registry").
#pragma once

#include <vector>

#include "store/store.h"

namespace jiandu::registry {

std::vector<store::Migration> Migrations();

}  // namespace jiandu::registry
