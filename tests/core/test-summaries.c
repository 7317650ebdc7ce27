/* test-summaries.c: scene summaries in the library — kept, outdated when the prose changes,
 * in the trash with their scene, marking the scenes whose prompt used them, and the upgrade
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-summaries"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "loom-chapter.h"
#include "loom-deletion.h"
#include "loom-export.h"
#include "loom-scene.h"
#include "loom-store.h"
#include "loom-store-summaries.h"
#include "loom-story.h"
#include "test-util.h"

typedef TestOneScene Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  test_one_scene_setup (f, data);
  g_assert_true (loom_scene_set_prose (f->scene, "The boat left at dawn. Mara stayed.", &error));
  g_assert_no_error (error);
}

static LoomSummary *
get_summary (Fixture   *f,
             LoomScene *scene)
{
  g_autoptr(GError) error = NULL;
  LoomSummary *summary = loom_store_get_summary (f->store, scene, &error);

  g_assert_no_error (error);
  return summary;
}

static void
test_set_get_outdated (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomSummary) summary = NULL;
  g_autoptr(LoomSummary) edited = NULL;
  g_autoptr(GHashTable) all = NULL;
  g_auto(GStrv) facts = NULL;
  guint changed = 0;
  gint64 id = loom_scene_get_id (f->scene);

  g_assert_null (get_summary (f, f->scene));
  g_signal_connect_swapped (f->store, "summary-changed", G_CALLBACK (test_count_signal),
                            &changed);

  g_assert_true (loom_store_set_summary (f->store, f->scene, "  The boat leaves without Mara.\n",
                                         "Mara stays in Tide.\n- The boat left at dawn.\n\n",
                                         LOOM_SUMMARY_GENERATED, "m/one", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 1);
  summary = get_summary (f, f->scene);
  g_assert_nonnull (summary);
  g_assert_cmpstr (summary->summary, ==, "The boat leaves without Mara.");
  g_assert_cmpint (summary->origin, ==, LOOM_SUMMARY_GENERATED);
  g_assert_cmpstr (summary->model, ==, "m/one");
  facts = loom_summary_dup_facts (summary);
  g_assert_cmpuint (g_strv_length (facts), ==, 2);
  g_assert_cmpstr (facts[0], ==, "Mara stays in Tide.");
  g_assert_cmpstr (facts[1], ==, "The boat left at dawn.");
  g_assert_false (loom_summary_is_outdated (summary, f->scene));

  all = loom_store_list_summaries (f->store, f->story, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (all), ==, 1);
  g_assert_cmpstr (((LoomSummary *) g_hash_table_lookup (all, &id))->summary, ==,
                   "The boat leaves without Mara.");

  /* the writer changes the prose: the summary stays, outdated; the same prose again is not */
  g_assert_true (loom_scene_set_prose (f->scene, "The boat left at noon.", &error));
  g_assert_true (loom_summary_is_outdated (summary, f->scene));
  g_assert_true (loom_scene_set_prose (f->scene, "The boat left at dawn. Mara stayed.", &error));
  g_assert_false (loom_summary_is_outdated (summary, f->scene));

  /* the writer's own, of the prose as it is */
  g_assert_true (loom_store_set_summary (f->store, f->scene, "Mara stays.", NULL,
                                         LOOM_SUMMARY_WRITER, NULL, NULL, &error));
  edited = get_summary (f, f->scene);
  g_assert_cmpint (edited->origin, ==, LOOM_SUMMARY_WRITER);
  g_assert_cmpstr (edited->facts, ==, "");
  g_assert_null (edited->model);

  /* blank removes it */
  g_assert_true (loom_store_set_summary (f->store, f->scene, " \n", NULL, LOOM_SUMMARY_WRITER,
                                         NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (get_summary (f, f->scene));
  g_assert_cmpuint (changed, ==, 3);

  /* not text: refused, nothing kept */
  g_assert_false (loom_store_set_summary (f->store, f->scene, "\xff\xfe", NULL,
                                          LOOM_SUMMARY_WRITER, NULL, NULL, &error));
  g_assert_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_INVALID);
  g_assert_null (get_summary (f, f->scene));
}

/* Summarize Story asks for the scenes with prose and no summary, or an outdated generated one;
 * never over the writer's own. */
