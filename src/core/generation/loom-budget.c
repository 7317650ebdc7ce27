/* loom-budget.c: estimates from the cached prices, and the spending limits
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-budget"

#include "config.h"

#include <string.h>

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

char *
loom_estimate_stand_in_prose (gint64 answer_tokens)
{
  /* 16 characters for 3 words: 4 tokens for 3 words, as loom_estimate_answer_tokens() counts,
   * at the 4 characters a token of loom_prompt_estimate_text_tokens() */
  static const char *const words[] = { "then", "walked", "far" };
  gint64 n_words = MAX (answer_tokens, 0) * 3 / 4;
  GString *text = g_string_sized_new (n_words * 16 / 3 + 1);

  for (gint64 i = 0; i < n_words; i++)
    {
      if (i > 0)
        g_string_append_c (text, ' ');
      g_string_append (text, words[i % G_N_ELEMENTS (words)]);
    }
  return g_string_free (text, FALSE);
}

/* The library setting that says the writer accepts @model's unknown price on @client's
 * server; a local server's "llama3" is not another server's. */
static char *
unknown_price_setting (LoomAiClient *client,
                       const char   *model)
{
  return g_strdup_printf ("unknown-price-accepted %s %s", loom_ai_client_get_base_url (client),
                          model ? model : loom_ai_client_get_model (client));
}

gboolean
loom_budget_get_unknown_price_accepted (LoomStore    *store,
                                        LoomAiClient *client,
                                        const char   *model)
{
  g_autofree char *name = NULL;
  g_autoptr(GError) error = NULL;
  gint64 accepted = 0;

  g_return_val_if_fail (LOOM_IS_STORE (store), FALSE);
  g_return_val_if_fail (LOOM_IS_AI_CLIENT (client), FALSE);

  name = unknown_price_setting (client, model);
  /* unreadable: not accepted, so the writer is asked rather than charged */
  if (!loom_store_get_setting (store, name, &accepted, &error))
    g_debug ("%s", error->message);
  return accepted != 0;
}

gboolean
loom_budget_set_unknown_price_accepted (LoomStore     *store,
                                        LoomAiClient  *client,
                                        const char    *model,
                                        gboolean       accepted,
                                        GError       **error)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (LOOM_IS_STORE (store), FALSE);
  g_return_val_if_fail (LOOM_IS_AI_CLIENT (client), FALSE);

  name = unknown_price_setting (client, model);
  return accepted ? loom_store_set_setting (store, name, 1, error)
                  : loom_store_unset_setting (store, name, error);
}

GStrv
loom_budget_list_unknown_price_accepted (LoomStore     *store,
                                         LoomAiClient  *client,
                                         GError       **error)
{
  g_autofree char *prefix = NULL;
  g_auto(GStrv) names = NULL;
  gsize skip;

  g_return_val_if_fail (LOOM_IS_STORE (store), NULL);
  g_return_val_if_fail (LOOM_IS_AI_CLIENT (client), NULL);

  /* the setting of an empty model's name is the server's prefix */
  prefix = unknown_price_setting (client, "");
  skip = strlen (prefix);
  names = loom_store_list_settings (store, prefix, error);
  if (names == NULL)
    return NULL;
  for (guint i = 0; names[i] != NULL; i++)
    memmove (names[i], names[i] + skip, strlen (names[i]) - skip + 1);
  return g_steal_pointer (&names);
}

/* The tokens and the price of one request; the caller counts it. */
static void
add_priced (LoomEstimate  *estimate,
            LoomStore     *store,
            LoomAiClient  *client,
            const char    *model,
            gint64         prompt_tokens,
            gint64         answer_tokens)
{
  g_autoptr(LoomAiModelInfo) info = NULL;

  if (model == NULL)
    model = loom_ai_client_get_model (client);
  prompt_tokens = MAX (prompt_tokens, 0);
  answer_tokens = MAX (answer_tokens, 0);
  estimate->prompt_tokens += prompt_tokens;
  estimate->answer_tokens += answer_tokens;

  info = loom_model_catalog_lookup (store, client, model);
  if (info == NULL || info->prompt_price < 0 || info->completion_price < 0)
    {
      gboolean accepted = loom_budget_get_unknown_price_accepted (store, client, model);

      /* accepted only while every unknown price of the estimate is */
      estimate->unknown_accepted = accepted && (estimate->cost >= 0 ||
                                                estimate->unknown_accepted);
      estimate->cost = -1;
      if (estimate->model == NULL)
        estimate->model = g_strdup (model);
      return;
    }
  if (estimate->cost >= 0)
    estimate->cost += prompt_tokens * info->prompt_price + answer_tokens * info->completion_price;
}

void
loom_estimate_add (LoomEstimate  *estimate,
                   LoomStore     *store,
                   LoomAiClient  *client,
                   const char    *model,
                   gint64         prompt_tokens,
                   gint64         answer_tokens)
{
  g_return_if_fail (estimate != NULL);

  estimate->requests++;
  add_priced (estimate, store, client, model, prompt_tokens, answer_tokens);
}

