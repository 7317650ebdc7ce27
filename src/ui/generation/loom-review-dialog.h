/* loom-review-dialog.h: one AI request about a passage, and the review of its answer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "loom-generator.h"
#include "loom-revise.h"

G_BEGIN_DECLS

#define LOOM_TYPE_REVIEW_DIALOG (loom_review_dialog_get_type ())

G_DECLARE_FINAL_TYPE (LoomReviewDialog, loom_review_dialog, LOOM, REVIEW_DIALOG, AdwWindow)

LoomReviewDialog *loom_review_dialog_new        (GtkWindow        *parent,
                                                 LoomGenerator    *generator,
                                                 LoomScene        *scene,
                                                 LoomReviseAction  action,
                                                 gsize             from,
                                                 gsize             to);
void              loom_review_dialog_set_prose_view (LoomReviewDialog *self,
                                                 GtkTextView      *prose_view);
/* The answer as changes, once it has come; %NULL before, and after an error or a stop. */
LoomReview       *loom_review_dialog_get_review (LoomReviewDialog *self);
gboolean          loom_review_dialog_get_busy   (LoomReviewDialog *self);
GtkWidget        *loom_review_dialog_get_change_row (LoomReviewDialog *self,
                                                 guint             index);

/* "Rewrite", "Expand"…, for the undo step and the menus. */
const char       *loom_revise_action_get_label  (LoomReviseAction  action);

void              loom_review_dialog_send               (LoomReviewDialog *self);

G_END_DECLS
