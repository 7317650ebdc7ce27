/* loom-ai-pacer.h: shares the main loop between network reads and the window's frames
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef void (*LoomAiPacerFunc) (gpointer data);

void loom_ai_pacer_run (GMainContext    *context,
                        LoomAiPacerFunc  func,
                        gpointer         data);

gboolean loom_ai_pacer_has_budget (GMainContext *context);

G_END_DECLS
