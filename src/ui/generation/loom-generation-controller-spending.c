/* loom-generation-controller-spending.c: a request a spending limit refused, and the limit
 * raised right there (issue 18)
 *
 * The refusal's sentence names the limit and what was spent; the dialog adds the amount to
 * raise it to. Raise Limit writes it and runs the refused action again; Cancel, the default,
 * changes and sends nothing. Only one such dialog is open at a time: a refused batch reports
 * once.
 *
 * A limit also refuses a model whose price is unknown, since nothing says what it would
 * spend. A writer who set a limit and then drafts with a local server or an unlisted model
 * expects to be asked once and then left alone: Send Anyway accepts that model's unknown price
 * on that server (loom_budget_set_unknown_price_accepted()) and runs the action again; a limit
 * already reached still refuses it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-generation-ui"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "loom-budget.h"
#include "loom-generation-controller-private.h"
#include "loom-generation-util.h"
#include "loom-store-budget.h"

typedef struct
{
  GWeakRef         controller;
  LoomStory       *story;      /* the limit's story, NULL for the monthly limit */
  GtkSpinButton   *spin;       /* owned by the dialog; NULL for an unknown price */
  char            *model;      /* the model of unknown price, else NULL */
  LoomPaidRunFunc  retry;
  gpointer         data;
  GDestroyNotify   destroy;
} Raise;

static void
raise_free (gpointer  data,
            GClosure *closure)
{
  Raise *raise = data;

  g_weak_ref_clear (&raise->controller);
  g_clear_object (&raise->story);
  g_free (raise->model);
  if (raise->destroy != NULL)
    raise->destroy (raise->data);
  g_free (raise);
}

static void
on_response (AdwMessageDialog *dialog,
             const char       *response,
             Raise            *raise)
{
  g_autoptr(LoomGenerationController) self = g_weak_ref_get (&raise->controller);
  g_autoptr(GError) error = NULL;

  if (self == NULL)
    return;
  if (g_strcmp0 (response, "send") == 0)
    {
      if (!loom_budget_set_unknown_price_accepted (self->store, self->client, raise->model, TRUE,
                                                   &error))
        {
          _loom_generation_controller_emit_error (self, error);
          return;
        }
      raise->retry (G_OBJECT (self), raise->data);
      return;
    }
  if (g_strcmp0 (response, "raise") != 0)
    return;
  /* a number typed but not confirmed with Return counts too */
  gtk_spin_button_update (raise->spin);
  if (!loom_store_set_spending_limit (self->store, raise->story,
                                      gtk_spin_button_get_value (raise->spin), &error))
    {
      _loom_generation_controller_emit_error (self, error);
      return;
    }
  _loom_generation_controller_update_costs (self, NULL);
  raise->retry (G_OBJECT (self), raise->data);
}

/* The amount offered: double the limit, and at least a dollar more than was spent, in whole
 * dollars. */
static double
suggest_limit (LoomGenerationController *self,
               LoomStory                *story)
{
  double limit = 0;
  double spent = 0;

  if (!loom_store_get_spending_limit (self->store, story, &limit, NULL) ||
      !loom_store_get_spent (self->store, story, &spent, NULL))
    return 1;
  return ceil (MAX (limit * 2, spent + 1));
}

static GtkSpinButton *
new_amount_spin (double value)
{
  GtkWidget *spin = gtk_spin_button_new_with_range (0, 100000, 0.5);

  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), 2);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  gtk_widget_set_halign (spin, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("New Limit, in US Dollars"), -1);
  return GTK_SPIN_BUTTON (spin);
}

/* Cancel is the default: raising or sending spends money on the retry, never by Enter or
 * Escape. */
