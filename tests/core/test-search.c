/* test-search.c: search across a story's outlines and prose, kept up to date by the store
 * through edits, moves, deletes, restores and other programs' writes (issue 17)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-search"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "loom-chapter.h"
#include "loom-deletion.h"
#include "loom-revision.h"
#include "loom-scene.h"
#include "loom-store.h"
#include "loom-store-search.h"
#include "loom-story.h"
#include "test-util.h"

typedef TestOneScene Fixture;

static void
set_prose (LoomScene  *scene,
           const char *prose)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (loom_scene_set_prose (scene, prose, &error));
  g_assert_no_error (error);
}

/* The matches as "scene-id:chapter.scene:o|p:start+length" words, for one comparison. */
static char *
search (Fixture         *f,
        const char      *query,
        LoomSearchFlags  flags)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) matches = loom_store_search (f->store, f->story, query, flags, 0, &error);
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  g_assert_nonnull (matches);
  for (guint i = 0; i < matches->len; i++)
    {
      const LoomSearchMatch *m = &g_array_index (matches, LoomSearchMatch, i);

      g_string_append_printf (out, "%s%" G_GINT64_FORMAT ":%u.%u:%c:%zu+%zu", i ? " " : "",
                              m->scene_id, m->chapter_number, m->scene_number,
                              m->field == LOOM_SEARCH_FIELD_PROSE ? 'p' : 'o', m->start,
                              m->length);
    }
  return g_string_free (out, FALSE);
}

#define assert_search(f, query, flags, expected) \
  G_STMT_START { \
    g_autofree char *found_ = search (f, query, flags); \
    g_assert_cmpstr (found_, ==, expected); \
  } G_STMT_END

static LoomScene *
add_scene (Fixture     *f,
           LoomChapter *chapter,
           const char  *outline,
           const char  *prose)
{
  g_autoptr(GError) error = NULL;
  LoomScene *scene = loom_store_add_scene (f->store, chapter, LOOM_POSITION_END, outline,
                                           &error);

  g_assert_no_error (error);
  if (prose != NULL)
    set_prose (scene, prose);
  return scene;
}

static char *
expect (const char *format,
        ...) G_GNUC_PRINTF (1, 2);

static char *
expect (const char *format,
        ...)
{
  va_list args;
  char *text;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  return text;
}

static void
test_edits (Fixture       *f,
            gconstpointer  data)
{
  gint64 id = loom_scene_get_id (f->scene);
  g_autofree char *boat = expect ("%" G_GINT64_FORMAT ":1.1:o:4+4", id);
  g_autofree char *gulls = expect ("%" G_GINT64_FORMAT ":1.1:p:4+5", id);
  g_autofree char *both = expect ("%" G_GINT64_FORMAT ":1.1:o:4+4 %" G_GINT64_FORMAT
                                  ":1.1:p:0+4", id, id);
  g_autofree char *night = expect ("%" G_GINT64_FORMAT ":1.1:o:0+5", id);
  g_autoptr(GError) error = NULL;

  assert_search (f, "boat", LOOM_SEARCH_DEFAULT, boat);
  assert_search (f, "gulls", LOOM_SEARCH_DEFAULT, "");

  set_prose (f->scene, "The gulls cry.");
  assert_search (f, "GULLS", LOOM_SEARCH_DEFAULT, gulls);
  set_prose (f->scene, "Boats rock.");
  assert_search (f, "gulls", LOOM_SEARCH_DEFAULT, "");
  assert_search (f, "boat", LOOM_SEARCH_DEFAULT, both);

  g_assert_true (loom_scene_set_outline (f->scene, "Night falls", &error));
  g_assert_no_error (error);
  assert_search (f, "boat", LOOM_SEARCH_DEFAULT, strchr (both, ' ') + 1);
  assert_search (f, "night", LOOM_SEARCH_DEFAULT, night);
}

