/* loom-generation-preferences.c: the AI page of the preferences
 *
 * Everything but the key lives in GSettings and is bound to its row. The key goes to the
 * keyring through the core and is never shown back: the page only says where the key in use
 * comes from. Test asks the server for its models, which also fills the model list with prices.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-generation-preferences"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-ai-client.h"
#include "loom-api-key.h"
#include "loom-generation-controller.h"
#include "loom-generation-preferences.h"
#include "loom-generation-util.h"
#include "loom-model-catalog.h"
#include "loom-spending-group.h"
#include "loom-context-budget-group.h"

struct _LoomGenerationPreferences
{
  AdwPreferencesPage   parent_instance;

  /* template children */
  AdwActionRow        *environment_row;
  AdwEntryRow         *api_base_row;
  AdwPasswordEntryRow *key_row;
  AdwActionRow        *key_status_row;
  AdwActionRow        *test_row;
  GtkSpinner          *test_spinner;
  AdwComboRow         *model_combo;
  AdwEntryRow         *model_row;
  GtkSpinButton       *temperature_spin;
  GtkSpinButton       *max_tokens_spin;
  GtkSpinButton       *concurrency_spin;
  GtkSwitch           *parallel_switch;
  LoomSpendingGroup   *spending_group;
  GtkSwitch           *summarize_switch;
  LoomContextBudgetGroup *context_budget_group;

  /* owned */
  LoomStore           *store;         /* NULL: the models a test lists are not kept */
  GSettings           *settings;
  GCancellable        *cancellable;
  GtkStringList       *model_names;
  GPtrArray           *model_ids;
  LoomApiKeySource     key_source;
  guint                busy;          /* key look-ups, stores and tests under way */
  guint                syncing_combo : 1;
};

G_DEFINE_FINAL_TYPE (LoomGenerationPreferences, loom_generation_preferences,
                     ADW_TYPE_PREFERENCES_PAGE)

LoomGenerationPreferences *
loom_generation_preferences_new (void)
{
  return g_object_new (LOOM_TYPE_GENERATION_PREFERENCES, NULL);
}

static void
set_busy (LoomGenerationPreferences *self,
          gboolean                   busy)
{
  if (busy)
    self->busy++;
  else if (self->busy > 0)
    self->busy--;
}

/* ------------------------------------------------------------------------------------------ */
/* The key                                                                                    */

static void
show_key_source (LoomGenerationPreferences *self,
                 LoomApiKeySource           source,
                 const char                *problem)
{
  const char *text;

  self->key_source = source;
  switch (source)
    {
    case LOOM_API_KEY_SOURCE_ENVIRONMENT:
      text = _("Read from the OPENROUTER_API_KEY environment variable, which takes precedence "
               "over the keyring");
      break;
    case LOOM_API_KEY_SOURCE_KEYRING:
      text = _("Stored in the keyring");
      break;
    case LOOM_API_KEY_SOURCE_SESSION:
      text = _("Used until Storyloom closes: no keyring is running to remember it");
      break;
    case LOOM_API_KEY_SOURCE_NONE:
    default:
      text = problem ? problem : _("No key is stored. A server on this computer needs none.");
      break;
    }
  adw_action_row_set_subtitle (self->key_status_row, text);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "gen-prefs.clear-key",
                                 source == LOOM_API_KEY_SOURCE_KEYRING ||
                                 source == LOOM_API_KEY_SOURCE_SESSION);
}

static void
on_key_looked_up (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(LoomGenerationPreferences) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  LoomApiKeySource key_source = LOOM_API_KEY_SOURCE_NONE;

  key = loom_api_key_lookup_finish (result, &key_source, &error);
  set_busy (self, FALSE);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  show_key_source (self, key != NULL ? key_source : LOOM_API_KEY_SOURCE_NONE, NULL);
}

static void
refresh_key_source (LoomGenerationPreferences *self)
{
  g_autofree char *base = g_settings_get_string (self->settings, "api-base");

  set_busy (self, TRUE);
  loom_api_key_lookup_async (base, self->cancellable, on_key_looked_up, g_object_ref (self));
}

