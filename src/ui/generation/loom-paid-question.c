/* loom-paid-question.c: the question before an action that pays the model
 *
 * The estimate comes from the core (loom_generator_estimate_action ()), the same one the CLI
 * prints and the spending limits check. Cancel is the default response, so that Enter or
 * Escape never spends money.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-generation-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-ai-client.h"
#include "loom-generation-util.h"
#include "loom-paid-question.h"
#include "loom-store-budget.h"

typedef struct
{
  GWeakRef         owner;
  LoomPaidRunFunc  run;
  gpointer         data;
  GDestroyNotify   destroy;
} Pending;

static void
pending_free (Pending *pending)
{
  g_weak_ref_clear (&pending->owner);
  if (pending->destroy != NULL)
    pending->destroy (pending->data);
  g_free (pending);
}

static void
pending_free_closure (gpointer  data,
                      GClosure *closure)
{
  pending_free (data);
}

static void
pending_run (Pending *pending)
{
  g_autoptr(GObject) owner = g_weak_ref_get (&pending->owner);

  if (owner != NULL)
    pending->run (owner, pending->data);
}

static void
on_response (AdwMessageDialog *dialog,
             const char       *response,
             Pending          *pending)
{
  if (g_strcmp0 (response, "spend") == 0)
    pending_run (pending);
}

static gboolean
is_scene_action (LoomPaidKind kind)
{
  return kind == LOOM_PAID_SCENE || kind == LOOM_PAID_CHAPTER || kind == LOOM_PAID_STORY;
}

static char *
describe (LoomGenerator         *generator,
          const LoomPaidAction  *action,
          const LoomEstimate    *estimate)
{
  LoomAiClient *client = loom_generator_get_client (generator);
  g_autofree char *cost = loom_estimate_describe_with_model (estimate,
                                                             loom_ai_client_get_model (client));
  g_autofree char *where = NULL;
  double threshold = -1;

  if (!loom_store_get_confirm_threshold (loom_generator_get_store (generator), &threshold, NULL) ||
      threshold <= 0)
    where = g_strdup (_("Preferences ask before every paid request."));
  else
    {
      g_autofree char *usd = loom_budget_format_usd (threshold);

      /* TRANSLATORS: %s is an amount, e.g. "$0.0100" */
      where = g_strdup_printf (_("Preferences ask above %s."), usd);
    }

  if (is_scene_action (action->kind))
    /* TRANSLATORS: "5 scenes, about $0.0420 with MODEL (12,300 tokens in, about 6,670 out).",
     * then where the question can be turned off */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u scene, %s. %s",
                                         "%u scenes, %s. %s", estimate->requests),
                            estimate->requests, cost, where);
  /* TRANSLATORS: "Estimated cost: about $0.0120 with MODEL (…).", then where the question can
   * be turned off */
  return g_strdup_printf (_("Estimated cost: %s. %s"), cost, where);
}

GtkWindow *
loom_paid_question_run (GtkWindow             *parent,
                        LoomGenerator         *generator,
                        const LoomPaidAction  *action,
                        const char            *heading,
                        const char            *accept,
                        GObject               *owner,
                        LoomPaidRunFunc        run,
                        gpointer               data,
                        GDestroyNotify         destroy)
{
  LoomEstimate estimate = LOOM_ESTIMATE_INIT;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  Pending *pending;
  gboolean needed = FALSE;
  AdwMessageDialog *dialog;

  g_return_val_if_fail (LOOM_IS_GENERATOR (generator), NULL);
  g_return_val_if_fail (action != NULL && heading != NULL && accept != NULL, NULL);
  g_return_val_if_fail (G_IS_OBJECT (owner) && run != NULL, NULL);

  pending = g_new0 (Pending, 1);
  g_weak_ref_init (&pending->owner, owner);
  pending->run = run;
  pending->data = data;
  pending->destroy = destroy;

  if (!loom_generator_needs_confirmation (generator, action, &estimate, &needed, &error))
    g_debug ("No estimate before spending: %s", error->message);
  if (!needed)
    {
      loom_estimate_clear (&estimate);
      pending_run (pending);
      pending_free (pending);
      return NULL;
    }

  body = describe (generator, action, &estimate);
  loom_estimate_clear (&estimate);
  dialog = loom_ui_question_new (parent, heading, body, NULL, "spend", accept,
                                 ADW_RESPONSE_SUGGESTED);
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_response), pending,
                         pending_free_closure, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return GTK_WINDOW (dialog);
}
