/* test-sync.c: two programs on one library (issue 10)
 *
 * Two LoomStore connections on one file stand for the window and storyloom-cli: what one
 * writes, the other sees after loom_store_refresh(), and no write replaces text the writer has
 * not seen without keeping it as a revision.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-sync"

#include "config.h"

#include "loom-chapter.h"
#include "loom-character.h"
#include "loom-deletion.h"
#include "loom-entry.h"
#include "loom-revision.h"
#include "loom-scene.h"
#include "loom-store.h"
#include "loom-story.h"
#include "test-util.h"

typedef struct
{
  char      *dir;
  char      *path;
  LoomStore *window;     /* "ours" */
  LoomStore *other;      /* another program */
  LoomStory *story;      /* in window */
  LoomScene *scene;      /* in window */
  GPtrArray *deleted;    /* what deleted-elsewhere named */
  guint      conflicts;
  GString   *text_conflicts;  /* "property;" for each text-conflict */
} Fixture;

static void
on_deleted (LoomStore *store,
            GObject   *item,
            Fixture   *f)
{
  g_ptr_array_add (f->deleted, g_object_ref (item));
}

static void
on_conflict (LoomStore *store,
             LoomScene *scene,
             Fixture   *f)
{
  f->conflicts++;
}

static void
on_text_conflict (LoomStore  *store,
                  GObject    *item,
                  const char *property,
                  Fixture    *f)
{
  g_string_append_printf (f->text_conflicts, "%s;", property);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LoomChapter *chapter;

  f->window = test_library_open ("storyloom-sync-XXXXXX", &f->dir, &f->path);
  f->scene = test_add_one_scene (f->window, &f->story, &chapter);
  loom_store_add_scene (f->window, chapter, 1, "The storm", &error);
  g_assert_no_error (error);
  loom_scene_set_prose (f->scene, "The harbour was quiet.", &error);
  g_assert_no_error (error);

  f->other = loom_store_open (f->path, &error);
  g_assert_no_error (error);

  f->deleted = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect (f->window, "deleted-elsewhere", G_CALLBACK (on_deleted), f);
  g_signal_connect (f->window, "prose-conflict", G_CALLBACK (on_conflict), f);
  f->text_conflicts = g_string_new (NULL);
  g_signal_connect (f->window, "text-conflict", G_CALLBACK (on_text_conflict), f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->deleted, g_ptr_array_unref);
  g_string_free (f->text_conflicts, TRUE);
  g_clear_object (&f->other);
  test_library_close (&f->window, &f->dir, &f->path);
}

/* The other program's copy of the window's scene. */
static LoomScene *
other_scene (Fixture *f)
{
  LoomScene *scene = loom_store_lookup_scene (f->other, loom_scene_get_id (f->scene));

  g_assert_nonnull (scene);
  return scene;
}

static char *
stored_prose (Fixture *f)
{
  g_autofree char *sql = g_strdup_printf ("SELECT prose FROM scenes WHERE id = %"
                                          G_GINT64_FORMAT, loom_scene_get_id (f->scene));
  return test_sql_value (f->path, sql);
}

static guint
count_revisions (Fixture    *f,
                 const char *prose)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) revisions = loom_store_list_revisions (f->window, f->scene, &error);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (revisions); i++)
    {
      g_autoptr(LoomRevision) revision = g_list_model_get_item (revisions, i);

      if (loom_revision_get_origin (revision) == LOOM_REVISION_ELSEWHERE &&
          g_strcmp0 (loom_revision_get_prose (revision), prose) == 0)
        n++;
    }
  return n;
}

static void
test_nothing_changed (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gboolean changed = TRUE;

  /* Our own writes are not someone else's. */
  loom_scene_set_prose (f->scene, "Still ours.", &error);
  g_assert_no_error (error);
  g_assert_true (loom_store_refresh (f->window, &changed, &error));
  g_assert_no_error (error);
  g_assert_false (changed);
}

