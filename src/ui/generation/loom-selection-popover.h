/* loom-selection-popover.h: the selection actions, offered beside a selection that rests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* How long a selection rests before the popover offers the actions, in milliseconds. */
#define LOOM_SELECTION_POPOVER_DELAY_MS 400

#define LOOM_TYPE_SELECTION_POPOVER (loom_selection_popover_get_type ())

G_DECLARE_FINAL_TYPE (LoomSelectionPopover, loom_selection_popover,
                      LOOM, SELECTION_POPOVER, GtkPopover)

/* A popover on @view's selection, owned by @view's window (or @view outside one), whose
 * buttons name the revise.* actions. */
LoomSelectionPopover *loom_selection_popover_new (GtkTextView *view);

G_END_DECLS
