/* test-revisions.c: what generation leaves in the library — no prose is ever lost
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-revisions"

#include "config.h"

#include <stdlib.h>

#include "loom-chapter.h"
#include "loom-revision.h"
#include "loom-scene.h"
#include "loom-store.h"
#include "loom-story.h"
#include "loom-words.h"
#include "test-util.h"

typedef struct
{
  char      *dir;
  char      *path;
  LoomStore *store;
  LoomStory *story;
  LoomScene *scene;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  LoomChapter *chapter;

  f->store = test_library_open ("storyloom-rev-XXXXXX", &f->dir, &f->path);
  f->scene = test_add_one_scene (f->store, &f->story, &chapter);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  test_library_close (&f->store, &f->dir, &f->path);
}

static LoomRevision *
revision_at (GListModel *list,
             guint       i)
{
  g_autoptr(LoomRevision) revision = g_list_model_get_item (list, i);
  return revision;
}

static void
test_complete_then_regenerate (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) revisions = NULL;
  LoomGenerationEnd end = { .outcome = LOOM_GENERATION_COMPLETE, .prompt_tokens = 120,
                            .completion_tokens = 40, .cost = 0.00125, .model = "m/one" };
  gint64 id;
  guint prose_notifies = 0;

  /* A first generation over an empty scene is not a regeneration. */
  id = loom_store_begin_generation (f->store, f->scene, "m/one", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_cmpint (loom_scene_get_status (f->scene), ==, LOOM_SCENE_STATUS_GENERATING);
  g_assert_cmpuint (loom_scene_get_regeneration_count (f->scene), ==, 0);
  {
    g_autofree char *status = test_sql_value (f->path, "SELECT status FROM scenes");
    g_assert_cmpstr (status, ==, "generating");
  }

  g_signal_connect_swapped (f->scene, "notify::prose", G_CALLBACK (test_count_signal),
                            &prose_notifies);
  loom_scene_stream_prose (f->scene, "The boat");
  loom_scene_stream_prose (f->scene, "The boat left at dawn");
  g_assert_cmpuint (prose_notifies, ==, 2);
  g_assert_true (loom_store_flush_prose (f->store, f->scene, &error));
  {
    g_autofree char *stored = test_sql_value (f->path, "SELECT prose || '|' || word_count FROM scenes");
    g_assert_cmpstr (stored, ==, "The boat left at dawn|5");
  }

  end.prose = "The boat left at dawn.";
  g_assert_true (loom_store_end_generation (f->store, f->scene, id, &end, &error));
  g_assert_cmpint (loom_scene_get_status (f->scene), ==, LOOM_SCENE_STATUS_COMPLETE);
  g_assert_cmpuint (loom_story_get_word_count (f->story), ==, 5);
  {
    g_autofree char *row = test_sql_value (f->path,
      "SELECT outcome || '|' || prompt_tokens || '|' || completion_tokens || '|' || cost"
      " || '|' || model FROM generations");
    g_assert_cmpstr (row, ==, "complete|120|40|0.00125|m/one");
  }

  /* Regenerating keeps the finished prose as a revision and counts. */
  id = loom_store_begin_generation (f->store, f->scene, "m/two", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loom_scene_get_regeneration_count (f->scene), ==, 1);
  revisions = loom_store_list_revisions (f->store, f->scene, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (revisions), ==, 1);
  g_assert_cmpstr (loom_revision_get_prose (revision_at (revisions, 0)), ==,
                   "The boat left at dawn.");
  g_assert_cmpint (loom_revision_get_origin (revision_at (revisions, 0)), ==,
                   LOOM_REVISION_GENERATION);

  /* A scene can only be generated once at a time. */
  g_assert_cmpint (loom_store_begin_generation (f->store, f->scene, "m/two", NULL, &error), ==, 0);
  g_assert_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_INVALID);
}

