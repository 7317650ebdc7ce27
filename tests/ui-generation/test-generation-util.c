/* test-generation-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-generation-util"

#include "config.h"

#include <adwaita.h>

#include "loom-generation-controller.h"
#include "test-generation-util.h"
#include "test-ui-util.h"

gboolean
test_generation_window_ready (gpointer data)
{
  TestGenerationWindow *w = data;

  return gtk_widget_get_mapped (GTK_WIDGET (w->window)) &&
         loom_generation_controller_get_key_ready (w->window->generation) &&
         loom_sidebar_find_row (w->window->sidebar, G_OBJECT (w->scenes[1])) != NULL;
}

void
test_generation_window_open (TestGenerationWindow *w,
                             const char           *dir_template,
                             guint                 n_deltas,
                             guint                 delay_ms,
                             TestCondition         ready)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(LoomMockResponse) fallback = loom_mock_response_new ();

  w->store = test_library_open (dir_template, &w->dir, &path);
  w->story = loom_store_create_story (w->store, "The Salt Road", "A caravan crosses a dead sea.",
                                      "", &error);
  g_assert_no_error (error);
  w->chapter = loom_store_add_chapter (w->store, w->story, LOOM_POSITION_END, "Departure",
                                       &error);
  g_assert_no_error (error);
  w->scenes[0] = loom_store_add_scene (w->store, w->chapter, LOOM_POSITION_END,
                                       "Mara leaves at dawn.", &error);
  g_assert_no_error (error);
  w->scenes[1] = loom_store_add_scene (w->store, w->chapter, LOOM_POSITION_END,
                                       "The first salt flat.", &error);
  g_assert_no_error (error);

  w->server = loom_mock_server_new (&error);
  g_assert_no_error (error);
  fallback->n_deltas = n_deltas;
  fallback->delay_ms = delay_ms;
  loom_mock_server_set_default (w->server, fallback);
  w->settings = g_settings_new (APP_ID);
  g_settings_set_string (w->settings, "api-base", loom_mock_server_get_base_url (w->server));
  g_settings_set_int64 (w->settings, "last-story", loom_story_get_id (w->story));

  w->window = g_object_ref_sink (loom_window_new (NULL, w->store));
  gtk_window_set_default_size (GTK_WINDOW (w->window), 1100, 720);
  gtk_window_present (GTK_WINDOW (w->window));
  test_spin_until (ready, w, "the window");
}

void
test_generation_window_close (TestGenerationWindow *w)
{
  gtk_window_destroy (GTK_WINDOW (w->window));
  g_clear_object (&w->window);
  g_settings_reset (w->settings, "api-base");
  g_settings_reset (w->settings, "last-story");
  g_clear_object (&w->settings);
  g_clear_object (&w->server);
  loom_store_close (w->store);
  g_clear_object (&w->store);
  test_remove_tree (w->dir);
  g_clear_pointer (&w->dir, g_free);
}

gboolean
test_generation_question_shown (gpointer data)
{
  GtkWindow *dialog = test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);

  return dialog != NULL && gtk_widget_get_mapped (GTK_WIDGET (dialog)) &&
         gtk_widget_get_width (GTK_WIDGET (dialog)) > 0;
}

gboolean
test_generation_no_question (gpointer data)
{
  return test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG) == NULL;
}

void
test_generation_settle (void)
{
  for (guint i = 0; i < 20; i++)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (5000);
    }
}

AdwMessageDialog *
test_generation_wait_question (void)
{
  test_spin_until (test_generation_question_shown, NULL, "the question");
  test_generation_settle ();
  return ADW_MESSAGE_DIALOG (test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
}
