/* loom-paid-question.c: the question before an action that pays the model
 *
 * The estimate comes from the core (loom_generator_estimate_action ()), the same one the CLI
 * prints and the spending limits check. Cancel is the default response, so that Enter or
 * Escape never spends money.
 *
 * A model whose price is unknown is asked about whenever a threshold is set, the default one
 * too. A local server lists no prices, so the question offers "Don't ask again for this
 * model": at most one question per model and server, not one per request forever. When that
 * choice cannot be written, the request still goes, as agreed, and the writer is told that
 * the next one will ask again and why: where the owner's errors go (the window's toast, for
 * the generation controller), else in a dialog on the question's parent.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-paid-question"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-ai-client.h"
#include "loom-generation-controller.h"
#include "loom-generation-util.h"
#include "loom-paid-question.h"
#include "loom-store-budget.h"

typedef struct
{
  GWeakRef         owner;
  GWeakRef         parent;
  LoomPaidRunFunc  run;
  gpointer         data;
  GDestroyNotify   destroy;
  LoomGenerator   *generator;
  char            *model;      /* of unknown price, else NULL */
  GtkCheckButton  *dont_ask;   /* owned by the dialog, with @model */
} Pending;

static void
pending_free (Pending *pending)
{
  g_weak_ref_clear (&pending->owner);
  g_weak_ref_clear (&pending->parent);
  g_clear_object (&pending->generator);
  g_free (pending->model);
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

/* The writer believes the next request will not ask: say why it will. */
static void
report_not_kept (Pending      *pending,
                 const GError *error)
{
  g_autoptr(GObject) owner = g_weak_ref_get (&pending->owner);
  g_autoptr(GtkWindow) parent = g_weak_ref_get (&pending->parent);
  g_autoptr(GError) told = NULL;
  AdwMessageDialog *dialog;

  /* TRANSLATORS: %s is a model, the second %s the library's sentence on what went wrong and
   * what to do */
  told = g_error_new (error->domain, error->code,
                      _("The request was sent, but “Don't ask again” for “%s” could not be "
                        "kept, so its next request will ask again. %s"),
                      pending->model, error->message);
  if (LOOM_IS_GENERATION_CONTROLLER (owner))
    {
      loom_generation_controller_report_error (LOOM_GENERATION_CONTROLLER (owner), told);
      return;
    }
  if (parent == NULL)
    {
      g_message ("%s", told->message);
      return;
    }
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, _("Choice Not Kept"),
                                                       told->message));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_response (AdwMessageDialog *dialog,
             const char       *response,
             Pending          *pending)
{
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "spend") != 0)
    return;
  /* the request itself was accepted: it goes even when the choice cannot be kept */
  if (pending->dont_ask != NULL && gtk_check_button_get_active (pending->dont_ask) &&
      !loom_budget_set_unknown_price_accepted (loom_generator_get_store (pending->generator),
                                               loom_generator_get_client (pending->generator),
                                               pending->model, TRUE, &error))
    report_not_kept (pending, error);
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
          const LoomEstimate    *estimate,
          double                 threshold)
{
  LoomAiClient *client = loom_generator_get_client (generator);
  g_autofree char *cost = loom_estimate_describe_with_model (estimate,
                                                             loom_ai_client_get_model (client));
  g_autofree char *where = NULL;

  if (threshold <= 0)
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

static void
add_dont_ask (AdwMessageDialog *dialog,
              Pending          *pending,
              LoomGenerator    *generator,
              const char       *model)
{
  GtkWidget *check = gtk_check_button_new_with_mnemonic (_("_Don't ask again for this model"));

  gtk_widget_set_halign (check, GTK_ALIGN_CENTER);
  pending->generator = g_object_ref (generator);
  pending->model = g_strdup (model);
  pending->dont_ask = GTK_CHECK_BUTTON (check);
  adw_message_dialog_set_extra_child (dialog, check);
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
  double threshold = 0;
  AdwMessageDialog *dialog;

  g_return_val_if_fail (LOOM_IS_GENERATOR (generator), NULL);
  g_return_val_if_fail (action != NULL && heading != NULL && accept != NULL, NULL);
  g_return_val_if_fail (G_IS_OBJECT (owner) && run != NULL, NULL);

  pending = g_new0 (Pending, 1);
  g_weak_ref_init (&pending->owner, owner);
  g_weak_ref_init (&pending->parent, parent);
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

  if (!loom_store_get_confirm_threshold (loom_generator_get_store (generator), &threshold, NULL))
    threshold = 0;
  body = describe (generator, action, &estimate, threshold);
  dialog = loom_ui_question_new (parent, heading, body, NULL, "spend", accept,
                                 ADW_RESPONSE_SUGGESTED);
  /* at 0 every request asks anyway: nothing to stop asking about */
  if (estimate.cost < 0 && threshold > 0)
    add_dont_ask (dialog, pending, generator, estimate.model);
  loom_estimate_clear (&estimate);
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_response), pending,
                         pending_free_closure, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return GTK_WINDOW (dialog);
}
