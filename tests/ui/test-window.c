/* test-window.c: the writing window on a test library, under a display
 *
 * Each test builds a fresh library in a temporary directory, opens a window on it and spins the
 * main loop until what it checks holds (or a generous timeout fails the test).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-window"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include <glib/gstdio.h>

#include "loom-chapter.h"
#include "loom-character.h"
#include "loom-deletion.h"
#include "loom-entry.h"
#include "loom-revision.h"
#include "loom-scene.h"
#include "loom-store.h"
#include "loom-story.h"
#include "loom-preferences.h"
#include "loom-window-private.h"
#include "test-ui-util.h"
#include "test-util.h"

typedef struct
{
  char        *dir;
  char        *path;
  LoomStore   *store;
  LoomStory   *story;
  LoomChapter *chapters[2];
  LoomScene   *scenes[4];  /* 1.1, 1.2, 1.3 and 2.1 */
  LoomWindow  *window;
} Fixture;

/* Lets pending idles and frames run for a moment. */
static void
spin_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }
}

typedef struct
{
  Fixture *fixture;
  GObject *item;
} RowWait;

static gboolean
row_shown (gpointer data)
{
  RowWait *wait = data;

  return loom_sidebar_find_row (_loom_window_get_sidebar (wait->fixture->window),
                                wait->item) != NULL;
}

static LoomSidebarRow *
wait_for_row (Fixture *fixture,
              gpointer item)
{
  RowWait wait = { fixture, item };

  test_spin_until (row_shown, &wait, "a sidebar row");
  return loom_sidebar_find_row (_loom_window_get_sidebar (fixture->window), item);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  static const char *const outlines[] = {
    "The ferry leaves without her.",
    "She walks the coast road.",
    "A lighthouse, unlit.",
    "Morning in the next town.",
  };

  fixture->store = test_library_open ("storyloom-ui-XXXXXX", &fixture->dir, &fixture->path);

  fixture->story = loom_store_create_story (fixture->store, "Coast Road", "A walk.", "", &error);
  g_assert_no_error (error);
  fixture->chapters[0] = loom_store_add_chapter (fixture->store, fixture->story,
                                                 LOOM_POSITION_END, "Departure", &error);
  g_assert_no_error (error);
  fixture->chapters[1] = loom_store_add_chapter (fixture->store, fixture->story,
                                                 LOOM_POSITION_END, "Arrival", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 4; i++)
    {
      fixture->scenes[i] = loom_store_add_scene (fixture->store, fixture->chapters[i < 3 ? 0 : 1],
                                                 LOOM_POSITION_END, outlines[i], &error);
      g_assert_no_error (error);
    }
  loom_scene_set_prose (fixture->scenes[0], "The horn sounded twice and the ferry was gone.",
                        &error);
  g_assert_no_error (error);

  fixture->window = g_object_ref_sink (loom_window_new (NULL, fixture->store));
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1000, 700);
  gtk_window_present (GTK_WINDOW (fixture->window));
  test_spin_until (test_ui_mapped, fixture->window, "the window to map");
  wait_for_row (fixture, fixture->scenes[3]);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->path, g_free);
  /* a test may have closed the window itself */
  if (fixture->window != NULL)
    test_ui_close_window ((GtkWindow **) &fixture->window, &fixture->store, &fixture->dir);
}

/* Reopens the library from disk, as the next start would, and returns the story there. */
static LoomStore *
reopen (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  LoomStore *store = loom_store_open (fixture->path, &error);

  g_assert_no_error (error);
  return store;
}

/* ------------------------------------------------------------------------------------------ */

static void
test_opens_in_order (Fixture       *fixture,
                     gconstpointer  data)
{
  LoomSidebar *sidebar = _loom_window_get_sidebar (fixture->window);
  GtkWidget *list_view;
  GObject *expected[] = {
    G_OBJECT (fixture->chapters[0]), G_OBJECT (fixture->scenes[0]),
    G_OBJECT (fixture->scenes[1]), G_OBJECT (fixture->scenes[2]),
    G_OBJECT (fixture->chapters[1]), G_OBJECT (fixture->scenes[3]),
  };
  const char *titles[] = {
    "Departure", "The ferry leaves without her.", "She walks the coast road.",
    "A lighthouse, unlit.", "Arrival", "Morning in the next town.",
  };
  GListModel *model;

  g_assert_true (loom_window_get_story (fixture->window) == fixture->story);

  list_view = GTK_WIDGET (loom_sidebar_get_list_view (sidebar));
  g_assert_true (GTK_IS_LIST_VIEW (list_view));
  model = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (list_view)));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, G_N_ELEMENTS (expected));

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(GtkTreeListRow) row = g_list_model_get_item (model, i);
      g_autoptr(GObject) item = gtk_tree_list_row_get_item (row);
      LoomSidebarRow *widget;

      g_assert_true (item == expected[i]);
      widget = wait_for_row (fixture, expected[i]);
      g_assert_cmpstr (loom_sidebar_row_get_title_text (widget), ==, titles[i]);
    }
}

static void
test_live_status (Fixture       *fixture,
                  gconstpointer  data)
{
  LoomSidebarRow *row = wait_for_row (fixture, fixture->scenes[1]);
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (loom_sidebar_row_get_status_shown (row), ==, "draft");

  /* Waiting in the generator's queue. */
  loom_scene_set_queued (fixture->scenes[1], TRUE);
  g_assert_cmpstr (loom_sidebar_row_get_status_shown (row), ==, "queued");
  loom_scene_set_queued (fixture->scenes[1], FALSE);

  loom_scene_set_status (fixture->scenes[1], LOOM_SCENE_STATUS_GENERATING, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loom_sidebar_row_get_status_shown (row), ==, "generating");

  loom_scene_set_status (fixture->scenes[1], LOOM_SCENE_STATUS_ERROR, "The server went away.",
                         &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loom_sidebar_row_get_status_shown (row), ==, "error");

  loom_scene_set_status (fixture->scenes[1], LOOM_SCENE_STATUS_COMPLETE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loom_sidebar_row_get_status_shown (row), ==, "complete");

  loom_scene_set_outline (fixture->scenes[1], "She takes the cliff path instead.", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loom_sidebar_row_get_title_text (row), ==, "She takes the cliff path instead.");
}