static void
test_unsummarized (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) scenes = NULL;
  LoomScene *empty, *mine, *old;

  empty = loom_store_add_scene (f->store, f->chapter, LOOM_POSITION_END, "Nothing yet", &error);
  mine = loom_store_add_scene (f->store, f->chapter, LOOM_POSITION_END, "Mine", &error);
  old = loom_store_add_scene (f->store, f->chapter, LOOM_POSITION_END, "Old", &error);
  g_assert_true (loom_scene_set_prose (mine, "Written by hand.", &error));
  g_assert_true (loom_scene_set_prose (old, "First version.", &error));
  g_assert_true (loom_store_set_summary (f->store, mine, "Mine.", NULL, LOOM_SUMMARY_WRITER,
                                         NULL, NULL, &error));
  g_assert_true (loom_store_set_summary (f->store, old, "Old.", NULL, LOOM_SUMMARY_GENERATED,
                                         "m/one", NULL, &error));
  g_assert_no_error (error);

  scenes = loom_store_list_unsummarized (f->store, f->story, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (scenes->len, ==, 1);
  g_assert_true (g_ptr_array_index (scenes, 0) == f->scene);
  g_clear_pointer (&scenes, g_ptr_array_unref);

  g_assert_true (loom_scene_set_prose (old, "Second version.", &error));
  g_assert_true (loom_scene_set_prose (mine, "Rewritten by hand.", &error));
  scenes = loom_store_list_unsummarized (f->store, f->story, &error);
  g_assert_cmpuint (scenes->len, ==, 2);
  g_assert_true (g_ptr_array_index (scenes, 0) == f->scene);
  g_assert_true (g_ptr_array_index (scenes, 1) == old);
  g_assert_false (g_ptr_array_find (scenes, empty, NULL));
}

/* A deleted scene takes its summary to the trash; undoing brings both back. */
static void
test_trash (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomDeletion) deletion = NULL;
  g_autoptr(LoomSummary) summary = NULL;
  g_autofree char *count = NULL;
  gint64 id = loom_scene_get_id (f->scene);
  LoomScene *back;

  g_assert_true (loom_store_set_summary (f->store, f->scene, "The boat leaves.", "Dawn.",
                                         LOOM_SUMMARY_GENERATED, "m/one", NULL, &error));
  deletion = loom_store_delete_scene (f->store, f->scene, &error);
  g_assert_no_error (error);
  count = test_sql_value (f->path, "SELECT count(*) FROM scene_summaries");
  g_assert_cmpstr (count, ==, "0");

  g_assert_true (loom_store_undo_deletion (f->store, deletion, &error));
  g_assert_no_error (error);
  back = loom_store_lookup_scene (f->store, id);
  g_assert_nonnull (back);
  summary = get_summary (f, back);
  g_assert_nonnull (summary);
  g_assert_cmpstr (summary->summary, ==, "The boat leaves.");
  g_assert_cmpstr (summary->facts, ==, "Dawn.");
  g_assert_false (loom_summary_is_outdated (summary, back));
}

/* A scene generated from a prompt that included another scene's summary is outdated when that
 * summary changes, and only that scene. */
static void
test_marks_outdated (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) inputs = NULL;
  LoomGenerationEnd end = { .outcome = LOOM_GENERATION_COMPLETE, .prose = "Then night fell.",
                            .prompt_tokens = -1, .completion_tokens = -1, .cost = -1,
                            .model = "m/one" };
  LoomScene *later, *other;
  gint64 id;

  later = loom_store_add_scene (f->store, f->chapter, LOOM_POSITION_END, "Night", &error);
  other = loom_store_add_scene (f->store, f->chapter, LOOM_POSITION_END, "Morning", &error);
  g_assert_true (loom_store_set_summary (f->store, f->scene, "The boat leaves.", NULL,
                                         LOOM_SUMMARY_GENERATED, "m/one", NULL, &error));
  test_generate (f->store, other, LOOM_GENERATION_COMPLETE, "m/one", "Morning came.");

  inputs = loom_store_fingerprint_inputs (f->store, later, NULL, NULL, 400);
  loom_summary_append_input (inputs, loom_scene_get_id (f->scene), "The boat leaves.");
  id = loom_store_begin_generation (f->store, later, "m/one", NULL, &error);
  end.inputs = inputs;
  g_assert_true (loom_store_end_generation (f->store, later, id, &end, &error));
  g_assert_no_error (error);
  loom_store_update_outdated (f->store);
  g_assert_false (loom_scene_get_outdated (later));

  g_assert_true (loom_store_set_summary (f->store, f->scene, "The boat leaves at dawn.", NULL,
                                         LOOM_SUMMARY_WRITER, NULL, NULL, &error));
  loom_store_update_outdated (f->store);
  g_assert_cmpuint (loom_scene_get_stale_inputs (later), ==, LOOM_SCENE_INPUT_SUMMARY);
  g_assert_false (loom_scene_get_outdated (other));

  /* back as it was: no longer outdated; gone: outdated */
  g_assert_true (loom_store_set_summary (f->store, f->scene, "The boat leaves.", NULL,
                                         LOOM_SUMMARY_WRITER, NULL, NULL, &error));
  loom_store_update_outdated (f->store);
  g_assert_false (loom_scene_get_outdated (later));
  g_assert_true (loom_store_delete_summary (f->store, f->scene, &error));
  loom_store_update_outdated (f->store);
  g_assert_true (loom_scene_get_outdated (later));
}