static void
test_moves_and_other_stories (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  LoomChapter *two = loom_store_add_chapter (f->store, f->story, LOOM_POSITION_END, "Two",
                                             &error);
  LoomStory *other = loom_store_create_story (f->store, "Elsewhere", "", "", &error);
  LoomChapter *far = loom_store_add_chapter (f->store, other, LOOM_POSITION_END, "Far",
                                             &error);
  LoomScene *second;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_assert_no_error (error);
  set_prose (f->scene, "An anchor drops.");
  second = add_scene (f, two, "Calm", "The anchor holds.");
  add_scene (f, far, "Anchor", "An anchor in another story.");

  before = expect ("%" G_GINT64_FORMAT ":1.1:p:3+6 %" G_GINT64_FORMAT ":2.1:p:4+6",
                   loom_scene_get_id (f->scene), loom_scene_get_id (second));
  assert_search (f, "anchor", LOOM_SEARCH_DEFAULT, before);

  /* moved before the first scene: the order and the numbers follow */
  g_assert_true (loom_store_move_scene (f->store, second, f->chapter, 0, &error));
  g_assert_no_error (error);
  after = expect ("%" G_GINT64_FORMAT ":1.1:p:4+6 %" G_GINT64_FORMAT ":1.2:p:3+6",
                  loom_scene_get_id (second), loom_scene_get_id (f->scene));
  assert_search (f, "anchor", LOOM_SEARCH_DEFAULT, after);
}

static void
test_deletes_and_restores (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomDeletion) deletion = NULL;
  g_autoptr(LoomDeletion) chapter_deletion = NULL;
  gint64 id = loom_scene_get_id (f->scene);
  g_autofree char *found = expect ("%" G_GINT64_FORMAT ":1.1:p:0+7", id);

  set_prose (f->scene, "Lantern light.");
  assert_search (f, "lantern", LOOM_SEARCH_DEFAULT, found);
  deletion = loom_store_delete_scene (f->store, f->scene, &error);
  g_assert_no_error (error);
  assert_search (f, "lantern", LOOM_SEARCH_DEFAULT, "");
  g_assert_true (loom_store_undo_deletion (f->store, deletion, &error));
  g_assert_no_error (error);
  assert_search (f, "lantern", LOOM_SEARCH_DEFAULT, found);

  chapter_deletion = loom_store_delete_chapter (f->store, f->chapter, &error);
  g_assert_no_error (error);
  assert_search (f, "lantern", LOOM_SEARCH_DEFAULT, "");
  {
    g_autofree char *trash_id = test_sql_value (f->path, "SELECT max (id) FROM trash");

    g_assert_nonnull (loom_store_restore_from_trash (f->store, atoi (trash_id), &error));
    g_assert_no_error (error);
  }
  assert_search (f, "lantern", LOOM_SEARCH_DEFAULT, found);
}

/* Another program's writes are found, before and after this store refreshes. */
static void
test_other_program (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = loom_scene_get_id (f->scene);
  g_autofree char *sql = expect ("UPDATE scenes SET prose = 'Written by the tide.'"
                                 " WHERE id = %" G_GINT64_FORMAT, id);
  g_autofree char *found = expect ("%" G_GINT64_FORMAT ":1.1:p:15+4", id);
  g_autofree char *here = expect ("%" G_GINT64_FORMAT ":1.1:p:8+4", id);
  gboolean changed = FALSE;

  set_prose (f->scene, "Written here.");
  assert_search (f, "here", LOOM_SEARCH_DEFAULT, here);
  test_sql_exec (f->path, sql);
  assert_search (f, "tide", LOOM_SEARCH_DEFAULT, found);
  assert_search (f, "here", LOOM_SEARCH_DEFAULT, "");
  g_assert_true (loom_store_refresh (f->store, &changed, &error));
  g_assert_no_error (error);
  assert_search (f, "tide", LOOM_SEARCH_DEFAULT, found);
}