static GtkWindow *
present_refusal (LoomGenerationController *self,
                 GtkWindow                *parent,
                 const char               *heading,
                 const char               *body,
                 const char               *response,
                 const char               *label,
                 Raise                    *raise)
{
  AdwMessageDialog *dialog = loom_ui_question_new (parent != NULL ? parent : self->window,
                                                   heading, body, NULL, response, label,
                                                   ADW_RESPONSE_SUGGESTED);

  if (raise->spin != NULL)
    adw_message_dialog_set_extra_child (dialog, GTK_WIDGET (raise->spin));
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_response), raise, raise_free, 0);
  g_set_weak_pointer (&self->raise_dialog, GTK_WINDOW (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
  return GTK_WINDOW (dialog);
}

static Raise *
raise_new (LoomGenerationController *self,
           LoomPaidRunFunc           retry,
           gpointer                  data,
           GDestroyNotify            destroy)
{
  Raise *raise = g_new0 (Raise, 1);

  g_weak_ref_init (&raise->controller, self);
  raise->retry = retry;
  raise->data = data;
  raise->destroy = destroy;
  return raise;
}

/* The refusal of a model whose price is unknown, with Send Anyway. */
static GtkWindow *
offer_send_anyway (LoomGenerationController *self,
                   GtkWindow                *parent,
                   const GError             *error,
                   Raise                    *raise)
{
  const char *model = loom_ai_client_get_model (self->client);
  g_autofree char *body = NULL;

  raise->model = g_strdup (model);
  /* TRANSLATORS: after the refusal's sentence; %s is the model */
  body = g_strdup_printf (_("%s\n\nSend Anyway sends it, and from now on requests to “%s” on "
                            "this server go without a price: they count as what the server "
                            "reports they cost, and a limit already reached still stops them."),
                          error->message, model);
  return present_refusal (self, parent, _("Price Unknown"), body, "send", _("_Send Anyway"),
                          raise);
}

/**
 * loom_generation_controller_offer_raise:
 * @parent: (nullable): the window the dialog belongs to; the controller's by default
 * @error: the refusal (%LOOM_BUDGET_ERROR); other errors are not offered anything
 * @retry: runs the refused action again once the limit is raised, or the unknown price
 *   accepted
 *
 * Returns: (transfer none) (nullable): the dialog, or %NULL when nothing was offered (then
 *   @destroy has freed @data)
 */
GtkWindow *
loom_generation_controller_offer_raise (LoomGenerationController *self,
                                        GtkWindow                *parent,
                                        const GError             *error,
                                        LoomPaidRunFunc           retry,
                                        gpointer                  data,
                                        GDestroyNotify            destroy)
{
  gboolean story_limit;
  gboolean unknown_price;
  LoomStory *story;
  Raise *raise;

  g_return_val_if_fail (LOOM_IS_GENERATION_CONTROLLER (self), NULL);
  g_return_val_if_fail (error != NULL && retry != NULL, NULL);

  story_limit = g_error_matches (error, LOOM_BUDGET_ERROR, LOOM_BUDGET_ERROR_STORY_LIMIT);
  unknown_price = g_error_matches (error, LOOM_BUDGET_ERROR, LOOM_BUDGET_ERROR_UNKNOWN_PRICE);
  story = story_limit ? self->story : NULL;

  if ((!story_limit && !unknown_price &&
       !g_error_matches (error, LOOM_BUDGET_ERROR, LOOM_BUDGET_ERROR_MONTHLY_LIMIT)) ||
      (story_limit && story == NULL) || self->raise_dialog != NULL)
    {
      if (destroy != NULL)
        destroy (data);
      return NULL;
    }

  raise = raise_new (self, retry, data, destroy);
  if (unknown_price)
    return offer_send_anyway (self, parent, error, raise);
  raise->story = story ? g_object_ref (story) : NULL;
  raise->spin = new_amount_spin (suggest_limit (self, story));
  return present_refusal (self, parent,
                          story_limit ? _("Story Spending Limit Reached")
                                      : _("Monthly Spending Limit Reached"),
                          error->message, "raise", _("_Raise Limit"), raise);
}