static void
test_prose_from_elsewhere (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint notified = 0;
  gboolean changed = FALSE;

  g_signal_connect_swapped (f->scene, "notify::prose", G_CALLBACK (test_count_signal),
                            &notified);
  loom_scene_set_prose (other_scene (f), "The harbour burned all night long.", &error);
  g_assert_no_error (error);
  loom_scene_set_outline (other_scene (f), "The boat burns", &error);
  g_assert_no_error (error);

  g_assert_true (loom_store_refresh (f->window, &changed, &error));
  g_assert_no_error (error);
  g_assert_true (changed);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpstr (loom_scene_get_prose (f->scene), ==, "The harbour burned all night long.");
  g_assert_cmpstr (loom_scene_get_outline (f->scene), ==, "The boat burns");
  g_assert_cmpuint (loom_scene_get_word_count (f->scene), ==, 6);
  g_assert_cmpuint (loom_story_get_word_count (f->story), ==, 6);
  g_signal_handlers_disconnect_by_func (f->scene, test_count_signal, &notified);
}

/* The window saves text edited from the old prose, not knowing another program wrote since. */
static void
test_conflict_unseen (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *prose = NULL;
  guint base = loom_scene_get_prose_version (f->scene);

  loom_scene_set_prose (other_scene (f), "The command line wrote this.", &error);
  g_assert_no_error (error);

  loom_scene_set_prose_edited (f->scene, "The writer typed this.", base, &error);
  g_assert_no_error (error);
  prose = stored_prose (f);
  g_assert_cmpstr (prose, ==, "The writer typed this.");
  g_assert_cmpuint (count_revisions (f, "The command line wrote this."), ==, 1);
  g_assert_cmpuint (f->conflicts, ==, 1);
}

/* The other text was already reloaded into the scene while the editor held unsaved edits. */
static void
test_conflict_reloaded (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *prose = NULL;
  guint base = loom_scene_get_prose_version (f->scene);

  loom_scene_set_prose (other_scene (f), "The command line wrote this.", &error);
  g_assert_no_error (error);
  g_assert_true (loom_store_refresh (f->window, NULL, &error));
  g_assert_cmpstr (loom_scene_get_prose (f->scene), ==, "The command line wrote this.");

  loom_scene_set_prose_edited (f->scene, "The writer typed this.", base, &error);
  g_assert_no_error (error);
  prose = stored_prose (f);
  g_assert_cmpstr (prose, ==, "The writer typed this.");
  g_assert_cmpuint (count_revisions (f, "The command line wrote this."), ==, 1);
  g_assert_cmpuint (f->conflicts, ==, 1);
}