static void
test_error_and_cancel_keep_everything (Fixture       *f,
                                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) revisions = NULL;
  LoomGenerationEnd end = { 0 };
  gint64 id;

  g_assert_true (loom_scene_set_prose (f->scene, "Hand-written opening.", &error));

  id = loom_store_begin_generation (f->store, f->scene, "m/one", NULL, &error);
  g_assert_no_error (error);
  loom_scene_stream_prose (f->scene, "Half a sentence that cost mon");
  g_assert_true (loom_store_flush_prose (f->store, f->scene, &error));

  end = (LoomGenerationEnd) {
    .outcome = LOOM_GENERATION_ERROR, .prose = "Hand-written opening.",
    .partial = "Half a sentence that cost mon", .status = LOOM_SCENE_STATUS_ERROR,
    .error_message = "The server stopped answering.", .prompt_tokens = -1,
    .completion_tokens = -1, .cost = -1, .model = "m/one",
  };
  g_assert_true (loom_store_end_generation (f->store, f->scene, id, &end, &error));
  g_assert_cmpint (loom_scene_get_status (f->scene), ==, LOOM_SCENE_STATUS_ERROR);
  g_assert_cmpstr (loom_scene_get_error_message (f->scene), ==, "The server stopped answering.");
  g_assert_cmpstr (test_scene_prose (f->scene), ==, "Hand-written opening.");
  g_assert_cmpuint (loom_scene_get_word_count (f->scene), ==, 2);

  /* A cancelled regeneration leaves the earlier status and prose. */
  id = loom_store_begin_generation (f->store, f->scene, "m/one", NULL, &error);
  loom_scene_stream_prose (f->scene, "Another try");
  end = (LoomGenerationEnd) {
    .outcome = LOOM_GENERATION_CANCELLED, .prose = "Hand-written opening.",
    .partial = "Another try", .status = LOOM_SCENE_STATUS_DRAFT, .prompt_tokens = -1,
    .completion_tokens = -1, .cost = -1, .model = "m/one",
  };
  g_assert_true (loom_store_end_generation (f->store, f->scene, id, &end, &error));
  g_assert_cmpint (loom_scene_get_status (f->scene), ==, LOOM_SCENE_STATUS_DRAFT);
  g_assert_null (loom_scene_get_error_message (f->scene));

  revisions = loom_store_list_revisions (f->store, f->scene, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GString) seen = g_string_new (NULL);

    for (guint i = 0; i < g_list_model_get_n_items (revisions); i++)
      {
        LoomRevision *r = revision_at (revisions, i);
        g_string_append_printf (seen, "%s:%s;",
                                loom_revision_origin_to_string (loom_revision_get_origin (r)),
                                loom_revision_get_prose (r));
      }
    g_assert_cmpstr (seen->str, ==,
                     "partial:Another try;generation:Hand-written opening.;"
                     "partial:Half a sentence that cost mon;generation:Hand-written opening.;");
  }
  {
    g_autofree char *outcomes = test_sql_value (
      f->path, "SELECT group_concat (outcome || '/' || coalesce (error, '-'), ',')"
               " FROM (SELECT * FROM generations ORDER BY id)");
    g_assert_cmpstr (outcomes, ==, "error/The server stopped answering.,cancelled/-");
  }
}

/* The process dies mid-stream: at the next open the earlier prose is back and what had been
 * streamed is a partial revision. */
static void
test_crash_mid_generation (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) revisions = NULL;
  gint64 scene_id = loom_scene_get_id (f->scene);
  LoomScene *scene;

  g_assert_true (loom_scene_set_prose (f->scene, "The earlier draft, kept.", &error));
  g_assert_cmpint (loom_store_begin_generation (f->store, f->scene, "m/one", "{}", &error), >, 0);
  loom_scene_stream_prose (f->scene, "Streamed words that were paid for");
  g_assert_true (loom_store_flush_prose (f->store, f->scene, &error));

  g_clear_object (&f->store);
  f->store = loom_store_open (f->path, &error);
  g_assert_no_error (error);

  scene = loom_store_lookup_scene (f->store, scene_id);
  g_assert_cmpint (loom_scene_get_status (scene), ==, LOOM_SCENE_STATUS_ERROR);
  g_assert_nonnull (strstr (loom_scene_get_error_message (scene), "interrupted"));
  g_assert_cmpstr (test_scene_prose (scene), ==, "The earlier draft, kept.");
  g_assert_cmpuint (loom_scene_get_word_count (scene), ==, 4);
  revisions = loom_store_list_revisions (f->store, scene, &error);
  g_assert_cmpuint (g_list_model_get_n_items (revisions), ==, 2);
  g_assert_cmpstr (loom_revision_get_prose (revision_at (revisions, 0)), ==,
                   "Streamed words that were paid for");
  g_assert_cmpint (loom_revision_get_origin (revision_at (revisions, 0)), ==,
                   LOOM_REVISION_PARTIAL);
  {
    g_autofree char *outcome = test_sql_value (f->path, "SELECT outcome FROM generations");
    g_assert_cmpstr (outcome, ==, "interrupted");
  }
}

/* Another program opening the library (storyloom-cli beside the window) must leave a scene that
 * is still being generated alone; once the generation ends, nothing is left to recover. */
static void
test_open_beside_running_generation (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomStore) other = NULL;
  LoomGenerationEnd end = { .outcome = LOOM_GENERATION_COMPLETE, .prose = "Finished.",
                            .prompt_tokens = -1, .completion_tokens = -1, .cost = -1 };
  gint64 id;

  id = loom_store_begin_generation (f->store, f->scene, "m", NULL, &error);
  g_assert_cmpint (id, >, 0);
  loom_scene_stream_prose (f->scene, "Half");
  g_assert_true (loom_store_flush_prose (f->store, f->scene, &error));

  other = loom_store_open (f->path, &error);
  g_assert_no_error (error);
  g_clear_object (&other);
  {
    g_autofree char *status = test_sql_value (f->path, "SELECT status || '|' || prose FROM scenes");
    g_assert_cmpstr (status, ==, "generating|Half");
  }

  g_assert_true (loom_store_end_generation (f->store, f->scene, id, &end, &error));
  other = loom_store_open (f->path, &error);
  g_assert_no_error (error);
  {
    g_autofree char *status = test_sql_value (f->path, "SELECT status || '|' || prose FROM scenes");
    g_assert_cmpstr (status, ==, "complete|Finished.");
  }
}

