/* The options of mt_honey_read_file (ingest/honey.h), which the readers
 * (ingest/honey_reader.h) get too. Apart from both so that the driver's
 * header and the readers' do not include each other. */
#ifndef MT_INGEST_HONEY_OPTS_H
#define MT_INGEST_HONEY_OPTS_H

#include <stddef.h>
#include <stdio.h>

typedef struct mt_honey_opts {
    const char *format;   /* NULL: recognise by content; else a reader's name */
    int year;             /* auth.log stamps without a year: this year; 0 = infer
                             from the file's modification time, rolling back a year
                             where months run backwards */
    int progress;         /* 1: progress lines on progress_out (default stderr) */
    FILE *progress_out;
    size_t max_line;      /* 0 = default (1 MiB) */
    size_t max_document;  /* whole-document formats (attack-pattern JSON); 0 = 1 GiB */
} mt_honey_opts;

#endif