/* An index emptied behind the store's back misses text until it is rebuilt. */
static void
test_rebuild (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = loom_scene_get_id (f->scene);
  g_autofree char *found = expect ("%" G_GINT64_FORMAT ":1.1:p:4+7", id);

  set_prose (f->scene, "The compass spins.");
  assert_search (f, "compass", LOOM_SEARCH_DEFAULT, found);
  test_sql_exec (f->path, "DELETE FROM scene_search; DELETE FROM search_stale");
  assert_search (f, "compass", LOOM_SEARCH_DEFAULT, "");
  g_assert_true (loom_store_rebuild_search (f->store, &error));
  g_assert_no_error (error);
  assert_search (f, "compass", LOOM_SEARCH_DEFAULT, found);
}

/* The query language's characters are the writer's text, never an error. */
static void
test_syntax_characters (Fixture       *f,
                        gconstpointer  data)
{
  static const struct { const char *query; guint n; } cases[] = {
    { "don't", 1 }, { "Don’t", 0 }, { "\"stay\"", 1 }, { "\"", 2 }, { "*", 1 },
    { "AND", 3 }, { "and", 3 }, { "NEAR", 1 }, { "NEAR(stay go)", 0 }, { "well-known", 1 },
    { "-", 3 }, { "--", 1 }, { "a OR b", 0 }, { "(", 1 }, { "stay*", 0 }, { "^", 0 },
    { "   ", 0 }, { "'", 1 }, { "col:umn", 1 }, { "prose:", 0 }, { "{x}", 0 },
  };
  gint64 id = loom_scene_get_id (f->scene);

  set_prose (f->scene, "I don't know, she said, \"stay\" AND wait * NEAR the well-known "
                       "pier -- (and col:umn) and so on.");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) matches = loom_store_search (f->store, f->story, cases[i].query,
                                                     LOOM_SEARCH_DEFAULT, 0, &error);

      g_test_message ("query «%s»", cases[i].query);
      g_assert_no_error (error);
      g_assert_cmpuint (matches->len, ==, cases[i].n);
      for (guint k = 0; k < matches->len; k++)
        g_assert_cmpint (g_array_index (matches, LoomSearchMatch, k).scene_id, ==, id);
    }
}

static void
test_case_and_whole_words (Fixture       *f,
                           gconstpointer  data)
{
  gint64 id = loom_scene_get_id (f->scene);
  g_autofree char *any = expect ("%1$" G_GINT64_FORMAT ":1.1:p:0+3 %1$" G_GINT64_FORMAT
                                 ":1.1:p:9+3 %1$" G_GINT64_FORMAT ":1.1:p:14+3", id);
  g_autofree char *whole = expect ("%1$" G_GINT64_FORMAT ":1.1:p:0+3 %1$" G_GINT64_FORMAT
                                   ":1.1:p:9+3", id);
  g_autofree char *cased = expect ("%1$" G_GINT64_FORMAT ":1.1:p:9+3", id);

  set_prose (f->scene, "Sea, the sea; seashore unseen.");
  assert_search (f, "sea", LOOM_SEARCH_DEFAULT, any);
  assert_search (f, "sea", LOOM_SEARCH_WHOLE_WORD, whole);
  assert_search (f, "sea", LOOM_SEARCH_MATCH_CASE | LOOM_SEARCH_WHOLE_WORD, cased);
  assert_search (f, "SEA", LOOM_SEARCH_MATCH_CASE, "");
  assert_search (f, "seen", LOOM_SEARCH_DEFAULT, "");
}

static void
test_limit_and_snippet (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) matches = NULL;
  const LoomSearchMatch *m;

  set_prose (f->scene, "Rope.\nThe old sailor coiled the rope\tslowly while the storm rose over "
                       "the bay and the rope creaked against the mast all night long.");
  matches = loom_store_search (f->store, f->story, "rope", LOOM_SEARCH_DEFAULT, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (matches->len, ==, 2);
  m = &g_array_index (matches, LoomSearchMatch, 1);
  g_assert_cmpstr (m->snippet, ==,
                   "Rope. The old sailor coiled the rope slowly while the storm rose over the…");
  g_assert_cmpuint (m->snippet_start, ==, 32);
  g_assert_cmpuint (m->snippet_length, ==, 4);
  g_clear_pointer (&matches, g_array_unref);

  matches = loom_store_search (f->store, f->story, "night", LOOM_SEARCH_DEFAULT, 0, &error);
  g_assert_no_error (error);
  m = &g_array_index (matches, LoomSearchMatch, 0);
  g_assert_cmpstr (m->snippet, ==, "…the rope creaked against the mast all night long.");
}

