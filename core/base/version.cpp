#include "version.hpp"

namespace cs {

const char* version() { return CONVSCOPE_VERSION; }

} // namespace cs
