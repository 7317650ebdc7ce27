/* test-generation-keyless.c: a key typed in Preferences with no keyring running (issue 13)
 *
 * The application's real window and accelerators, the session bus pointing nowhere (so no
 * secret service can answer), and a mock server that answers only with the right key. The key
 * is typed with xdotool into Preferences, opened with Ctrl+comma; the window generates with it;
 * the next program (storyloom-cli, a process of its own, as the next start is) does not have it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-generation-keyless"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "loom-api-key.h"
#include "loom-application.h"
#include "loom-chapter.h"
#include "loom-generation-controller.h"
#include "loom-generation-preferences.h"
#include "loom-mock-server.h"
#include "loom-preferences.h"
#include "loom-scene.h"
#include "loom-store.h"
#include "loom-story.h"
#include "loom-window-private.h"
#include "test-util.h"
#include "test-ui-util.h"

#define TYPED_KEY "sk-or-typed-by-hand-4711"

typedef struct
{
  char            *dir;
  char            *path;
  LoomApplication *app;
  LoomStore       *store;
  LoomScene       *scenes[2];
  LoomMockServer  *server;
  GSettings       *settings;
  LoomWindow      *window;
} Fixture;

static gboolean
ready (gpointer data)
{
  Fixture *f = data;

  return gtk_widget_get_mapped (GTK_WIDGET (f->window)) &&
         loom_generation_controller_get_key_ready (f->window->generation) &&
         loom_sidebar_find_row (f->window->sidebar, G_OBJECT (f->scenes[1])) != NULL &&
         f->window->focus_source == 0;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomMockResponse) answer = loom_mock_response_new ();
  LoomStory *story;
  LoomChapter *chapter;

  f->store = test_library_open ("storyloom-keyless-XXXXXX", &f->dir, &f->path);
  story = loom_store_create_story (f->store, "The Salt Road", "A caravan crosses a dead sea.",
                                   "", &error);
  chapter = loom_store_add_chapter (f->store, story, LOOM_POSITION_END, "Departure", &error);
  f->scenes[0] = loom_store_add_scene (f->store, chapter, LOOM_POSITION_END,
                                       "Mara leaves at dawn.", &error);
  f->scenes[1] = loom_store_add_scene (f->store, chapter, LOOM_POSITION_END,
                                       "The first salt flat.", &error);
  g_assert_no_error (error);

  /* The server answers only with the key the writer will type. */
  f->server = loom_mock_server_new (&error);
  g_assert_no_error (error);
  answer->n_deltas = 12;
  answer->delay_ms = 2;
  loom_mock_server_set_default (f->server, answer);
  loom_mock_server_set_api_key (f->server, TYPED_KEY);

  f->settings = g_settings_new (APP_ID);
  g_settings_set_string (f->settings, "api-base", loom_mock_server_get_base_url (f->server));
  g_settings_set_int64 (f->settings, "last-story", loom_story_get_id (story));

  /* The writer's keys are the application's accelerators: Ctrl+comma is app.preferences. */
  f->app = loom_application_new ();
  g_application_set_flags (G_APPLICATION (f->app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (f->app), NULL, &error);
  g_assert_no_error (error);
  f->window = g_object_ref_sink (loom_window_new (GTK_APPLICATION (f->app), f->store));
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1100, 720);
  gtk_window_present (GTK_WINDOW (f->window));
  test_spin_until (ready, f, "the window");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->window);
  g_clear_object (&f->app);
  g_settings_reset (f->settings, "api-base");
  g_settings_reset (f->settings, "last-story");
  g_clear_object (&f->settings);
  g_clear_object (&f->server);
  loom_store_close (f->store);
  g_clear_object (&f->store);
  test_remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

/* ------------------------------------------------------------------------------------------ */

