/* loom-context-budget-group.h: Preferences' Memory group: how many tokens a prompt may take
 * (issue 16)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "loom-types.h"

G_BEGIN_DECLS

#define LOOM_TYPE_CONTEXT_BUDGET_GROUP (loom_context_budget_group_get_type ())

G_DECLARE_FINAL_TYPE (LoomContextBudgetGroup, loom_context_budget_group, LOOM,
                      CONTEXT_BUDGET_GROUP, AdwPreferencesGroup)

/* @store: (nullable): the library whose budget the group shows and sets */
void       loom_context_budget_group_set_library (LoomContextBudgetGroup *self,
                                                  LoomStore              *store);
/* Reads the budget again (another program may have set it). */
void       loom_context_budget_group_reload      (LoomContextBudgetGroup *self);

G_END_DECLS
