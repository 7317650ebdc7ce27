/* loom-spending-group.c: Preferences' Spending group
 *
 * Three rows of the same shape, a switch and an amount: the threshold above which a paid
 * request asks first (off: never), the library's monthly limit and the story's limit (off: no
 * limit). Each change is written to the library at once; the rows then read it back, so that
 * they show what the library holds.
 *
 * Below them, one row for each model whose unknown price the writer accepted ("Don't ask
 * again for this model", "Send Anyway") on the server configured now, with Ask Again to take
 * it back: a tick by a slip must not go on spending without a way back but the command line.
 * Other servers' acceptances are kept and show when that server is configured again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-spending-group"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-ai-client.h"
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
  GSettings           *settings;
  LoomAiClient        *client;         /* on the server the window talks to, for its models */
  GPtrArray           *unpriced_rows;  /* AdwActionRow, one for each model accepted */
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

static GtkWidget *
new_unpriced_row (LoomSpendingGroup *self,
                  const char        *model)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Ask Again"));
  g_autofree char *subtitle = NULL;
  g_autofree char *label = NULL;

  /* a model's name is not markup */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), model);
  /* TRANSLATORS: %s is a server's address */
  subtitle = g_strdup_printf (_("Price unknown: sent to %s without asking"),
                              loom_ai_client_get_base_url (self->client));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "spending.ask-again");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button),
                                          g_variant_new_string (model));
  /* TRANSLATORS: the button that takes back "Don't ask again"; %s is a model */
  label = g_strdup_printf (_("Ask Again Before Sending to “%s”"), model);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);
  return row;
}

static GtkWidget *
new_unreadable_row (const GError *error)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Models Sent Without a Price"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), error->message);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  return row;
}

static void
sync_unpriced_rows (LoomSpendingGroup *self)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) models = NULL;

  for (guint i = 0; i < self->unpriced_rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self),
                                  g_ptr_array_index (self->unpriced_rows, i));
  g_ptr_array_set_size (self->unpriced_rows, 0);
  if (self->store == NULL)
    return;

  models = loom_budget_list_unknown_price_accepted (self->store, self->client, &error);
  if (models == NULL)
    /* unreadable: say so where the list would be, rather than show none */
    g_ptr_array_add (self->unpriced_rows, new_unreadable_row (error));
  for (guint i = 0; models != NULL && models[i] != NULL; i++)
    g_ptr_array_add (self->unpriced_rows, new_unpriced_row (self, models[i]));
  for (guint i = 0; i < self->unpriced_rows->len; i++)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (self),
                               g_ptr_array_index (self->unpriced_rows, i));
}

void
loom_spending_group_reload (LoomSpendingGroup *self)
{
  g_return_if_fail (LOOM_IS_SPENDING_GROUP (self));

  gtk_widget_set_sensitive (GTK_WIDGET (self), self->store != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->rows[AMOUNT_STORY]), self->story != NULL);
  sync_unpriced_rows (self);
  if (self->store == NULL)
    return;
  self->syncing = TRUE;
  for (AmountKind kind = 0; kind < N_AMOUNTS; kind++)
    if (kind != AMOUNT_STORY || self->story != NULL)
      sync_row (self, kind);
  self->syncing = FALSE;
}

/* Takes back the acceptance of the model's unknown price: its next request asks again. */
static void
ask_again_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  LoomSpendingGroup *self = LOOM_SPENDING_GROUP (widget);
  const char *model = g_variant_get_string (parameter, NULL);
  g_autoptr(GError) error = NULL;

  if (self->store == NULL)
    return;
  if (!loom_budget_set_unknown_price_accepted (self->store, self->client, model, FALSE, &error))
    {
      for (guint i = 0; i < self->unpriced_rows->len; i++)
        {
          AdwActionRow *row = g_ptr_array_index (self->unpriced_rows, i);

          if (g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), model) == 0)
            adw_action_row_set_subtitle (row, error->message);
        }
      return;
    }
  /* the row goes: keep the focus in the group rather than lose it with the button */
  gtk_widget_grab_focus (GTK_WIDGET (self->switches[AMOUNT_ASK]));
  loom_spending_group_reload (self);
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
  g_clear_pointer (&self->unpriced_rows, g_ptr_array_unref);
  g_clear_object (&self->story);
  g_clear_object (&self->store);
  g_clear_object (&self->client);
  g_clear_object (&self->settings);

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

  gtk_widget_class_install_action (widget_class, "spending.ask-again", "s", ask_again_action);
}

static void
loom_spending_group_init (LoomSpendingGroup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->unpriced_rows = g_ptr_array_new ();
  /* the controller's client follows the same settings and environment */
  self->settings = g_settings_new (APP_ID);
  self->client = loom_ai_client_new (NULL);
  loom_ai_client_bind_settings (self->client, self->settings);
  g_signal_connect_object (self->client, "notify::base-url",
                           G_CALLBACK (loom_spending_group_reload), self, G_CONNECT_SWAPPED);

  for (AmountKind kind = 0; kind < N_AMOUNTS; kind++)
    {
      g_signal_connect_object (self->switches[kind], "notify::active", G_CALLBACK (on_changed),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->spins[kind], "notify::value", G_CALLBACK (on_changed),
                               self, G_CONNECT_SWAPPED);
    }
  loom_spending_group_reload (self);
}