void
loom_estimate_add_summary (LoomEstimate  *estimate,
                           LoomStore     *store,
                           LoomAiClient  *client,
                           const char    *model,
                           gint64         prompt_tokens,
                           gint64         answer_tokens)
{
  g_return_if_fail (estimate != NULL);

  /* Apart from @requests, which the question before a batch reads as the scenes drafted. */
  estimate->summaries++;
  add_priced (estimate, store, client, model, prompt_tokens, answer_tokens);
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
  g_autofree char *cost = NULL;

  g_return_val_if_fail (estimate != NULL, NULL);
  g_return_val_if_fail (model != NULL, NULL);

  prompt = g_strdup_printf ("%'" G_GINT64_FORMAT, estimate->prompt_tokens);
  answer = g_strdup_printf ("%'" G_GINT64_FORMAT, estimate->answer_tokens);
  if (estimate->cost < 0)
    /* TRANSLATORS: "unknown price with llama3 (1,200 tokens in, about 1,334 out)" */
    cost = g_strdup_printf (_("unknown price with %s (%s tokens in, about %s out)"), model,
                            prompt, answer);
  else
    {
      usd = loom_budget_format_usd (estimate->cost);
      /* TRANSLATORS: "about $0.0123 with anthropic/claude-3.5-sonnet (1,200 tokens in, about
       * 1,334 out)" */
      cost = g_strdup_printf (_("about %s with %s (%s tokens in, about %s out)"), usd, model,
                              prompt, answer);
    }
  if (estimate->summaries == 0)
    return g_steal_pointer (&cost);
  /* The writer turned on summaries after drafts long ago, and would not think of them: the
   * sentence says the amount pays for them too. */
  /* TRANSLATORS: %s is the estimate, e.g. "about $0.0520 with MODEL (9,000 tokens in, about
   * 5,200 out)"; the summaries that Preferences' "Summarize after drafting" asks for */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%s, including %u scene summary written after drafting",
                                       "%s, including %u scene summaries written after drafting",
                                       estimate->summaries),
                          cost, estimate->summaries);
}

gboolean
loom_estimate_needs_confirmation (const LoomEstimate *estimate,
                                  double              threshold)
{
  g_return_val_if_fail (estimate != NULL, FALSE);

  if (threshold < 0 || estimate->requests == 0)
    return FALSE;
  if (threshold == 0)
    return TRUE;
  if (estimate->cost < 0)
    return !estimate->unknown_accepted;
  return estimate->cost > threshold;
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

  if (estimate->cost < 0 && !estimate->unknown_accepted)
    {
      g_set_error (error, LOOM_BUDGET_ERROR, LOOM_BUDGET_ERROR_UNKNOWN_PRICE,
                   _("The price of “%s” is unknown, so Storyloom cannot keep within the spending "
                     "limit, and sent nothing. Fetch the prices with Test in Preferences or "
                     "“storyloom-cli models --refresh”; or send to this model without a price "
                     "with Send Anyway, or “storyloom-cli budget --accept-unknown-price”."),
                   estimate->model);
      return FALSE;
    }

  if (!loom_store_get_spent (store, story, &spent, error))
    return FALSE;
  /* a hair of rounding is no reason to refuse a request that exactly reaches the limit; an
   * accepted unknown price counts as nothing, but a limit already reached still refuses */
  if (estimate->cost < 0 ? spent + pending < limit
                         : spent + pending + estimate->cost <= limit + 1e-9)
    return TRUE;

  spent_text = loom_budget_format_usd (spent + pending);
  limit_text = loom_budget_format_usd (limit);
  if (estimate->cost < 0)
    cost_text = g_strdup (_("an unknown amount"));
  else
    {
      g_autofree char *usd = loom_budget_format_usd (estimate->cost);

      /* TRANSLATORS: an estimated cost, e.g. "about $0.0123" */
      cost_text = g_strdup_printf (_("about %s"), usd);
    }
  /* The window offers to raise the limit beside this sentence; the CLI has the command. */
  if (story != NULL)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, loom_story_get_id (story));

      g_set_error (error, LOOM_BUDGET_ERROR, LOOM_BUDGET_ERROR_STORY_LIMIT,
                   _("“%s” has spent %s of its %s limit, and this request would cost %s, "
                     "so it was not sent. To go on, raise the story’s spending limit in "
                     "Preferences or with “storyloom-cli budget %s --limit DOLLARS”."),
                   loom_story_get_title (story), spent_text, limit_text, cost_text, id);
    }
  else
    g_set_error (error, LOOM_BUDGET_ERROR, LOOM_BUDGET_ERROR_MONTHLY_LIMIT,
                 _("The library has spent %s of its %s monthly limit, and this request would "
                   "cost %s, so it was not sent. To go on, raise the monthly limit in "
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
