#ifndef PGADVISOR_CPGQUERY_SHIM_H
#define PGADVISOR_CPGQUERY_SHIM_H
#include <pg_query.h>
#endif
