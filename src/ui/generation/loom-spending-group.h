/* loom-spending-group.h: Preferences' Spending group: when to ask before spending, and the
 * spending against this month's and this story's limits, editable (issue 18)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "loom-types.h"

G_BEGIN_DECLS

#define LOOM_TYPE_SPENDING_GROUP (loom_spending_group_get_type ())

G_DECLARE_FINAL_TYPE (LoomSpendingGroup, loom_spending_group, LOOM, SPENDING_GROUP,
                      AdwPreferencesGroup)

GtkWidget *loom_spending_group_new         (void);
/* @story: (nullable): the story of the window Preferences were opened from */
void       loom_spending_group_set_library (LoomSpendingGroup *self,
                                            LoomStore         *store,
                                            LoomStory         *story);
/* Reads the amounts again (after a limit was raised elsewhere). */
void       loom_spending_group_reload      (LoomSpendingGroup *self);

G_END_DECLS