/* A reader for threads: same stories, no writes. */
static void
test_reader (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomStore) reader = NULL;
  g_autofree char *copy = g_build_filename (f->dir, "copy.db", NULL);
  g_autoptr(LoomStore) copied = NULL;
  LoomStory *story;

  g_assert_true (loom_scene_set_prose (f->scene, "Read me.", &error));
  reader = loom_store_open_reader (f->path, &error);
  g_assert_no_error (error);
  story = loom_store_lookup_story (reader, loom_story_get_id (f->story));
  g_assert_nonnull (story);
  g_assert_true (story != f->story);
  g_assert_cmpuint (loom_story_get_word_count (story), ==, 2);
  g_assert_false (loom_story_set_title (story, "Changed", &error));
  g_assert_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);

  g_assert_true (loom_store_snapshot (f->path, copy, &error));
  g_assert_no_error (error);
  copied = loom_store_open (copy, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (loom_store_get_stories (copied)), ==, 1);
}

static void
test_restore_revision (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) revisions = NULL;
  g_autoptr(GListModel) after = NULL;

  g_assert_true (loom_scene_set_prose (f->scene, "Version two.", &error));
  g_assert_true (loom_store_add_revision (f->store, f->scene, "Version one.",
                                          LOOM_REVISION_EDIT, NULL, &error));
  revisions = loom_store_list_revisions (f->store, f->scene, &error);
  g_assert_true (loom_store_restore_revision (f->store, f->scene, revision_at (revisions, 0),
                                              &error));
  g_assert_no_error (error);
  g_assert_cmpstr (test_scene_prose (f->scene), ==, "Version one.");

  after = loom_store_list_revisions (f->store, f->scene, &error);
  g_assert_cmpuint (g_list_model_get_n_items (after), ==, 2);
  g_assert_cmpstr (loom_revision_get_prose (revision_at (after, 0)), ==, "Version two.");
  g_assert_cmpint (loom_revision_get_origin (revision_at (after, 0)), ==, LOOM_REVISION_RESTORE);
}

static void
test_usage (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) usage = NULL;
  LoomGenerationEnd end = { .outcome = LOOM_GENERATION_COMPLETE, .prose = "Done.",
                            .prompt_tokens = 100, .completion_tokens = 10, .cost = 0.5 };
  gint64 id, request;

  for (int i = 0; i < 2; i++)
    {
      id = loom_store_begin_generation (f->store, f->scene, "m", NULL, &error);
      g_assert_true (loom_store_end_generation (f->store, f->scene, id, &end, &error));
    }
  request = loom_store_record_request (f->store, f->story, "outline", "m", &error);
  g_assert_cmpint (request, >, 0);
  g_assert_true (loom_store_finish_request (f->store, request, &end, &error));

  usage = loom_store_get_usage (f->store, f->story, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (usage->len, ==, 2);
  g_assert_cmpint (g_array_index (usage, LoomUsage, 0).scene_id, ==, 0);
  g_assert_cmpint (g_array_index (usage, LoomUsage, 1).scene_id, ==, loom_scene_get_id (f->scene));
  g_assert_cmpuint (g_array_index (usage, LoomUsage, 1).requests, ==, 2);
  g_assert_cmpint (g_array_index (usage, LoomUsage, 1).prompt_tokens, ==, 200);
  g_assert_cmpfloat_with_epsilon (g_array_index (usage, LoomUsage, 1).cost, 1.0, 1e-9);
}

/* Streamed prose grows by appending: a view following it with a mark gets exactly what arrived
 * since, and learns when the prose was replaced instead. What is stored, partway and at the
 * end, is exactly the text streamed, whatever its characters. */
