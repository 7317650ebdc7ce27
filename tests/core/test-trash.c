/* test-trash.c: what the writer deletes waits in the library's trash, survives a restart or a
 * killed program, and comes back exactly where and as it was.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-trash"

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "loom-chapter.h"
#include "loom-character.h"
#include "loom-deletion.h"
#include "loom-scene.h"
#include "loom-store.h"
#include "loom-story.h"
#include "test-util.h"

typedef struct
{
  char      *dir;
  char      *path;
  LoomStore *store;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->store = test_library_open ("storyloom-trash-XXXXXX", &f->dir, &f->path);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  test_library_close (&f->store, &f->dir, &f->path);
}

static void
reopen (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&f->store);
  f->store = loom_store_open (f->path, &error);
  g_assert_no_error (error);
}

static LoomStory *
first_story (LoomStore *store)
{
  g_autoptr(LoomStory) story = g_list_model_get_item (loom_store_get_stories (store), 0);
  return story;
}

static LoomChapter *
chapter_at (LoomStory *story,
            guint      i)
{
  g_autoptr(LoomChapter) chapter = g_list_model_get_item (loom_story_get_chapters (story), i);
  return chapter;
}

static LoomScene *
scene_at (LoomChapter *chapter,
          guint        i)
{
  g_autoptr(LoomScene) scene = g_list_model_get_item (loom_chapter_get_scenes (chapter), i);
  return scene;
}

/* “The Salt Road”: chapter A with scenes A1 A2 A3, chapter B with B1 B2, prose in A2 and B1,
 * an older version of A2 in its history, and two characters. */
static LoomStory *
make_story (LoomStore  *store,
            const char *path)
{
  g_autoptr(GError) error = NULL;
  LoomStory *story = loom_store_create_story (store, "The Salt Road", "A caravan", NULL, &error);
  const guint counts[] = { 3, 2 };
  g_autofree char *sql = NULL;

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      char title[2] = { (char) ('A' + i), 0 };
      LoomChapter *chapter = loom_store_add_chapter (store, story, LOOM_POSITION_END, title,
                                                     &error);
      g_assert_no_error (error);
      for (guint j = 0; j < counts[i]; j++)
        {
          g_autofree char *outline = g_strdup_printf ("%s%u", title, j + 1);
          loom_store_add_scene (store, chapter, LOOM_POSITION_END, outline, &error);
          g_assert_no_error (error);
        }
    }
  g_assert_true (loom_scene_set_prose (scene_at (chapter_at (story, 0), 1),
                                       "Salt on her lips, and the wind.", &error));
  g_assert_true (loom_scene_set_prose (scene_at (chapter_at (story, 1), 0),
                                       "The well was dry.", &error));
  sql = g_strdup_printf ("INSERT INTO scene_revisions (scene_id, prose, origin, model, created_at)"
                         " VALUES (%" G_GINT64_FORMAT ", 'older words', 'generation', 'm', 1)",
                         loom_scene_get_id (scene_at (chapter_at (story, 0), 1)));
  test_sql_exec (path, sql);
  loom_store_add_character (store, story, "Mara", "stubborn", "salt-born", &error);
  loom_store_add_character (store, story, "Ivo", "kind", NULL, &error);
  g_assert_no_error (error);
  return story;
}

static char *
describe_order (LoomStory *story)
{
  GListModel *chapters = loom_story_get_chapters (story);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (chapters); i++)
    {
      LoomChapter *chapter = chapter_at (story, i);
      GListModel *scenes = loom_chapter_get_scenes (chapter);

      g_assert_cmpuint (loom_chapter_get_number (chapter), ==, i + 1);
      g_string_append_printf (out, "%s%s:", i ? "|" : "", loom_chapter_get_title (chapter));
      for (guint j = 0; j < g_list_model_get_n_items (scenes); j++)
        {
          g_assert_cmpuint (loom_scene_get_number (scene_at (chapter, j)), ==, j + 1);
          g_string_append_printf (out, "%s%s", j ? "," : "",
                                  loom_scene_get_outline (scene_at (chapter, j)));
        }
    }
  return g_string_free (out, FALSE);
}

static void
assert_order (LoomStory  *story,
              const char *expected)
{
  g_autofree char *order = describe_order (story);
  g_assert_cmpstr (order, ==, expected);
}

static char *
character_names (LoomStory *story)
{
  GListModel *list = loom_story_get_characters (story);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(LoomCharacter) character = g_list_model_get_item (list, i);
      g_string_append_printf (out, "%s%s", i ? "," : "", loom_character_get_name (character));
    }
  return g_string_free (out, FALSE);
}