/* A library of version 13 opens with its data unchanged, and takes summaries and summary
 * requests afterwards. */
static void
test_migrate_from_v13 (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomSummary) summary = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *version = NULL;
  g_autofree char *kind = NULL;
  gint64 id = loom_scene_get_id (f->scene);

  test_generate (f->store, f->scene, LOOM_GENERATION_COMPLETE, "m/one", "The boat left.");
  g_clear_object (&f->store);
  test_sql_exec (f->path, TEST_SQL_UNDO_V16
                          TEST_SQL_UNDO_V15 TEST_SQL_UNDO_V14 "PRAGMA user_version = 13");
  kind = test_sql_value (f->path, "SELECT instr (sql, 'summary') FROM sqlite_schema"
                                  " WHERE name = 'generations'");
  g_assert_cmpstr (kind, ==, "0");
  before = test_dump_library (f->path);

  f->store = loom_store_open (f->path, &error);
  g_assert_no_error (error);
  version = test_sql_value (f->path, "PRAGMA user_version");
  g_assert_cmpint (atoi (version), ==, LOOM_STORE_SCHEMA_VERSION);
  after = test_dump_library (f->path);
  g_assert_cmpstr (after, ==, before);

  f->scene = loom_store_lookup_scene (f->store, id);
  g_assert_cmpstr (test_scene_prose (f->scene), ==, "The boat left.");
  g_assert_cmpint (loom_store_begin_summary_request (f->store, f->scene, "m/one", &error), >, 0);
  g_assert_no_error (error);
  g_assert_true (loom_store_set_summary (f->store, f->scene, "The boat leaves.", NULL,
                                         LOOM_SUMMARY_GENERATED, "m/one", NULL, &error));
  summary = get_summary (f, f->scene);
  g_assert_cmpstr (summary->summary, ==, "The boat leaves.");
}

static char *
export_markdown (Fixture  *f,
                 gboolean  summaries)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strconcat (f->path, ".md", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  char *book = NULL;
  LoomExportOptions options;

  loom_export_options_init (&options);
  options.summaries = summaries;
  g_assert_true (loom_export_story (f->story, &options, file, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &book, NULL, NULL));
  g_unlink (path);
  return book;
}

/* The summaries go into an export on request only, after the story, in its order, each
 * saying where its scene stands; a story with none gets no empty chapter. */
static void
test_export (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *none = NULL;
  g_autofree char *book = NULL;
  LoomScene *second = loom_store_add_scene (f->store, f->chapter, LOOM_POSITION_END, "b",
                                            &error);
  const char *first_at, *second_at;

  g_assert_no_error (error);
  none = export_markdown (f, TRUE);
  g_assert_null (strstr (none, "Scene Summaries"));

  g_assert_true (loom_store_set_summary (f->store, second, "Mara comes back.", NULL,
                                         LOOM_SUMMARY_WRITER, NULL, NULL, &error));
  g_assert_true (loom_store_set_summary (f->store, f->scene, "The boat leaves\nwithout Mara.",
                                         NULL, LOOM_SUMMARY_GENERATED, "m/one", NULL, &error));
  g_assert_no_error (error);
  plain = export_markdown (f, FALSE);
  g_assert_null (strstr (plain, "Scene Summaries"));
  g_assert_null (strstr (plain, "Mara comes back."));

  book = export_markdown (f, TRUE);
  g_assert_nonnull (strstr (book, "Scene Summaries"));
  first_at = strstr (book, "Chapter 1, scene 1: The boat leaves without Mara.");
  second_at = strstr (book, "Chapter 1, scene 2: Mara comes back.");
  g_assert_nonnull (first_at);
  g_assert_nonnull (second_at);
  g_assert_true (first_at < second_at);
  g_assert_true (strstr (book, "Scene Summaries") < first_at);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, test_one_scene_teardown)
  ADD ("/summaries/set-get-outdated", test_set_get_outdated);
  ADD ("/summaries/unsummarized", test_unsummarized);
  ADD ("/summaries/trash", test_trash);
  ADD ("/summaries/marks-outdated", test_marks_outdated);
  ADD ("/summaries/migrate-from-v13", test_migrate_from_v13);
  ADD ("/summaries/export", test_export);
#undef ADD

  return g_test_run ();
}
