/* loom-application.c: the application, its library, its actions and accelerators
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-application"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-application.h"
#include "loom-ai-client.h"
#include "loom-backup.h"
#include "loom-bench.h"
#include "loom-generation-util.h"
#include "loom-preferences.h"
#include "loom-window.h"

struct _LoomApplication
{
  AdwApplication  parent_instance;

  /* owned */
  char           *db_override;
  gboolean        open_sample;
  LoomStore      *store;
  GError         *open_error;
  GCancellable   *cancellable;     /* the damage check and the search for a backup */
  gboolean        backup_offered;  /* once per library */
};

G_DEFINE_FINAL_TYPE (LoomApplication, loom_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "db", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Open the library at PATH instead of the default one"), N_("PATH") },
  { "sample", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Add the sample story to the library and open it"), NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
  { NULL }
};

/* Storyloom's messages come from LOCALEDIR (the installed one; the tests give the build's), in
 * UTF-8, and GtkBuilder translates the templates and menus from the same domain: they name no
 * domain of their own. */
void
loom_application_bind_translations (const char *localedir)
{
  g_return_if_fail (localedir != NULL);

  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

LoomApplication *
loom_application_new (void)
{
  return g_object_new (LOOM_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "resource-base-path", "/io/github/storyloom/Storyloom",
                       NULL);
}

/**
 * loom_application_get_store:
 *
 * Returns: (transfer none) (nullable): the open library, %NULL when it could not be opened
 */
LoomStore *
loom_application_get_store (LoomApplication *self)
{
  g_return_val_if_fail (LOOM_IS_APPLICATION (self), NULL);
  return self->store;
}

static void
save_all_windows (LoomApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    {
      if (LOOM_IS_WINDOW (l->data))
        loom_window_save (LOOM_WINDOW (l->data));
    }
}

static gint
loom_application_handle_local_options (GApplication *app,
                                       GVariantDict *options)
{
  LoomApplication *self = LOOM_APPLICATION (app);
  const char *db = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("storyloom %s\n", PACKAGE_VERSION);
      return 0;
    }

  g_variant_dict_lookup (options, "db", "^&ay", &db);
  self->open_sample = g_variant_dict_contains (options, "sample");
  g_free (self->db_override);
  self->db_override = g_strdup (db);

  /* Another library than the default one is another instance: never hand it over to a
   * running Storyloom that has its own library open. */
  if (db != NULL || g_getenv ("STORYLOOM_DB") != NULL)
    g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);

  return -1;
}

static void
backup_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *backup = NULL;

  /* A failed backup must not stand between the writer and the story; it is tried again at
   * the next start. */
  if (!loom_backup_run_if_due_finish (result, &backup, &error))
    g_message ("The daily backup of the library failed: %s", error->message);
  else if (backup != NULL)
    g_debug ("Backed up the library to %s", backup);
}

/* ---------------------------------------------------------------------------------------- */
/* A damaged library (issue 10)                                                             */

static void present_window (LoomApplication *self);