/* The key was stored or cleared, unless @error says why not (@source is the one to show
 * then): every window looks it up again, and so does this page. */
static void
key_changed (LoomGenerationPreferences *self,
             const GError              *error,
             LoomApiKeySource           source)
{
  set_busy (self, FALSE);
  if (error != NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_key_source (self, source, error->message);
      return;
    }
  loom_generation_controller_reload_api_keys ();
  refresh_key_source (self);
}

static void
on_key_stored (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(LoomGenerationPreferences) self = user_data;
  g_autoptr(GError) error = NULL;

  /* Without a keyring the core keeps the key for this session; the look-up says so. */
  if (loom_api_key_store_finish (result, &error) ||
      g_error_matches (error, LOOM_AI_ERROR, LOOM_AI_ERROR_KEYRING))
    {
      g_clear_error (&error);
      /* Never shown back. */
      gtk_editable_set_text (GTK_EDITABLE (self->key_row), "");
    }
  key_changed (self, error, LOOM_API_KEY_SOURCE_NONE);
}

static void
on_key_apply (LoomGenerationPreferences *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->key_row));
  g_autofree char *key = g_strstrip (g_strdup (text));
  g_autofree char *base = g_settings_get_string (self->settings, "api-base");

  if (*key == '\0')
    return;
  set_busy (self, TRUE);
  adw_action_row_set_subtitle (self->key_status_row, _("Storing the key…"));
  loom_api_key_store_async (base, key, self->cancellable, on_key_stored, g_object_ref (self));
}

void
loom_generation_preferences_enter_key (LoomGenerationPreferences *self,
                                       const char                *key)
{
  g_return_if_fail (LOOM_IS_GENERATION_PREFERENCES (self));

  gtk_editable_set_text (GTK_EDITABLE (self->key_row), key);
  on_key_apply (self);
}

static void
on_key_cleared (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(LoomGenerationPreferences) self = user_data;
  g_autoptr(GError) error = NULL;

  loom_api_key_clear_finish (result, &error);
  key_changed (self, error, self->key_source);
}

static void
clear_key_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  LoomGenerationPreferences *self = LOOM_GENERATION_PREFERENCES (widget);
  g_autofree char *base = g_settings_get_string (self->settings, "api-base");

  set_busy (self, TRUE);
  loom_api_key_clear_async (base, self->cancellable, on_key_cleared, g_object_ref (self));
}

/* ------------------------------------------------------------------------------------------ */
/* Models                                                                                     */

static char *
describe_model (const LoomAiModelInfo *info)
{
  if (info->prompt_price < 0 || info->completion_price < 0)
    return g_strdup (info->name);
  if (info->prompt_price == 0 && info->completion_price == 0)
    /* TRANSLATORS: a model in the list, e.g. "Mistral 7B · free" */
    return g_strdup_printf (_("%s · free"), info->name);
  /* TRANSLATORS: a model and its prices per million prompt and completion tokens */
  return g_strdup_printf (_("%s · $%.2f in, $%.2f out per million tokens"), info->name,
                          info->prompt_price * 1e6, info->completion_price * 1e6);
}

/* Selects the current model in the combo, adding it when the list does not have it. */
static void
sync_combo (LoomGenerationPreferences *self)
{
  g_autofree char *model = g_settings_get_string (self->settings, "model");
  guint index = G_MAXUINT;

  for (guint i = 0; i < self->model_ids->len; i++)
    if (g_str_equal (g_ptr_array_index (self->model_ids, i), model))
      index = i;

  self->syncing_combo = TRUE;
  if (index == G_MAXUINT && *model != '\0')
    {
      const char *names[] = { model, NULL };

      g_ptr_array_insert (self->model_ids, 0, g_strdup (model));
      gtk_string_list_splice (self->model_names, 0, 0, names);
      index = 0;
    }
  if (index != G_MAXUINT)
    adw_combo_row_set_selected (self->model_combo, index);
  self->syncing_combo = FALSE;
}

static void
on_model_selected (LoomGenerationPreferences *self)
{
  guint selected = adw_combo_row_get_selected (self->model_combo);

  if (self->syncing_combo || selected >= self->model_ids->len)
    return;
  g_settings_set_string (self->settings, "model", g_ptr_array_index (self->model_ids, selected));
}

