/* test-generation-window.c: generation wired into the writing window
 *
 * The window's Generate menu, the row menu and the editor name the controller's gen.* actions;
 * a scene generated from the window shows in the editor, the sidebar marks a stale scene.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "loom-chapter.h"
#include "loom-generation-bar.h"
#include "loom-generation-controller.h"
#include "loom-mock-server.h"
#include "loom-scene.h"
#include "loom-store.h"
#include "loom-story.h"
#include "loom-window-private.h"
#include "test-util.h"
#include "test-ui-util.h"

#define TIMEOUT_SECONDS 30
#define TEST_KEY "sk-or-test-wired"

typedef struct
{
  char           *dir;
  LoomStore      *store;
  LoomStory      *story;
  LoomChapter    *chapter;
  LoomScene      *scenes[2];
  LoomMockServer *server;
  GSettings      *settings;
  LoomWindow     *window;
} Fixture;

typedef gboolean (*Condition) (Fixture *f);

static void
spin_until (Fixture    *f,
            Condition   condition,
            const char *what)
{
  gint64 deadline = g_get_monotonic_time () + TIMEOUT_SECONDS * G_USEC_PER_SEC;

  while (!condition (f))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for %s", what);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
}

static LoomGenerationController *
controller (Fixture *f)
{
  return f->window->generation;
}

static gboolean
ready (Fixture *f)
{
  return gtk_widget_get_mapped (GTK_WIDGET (f->window)) &&
         loom_generation_controller_get_key_ready (controller (f)) &&
         loom_sidebar_find_row (f->window->sidebar, G_OBJECT (f->scenes[1])) != NULL;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(LoomMockResponse) fallback = loom_mock_response_new ();

  f->dir = g_dir_make_tmp ("storyloom-gen-window-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "library.db", NULL);
  f->store = loom_store_open (path, &error);
  g_assert_no_error (error);
  f->story = loom_store_create_story (f->store, "The Salt Road", "A caravan crosses a dead sea.",
                                      "", &error);
  g_assert_no_error (error);
  f->chapter = loom_store_add_chapter (f->store, f->story, LOOM_POSITION_END, "Departure",
                                       &error);
  g_assert_no_error (error);
  f->scenes[0] = loom_store_add_scene (f->store, f->chapter, LOOM_POSITION_END,
                                       "Mara leaves at dawn.", &error);
  g_assert_no_error (error);
  f->scenes[1] = loom_store_add_scene (f->store, f->chapter, LOOM_POSITION_END,
                                       "The first salt flat.", &error);
  g_assert_no_error (error);

  f->server = loom_mock_server_new (&error);
  g_assert_no_error (error);
  fallback->n_deltas = 30;
  fallback->delay_ms = 5;
  loom_mock_server_set_default (f->server, fallback);
  f->settings = g_settings_new (APP_ID);
  g_settings_set_string (f->settings, "api-base", loom_mock_server_get_base_url (f->server));
  g_settings_set_int64 (f->settings, "last-story", loom_story_get_id (f->story));

  f->window = g_object_ref_sink (loom_window_new (NULL, f->store));
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1100, 720);
  gtk_window_present (GTK_WINDOW (f->window));
  spin_until (f, ready, "the window");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->window);
  g_settings_reset (f->settings, "api-base");
  g_settings_reset (f->settings, "last-story");
  g_clear_object (&f->settings);
  g_clear_object (&f->server);
  loom_store_close (f->store);
  g_clear_object (&f->store);
  test_remove_tree (f->dir);
  g_free (f->dir);
}

static gboolean
menu_names (GMenuModel *menu,
            const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *name = NULL;
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      if (section != NULL && menu_names (section, action))
        return TRUE;
      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &name) &&
          g_str_equal (name, action))
        return TRUE;
    }
  return FALSE;
}

static gboolean
first_complete (Fixture *f)
{
  return loom_scene_get_status (f->scenes[0]) == LOOM_SCENE_STATUS_COMPLETE;
}

static GtkWidget *
find_icon (GtkWidget  *widget,
           const char *icon_name)
{
  if (GTK_IS_IMAGE (widget) && gtk_widget_get_visible (widget) &&
      g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (widget)), icon_name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_icon (child, icon_name);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
first_row_stale (Fixture *f)
{
  LoomSidebarRow *row = loom_sidebar_find_row (f->window->sidebar, G_OBJECT (f->scenes[0]));

  return row != NULL && find_icon (GTK_WIDGET (row), "dialog-warning-symbolic") != NULL;
}

static void
test_wired (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  g_autofree char *shown = NULL;
  GtkWidget *mark;

  /* The header's Generate menu is the controller's. */
  g_assert_true (gtk_menu_button_get_menu_model (f->window->generate_button) ==
                 loom_generation_controller_get_menu (controller (f)));
  g_assert_true (menu_names (loom_generation_controller_get_menu (controller (f)),
                             "gen.generate-chapter"));
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (f->window->generation_bar)));

  /* Selecting in the sidebar selects for the controller. */
  loom_sidebar_select_item (f->window->sidebar, G_OBJECT (f->scenes[0]));
  g_assert_true (loom_generation_controller_get_item (controller (f)) == G_OBJECT (f->scenes[0]));
  g_assert_true (loom_generation_controller_get_story (controller (f)) == f->story);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "gen.generate-scene", NULL));
  spin_until (f, first_complete, "the scene to complete");
  buffer = loom_scene_editor_get_prose_buffer (f->window->editor);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  shown = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_assert_cmpstr (shown, ==, loom_scene_get_prose (f->scenes[0]));
  g_assert_nonnull (strstr (loom_generation_bar_get_cost_text (f->window->generation_bar),
                            "tokens"));

  /* The sidebar marks the scene when its outline changes. */
  loom_scene_set_outline (f->scenes[0], "Mara leaves at night instead.", &error);
  g_assert_no_error (error);
  spin_until (f, first_row_stale, "the sidebar's staleness mark");
  mark = find_icon (GTK_WIDGET (loom_sidebar_find_row (f->window->sidebar,
                                                       G_OBJECT (f->scenes[0]))),
                    "dialog-warning-symbolic");
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (mark), "outline"));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("OPENROUTER_API_KEY", TEST_KEY, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  if (!test_ui_init (&argc, &argv, "/generation-window"))
    return g_test_run ();

  g_test_add ("/generation-window/wired", Fixture, NULL, fixture_set_up, test_wired,
              fixture_tear_down);

  return g_test_run ();
}