/* The drop code path: a scene to another chapter, a chapter to the front, a meaningless drop. */
static void
test_drop_moves (Fixture       *fixture,
                 gconstpointer  data)
{
  LoomSidebar *sidebar = _loom_window_get_sidebar (fixture->window);
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomStore) store = NULL;
  LoomStory *story;
  GListModel *chapters;
  GListModel *scenes;
  g_autoptr(LoomChapter) first = NULL;
  g_autoptr(LoomScene) scene = NULL;

  /* Scene 1.1 after scene 2.1. */
  g_assert_true (loom_sidebar_drop (sidebar, G_OBJECT (fixture->scenes[0]),
                                    G_OBJECT (fixture->scenes[3]), LOOM_DROP_AFTER, &error));
  g_assert_no_error (error);
  g_assert_true (loom_scene_get_chapter (fixture->scenes[0]) == fixture->chapters[1]);
  g_assert_cmpuint (loom_scene_get_number (fixture->scenes[0]), ==, 2);
  g_assert_cmpuint (loom_scene_get_number (fixture->scenes[1]), ==, 1);

  /* Chapter 2 before chapter 1. */
  g_assert_true (loom_sidebar_drop (sidebar, G_OBJECT (fixture->chapters[1]),
                                    G_OBJECT (fixture->chapters[0]), LOOM_DROP_BEFORE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (loom_chapter_get_number (fixture->chapters[1]), ==, 1);

  /* Meaningless: a chapter onto a scene, a scene before the scene after it. */
  g_assert_true (loom_sidebar_drop (sidebar, G_OBJECT (fixture->chapters[0]),
                                    G_OBJECT (fixture->scenes[1]), LOOM_DROP_AFTER, &error));
  g_assert_true (loom_sidebar_drop (sidebar, G_OBJECT (fixture->scenes[1]),
                                    G_OBJECT (fixture->scenes[2]), LOOM_DROP_BEFORE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (loom_chapter_get_number (fixture->chapters[1]), ==, 1);
  g_assert_cmpuint (loom_scene_get_number (fixture->scenes[1]), ==, 1);

  /* A scene into an (now) empty chapter… */
  g_assert_true (loom_sidebar_drop (sidebar, G_OBJECT (fixture->scenes[1]),
                                    G_OBJECT (fixture->chapters[1]), LOOM_DROP_INTO, &error));
  g_assert_no_error (error);
  g_assert_true (loom_scene_get_chapter (fixture->scenes[1]) == fixture->chapters[1]);
  g_assert_cmpuint (loom_scene_get_number (fixture->scenes[1]), ==, 3);

  /* …and the row follows. */
  wait_for_row (fixture, fixture->scenes[1]);

  /* Stored at once: a second connection sees the new order. */
  store = reopen (fixture);
  story = loom_store_lookup_story (store, loom_story_get_id (fixture->story));
  chapters = loom_story_get_chapters (story);
  first = g_list_model_get_item (chapters, 0);
  g_assert_cmpstr (loom_chapter_get_title (first), ==, "Arrival");
  scenes = loom_chapter_get_scenes (first);
  g_assert_cmpuint (g_list_model_get_n_items (scenes), ==, 3);
  scene = g_list_model_get_item (scenes, 1);
  g_assert_cmpstr (loom_scene_get_outline (scene), ==, "The ferry leaves without her.");
  loom_store_close (store);
}

/* Where a drop puts things, positions counted without the dragged item. */
static void
test_resolve_drop (Fixture       *fixture,
                   gconstpointer  data)
{
  GObject **s = (GObject **) fixture->scenes;
  GObject **c = (GObject **) fixture->chapters;
  GObject *into;
  guint position;

  /* 1.1 after 1.2: position 1 in chapter 1. */
  g_assert_true (loom_sidebar_resolve_drop (s[0], s[1], LOOM_DROP_AFTER, &into, &position));
  g_assert_true (into == c[0]);
  g_assert_cmpuint (position, ==, 1);

  /* 1.3 before 1.1: position 0. */
  g_assert_true (loom_sidebar_resolve_drop (s[2], s[0], LOOM_DROP_BEFORE, &into, &position));
  g_assert_cmpuint (position, ==, 0);

  /* 1.2 before 2.1: position 0 of chapter 2; into chapter 2: at its end (1). */
  g_assert_true (loom_sidebar_resolve_drop (s[1], s[3], LOOM_DROP_BEFORE, &into, &position));
  g_assert_true (into == c[1]);
  g_assert_cmpuint (position, ==, 0);
  g_assert_true (loom_sidebar_resolve_drop (s[1], c[1], LOOM_DROP_INTO, &into, &position));
  g_assert_cmpuint (position, ==, 1);

  /* Chapter 1 after chapter 2: position 1. */
  g_assert_true (loom_sidebar_resolve_drop (c[0], c[1], LOOM_DROP_AFTER, &into, &position));
  g_assert_null (into);
  g_assert_cmpuint (position, ==, 1);

  /* Meaningless: onto itself, to where it is, a chapter onto a scene or into a chapter, the
   * last scene into its own chapter. */
  g_assert_false (loom_sidebar_resolve_drop (s[0], s[0], LOOM_DROP_AFTER, &into, &position));
  g_assert_false (loom_sidebar_resolve_drop (s[0], s[1], LOOM_DROP_BEFORE, &into, &position));
  g_assert_false (loom_sidebar_resolve_drop (s[1], s[0], LOOM_DROP_AFTER, &into, &position));
  g_assert_false (loom_sidebar_resolve_drop (c[0], s[3], LOOM_DROP_AFTER, &into, &position));
  g_assert_false (loom_sidebar_resolve_drop (c[0], c[1], LOOM_DROP_INTO, &into, &position));
  g_assert_false (loom_sidebar_resolve_drop (c[1], c[0], LOOM_DROP_AFTER, &into, &position));
  g_assert_false (loom_sidebar_resolve_drop (c[0], c[1], LOOM_DROP_BEFORE, &into, &position));
  g_assert_false (loom_sidebar_resolve_drop (s[2], c[0], LOOM_DROP_INTO, &into, &position));
}

static char *
buffer_text (GtkTextBuffer *buffer)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* Types TEXT at the end of BUFFER the way the keyboard does: as a user action. */
static void
type_text (GtkTextBuffer *buffer,
           const char    *text)
{
  GtkTextIter end;

  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_place_cursor (buffer, &end);
  gtk_text_buffer_begin_user_action (buffer);
  gtk_text_buffer_insert_interactive_at_cursor (buffer, text, -1, TRUE);
  gtk_text_buffer_end_user_action (buffer);
}

/* The scene's prose as the next start would read it from disk. */
static char *
prose_on_disk (Fixture   *fixture,
               LoomScene *scene)
{
  g_autoptr(LoomStore) store = reopen (fixture);
  LoomScene *other = loom_store_lookup_scene (store, loom_scene_get_id (scene));
  char *prose;

  g_assert_nonnull (other);
  g_assert_true (loom_scene_load_prose (other, NULL));
  prose = g_strdup (loom_scene_get_prose (other));
  loom_store_close (store);
  return prose;
}

static void
test_select_shows_scene (Fixture       *fixture,
                         gconstpointer  data)
{
  LoomSidebar *sidebar = _loom_window_get_sidebar (fixture->window);
  LoomSceneEditor *editor = _loom_window_get_editor (fixture->window);
  g_autofree char *outline = NULL;
  g_autofree char *prose = NULL;
  g_autofree char *outline2 = NULL;

  g_assert_null (loom_scene_editor_get_scene (editor));

  loom_sidebar_select_item (sidebar, G_OBJECT (fixture->scenes[0]));
  g_assert_true (loom_scene_editor_get_scene (editor) == fixture->scenes[0]);
  outline = buffer_text (loom_scene_editor_get_outline_buffer (editor));
  prose = buffer_text (loom_scene_editor_get_prose_buffer (editor));
  g_assert_cmpstr (outline, ==, "The ferry leaves without her.");
  g_assert_cmpstr (prose, ==, "The horn sounded twice and the ferry was gone.");
  g_assert_cmpstr (loom_scene_editor_get_heading (editor), ==, "Chapter 1 · Scene 1");

  loom_sidebar_select_item (sidebar, G_OBJECT (fixture->scenes[3]));
  g_assert_true (loom_scene_editor_get_scene (editor) == fixture->scenes[3]);
  outline2 = buffer_text (loom_scene_editor_get_outline_buffer (editor));
  g_assert_cmpstr (outline2, ==, "Morning in the next town.");
  g_assert_cmpstr (loom_scene_editor_get_heading (editor), ==, "Chapter 2 · Scene 1");

  /* A chapter selected: no scene in the editor. */
  loom_sidebar_select_item (sidebar, G_OBJECT (fixture->chapters[0]));
  g_assert_null (loom_scene_editor_get_scene (editor));
}

static void
test_typing_persists_on_switch (Fixture       *fixture,
                                gconstpointer  data)
{
  LoomSidebar *sidebar = _loom_window_get_sidebar (fixture->window);
  LoomSceneEditor *editor = _loom_window_get_editor (fixture->window);
  g_autofree char *on_disk = NULL;
  g_autofree char *outline_on_disk = NULL;

  loom_sidebar_select_item (sidebar, G_OBJECT (fixture->scenes[1]));
  type_text (loom_scene_editor_get_prose_buffer (editor), "Gravel under her boots.");
  type_text (loom_scene_editor_get_outline_buffer (editor), " At dusk.");

  /* Switching scene saves at once, well before the idle delay. */
  loom_sidebar_select_item (sidebar, G_OBJECT (fixture->scenes[2]));
  g_assert_cmpstr (loom_scene_get_prose (fixture->scenes[1]), ==, "Gravel under her boots.");
  on_disk = prose_on_disk (fixture, fixture->scenes[1]);
  g_assert_cmpstr (on_disk, ==, "Gravel under her boots.");
  g_assert_cmpstr (loom_scene_get_outline (fixture->scenes[1]), ==,
                   "She walks the coast road. At dusk.");
  g_assert_cmpuint (loom_scene_get_word_count (fixture->scenes[1]), ==, 4);
}

static gboolean
prose_saved (gpointer data)
{
  LoomScene *scene = data;

  return g_strcmp0 (loom_scene_get_prose (scene), "Salt on the wind.") == 0;
}

static void
test_typing_saves_by_itself (Fixture       *fixture,
                             gconstpointer  data)
{
  LoomSidebar *sidebar = _loom_window_get_sidebar (fixture->window);
  LoomSceneEditor *editor = _loom_window_get_editor (fixture->window);
  g_autofree char *on_disk = NULL;

  loom_sidebar_select_item (sidebar, G_OBJECT (fixture->scenes[2]));
  type_text (loom_scene_editor_get_prose_buffer (editor), "Salt on the wind.");
  g_assert_null (loom_scene_get_prose (fixture->scenes[2]));

  test_spin_until (prose_saved, fixture->scenes[2], "the idle save");
  on_disk = prose_on_disk (fixture, fixture->scenes[2]);
  g_assert_cmpstr (on_disk, ==, "Salt on the wind.");
}

/* Issue 10: steady typing is saved before any pause. Keys arrive every 40 ms, well inside the
 * one second of quiet the editor waits for; the maximum interval is shortened so that the test
 * is quick, but the keys never stop until the text is on disk. */
typedef struct
{
  Fixture       *fixture;
  GtkTextBuffer *buffer;
  guint          keys;
  gint64         last_key;
  char          *on_disk;
} Typist;

static gboolean
type_one_key (gpointer data)
{
  Typist *typist = data;

  type_text (typist->buffer, typist->keys % 5 == 4 ? " " : "a");
  typist->keys++;
  typist->last_key = g_get_monotonic_time ();
  return G_SOURCE_CONTINUE;
}

static gboolean
saved_while_typing (gpointer data)
{
  Typist *typist = data;

  g_clear_pointer (&typist->on_disk, g_free);
  typist->on_disk = prose_on_disk (typist->fixture, typist->fixture->scenes[2]);
  return typist->on_disk != NULL && *typist->on_disk != '\0';
}

static void
test_typing_saves_while_typing (Fixture       *fixture,
                                gconstpointer  data)
{
  LoomSidebar *sidebar = _loom_window_get_sidebar (fixture->window);
  LoomSceneEditor *editor = _loom_window_get_editor (fixture->window);
  LoomAutosave *autosave = loom_scene_editor_get_autosave (editor);
  Typist typist = { fixture, loom_scene_editor_get_prose_buffer (editor), 0, 0, NULL };
  g_autofree char *typed = NULL;
  guint source;

  g_assert_cmpuint (loom_autosave_get_delay (autosave), ==, 1000);
  g_assert_cmpuint (loom_autosave_get_max_interval (autosave), ==, 2000);
  loom_autosave_set_max_interval (autosave, 300);

  loom_sidebar_select_item (sidebar, G_OBJECT (fixture->scenes[2]));
  source = g_timeout_add (40, type_one_key, &typist);
  test_spin_until (saved_while_typing, &typist, "a save during steady typing");
  /* Still typing: the last key came well within the quiet delay. */
  g_assert_cmpint (g_get_monotonic_time () - typist.last_key, <, 1000 * 1000);
  g_source_remove (source);

  typed = buffer_text (typist.buffer);
  g_assert_true (g_str_has_prefix (typed, typist.on_disk));
  g_assert_cmpuint (strlen (typist.on_disk), >, 0);
  g_free (typist.on_disk);
}

/* Issue 10: storyloom-cli writes the library while the window has the scene open. */
static void
run_cli (Fixture    *fixture,
         const char *arg1,
         const char *arg2,
         const char *arg3,
         const char *arg4,
         const char *arg5)
{
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("STORYLOOM_CLI");
  const char *argv[] = { cli, "--db", fixture->path, arg1, arg2, arg3, arg4, arg5, NULL };
  g_autofree char *err = NULL;
  int status = 0;

  g_assert_nonnull (cli);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err,
                &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("storyloom-cli failed: %s", err);
}

/* Typing that the writer has not saved yet, with saving held off until the test says. */
static LoomSceneEditor *
type_unsaved (Fixture    *fixture,
              LoomScene  *scene,
              const char *text)
{
  LoomSceneEditor *editor = _loom_window_get_editor (fixture->window);

  loom_autosave_set_delay (loom_scene_editor_get_autosave (editor), 600000);
  loom_autosave_set_max_interval (loom_scene_editor_get_autosave (editor), 600000);
  loom_sidebar_select_item (_loom_window_get_sidebar (fixture->window), G_OBJECT (scene));
  type_text (loom_scene_editor_get_prose_buffer (editor), text);
  return editor;
}

static void
test_cli_writes_open_scene (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *file = g_build_filename (fixture->dir, "cli-prose.txt", NULL);
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT,
                                         loom_scene_get_id (fixture->scenes[0]));
  g_autofree char *on_disk = NULL;
  g_autofree char *shown = NULL;
  g_autoptr(GListModel) revisions = NULL;
  g_autoptr(LoomRevision) kept = NULL;
  LoomSceneEditor *editor = type_unsaved (fixture, fixture->scenes[0], " Then the fog came.");

  g_assert_true (g_file_set_contents (file, "The command line wrote the ferry scene.", -1, NULL));
  run_cli (fixture, "scene", "set", id, "--prose-file", file);
  _loom_window_refresh (fixture->window);

  /* The writer's text stays in front of them, and is saved; the other is in the history. */
  shown = buffer_text (loom_scene_editor_get_prose_buffer (editor));
  g_assert_cmpstr (shown, ==, "The horn sounded twice and the ferry was gone. Then the fog came.");
  loom_window_save (fixture->window);
  on_disk = prose_on_disk (fixture, fixture->scenes[0]);
  g_assert_cmpstr (on_disk, ==, shown);
  revisions = loom_store_list_revisions (fixture->store, fixture->scenes[0], &error);
  g_assert_no_error (error);
  kept = g_list_model_get_item (revisions, 0);
  g_assert_nonnull (kept);
  g_assert_cmpint (loom_revision_get_origin (kept), ==, LOOM_REVISION_ELSEWHERE);
  g_assert_cmpstr (loom_revision_get_prose (kept), ==, "The command line wrote the ferry scene.");
  g_assert_nonnull (_loom_window_get_last_message (fixture->window));
  g_assert_nonnull (strstr (_loom_window_get_last_message (fixture->window), "Another program"));
  g_unlink (file);
}

static void
test_cli_deletes_open_story (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT,
                                         loom_story_get_id (fixture->story));
  LoomSceneEditor *editor = type_unsaved (fixture, fixture->scenes[1], "Words nobody saved.");
  LoomScene *kept;
  LoomStory *story;

  run_cli (fixture, "story", "delete", id, NULL, NULL);
  _loom_window_refresh (fixture->window);

  /* The typed words live on in a story of their own, shown at once. */
  kept = loom_scene_editor_get_scene (editor);
  g_assert_nonnull (kept);
  g_assert_true (kept != fixture->scenes[1]);
  g_assert_cmpstr (loom_scene_get_prose (kept), ==, "Words nobody saved.");
  story = loom_window_get_story (fixture->window);
  g_assert_true (story == loom_scene_get_story (kept));
  g_assert_cmpstr (loom_story_get_title (story), ==, "Coast Road (Recovered)");
  g_assert_nonnull (strstr (_loom_window_get_last_message (fixture->window),
                            "deleted by another program"));
}

/* Issue 10: the window looks for other programs' writes before each save, not only on focus
 * and on its timer: a save into a scene deleted elsewhere meanwhile finds it gone first and
 * keeps the typed words as a new scene, with a sentence, instead of failing. */
static void
test_save_catches_up_first (Fixture       *fixture,
                            gconstpointer  data)
{
  LoomSceneEditor *editor = type_unsaved (fixture, fixture->scenes[2], "Words typed just now.");
  LoomScene *kept;
  g_autofree char *on_disk = NULL;

  _loom_window_sync_stop (fixture->window);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(LoomStore) store = reopen (fixture);
    g_autoptr(LoomDeletion) deletion = NULL;

    deletion = loom_store_delete_scene (store, loom_store_lookup_scene (
                                          store, loom_scene_get_id (fixture->scenes[2])),
                                        &error);
    g_assert_no_error (error);
    loom_store_close (store);
  }

  /* The autosave's own occasion, with no focus change and no timer in between. */
  g_signal_emit_by_name (loom_scene_editor_get_autosave (editor), "save");

  kept = loom_scene_editor_get_scene (editor);
  g_assert_nonnull (kept);
  g_assert_true (kept != fixture->scenes[2]);
  on_disk = prose_on_disk (fixture, kept);
  g_assert_cmpstr (on_disk, ==, "Words typed just now.");
  g_assert_nonnull (_loom_window_get_last_message (fixture->window));
  g_assert_nonnull (strstr (_loom_window_get_last_message (fixture->window),
                            "was deleted by another program. What you had typed into it is "
                            "kept"));
}

