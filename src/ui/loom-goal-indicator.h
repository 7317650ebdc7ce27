/* loom-goal-indicator.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "loom-types.h"

G_BEGIN_DECLS

#define LOOM_TYPE_GOAL_INDICATOR (loom_goal_indicator_get_type ())

G_DECLARE_FINAL_TYPE (LoomGoalIndicator, loom_goal_indicator, LOOM, GOAL_INDICATOR, GtkWidget)

void        loom_goal_indicator_set_story (LoomGoalIndicator *self,
                                           LoomStory         *story);
LoomStory  *loom_goal_indicator_get_story (LoomGoalIndicator *self);
const char *loom_goal_indicator_get_text  (LoomGoalIndicator *self);

G_END_DECLS