/* Past the limit, matches are counted, not listed: the window lists 500 and says how many
 * more; the prose's matches and scenes are counted apart, for Replace All's question. */
static void
test_counted (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) matches = NULL;
  g_autoptr(GArray) all = NULL;
  LoomChapter *chapter = loom_scene_get_chapter (f->scene);
  LoomSearchCounts counts;

  loom_scene_set_outline (f->scene, "Rope and rope.", &error);
  g_assert_no_error (error);
  set_prose (f->scene, "The rope creaked. A rope, a knot, a rope.");
  add_scene (f, chapter, "No line here.", "Ropes everywhere; the rope held.");
  add_scene (f, chapter, "The rope again.", NULL);
  add_scene (f, chapter, "Nothing.", "Nothing at all.");

  matches = loom_store_search_counted (f->store, f->story, "rope", LOOM_SEARCH_DEFAULT, 4,
                                       &counts, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (matches->len, ==, 4);
  g_assert_cmpuint (counts.n_matches, ==, 8);
  g_assert_cmpuint (counts.n_scenes, ==, 3);
  g_assert_cmpuint (counts.n_prose_matches, ==, 5);
  g_assert_cmpuint (counts.n_prose_scenes, ==, 2);

  /* the same as without a limit, which lists them all */
  all = loom_store_search_counted (f->store, f->story, "rope", LOOM_SEARCH_DEFAULT, 0, &counts,
                                   &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 8);
  g_assert_cmpuint (counts.n_matches, ==, 8);

  g_clear_pointer (&matches, g_array_unref);
  matches = loom_store_search_counted (f->store, f->story, "", LOOM_SEARCH_DEFAULT, 4, &counts,
                                       &error);
  g_assert_cmpuint (matches->len, ==, 0);
  g_assert_cmpuint (counts.n_matches, ==, 0);
}

/* "rope " @n times. */
static char *
ropes (guint n)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append (text, "rope ");
  return g_string_free (text, FALSE);
}

static GArray *
search_first (Fixture  *f,
              guint     limit,
              gboolean *more)
{
  g_autoptr(GError) error = NULL;
  GArray *matches;

  *more = -1;
  matches = loom_store_search_first (f->store, f->story, "rope", LOOM_SEARCH_DEFAULT, limit,
                                     more, &error);
  g_assert_no_error (error);
  g_assert_nonnull (matches);
  return matches;
}

/* The window lists the first 500 matches and says only that there are more, not how many:
 * the store stops at the first match past the limit, also when the limit falls at the end of
 * a scene's text and the next match is in a later scene, and says "no more" for exactly 500. */
static void
test_first_and_more (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *five_hundred = ropes (500);
  g_autofree char *five_hundred_one = ropes (501);
  g_autoptr(GArray) matches = NULL;
  const LoomSearchMatch *last;
  LoomScene *later;
  gboolean more;

  set_prose (f->scene, five_hundred);
  matches = search_first (f, 500, &more);
  g_assert_cmpuint (matches->len, ==, 500);
  g_assert_false (more);
  g_clear_pointer (&matches, g_array_unref);

  set_prose (f->scene, five_hundred_one);
  matches = search_first (f, 500, &more);
  g_assert_cmpuint (matches->len, ==, 500);
  g_assert_true (more);
  last = &g_array_index (matches, LoomSearchMatch, 499);
  g_assert_cmpuint (last->start, ==, 499 * strlen ("rope "));
  g_clear_pointer (&matches, g_array_unref);

  /* the 501st in the outline of the next scene */
  set_prose (f->scene, five_hundred);
  later = add_scene (f, loom_scene_get_chapter (f->scene), "A rope at last.", NULL);
  matches = search_first (f, 500, &more);
  g_assert_cmpuint (matches->len, ==, 500);
  g_assert_true (more);
  g_clear_pointer (&matches, g_array_unref);

  /* without a limit: all of them, and never more */
  matches = search_first (f, 0, &more);
  g_assert_cmpuint (matches->len, ==, 501);
  g_assert_false (more);
  last = &g_array_index (matches, LoomSearchMatch, 500);
  g_assert_cmpint (last->scene_id, ==, loom_scene_get_id (later));
  g_assert_cmpint (last->field, ==, LOOM_SEARCH_FIELD_OUTLINE);
}