static void
show_message (LoomApplication *self,
              const char      *heading,
              const char      *body)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget *dialog = adw_message_dialog_new (parent, heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Every window goes with the damaged store; the backup takes its place and a new window opens
 * on it. Nothing is saved first: the damaged file must not be written to. */
static void
restore_backup (LoomApplication *self,
                const char      *backup)
{
  g_autofree char *path = loom_store_resolve_path (self->db_override);
  g_autofree char *damaged = NULL;
  g_autoptr(GList) windows = NULL;
  g_autoptr(GError) error = NULL;

  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  /* Destroying the last window would quit before the new one opens. */
  g_application_hold (G_APPLICATION (self));
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_destroy (GTK_WINDOW (l->data));
  if (self->store != NULL)
    loom_store_close (self->store);
  g_clear_object (&self->store);
  g_clear_error (&self->open_error);
  self->backup_offered = FALSE;

  if (!loom_backup_restore (path, backup, &damaged, &error))
    self->open_error = g_steal_pointer (&error);
  else
    g_message ("Restored %s from %s; the damaged library was kept as %s", path, backup,
               damaged);
  self->open_sample = FALSE;
  present_window (self);
  g_application_release (G_APPLICATION (self));
}

static gboolean
restore_when_idle (gpointer user_data)
{
  LoomApplication *self = LOOM_APPLICATION (g_application_get_default ());
  g_autofree char *backup = user_data;

  if (self != NULL)
    restore_backup (self, backup);
  return G_SOURCE_REMOVE;
}

static void
on_backup_response (AdwMessageDialog *dialog,
                    const char       *response,
                    gpointer          user_data)
{
  const char *backup = g_object_get_data (G_OBJECT (dialog), "backup");

  /* Once the dialog has finished answering: restoring destroys every window, this one too. */
  if (g_str_equal (response, "restore") && backup != NULL)
    g_idle_add (restore_when_idle, g_strdup (backup));
}

static void
found_backup (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  LoomApplication *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *backup = loom_backup_find_intact_finish (result, &error);
  g_autofree char *path = loom_store_resolve_path (self->db_override);
  g_autofree char *name = g_path_get_basename (path);
  g_autofree char *body = NULL;
  GtkWindow *parent;
  AdwMessageDialog *dialog;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (backup == NULL)
    {
      g_autofree char *folder = loom_backup_get_folder (path);

      body = g_strdup_printf (_("Storyloom found damage in “%s” and stopped writing to it. "
                                "There is no intact backup in “%s”. Copy out the text you "
                                "can still see; the file is left as it is."), name, folder);
      show_message (self, _("The Library Is Damaged"), body);
      return;
    }

  {
    g_autofree char *backup_name = g_path_get_basename (backup);

    body = g_strdup_printf (_("Storyloom found damage in “%s” and stopped writing to it. The "
                              "backup “%s” is intact: open it instead? The damaged file is "
                              "kept beside it under another name, and changes made since the "
                              "backup are only in the damaged file."), name, backup_name);
  }
  parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  dialog = loom_ui_question_new (parent, _("The Library Is Damaged"), body,
                                 self->store != NULL ? _("_Keep Reading") : _("_Not Now"),
                                 "restore", _("_Open Backup"), ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "restore");
  g_object_set_data_full (G_OBJECT (dialog), "backup", g_steal_pointer (&backup), g_free);
  g_signal_connect (dialog, "response", G_CALLBACK (on_backup_response), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Damage found at open, by the check in a thread or by any read later: the newest intact
 * backup is looked for (that reads whole files, so in a thread) and offered. */
static void
offer_backup (LoomApplication *self)
{
  g_autofree char *path = loom_store_resolve_path (self->db_override);

  if (self->backup_offered)
    return;
  self->backup_offered = TRUE;
  loom_backup_find_intact_async (path, self->cancellable, found_backup, self);
}

static void
on_store_damaged (LoomApplication *self)
{
  if (self->store != NULL && loom_store_is_damaged (self->store))
    offer_backup (self);
}

static void
integrity_checked (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (loom_store_check_integrity_finish (LOOM_STORE (source), result, &error))
    loom_backup_run_if_due_async (loom_store_get_path (LOOM_STORE (source)), NULL, backup_done,
                                  NULL);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
           !g_error_matches (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_DAMAGED))
    g_message ("Could not check the library for damage: %s", error->message);
  /* Damage is reported through notify::damaged. */
}

static void
open_library (LoomApplication *self)
{
  g_autofree char *path = NULL;

  if (self->store != NULL || self->open_error != NULL)
    return;

  path = loom_store_resolve_path (self->db_override);
  self->store = loom_store_open_full (path, LOOM_STORE_OPEN_CHECK_LATER |
                                             LOOM_STORE_OPEN_SYNC_IN_THREAD,
                                      &self->open_error);
  if (self->store == NULL)
    {
      g_message ("Could not open the library %s: %s", path, self->open_error->message);
      return;
    }

  g_signal_connect_object (self->store, "notify::damaged", G_CALLBACK (on_store_damaged), self,
                           G_CONNECT_SWAPPED);
  /* A backup only of a library known to be whole: a copy of a damaged one could push the
   * last good backup out. */
  loom_store_check_integrity_async (self->store, self->cancellable, integrity_checked, NULL);
}

static void
present_window (LoomApplication *self)
{
  GtkWindow *window;

  open_library (self);
  window = GTK_WINDOW (loom_window_new (GTK_APPLICATION (self), self->store));
  if (loom_bench_enabled ())
    loom_bench_attach (LOOM_WINDOW (window));
  gtk_window_present (window);
  if (self->open_error != NULL)
    loom_window_show_open_error (LOOM_WINDOW (window), self->open_error);
  else if (self->open_sample)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.open-sample", NULL);

  if (g_error_matches (self->open_error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_DAMAGED))
    offer_backup (self);
}

static void
loom_application_activate (GApplication *app)
{
  LoomApplication *self = LOOM_APPLICATION (app);
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window == NULL)
    {
      present_window (self);
      return;
    }

  gtk_window_present (window);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  LoomApplication *self = user_data;
  g_autoptr(GList) windows = NULL;

  save_all_windows (self);
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_destroy (GTK_WINDOW (l->data));
  g_application_quit (G_APPLICATION (self));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  LoomApplication *self = user_data;
  static const char *developers[] = { DEVELOPER_NAME, NULL };
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GdkDisplay *display = parent ? gtk_widget_get_display (GTK_WIDGET (parent))
                                : gdk_display_get_default ();
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (display);
  GtkWidget *about;

  /* Uninstalled, the application icon is not in the theme yet. */
  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "application-name", _("Storyloom"),
                        "application-icon", gtk_icon_theme_has_icon (theme, APP_ID)
                                              ? APP_ID : "document-edit-symbolic",
                        "developer-name", DEVELOPER_NAME,
                        "developers", developers,
                        "version", PACKAGE_VERSION,
                        "website", PACKAGE_URL,
                        "issue-url", PACKAGE_BUGREPORT,
                        "copyright", "© 2026 " DEVELOPER_NAME,
                        "comments", _("Plan a story as chapters and scenes, describe its characters, "
                                      "and let an AI co-writer draft the prose you then edit."),
                        /* GPL-3.0-or-later, as COPYING and the SPDX headers say */
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "translator-credits", _("translator-credits"),
                        NULL);
  /* libadwaita 1.2 has the debugging information's view first, then the release notes'. */
  loom_ui_name_internal_controls (about, NULL,
                                  (const char *const[]) { _("Debugging Information"),
                                                          _("Release Notes"), NULL });
  gtk_window_present (GTK_WINDOW (about));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  LoomApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWindow *preferences = GTK_WINDOW (loom_preferences_new ());

  loom_preferences_set_library (LOOM_PREFERENCES (preferences), self->store,
                                LOOM_IS_WINDOW (parent) ? loom_window_get_story (LOOM_WINDOW (parent))
                                                        : NULL);
  gtk_window_set_transient_for (preferences, parent);
  gtk_window_present (preferences);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "about", about_action },
  { "preferences", preferences_action },
};