/* Issue 10: another program changes the outline the writer is editing. The writer's words stay
 * in front of them and nothing of the other program's is written over: both are kept. */
static void
test_cli_writes_open_outline (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT,
                                         loom_scene_get_id (fixture->scenes[1]));
  g_autofree char *shown = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *on_disk = NULL;
  LoomSceneEditor *editor = type_unsaved (fixture, fixture->scenes[1], "");
  GtkTextBuffer *outline = loom_scene_editor_get_outline_buffer (editor);

  type_text (outline, " At dusk.");
  run_cli (fixture, "scene", "set", id, "--outline", "The coast road is closed.");
  _loom_window_refresh (fixture->window);
  shown = buffer_text (outline);
  g_assert_cmpstr (shown, ==, "She walks the coast road. At dusk.");

  loom_window_save (fixture->window);
  {
    g_autoptr(LoomStore) store = reopen (fixture);
    LoomScene *scene = loom_store_lookup_scene (store, loom_scene_get_id (fixture->scenes[1]));

    on_disk = g_strdup (loom_scene_get_outline (scene));
    loom_store_close (store);
  }
  g_assert_cmpstr (on_disk, ==, "She walks the coast road. At dusk.\n\nThe coast road is closed.");
  g_clear_pointer (&shown, g_free);
  shown = buffer_text (outline);
  g_assert_cmpstr (shown, ==, on_disk);
  g_assert_nonnull (strstr (_loom_window_get_last_message (fixture->window),
                            "Another program changed the outline of Chapter 1 · Scene 2"));
}