static void
test_replace_text (void)
{
  guint n = 0;
  g_autofree char *a = loom_search_replace ("Sea, the sea; seashore.", "sea", "lake",
                                            LOOM_SEARCH_WHOLE_WORD, &n);
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;

  g_assert_cmpstr (a, ==, "lake, the lake; seashore.");
  g_assert_cmpuint (n, ==, 2);
  b = loom_search_replace ("Ärger, ärger; Ärgernis", "ärger", "Wut", LOOM_SEARCH_DEFAULT, &n);
  g_assert_cmpstr (b, ==, "Wut, Wut; Wutnis");
  g_assert_cmpuint (n, ==, 3);
  c = loom_search_replace ("aaaa", "aa", "b", LOOM_SEARCH_DEFAULT, &n);
  g_assert_cmpstr (c, ==, "baa");
  g_assert_cmpuint (n, ==, 1);
}

/* Replace All changes the prose of the story's scenes in one step, keeping each scene's
 * earlier prose as a revision; putting it back gives the very same bytes. */
static void
test_replace_all_and_back (Fixture       *f,
                           gconstpointer  data)
{
  static const char *const original[] = {
    "The colour of the sea.\n\nColours fade; discolour stays. Ünïcode colour…\r\n",
    "No match here at all.",
    "colour",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) changes = NULL;
  g_autoptr(GListModel) revisions = NULL;
  g_autoptr(LoomRevision) kept = NULL;
  LoomScene *scenes[3] = { f->scene, NULL, NULL };
  LoomStory *other = loom_store_create_story (f->store, "Elsewhere", "", "", &error);
  LoomChapter *far = loom_store_add_chapter (f->store, other, LOOM_POSITION_END, "Far",
                                             &error);
  LoomScene *untouched = add_scene (f, far, "Colour", "A colour in another story.");

  g_assert_no_error (error);
  scenes[1] = add_scene (f, f->chapter, "Colour outline", NULL);
  scenes[2] = add_scene (f, f->chapter, "Colour outline", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (scenes); i++)
    set_prose (scenes[i], original[i]);

  changes = loom_store_replace_all (f->store, f->story, "colour", "color", LOOM_SEARCH_DEFAULT,
                                    &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, 2);
  g_assert_cmpint (g_array_index (changes, LoomReplacement, 0).scene_id, ==,
                   loom_scene_get_id (scenes[0]));
  g_assert_cmpuint (g_array_index (changes, LoomReplacement, 0).n_replaced, ==, 3);
  g_assert_cmpstr (test_scene_prose (scenes[0]), ==,
                   "The color of the sea.\n\ncolors fade; discolour stays. Ünïcode color…\r\n");
  g_assert_cmpstr (test_scene_prose (scenes[1]), ==, original[1]);
  g_assert_cmpstr (test_scene_prose (scenes[2]), ==, "color");
  g_assert_cmpstr (loom_scene_get_outline (scenes[1]), ==, "Colour outline");
  g_assert_cmpstr (test_scene_prose (untouched), ==, "A colour in another story.");
  {
    g_autofree char *stored = test_sql_value (f->path, "SELECT prose FROM scenes WHERE id = 1");

    g_assert_cmpstr (stored, ==, test_scene_prose (scenes[0]));
  }

  /* each changed scene keeps its earlier prose as a revision */
  revisions = loom_store_list_revisions (f->store, scenes[0], &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (revisions), ==, 1);
  kept = g_list_model_get_item (revisions, 0);
  g_assert_cmpint (loom_revision_get_origin (kept), ==, LOOM_REVISION_REPLACE);
  g_assert_cmpstr (loom_revision_get_prose (kept), ==, original[0]);
  g_clear_object (&revisions);
  revisions = loom_store_list_revisions (f->store, scenes[1], &error);
  g_assert_cmpuint (g_list_model_get_n_items (revisions), ==, 0);

  /* undo: the same bytes as before, in the mirrors and in the file */
  g_assert_true (loom_store_put_back_replacements (f->store, changes, FALSE, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (scenes); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT prose FROM scenes WHERE id = %"
                                              G_GINT64_FORMAT, loom_scene_get_id (scenes[i]));
      g_autofree char *stored = test_sql_value (f->path, sql);

      g_assert_cmpstr (test_scene_prose (scenes[i]), ==, original[i]);
      g_assert_cmpstr (stored, ==, original[i]);
    }
  /* redo */
  g_assert_true (loom_store_put_back_replacements (f->store, changes, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (test_scene_prose (scenes[2]), ==, "color");
  assert_search (f, "colour", LOOM_SEARCH_WHOLE_WORD | LOOM_SEARCH_MATCH_CASE, "");
}

/* A library from version 11 opens with its data as it was, and its text is found. */
static void
test_migrate_from_v11 (Fixture       *f,
                      gconstpointer  data)
{
  static const char *const downgrade = TEST_SQL_UNDO_V16
                                       TEST_SQL_UNDO_V15 TEST_SQL_UNDO_V14 TEST_SQL_UNDO_V12 TEST_SQL_UNDO_V13
                                       "PRAGMA user_version = 11";
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *version = NULL;
  gint64 story_id = loom_story_get_id (f->story);
  gint64 id = loom_scene_get_id (f->scene);
  g_autofree char *found = expect ("%" G_GINT64_FORMAT ":1.1:p:4+5", id);

  set_prose (f->scene, "Old words before search.");
  g_clear_object (&f->store);
  test_sql_exec (f->path, downgrade);
  before = test_dump_library (f->path);

  f->store = loom_store_open (f->path, &error);
  g_assert_no_error (error);
  version = test_sql_value (f->path, "PRAGMA user_version");
  g_assert_cmpint (atoi (version), ==, LOOM_STORE_SCHEMA_VERSION);
  f->story = loom_store_lookup_story (f->store, story_id);
  assert_search (f, "words", LOOM_SEARCH_WHOLE_WORD, found);
  g_clear_object (&f->store);

  after = test_dump_library (f->path);
  g_assert_cmpstr (after, ==, before);

  /* a library that went back a version by hand keeps its index tables: they are built again */
  test_sql_exec (f->path, TEST_SQL_UNDO_V16
                          TEST_SQL_UNDO_V15 TEST_SQL_UNDO_V13 "PRAGMA user_version = 11");
  f->store = loom_store_open (f->path, &error);
  g_assert_no_error (error);
  f->story = loom_store_lookup_story (f->store, story_id);
  assert_search (f, "words", LOOM_SEARCH_WHOLE_WORD, found);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, test_one_scene_setup, func, test_one_scene_teardown)
  ADD ("/search/edits", test_edits);
  ADD ("/search/moves-and-other-stories", test_moves_and_other_stories);
  ADD ("/search/deletes-and-restores", test_deletes_and_restores);
  ADD ("/search/other-program", test_other_program);
  ADD ("/search/rebuild", test_rebuild);
  ADD ("/search/syntax-characters", test_syntax_characters);
  ADD ("/search/case-and-whole-words", test_case_and_whole_words);
  ADD ("/search/limit-and-snippet", test_limit_and_snippet);
  ADD ("/search/migrate-from-v11", test_migrate_from_v11);
  ADD ("/search/replace-all-and-back", test_replace_all_and_back);
  ADD ("/search/counted", test_counted);
  ADD ("/search/first-and-more", test_first_and_more);
#undef ADD
  g_test_add_func ("/search/replace-text", test_replace_text);
  return g_test_run ();
}
