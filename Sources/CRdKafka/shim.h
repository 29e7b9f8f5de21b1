#ifndef FERRY_CRDKAFKA_SHIM_H
#define FERRY_CRDKAFKA_SHIM_H
#include <librdkafka/rdkafka.h>
#endif