typedef struct
{
  LoomCharacterPanel *panel;
  LoomCharacter      *character;
} CharacterWait;

static gboolean
character_row_shown (gpointer data)
{
  CharacterWait *wait = data;

  return loom_character_panel_find_row (wait->panel, wait->character) != NULL;
}

/* Issue 10: a second window changes the traits of a character being edited here. */
static void
test_other_window_writes_character (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LoomCharacterPanel *panel = _loom_window_get_character_panel (fixture->window);
  LoomCharacter *character;
  LoomCharacterRow *row;
  g_autofree char *on_disk = NULL;

  character = loom_store_add_character (fixture->store, fixture->story, "Mara", "Patient.", NULL,
                                        &error);
  g_assert_no_error (error);
  test_spin_until (character_row_shown, &(CharacterWait) { panel, character },
                   "the added character's row");
  row = loom_character_panel_find_row (panel, character);
  loom_autosave_set_delay (loom_character_row_get_autosave (row), 600000);
  loom_autosave_set_max_interval (loom_character_row_get_autosave (row), 600000);
  loom_character_row_set_expanded (row, TRUE);
  gtk_editable_set_text (loom_character_row_get_traits_editable (row), "Patient, wry.");

  {
    g_autoptr(LoomStore) store = reopen (fixture);
    LoomCharacter *other = loom_store_lookup_character (store, loom_character_get_id (character));

    loom_character_set_traits (other, "Patient, tired.", &error);
    g_assert_no_error (error);
    loom_store_close (store);
  }
  _loom_window_refresh (fixture->window);
  /* The row keeps what the writer typed. */
  g_assert_cmpstr (gtk_editable_get_text (loom_character_row_get_traits_editable (row)), ==,
                   "Patient, wry.");

  loom_window_save (fixture->window);
  {
    g_autoptr(LoomStore) store = reopen (fixture);
    LoomCharacter *other = loom_store_lookup_character (store, loom_character_get_id (character));

    on_disk = g_strdup (loom_character_get_traits (other));
    loom_store_close (store);
  }
  g_assert_cmpstr (on_disk, ==, "Patient, wry. / Patient, tired.");
  g_assert_cmpstr (gtk_editable_get_text (loom_character_row_get_traits_editable (row)), ==,
                   on_disk);
  g_assert_nonnull (strstr (_loom_window_get_last_message (fixture->window),
                            "Another program changed the character “Mara”"));
}

