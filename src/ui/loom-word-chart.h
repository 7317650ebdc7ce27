/* loom-word-chart.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "loom-word-stats.h"

G_BEGIN_DECLS

#define LOOM_TYPE_WORD_CHART (loom_word_chart_get_type ())

G_DECLARE_FINAL_TYPE (LoomWordChart, loom_word_chart, LOOM, WORD_CHART, GtkWidget)

GtkWidget  *loom_word_chart_new        (void);
void        loom_word_chart_set_stats  (LoomWordChart       *self,
                                        const LoomWordStats *stats,
                                        guint                days);
guint       loom_word_chart_get_days   (LoomWordChart       *self);
guint       loom_word_chart_get_highest (LoomWordChart      *self);
guint       loom_word_chart_get_step   (LoomWordChart       *self);
guint       loom_word_chart_get_top    (LoomWordChart       *self);
guint       loom_word_chart_step_for   (guint                highest);

G_END_DECLS
