/* loom-cli-cost.c: the estimate every paid command prints before it sends anything, and the
 * refusal above the library's threshold without --yes (issue 18)
 *
 * The CLI does not ask interactively: it may run in a script, where a question would wait
 * forever. It refuses with its own exit status instead, and --yes says the cost is accepted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-cli-cost"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-cli.h"
#include "loom-store-budget.h"

int
loom_cli_confirm_estimate (LoomGenerator      *generator,
                           const LoomEstimate *estimate,
                           gboolean            yes)
{
  LoomAiClient *client = loom_generator_get_client (generator);
  g_autofree char *cost = NULL;
  g_autofree char *message = NULL;
  g_autoptr(GError) error = NULL;
  double threshold = -1;

  if (estimate->requests == 0)
    return LOOM_CLI_OK;
  cost = loom_estimate_describe_with_model (estimate, loom_ai_client_get_model (client));
  /* TRANSLATORS: "Estimate: 2 requests, about $0.0414 with MODEL (450 tokens in, about 2668
   * out)." */
  g_printerr (g_dngettext (GETTEXT_PACKAGE, "Estimate: %u request, %s.\n",
                           "Estimate: %u requests, %s.\n", estimate->requests),
              estimate->requests, cost);

  if (!loom_store_get_confirm_threshold (loom_generator_get_store (generator), &threshold,
                                         &error))
    return loom_cli_user_error (error);
  if (yes || !loom_estimate_needs_confirmation (estimate, threshold))
    return LOOM_CLI_OK;

  if (estimate->cost < 0 && threshold > 0)
    /* TRANSLATORS: both %s are the model */
    message = g_strdup_printf (_("The price of “%s” is unknown, and the library asks before "
                                 "spending, so nothing was sent. Run the command again with "
                                 "--yes to send it, or “storyloom-cli budget "
                                 "--accept-unknown-price %s” never to be asked about this model "
                                 "on this server."), estimate->model, estimate->model);
  else if (threshold == 0)
    message = g_strdup (_("The library asks before every paid request, so nothing was sent. "
                          "Run the command again with --yes to spend it."));
  else
    {
      g_autofree char *usd = loom_budget_format_usd (threshold);

      message = g_strdup_printf (_("The estimate is above %s, above which the library asks "
                                   "before spending, so nothing was sent. Run the command again "
                                   "with --yes to spend it."), usd);
    }
  loom_cli_print_error (message);
  return LOOM_CLI_NEEDS_CONFIRMATION;
}

int
loom_cli_confirm_action (LoomGenerator         *generator,
                         const LoomPaidAction  *action,
                         gboolean               yes)
{
  LoomEstimate estimate = LOOM_ESTIMATE_INIT;
  g_autoptr(GError) error = NULL;
  int status;

  /* A request that cannot be built fails the same way when it is run, before sending. */
  if (!loom_generator_estimate_action (generator, action, &estimate, &error))
    {
      g_debug ("No estimate: %s", error->message);
      return LOOM_CLI_OK;
    }
  status = loom_cli_confirm_estimate (generator, &estimate, yes);
  loom_estimate_clear (&estimate);
  return status;
}
