/* loom-context-budget-group.c: Preferences' Memory group
 *
 * One row: the tokens a prompt may take, with a switch for automatic (the model's context
 * decides; see loom-context-budget.h). The budget is the library's, so that the command line
 * builds the same prompts: each change is written to the library at once and read back, so
 * that the row shows what the library holds.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-context-budget-group"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-context-budget.h"
#include "loom-context-budget-group.h"
#include "loom-prompt-memory.h"
#include "loom-store.h"

struct _LoomContextBudgetGroup
{
  AdwPreferencesGroup  parent_instance;

  /* template children */
  AdwActionRow        *budget_row;
  GtkSpinButton       *budget_spin;
  GtkSwitch           *automatic_switch;

  /* owned */
  LoomStore           *store;
  gboolean             syncing;
};

G_DEFINE_FINAL_TYPE (LoomContextBudgetGroup, loom_context_budget_group,
                     ADW_TYPE_PREFERENCES_GROUP)

static void
show_budget (LoomContextBudgetGroup *self,
             guint                   chosen)
{
  g_autofree char *subtitle = NULL;

  gtk_switch_set_active (self->automatic_switch, chosen == 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->budget_spin), chosen != 0);
  if (chosen != 0)
    {
      gtk_spin_button_set_value (self->budget_spin, chosen);
      adw_action_row_set_subtitle (self->budget_row,
                                   _("The story bible and the summaries of earlier scenes fill "
                                     "what the rest of a prompt leaves of it, the nearest "
                                     "first; never more than three quarters of what the model "
                                     "reads"));
      return;
    }
  /* Translators: %'u are numbers of tokens */
  subtitle = g_strdup_printf (_("Automatic: half of what the model reads, at most %'u tokens, "
                                "or %'u when its server does not say"),
                              LOOM_CONTEXT_BUDGET_AUTO_CAP, LOOM_PROMPT_DEFAULT_BUDGET);
  adw_action_row_set_subtitle (self->budget_row, subtitle);
}

void
loom_context_budget_group_reload (LoomContextBudgetGroup *self)
{
  g_autoptr(GError) error = NULL;
  guint chosen = 0;

  g_return_if_fail (LOOM_IS_CONTEXT_BUDGET_GROUP (self));

  gtk_widget_set_sensitive (GTK_WIDGET (self), self->store != NULL);
  if (self->store == NULL)
    return;
  self->syncing = TRUE;
  if (loom_context_budget_get_chosen (self->store, &chosen, &error))
    show_budget (self, chosen);
  else
    adw_action_row_set_subtitle (self->budget_row, error->message);
  self->syncing = FALSE;
}

void
loom_context_budget_group_set_library (LoomContextBudgetGroup *self,
                                       LoomStore              *store)
{
  g_return_if_fail (LOOM_IS_CONTEXT_BUDGET_GROUP (self));
  g_return_if_fail (store == NULL || LOOM_IS_STORE (store));

  g_set_object (&self->store, store);
  loom_context_budget_group_reload (self);
}

static void
on_changed (LoomContextBudgetGroup *self)
{
  g_autoptr(GError) error = NULL;
  guint tokens = 0;

  if (self->syncing || self->store == NULL)
    return;
  /* turned off, the budget starts from what the spin shows (the default at first) */
  if (!gtk_switch_get_active (self->automatic_switch))
    tokens = (guint) gtk_spin_button_get_value_as_int (self->budget_spin);
  if (!loom_context_budget_set (self->store, tokens, &error))
    {
      adw_action_row_set_subtitle (self->budget_row, error->message);
      return;
    }
  loom_context_budget_group_reload (self);
}

static void
loom_context_budget_group_dispose (GObject *object)
{
  LoomContextBudgetGroup *self = (LoomContextBudgetGroup *) object;

  gtk_widget_dispose_template (GTK_WIDGET (self), LOOM_TYPE_CONTEXT_BUDGET_GROUP);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (loom_context_budget_group_parent_class)->dispose (object);
}

static void
loom_context_budget_group_class_init (LoomContextBudgetGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = loom_context_budget_group_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/storyloom/Storyloom/generation/"
                                               "loom-context-budget-group.ui");
  gtk_widget_class_bind_template_child (widget_class, LoomContextBudgetGroup, budget_row);
  gtk_widget_class_bind_template_child (widget_class, LoomContextBudgetGroup, budget_spin);
  gtk_widget_class_bind_template_child (widget_class, LoomContextBudgetGroup, automatic_switch);
}

static void
loom_context_budget_group_init (LoomContextBudgetGroup *self)
{
  GtkAdjustment *adjustment;

  gtk_widget_init_template (GTK_WIDGET (self));
  adjustment = gtk_spin_button_get_adjustment (self->budget_spin);
  gtk_adjustment_configure (adjustment, LOOM_PROMPT_DEFAULT_BUDGET, LOOM_CONTEXT_BUDGET_MIN,
                            LOOM_CONTEXT_BUDGET_MAX, 1000, 10000, 0);
  g_signal_connect_object (self->automatic_switch, "notify::active", G_CALLBACK (on_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->budget_spin, "notify::value", G_CALLBACK (on_changed), self,
                           G_CONNECT_SWAPPED);
  loom_context_budget_group_reload (self);
}
