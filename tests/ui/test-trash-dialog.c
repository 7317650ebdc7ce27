/* test-trash-dialog.c: deleting a chapter says what goes with it; the Trash dialog, after a
 * restart, puts things back and empties only when asked. Keys and clicks are real (xdotool).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-trash-dialog"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "loom-chapter.h"
#include "loom-character.h"
#include "loom-deletion.h"
#include "loom-scene.h"
#include "loom-store.h"
#include "loom-story.h"
#include "loom-trash-dialog.h"
#include "loom-window-private.h"
#include "test-ui-util.h"
#include "test-util.h"

typedef struct
{
  char       *dir;
  char       *path;
  LoomStore  *store;
  LoomWindow *window;
} Fixture;

static void
open_window (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  f->store = loom_store_open (f->path, &error);
  g_assert_no_error (error);
  f->window = g_object_ref_sink (loom_window_new (NULL, f->store));
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1000, 700);
  gtk_window_present (GTK_WINDOW (f->window));
  test_spin_until (test_ui_allocated, f->window, "the window to map");
}

static void
close_window (Fixture *f)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->window);
  loom_store_close (f->store);
  g_clear_object (&f->store);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LoomStory *story;
  LoomChapter *departure;
  LoomChapter *arrival;

  f->store = test_library_open ("storyloom-trash-ui-XXXXXX", &f->dir, &f->path);
  story = loom_store_create_story (f->store, "Coast Road", "A walk.", "", &error);
  departure = loom_store_add_chapter (f->store, story, LOOM_POSITION_END, "Departure", &error);
  arrival = loom_store_add_chapter (f->store, story, LOOM_POSITION_END, "Arrival", &error);
  loom_scene_set_prose (loom_store_add_scene (f->store, departure, LOOM_POSITION_END,
                                              "The ferry leaves.", &error),
                        "The horn sounded twice.", &error);
  loom_store_add_scene (f->store, departure, LOOM_POSITION_END, "The coast road.", &error);
  loom_store_add_scene (f->store, arrival, LOOM_POSITION_END, "Morning.", &error);
  loom_store_add_character (f->store, story, "Mara", "stubborn", NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&f->store);
  open_window (f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->window != NULL)
    close_window (f);
  test_remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static gboolean
widget_ready (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 0 &&
         gtk_widget_is_sensitive (data);
}

/* A real click in the middle of @widget, once it can take one; FALSE (the test skipped)
 * without X11 or xdotool. */
static gboolean
click (GtkWidget *widget)
{
  g_assert_nonnull (widget);
  test_spin_until (widget_ready, widget, "a widget to click");
  return test_ui_click (widget);
}

static gboolean
message_dialog_shown (gpointer data)
{
  GtkWindow *dialog = test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  return dialog != NULL && test_ui_allocated (dialog);
}

static gboolean
trash_dialog_shown (gpointer data)
{
  GtkWindow *dialog = test_ui_find_toplevel (LOOM_TYPE_TRASH_DIALOG);
  return dialog != NULL && test_ui_allocated (dialog);
}

static gboolean
no_message_dialog (gpointer data)
{
  return test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG) == NULL;
}

static gboolean
n_chapters_is (gpointer data)
{
  Fixture *f = ((gpointer *) data)[0];
  guint n = GPOINTER_TO_UINT (((gpointer *) data)[1]);
  LoomStory *story = loom_window_get_story (f->window);

  return g_list_model_get_n_items (loom_story_get_chapters (story)) == n;
}

static void
wait_chapters (Fixture *f,
               guint    n)
{
  gpointer data[] = { f, GUINT_TO_POINTER (n) };
  test_spin_until (n_chapters_is, data, "the chapters to change");
}

static guint
trash_size (LoomStore *store)
{
  g_autoptr(GListModel) trash = loom_store_list_trash (store, NULL);
  return g_list_model_get_n_items (trash);
}

static gboolean
trash_is_empty (gpointer data)
{
  return trash_size (data) == 0;
}

