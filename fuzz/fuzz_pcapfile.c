/* Fuzz whole capture files: the input is written to a temporary file and
 * scanned the way `minetrace scan FILE` does (mmap pcap reader, libpcap for
 * pcapng, then the full pipeline and detectors). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "capture/pipeline.h"
#include "capture/source.h"
#include "minetrace/engine.h"
#include "minetrace/intel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static mt_intel *intel;
    static char path[64];
    if (!intel) {
        intel = mt_intel_new();
        mt_intel_load_builtin(intel);
        snprintf(path, sizeof path, "/tmp/mt_fuzz_pcap_%d", (int)getpid());
    }
    FILE *f = fopen(path, "wb");
    if (!f) return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    /* One engine for the whole run: its tables are bounded, and building
     * them per input would dominate the fuzzer's time. */
    static mt_engine *e;
    if (!e) e = mt_engine_new(intel, NULL);
    mt_pipeline_config c;
    mt_pipeline_config_defaults(&c);
    c.max_flows = 64;
    c.max_blocks = 16;
    mt_pipeline *pl = mt_pipeline_new(mt_engine_event_sink(e), mt_engine_intel(e), &c);
    mt_source_opts o;
    mt_source_opts_defaults(&o);
    o.quiet = 1;
    mt_source_result res;
    mt_source_read_file(pl, path, &o, &res);
    mt_pipeline_finish(pl);
    mt_engine_flush(e);
    mt_pipeline_free(pl);
    unlink(path);
    return 0;
}