/* Another program changed only the outline: the prose is saved without a false alarm. */
static void
test_no_false_conflict (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint base = loom_scene_get_prose_version (f->scene);

  loom_scene_set_outline (other_scene (f), "Another outline", &error);
  g_assert_no_error (error);
  loom_scene_set_prose_edited (f->scene, "The writer typed this.", base, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (f->conflicts, ==, 0);
}

static char *
describe_story (LoomStory *story)
{
  GString *s = g_string_new (NULL);
  GListModel *chapters = loom_story_get_chapters (story);

  g_string_append_printf (s, "%s:", loom_story_get_title (story));
  for (guint c = 0; c < g_list_model_get_n_items (chapters); c++)
    {
      g_autoptr(LoomChapter) chapter = g_list_model_get_item (chapters, c);
      GListModel *scenes = loom_chapter_get_scenes (chapter);

      g_string_append_printf (s, " [%u %s", loom_chapter_get_number (chapter),
                              loom_chapter_get_title (chapter));
      for (guint i = 0; i < g_list_model_get_n_items (scenes); i++)
        {
          g_autoptr(LoomScene) scene = g_list_model_get_item (scenes, i);

          g_string_append_printf (s, " %u.%u %s", loom_chapter_get_number (chapter),
                                  loom_scene_get_number (scene), loom_scene_get_outline (scene));
        }
      g_string_append (s, "]");
    }
  return g_string_free (s, FALSE);
}

static void
test_structure (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TestSignalLog) log = NULL;
  g_autoptr(LoomScene) storm = NULL;
  g_autoptr(LoomDeletion) deletion = NULL;
  g_autofree char *ours = NULL;
  g_autofree char *theirs = NULL;
  LoomStory *story = loom_store_lookup_story (f->other, loom_story_get_id (f->story));
  LoomChapter *first;
  LoomChapter *second;
  LoomChapter *chapter;

  chapter = g_list_model_get_item (loom_story_get_chapters (f->story), 0);
  log = test_signal_log_new (loom_chapter_get_scenes (chapter));
  storm = g_list_model_get_item (loom_chapter_get_scenes (chapter), 1);
  g_object_unref (chapter);

  loom_story_set_title (story, "High Tide", &error);
  g_assert_no_error (error);
  first = g_list_model_get_item (loom_story_get_chapters (story), 0);
  second = loom_store_add_chapter (f->other, story, 1, "Two", &error);
  g_assert_no_error (error);
  loom_store_add_scene (f->other, first, 0, "Before dawn", &error);
  g_assert_no_error (error);
  loom_store_add_scene (f->other, second, 0, "Landfall", &error);
  g_assert_no_error (error);
  loom_store_move_scene (f->other, loom_store_lookup_scene (f->other, loom_scene_get_id (storm)),
                         second, 1, &error);
  g_assert_no_error (error);
  g_object_unref (first);

  g_assert_true (loom_store_refresh (f->window, NULL, &error));
  g_assert_no_error (error);
  ours = describe_story (f->story);
  theirs = describe_story (story);
  g_assert_cmpstr (ours, ==, theirs);
  g_assert_cmpstr (ours, ==, "High Tide: [1 One 1.1 Before dawn 1.2 The boat leaves]"
                             " [2 Two 2.1 Landfall 2.2 The storm]");
  /* The same objects, moved: the storm left chapter one, the new scene came in front. */
  g_assert_true (g_list_model_get_item (loom_chapter_get_scenes (loom_scene_get_chapter (storm)),
                                        1) == (gpointer) storm);
  g_object_unref (storm);
  test_signal_log_assert (log, "1-1+0 0-0+1");
  g_assert_cmpuint (loom_story_get_scene_count (f->story), ==, 4);
  g_assert_cmpuint (f->deleted->len, ==, 0);

  /* A deletion elsewhere is announced with the very object the window shows. */
  deletion = loom_store_delete_scene (f->other, other_scene (f), &error);
  g_assert_no_error (error);
  g_assert_true (loom_store_refresh (f->window, NULL, &error));
  g_assert_cmpuint (f->deleted->len, ==, 1);
  g_assert_true (g_ptr_array_index (f->deleted, 0) == (gpointer) f->scene);
  g_assert_null (loom_store_lookup_scene (f->window, loom_scene_get_id (f->scene)));
  g_clear_pointer (&ours, g_free);
  ours = describe_story (f->story);
  g_assert_cmpstr (ours, ==, "High Tide: [1 One 1.1 Before dawn] [2 Two 2.1 Landfall 2.2 The storm]");
}

static void
test_story_deleted (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomScene) scene = g_object_ref (f->scene);
  g_autoptr(LoomStory) story = g_object_ref (f->story);
  gboolean saw_story = FALSE, saw_scene = FALSE;

  loom_store_delete_story (f->other, loom_store_lookup_story (f->other, loom_story_get_id (story)),
                           &error);
  g_assert_no_error (error);
  g_assert_true (loom_store_refresh (f->window, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (loom_store_get_stories (f->window)), ==, 0);
  for (guint i = 0; i < f->deleted->len; i++)
    {
      saw_story |= g_ptr_array_index (f->deleted, i) == (gpointer) story;
      saw_scene |= g_ptr_array_index (f->deleted, i) == (gpointer) scene;
    }
  g_assert_true (saw_story);
  g_assert_true (saw_scene);

  /* Saving into it fails with a sentence; nothing is written. */
  g_assert_false (loom_scene_set_prose (scene, "Lost?", &error));
  g_assert_nonnull (error);
}

