#ifndef PGADVISOR_CLIBPQ_SHIM_H
#define PGADVISOR_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
