/* test-damage-window.c: the application meets a damaged library (issue 10)
 *
 * The application itself is started on a library with a damaged page and an intact backup
 * beside it, as a writer would meet it: one dialog offers the backup, a real click on its
 * button opens it, and the damaged file stays beside the library under another name.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-damage-window"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include <glib/gstdio.h>

#include "loom-application.h"
#include "loom-backup.h"
#include "loom-chapter.h"
#include "loom-scene.h"
#include "loom-store.h"
#include "loom-story.h"
#include "loom-window.h"
#include "test-ui-util.h"
#include "test-util.h"

#define PROSE "The lamps came on one by one along the harbour wall."

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("storyloom-damage-ui-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "library.db", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  test_remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

/* A library of one story, large enough to have pages past the schema's to damage. */
static void
build_library (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomStore) store = loom_store_open (path, &error);
  LoomStory *story;
  LoomChapter *chapter;

  g_assert_no_error (error);
  story = loom_store_create_story (store, "Harbour Lights", NULL, NULL, &error);
  g_assert_no_error (error);
  chapter = loom_store_add_chapter (store, story, LOOM_POSITION_END, "Dusk", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 40; i++)
    {
      g_autoptr(GString) prose = g_string_new (PROSE);
      LoomScene *scene = loom_store_add_scene (store, chapter, LOOM_POSITION_END, "Lamps",
                                               &error);

      g_assert_no_error (error);
      for (guint w = 0; i > 0 && w < 300; w++)
        g_string_append_printf (prose, " word%u", w * 7 + i);
      loom_scene_set_prose (scene, prose->str, &error);
      g_assert_no_error (error);
    }
  loom_store_close (store);
}

static AdwMessageDialog *
find_dialog (const char *heading)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)) &&
          g_strcmp0 (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (window)), heading) == 0)
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static gboolean
damage_dialog_shown (gpointer data)
{
  AdwMessageDialog *dialog = find_dialog ("The Library Is Damaged");

  return dialog != NULL && gtk_widget_get_mapped (GTK_WIDGET (dialog));
}

static gboolean
dialog_answered_or_late (gpointer data)
{
  gint64 *deadline = data;

  return find_dialog ("The Library Is Damaged") == NULL || g_get_monotonic_time () > *deadline;
}

static LoomWindow *
find_library_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (LOOM_IS_WINDOW (window) && loom_window_get_story (LOOM_WINDOW (window)) != NULL &&
          gtk_widget_get_mapped (GTK_WIDGET (window)))
        return LOOM_WINDOW (window);
    }
  return NULL;
}

static gboolean
backup_open (gpointer data)
{
  return find_library_window () != NULL;
}

static char *
find_damaged_copy (Fixture *f)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      if (g_str_has_prefix (name, "library.db.damaged-"))
        return g_build_filename (f->dir, name, NULL);
    }
  return NULL;
}

static void
test_offer_backup (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomApplication) app = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *backup = NULL;
  g_autofree char *damaged = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *kept_sum = NULL;
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *button;
  LoomWindow *window;
  LoomStory *story;

  build_library (f->path);
  g_assert_true (loom_backup_run_if_due (f->path, now, &backup, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (backup);
  test_damage_page (f->path, 3);
  damaged = test_checksum (f->path);

  g_setenv ("STORYLOOM_DB", f->path, TRUE);
  app = loom_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));

  /* One dialog, naming the backup; not also "Could Not Open the Library". */
  test_spin_until (damage_dialog_shown, NULL, "the offer of the backup");
  dialog = find_dialog ("The Library Is Damaged");
  g_assert_null (find_dialog ("Could Not Open the Library"));
  body = g_path_get_basename (backup);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), body));
  g_assert_null (loom_application_get_store (app));

  /* AdwMessageDialog of libadwaita 1.2 may switch its buttons to their other layout after it
   * is shown (narrow first, then wide); a click aimed just before lands where the button was,
   * so it is aimed again at the button shown now. */
  for (guint attempt = 0; find_dialog ("The Library Is Damaged") != NULL; attempt++)
    {
      gint64 deadline = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;

      g_assert_cmpuint (attempt, <, 5);
      button = test_ui_find_button (GTK_WIDGET (dialog), "_Open Backup");
      g_assert_nonnull (button);
      if (!test_ui_click (button))
        return;
      test_spin_until (dialog_answered_or_late, &deadline, "the dialog to answer");
    }

  /* The backup's story is open in a new window... */
  test_spin_until (backup_open, NULL, "the backup to open");
  window = find_library_window ();
  story = loom_window_get_story (window);
  g_assert_cmpstr (loom_story_get_title (story), ==, "Harbour Lights");
  {
    g_autoptr(LoomChapter) chapter = g_list_model_get_item (loom_story_get_chapters (story), 0);
    g_autoptr(LoomScene) scene = g_list_model_get_item (loom_chapter_get_scenes (chapter), 0);

    g_assert_cmpstr (test_scene_prose (scene), ==, PROSE);
  }
  g_assert_false (loom_store_is_damaged (loom_application_get_store (app)));

  /* ...and the damaged file is kept beside it, as it was. */
  kept = find_damaged_copy (f);
  g_assert_nonnull (kept);
  kept_sum = test_checksum (kept);
  g_assert_cmpstr (kept_sum, ==, damaged);

  gtk_window_destroy (GTK_WINDOW (window));
  g_unsetenv ("STORYLOOM_DB");
}

int
main (int    argc,
      char **argv)
{
  if (!test_ui_init (&argc, &argv, "/ui/damage"))
    return g_test_run ();

  g_test_add ("/ui/damage/offer-backup", Fixture, NULL, fixture_set_up, test_offer_backup,
              fixture_tear_down);
  return g_test_run ();
}
