/* loom-context-budget.c: how many tokens a prompt may take, as the library sets it
 *
 * The budget is a library setting (LOOM_SETTING_CONTEXT_BUDGET), so that the command line and
 * every window of the library build the same prompts. Unset, it follows the model: half of
 * what it reads, so that the prompt never crowds out the answer, and never more than
 * LOOM_CONTEXT_BUDGET_AUTO_CAP tokens, because each request pays for its prompt.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-context-budget"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-context-budget.h"
#include "loom-model-catalog.h"
#include "loom-prompt-memory.h"
#include "loom-store.h"

guint
loom_context_budget_automatic (gint64 context_length)
{
  if (context_length <= 0)
    return LOOM_PROMPT_DEFAULT_BUDGET;
  return (guint) CLAMP (context_length / 2, LOOM_CONTEXT_BUDGET_MIN,
                        LOOM_CONTEXT_BUDGET_AUTO_CAP);
}

gboolean
loom_context_budget_get_chosen (LoomStore  *store,
                                guint      *tokens,
                                GError    **error)
{
  gint64 value = 0;

  g_return_val_if_fail (LOOM_IS_STORE (store), FALSE);
  g_return_val_if_fail (tokens != NULL, FALSE);

  if (!loom_store_get_setting (store, LOOM_SETTING_CONTEXT_BUDGET, &value, error))
    return FALSE;
  /* another program may have written anything there */
  *tokens = value >= LOOM_CONTEXT_BUDGET_MIN && value <= LOOM_CONTEXT_BUDGET_MAX ? (guint) value
                                                                                : 0;
  return TRUE;
}

gboolean
loom_context_budget_set (LoomStore  *store,
                         guint       tokens,
                         GError    **error)
{
  g_return_val_if_fail (LOOM_IS_STORE (store), FALSE);

  if (tokens == 0)
    return loom_store_unset_setting (store, LOOM_SETTING_CONTEXT_BUDGET, error);
  if (tokens < LOOM_CONTEXT_BUDGET_MIN || tokens > LOOM_CONTEXT_BUDGET_MAX)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("A context budget of %u tokens is not possible: choose from %u to %u "
                     "tokens, or automatic."),
                   tokens, LOOM_CONTEXT_BUDGET_MIN, LOOM_CONTEXT_BUDGET_MAX);
      return FALSE;
    }
  return loom_store_set_setting (store, LOOM_SETTING_CONTEXT_BUDGET, tokens, error);
}

guint
loom_context_budget_get (LoomStore    *store,
                         LoomAiClient *client,
                         gboolean     *automatic)
{
  g_autoptr(GError) error = NULL;
  gint64 context = 0;
  guint chosen = 0;

  g_return_val_if_fail (LOOM_IS_STORE (store), LOOM_PROMPT_DEFAULT_BUDGET);
  g_return_val_if_fail (client == NULL || LOOM_IS_AI_CLIENT (client), LOOM_PROMPT_DEFAULT_BUDGET);

  if (client != NULL)
    context = loom_model_catalog_get_context_length (store, client, NULL);
  if (!loom_context_budget_get_chosen (store, &chosen, &error))
    g_debug ("Using the automatic context budget: %s", error->message);
  if (automatic != NULL)
    *automatic = chosen == 0;
  if (chosen == 0)
    return loom_context_budget_automatic (context);
  /* a budget the model cannot read would only have the request refused */
  if (context > 0)
    chosen = MIN (chosen, (guint) MAX (context / 4 * 3, LOOM_CONTEXT_BUDGET_MIN));
  return chosen;
}