static guint
trash_size (LoomStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) trash = loom_store_list_trash (store, &error);

  g_assert_no_error (error);
  return g_list_model_get_n_items (trash);
}

static LoomDeletion *
trash_at (LoomStore *store,
          guint      i)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) trash = loom_store_list_trash (store, &error);

  g_assert_no_error (error);
  return g_list_model_get_item (trash, i);
}

static void
test_survives_restart (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LoomStory *story = make_story (f->store, f->path);
  g_autoptr(LoomDeletion) scene_gone = NULL;
  g_autoptr(LoomDeletion) chapter_gone = NULL;
  g_autoptr(LoomDeletion) character_gone = NULL;
  g_autoptr(LoomDeletion) newest = NULL;
  g_autoptr(LoomDeletion) middle = NULL;
  g_autoptr(LoomDeletion) oldest = NULL;
  g_autofree char *before = test_dump_library (f->path);
  g_autofree char *after = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *names = NULL;
  g_autoptr(LoomCharacter) ivo = g_list_model_get_item (loom_story_get_characters (story), 1);

  scene_gone = loom_store_delete_scene (f->store, scene_at (chapter_at (story, 0), 1), &error);
  g_assert_no_error (error);
  chapter_gone = loom_store_delete_chapter (f->store, chapter_at (story, 1), &error);
  g_assert_no_error (error);
  character_gone = loom_store_delete_character (f->store, ivo, &error);
  g_assert_no_error (error);
  assert_order (story, "A:A1,A3");
  g_assert_cmpuint (loom_story_get_scene_count (story), ==, 2);
  g_assert_cmpuint (loom_story_get_word_count (story), ==, 0);

  /* A restart: nothing of this process survives but the library. */
  reopen (f);
  story = first_story (f->store);
  assert_order (story, "A:A1,A3");
  g_assert_cmpuint (trash_size (f->store), ==, 3);

  newest = trash_at (f->store, 0);
  middle = trash_at (f->store, 1);
  oldest = trash_at (f->store, 2);
  g_assert_cmpint (loom_deletion_get_kind (newest), ==, LOOM_TRASH_CHARACTER);
  g_assert_cmpstr (loom_deletion_get_title (newest), ==, "Ivo");
  g_assert_cmpint (loom_deletion_get_kind (middle), ==, LOOM_TRASH_CHAPTER);
  g_assert_cmpstr (loom_deletion_get_title (middle), ==, "B");
  g_assert_cmpuint (loom_deletion_get_n_scenes (middle), ==, 2);
  g_assert_cmpuint (loom_deletion_get_n_words (middle), ==, 4);
  contents = loom_deletion_describe_contents (middle);
  g_assert_cmpstr (contents, ==, "From “The Salt Road” · 2 scenes · 4 words");
  g_assert_cmpint (loom_deletion_get_kind (oldest), ==, LOOM_TRASH_SCENE);
  g_assert_cmpstr (loom_deletion_get_title (oldest), ==, "A2");
  g_assert_null (loom_deletion_get_item (oldest));

  /* Back in any order, each to its place. */
  g_assert_nonnull (loom_store_restore_from_trash (f->store, loom_deletion_get_id (middle),
                                                   &error));
  g_assert_no_error (error);
  assert_order (story, "A:A1,A3|B:B1,B2");
  g_assert_true (loom_store_undo_deletion (f->store, oldest, &error));
  g_assert_no_error (error);
  assert_order (story, "A:A1,A2,A3|B:B1,B2");
  g_assert_cmpstr (test_scene_prose (scene_at (chapter_at (story, 0), 1)), ==,
                   "Salt on her lips, and the wind.");
  g_assert_true (loom_store_undo_deletion (f->store, newest, &error));
  names = character_names (story);
  g_assert_cmpstr (names, ==, "Mara,Ivo");
  g_assert_cmpuint (loom_story_get_scene_count (story), ==, 5);
  g_assert_cmpuint (loom_story_get_word_count (story), ==, 11);
  g_assert_cmpuint (trash_size (f->store), ==, 0);

  /* Exactly as it was: history and usage included. */
  after = test_dump_library (f->path);
  g_assert_cmpstr (before, ==, after);
}