void
loom_generation_preferences_select_model (LoomGenerationPreferences *self,
                                          guint                      index)
{
  g_return_if_fail (LOOM_IS_GENERATION_PREFERENCES (self));
  adw_combo_row_set_selected (self->model_combo, index);
}

GStrv
loom_generation_preferences_dup_model_ids (LoomGenerationPreferences *self)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  GStrv ids;

  g_return_val_if_fail (LOOM_IS_GENERATION_PREFERENCES (self), NULL);

  for (guint i = 0; i < self->model_ids->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (self->model_ids, i));
  ids = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return ids;
}

static void
fill_models (LoomGenerationPreferences *self,
             GPtrArray                 *models)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  guint old = g_list_model_get_n_items (G_LIST_MODEL (self->model_names));

  g_ptr_array_set_size (self->model_ids, 0);
  for (guint i = 0; i < models->len; i++)
    {
      LoomAiModelInfo *info = g_ptr_array_index (models, i);

      g_ptr_array_add (self->model_ids, g_strdup (info->id));
      g_ptr_array_add (names, describe_model (info));
    }
  g_ptr_array_add (names, NULL);

  self->syncing_combo = TRUE;
  gtk_string_list_splice (self->model_names, 0, old, (const char *const *) names->pdata);
  self->syncing_combo = FALSE;
  sync_combo (self);
}

static void
finish_test (LoomGenerationPreferences *self,
             const char                *result)
{
  set_busy (self, FALSE);
  adw_action_row_set_subtitle (self->test_row, result);
  gtk_spinner_set_spinning (self->test_spinner, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->test_spinner), FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "gen-prefs.test", TRUE);
}

static void
on_models_listed (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(LoomGenerationPreferences) self = user_data;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  models = loom_ai_client_list_models_finish (LOOM_AI_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      set_busy (self, FALSE);
      return;
    }
  if (models == NULL)
    {
      finish_test (self, error->message);
      return;
    }
  fill_models (self, models);
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Connected: %u model is available. Choose it below.",
                                       "Connected: %u models are available. Choose one below.",
                                       models->len), models->len);
  /* The prices go to the library, where the estimates and the spending limits read them. */
  if (self->store != NULL &&
      !loom_model_catalog_save (self->store, LOOM_AI_CLIENT (source), models, &error))
    {
      g_autofree char *connected = g_steal_pointer (&text);

      /* TRANSLATORS: the connection test's result, then why the prices were not kept */
      text = g_strdup_printf (_("%s The prices could not be kept: %s"), connected,
                              error->message);
    }
  finish_test (self, text);
}

static void
list_models (LoomGenerationPreferences *self,
             const char                *key)
{
  g_autoptr(LoomAiClient) client = loom_ai_client_new (NULL);
  g_autofree char *base = g_settings_get_string (self->settings, "api-base");

  loom_ai_client_set_base_url (client, base);
  loom_ai_client_set_api_key (client, key);
  loom_ai_client_list_models_async (client, self->cancellable, on_models_listed,
                                    g_object_ref (self));
}

static void
on_test_key_looked_up (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(LoomGenerationPreferences) self = user_data;
  g_autofree char *key = loom_api_key_lookup_finish (result, NULL, NULL);

  list_models (self, key);
}

static void
test_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  LoomGenerationPreferences *self = LOOM_GENERATION_PREFERENCES (widget);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->key_row));
  g_autofree char *typed = g_strstrip (g_strdup (text));

  set_busy (self, TRUE);
  gtk_widget_action_set_enabled (widget, "gen-prefs.test", FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->test_spinner), TRUE);
  gtk_spinner_set_spinning (self->test_spinner, TRUE);
  adw_action_row_set_subtitle (self->test_row, _("Asking the server for its models…"));

  /* A key typed but not applied yet is tried as it is. */
  if (*typed != '\0')
    list_models (self, typed);
  else
    {
      g_autofree char *base = g_settings_get_string (self->settings, "api-base");

      loom_api_key_lookup_async (base, self->cancellable, on_test_key_looked_up,
                                 g_object_ref (self));
    }
}

