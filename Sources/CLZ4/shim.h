#ifndef FIELDTRACE_CLZ4_SHIM_H
#define FIELDTRACE_CLZ4_SHIM_H
#include <lz4.h>
#endif
