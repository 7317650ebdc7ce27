/* loom-budget.c: estimates from the cached prices, and the spending limits
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-budget"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-budget.h"
#include "loom-model-catalog.h"
#include "loom-store.h"
#include "loom-store-budget.h"
#include "loom-story.h"

G_DEFINE_QUARK (loom-budget-error-quark, loom_budget_error)

void
loom_estimate_clear (LoomEstimate *estimate)
{
  g_return_if_fail (estimate != NULL);

  g_clear_pointer (&estimate->model, g_free);
}

gint64
loom_estimate_answer_tokens (guint words,
                             int   max_tokens)
{
  if (max_tokens > 0)
    return max_tokens;
  return ((gint64) words * 4 + 2) / 3;
}

void
loom_estimate_add (LoomEstimate  *estimate,
                   LoomStore     *store,
                   LoomAiClient  *client,
                   const char    *model,
                   gint64         prompt_tokens,
                   gint64         answer_tokens)
{
  g_autoptr(LoomAiModelInfo) info = NULL;

  g_return_if_fail (estimate != NULL);

  if (model == NULL)
    model = loom_ai_client_get_model (client);
  prompt_tokens = MAX (prompt_tokens, 0);
  answer_tokens = MAX (answer_tokens, 0);
  estimate->requests++;
  estimate->prompt_tokens += prompt_tokens;
  estimate->answer_tokens += answer_tokens;

  info = loom_model_catalog_lookup (store, client, model);
  if (info == NULL || info->prompt_price < 0 || info->completion_price < 0)
    {
      estimate->cost = -1;
      if (estimate->model == NULL)
        estimate->model = g_strdup (model);
      return;
    }
  if (estimate->cost >= 0)
    estimate->cost += prompt_tokens * info->prompt_price + answer_tokens * info->completion_price;
}

char *
loom_budget_format_usd (double amount)
{
  if (amount <= 0)
    return g_strdup ("$0");
  if (amount < 0.0001)
    return g_strdup (_("less than $0.0001"));
  if (amount < 1)
    return g_strdup_printf ("$%.4f", amount);
  return g_strdup_printf ("$%.2f", amount);
}

char *
loom_estimate_describe (const LoomEstimate *estimate)
{
  g_autofree char *cost = NULL;
  g_autofree char *prompt = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *usd = NULL;

  g_return_val_if_fail (estimate != NULL, NULL);

  if (estimate->cost < 0)
    cost = g_strdup (_("unknown price"));
  else
    {
      usd = loom_budget_format_usd (estimate->cost);
      /* TRANSLATORS: an estimated cost, e.g. "about $0.0123" */
      cost = g_strdup_printf (_("about %s"), usd);
    }
  prompt = g_strdup_printf ("%'" G_GINT64_FORMAT, estimate->prompt_tokens);
  answer = g_strdup_printf ("%'" G_GINT64_FORMAT, estimate->answer_tokens);
  /* TRANSLATORS: "about $0.0123 (1,200 prompt tokens, about 1,334 answer tokens)" */
  return g_strdup_printf (_("%s (%s prompt tokens, about %s answer tokens)"), cost, prompt,
                          answer);
}

char *
loom_estimate_describe_with_model (const LoomEstimate *estimate,
                                   const char         *model)
{
  g_autofree char *usd = NULL;
  g_autofree char *prompt = NULL;
  g_autofree char *answer = NULL;

  g_return_val_if_fail (estimate != NULL, NULL);
  g_return_val_if_fail (model != NULL, NULL);

  prompt = g_strdup_printf ("%'" G_GINT64_FORMAT, estimate->prompt_tokens);
  answer = g_strdup_printf ("%'" G_GINT64_FORMAT, estimate->answer_tokens);
  if (estimate->cost < 0)
    /* TRANSLATORS: "unknown price with llama3 (1,200 tokens in, about 1,334 out)" */
    return g_strdup_printf (_("unknown price with %s (%s tokens in, about %s out)"), model,
                            prompt, answer);
  usd = loom_budget_format_usd (estimate->cost);
  /* TRANSLATORS: "about $0.0123 with anthropic/claude-3.5-sonnet (1,200 tokens in, about
   * 1,334 out)" */
  return g_strdup_printf (_("about %s with %s (%s tokens in, about %s out)"), usd, model, prompt,
                          answer);
}

