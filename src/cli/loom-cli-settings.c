/* loom-cli-settings.c: settings [--context-budget TOKENS|auto]: the library's settings that the
 * window's Preferences show too (issue 16)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-cli-settings"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-cli.h"
#include "loom-context-budget.h"

#define SETTINGS_USAGE N_("Usage: storyloom-cli settings [--context-budget TOKENS|auto]")

/* "auto" is 0; otherwise a whole number of tokens (its range is the library's to check). */
static gboolean
parse_tokens (const char *text,
              guint      *tokens)
{
  guint64 value = 0;

  if (g_str_equal (text, "auto"))
    {
      *tokens = 0;
      return TRUE;
    }
  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT, &value, NULL))
    return FALSE;
  *tokens = (guint) value;
  return TRUE;
}

/* context-budget, the tokens a prompt to the model may take now, and "auto" or "set" */
static gboolean
print_context_budget (const LoomCliOptions  *options,
                      LoomStore             *store,
                      GError               **error)
{
  g_autoptr(LoomAiClient) client = loom_cli_make_client (options);
  gboolean automatic = FALSE;
  guint chosen = 0;
  guint budget;

  /* a library that cannot be read is an error here, not the automatic budget */
  if (!loom_context_budget_get_chosen (store, &chosen, error))
    return FALSE;
  budget = loom_context_budget_get (store, client, &automatic);
  g_print ("context-budget\t%u\t%s\n", budget, automatic ? "auto" : "set");
  return TRUE;
}

int
loom_cli_settings (const LoomCliOptions *options,
                   int                   argc,
                   char                **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomStore) store = NULL;
  gboolean set = FALSE;
  guint tokens = 0;

  for (int i = 1; i < argc; i++)
    {
      const char *value = NULL;

      if (loom_cli_match_option (argc, argv, &i, "--context-budget", &value) && value != NULL &&
          parse_tokens (value, &tokens))
        set = TRUE;
      else
        return loom_cli_usage_error (_(SETTINGS_USAGE));
    }

  store = loom_cli_open_store (options, &error);
  if (store == NULL)
    return loom_cli_user_error (error);
  if ((set && !loom_context_budget_set (store, tokens, &error)) ||
      !print_context_budget (options, store, &error))
    return loom_cli_user_error (error);
  return LOOM_CLI_OK;
}