static GtkWidget *
find_of_type (GtkWidget *root,
              GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_of_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
preferences_ready (gpointer data)
{
  GtkWindow *window = test_ui_find_toplevel (LOOM_TYPE_PREFERENCES);
  GtkWidget *page;

  if (window == NULL || !gtk_widget_get_mapped (GTK_WIDGET (window)))
    return FALSE;
  page = find_of_type (GTK_WIDGET (window), LOOM_TYPE_GENERATION_PREFERENCES);
  return page != NULL && gtk_widget_get_mapped (page) &&
         !loom_generation_preferences_get_busy (LOOM_GENERATION_PREFERENCES (page));
}

static gboolean
preferences_gone (gpointer data)
{
  return test_ui_find_toplevel (LOOM_TYPE_PREFERENCES) == NULL;
}

static gboolean
key_row_focused (gpointer data)
{
  GtkWidget *row = data;
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (row));

  return focus != NULL && gtk_widget_is_ancestor (focus, row);
}

static gboolean
status_says_session (gpointer data)
{
  LoomGenerationPreferences *page = data;

  return !loom_generation_preferences_get_busy (page) &&
         g_strcmp0 (loom_generation_preferences_get_key_status (page),
                    "Used until Storyloom closes: no keyring is running to remember it") == 0;
}

static gboolean
controller_has_key (gpointer data)
{
  Fixture *f = data;

  return loom_generation_controller_get_key_ready (f->window->generation) &&
         loom_ai_client_get_has_api_key (loom_generation_controller_get_client (f->window->generation));
}

static gboolean
view_focused (gpointer data)
{
  Fixture *f = data;
  GtkWidget *view = GTK_WIDGET (loom_scene_editor_get_prose_view (f->window->editor));

  return gtk_root_get_focus (GTK_ROOT (f->window)) == view;
}

static gboolean
first_complete (gpointer data)
{
  Fixture *f = data;

  return loom_scene_get_status (f->scenes[0]) == LOOM_SCENE_STATUS_COMPLETE;
}

static void
on_cli_done (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  *(gboolean *) data = TRUE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

/* Generates SCENE with storyloom-cli, a program of its own, against the mock; returns its
 * stderr. The window's main loop runs meanwhile. */
static char *
generate_with_cli (Fixture   *f,
                   LoomScene *scene,
                   int       *status)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, loom_scene_get_id (scene));
  g_autofree char *err = NULL;
  GInputStream *stream;
  gboolean done = FALSE;
  gsize length;
  char buffer[4096];

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("STORYLOOM_CLI"),
                                         "--db", f->path,
                                         "--api-base", loom_mock_server_get_base_url (f->server),
                                         "generate", "--scene", id, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_async (process, NULL, on_cli_done, &done);
  test_spin_until (flag_set, &done, "storyloom-cli");
  stream = g_subprocess_get_stderr_pipe (process);
  g_input_stream_read_all (stream, buffer, sizeof buffer - 1, &length, NULL, &error);
  g_assert_no_error (error);
  buffer[length] = '\0';
  *status = g_subprocess_get_exit_status (process);
  return g_strdup (buffer);
}