static const struct {
  const char *action;
  const char *accels[3];
} accels[] = {
  { "app.quit", { "<Control>q", NULL } },
  { "app.preferences", { "<Control>comma", NULL } },
  { "window.close", { "<Control>w", NULL } },
  { "win.new-story", { "<Control>n", NULL } },
  { "win.save", { "<Control>s", NULL } },
  { "win.show-characters", { "F9", NULL } },
  /* Ctrl+Return is Generate (paid) and nothing else, wherever the focus is: adding is N. */
  { "win.add-scene", { "<Control><Shift>n", NULL } },
  { "win.add-chapter", { "<Control><Shift>m", NULL } },
  { "win.add-character", { "<Control><Shift>c", NULL } },
  { "win.move-up", { "<Alt>Up", NULL } },
  { "win.move-down", { "<Alt>Down", NULL } },
  { "win.rename", { "F2", NULL } },
  { "win.story-details", { "<Control>e", NULL } },
  { "win.show-statistics", { "<Control><Shift>s", NULL } },
  { "win.search", { "<Control><Shift>f", NULL } },
  { "win.focus-mode", { "F11", NULL } },
  { "win.show-story-menu", { "F4", NULL } },
};

static void
loom_application_startup (GApplication *app)
{
  LoomApplication *self = LOOM_APPLICATION (app);

  G_APPLICATION_CLASS (loom_application_parent_class)->startup (app);

  g_set_application_name (_("Storyloom"));
  gtk_window_set_default_icon_name (APP_ID);
  loom_ai_client_warm_up ();

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action,
                                           accels[i].accels);
}

static void
loom_application_shutdown (GApplication *app)
{
  LoomApplication *self = LOOM_APPLICATION (app);

  save_all_windows (self);
  g_cancellable_cancel (self->cancellable);

  G_APPLICATION_CLASS (loom_application_parent_class)->shutdown (app);

  if (self->store != NULL)
    loom_store_close (self->store);
}

static void
loom_application_finalize (GObject *object)
{
  LoomApplication *self = (LoomApplication *) object;

  g_clear_pointer (&self->db_override, g_free);
  g_clear_error (&self->open_error);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (loom_application_parent_class)->finalize (object);
}

static void
loom_application_class_init (LoomApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = loom_application_finalize;

  app_class->handle_local_options = loom_application_handle_local_options;
  app_class->startup = loom_application_startup;
  app_class->activate = loom_application_activate;
  app_class->shutdown = loom_application_shutdown;
}

static void
loom_application_init (LoomApplication *self)
{
  self->cancellable = g_cancellable_new ();
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), NULL);
}
