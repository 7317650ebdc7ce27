/* loom-cli-budget.c: budget [STORY_ID] [--limit USD|none] [--monthly USD|none] …: the spending
 * limits, and what has been spent against them; when to ask before spending, and the models
 * whose unknown price the writer accepts (issue 18)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-cli-budget"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "loom-budget.h"
#include "loom-cli.h"
#include "loom-store-budget.h"
#include "loom-story.h"

#define BUDGET_USAGE N_("Usage: storyloom-cli budget [STORY_ID] [--limit USD|none] " \
                        "[--monthly USD|none] [--ask-above USD|none] " \
                        "[--accept-unknown-price MODEL | --ask-unknown-price MODEL]")

typedef struct
{
  gint64  story_id;      /* 0: none given */
  double  limit;         /* NAN: unchanged; negative: none */
  double  monthly;
  double  ask_above;     /* the threshold of paid commands' estimates; negative: never */
  const char *unpriced;  /* a model whose unknown price is accepted or asked about again */
  gboolean    accept;
} BudgetArgs;

/* "none" removes a limit; otherwise a plain amount of dollars, never negative. */
static gboolean
parse_amount (const char *text,
              double     *amount)
{
  char *end = NULL;
  double value;

  if (g_str_equal (text, "none"))
    {
      *amount = -1;
      return TRUE;
    }
  value = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !isfinite (value) || value < 0)
    return FALSE;
  *amount = value;
  return TRUE;
}

/* One model, accepted or asked about again, per command. */
static gboolean
set_unpriced (BudgetArgs *args,
              const char *model,
              gboolean    accept)
{
  if (model == NULL || *model == '\0' || args->unpriced != NULL)
    return FALSE;
  args->unpriced = model;
  args->accept = accept;
  return TRUE;
}

static gboolean
parse_budget_args (int         argc,
                   char      **argv,
                   BudgetArgs *args)
{
  args->limit = NAN;
  args->monthly = NAN;
  args->ask_above = NAN;

  for (int i = 1; i < argc; i++)
    {
      const char *value = NULL;

      if (loom_cli_match_option (argc, argv, &i, "--limit", &value))
        {
          if (value == NULL || !parse_amount (value, &args->limit))
            return FALSE;
        }
      else if (loom_cli_match_option (argc, argv, &i, "--monthly", &value))
        {
          if (value == NULL || !parse_amount (value, &args->monthly))
            return FALSE;
        }
      else if (loom_cli_match_option (argc, argv, &i, "--ask-above", &value))
        {
          if (value == NULL || !parse_amount (value, &args->ask_above))
            return FALSE;
        }
      else if (loom_cli_match_option (argc, argv, &i, "--accept-unknown-price", &value))
        {
          if (!set_unpriced (args, value, TRUE))
            return FALSE;
        }
      else if (loom_cli_match_option (argc, argv, &i, "--ask-unknown-price", &value))
        {
          if (!set_unpriced (args, value, FALSE))
            return FALSE;
        }
      else if (args->story_id == 0 && loom_cli_parse_id (argv[i], &args->story_id))
        continue;
      else
        return FALSE;
    }
  /* a story's limit needs the story */
  return isnan (args->limit) || args->story_id != 0;
}

static char *
format_amount (double amount)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (amount < 0)
    return g_strdup ("-");
  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.6f", amount));
}

/* One line: what, spent, limit ("-" for none), in plain US dollars. */
static gboolean
print_line (LoomStore   *store,
            LoomStory   *story,
            GError     **error)
{
  g_autofree char *spent_text = NULL;
  g_autofree char *limit_text = NULL;
  double spent = 0;
  double limit = -1;

  if (!loom_store_get_spent (store, story, &spent, error) ||
      !loom_store_get_spending_limit (store, story, &limit, error))
    return FALSE;
  spent_text = format_amount (spent);
  limit_text = format_amount (limit);
  g_print ("%s\t%s\t%s\n", story != NULL ? "story" : "month", spent_text, limit_text);
  return TRUE;
}

/* ask-above, -, the threshold ("-" for never) */
static gboolean
print_threshold (LoomStore  *store,
                 GError    **error)
{
  g_autofree char *text = NULL;
  double threshold = -1;

  if (!loom_store_get_confirm_threshold (store, &threshold, error))
    return FALSE;
  text = format_amount (threshold);
  g_print ("ask-above\t-\t%s\n", text);
  return TRUE;
}

/* accept-unknown-price, -, a model: one line for each model accepted on the command's server */
static gboolean
print_unknown_prices (LoomStore     *store,
                      LoomAiClient  *client,
                      GError       **error)
{
  g_auto(GStrv) models = loom_budget_list_unknown_price_accepted (store, client, error);

  if (models == NULL)
    return FALSE;
  for (guint i = 0; models[i] != NULL; i++)
    g_print ("accept-unknown-price\t-\t%s\n", models[i]);
  return TRUE;
}

/* On the server the command would talk to (--api-base, STORYLOOM_API_BASE or the settings):
 * a model of another server is another model. */
static gboolean
set_unknown_price (LoomStore         *store,
                   LoomAiClient      *client,
                   const BudgetArgs  *args,
                   GError           **error)
{
  if (!loom_budget_set_unknown_price_accepted (store, client, args->unpriced, args->accept,
                                               error))
    return FALSE;
  if (args->accept)
    /* TRANSLATORS: %s is a model, the second %s a server's address */
    g_printerr (_("Requests to “%s” on %s are sent without a price from now on: they are not "
                  "asked about, and a limit refuses them only once it is reached.\n"),
                args->unpriced, loom_ai_client_get_base_url (client));
  return TRUE;
}

int
loom_cli_budget (const LoomCliOptions *options,
                 int                   argc,
                 char                **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomStore) store = NULL;
  g_autoptr(LoomAiClient) client = NULL;
  BudgetArgs args = { 0 };
  LoomStory *story = NULL;

  if (!parse_budget_args (argc, argv, &args))
    return loom_cli_usage_error (_(BUDGET_USAGE));

  store = loom_cli_open_store (options, &error);
  if (store == NULL)
    return loom_cli_user_error (error);
  if (args.story_id != 0 && (story = loom_store_lookup_story (store, args.story_id)) == NULL)
    return loom_cli_not_found (LOOM_CLI_STORY, args.story_id);

  if ((!isnan (args.limit) && !loom_store_set_spending_limit (store, story, args.limit,
                                                               &error)) ||
      (!isnan (args.monthly) && !loom_store_set_spending_limit (store, NULL, args.monthly,
                                                                 &error)))
    return loom_cli_user_error (error);
  if (!isnan (args.ask_above) &&
      !loom_store_set_confirm_threshold (store, args.ask_above, &error))
    return loom_cli_user_error (error);

  client = loom_cli_make_client (options);
  if (args.unpriced != NULL && !set_unknown_price (store, client, &args, &error))
    return loom_cli_user_error (error);

  if ((story != NULL && !print_line (store, story, &error)) ||
      !print_line (store, NULL, &error) || !print_threshold (store, &error) ||
      !print_unknown_prices (store, client, &error))
    return loom_cli_user_error (error);
  return LOOM_CLI_OK;
}