static void
test_story (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LoomStory *story = make_story (f->store, f->path);
  g_autoptr(LoomDeletion) gone = NULL;
  g_autofree char *before = test_dump_library (f->path);
  g_autofree char *after = NULL;
  g_autofree char *consequence = loom_trash_describe_consequence (G_OBJECT (story));
  g_autofree char *names = NULL;
  GObject *back;

  g_assert_cmpstr (consequence, ==,
                   "Its 2 chapters, 5 scenes (11 words) and 2 characters go with it to the "
                   "Trash, where they can be restored for 30 days.");
  gone = loom_store_delete_story (f->store, story, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (loom_store_get_stories (f->store)), ==, 0);
  g_assert_cmpuint (loom_deletion_get_n_chapters (gone), ==, 2);
  g_assert_cmpuint (loom_deletion_get_n_scenes (gone), ==, 5);
  {
    g_autofree char *scenes = test_sql_value (f->path, "SELECT count(*) FROM scenes");
    g_assert_cmpstr (scenes, ==, "0");
  }

  reopen (f);
  g_assert_cmpuint (g_list_model_get_n_items (loom_store_get_stories (f->store)), ==, 0);
  back = loom_store_restore_from_trash (f->store, loom_deletion_get_id (gone), &error);
  g_assert_no_error (error);
  g_assert_true (LOOM_IS_STORY (back));
  g_assert_true (first_story (f->store) == LOOM_STORY (back));
  assert_order (LOOM_STORY (back), "A:A1,A2,A3|B:B1,B2");
  names = character_names (LOOM_STORY (back));
  g_assert_cmpstr (names, ==, "Mara,Ivo");
  g_assert_cmpuint (loom_story_get_word_count (LOOM_STORY (back)), ==, 11);
  after = test_dump_library (f->path);
  g_assert_cmpstr (before, ==, after);
}

/* SQLite gives a deleted row's id to the next new row; the restored one takes another. */
static void
test_ids_taken_meanwhile (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LoomStory *story = make_story (f->store, f->path);
  LoomChapter *b = chapter_at (story, 1);
  LoomScene *b2 = scene_at (b, 1);
  gint64 old_id = loom_scene_get_id (b2);
  g_autoptr(LoomDeletion) gone = NULL;
  g_autoptr(GListModel) revisions = NULL;
  LoomScene *newer;
  GObject *back;

  g_assert_true (loom_scene_set_prose (b2, "Last light.", &error));
  loom_store_add_revision (f->store, b2, "First light.", LOOM_REVISION_GENERATION, "m", &error);
  g_assert_no_error (error);
  gone = loom_store_delete_scene (f->store, b2, &error);
  g_assert_no_error (error);
  newer = loom_store_add_scene (f->store, b, LOOM_POSITION_END, "newer", &error);
  g_assert_no_error (error);
  g_assert_cmpint (loom_scene_get_id (newer), ==, old_id);

  back = loom_store_restore_from_trash (f->store, loom_deletion_get_id (gone), &error);
  g_assert_no_error (error);
  g_assert_true (LOOM_IS_SCENE (back));
  g_assert_cmpint (loom_scene_get_id (LOOM_SCENE (back)), !=, old_id);
  assert_order (story, "A:A1,A2,A3|B:B1,B2,newer");
  g_assert_cmpstr (test_scene_prose (LOOM_SCENE (back)), ==, "Last light.");
  g_assert_cmpstr (test_scene_prose (newer), ==, NULL);
  revisions = loom_store_list_revisions (f->store, LOOM_SCENE (back), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (revisions), ==, 1);

  reopen (f);
  assert_order (first_story (f->store), "A:A1,A2,A3|B:B1,B2,newer");
}

static void
test_expiry_and_empty (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LoomStory *story = make_story (f->store, f->path);
  g_autoptr(LoomDeletion) old = NULL;
  g_autoptr(LoomDeletion) recent = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *copies = NULL;

  old = loom_store_delete_chapter (f->store, chapter_at (story, 1), &error);
  g_assert_no_error (error);
  recent = loom_store_delete_scene (f->store, scene_at (chapter_at (story, 0), 0), &error);
  g_assert_no_error (error);

  /* Thirty-one days later, the chapter is gone for good; the scene is still kept. */
  sql = g_strdup_printf ("UPDATE trash SET deleted_at = deleted_at - 31 * 86400000 WHERE id = %"
                         G_GINT64_FORMAT, loom_deletion_get_id (old));
  g_clear_object (&f->store);
  test_sql_exec (f->path, sql);
  reopen (f);
  g_assert_cmpuint (trash_size (f->store), ==, 1);
  g_assert_null (loom_store_restore_from_trash (f->store, loom_deletion_get_id (old), &error));
  g_assert_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  copies = test_sql_value (f->path, "SELECT count(*) FROM trash_scenes");
  g_assert_cmpstr (copies, ==, "1");

  g_assert_true (loom_store_empty_trash (f->store, &error));
  g_assert_cmpuint (trash_size (f->store), ==, 0);
  g_clear_pointer (&copies, g_free);
  copies = test_sql_value (f->path,
                           "SELECT (SELECT count(*) FROM trash_scenes)"
                           " + (SELECT count(*) FROM trash_chapters)"
                           " + (SELECT count(*) FROM trash_scene_revisions)");
  g_assert_cmpstr (copies, ==, "0");
}

