/* loom-application.c: the application, its library, its actions and accelerators
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-application"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-application.h"
#include "loom-backup.h"
#include "loom-bench.h"
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

static void
open_library (LoomApplication *self)
{
  g_autofree char *path = NULL;

  if (self->store != NULL || self->open_error != NULL)
    return;

  path = loom_store_resolve_path (self->db_override);
  self->store = loom_store_open (path, &self->open_error);
  if (self->store == NULL)
    g_message ("Could not open the library %s: %s", path, self->open_error->message);
  else
    loom_backup_run_if_due_async (path, NULL, backup_done, NULL);
}

static void
loom_application_activate (GApplication *app)
{
  LoomApplication *self = LOOM_APPLICATION (app);
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window == NULL)
    {
      open_library (self);
      window = GTK_WINDOW (loom_window_new (GTK_APPLICATION (self), self->store));
      if (loom_bench_enabled ())
        loom_bench_attach (LOOM_WINDOW (window));
      gtk_window_present (window);
      if (self->open_error != NULL)
        loom_window_show_open_error (LOOM_WINDOW (window), self->open_error);
      else if (self->open_sample)
        gtk_widget_activate_action (GTK_WIDGET (window), "win.open-sample", NULL);
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
  { "win.show-story-menu", { "F4", NULL } },
};

static void
loom_application_startup (GApplication *app)
{
  LoomApplication *self = LOOM_APPLICATION (app);

  G_APPLICATION_CLASS (loom_application_parent_class)->startup (app);

  g_set_application_name (_("Storyloom"));
  gtk_window_set_default_icon_name (APP_ID);

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
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), NULL);
}
