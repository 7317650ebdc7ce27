/* loom-generation-bar.h: the editor's line about generating the scene shown
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "loom-generation-controller.h"

G_BEGIN_DECLS

#define LOOM_TYPE_GENERATION_BAR (loom_generation_bar_get_type ())

G_DECLARE_FINAL_TYPE (LoomGenerationBar, loom_generation_bar, LOOM, GENERATION_BAR, GtkWidget)

GtkWidget                *loom_generation_bar_new            (LoomGenerationController *controller);
LoomGenerationController *loom_generation_bar_get_controller (LoomGenerationBar        *self);
void                      loom_generation_bar_set_controller (LoomGenerationBar        *self,
                                                              LoomGenerationController *controller);

/* For the tests. */
const char *loom_generation_bar_get_waiting_text (LoomGenerationBar *self);
const char *loom_generation_bar_get_stale_text   (LoomGenerationBar *self);
const char *loom_generation_bar_get_cost_text    (LoomGenerationBar *self);
gboolean    loom_generation_bar_get_retry_shown  (LoomGenerationBar *self);
gboolean    loom_generation_bar_get_stop_shown   (LoomGenerationBar *self);

G_END_DECLS
