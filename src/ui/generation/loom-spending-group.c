/* loom-spending-group.c: Preferences' Spending group
 *
 * Three rows of the same shape, a switch and an amount: the threshold above which a paid
 * request asks first (off: never), the library's monthly limit and the story's limit (off: no
 * limit). Each change is written to the library at once; the rows then read it back, so that
 * they show what the library holds.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-spending-group"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-budget.h"
#include "loom-spending-group.h"
#include "loom-store.h"
#include "loom-store-budget.h"
#include "loom-story.h"

/* What an amount is when its switch is turned on: a question above ten cents, a limit of five
 * dollars. */
#define DEFAULT_THRESHOLD 0.10
#define DEFAULT_LIMIT     5.00

typedef enum
{
  AMOUNT_ASK,
  AMOUNT_MONTH,
  AMOUNT_STORY,
  N_AMOUNTS
} AmountKind;

struct _LoomSpendingGroup
{
  AdwPreferencesGroup  parent_instance;

  /* template children, by AmountKind */
  AdwActionRow        *rows[N_AMOUNTS];
  GtkSpinButton       *spins[N_AMOUNTS];
  GtkSwitch           *switches[N_AMOUNTS];

  /* owned */
  LoomStore           *store;
  LoomStory           *story;
  guint                syncing : 1;
};

G_DEFINE_FINAL_TYPE (LoomSpendingGroup, loom_spending_group, ADW_TYPE_PREFERENCES_GROUP)

GtkWidget *
loom_spending_group_new (void)
{
  return g_object_new (LOOM_TYPE_SPENDING_GROUP, NULL);
}

static gboolean
read_amount (LoomSpendingGroup  *self,
             AmountKind          kind,
             double             *amount,
             GError            **error)
{
  if (kind == AMOUNT_ASK)
    return loom_store_get_confirm_threshold (self->store, amount, error);
  return loom_store_get_spending_limit (self->store, kind == AMOUNT_STORY ? self->story : NULL,
                                        amount, error);
}

static gboolean
write_amount (LoomSpendingGroup  *self,
              AmountKind          kind,
              double              amount,
              GError            **error)
{
  if (kind == AMOUNT_ASK)
    return loom_store_set_confirm_threshold (self->store, amount, error);
  return loom_store_set_spending_limit (self->store, kind == AMOUNT_STORY ? self->story : NULL,
                                        amount, error);
}

/* "$0.42 of $5.00 spent this month", "$0.42 spent on “Title”, no limit" */
static char *
describe_spent (LoomSpendingGroup *self,
                AmountKind         kind,
                double             limit)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *spent_text = NULL;
  g_autofree char *limit_text = NULL;
  LoomStory *story = kind == AMOUNT_STORY ? self->story : NULL;
  double spent = 0;

  if (!loom_store_get_spent (self->store, story, &spent, &error))
    return g_strdup (error->message);
  spent_text = loom_budget_format_usd (spent);
  limit_text = limit >= 0 ? loom_budget_format_usd (limit) : NULL;
  if (story == NULL)
    return limit_text != NULL
           /* TRANSLATORS: "$0.42 of $5.00 spent this month" */
           ? g_strdup_printf (_("%s of %s spent this month"), spent_text, limit_text)
           : g_strdup_printf (_("%s spent this month, no limit"), spent_text);
  return limit_text != NULL
         /* TRANSLATORS: "$0.42 of $5.00 spent on “The Salt Road”" */
         ? g_strdup_printf (_("%s of %s spent on “%s”"), spent_text, limit_text,
                            loom_story_get_title (story))
         : g_strdup_printf (_("%s spent on “%s”, no limit"), spent_text,
                            loom_story_get_title (story));
}

static void
sync_row (LoomSpendingGroup *self,
          AmountKind         kind)
{
  g_autoptr(GError) error = NULL;
  double amount = -1;

  if (!read_amount (self, kind, &amount, &error))
    {
      adw_action_row_set_subtitle (self->rows[kind], error->message);
      return;
    }
  gtk_switch_set_active (self->switches[kind], amount >= 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->spins[kind]), amount >= 0);
  if (amount >= 0)
    gtk_spin_button_set_value (self->spins[kind], amount);
  if (kind != AMOUNT_ASK)
    {
      g_autofree char *text = describe_spent (self, kind, amount);

      adw_action_row_set_subtitle (self->rows[kind], text);
    }
}

