/* loom-stats-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "loom-types.h"
#include "loom-word-chart.h"

G_BEGIN_DECLS

#define LOOM_TYPE_STATS_DIALOG (loom_stats_dialog_get_type ())

G_DECLARE_FINAL_TYPE (LoomStatsDialog, loom_stats_dialog, LOOM, STATS_DIALOG, AdwWindow)

LoomStatsDialog *loom_stats_dialog_new        (GtkWindow       *parent,
                                               LoomStory       *story);
LoomWordChart   *loom_stats_dialog_get_chart  (LoomStatsDialog *self);
/* "today", "streak", "length", "finish": the row's figure as shown, for the tests */
const char      *loom_stats_dialog_get_figure (LoomStatsDialog *self,
                                               const char      *name);

G_END_DECLS
