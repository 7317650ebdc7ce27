/* loom-revise-controller.h: a window's AI actions on the selected prose
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "loom-generation-controller.h"
#include "loom-review-dialog.h"

G_BEGIN_DECLS

#define LOOM_TYPE_REVISE_CONTROLLER (loom_revise_controller_get_type ())

G_DECLARE_FINAL_TYPE (LoomReviseController, loom_revise_controller,
                      LOOM, REVISE_CONTROLLER, GObject)

LoomReviseController *loom_revise_controller_new          (LoomGenerationController *generation);

/* Insert it as "revise" on the window: revise.continue, revise.rewrite, … */
GActionGroup     *loom_revise_controller_get_action_group (LoomReviseController *self);
/* The actions, for the Generate menu and the prose's context menu. */
GMenuModel       *loom_revise_controller_get_menu         (LoomReviseController *self);

/* Adds the actions to the Generate menu and the prose's context menu, and their shortcuts to
 * @window. */
void              loom_revise_controller_attach           (LoomReviseController *self,
                                                           GtkWindow            *window,
                                                           GtkTextView          *prose_view);

GtkPopover       *loom_revise_controller_get_popover      (LoomReviseController *self);

/* What the actions do: the dialog for the scene shown and the selection (or the cursor, for
 * Continue); %NULL after saying why not (the "message" signal). */
LoomReviewDialog *loom_revise_controller_open             (LoomReviseController *self,
                                                           LoomReviseAction      action);

G_END_DECLS