void
loom_spending_group_reload (LoomSpendingGroup *self)
{
  g_return_if_fail (LOOM_IS_SPENDING_GROUP (self));

  gtk_widget_set_sensitive (GTK_WIDGET (self), self->store != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->rows[AMOUNT_STORY]), self->story != NULL);
  if (self->store == NULL)
    return;
  self->syncing = TRUE;
  for (AmountKind kind = 0; kind < N_AMOUNTS; kind++)
    if (kind != AMOUNT_STORY || self->story != NULL)
      sync_row (self, kind);
  self->syncing = FALSE;
}

void
loom_spending_group_set_library (LoomSpendingGroup *self,
                                 LoomStore         *store,
                                 LoomStory         *story)
{
  g_return_if_fail (LOOM_IS_SPENDING_GROUP (self));
  g_return_if_fail (store == NULL || LOOM_IS_STORE (store));
  g_return_if_fail (story == NULL || LOOM_IS_STORY (story));

  g_set_object (&self->store, store);
  if (store == NULL)
    story = NULL;
  g_set_object (&self->story, story);
  loom_spending_group_reload (self);
}

static void
on_changed (LoomSpendingGroup *self,
            GParamSpec        *pspec,
            GObject           *widget)
{
  g_autoptr(GError) error = NULL;
  AmountKind kind;
  double amount;

  if (self->syncing || self->store == NULL)
    return;
  for (kind = 0; kind < N_AMOUNTS; kind++)
    if (widget == G_OBJECT (self->spins[kind]) || widget == G_OBJECT (self->switches[kind]))
      break;
  g_return_if_fail (kind < N_AMOUNTS);

  /* Turned on, an amount never set starts at its default rather than at nothing. */
  amount = gtk_spin_button_get_value (self->spins[kind]);
  if (widget == G_OBJECT (self->switches[kind]) && gtk_switch_get_active (self->switches[kind]))
    {
      double before = -1;

      if (read_amount (self, kind, &before, NULL) && before < 0 && amount == 0)
        amount = kind == AMOUNT_ASK ? DEFAULT_THRESHOLD : DEFAULT_LIMIT;
    }
  if (!gtk_switch_get_active (self->switches[kind]))
    amount = -1;
  if (!write_amount (self, kind, amount, &error))
    {
      adw_action_row_set_subtitle (self->rows[kind], error->message);
      return;
    }
  loom_spending_group_reload (self);
}

static void
loom_spending_group_dispose (GObject *object)
{
  LoomSpendingGroup *self = (LoomSpendingGroup *) object;

  gtk_widget_dispose_template (GTK_WIDGET (self), LOOM_TYPE_SPENDING_GROUP);
  g_clear_object (&self->story);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (loom_spending_group_parent_class)->dispose (object);
}

static void
loom_spending_group_class_init (LoomSpendingGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = loom_spending_group_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/storyloom/Storyloom/generation/"
                                               "loom-spending-group.ui");
#define BIND(name, member) \
  gtk_widget_class_bind_template_child_full (widget_class, name, FALSE, \
                                             G_STRUCT_OFFSET (LoomSpendingGroup, member))
  BIND ("ask_row", rows[AMOUNT_ASK]);
  BIND ("month_row", rows[AMOUNT_MONTH]);
  BIND ("story_row", rows[AMOUNT_STORY]);
  BIND ("ask_spin", spins[AMOUNT_ASK]);
  BIND ("month_spin", spins[AMOUNT_MONTH]);
  BIND ("story_spin", spins[AMOUNT_STORY]);
  BIND ("ask_switch", switches[AMOUNT_ASK]);
  BIND ("month_switch", switches[AMOUNT_MONTH]);
  BIND ("story_switch", switches[AMOUNT_STORY]);
#undef BIND
}

static void
loom_spending_group_init (LoomSpendingGroup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  for (AmountKind kind = 0; kind < N_AMOUNTS; kind++)
    {
      g_signal_connect_object (self->switches[kind], "notify::active", G_CALLBACK (on_changed),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->spins[kind], "notify::value", G_CALLBACK (on_changed),
                               self, G_CONNECT_SWAPPED);
    }
  loom_spending_group_reload (self);
}
