/* loom-generation-controller-key.c: the API key: looking it up, and the dialog that leads to Preferences
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-generation-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-api-key.h"
#include "loom-generation-controller-private.h"
#include "loom-generation-preferences.h"

/* Every live controller, so that a key stored in the preferences reaches all windows. */
static GList *controllers;

static void
on_key_looked_up (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(LoomGenerationController) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  LoomApiKeySource key_source = LOOM_API_KEY_SOURCE_NONE;

  key = loom_api_key_lookup_finish (result, &key_source, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    g_debug ("No API key: %s", error->message);

  loom_ai_client_set_api_key (self->client, key);
  self->key_state = KEY_READY;
  _loom_generation_controller_notify (self, PROP_KEY_READY);
  _loom_generation_controller_update_actions (self);
  /* the server is known and may be asked: its prices, for the estimates */
  _loom_generation_controller_refresh_models (self);
}

void
loom_generation_controller_reload_api_key (LoomGenerationController *self)
{
  g_return_if_fail (LOOM_IS_GENERATION_CONTROLLER (self));

  g_cancellable_cancel (self->key_cancellable);
  g_clear_object (&self->key_cancellable);
  self->key_cancellable = g_cancellable_new ();
  self->key_state = KEY_LOOKING;
  _loom_generation_controller_notify (self, PROP_KEY_READY);
  _loom_generation_controller_update_actions (self);
  /* the key of the server the client names; a new address looks again (on_client_notify) */
  loom_api_key_lookup_async (loom_ai_client_get_base_url (self->client), self->key_cancellable,
                             on_key_looked_up, g_object_ref (self));
}

void
loom_generation_controller_reload_api_keys (void)
{
  for (GList *l = controllers; l != NULL; l = l->next)
    loom_generation_controller_reload_api_key (l->data);
}

gboolean
loom_generation_controller_get_key_ready (LoomGenerationController *self)
{
  g_return_val_if_fail (LOOM_IS_GENERATION_CONTROLLER (self), FALSE);
  return self->key_state == KEY_READY;
}

/* Why no request can be sent now, or NULL; *fixable tells whether Preferences is the fix. */
char *
_loom_generation_controller_client_reason (LoomGenerationController *self,
                                           gboolean                 *fixable)
{
  g_autoptr(GError) error = NULL;

  *fixable = FALSE;
  if (loom_ai_client_check (self->client, &error))
    return NULL;
  if (self->key_state == KEY_LOOKING &&
      g_error_matches (error, LOOM_AI_ERROR, LOOM_AI_ERROR_NO_KEY))
    return g_strdup (_("Looking for the API key…"));
  *fixable = TRUE;
  return g_strdup (error->message);
}

static void
show_preferences (LoomGenerationController *self)
{
  LoomGenerationPreferences *page;
  GtkWindow *preferences;

  if (_loom_generation_controller_emit_show_preferences (self))
    return;
  if (self->window != NULL && gtk_window_get_application (self->window) != NULL &&
      gtk_widget_activate_action (GTK_WIDGET (self->window), "app.preferences", NULL))
    return;

  /* No application (the tests): a preferences window with only the AI page. */
  preferences = GTK_WINDOW (adw_preferences_window_new ());
  page = loom_generation_preferences_new ();
  loom_generation_preferences_set_library (page, self->store, self->story);
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (preferences), ADW_PREFERENCES_PAGE (page));
  gtk_window_set_modal (preferences, TRUE);
  gtk_window_set_transient_for (preferences, self->window);
  gtk_window_present (preferences);
}

static void
on_key_dialog_response (AdwMessageDialog         *dialog,
                        const char               *response,
                        LoomGenerationController *self)
{
  if (g_strcmp0 (response, "preferences") == 0)
    show_preferences (self);
}

/**
 * loom_generation_controller_show_key_dialog:
 * @reason: (nullable): the sentence to show; the missing key's by default
 *
 * Tells the writer why nothing can be generated and leads to Preferences.
 *
 * Returns: (transfer none): the dialog
 */
GtkWindow *
loom_generation_controller_show_key_dialog (LoomGenerationController *self,
                                            const char               *reason)
{
  GtkWidget *dialog;

  g_return_val_if_fail (LOOM_IS_GENERATION_CONTROLLER (self), NULL);

  if (self->key_dialog != NULL)
    {
      gtk_window_present (self->key_dialog);
      return self->key_dialog;
    }

  if (reason == NULL)
    reason = _("No API key is set. Add the key in Preferences, or set the OPENROUTER_API_KEY "
               "environment variable.");
  dialog = adw_message_dialog_new (self->window, _("The AI Needs Setting Up"), reason);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "close", _("_Not Now"),
                                    "preferences", _("Open _Preferences"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "preferences",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "preferences");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_key_dialog_response), self, 0);
  g_set_weak_pointer (&self->key_dialog, GTK_WINDOW (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
  return GTK_WINDOW (dialog);
}

void
_loom_generation_controller_key_init (LoomGenerationController *self)
{
  controllers = g_list_prepend (controllers, self);
  loom_generation_controller_reload_api_key (self);
}

void
_loom_generation_controller_key_dispose (LoomGenerationController *self)
{
  controllers = g_list_remove (controllers, self);
  g_cancellable_cancel (self->key_cancellable);
}