static void
preset_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  LoomGenerationPreferences *self = LOOM_GENERATION_PREFERENCES (widget);

  g_settings_set_string (self->settings, "api-base", g_variant_get_string (parameter, NULL));
}

/* ------------------------------------------------------------------------------------------ */

/**
 * loom_generation_preferences_set_library:
 * @store: (nullable): the library: the connection test keeps the models it lists there, and
 *   the Spending group shows and sets its amounts, the Memory group its context budget
 * @story: (nullable): the story whose spending the Spending group shows
 */
void
loom_generation_preferences_set_library (LoomGenerationPreferences *self,
                                         LoomStore                 *store,
                                         LoomStory                 *story)
{
  g_return_if_fail (LOOM_IS_GENERATION_PREFERENCES (self));
  g_return_if_fail (store == NULL || LOOM_IS_STORE (store));

  g_set_object (&self->store, store);
  loom_spending_group_set_library (self->spending_group, store, story);
  loom_context_budget_group_set_library (self->context_budget_group, store);
}

LoomSpendingGroup *
loom_generation_preferences_get_spending_group (LoomGenerationPreferences *self)
{
  g_return_val_if_fail (LOOM_IS_GENERATION_PREFERENCES (self), NULL);
  return self->spending_group;
}

const char *
loom_generation_preferences_get_key_status (LoomGenerationPreferences *self)
{
  g_return_val_if_fail (LOOM_IS_GENERATION_PREFERENCES (self), NULL);
  return adw_action_row_get_subtitle (self->key_status_row);
}

const char *
loom_generation_preferences_get_test_result (LoomGenerationPreferences *self)
{
  g_return_val_if_fail (LOOM_IS_GENERATION_PREFERENCES (self), NULL);
  return adw_action_row_get_subtitle (self->test_row);
}

gboolean
loom_generation_preferences_get_busy (LoomGenerationPreferences *self)
{
  g_return_val_if_fail (LOOM_IS_GENERATION_PREFERENCES (self), FALSE);
  return self->busy > 0;
}

static void
loom_generation_preferences_dispose (GObject *object)
{
  LoomGenerationPreferences *self = (LoomGenerationPreferences *) object;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), LOOM_TYPE_GENERATION_PREFERENCES);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (loom_generation_preferences_parent_class)->dispose (object);
}

static void
loom_generation_preferences_finalize (GObject *object)
{
  LoomGenerationPreferences *self = (LoomGenerationPreferences *) object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->model_names);
  g_clear_pointer (&self->model_ids, g_ptr_array_unref);

  G_OBJECT_CLASS (loom_generation_preferences_parent_class)->finalize (object);
}

static void
loom_generation_preferences_class_init (LoomGenerationPreferencesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = loom_generation_preferences_dispose;
  object_class->finalize = loom_generation_preferences_finalize;

  g_type_ensure (LOOM_TYPE_SPENDING_GROUP);
  g_type_ensure (LOOM_TYPE_CONTEXT_BUDGET_GROUP);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/storyloom/Storyloom/generation/"
                                               "loom-generation-preferences.ui");
  gtk_widget_class_bind_template_child (widget_class, LoomGenerationPreferences, environment_row);
  gtk_widget_class_bind_template_child (widget_class, LoomGenerationPreferences, api_base_row);
  gtk_widget_class_bind_template_child (widget_class, LoomGenerationPreferences, key_row);
  gtk_widget_class_bind_template_child (widget_class, LoomGenerationPreferences, key_status_row);
  gtk_widget_class_bind_template_child (widget_class, LoomGenerationPreferences, test_row);
  gtk_widget_class_bind_template_child (widget_class, LoomGenerationPreferences, test_spinner);
  gtk_widget_class_bind_template_child (widget_class, LoomGenerationPreferences, model_combo);
  gtk_widget_class_bind_template_child (widget_class, LoomGenerationPreferences, model_row);
  gtk_widget_class_bind_template_child (widget_class, LoomGenerationPreferences,
                                        temperature_spin);
  gtk_widget_class_bind_template_child (widget_class, LoomGenerationPreferences,
                                        max_tokens_spin);
  gtk_widget_class_bind_template_child (widget_class, LoomGenerationPreferences,
                                        concurrency_spin);
  gtk_widget_class_bind_template_child (widget_class, LoomGenerationPreferences,
                                        parallel_switch);
  gtk_widget_class_bind_template_child (widget_class, LoomGenerationPreferences,
                                        spending_group);
  gtk_widget_class_bind_template_child (widget_class, LoomGenerationPreferences,
                                        summarize_switch);
  gtk_widget_class_bind_template_child (widget_class, LoomGenerationPreferences,
                                        context_budget_group);
  gtk_widget_class_bind_template_callback (widget_class, on_key_apply);

  gtk_widget_class_install_action (widget_class, "gen-prefs.test", NULL, test_action);
  gtk_widget_class_install_action (widget_class, "gen-prefs.clear-key", NULL, clear_key_action);
  gtk_widget_class_install_action (widget_class, "gen-prefs.preset", "s", preset_action);
}