static void
test_generating_is_read_only (Fixture       *fixture,
                              gconstpointer  data)
{
  LoomSidebar *sidebar = _loom_window_get_sidebar (fixture->window);
  LoomSceneEditor *editor = _loom_window_get_editor (fixture->window);
  GtkTextView *view = loom_scene_editor_get_prose_view (editor);
  g_autoptr(GError) error = NULL;
  g_autofree char *prose = NULL;

  loom_sidebar_select_item (sidebar, G_OBJECT (fixture->scenes[0]));
  g_assert_true (gtk_text_view_get_editable (view));

  /* What the writer typed is kept when drafting begins. */
  type_text (loom_scene_editor_get_prose_buffer (editor), " Then silence.");
  loom_scene_set_status (fixture->scenes[0], LOOM_SCENE_STATUS_GENERATING, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (gtk_text_view_get_editable (view));
  g_assert_cmpstr (loom_scene_get_prose (fixture->scenes[0]), ==,
                   "The horn sounded twice and the ferry was gone. Then silence.");

  /* The draft streams in live. */
  loom_scene_set_prose (fixture->scenes[0], "A new draft begins", &error);
  g_assert_no_error (error);
  prose = buffer_text (loom_scene_editor_get_prose_buffer (editor));
  g_assert_cmpstr (prose, ==, "A new draft begins");

  loom_scene_set_status (fixture->scenes[0], LOOM_SCENE_STATUS_ERROR, "The model refused.", &error);
  g_assert_no_error (error);
  g_assert_true (gtk_text_view_get_editable (view));
  g_assert_nonnull (strstr (loom_scene_editor_get_status_text (editor), "The model refused."));
}

typedef struct
{
  GListModel *list;
  guint       count;
} CountWait;

static gboolean
count_is (gpointer data)
{
  CountWait *wait = data;

  return g_list_model_get_n_items (wait->list) == wait->count;
}

/* Clicks the Undo of the window's toast with the pointer and waits until LIST holds COUNT
 * items again. */
static gboolean
click_undo (Fixture    *fixture,
            GListModel *list,
            guint       count)
{
  if (!test_ui_click_toast_button (GTK_WINDOW (fixture->window), "_Undo"))
    return FALSE;
  test_spin_until (count_is, &(CountWait) { list, count }, "the toast's Undo");
  return TRUE;
}

static void
test_characters (Fixture       *fixture,
                 gconstpointer  data)
{
  LoomCharacterPanel *panel = _loom_window_get_character_panel (fixture->window);
  GListModel *characters = loom_story_get_characters (fixture->story);
  g_autoptr(LoomCharacter) character = NULL;
  LoomCharacterRow *row;
  AdwToast *toast;

  g_assert_true (loom_character_panel_is_empty_shown (panel));

  /* Add. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.add-character", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (characters), ==, 1);
  g_assert_false (loom_character_panel_is_empty_shown (panel));
  character = g_list_model_get_item (characters, 0);
  row = loom_character_panel_find_row (panel, character);
  g_assert_nonnull (row);

  /* Edit: name, traits and backstory, saved when the window saves. */
  gtk_editable_set_text (loom_character_row_get_name_editable (row), "Mara");
  gtk_editable_set_text (loom_character_row_get_traits_editable (row), "Patient, wry.");
  gtk_text_buffer_set_text (loom_character_row_get_backstory_buffer (row), "A ferry pilot.", -1);
  loom_window_save (fixture->window);
  g_assert_cmpstr (loom_character_get_name (character), ==, "Mara");
  g_assert_cmpstr (loom_character_get_traits (character), ==, "Patient, wry.");
  g_assert_cmpstr (loom_character_get_backstory (character), ==, "A ferry pilot.");
  {
    g_autoptr(LoomStore) store = reopen (fixture);
    LoomCharacter *other = loom_store_lookup_character (store, loom_character_get_id (character));

    g_assert_nonnull (other);
    g_assert_cmpstr (loom_character_get_name (other), ==, "Mara");
    loom_store_close (store);
  }

  /* A change in the model shows in the row. */
  g_assert_cmpstr (loom_character_row_get_title (row), ==, "Mara");

  /* Delete, with an Undo toast… */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.delete-character", "x",
                              loom_character_get_id (character));
  g_assert_cmpuint (g_list_model_get_n_items (characters), ==, 0);
  g_assert_true (loom_character_panel_is_empty_shown (panel));
  toast = _loom_window_get_undo_toast (fixture->window);
  g_assert_nonnull (toast);

  /* …that brings it back. */
  if (!click_undo (fixture, characters, 1))
    return;
  g_assert_false (loom_character_panel_is_empty_shown (panel));
  {
    g_autoptr(LoomCharacter) back = g_list_model_get_item (characters, 0);
    g_assert_cmpstr (loom_character_get_name (back), ==, "Mara");
    g_assert_cmpstr (loom_character_get_backstory (back), ==, "A ferry pilot.");
  }
}

/* A story bible entry goes the same way as a character: Delete, then Undo in the toast. */
static void
test_entry_delete_undo (Fixture       *fixture,
                        gconstpointer  data)
{
  GListModel *entries = loom_story_get_entries (fixture->story);
  g_autoptr(LoomEntry) entry = NULL;
  AdwToast *toast;

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.add-entry", "s", "place");
  g_assert_cmpuint (g_list_model_get_n_items (entries), ==, 1);
  entry = g_list_model_get_item (entries, 0);
  g_assert_cmpstr (loom_entry_get_name (entry), ==, "New Place");

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.delete-entry", "x",
                              loom_entry_get_id (entry));
  g_assert_cmpuint (g_list_model_get_n_items (entries), ==, 0);
  toast = _loom_window_get_undo_toast (fixture->window);
  g_assert_nonnull (toast);

  if (!click_undo (fixture, entries, 1))
    return;
  {
    g_autoptr(LoomEntry) back = g_list_model_get_item (entries, 0);
    g_assert_cmpstr (loom_entry_get_name (back), ==, "New Place");
  }
}

