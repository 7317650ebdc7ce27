/* loom-summary-pane.h: a scene's summary under its outline, and the facts it established
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "loom-autosave.h"
#include "loom-scene.h"

G_BEGIN_DECLS

#define LOOM_TYPE_SUMMARY_PANE (loom_summary_pane_get_type ())

G_DECLARE_FINAL_TYPE (LoomSummaryPane, loom_summary_pane, LOOM, SUMMARY_PANE, GtkWidget)

LoomScene     *loom_summary_pane_get_scene    (LoomSummaryPane *self);
void           loom_summary_pane_set_scene    (LoomSummaryPane *self,
                                               LoomScene       *scene);
gboolean       loom_summary_pane_save         (LoomSummaryPane *self);
LoomAutosave  *loom_summary_pane_get_autosave (LoomSummaryPane *self);

/* For the tests. */
GtkTextView   *loom_summary_pane_get_view     (LoomSummaryPane *self);
/* "Outdated: …", "Written by you", …: what the line beside the heading says. */
const char    *loom_summary_pane_get_state    (LoomSummaryPane *self);
GtkButton     *loom_summary_pane_get_summarize_button (LoomSummaryPane *self);
/* The "Add to Story Bible" button of the @index-th fact, or NULL. */
GtkButton     *loom_summary_pane_get_fact_button (LoomSummaryPane *self,
                                                  guint            index);

G_END_DECLS