static void
test_stream_append (Fixture       *f,
                    gconstpointer  data)
{
  static const char *const deltas[] = {
    "Zoë", "’s fox ", "🦊", " ran.\n\n", "Sal", "t on the wind", "—", "then nothing.", NULL
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autoptr(GString) followed = g_string_new (NULL);
  g_autoptr(LoomStore) reader = NULL;
  LoomGenerationEnd end = { .outcome = LOOM_GENERATION_COMPLETE, .prompt_tokens = -1,
                            .completion_tokens = -1, .cost = -1 };
  LoomProseMark mark = { 0 };
  LoomScene *copy;
  guint prose_notifies = 0;
  gint64 id;

  g_assert_true (loom_scene_set_prose (f->scene, "An older draft.", &error));
  /* A zeroed mark matches nothing: show the whole prose. */
  g_assert_null (loom_scene_get_prose_since (f->scene, &mark));
  loom_scene_mark_prose (f->scene, &mark);
  g_assert_cmpstr (loom_scene_get_prose_since (f->scene, &mark), ==, "");

  id = loom_store_begin_generation (f->store, f->scene, "m/one", NULL, &error);
  g_assert_no_error (error);
  loom_scene_stream_prose (f->scene, NULL);
  g_assert_null (loom_scene_get_prose_since (f->scene, &mark));
  loom_scene_mark_prose (f->scene, &mark);

  g_signal_connect_swapped (f->scene, "notify::prose", G_CALLBACK (test_count_signal),
                            &prose_notifies);
  for (guint i = 0; i < 40000; i++)
    {
      const char *delta = deltas[i % (G_N_ELEMENTS (deltas) - 1)];
      const char *since;

      g_string_append (expected, delta);
      loom_scene_stream_append (f->scene, delta, -1);
      since = loom_scene_get_prose_since (f->scene, &mark);
      g_assert_nonnull (since);
      g_string_append (followed, since);
      loom_scene_mark_prose (f->scene, &mark);

      if (i == 20000)
        {
          g_autofree char *stored = NULL;
          g_autofree char *words = NULL;

          g_assert_true (loom_store_flush_prose (f->store, f->scene, &error));
          stored = test_sql_value (f->path, "SELECT prose FROM scenes");
          g_assert_true (g_str_equal (stored, expected->str));
          words = test_sql_value (f->path, "SELECT word_count FROM scenes");
          g_assert_cmpuint (g_ascii_strtoull (words, NULL, 10), ==,
                            loom_count_words (expected->str, -1));
          g_assert_cmpuint (loom_scene_get_word_count (f->scene), ==,
                            loom_count_words (expected->str, -1));
          /* Storing does not replace the prose: the mark still holds. */
          g_assert_cmpstr (loom_scene_get_prose_since (f->scene, &mark), ==, "");
        }
    }
  g_assert_cmpuint (prose_notifies, ==, 40000);
  g_assert_true (g_str_equal (test_scene_prose (f->scene), expected->str));
  g_assert_true (g_str_equal (followed->str, expected->str));

  end.prose = expected->str;
  g_assert_true (loom_store_end_generation (f->store, f->scene, id, &end, &error));
  g_assert_cmpstr (loom_scene_get_prose_since (f->scene, &mark), ==, "");

  /* Another connection reads back exactly what streamed. */
  reader = loom_store_open (f->path, &error);
  g_assert_no_error (error);
  copy = loom_store_lookup_scene (reader, loom_scene_get_id (f->scene));
  g_assert_nonnull (copy);
  g_assert_true (g_str_equal (test_scene_prose (copy), expected->str));
  g_assert_cmpuint (loom_scene_get_word_count (copy), ==, loom_count_words (expected->str, -1));

  /* A prose replaced, even by a longer one that begins the same, is not taken for an appended
   * one. */
  g_string_append (expected, " Edited by hand.");
  g_assert_true (loom_scene_set_prose (f->scene, expected->str, &error));
  g_assert_null (loom_scene_get_prose_since (f->scene, &mark));
}

/* Runs one generation of f->scene to its end; returns the text it wrote. */
static const char *
generate (Fixture               *f,
          LoomGenerationOutcome  outcome,
          const char            *model,
          const char            *text)
{
  return test_generate (f->store, f->scene, outcome, model, text);
}

static LoomProseOrigin
origin_of (Fixture  *f,
           char    **model)
{
  g_autoptr(GError) error = NULL;
  LoomProseOrigin origin = LOOM_PROSE_UNKNOWN;

  g_assert_true (loom_store_get_prose_origin (f->store, f->scene, &origin, model, NULL, &error));
  g_assert_no_error (error);
  return origin;
}

/* Each text says who wrote it, with which model and when it was written, in the scene and in
 * every revision that keeps it (issue 13, "History that tells the truth"). */
static void
test_origins (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) revisions = NULL;
  g_autofree char *model = NULL;
  LoomRevision *kept;
  gint64 typed_at;

  /* An empty scene has nobody's words; a generation untouched is not the writer's. */
  g_assert_cmpint (origin_of (f, NULL), ==, LOOM_PROSE_UNKNOWN);
  g_assert_cmpuint (loom_store_get_writers_words (f->store, f->scene), ==, 0);
  generate (f, LOOM_GENERATION_COMPLETE, "m/one", "The boat leaves at dawn.");
  g_assert_cmpint (origin_of (f, &model), ==, LOOM_PROSE_GENERATED);
  g_assert_cmpstr (model, ==, "m/one");
  g_clear_pointer (&model, g_free);
  g_assert_cmpuint (loom_store_get_writers_words (f->store, f->scene), ==, 0);

  /* The writer changes it: edited, with its model kept, and now the writer's words. */
  g_usleep (2000);
  g_assert_true (loom_scene_set_prose (f->scene, "The boat leaves at dawn, late.", &error));
  g_assert_cmpint (origin_of (f, &model), ==, LOOM_PROSE_EDITED);
  g_assert_cmpstr (model, ==, "m/one");
  g_clear_pointer (&model, g_free);
  g_assert_cmpuint (loom_store_get_writers_words (f->store, f->scene), ==, 6);
  typed_at = loom_scene_get_updated_at (f->scene);

  /* A regeneration keeps the edited text with its author and the time it was written, which
   * is not the time it was archived. */
  g_usleep (5000);
  generate (f, LOOM_GENERATION_COMPLETE, "m/two", "The boat is gone by dawn.");
  revisions = loom_store_list_revisions (f->store, f->scene, &error);
  kept = revision_at (revisions, 0);
  g_assert_cmpint (loom_revision_get_origin (kept), ==, LOOM_REVISION_GENERATION);
  g_assert_cmpint (loom_revision_get_author (kept), ==, LOOM_PROSE_EDITED);
  g_assert_cmpstr (loom_revision_get_model (kept), ==, "m/one");
  g_assert_cmpint (loom_revision_get_written_at (kept), ==, typed_at);
  g_assert_cmpint (loom_revision_get_created_at (kept), >, typed_at);
  g_assert_cmpuint (loom_revision_get_word_count (kept), ==, 6);
  g_clear_object (&revisions);

  /* A stopped generation is partial, with its model; the scene keeps m/two's text. */
  generate (f, LOOM_GENERATION_CANCELLED, "m/three", "The boat");
  revisions = loom_store_list_revisions (f->store, f->scene, &error);
  kept = revision_at (revisions, 0);
  g_assert_cmpint (loom_revision_get_origin (kept), ==, LOOM_REVISION_PARTIAL);
  g_assert_cmpint (loom_revision_get_author (kept), ==, LOOM_PROSE_PARTIAL);
  g_assert_cmpstr (loom_revision_get_model (kept), ==, "m/three");
  g_assert_cmpint (loom_revision_get_written_at (kept), >, 0);
  g_assert_cmpint (origin_of (f, &model), ==, LOOM_PROSE_GENERATED);
  g_assert_cmpstr (model, ==, "m/two");
  g_clear_pointer (&model, g_free);

  /* Restoring the writer's edit brings back who wrote it, not "the writer, just now"; the
   * generation it replaced is kept as m/two's. */
  {
    g_autoptr(GListModel) all = loom_store_list_revisions (f->store, f->scene, &error);
    /* newest first: the partial text, m/two's prose kept when the stopped one began, the edit */
    LoomRevision *edited = revision_at (all, 2);

    g_assert_cmpint (loom_revision_get_author (edited), ==, LOOM_PROSE_EDITED);
    g_assert_true (loom_store_restore_revision (f->store, f->scene, edited, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpstr (test_scene_prose (f->scene), ==, "The boat leaves at dawn, late.");
  g_assert_cmpint (origin_of (f, &model), ==, LOOM_PROSE_EDITED);
  g_clear_pointer (&model, g_free);
  {
    g_autoptr(GListModel) all = loom_store_list_revisions (f->store, f->scene, &error);
    LoomRevision *replaced = revision_at (all, 0);
    gint64 written_at = 0;

    g_assert_cmpint (loom_revision_get_origin (replaced), ==, LOOM_REVISION_RESTORE);
    g_assert_cmpint (loom_revision_get_author (replaced), ==, LOOM_PROSE_GENERATED);
    g_assert_cmpstr (loom_revision_get_model (replaced), ==, "m/two");
    g_assert_true (loom_store_get_prose_origin (f->store, f->scene, &(LoomProseOrigin) { 0 },
                                                NULL, &written_at, &error));
    g_assert_cmpint (written_at, ==, typed_at);
  }

  /* Typed from nothing: the writer's. */
  g_assert_true (loom_scene_set_prose (f->scene, NULL, &error));
  g_assert_cmpint (origin_of (f, NULL), ==, LOOM_PROSE_UNKNOWN);
  g_assert_true (loom_scene_set_prose (f->scene, "Typed by hand.", &error));
  g_assert_cmpint (origin_of (f, &model), ==, LOOM_PROSE_WRITER);
  g_assert_null (model);
  g_assert_cmpuint (loom_store_get_writers_words (f->store, f->scene), ==, 3);
}

/* Undoing a generation restores the revision it replaced; the generated text is kept too. */
static void
test_replaced_and_snapshot (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomRevision) replaced = NULL;
  g_autoptr(LoomRevision) generated = NULL;

  generate (f, LOOM_GENERATION_COMPLETE, "m/one", "First draft.");
  replaced = loom_store_get_replaced_revision (f->store, f->scene, &error);
  g_assert_no_error (error);
  g_assert_null (replaced);

  g_assert_true (loom_scene_set_prose (f->scene, "Mine now.", &error));
  generate (f, LOOM_GENERATION_COMPLETE, "m/one", "Second draft.");
  replaced = loom_store_get_replaced_revision (f->store, f->scene, &error);
  g_assert_nonnull (replaced);
  g_assert_cmpstr (loom_revision_get_prose (replaced), ==, "Mine now.");
  g_assert_cmpint (loom_revision_get_author (replaced), ==, LOOM_PROSE_EDITED);

  generated = loom_store_snapshot_prose (f->store, f->scene, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loom_revision_get_prose (generated), ==, "Second draft.");
  g_assert_cmpint (loom_revision_get_author (generated), ==, LOOM_PROSE_GENERATED);

  /* undo, then redo */
  g_assert_true (loom_store_restore_revision (f->store, f->scene, replaced, &error));
  g_assert_cmpstr (test_scene_prose (f->scene), ==, "Mine now.");
  g_assert_cmpuint (loom_store_get_writers_words (f->store, f->scene), ==, 2);
  g_assert_true (loom_store_restore_revision (f->store, f->scene, generated, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (test_scene_prose (f->scene), ==, "Second draft.");
  g_assert_cmpuint (loom_store_get_writers_words (f->store, f->scene), ==, 0);
}

/* A library from version 3 gets its origins guessed on open, towards "the writer's". */
static void
test_migrate_from_v3 (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) revisions = NULL;
  LoomChapter *chapter = loom_scene_get_chapter (f->scene);
  LoomScene *typed;
  LoomScene *touched;
  gint64 ids[3];
  g_autofree char *version = NULL;

  generate (f, LOOM_GENERATION_CANCELLED, "m/one", "Stopped half");
  generate (f, LOOM_GENERATION_COMPLETE, "m/one", "Generated and left alone.");
  typed = loom_store_add_scene (f->store, chapter, LOOM_POSITION_END, "Typed", &error);
  g_assert_true (loom_scene_set_prose (typed, "Typed by the writer.", &error));
  touched = loom_store_add_scene (f->store, chapter, LOOM_POSITION_END, "Touched", &error);
  {
    LoomScene *keep = f->scene;

    f->scene = touched;
    generate (f, LOOM_GENERATION_COMPLETE, "m/two", "Generated, then edited.");
    f->scene = keep;
  }
  /* later than the generation's end by more than the migration's allowance (100 ms) */
  g_usleep (250 * 1000);
  g_assert_true (loom_scene_set_prose (touched, "Generated, then edited by hand.", &error));
  g_assert_no_error (error);
  ids[0] = loom_scene_get_id (f->scene);
  ids[1] = loom_scene_get_id (typed);
  ids[2] = loom_scene_get_id (touched);
  g_clear_object (&f->store);

  /* What version 3 was: none of the columns, nothing recorded. */
  test_sql_exec (f->path,
                 "ALTER TABLE scenes DROP COLUMN prose_origin;"
                 "ALTER TABLE scenes DROP COLUMN prose_model;"
                 "ALTER TABLE scenes DROP COLUMN prose_at;"
                 "ALTER TABLE scene_revisions DROP COLUMN author;"
                 "ALTER TABLE scene_revisions DROP COLUMN written_at;"
                 "ALTER TABLE trash_scenes DROP COLUMN prose_origin;"
                 "ALTER TABLE trash_scenes DROP COLUMN prose_model;"
                 "ALTER TABLE trash_scenes DROP COLUMN prose_at;"
                 "ALTER TABLE trash_scene_revisions DROP COLUMN author;"
                 "ALTER TABLE trash_scene_revisions DROP COLUMN written_at;"
                 "ALTER TABLE generations DROP COLUMN partial_answered_at;"
                 "ALTER TABLE trash_generations DROP COLUMN partial_answered_at;"
                 /* nor those of versions 6 to 9 */
                 TEST_SQL_UNDO_V16 TEST_SQL_UNDO_V15 TEST_SQL_UNDO_V14
                 TEST_SQL_UNDO_V10 TEST_SQL_UNDO_V11 TEST_SQL_UNDO_V12 TEST_SQL_UNDO_V13
                 "DROP TABLE revise_templates;"
                 "DROP TABLE revise_instructions;"
                 "DROP TABLE scene_inputs;"
                 /* nor those of version 8 */
                 "DROP TABLE word_log; DROP TABLE trash_word_log;"
                 TEST_SQL_UNDO_V9
                 "PRAGMA user_version = 3");

  f->store = loom_store_open (f->path, &error);
  g_assert_no_error (error);
  version = test_sql_value (f->path, "PRAGMA user_version");
  g_assert_cmpint (atoi (version), ==, LOOM_STORE_SCHEMA_VERSION);
  f->scene = loom_store_lookup_scene (f->store, ids[0]);
  typed = loom_store_lookup_scene (f->store, ids[1]);
  touched = loom_store_lookup_scene (f->store, ids[2]);
  loom_scene_load_prose (f->scene, NULL);
  loom_scene_load_prose (typed, NULL);
  loom_scene_load_prose (touched, NULL);

  {
    g_autofree char *model = NULL;

    g_assert_cmpint (origin_of (f, &model), ==, LOOM_PROSE_GENERATED);
    g_assert_cmpstr (model, ==, "m/one");
  }
  g_assert_cmpuint (loom_store_get_writers_words (f->store, f->scene), ==, 0);
  g_assert_cmpuint (loom_store_get_writers_words (f->store, typed), ==, 4);
  g_assert_cmpuint (loom_store_get_writers_words (f->store, touched), ==, 5);

  revisions = loom_store_list_revisions (f->store, f->scene, &error);
  g_assert_cmpuint (g_list_model_get_n_items (revisions), ==, 1);
  g_assert_cmpint (loom_revision_get_author (revision_at (revisions, 0)), ==, LOOM_PROSE_PARTIAL);
  g_assert_cmpint (loom_revision_get_written_at (revision_at (revisions, 0)), ==,
                   loom_revision_get_created_at (revision_at (revisions, 0)));
  g_clear_object (&revisions);
  revisions = loom_store_list_revisions (f->store, touched, &error);
  g_assert_cmpuint (g_list_model_get_n_items (revisions), ==, 0);

  /* And the new columns work: the next generation records its origin. */
  generate (f, LOOM_GENERATION_COMPLETE, "m/three", "After the upgrade.");
  {
    g_autofree char *model = NULL;

    g_assert_cmpint (origin_of (f, &model), ==, LOOM_PROSE_GENERATED);
    g_assert_cmpstr (model, ==, "m/three");
  }
}

/* After Stop the scene holds its earlier prose; the stopped text is found to be offered. */
static void
test_stopped_partial (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomRevision) partial = NULL;

  g_assert_true (loom_scene_set_prose (f->scene, "Mine.", &error));
  generate (f, LOOM_GENERATION_CANCELLED, "m/one", "Stopped here");
  g_assert_cmpstr (test_scene_prose (f->scene), ==, "Mine.");
  partial = loom_store_get_stopped_partial (f->store, f->scene, &error);
  g_assert_no_error (error);
  g_assert_nonnull (partial);
  g_assert_cmpstr (loom_revision_get_prose (partial), ==, "Stopped here");

  /* Keeping it: the prose is the partial text, the writer's words go to History. */
  g_assert_true (loom_store_restore_revision (f->store, f->scene, partial, &error));
  g_assert_cmpstr (test_scene_prose (f->scene), ==, "Stopped here");
  g_assert_cmpuint (loom_store_get_writers_words (f->store, f->scene), ==, 0);
  g_clear_object (&partial);

  /* Only the last generation's, and only when it was stopped. */
  generate (f, LOOM_GENERATION_COMPLETE, "m/one", "Finished.");
  partial = loom_store_get_stopped_partial (f->store, f->scene, &error);
  g_assert_no_error (error);
  g_assert_null (partial);
}

static char *
offered_text (LoomStore *store,
              LoomScene *scene)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomRevision) partial = loom_store_get_stopped_partial (store, scene, &error);

  g_assert_no_error (error);
  return partial ? g_strdup (loom_revision_get_prose (partial)) : NULL;
}