static void
test_undo_scene_delete (Fixture       *fixture,
                        gconstpointer  data)
{
  LoomSidebar *sidebar = _loom_window_get_sidebar (fixture->window);
  GListModel *scenes = loom_chapter_get_scenes (fixture->chapters[0]);
  gint64 id = loom_scene_get_id (fixture->scenes[0]);
  AdwToast *toast;

  loom_sidebar_select_item (sidebar, G_OBJECT (fixture->scenes[0]));
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.delete", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (scenes), ==, 2);
  /* The selection moves to the scene that took its place. */
  g_assert_true (loom_scene_editor_get_scene (_loom_window_get_editor (fixture->window)) ==
                 fixture->scenes[1]);

  toast = _loom_window_get_undo_toast (fixture->window);
  g_assert_nonnull (toast);
  if (!click_undo (fixture, scenes, 3))
    return;
  {
    g_autoptr(LoomScene) first = g_list_model_get_item (scenes, 0);
    g_autofree char *prose = NULL;

    g_assert_cmpint (loom_scene_get_id (first), ==, id);
    g_assert_cmpstr (loom_scene_get_outline (first), ==, "The ferry leaves without her.");
    /* What came back is selected. */
    g_assert_true (loom_scene_editor_get_scene (_loom_window_get_editor (fixture->window)) ==
                   first);
    prose = prose_on_disk (fixture, first);
    g_assert_cmpstr (prose, ==, "The horn sounded twice and the ferry was gone.");
    wait_for_row (fixture, first);
  }
}

static LoomWindow *
open_window (LoomStore *store)
{
  LoomWindow *window = g_object_ref_sink (loom_window_new (NULL, store));

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_present (GTK_WINDOW (window));
  test_spin_until (test_ui_mapped, window, "the window to map");
  return window;
}

static void
close_window (LoomWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);
  spin_for (20);
}

static void
test_last_story_reopens (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LoomStory *second = loom_store_create_story (fixture->store, "Second Walk", "", "", &error);
  g_autofree char *id = NULL;
  LoomWindow *window;

  g_assert_no_error (error);

  /* Through the story menu's action. */
  id = g_strdup_printf ("%" G_GINT64_FORMAT, loom_story_get_id (second));
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.open-story", "s", id);
  g_assert_true (loom_window_get_story (fixture->window) == second);

  /* The next window (the next start) opens it again. */
  window = open_window (fixture->store);
  g_assert_true (loom_window_get_story (window) == second);
  close_window (window);
}


static void
test_new_and_delete_story (Fixture       *fixture,
                           gconstpointer  data)
{
  GListModel *stories = loom_store_get_stories (fixture->store);
  AdwMessageDialog *dialog;
  GtkWidget *box;
  GtkWidget *title;
  LoomStory *story;

  /* New Story: the dialog's title field, then Create, clicked. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.new-story", NULL);
  test_spin_until (test_ui_message_dialog_shown, NULL, "the New Story dialog");
  dialog = test_ui_find_message_dialog ();
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "save"));
  box = adw_message_dialog_get_extra_child (dialog);
  title = gtk_widget_get_last_child (gtk_widget_get_first_child (box));
  g_assert_true (GTK_IS_ENTRY (title));
  gtk_editable_set_text (GTK_EDITABLE (title), "Harbour Lights");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "save"));
  if (!test_ui_click_response ("_Create"))
    return;

  g_assert_cmpuint (g_list_model_get_n_items (stories), ==, 2);
  story = loom_window_get_story (fixture->window);
  g_assert_cmpstr (loom_story_get_title (story), ==, "Harbour Lights");

  /* Delete Story asks first; Cancel keeps it… */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.delete-story", NULL);
  test_spin_until (test_ui_message_dialog_shown, NULL, "the Delete Story dialog");
  test_ui_click_response ("_Cancel");
  g_assert_cmpuint (g_list_model_get_n_items (stories), ==, 2);

  /* …Delete deletes it, and the window opens the other story. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.delete-story", NULL);
  test_spin_until (test_ui_message_dialog_shown, NULL, "the Delete Story dialog");
  test_ui_click_response ("_Delete");
  g_assert_cmpuint (g_list_model_get_n_items (stories), ==, 1);
  g_assert_true (loom_window_get_story (fixture->window) == fixture->story);
}

static void
test_first_start_and_sample (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("storyloom-ui-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "library.db", NULL);
  LoomStore *store = loom_store_open (path, &error);
  LoomWindow *window;
  LoomStory *story;
  LoomScene *scene;
  guint scenes = 0, with_prose = 0;
  GListModel *chapters;

  g_assert_no_error (error);
  window = open_window (store);
  g_assert_null (loom_window_get_story (window));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->main_stack), ==, "welcome");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-sample", NULL);
  story = loom_window_get_story (window);
  g_assert_nonnull (story);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->main_stack), ==, "story");

  chapters = loom_story_get_chapters (story);
  g_assert_cmpuint (g_list_model_get_n_items (chapters), ==, 3);
  for (guint c = 0; c < 3; c++)
    {
      g_autoptr(LoomChapter) chapter = g_list_model_get_item (chapters, c);
      GListModel *list = loom_chapter_get_scenes (chapter);

      for (guint i = 0; i < g_list_model_get_n_items (list); i++)
        {
          g_autoptr(LoomScene) s = g_list_model_get_item (list, i);

          g_assert_cmpstr (loom_scene_get_outline (s), !=, "");
          scenes++;
          with_prose += loom_scene_get_word_count (s) > 0;
        }
    }
  g_assert_cmpuint (scenes, ==, 8);
  g_assert_cmpuint (with_prose, >=, 2);
  g_assert_cmpuint (g_list_model_get_n_items (loom_story_get_characters (story)), ==, 3);

  /* It opens on its first scene. */
  scene = loom_scene_editor_get_scene (_loom_window_get_editor (window));
  g_assert_nonnull (scene);
  g_assert_cmpuint (loom_scene_get_number (scene), ==, 1);

  close_window (window);
  loom_store_close (store);
  g_object_unref (store);
  test_remove_tree (dir);
}

/* A store that fails (here: closed under the window) reaches the writer as a sentence. */
static void
test_store_error_is_shown (Fixture       *fixture,
                           gconstpointer  data)
{
  LoomSidebar *sidebar = _loom_window_get_sidebar (fixture->window);
  LoomSceneEditor *editor = _loom_window_get_editor (fixture->window);

  loom_sidebar_select_item (sidebar, G_OBJECT (fixture->scenes[1]));
  type_text (loom_scene_editor_get_prose_buffer (editor), "Lost?");
  loom_store_close (fixture->store);

  g_assert_null (_loom_window_get_last_error (fixture->window));
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.add-chapter", NULL);
  g_assert_nonnull (_loom_window_get_last_error (fixture->window));

  /* Saving fails too, and says so, and the edit stays pending. */
  g_clear_pointer (&fixture->window->last_error, g_free);
  g_assert_false (loom_scene_editor_save (editor));
  g_assert_nonnull (_loom_window_get_last_error (fixture->window));
}

static gboolean
scene_moved (gpointer data)
{
  Fixture *fixture = data;

  return loom_scene_get_chapter (fixture->scenes[0]) == fixture->chapters[1];
}

static gboolean
row_allocated (gpointer data)
{
  return gtk_widget_get_height (data) > 0 && gtk_widget_get_mapped (data);
}