/* The window generates the scene while another program edits it: both texts survive. */
static void
test_edit_during_generation (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LoomGenerationEnd end = {
    .outcome = LOOM_GENERATION_COMPLETE,
    .prose = "The model wrote the whole scene.",
    .prompt_tokens = -1,
    .completion_tokens = -1,
    .cost = -1,
  };
  gint64 id;

  id = loom_store_begin_generation (f->window, f->scene, "test/model", NULL, &error);
  g_assert_no_error (error);
  loom_scene_stream_prose (f->scene, "The model wrote");
  g_assert_true (loom_store_flush_prose (f->window, f->scene, &error));

  loom_scene_set_prose (other_scene (f), "Typed in the other program meanwhile.", &error);
  g_assert_no_error (error);
  /* The refresh leaves the stream alone. */
  g_assert_true (loom_store_refresh (f->window, NULL, &error));
  g_assert_cmpstr (loom_scene_get_prose (f->scene), ==, "The model wrote");

  loom_scene_stream_prose (f->scene, "The model wrote the whole");
  g_assert_true (loom_store_flush_prose (f->window, f->scene, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_revisions (f, "Typed in the other program meanwhile."), ==, 1);
  g_assert_cmpuint (f->conflicts, ==, 1);

  g_assert_true (loom_store_end_generation (f->window, f->scene, id, &end, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_revisions (f, "Typed in the other program meanwhile."), ==, 1);
  g_assert_cmpuint (f->conflicts, ==, 1);
}

static char *
stored_column (Fixture    *f,
               const char *table,
               const char *column,
               gint64      id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM %s WHERE id = %" G_GINT64_FORMAT,
                                          column, table, id);
  return test_sql_value (f->path, sql);
}

/* Issue 10: the window saves an outline edited from the old one, not knowing another program
 * changed it since. Both versions stay in the outline, the writer's first; it is said. */
static void
test_outline_conflict_unseen (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *base = g_strdup (loom_scene_get_outline (f->scene));
  g_autofree char *before = NULL;
  g_autofree char *stored = NULL;

  loom_scene_set_outline (other_scene (f), "The boat sinks", &error);
  g_assert_no_error (error);

  g_assert_true (loom_scene_set_outline_edited (f->scene, "The boat leaves at dawn", base,
                                                &before, &error));
  g_assert_no_error (error);
  stored = stored_column (f, "scenes", "outline", loom_scene_get_id (f->scene));
  g_assert_cmpstr (stored, ==, "The boat leaves at dawn\n\nThe boat sinks");
  g_assert_cmpstr (loom_scene_get_outline (f->scene), ==, stored);
  g_assert_cmpstr (before, ==, "The boat sinks");
  g_assert_cmpstr (f->text_conflicts->str, ==, "outline;");

  /* The other program sees both after its own refresh. */
  g_assert_true (loom_store_refresh (f->other, NULL, &error));
  g_assert_cmpstr (loom_scene_get_outline (other_scene (f)), ==, stored);
}

/* The other outline was already reloaded into the scene while the editor held unsaved edits
 * made from the old one: the save must not write over it. */
static void
test_outline_conflict_reloaded (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *base = g_strdup (loom_scene_get_outline (f->scene));
  g_autofree char *stored = NULL;

  loom_scene_set_outline (other_scene (f), "The boat sinks", &error);
  g_assert_no_error (error);
  g_assert_true (loom_store_refresh (f->window, NULL, &error));
  g_assert_cmpstr (loom_scene_get_outline (f->scene), ==, "The boat sinks");

  g_assert_true (loom_scene_set_outline_edited (f->scene, "The boat leaves at dawn", base, NULL,
                                                &error));
  g_assert_no_error (error);
  stored = stored_column (f, "scenes", "outline", loom_scene_get_id (f->scene));
  g_assert_cmpstr (stored, ==, "The boat leaves at dawn\n\nThe boat sinks");
  g_assert_cmpstr (f->text_conflicts->str, ==, "outline;");
}

/* No conflict without a change elsewhere, and none when both wrote the same text; a plain
 * setter works from what this program last read, so it too keeps an unseen change. */
static void
test_outline_no_false_conflict (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;

  g_assert_true (loom_scene_set_outline (f->scene, "The boat leaves late", &error));
  g_assert_no_error (error);
  loom_scene_set_prose (other_scene (f), "Only the prose changed.", &error);
  g_assert_no_error (error);
  g_assert_true (loom_scene_set_outline_edited (f->scene, "The boat leaves at last",
                                                "The boat leaves late", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (f->text_conflicts->str, ==, "");

  g_assert_true (loom_store_refresh (f->other, NULL, &error));
  loom_scene_set_outline (other_scene (f), "Same words", &error);
  g_assert_no_error (error);
  g_assert_true (loom_scene_set_outline_edited (f->scene, "Same words", "The boat leaves at last",
                                                NULL, &error));
  g_assert_cmpstr (f->text_conflicts->str, ==, "");

  loom_scene_set_outline (other_scene (f), "Changed again", &error);
  g_assert_no_error (error);
  g_assert_true (loom_scene_set_outline (f->scene, "Mine", &error));
  stored = stored_column (f, "scenes", "outline", loom_scene_get_id (f->scene));
  g_assert_cmpstr (stored, ==, "Mine\n\nChanged again");
  g_assert_cmpstr (f->text_conflicts->str, ==, "outline;");
}

/* Issue 10: a character's name, traits and backstory, each edited in the window from what it
 * loaded while another program changed them. */
static void
test_character_conflict (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LoomCharacter *mine;
  LoomCharacter *theirs;
  g_autofree char *name = NULL;
  g_autofree char *traits = NULL;
  g_autofree char *backstory = NULL;
  g_autofree char *before = NULL;
  gint64 id;

  mine = loom_store_add_character (f->window, f->story, "Mara", "brave", NULL, &error);
  g_assert_no_error (error);
  id = loom_character_get_id (mine);
  g_assert_true (loom_store_refresh (f->other, NULL, &error));
  loom_story_get_characters (loom_store_lookup_story (f->other, loom_story_get_id (f->story)));
  theirs = loom_store_lookup_character (f->other, id);
  g_assert_nonnull (theirs);

  loom_character_set_name (theirs, "Marra", &error);
  g_assert_no_error (error);
  loom_character_set_traits (theirs, "brave, tired", &error);
  g_assert_no_error (error);
  loom_character_set_backstory (theirs, "Grew up on the ferry.", &error);
  g_assert_no_error (error);
  /* The window has seen the other name (a refresh), not the rest. */
  g_assert_true (loom_store_refresh (f->window, NULL, &error));
  g_assert_cmpstr (loom_character_get_name (mine), ==, "Marra");
  test_sql_exec (f->path, "UPDATE characters SET traits = 'brave, sleepless'");

  g_assert_true (loom_character_set_text_edited (mine, "name", "Mara Vell", "Mara", &before,
                                                 &error));
  g_assert_no_error (error);
  g_assert_cmpstr (before, ==, "Marra");
  g_assert_true (loom_character_set_text_edited (mine, "traits", "brave, kind", "brave", NULL,
                                                 &error));
  g_assert_true (loom_character_set_text_edited (mine, "backstory", "Lost her brother.", NULL,
                                                 NULL, &error));
  g_assert_no_error (error);

  name = stored_column (f, "characters", "name", id);
  traits = stored_column (f, "characters", "traits", id);
  backstory = stored_column (f, "characters", "backstory", id);
  g_assert_cmpstr (name, ==, "Mara Vell / Marra");
  g_assert_cmpstr (traits, ==, "brave, kind / brave, sleepless");
  g_assert_cmpstr (backstory, ==, "Lost her brother.\n\nGrew up on the ferry.");
  g_assert_cmpstr (loom_character_get_traits (mine), ==, traits);
  g_assert_cmpstr (f->text_conflicts->str, ==, "name;traits;backstory;");

  /* Unchanged elsewhere: a plain save, no alarm. */
  g_string_truncate (f->text_conflicts, 0);
  g_assert_true (loom_character_set_text_edited (mine, "traits", "kind", traits, NULL, &error));
  g_assert_cmpstr (loom_character_get_traits (mine), ==, "kind");
  g_assert_cmpstr (f->text_conflicts->str, ==, "");

  /* Deleted elsewhere: an error with a sentence, nothing written. */
  test_sql_exec (f->path, "DELETE FROM characters");
  g_assert_false (loom_character_set_text_edited (mine, "traits", "lost", "kind", NULL, &error));
  g_assert_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_NOT_FOUND);
}

/* What each text column of the bible keeps for "none", and an entry's edit over another
 * program's: the same conflict rule as a character's. */
static void
test_bible_text_columns (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *description = NULL;
  g_autofree char *aliases = NULL;
  g_autofree char *traits = NULL;
  g_autofree char *backstory = NULL;
  g_autofree char *name = NULL;
  LoomCharacter *mara;
  LoomEntry *mill;
  gint64 mill_id, mara_id;

  mill = loom_store_add_entry (f->window, f->story, LOOM_ENTRY_PLACE, "Mill", "", "",
                               LOOM_INCLUSION_MENTIONED, &error);
  g_assert_no_error (error);
  mill_id = loom_entry_get_id (mill);
  test_sql_exec (f->path, "UPDATE entries SET description = 'Burned.'");

  /* The window still shows "": the writer's text comes first, the other program's is kept. */
  g_assert_true (loom_entry_set_text_edited (mill, "description", "Rebuilt.", "", &before,
                                             &error));
  g_assert_no_error (error);
  g_assert_cmpstr (before, ==, "Burned.");
  description = stored_column (f, "entries", "description", mill_id);
  g_assert_cmpstr (description, ==, "Rebuilt.\n\nBurned.");
  g_assert_cmpstr (loom_entry_get_description (mill), ==, description);
  g_assert_cmpstr (f->text_conflicts->str, ==, "description;");

  /* No base is the empty text the row holds: a plain save, no alarm. */
  g_string_truncate (f->text_conflicts, 0);
  g_assert_true (loom_entry_set_text_edited (mill, "aliases", "Grindhouse", NULL, NULL, &error));
  g_assert_no_error (error);
  aliases = stored_column (f, "entries", "aliases", mill_id);
  g_assert_cmpstr (aliases, ==, "Grindhouse");
  g_assert_cmpstr (f->text_conflicts->str, ==, "");

  /* An entry's description of none is "", never NULL. */
  g_assert_true (loom_entry_set_description (mill, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&description, g_free);
  description = stored_column (f, "entries", "description", mill_id);
  g_assert_cmpstr (description, ==, "");
  g_assert_cmpstr (loom_entry_get_description (mill), ==, "");

  /* A name cannot be emptied; the row keeps the old one. */
  g_assert_false (loom_entry_set_name (mill, "  ", &error));
  g_assert_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (loom_entry_set_text_edited (mill, "name", NULL, "Mill", NULL, &error));
  g_assert_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_INVALID);
  g_clear_error (&error);
  name = stored_column (f, "entries", "name", mill_id);
  g_assert_cmpstr (name, ==, "Mill");
  g_assert_cmpstr (loom_entry_get_name (mill), ==, "Mill");

  /* A character's traits and aliases of none are "", its backstory of none is NULL. */
  mara = loom_store_add_character (f->window, f->story, "Mara", "brave", "Ferry child.",
                                   &error);
  g_assert_no_error (error);
  mara_id = loom_character_get_id (mara);
  g_assert_true (loom_character_set_traits (mara, NULL, &error));
  g_assert_true (loom_character_set_backstory (mara, "", &error));
  g_assert_true (loom_character_set_text_edited (mara, "aliases", "Mar", NULL, NULL, &error));
  g_assert_no_error (error);
  traits = stored_column (f, "characters", "traits", mara_id);
  backstory = stored_column (f, "characters", "backstory", mara_id);
  g_clear_pointer (&aliases, g_free);
  aliases = stored_column (f, "characters", "aliases", mara_id);
  g_assert_cmpstr (traits, ==, "");
  g_assert_cmpstr (backstory, ==, NULL);
  g_assert_cmpstr (aliases, ==, "Mar");
  g_assert_cmpstr (loom_character_get_traits (mara), ==, "");
  g_assert_null (loom_character_get_backstory (mara));
  g_assert_cmpstr (loom_character_get_aliases (mara), ==, "Mar");
  g_assert_cmpstr (f->text_conflicts->str, ==, "");
}

/* Each table's row as another program leaves it, read column by column into the window's
 * objects: a word this version does not know (a newer version's, a hand edit's) reads as the
 * default, and a goal out of range is clamped, never wrapped. */
static void
test_rows_read_elsewhere (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *known = NULL;
  g_autofree char *unknown = NULL;
  LoomCharacter *mara;
  LoomEntry *mill;

  mara = loom_store_add_character (f->window, f->story, "Mara", NULL, NULL, &error);
  g_assert_no_error (error);
  mill = loom_store_add_entry (f->window, f->story, LOOM_ENTRY_PLACE, "Mill", "", "",
                               LOOM_INCLUSION_MENTIONED, &error);
  g_assert_no_error (error);

  known = g_strdup_printf ("UPDATE scenes SET status = 'complete', outline = 'Ashore'"
                           " WHERE id = %" G_GINT64_FORMAT ";"
                           "UPDATE characters SET inclusion = 'never', traits = 'calm';"
                           "UPDATE entries SET kind = 'group', inclusion = 'never';"
                           "UPDATE stories SET target_words = 80000, daily_goal = 500,"
                           " deadline = '2027-03-01'",
                           loom_scene_get_id (f->scene));
  test_sql_exec (f->path, known);
  g_assert_true (loom_store_refresh (f->window, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (loom_scene_get_status (f->scene), ==, LOOM_SCENE_STATUS_COMPLETE);
  g_assert_cmpstr (loom_scene_get_outline (f->scene), ==, "Ashore");
  g_assert_cmpint (loom_character_get_inclusion (mara), ==, LOOM_INCLUSION_NEVER);
  g_assert_cmpstr (loom_character_get_traits (mara), ==, "calm");
  g_assert_cmpint (loom_entry_get_kind (mill), ==, LOOM_ENTRY_GROUP);
  g_assert_cmpint (loom_entry_get_inclusion (mill), ==, LOOM_INCLUSION_NEVER);
  g_assert_cmpuint (loom_story_get_target_words (f->story), ==, 80000);
  g_assert_cmpuint (loom_story_get_daily_goal (f->story), ==, 500);
  g_assert_cmpstr (loom_story_get_deadline (f->story), ==, "2027-03-01");

  unknown = g_strdup_printf ("PRAGMA ignore_check_constraints = ON;"
                             "UPDATE scenes SET status = 'reviewing'"
                             " WHERE id = %" G_GINT64_FORMAT ";"
                             "UPDATE characters SET inclusion = 'sometimes';"
                             "UPDATE entries SET kind = 'weather', inclusion = 'sometimes';"
                             "UPDATE stories SET target_words = -5, daily_goal = 10000000000",
                             loom_scene_get_id (f->scene));
  test_sql_exec (f->path, unknown);
  g_assert_true (loom_store_refresh (f->window, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (loom_scene_get_status (f->scene), ==, LOOM_SCENE_STATUS_DRAFT);
  g_assert_cmpint (loom_character_get_inclusion (mara), ==, LOOM_INCLUSION_ALWAYS);
  g_assert_cmpint (loom_entry_get_kind (mill), ==, LOOM_ENTRY_LORE);
  g_assert_cmpint (loom_entry_get_inclusion (mill), ==, LOOM_INCLUSION_MENTIONED);
  g_assert_cmpuint (loom_story_get_target_words (f->story), ==, 0);
  g_assert_cmpuint (loom_story_get_daily_goal (f->story), ==, G_MAXUINT);
  g_assert_cmpuint (f->deleted->len, ==, 0);
}

/* A closed library answers every read and write with the sentence that says so, whether the
 * call checks it first or only asks for a statement. */
static void
test_closed (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) trash = NULL;
  gint64 value = 7;

  loom_store_close (f->other);
  g_assert_false (loom_store_get_setting (f->other, "anything", &value, &error));
  g_assert_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_CLOSED);
  g_assert_cmpint (value, ==, 7);
  g_clear_error (&error);
  g_assert_false (loom_store_set_setting (f->other, "anything", 1, &error));
  g_assert_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_CLOSED);
  g_clear_error (&error);
  trash = loom_store_list_trash (f->other, &error);
  g_assert_null (trash);
  g_assert_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_CLOSED);
  g_clear_error (&error);
  g_assert_false (loom_store_refresh (f->other, NULL, &error));
  g_assert_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_CLOSED);
}

/* What one program moved to the Trash, another restores: it holds no object for it, so the
 * character and the bible entry are read again from their rows, whole, into its lists. */
static void
test_restore_listed_elsewhere (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomDeletion) mara_gone = NULL;
  g_autoptr(LoomDeletion) mill_gone = NULL;
  LoomStory *story = loom_store_lookup_story (f->other, loom_story_get_id (f->story));
  LoomCharacter *mara;
  LoomEntry *mill;
  GObject *back;
  GObject *first;

  mara = loom_store_add_character (f->window, f->story, "Mara", "calm", "Ferry child.", &error);
  g_assert_no_error (error);
  mill = loom_store_add_entry (f->window, f->story, LOOM_ENTRY_PLACE, "Mill", "the mill",
                               "Burned down.", LOOM_INCLUSION_NEVER, &error);
  g_assert_no_error (error);
  mara_gone = loom_store_delete_character (f->window, mara, &error);
  g_assert_no_error (error);
  mill_gone = loom_store_delete_entry (f->window, mill, &error);
  g_assert_no_error (error);
  g_assert_true (loom_store_refresh (f->other, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (loom_story_get_characters (story)), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (loom_story_get_entries (story)), ==, 0);

  back = loom_store_restore_from_trash (f->other, loom_deletion_get_id (mara_gone), &error);
  g_assert_no_error (error);
  g_assert_true (LOOM_IS_CHARACTER (back));
  g_assert_cmpstr (loom_character_get_name (LOOM_CHARACTER (back)), ==, "Mara");
  g_assert_cmpstr (loom_character_get_traits (LOOM_CHARACTER (back)), ==, "calm");
  g_assert_cmpstr (loom_character_get_backstory (LOOM_CHARACTER (back)), ==, "Ferry child.");
  first = g_list_model_get_item (loom_story_get_characters (story), 0);
  g_assert_true (first == back);
  g_clear_object (&first);

  back = loom_store_restore_from_trash (f->other, loom_deletion_get_id (mill_gone), &error);
  g_assert_no_error (error);
  g_assert_true (LOOM_IS_ENTRY (back));
  g_assert_cmpstr (loom_entry_get_name (LOOM_ENTRY (back)), ==, "Mill");
  g_assert_cmpstr (loom_entry_get_aliases (LOOM_ENTRY (back)), ==, "the mill");
  g_assert_cmpstr (loom_entry_get_description (LOOM_ENTRY (back)), ==, "Burned down.");
  g_assert_cmpint (loom_entry_get_kind (LOOM_ENTRY (back)), ==, LOOM_ENTRY_PLACE);
  g_assert_cmpint (loom_entry_get_inclusion (LOOM_ENTRY (back)), ==, LOOM_INCLUSION_NEVER);
  first = g_list_model_get_item (loom_story_get_entries (story), 0);
  g_assert_true (first == back);
  g_clear_object (&first);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/sync/nothing-changed", test_nothing_changed);
  ADD ("/sync/prose-from-elsewhere", test_prose_from_elsewhere);
  ADD ("/sync/conflict-unseen", test_conflict_unseen);
  ADD ("/sync/conflict-reloaded", test_conflict_reloaded);
  ADD ("/sync/no-false-conflict", test_no_false_conflict);
  ADD ("/sync/structure", test_structure);
  ADD ("/sync/story-deleted", test_story_deleted);
  ADD ("/sync/edit-during-generation", test_edit_during_generation);
  ADD ("/sync/outline-conflict-unseen", test_outline_conflict_unseen);
  ADD ("/sync/outline-conflict-reloaded", test_outline_conflict_reloaded);
  ADD ("/sync/outline-no-false-conflict", test_outline_no_false_conflict);
  ADD ("/sync/character-conflict", test_character_conflict);
  ADD ("/sync/bible-text-columns", test_bible_text_columns);
  ADD ("/sync/rows-read-elsewhere", test_rows_read_elsewhere);
  ADD ("/sync/closed", test_closed);
  ADD ("/sync/restore-listed-elsewhere", test_restore_listed_elsewhere);
#undef ADD
  return g_test_run ();
}
