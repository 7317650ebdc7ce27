/* bench-util.h: what the benchmarks share — the million-word library, medians, clocks, a
 * temporary library
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "loom-store.h"

G_BEGIN_DECLS

/* The benchmark novel the issues name: 20 chapters × 50 scenes × 1,000 words, 30 characters. */
#define BENCH_CHAPTERS   20
#define BENCH_SCENES     50
#define BENCH_WORDS      1000
#define BENCH_CHARACTERS 30

char      *bench_make_prose   (guint       seed,
                               guint       n_words);
char      *bench_make_novel_prose (guint    seed,
                                  guint    n_words,
                                  gboolean paragraphs);
LoomStory *bench_build_story  (LoomStore  *store);
LoomStory *bench_build_novel  (LoomStore  *store);
void       bench_build_library (const char *path);
double     bench_median       (double     *values,
                               guint       n);
double     bench_now_ms       (void);
double     bench_cpu_ms       (void);
gint64     bench_thread_cpu_us (void);
double     bench_thread_cpu_ms (void);
double     bench_load         (void);
char      *bench_temp_library (const char *name,
                               char      **dir);
void       bench_remove_library (const char *path);
void       bench_remove_tree  (const char *path);
GSubprocess *bench_spawn_mock (const char *mock_path,
                               const char *dir,
                               guint       deltas,
                               char      **url);

G_END_DECLS