/* One real drag with the mouse, sent by xdotool: scene 1.1 onto the lower half of scene 2.1. */
static void
test_real_drag (Fixture       *fixture,
                gconstpointer  data)
{
  GtkWidget *from = GTK_WIDGET (wait_for_row (fixture, fixture->scenes[0]));
  GtkWidget *to = GTK_WIDGET (wait_for_row (fixture, fixture->scenes[3]));

  test_spin_until (row_allocated, to, "the rows to be laid out");
  if (!test_ui_drag_onto (from, to, 0.75))
    return;

  test_spin_until (scene_moved, fixture, "the dragged scene to move");
  g_assert_cmpuint (loom_scene_get_number (fixture->scenes[0]), ==, 2);
  g_assert_cmpuint (loom_scene_get_number (fixture->scenes[3]), ==, 1);
  {
    g_autofree char *prose = prose_on_disk (fixture, fixture->scenes[0]);
    g_autoptr(LoomStore) store = reopen (fixture);
    LoomScene *moved = loom_store_lookup_scene (store, loom_scene_get_id (fixture->scenes[0]));

    g_assert_cmpint (loom_chapter_get_id (loom_scene_get_chapter (moved)), ==,
                     loom_chapter_get_id (fixture->chapters[1]));
    g_assert_cmpuint (loom_scene_get_number (moved), ==, 2);
    loom_store_close (store);
  }
}

static void
on_generate (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       data)
{
  (*(guint *) data)++;
}

/* The generation issue's controller plugs in: its actions as "gen", its menus. */
static void
test_generation_hook (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) action = g_simple_action_new ("generate-scene", NULL);
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) section = g_menu_new ();
  guint activated = 0;
  GObject *selected = NULL;

  g_signal_connect (action, "activate", G_CALLBACK (on_generate), &activated);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (action));
  g_menu_append (menu, "Generate Scene", "gen.generate-scene");
  g_menu_append (section, "Generate Scene", "gen.generate-scene");

  loom_window_set_generation (fixture->window, G_ACTION_GROUP (group), G_MENU_MODEL (menu),
                              G_MENU_MODEL (section));
  g_assert_true (gtk_menu_button_get_menu_model (fixture->window->generate_button) ==
                 G_MENU_MODEL (menu));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "gen.generate-scene",
                                             NULL));
  g_assert_cmpuint (activated, ==, 1);

  /* The selection it acts on, with notify. */
  g_signal_connect_swapped (fixture->window, "notify::selected-item",
                            G_CALLBACK (g_nullify_pointer), &selected);
  selected = G_OBJECT (fixture->window);
  loom_sidebar_select_item (_loom_window_get_sidebar (fixture->window),
                            G_OBJECT (fixture->scenes[2]));
  g_assert_null (selected);
  g_assert_true (loom_window_get_selected_item (fixture->window) == G_OBJECT (fixture->scenes[2]));
  g_signal_handlers_disconnect_by_func (fixture->window, g_nullify_pointer, &selected);
}

