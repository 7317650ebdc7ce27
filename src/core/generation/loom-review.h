/* loom-review.h: an AI answer about a passage, as changes the writer accepts one by one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "loom-types.h"

G_BEGIN_DECLS

typedef enum
{
  LOOM_CHANGE_PENDING,   /* not decided: left as it was when applying */
  LOOM_CHANGE_ACCEPTED,
  LOOM_CHANGE_REJECTED,
} LoomChangeState;

/**
 * LoomReviewChange:
 * @old_start: where the change begins in the passage (bytes)
 * @old_end: where it ends; equal to @old_start for an insertion
 * @new_start: where its replacement begins in the answer
 * @new_end: where it ends; equal to @new_start for a deletion
 * @state: the writer's choice
 */
typedef struct
{
  gsize            old_start;
  gsize            old_end;
  gsize            new_start;
  gsize            new_end;
  LoomChangeState  state;
} LoomReviewChange;

#define LOOM_TYPE_REVIEW (loom_review_get_type ())

G_DECLARE_FINAL_TYPE (LoomReview, loom_review, LOOM, REVIEW, GObject)

LoomReview       *loom_review_new                (LoomScene        *scene,
                                                  LoomReviseAction  action,
                                                  const char       *base_prose,
                                                  gsize             from,
                                                  gsize             to,
                                                  const char       *answer);

LoomScene        *loom_review_get_scene          (LoomReview       *self);
LoomReviseAction  loom_review_get_action         (LoomReview       *self);
const char       *loom_review_get_base_prose     (LoomReview       *self);
gsize             loom_review_get_from           (LoomReview       *self);
gsize             loom_review_get_to             (LoomReview       *self);
const char       *loom_review_get_passage        (LoomReview       *self);
const char       *loom_review_get_answer         (LoomReview       *self);

guint             loom_review_get_n_changes      (LoomReview       *self);
const LoomReviewChange *loom_review_get_change   (LoomReview       *self,
                                                  guint             index);
void              loom_review_set_state          (LoomReview       *self,
                                                  guint             index,
                                                  LoomChangeState   state);
void              loom_review_set_all            (LoomReview       *self,
                                                  LoomChangeState   state);
guint             loom_review_count              (LoomReview       *self,
                                                  LoomChangeState   state);

char             *loom_review_get_text           (LoomReview       *self);
char             *loom_review_get_prose          (LoomReview       *self);
gsize             loom_review_get_end_of_text    (LoomReview       *self);
char             *loom_review_format_diff        (LoomReview       *self);

/* The request that produced the answer, for the writer's eyes and for applying. */
void              loom_review_set_usage          (LoomReview       *self,
                                                  const char       *model,
                                                  gint64            generation_id,
                                                  gint64            prompt_tokens,
                                                  gint64            completion_tokens,
                                                  double            cost,
                                                  gboolean          cut_off);
const char       *loom_review_get_model          (LoomReview       *self);
gint64            loom_review_get_prompt_tokens  (LoomReview       *self);
gint64            loom_review_get_completion_tokens (LoomReview    *self);
double            loom_review_get_cost           (LoomReview       *self);
gboolean          loom_review_get_cut_off        (LoomReview       *self);

gboolean          loom_review_apply              (LoomReview       *self,
                                                  GError          **error);

G_END_DECLS
