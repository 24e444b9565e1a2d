/* Fuzz target: the price-series CSV reader (header detection, column
 * picking, date and number parsing, monthly means). The first input byte
 * picks the column options so selectors by name and number are covered. */
#include <stdint.h>
#include <string.h>

#include "analyze/prices.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const mt_price_opts opts[] = {
        {NULL, NULL}, {"date", "price"}, {"1", "2"}, {"2", "1"}, {"Date", "PriceUSD"}, {"64", "3"}};
    size_t pick = size ? data[0] % (sizeof opts / sizeof opts[0]) : 0;
    mt_price_series s;
    memset(&s, 0, sizeof s);
    if (mt_prices_parse((const char *)data + (size ? 1 : 0), size ? size - 1 : 0, &opts[pick], &s) == 0) {
        double v;
        for (size_t i = 0; i < s.nmonths; i++) (void)mt_prices_month(&s, s.month[i], &v);
        mt_prices_free(&s);
    }
    return 0;
}