/* F9 (win.show-characters) hides and shows the character panel, through GSettings. */
/* A zip file holds NUL bytes, which end g_strstr_len()'s search. */
static gboolean
bytes_contain (const char *data,
               gsize       length,
               const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= length; i++)
    if (memcmp (data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static gboolean
story_titled (gpointer data)
{
  Fixture *fixture = data;
  LoomStory *story = loom_window_get_story (fixture->window);

  return story != NULL && g_strcmp0 (loom_story_get_title (story), "Imported Tale") == 0;
}

/* Export through the dialog's code path (the file chooser answered), then import a manuscript:
 * the new story opens. */
static void
test_export_and_import (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *epub = g_build_filename (fixture->dir, "coast-road.epub", NULL);
  g_autofree char *manuscript = g_build_filename (fixture->dir, "tale.md", NULL);
  g_autoptr(GFile) epub_file = g_file_new_for_path (epub);
  g_autoptr(GFile) manuscript_file = g_file_new_for_path (manuscript);
  g_autofree char *contents = NULL;
  gsize length = 0;
  LoomExportDialog *dialog;

  dialog = _loom_window_export_story (fixture->window);
  g_assert_nonnull (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  loom_export_dialog_set_format (dialog, LOOM_EXPORT_FORMAT_EPUB);
  loom_export_dialog_export_to (dialog, epub_file);
  test_spin_until (is_null, &dialog, "the export dialog to close");
  g_assert_true (g_file_get_contents (epub, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 100);
  g_assert_true (memcmp (contents, "PK\003\004", 4) == 0);
  g_assert_true (bytes_contain (contents, length, "application/epub+zip"));
  g_assert_true (bytes_contain (contents, length, "META-INF/container.xml"));
  g_unlink (epub);

  g_assert_true (g_file_set_contents (manuscript, "% Imported Tale\n\n# One\n\nFirst scene.\n\n"
                                      "***\n\nSecond scene.\n", -1, NULL));
  _loom_window_import_file (fixture->window, manuscript_file);
  test_spin_until (story_titled, fixture, "the imported story to open");
  g_assert_cmpuint (loom_story_get_scene_count (loom_window_get_story (fixture->window)), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (loom_store_get_stories (fixture->store)), ==, 2);
  g_unlink (manuscript);
}

static gboolean
focus_in_sidebar (gpointer data)
{
  Fixture *fixture = data;
  GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (fixture->window));

  return focus != NULL &&
         gtk_widget_is_ancestor (focus, GTK_WIDGET (_loom_window_get_sidebar (fixture->window)));
}

/* Whether a file chooser is on screen is @data (TRUE or FALSE). */
static gboolean
file_chooser_shown_is (gpointer data)
{
  GtkWindow *chooser = test_ui_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);

  return (chooser != NULL && gtk_widget_get_mapped (GTK_WIDGET (chooser))) ==
         GPOINTER_TO_INT (data);
}

/* The story menu's Import Story… asks for the manuscript in a file chooser: the writer types
 * its path and presses Enter, and the imported story opens. A chooser still open when the
 * window closes closes with it, and nothing answers into the closed window. */
static void
test_import_through_chooser (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *manuscript = g_build_filename (fixture->dir, "tale.md", NULL);
  GtkWindow *chooser;

  g_assert_true (g_file_set_contents (manuscript, "% Imported Tale\n\n# One\n\nFirst scene.\n\n"
                                      "***\n\nSecond scene.\n", -1, NULL));
  /* the window's start moves the keyboard, which would close the menu */
  test_spin_until (focus_in_sidebar, fixture, "the keyboard focus to reach the sidebar");
  if (!test_ui_click_menu_item (fixture->window->story_button, "Import Story…"))
    return;
  test_spin_until (file_chooser_shown_is, GINT_TO_POINTER (TRUE), "the file chooser to open");
  chooser = test_ui_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  g_assert_cmpstr (gtk_window_get_title (chooser), ==, "Import a Story");
  /* a path typed opens the chooser's location entry */
  if (!test_ui_type (chooser, manuscript) ||
      !test_ui_press (chooser, "Return"))
    return;
  test_spin_until (file_chooser_shown_is, GINT_TO_POINTER (FALSE), "the file chooser to close");
  test_spin_until (story_titled, fixture, "the imported story to open");
  g_assert_cmpuint (loom_story_get_scene_count (loom_window_get_story (fixture->window)), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (loom_store_get_stories (fixture->store)), ==, 2);

  if (!test_ui_click_menu_item (fixture->window->story_button, "Import Story…"))
    return;
  test_spin_until (file_chooser_shown_is, GINT_TO_POINTER (TRUE), "the file chooser to open");
  g_clear_pointer (&fixture->path, g_free);
  test_ui_close_window ((GtkWindow **) &fixture->window, &fixture->store, &fixture->dir);
  test_spin_until (file_chooser_shown_is, GINT_TO_POINTER (FALSE),
                   "the file chooser to close with the window");
  g_assert_null (test_ui_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG));
}

static gboolean
export_dialog_shown (gpointer data)
{
  GtkWindow *dialog = test_ui_find_toplevel (LOOM_TYPE_EXPORT_DIALOG);

  return dialog != NULL && gtk_widget_get_mapped (GTK_WIDGET (dialog));
}

/* The story menu's Export Story… opens the export dialog; its Export… button asks for the file
 * in a file chooser, the writer types its path and presses Enter, and the story is written
 * there (Markdown, the first format) before the dialog closes. */
static void
test_export_through_chooser (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *target = g_build_filename (fixture->dir, "exported.md", NULL);
  g_autofree char *written = NULL;
  GtkWindow *dialog;
  GtkWindow *chooser;
  GtkWidget *button;

  test_spin_until (focus_in_sidebar, fixture, "the keyboard focus to reach the sidebar");
  if (!test_ui_click_menu_item (fixture->window->story_button, "Export Story…"))
    return;
  test_spin_until (export_dialog_shown, NULL, "the export dialog to open");
  dialog = test_ui_find_toplevel (LOOM_TYPE_EXPORT_DIALOG);
  test_spin_until (test_ui_allocated, dialog, "the export dialog laid out");
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  button = test_ui_find_button (GTK_WIDGET (dialog), "_Export…");
  g_assert_nonnull (button);
  if (!test_ui_click (button))
    return;
  test_spin_until (file_chooser_shown_is, GINT_TO_POINTER (TRUE), "the file chooser to open");
  chooser = test_ui_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  g_assert_cmpstr (gtk_window_get_title (chooser), ==, "Export Story");
  if (!test_ui_press (chooser, "ctrl+a") || !test_ui_type (chooser, target) ||
      !test_ui_press (chooser, "Return"))
    return;
  test_spin_until (file_chooser_shown_is, GINT_TO_POINTER (FALSE), "the file chooser to close");
  test_spin_until (is_null, &dialog, "the export dialog to close once the file is written");
  g_assert_true (g_file_get_contents (target, &written, NULL, NULL));
  g_assert_nonnull (strstr (written, "Coast Road"));
  g_assert_nonnull (strstr (written, "The horn sounded twice and the ferry was gone."));
}

static void
test_toggle_characters (Fixture       *fixture,
                        gconstpointer  data)
{
  GtkWidget *panel = GTK_WIDGET (_loom_window_get_character_panel (fixture->window));
  AdwFlap *flap = _loom_window_get_character_flap (fixture->window);
  g_autoptr(GSettings) settings = g_settings_new ("io.github.storyloom.Storyloom");

  g_assert_true (adw_flap_get_reveal_flap (flap));
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-characters", NULL);
  g_assert_false (adw_flap_get_reveal_flap (flap));
  g_assert_false (g_settings_get_boolean (settings, "show-characters"));
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-characters", NULL);
  g_assert_true (adw_flap_get_reveal_flap (flap));
  g_assert_true (gtk_widget_is_ancestor (panel, GTK_WIDGET (flap)));
  g_assert_true (g_settings_get_boolean (settings, "show-characters"));

  /* The keyboard starts in the sidebar: the window moves it there once the rows exist. */
  test_spin_until (focus_in_sidebar, fixture, "the keyboard focus to reach the sidebar");
}

/* The shortcuts window and the preferences open without a warning (warnings are fatal here). */
static void
test_secondary_windows (void)
{
  g_autoptr(GtkBuilder) builder =
    gtk_builder_new_from_resource ("/io/github/storyloom/Storyloom/gtk/help-overlay.ui");
  GtkWindow *shortcuts = GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
  GtkWindow *preferences = GTK_WINDOW (loom_preferences_new ());

  g_assert_nonnull (shortcuts);
  _loom_window_fit_help_overlay (shortcuts);
  gtk_window_present (shortcuts);
  test_spin_until (test_ui_mapped, shortcuts, "the shortcuts window to map");
  spin_for (200);
  gtk_window_destroy (shortcuts);

  gtk_window_present (preferences);
  test_spin_until (test_ui_mapped, preferences, "the preferences to map");
  spin_for (200);
  gtk_window_destroy (preferences);
  spin_for (50);
}

int
main (int    argc,
      char **argv)
{
  if (!test_ui_init (&argc, &argv, "/ui/window"))
    return g_test_run ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/ui/window/opens-in-order", test_opens_in_order);
  ADD ("/ui/window/live-status", test_live_status);
  ADD ("/ui/window/drop-moves", test_drop_moves);
  ADD ("/ui/window/resolve-drop", test_resolve_drop);
  ADD ("/ui/window/select-shows-scene", test_select_shows_scene);
  ADD ("/ui/window/typing-persists-on-switch", test_typing_persists_on_switch);
  ADD ("/ui/window/typing-saves-by-itself", test_typing_saves_by_itself);
  ADD ("/ui/window/typing-saves-while-typing", test_typing_saves_while_typing);
  ADD ("/ui/window/cli-writes-open-scene", test_cli_writes_open_scene);
  ADD ("/ui/window/cli-deletes-open-story", test_cli_deletes_open_story);
  ADD ("/ui/window/cli-writes-open-outline", test_cli_writes_open_outline);
  ADD ("/ui/window/save-catches-up-first", test_save_catches_up_first);
  ADD ("/ui/window/other-window-writes-character", test_other_window_writes_character);
  ADD ("/ui/window/generating-is-read-only", test_generating_is_read_only);
  ADD ("/ui/window/characters", test_characters);
  ADD ("/ui/window/entry-delete-undo", test_entry_delete_undo);
  ADD ("/ui/window/undo-scene-delete", test_undo_scene_delete);
  ADD ("/ui/window/last-story-reopens", test_last_story_reopens);
  ADD ("/ui/window/new-and-delete-story", test_new_and_delete_story);
  ADD ("/ui/window/store-error-is-shown", test_store_error_is_shown);
  g_test_add_func ("/ui/window/first-start-and-sample", test_first_start_and_sample);
  ADD ("/ui/window/real-drag", test_real_drag);
  g_test_add_func ("/ui/window/secondary-windows", test_secondary_windows);
  ADD ("/ui/window/generation-hook", test_generation_hook);
  ADD ("/ui/window/toggle-characters", test_toggle_characters);
  ADD ("/ui/window/export-and-import", test_export_and_import);
  ADD ("/ui/window/import-through-chooser", test_import_through_chooser);
  ADD ("/ui/window/export-through-chooser", test_export_through_chooser);

#undef ADD

  return g_test_run ();
}