/* The offer of a stopped or failed generation's words is one per scene, lives in the library
 * (a restart keeps it), and ends when the writer answers: Discard, a restore, a new request. */
static void
test_stopped_partial_per_scene (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LoomScene *first = f->scene;
  LoomScene *second;
  gint64 first_id = loom_scene_get_id (first);
  gint64 second_id;

  second = loom_store_add_scene (f->store, loom_scene_get_chapter (first), LOOM_POSITION_END,
                                 "The storm", &error);
  g_assert_no_error (error);
  second_id = loom_scene_get_id (second);

  /* a request that failed mid-stream was paid for as much as one stopped */
  generate (f, LOOM_GENERATION_ERROR, "m/one", "Failed after these words");
  f->scene = second;
  generate (f, LOOM_GENERATION_CANCELLED, "m/one", "Stopped after these");
  f->scene = first;
  {
    g_autofree char *a = offered_text (f->store, first);
    g_autofree char *b = offered_text (f->store, second);

    g_assert_cmpstr (a, ==, "Failed after these words");
    g_assert_cmpstr (b, ==, "Stopped after these");
  }

  /* Discard on the first closes its offer only, and a restart keeps it closed */
  g_assert_true (loom_store_answer_stopped_partial (f->store, first, &error));
  g_assert_no_error (error);
  g_clear_object (&f->store);
  f->store = loom_store_open (f->path, &error);
  g_assert_no_error (error);
  first = f->scene = loom_store_lookup_scene (f->store, first_id);
  second = loom_store_lookup_scene (f->store, second_id);
  {
    g_autofree char *a = offered_text (f->store, first);
    g_autofree char *b = offered_text (f->store, second);

    g_assert_null (a);
    g_assert_cmpstr (b, ==, "Stopped after these");
  }
  /* the discarded words stay in History */
  {
    g_autoptr(GListModel) revisions = loom_store_list_revisions (f->store, first, &error);

    g_assert_cmpuint (g_list_model_get_n_items (revisions), ==, 1);
    g_assert_cmpstr (loom_revision_get_prose (revision_at (revisions, 0)), ==,
                     "Failed after these words");
  }

  /* any text restored into the scene answers it too (Keep does so) */
  {
    g_autoptr(LoomRevision) partial = loom_store_get_stopped_partial (f->store, second, &error);
    g_autofree char *after = NULL;

    g_assert_true (loom_store_restore_revision (f->store, second, partial, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (test_scene_prose (second), ==, "Stopped after these");
    after = offered_text (f->store, second);
    g_assert_null (after);
  }
}

/* A first generation replaced nothing; restoring an empty text undoes it: no prose, a draft
 * again; restoring the generated text redoes it, complete. */
static void
test_undo_first_generation (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomRevision) generated = NULL;
  g_autoptr(LoomRevision) empty = NULL;

  generate (f, LOOM_GENERATION_COMPLETE, "m/one", "A first draft of four.");
  g_assert_cmpint (loom_scene_get_status (f->scene), ==, LOOM_SCENE_STATUS_COMPLETE);
  generated = loom_store_snapshot_prose (f->store, f->scene, &error);
  g_assert_no_error (error);
  empty = loom_revision_new (0, loom_scene_get_id (f->scene), "", LOOM_REVISION_RESTORE, NULL,
                             0, LOOM_PROSE_UNKNOWN, 0);

  g_assert_true (loom_store_restore_revision (f->store, f->scene, empty, &error));
  g_assert_no_error (error);
  g_assert_null (test_scene_prose (f->scene));
  g_assert_cmpint (loom_scene_get_status (f->scene), ==, LOOM_SCENE_STATUS_DRAFT);
  g_assert_cmpuint (loom_story_get_word_count (f->story), ==, 0);
  {
    g_autofree char *status = test_sql_value (f->path, "SELECT status FROM scenes");

    g_assert_cmpstr (status, ==, "draft");
  }

  g_assert_true (loom_store_restore_revision (f->store, f->scene, generated, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (test_scene_prose (f->scene), ==, "A first draft of four.");
  g_assert_cmpint (loom_scene_get_status (f->scene), ==, LOOM_SCENE_STATUS_COMPLETE);
  g_assert_cmpuint (loom_store_get_writers_words (f->store, f->scene), ==, 0);
}

/* A library from version 4 opens with its data as it was; what a stopped generation left then
 * is not offered (the window of that version offered it until it closed). */
static void
test_migrate_from_v4 (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *version = NULL;
  g_autofree char *copy = g_build_filename (f->dir, "copy.db", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *offered = NULL;
  gsize length;
  gint64 id = loom_scene_get_id (f->scene);

  g_assert_true (loom_scene_set_prose (f->scene, "Mine.", &error));
  generate (f, LOOM_GENERATION_CANCELLED, "m/one", "Stopped here");
  g_clear_object (&f->store);
  test_sql_exec (f->path,
                 "ALTER TABLE generations DROP COLUMN partial_answered_at;"
                 "ALTER TABLE trash_generations DROP COLUMN partial_answered_at;"
                 /* nor those of versions 6 to 9 */
                 TEST_SQL_UNDO_V16 TEST_SQL_UNDO_V15 TEST_SQL_UNDO_V14
                 TEST_SQL_UNDO_V10 TEST_SQL_UNDO_V11 TEST_SQL_UNDO_V12 TEST_SQL_UNDO_V13
                 "DROP TABLE revise_templates;"
                 "DROP TABLE revise_instructions;"
                 "DROP TABLE scene_inputs;"
                 /* nor those of version 8 */
                 "DROP TABLE word_log; DROP TABLE trash_word_log;"
                 TEST_SQL_UNDO_V9
                 "PRAGMA user_version = 4");
  before = test_dump_library (f->path);

  f->store = loom_store_open (f->path, &error);
  g_assert_no_error (error);
  version = test_sql_value (f->path, "PRAGMA user_version");
  g_assert_cmpint (atoi (version), ==, LOOM_STORE_SCHEMA_VERSION);
  f->scene = loom_store_lookup_scene (f->store, id);
  g_assert_cmpstr (test_scene_prose (f->scene), ==, "Mine.");
  offered = offered_text (f->store, f->scene);
  g_assert_null (offered);
  g_clear_object (&f->store);

  /* everything but the new column, as it was */
  g_assert_true (g_file_get_contents (f->path, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (copy, contents, length, NULL));
  test_sql_exec (copy,
                 "ALTER TABLE generations DROP COLUMN partial_answered_at;"
                 "ALTER TABLE trash_generations DROP COLUMN partial_answered_at");
  after = test_dump_library (copy);
  g_assert_cmpstr (after, ==, before);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/revisions/complete-then-regenerate", test_complete_then_regenerate);
  ADD ("/revisions/error-and-cancel-keep-everything", test_error_and_cancel_keep_everything);
  ADD ("/revisions/crash-mid-generation", test_crash_mid_generation);
  ADD ("/revisions/open-beside-running-generation", test_open_beside_running_generation);
  ADD ("/revisions/reader-and-snapshot", test_reader);
  ADD ("/revisions/restore", test_restore_revision);
  ADD ("/revisions/usage", test_usage);
  ADD ("/revisions/stream-append", test_stream_append);
  ADD ("/revisions/origins", test_origins);
  ADD ("/revisions/replaced-and-snapshot", test_replaced_and_snapshot);
  ADD ("/revisions/migrate-from-v3", test_migrate_from_v3);
  ADD ("/revisions/stopped-partial", test_stopped_partial);
  ADD ("/revisions/stopped-partial-per-scene", test_stopped_partial_per_scene);
  ADD ("/revisions/undo-first-generation", test_undo_first_generation);
  ADD ("/revisions/migrate-from-v4", test_migrate_from_v4);
#undef ADD
  return g_test_run ();
}