/* A scene needs its chapter: restoring it first fails and changes nothing. */
static void
test_needs_its_place (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LoomStory *story = make_story (f->store, f->path);
  LoomChapter *a = chapter_at (story, 0);
  g_autoptr(LoomDeletion) scene_gone = NULL;
  g_autoptr(LoomDeletion) chapter_gone = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  scene_gone = loom_store_delete_scene (f->store, scene_at (a, 0), &error);
  chapter_gone = loom_store_delete_chapter (f->store, a, &error);
  g_assert_no_error (error);
  assert_order (story, "B:B1,B2");

  before = test_dump_library (f->path);
  g_assert_false (loom_store_undo_deletion (f->store, scene_gone, &error));
  g_assert_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "Restore the chapter first"));
  g_clear_error (&error);
  after = test_dump_library (f->path);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpuint (trash_size (f->store), ==, 2);

  g_assert_true (loom_store_undo_deletion (f->store, chapter_gone, &error));
  g_assert_true (loom_store_undo_deletion (f->store, scene_gone, &error));
  g_assert_no_error (error);
  assert_order (story, "A:A1,A2,A3|B:B1,B2");
}

/* The deleting program is killed with the items in the trash; the next one restores them. */
static int
run_deleter (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomStore) store = loom_store_open (path, &error);
  LoomStory *story;
  g_autoptr(LoomDeletion) scene_gone = NULL;
  g_autoptr(LoomDeletion) chapter_gone = NULL;

  if (store == NULL)
    return 2;
  story = first_story (store);
  scene_gone = loom_store_delete_scene (store, scene_at (chapter_at (story, 0), 1), &error);
  chapter_gone = loom_store_delete_chapter (store, chapter_at (story, 1), &error);
  if (error != NULL)
    return 2;
  printf ("deleted\n");
  fflush (stdout);
  for (;;)
    pause ();
}

static void
test_killed_program (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  const char *argv[] = { self, "--deleter", f->path, NULL };
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  char line[32] = { 0 };
  GPid pid;
  int out_fd;
  FILE *out;
  int status;

  make_story (f->store, f->path);
  g_clear_object (&f->store);
  before = test_dump_library (f->path);

  g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                            &pid, NULL, &out_fd, NULL, &error);
  g_assert_no_error (error);
  out = fdopen (out_fd, "r");
  g_assert_nonnull (fgets (line, sizeof line, out));
  g_assert_cmpstr (line, ==, "deleted\n");
  kill (pid, SIGKILL);
  waitpid (pid, &status, 0);
  g_spawn_close_pid (pid);
  fclose (out);
  g_assert_true (WIFSIGNALED (status));

  reopen (f);
  assert_order (first_story (f->store), "A:A1,A3");
  g_assert_cmpuint (trash_size (f->store), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(LoomDeletion) deletion = trash_at (f->store, 1 - i);  /* oldest first */
      g_assert_true (loom_store_undo_deletion (f->store, deletion, &error));
      g_assert_no_error (error);
    }
  assert_order (first_story (f->store), "A:A1,A2,A3|B:B1,B2");
  after = test_dump_library (f->path);
  g_assert_cmpstr (before, ==, after);
}

int
main (int    argc,
      char **argv)
{
  if (argc == 3 && g_str_equal (argv[1], "--deleter"))
    return run_deleter (argv[2]);

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/store/trash/survives-restart", test_survives_restart);
  ADD ("/store/trash/story", test_story);
  ADD ("/store/trash/ids-taken-meanwhile", test_ids_taken_meanwhile);
  ADD ("/store/trash/expiry-and-empty", test_expiry_and_empty);
  ADD ("/store/trash/needs-its-place", test_needs_its_place);
  ADD ("/store/trash/killed-program", test_killed_program);

  return g_test_run ();
}
