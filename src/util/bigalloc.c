/* Huge-page backed zeroed tables; see bigalloc.h. */
#include "util/bigalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "minetrace/common.h"

#define HUGE_SZ ((size_t)2 << 20)

static size_t round_huge(size_t n) { return (n + HUGE_SZ - 1) & ~(HUGE_SZ - 1); }

void *mt_big_calloc(size_t bytes)
{
#ifdef MADV_HUGEPAGE
    if (bytes >= HUGE_SZ) {
        size_t len = round_huge(bytes);
        /* Over-map by one huge page and trim, so the table starts on a
         * 2 MiB boundary (huge pages need aligned ranges). */
        uint8_t *m = mmap(NULL, len + HUGE_SZ, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (m != MAP_FAILED) {
            uintptr_t a = ((uintptr_t)m + HUGE_SZ - 1) & ~(uintptr_t)(HUGE_SZ - 1);
            uint8_t *p = (uint8_t *)a;
            size_t head = (size_t)(p - m), tail = HUGE_SZ - head;
            if (head) munmap(m, head);
            if (tail) munmap(p + len, tail);
            madvise(p, len, MADV_HUGEPAGE); /* advice only: fine if refused */
            return p;
        }
        fprintf(stderr, "minetrace: out of memory allocating %zu bytes\n", bytes);
        abort();
    }
#endif
    return mt_xcalloc(1, bytes);
}

void mt_big_free(void *p, size_t bytes)
{
    if (!p) return;
#ifdef MADV_HUGEPAGE
    if (bytes >= HUGE_SZ) {
        munmap(p, round_huge(bytes));
        return;
    }
#endif
    free(p);
}