gboolean
loom_estimate_needs_confirmation (const LoomEstimate *estimate,
                                  double              threshold)
{
  g_return_val_if_fail (estimate != NULL, FALSE);

  if (threshold < 0 || estimate->requests == 0)
    return FALSE;
  return threshold == 0 || estimate->cost < 0 || estimate->cost > threshold;
}

static gboolean
check_limit (LoomStore           *store,
             LoomStory           *story,
             const LoomEstimate  *estimate,
             double               pending,
             GError             **error)
{
  g_autofree char *spent_text = NULL;
  g_autofree char *limit_text = NULL;
  g_autofree char *cost_text = NULL;
  double limit = -1;
  double spent = 0;

  if (!loom_store_get_spending_limit (store, story, &limit, error))
    return FALSE;
  if (limit < 0)
    return TRUE;

  if (estimate->cost < 0)
    {
      g_set_error (error, LOOM_BUDGET_ERROR, LOOM_BUDGET_ERROR_UNKNOWN_PRICE,
                   _("The price of “%s” is unknown, so Storyloom cannot keep within the spending "
                     "limit, and sent nothing. Fetch the prices with Test in Preferences or "
                     "“storyloom-cli models --refresh”, or remove the limit in Preferences or "
                     "with “storyloom-cli budget”."), estimate->model);
      return FALSE;
    }

  if (!loom_store_get_spent (store, story, &spent, error))
    return FALSE;
  /* a hair of rounding is no reason to refuse a request that exactly reaches the limit */
  if (spent + pending + estimate->cost <= limit + 1e-9)
    return TRUE;

  spent_text = loom_budget_format_usd (spent + pending);
  limit_text = loom_budget_format_usd (limit);
  cost_text = loom_budget_format_usd (estimate->cost);
  /* The window offers to raise the limit beside this sentence; the CLI has the command. */
  if (story != NULL)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, loom_story_get_id (story));

      g_set_error (error, LOOM_BUDGET_ERROR, LOOM_BUDGET_ERROR_STORY_LIMIT,
                   _("“%s” has spent %s of its %s limit, and this request would cost about %s, "
                     "so it was not sent. To go on, raise the story’s spending limit in "
                     "Preferences or with “storyloom-cli budget %s --limit DOLLARS”."),
                   loom_story_get_title (story), spent_text, limit_text, cost_text, id);
    }
  else
    g_set_error (error, LOOM_BUDGET_ERROR, LOOM_BUDGET_ERROR_MONTHLY_LIMIT,
                 _("The library has spent %s of its %s monthly limit, and this request would "
                   "cost about %s, so it was not sent. To go on, raise the monthly limit in "
                   "Preferences or with “storyloom-cli budget --monthly DOLLARS”."), spent_text,
                 limit_text,
                 cost_text);
  return FALSE;
}

gboolean
loom_budget_check (LoomStore           *store,
                   LoomStory           *story,
                   const LoomEstimate  *estimate,
                   double               pending,
                   double               pending_library,
                   GError             **error)
{
  g_return_val_if_fail (LOOM_IS_STORE (store), FALSE);
  g_return_val_if_fail (story == NULL || LOOM_IS_STORY (story), FALSE);
  g_return_val_if_fail (estimate != NULL, FALSE);

  return (story == NULL || check_limit (store, story, estimate, MAX (pending, 0), error)) &&
         check_limit (store, NULL, estimate, MAX (pending_library, 0), error);
}