static void
test_delete_chapter_and_restore (Fixture       *f,
                                 gconstpointer  data)
{
  LoomSidebar *sidebar = _loom_window_get_sidebar (f->window);
  LoomStory *story = loom_window_get_story (f->window);
  g_autoptr(LoomChapter) departure = g_list_model_get_item (loom_story_get_chapters (story), 0);
  AdwMessageDialog *question;
  LoomTrashDialog *trash;
  GListModel *chapters;

  /* Delete on a chapter holding scenes asks first, saying what goes with it. */
  loom_sidebar_select_item (sidebar, G_OBJECT (departure));
  test_spin_until (widget_ready, sidebar, "the sidebar");
  gtk_widget_grab_focus (GTK_WIDGET (sidebar));
  if (!test_ui_press (GTK_WINDOW (f->window), "Delete"))
    return;
  test_spin_until (message_dialog_shown, NULL, "the question before deleting the chapter");
  question = ADW_MESSAGE_DIALOG (test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_cmpstr (adw_message_dialog_get_heading (question), ==, "Delete Chapter “Departure”?");
  g_assert_cmpstr (adw_message_dialog_get_body (question), ==,
                   "Its 2 scenes (4 words) go with it to the Trash, where they can be restored "
                   "for 30 days.");
  g_assert_cmpuint (g_list_model_get_n_items (loom_story_get_chapters (story)), ==, 2);
  click (test_ui_find_button (GTK_WIDGET (question), "_Delete"));
  wait_chapters (f, 1);
  test_spin_until (no_message_dialog, NULL, "the question to close");

  /* A restart later, the Trash dialog lists it and Restore puts it back in its place. */
  close_window (f);
  open_window (f);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-trash", NULL);
  test_spin_until (trash_dialog_shown, NULL, "the Trash dialog");
  trash = LOOM_TRASH_DIALOG (test_ui_find_toplevel (LOOM_TYPE_TRASH_DIALOG));
  g_assert_cmpuint (g_list_model_get_n_items (loom_trash_dialog_get_items (trash)), ==, 1);
  click (test_ui_find_button (GTK_WIDGET (trash), "_Restore"));
  wait_chapters (f, 2);
  chapters = loom_story_get_chapters (loom_window_get_story (f->window));
  {
    g_autoptr(LoomChapter) first = g_list_model_get_item (chapters, 0);
    g_autoptr(LoomScene) scene = g_list_model_get_item (loom_chapter_get_scenes (first), 0);

    g_assert_cmpstr (loom_chapter_get_title (first), ==, "Departure");
    g_assert_cmpuint (g_list_model_get_n_items (loom_chapter_get_scenes (first)), ==, 2);
    g_assert_true (loom_scene_load_prose (scene, NULL));
    g_assert_cmpstr (loom_scene_get_prose (scene), ==, "The horn sounded twice.");
  }
  g_assert_cmpuint (g_list_model_get_n_items (loom_trash_dialog_get_items (trash)), ==, 0);
  gtk_window_destroy (GTK_WINDOW (trash));
}

static void
test_empty_asks (Fixture       *f,
                 gconstpointer  data)
{
  LoomStory *story = loom_window_get_story (f->window);
  g_autoptr(LoomCharacter) mara = g_list_model_get_item (loom_story_get_characters (story), 0);
  g_autoptr(LoomDeletion) deletion = NULL;
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *question;
  LoomTrashDialog *trash;

  deletion = loom_store_delete_character (f->store, mara, &error);
  g_assert_no_error (error);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-trash", NULL);
  test_spin_until (trash_dialog_shown, NULL, "the Trash dialog");
  trash = LOOM_TRASH_DIALOG (test_ui_find_toplevel (LOOM_TYPE_TRASH_DIALOG));
  test_maybe_pause ();

  /* Cancel keeps everything… */
  if (!click (test_ui_find_button (GTK_WIDGET (trash), "_Empty Trash…")))
    return;
  test_spin_until (message_dialog_shown, NULL, "the question before emptying");
  question = ADW_MESSAGE_DIALOG (test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_cmpstr (adw_message_dialog_get_heading (question), ==, "Empty the Trash?");
  click (test_ui_find_button (GTK_WIDGET (question), "_Cancel"));
  test_spin_until (no_message_dialog, NULL, "the question to close");
  g_assert_cmpuint (trash_size (f->store), ==, 1);

  /* …Empty Trash lets go for good. */
  click (test_ui_find_button (GTK_WIDGET (trash), "_Empty Trash…"));
  test_spin_until (message_dialog_shown, NULL, "the question before emptying");
  question = ADW_MESSAGE_DIALOG (test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  click (test_ui_find_button (GTK_WIDGET (question), "_Empty Trash"));
  test_spin_until (trash_is_empty, f->store, "the Trash to be emptied");
  g_assert_cmpuint (g_list_model_get_n_items (loom_trash_dialog_get_items (trash)), ==, 0);
  g_assert_false (gtk_widget_is_sensitive (test_ui_find_button (GTK_WIDGET (trash), "_Empty Trash…")));
  gtk_window_destroy (GTK_WINDOW (trash));
}

int
main (int    argc,
      char **argv)
{
  if (!test_ui_init (&argc, &argv, "/ui/trash"))
    return g_test_run ();

  g_test_add ("/ui/trash/delete-chapter-and-restore", Fixture, NULL, fixture_set_up,
              test_delete_chapter_and_restore, fixture_tear_down);
  g_test_add ("/ui/trash/empty-asks", Fixture, NULL, fixture_set_up, test_empty_asks,
              fixture_tear_down);
  return g_test_run ();
}
