/* Fuzz target for the bounded JSON reader (src/proto/json.c): parse, then
 * exercise every accessor on whatever was accepted. */
#include <stddef.h>
#include <stdint.h>

#include "minetrace/common.h"
#include "proto/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mt_jv root, v = {0}, k;
    size_t end = 0;
    if (mt_jv_parse((const char *)data, size, &root, &end) != MT_OK) return 0;
    char buf[64];
    int64_t x;
    mt_jv_iter it;
    mt_jv_iter_init(&it, &root);
    while (mt_jv_iter_next(&it, &k, &v)) {
        mt_jv_strcpy(&k, buf, sizeof buf);
        mt_jv_strcpy(&v, buf, sizeof buf);
        mt_jv_int(&v, &x);
        mt_jv_count(&v);
        mt_jv_streq(&v, "mining.subscribe");
        mt_jv_strprefix(&v, "mining.");
        mt_jv_at(&v, 1, NULL);
    }
    mt_jv_path(&root, "params.0", &v);
    mt_jv_path(&root, "result.job.blob", &v);
    mt_jv_get(&root, "method", &v);
    mt_jv_strcpy(&v, buf, 1);
    return 0;
}
