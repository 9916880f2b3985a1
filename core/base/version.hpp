// The version of ConvScope this library was built as (CMake's PROJECT_VERSION).
#pragma once

namespace cs {

const char* version();

} // namespace cs
