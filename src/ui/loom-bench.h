/* loom-bench.h: measurements for bench-startup, off unless STORYLOOM_BENCH_T0 is set
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "loom-window.h"

G_BEGIN_DECLS

gboolean loom_bench_enabled (void);
void     loom_bench_attach  (LoomWindow *window);

G_END_DECLS