/* STORYLOOM_API_BASE, STORYLOOM_MODEL and OPENROUTER_API_KEY win over what this page sets:
 * the page says so, and the rows they override cannot be edited in vain. */
static void
show_environment (LoomGenerationPreferences *self)
{
  const char *base = g_getenv ("STORYLOOM_API_BASE");
  const char *model = g_getenv ("STORYLOOM_MODEL");
  const char *key = g_getenv (LOOM_API_KEY_ENV);
  g_autoptr(GString) text = g_string_new (NULL);

  if (base != NULL && *base != '\0')
    {
      g_string_append_printf (text, _("STORYLOOM_API_BASE sets the server address to %s."),
                              base);
      gtk_widget_set_sensitive (GTK_WIDGET (self->api_base_row), FALSE);
    }
  if (model != NULL && *model != '\0')
    {
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append_printf (text, _("STORYLOOM_MODEL sets the model to %s."), model);
      gtk_widget_set_sensitive (GTK_WIDGET (self->model_combo), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->model_row), FALSE);
    }
  if (key != NULL && *key != '\0')
    {
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, _("OPENROUTER_API_KEY gives the key for OpenRouter."));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->environment_row), text->len > 0);
  adw_action_row_set_subtitle (self->environment_row, text->str);
}

const char *
loom_generation_preferences_get_environment_text (LoomGenerationPreferences *self)
{
  g_return_val_if_fail (LOOM_IS_GENERATION_PREFERENCES (self), NULL);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->environment_row)))
    return NULL;
  return adw_action_row_get_subtitle (self->environment_row);
}

static void
loom_generation_preferences_init (LoomGenerationPreferences *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The key row's own Show Text and Apply buttons. */
  loom_ui_name_internal_controls (GTK_WIDGET (self->key_row), NULL, NULL);

  self->cancellable = g_cancellable_new ();
  self->model_ids = g_ptr_array_new_with_free_func (g_free);
  self->model_names = gtk_string_list_new (NULL);
  adw_combo_row_set_model (self->model_combo, G_LIST_MODEL (self->model_names));
  g_signal_connect_object (self->model_combo, "notify::selected",
                           G_CALLBACK (on_model_selected), self, G_CONNECT_SWAPPED);

  self->settings = g_settings_new (APP_ID);
  g_settings_bind (self->settings, "api-base", self->api_base_row, "text",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "model", self->model_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "temperature", self->temperature_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "max-tokens", self->max_tokens_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "concurrency", self->concurrency_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "parallel-drafting", self->parallel_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "summarize-after-draft", self->summarize_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_object (self->settings, "changed::model", G_CALLBACK (sync_combo), self,
                           G_CONNECT_SWAPPED);
  /* keys belong to a server: another address has its own, or none */
  g_signal_connect_object (self->settings, "changed::api-base", G_CALLBACK (refresh_key_source),
                           self, G_CONNECT_SWAPPED);
  sync_combo (self);
  show_environment (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "gen-prefs.clear-key", FALSE);
  adw_action_row_set_subtitle (self->key_status_row, _("Looking for the key…"));
  refresh_key_source (self);
}