static gboolean
file_holds (const char *path,
            const char *text)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  gsize n = strlen (text);

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;
  /* the file holds NUL bytes: no string search */
  for (gsize i = 0; i + n <= length; i++)
    {
      if (memcmp (contents + i, text, n) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
test_key_without_keyring (Fixture       *f,
                          gconstpointer  data)
{
  LoomGenerationPreferences *page;
  GtkWindow *preferences;
  GtkWidget *key_row;
  GPtrArray *requests;
  LoomMockRequest *request;
  g_autofree char *cli_error = NULL;
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  int status = 0;

  g_assert_false (loom_ai_client_get_has_api_key (
                    loom_generation_controller_get_client (f->window->generation)));

  /* Ctrl+comma, from the sidebar */
  gtk_widget_grab_focus (GTK_WIDGET (f->window->sidebar));
  if (!test_ui_press (GTK_WINDOW (f->window), "ctrl+comma"))
    return;
  test_spin_until (preferences_ready, NULL, "Preferences");
  preferences = test_ui_find_toplevel (LOOM_TYPE_PREFERENCES);
  page = LOOM_GENERATION_PREFERENCES (find_of_type (GTK_WIDGET (preferences),
                                                    LOOM_TYPE_GENERATION_PREFERENCES));
  key_row = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (page),
                                                      LOOM_TYPE_GENERATION_PREFERENCES,
                                                      "key_row"));

  /* the keyboard in the key row, as Tab or a click there puts it; the key is typed, and Enter */
  gtk_widget_grab_focus (key_row);
  test_spin_until (key_row_focused, key_row, "the keyboard in the key row");
  test_ui_type (preferences, TYPED_KEY);
  test_ui_press (preferences, "Return");
  test_spin_until (status_says_session, page, "the line saying the key will not be remembered");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (key_row)), ==, "");
  test_spin_until (controller_has_key, f, "the window's generation to have the key");
  test_ui_press (preferences, "Escape");
  test_spin_until (preferences_gone, NULL, "Preferences to close");

  /* the window generates with it: the server answers only that key */
  loom_sidebar_select_item (f->window->sidebar, G_OBJECT (f->scenes[0]));
  gtk_widget_grab_focus (GTK_WIDGET (loom_scene_editor_get_prose_view (f->window->editor)));
  test_spin_until (view_focused, f, "the keyboard in the prose");
  test_ui_press (GTK_WINDOW (f->window), "ctrl+Return");
  test_spin_until (first_complete, f, "the generation with the typed key");
  requests = loom_mock_server_get_requests (f->server);
  request = g_ptr_array_index (requests, requests->len - 1);
  g_assert_cmpstr (request->authorization, ==, "Bearer " TYPED_KEY);

  /* The next program does not have it: nothing remembered it, not the library either. */
  cli_error = generate_with_cli (f, f->scenes[1], &status);
  g_assert_cmpint (status, ==, 1);
  requests = loom_mock_server_get_requests (f->server);
  request = g_ptr_array_index (requests, requests->len - 1);
  g_assert_null (request->authorization);
  g_assert_cmpint (loom_scene_get_status (f->scenes[0]), ==, LOOM_SCENE_STATUS_COMPLETE);
  g_assert_false (file_holds (f->path, TYPED_KEY));
  g_assert_false (file_holds (wal, TYPED_KEY));
  g_test_message ("storyloom-cli without the key: %s", cli_error);
}

/* With the bus pointing nowhere GtkApplication warns that it has no session bus, which is
 * what this test wants: only that warning is let through unlogged (G_DEBUG=fatal-warnings
 * would abort on it); everything else goes to GLib's default writer. */
static GLogWriterOutput
log_writer (GLogLevelFlags   level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         data)
{
  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0 &&
          strstr (fields[i].value, "Unable to acquire session bus") != NULL)
        return G_LOG_WRITER_HANDLED;
    }
  return g_log_writer_default (level, fields, n_fields, data);
}

int
main (int    argc,
      char **argv)
{
  g_log_set_writer_func (log_writer, NULL, NULL);
  /* No secret service can answer; no key comes from the environment. */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/storyloom-test-bus", TRUE);
  g_unsetenv ("OPENROUTER_API_KEY");
  g_unsetenv ("STORYLOOM_API_BASE");
  g_unsetenv ("STORYLOOM_MODEL");
  /* GTK's accessibility finds its bus through the session bus too; without one it raced into
   * a critical now and then. This test needs no screen reader. */
  g_setenv ("GTK_A11Y", "none", TRUE);
  if (!test_ui_init (&argc, &argv, "/generation-keyless"))
    return g_test_run ();
  loom_api_key_set_keyring_timeout (2000);

  g_test_add ("/generation-keyless/key-without-keyring", Fixture, NULL, fixture_set_up,
              test_key_without_keyring, fixture_tear_down);
  return g_test_run ();
}
