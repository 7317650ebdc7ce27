/* loom-paid-action.c: the estimate of each paid action, the one the window and the CLI show
 * before spending
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-paid-action"

#include "config.h"

#include "loom-chapter.h"
#include "loom-generator-private.h"
#include "loom-paid-action.h"
#include "loom-scene.h"
#include "loom-store-budget.h"
#include "loom-story.h"

gboolean
loom_generator_estimate_action (LoomGenerator         *self,
                                const LoomPaidAction  *action,
                                LoomEstimate          *estimate,
                                GError               **error)
{
  g_return_val_if_fail (LOOM_IS_GENERATOR (self), FALSE);
  g_return_val_if_fail (action != NULL, FALSE);
  g_return_val_if_fail (estimate != NULL, FALSE);

  switch (action->kind)
    {
    case LOOM_PAID_SCENE:
      g_return_val_if_fail (LOOM_IS_SCENE (action->scene), FALSE);
      return _loom_generator_estimate_batch (self, NULL, NULL, action->scene, 0,
                                             action->summarize_after, estimate, error);
    case LOOM_PAID_CHAPTER:
      g_return_val_if_fail (LOOM_IS_CHAPTER (action->chapter), FALSE);
      return _loom_generator_estimate_batch (self, loom_chapter_get_story (action->chapter),
                                             action->chapter, NULL, action->flags,
                                             action->summarize_after, estimate, error);
    case LOOM_PAID_STORY:
      g_return_val_if_fail (LOOM_IS_STORY (action->story), FALSE);
      return _loom_generator_estimate_batch (self, action->story, NULL, NULL, action->flags,
                                             action->summarize_after, estimate, error);
    case LOOM_PAID_OUTLINE:
    case LOOM_PAID_CHARACTERS:
      g_return_val_if_fail (LOOM_IS_STORY (action->story), FALSE);
      return _loom_generator_estimate_structured (self, action->story, NULL,
                                                  action->kind == LOOM_PAID_OUTLINE, estimate,
                                                  error);
    case LOOM_PAID_SUMMARY:
      g_return_val_if_fail (LOOM_IS_SCENE (action->scene), FALSE);
      return _loom_generator_estimate_structured (self, loom_scene_get_story (action->scene),
                                                  action->scene, FALSE, estimate, error);
    case LOOM_PAID_REVISE:
      g_return_val_if_fail (LOOM_IS_SCENE (action->scene), FALSE);
      g_return_val_if_fail (action->revise != NULL, FALSE);
      return _loom_generator_estimate_revise (self, action->scene, action->revise, estimate,
                                              error);
    default:
      g_return_val_if_reached (FALSE);
    }
}

gboolean
loom_generator_needs_confirmation (LoomGenerator         *self,
                                   const LoomPaidAction  *action,
                                   LoomEstimate          *estimate,
                                   gboolean              *needed,
                                   GError               **error)
{
  double threshold = -1;

  g_return_val_if_fail (needed != NULL, FALSE);

  *needed = FALSE;
  if (!loom_store_get_confirm_threshold (loom_generator_get_store (self), &threshold, error))
    return FALSE;
  /* never asked: no prompt is built for nothing */
  if (threshold < 0)
    return TRUE;
  if (!loom_generator_estimate_action (self, action, estimate, error))
    return FALSE;
  *needed = loom_estimate_needs_confirmation (estimate, threshold);
  return TRUE;
}
