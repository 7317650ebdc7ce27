/* test-provenance.c: who wrote each word of a scene, and the disclosure report (issue 18)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-provenance"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loom-chapter.h"
#include "loom-deletion.h"
#include "loom-export.h"
#include "loom-revision.h"
#include "loom-scene.h"
#include "loom-store-provenance.h"
#include "loom-store-revise.h"
#include "loom-story.h"
#include "test-util.h"

typedef TestOneScene Fixture;

/* The spans as "length origin[generation]" words, e.g. "4 ai7 3 writer 6 ai7". */
static char *
describe (LoomProvenance *spans)
{
  GString *out = g_string_new (NULL);
  const LoomSpan *runs;
  guint n;

  runs = loom_provenance_get_spans (spans, &n);
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (out, ' ');
      g_string_append_printf (out, "%u %s", runs[i].length,
                              loom_span_origin_to_string (runs[i].origin));
      if (runs[i].generation_id != 0)
        g_string_append_printf (out, "%" G_GINT64_FORMAT, runs[i].generation_id);
    }
  return g_string_free (out, FALSE);
}

#define assert_spans(spans, expected) \
  G_STMT_START { \
    g_autofree char *described_ = describe (spans); \
    g_assert_cmpstr (described_, ==, expected); \
  } G_STMT_END

static LoomWordTally
tally (LoomProvenance *spans,
       const char     *text)
{
  LoomWordTally words = { 0 };

  loom_provenance_tally (spans, text, &words, NULL);
  return words;
}

#define assert_tally(t, w, k, e, u) \
  G_STMT_START { \
    g_assert_cmpuint ((t).writer, ==, w); \
    g_assert_cmpuint ((t).kept, ==, k); \
    g_assert_cmpuint ((t).edited, ==, e); \
    g_assert_cmpuint ((t).unknown, ==, u); \
  } G_STMT_END

#define assert_shares(w, k, e, u, sw, sk, se, su) \
  G_STMT_START { \
    LoomWordTally words_ = { w, k, e, u }; \
    assert_tally (loom_word_tally_shares (&words_), sw, sk, se, su); \
  } G_STMT_END

/* A share rounded to the nearest on its own, as the reports did before. */
static guint
nearest_percent (guint words,
                 guint total)
{
  return (guint) (words * 100.0 / total + 0.5);
}

/* The shares of a tally add up to 100: a publisher would not trust a report of 99 %. */
static void
test_shares (void)
{
  /* rounded one by one, three equal kinds read 33 % each, 99 % in all */
  g_assert_cmpuint (3 * nearest_percent (1, 3), ==, 99);
  /* the largest remainders get the points left; equal ones go to the earlier kind */
  assert_shares (1, 1, 1, 0, 34, 33, 33, 0);
  assert_shares (0, 1, 1, 1, 0, 34, 33, 33);
  assert_shares (1, 0, 1, 1, 34, 0, 33, 33);
  /* 62.5 and 37.5 each rounded up read 101 % */
  g_assert_cmpuint (nearest_percent (5, 8) + nearest_percent (3, 8), ==, 101);
  assert_shares (0, 3, 0, 5, 0, 38, 0, 62);
  assert_shares (2, 1, 0, 0, 67, 33, 0, 0);
  assert_shares (1, 2, 0, 0, 33, 67, 0, 0);
  assert_shares (0, 0, 0, 0, 0, 0, 0, 0);
  assert_shares (0, 0, 7, 0, 0, 0, 100, 0);
  assert_shares (1, 1, 1, 1, 25, 25, 25, 25);
  /* 16.67 each: the two largest remainders are all equal, so the earlier kinds */
  assert_shares (1, 1, 1, 3, 17, 17, 16, 50);
  /* a million words and more: no overflow, 33.3333… each, 1 word is 0 % */
  assert_shares (G_MAXUINT / 4, G_MAXUINT / 4, G_MAXUINT / 4, 1, 34, 33, 33, 0);
  assert_shares (1000000, 2000000, 3000000, 4000000, 10, 20, 30, 40);
  /* a word in a thousand is under half a percent and gets nothing */
  assert_shares (999, 1, 0, 0, 100, 0, 0, 0);
  /* 0.6, 0.7 and 0.7 %: two points are left over for three kinds; the one the remainders pass
   * over takes its point from the largest */
  assert_shares (980, 6, 7, 7, 97, 1, 1, 1);
  /* 0.5 % exactly reads 1 % */
  assert_shares (199, 1, 0, 0, 99, 1, 0, 0);
}

/* Every small tally: the shares add up to 100, none is a point or more off its exact value
 * (but for a point taken to show a kind of half a percent), more words never read less, and a
 * kind of half a percent or more never reads 0 %. */
static void
test_shares_every_tally (void)
{
  for (guint n = 0; n < 15 * 15 * 15 * 15; n++)
    {
      const guint w[] = { n % 15, n / 15 % 15, n / 225 % 15, n / 3375 * 37 };
      const LoomWordTally words = { w[0], w[1], w[2], w[3] };
      const LoomWordTally shares = loom_word_tally_shares (&words);
      const guint p[] = { shares.writer, shares.kept, shares.edited, shares.unknown };
      guint total = w[0] + w[1] + w[2] + w[3];
      guint sum = 0;

      for (guint k = 0; k < 4; k++)
        {
          double exact = total == 0 ? 0 : w[k] * 100.0 / total;

          sum += p[k];
          if (w[k] > 0 && w[k] * 200 >= total)
            g_assert_cmpuint (p[k], >=, 1);
          if (w[k] == 0)
            g_assert_cmpuint (p[k], ==, 0);
          g_assert_cmpfloat (ABS (p[k] - exact), <, 2.0);
          for (guint j = 0; j < 4; j++)
            if (w[k] > w[j])
              g_assert_cmpuint (p[k], >=, p[j]);
        }
      g_assert_cmpuint (sum, ==, total == 0 ? 0 : 100);
    }
}

/* The report's table and the export's appendix show the same shares, adding up to 100. */
static void
test_report_shares (void)
{
  g_autoptr(LoomDisclosure) report = loom_disclosure_new ("Thirds");
  g_autofree char *markdown = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint sum = 0, rows = 0;

  report->words = (LoomWordTally) { 1, 1, 1, 0 };
  markdown = loom_disclosure_to_markdown (report);
  lines = g_strsplit (markdown, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      guint words, share;
      const char *figures = strstr (lines[i], " | ");

      if (figures != NULL && sscanf (figures, " | %u | %u %% |", &words, &share) == 2)
        {
          sum += share;
          rows++;
        }
    }
  g_assert_cmpuint (rows, ==, 4);
  g_assert_cmpuint (sum, ==, 100);
  g_assert_nonnull (strstr (markdown, "| Written by the writer | 1 | 34 % |"));
  g_assert_nonnull (strstr (markdown, "| Generated and kept unchanged | 1 | 33 % |"));
  g_assert_nonnull (strstr (markdown, "| Generated, then edited by the writer | 1 | 33 % |"));
  g_assert_nonnull (strstr (markdown, "| Origin unknown | 0 | 0 % |"));

  text = loom_disclosure_to_text (report);
  g_assert_nonnull (strstr (text, "Written by the writer: 1 (34 %)\n"
                                  "Generated and kept unchanged: 1 (33 %)\n"
                                  "Generated, then edited by the writer: 1 (33 %)\n"
                                  "Origin unknown: 0 (0 %)\n"));
}

/* Typing inside a generated span splits it; the typed word is the writer's, a word the writer
 * typed into is edited, the rest stays the model's. */
static void
test_typing_splits (void)
{
  /* "The dog ran." from request 7; the writer types "big " before "dog" and "s" after it */
  g_autoptr(LoomProvenance) spans = loom_provenance_new (12, LOOM_SPAN_AI, 7);

  loom_provenance_insert (spans, 4, 4, LOOM_SPAN_WRITER, 0);
  assert_spans (spans, "4 ai7 4 writer 8 ai7");
  assert_tally (tally (spans, "The big dog ran."), 1, 3, 0, 0);

  loom_provenance_insert (spans, 11, 1, LOOM_SPAN_WRITER, 0);
  assert_spans (spans, "4 ai7 4 writer 3 ai7 1 writer 5 ai7");
  assert_tally (tally (spans, "The big dogs ran."), 1, 2, 1, 0);
  g_assert_cmpuint (loom_provenance_get_length (spans), ==, 17);

  /* a comma after a generated word leaves the word the model's */
  {
    g_autoptr(LoomProvenance) comma = loom_provenance_new (7, LOOM_SPAN_AI, 7);

    loom_provenance_insert (comma, 3, 1, LOOM_SPAN_WRITER, 0);
    assert_tally (tally (comma, "The, dog"), 0, 2, 0, 0);
  }
}

/* Deleting removes the characters' spans; putting the kept slice back (undo) restores them
 * exactly; cutting into a word makes what is left of it edited. */
static void
test_delete_and_undo (void)
{
  g_autoptr(LoomProvenance) spans = loom_provenance_new (4, LOOM_SPAN_WRITER, 0);
  g_autoptr(LoomProvenance) before = NULL;
  g_autoptr(LoomProvenance) removed = NULL;

  /* "Hey the quick fox" : "Hey " writer, "the quick fox" request 3 */
  loom_provenance_append (spans, 13, LOOM_SPAN_AI, 3);
  before = loom_provenance_copy (spans);

  /* the writer selects "y the qu" and deletes it */
  removed = loom_provenance_slice (spans, 2, 8);
  assert_spans (removed, "2 writer 6 ai3");
  loom_provenance_delete (spans, 2, 8);
  assert_spans (spans, "2 writer 7 ai3");
  g_assert_cmpuint (loom_provenance_get_length (spans), ==, 9);

  loom_provenance_insert_spans (spans, 2, removed);
  g_assert_true (loom_provenance_equal (spans, before));

  /* "quick" loses its "ck": the "qui" left is edited */
  loom_provenance_delete (spans, 11, 2);
  loom_provenance_mark_edited (spans, 10, 1);
  assert_spans (spans, "4 writer 6 ai3 1 edited3 4 ai3");
  assert_tally (tally (spans, "Hey the qui fox"), 1, 2, 1, 0);

  /* deleting everything leaves nothing */
  loom_provenance_delete (spans, 0, 100);
  g_assert_cmpuint (loom_provenance_get_length (spans), ==, 0);
  assert_spans (spans, "");
}

/* Prose changed where nobody tracked it: the shared words keep their origin, the new ones are
 * what the caller vouches for; a provenance that does not fit the old text makes all unknown. */
static void
test_rebuild (void)
{
  g_autoptr(LoomProvenance) spans = loom_provenance_new (12, LOOM_SPAN_AI, 2);
  g_autoptr(LoomProvenance) rebuilt = NULL;
  g_autoptr(LoomProvenance) wrong = NULL;
  g_autoptr(LoomProvenance) accented = NULL;

  rebuilt = loom_provenance_rebuild (spans, "The cat sat.", "The black cat sat down.",
                                     LOOM_SPAN_UNKNOWN, 0);
  g_assert_cmpuint (loom_provenance_get_length (rebuilt), ==, 23);
  assert_tally (tally (rebuilt, "The black cat sat down."), 0, 3, 0, 2);

  wrong = loom_provenance_rebuild (spans, "Not the text they describe", "The cat",
                                   LOOM_SPAN_WRITER, 0);
  assert_spans (wrong, "7 unknown");

  /* characters, not bytes */
  accented = loom_provenance_rebuild (spans, "Thé çat sat.", "Thé çat sät here.",
                                      LOOM_SPAN_AI, 9);
  g_assert_cmpuint (loom_provenance_get_length (accented), ==, 17);
  assert_spans (accented, "8 ai2 8 ai9 1 ai2");
}

static void
test_fingerprint (void)
{
  g_autofree char *a = loom_provenance_fingerprint ("The cat sat.");
  g_autofree char *b = loom_provenance_fingerprint ("The cat sat!");
  g_autofree char *none = loom_provenance_fingerprint (NULL);
  g_autofree char *empty = loom_provenance_fingerprint ("");

  g_assert_cmpstr (a, !=, b);
  g_assert_cmpstr (none, ==, empty);
  g_assert_cmpint (loom_provenance_count_chars ("Thé çat — sät", NULL), ==,
                   g_utf8_strlen ("Thé çat — sät", -1));
}

/* The stored form reads back; another program's garbage is refused, not half read; the trash
 * moves the requests' ids. */
static void
test_stored_form (void)
{
  g_autoptr(LoomProvenance) spans = loom_provenance_new (300, LOOM_SPAN_AI, 12);
  g_autoptr(LoomProvenance) read = NULL;
  g_autoptr(LoomProvenance) empty = NULL;
  g_autofree char *text = NULL;
  g_autofree char *shifted = NULL;
  const char *const bad[] = { "12", "0w", "4x", "4w 3", "4wa", "4a-3", "-4w", "4w  3u", NULL };

  loom_provenance_append (spans, 4, LOOM_SPAN_WRITER, 0);
  loom_provenance_append (spans, 2, LOOM_SPAN_EDITED, 12);
  loom_provenance_append (spans, 9, LOOM_SPAN_UNKNOWN, 0);
  text = loom_provenance_to_string (spans);
  g_assert_cmpstr (text, ==, "300a12 4w 2e12 9u");
  read = loom_provenance_new_from_string (text);
  g_assert_nonnull (read);
  g_assert_true (loom_provenance_equal (read, spans));

  empty = loom_provenance_new_from_string ("");
  g_assert_nonnull (empty);
  g_assert_cmpuint (loom_provenance_get_length (empty), ==, 0);
  for (guint i = 0; bad[i] != NULL; i++)
    g_assert_null (loom_provenance_new_from_string (bad[i]));

  loom_provenance_shift_generations (read, 100);
  shifted = loom_provenance_to_string (read);
  g_assert_cmpstr (shifted, ==, "300a112 4w 2e112 9u");
}

static gint64
last_generation (Fixture *f)
{
  g_autofree char *id = test_sql_value (f->path, "SELECT max (id) FROM generations");

  return g_ascii_strtoll (id, NULL, 10);
}

static LoomProvenance *
stored (Fixture   *f,
        LoomScene *scene)
{
  g_autoptr(GError) error = NULL;
  LoomProvenance *spans = loom_store_get_provenance (f->store, scene, &error);

  g_assert_no_error (error);
  g_assert_nonnull (spans);
  return spans;
}

/* The writer's typing saved with the editor's spans, a generation over it, a stopped one, and
 * the restore of the writer's text: each keeps the right origins, also after a restart. */
static void
test_store_generation_and_restore (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomProvenance) typed = loom_provenance_new (9, LOOM_SPAN_WRITER, 0);
  g_autoptr(LoomProvenance) after = NULL;
  g_autoptr(LoomProvenance) stopped = NULL;
  g_autoptr(LoomProvenance) generated = NULL;
  g_autoptr(LoomProvenance) restored = NULL;
  g_autoptr(LoomProvenance) reopened = NULL;
  g_autoptr(LoomRevision) revision = NULL;
  g_autoptr(GListModel) revisions = NULL;
  gint64 scene_id = loom_scene_get_id (f->scene);
  gint64 generation;
  g_autofree char *expected = NULL;

  g_assert_true (loom_scene_set_prose_tracked (f->scene, "Mine own.",
                                               loom_scene_get_prose_version (f->scene), typed,
                                               &error));
  g_assert_no_error (error);
  after = stored (f, f->scene);
  assert_spans (after, "9 writer");

  /* stopped: the writer's text comes back with its spans */
  test_generate (f->store, f->scene, LOOM_GENERATION_CANCELLED, "m/one", "Half a");
  stopped = stored (f, f->scene);
  assert_spans (stopped, "9 writer");

  /* regenerated: all of it the request's */
  test_generate (f->store, f->scene, LOOM_GENERATION_COMPLETE, "m/one", "The boat left.");
  generation = last_generation (f);
  generated = stored (f, f->scene);
  expected = g_strdup_printf ("14 ai%" G_GINT64_FORMAT, generation);
  assert_spans (generated, expected);

  /* restoring the writer's text from the history brings its origins back */
  revisions = loom_store_list_revisions (f->store, f->scene, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (revisions) && revision == NULL; i++)
    {
      g_autoptr(LoomRevision) r = g_list_model_get_item (revisions, i);

      if (g_strcmp0 (loom_revision_get_prose (r), "Mine own.") == 0)
        revision = g_steal_pointer (&r);
    }
  g_assert_nonnull (revision);
  g_assert_true (loom_store_restore_revision (f->store, f->scene, revision, &error));
  g_assert_no_error (error);
  restored = stored (f, f->scene);
  assert_spans (restored, "9 writer");

  /* a restart reads the same */
  g_clear_object (&f->store);
  f->store = loom_store_open (f->path, &error);
  g_assert_no_error (error);
  f->scene = loom_store_lookup_scene (f->store, scene_id);
  reopened = stored (f, f->scene);
  assert_spans (reopened, "9 writer");
}

/* Prose still streaming in is the running request's, for this program and for another one
 * reading the library meanwhile (the command line's report), and counts as generated in the
 * report, never as unknown or the writer's. A stop, and a crash mid-stream, give the writer's
 * earlier text its own origins back. */
static void
test_store_streaming (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomProvenance) typed = loom_provenance_new (9, LOOM_SPAN_WRITER, 0);
  g_autoptr(LoomProvenance) streaming = NULL;
  g_autoptr(LoomProvenance) elsewhere = NULL;
  g_autoptr(LoomProvenance) stopped = NULL;
  g_autoptr(LoomProvenance) recovered = NULL;
  g_autoptr(LoomDisclosure) report = NULL;
  g_autoptr(LoomStore) other = NULL;
  g_autofree char *expected = NULL;
  LoomGenerationEnd end = { .outcome = LOOM_GENERATION_CANCELLED, .prompt_tokens = -1,
                            .completion_tokens = -1, .cost = -1, .model = "m/one",
                            .status = LOOM_SCENE_STATUS_DRAFT, .prose = "Mine own.",
                            .partial = "The boat left" };
  gint64 scene_id = loom_scene_get_id (f->scene);
  gint64 id;

  g_assert_true (loom_scene_set_prose_tracked (f->scene, "Mine own.",
                                               loom_scene_get_prose_version (f->scene), typed,
                                               &error));
  g_assert_no_error (error);

  id = loom_store_begin_generation (f->store, f->scene, "m/one", NULL, &error);
  g_assert_no_error (error);
  loom_scene_stream_prose (f->scene, "The boat");
  g_assert_true (loom_store_flush_prose (f->store, f->scene, &error));
  g_assert_no_error (error);
  /* more has arrived than was flushed: all of it is the request's */
  loom_scene_stream_append (f->scene, " left", -1);
  streaming = stored (f, f->scene);
  expected = g_strdup_printf ("13 ai%" G_GINT64_FORMAT, id);
  assert_spans (streaming, expected);
  report = loom_store_get_disclosure (f->store, f->story, &error);
  g_assert_no_error (error);
  assert_tally (report->words, 0, 3, 0, 0);
  g_assert_cmpuint (report->models->len, ==, 1);
  g_assert_cmpuint (g_array_index (report->models, LoomDisclosureModel, 0).words, ==, 3);

  /* another program sees what was flushed, as the request's */
  other = loom_store_open (f->path, &error);
  g_assert_no_error (error);
  elsewhere = stored (f, loom_store_lookup_scene (other, scene_id));
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("8 ai%" G_GINT64_FORMAT, id);
  assert_spans (elsewhere, expected);
  g_clear_object (&other);

  /* stopped: the writer's text and origins come back */
  g_assert_true (loom_store_end_generation (f->store, f->scene, id, &end, &error));
  g_assert_no_error (error);
  stopped = stored (f, f->scene);
  assert_spans (stopped, "9 writer");

  /* a crash mid-stream: the next open puts the writer's text back, with its origins */
  loom_store_begin_generation (f->store, f->scene, "m/one", NULL, &error);
  g_assert_no_error (error);
  loom_scene_stream_prose (f->scene, "A second try");
  g_assert_true (loom_store_flush_prose (f->store, f->scene, &error));
  g_clear_object (&f->store);
  f->store = loom_store_open (f->path, &error);
  g_assert_no_error (error);
  f->scene = loom_store_lookup_scene (f->store, scene_id);
  g_assert_cmpstr (test_scene_prose (f->scene), ==, "Mine own.");
  recovered = stored (f, f->scene);
  assert_spans (recovered, "9 writer");
}

/* The command line's prose (no spans) and another program's (not even a fingerprint): what
 * they add is unknown, never the writer's. */
static void
test_store_untracked (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomProvenance) cli = NULL;
  g_autoptr(LoomProvenance) elsewhere = NULL;
  gint64 scene_id = loom_scene_get_id (f->scene);
  g_autofree char *sql = NULL;
  LoomWordTally words;

  test_generate (f->store, f->scene, LOOM_GENERATION_COMPLETE, "m/one", "The boat left.");
  /* what `storyloom-cli scene set --prose-file` calls */
  g_assert_true (loom_scene_set_prose (f->scene, "The boat left. Someone added this.", &error));
  g_assert_no_error (error);
  cli = stored (f, f->scene);
  words = tally (cli, "The boat left. Someone added this.");
  assert_tally (words, 0, 3, 0, 3);

  g_clear_object (&f->store);
  sql = g_strdup_printf ("UPDATE scenes SET prose = 'Rewritten by hand.' WHERE id = %"
                         G_GINT64_FORMAT, scene_id);
  test_sql_exec (f->path, sql);
  f->store = loom_store_open (f->path, &error);
  g_assert_no_error (error);
  f->scene = loom_store_lookup_scene (f->store, scene_id);
  elsewhere = stored (f, f->scene);
  assert_spans (elsewhere, "18 unknown");
}

/* A selection edit: the words the writer accepted are the request's, the rest keeps its
 * origin. */
static void
test_store_revise (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomProvenance) typed = loom_provenance_new (16, LOOM_SPAN_WRITER, 0);
  g_autoptr(LoomProvenance) spans = NULL;
  g_autoptr(GArray) by_generation = g_array_new (FALSE, FALSE, sizeof (LoomGenerationWords));
  LoomWordTally words = { 0 };
  gint64 request;

  g_assert_true (loom_scene_set_prose_tracked (f->scene, "The sea was big.",
                                               loom_scene_get_prose_version (f->scene), typed,
                                               &error));
  request = loom_store_begin_revise (f->store, f->scene, LOOM_REVISE_REWRITE, "m/two", &error);
  g_assert_no_error (error);
  g_assert_true (loom_store_apply_revise (f->store, f->scene, "The sea was big.",
                                          "The sea was vast and grey.", "m/two", request,
                                          &error));
  g_assert_no_error (error);
  spans = stored (f, f->scene);
  loom_provenance_tally (spans, "The sea was vast and grey.", &words, by_generation);
  assert_tally (words, 3, 3, 0, 0);
  g_assert_cmpuint (by_generation->len, ==, 1);
  g_assert_cmpint (g_array_index (by_generation, LoomGenerationWords, 0).generation_id, ==,
                   request);
}

/* Moving a scene keeps its spans; deleting it and bringing it back from the trash too. */
static void
test_store_move_and_trash (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomProvenance) moved = NULL;
  g_autoptr(LoomProvenance) back = NULL;
  g_autoptr(LoomDeletion) deletion = NULL;
  LoomChapter *other;
  gint64 scene_id = loom_scene_get_id (f->scene);
  g_autofree char *expected = NULL;

  test_generate (f->store, f->scene, LOOM_GENERATION_COMPLETE, "m/one", "The boat left.");
  expected = g_strdup_printf ("14 ai%" G_GINT64_FORMAT, last_generation (f));
  other = loom_store_add_chapter (f->store, f->story, LOOM_POSITION_END, "Two", &error);
  g_assert_no_error (error);
  g_assert_true (loom_store_move_scene (f->store, f->scene, other, 0, &error));
  g_assert_no_error (error);
  moved = stored (f, f->scene);
  assert_spans (moved, expected);

  deletion = loom_store_delete_scene (f->store, f->scene, &error);
  g_assert_no_error (error);
  {
    g_autofree char *count = test_sql_value (f->path, "SELECT count (*) FROM prose_provenance");

    g_assert_cmpstr (count, ==, "0");
  }
  g_assert_true (loom_store_undo_deletion (f->store, deletion, &error));
  g_assert_no_error (error);
  f->scene = loom_store_lookup_scene (f->store, scene_id);
  back = stored (f, f->scene);
  assert_spans (back, expected);
}

/* A story built with known spans: the report's numbers per chapter, in total and per model. */
static void
test_report (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomDisclosure) report = NULL;
  g_autoptr(LoomProvenance) edited = NULL;
  g_autofree char *markdown = NULL;
  LoomChapter *two;
  LoomScene *second;
  LoomScene *third;
  const LoomDisclosureChapter *c1, *c2;
  const LoomDisclosureModel *m;

  two = loom_store_add_chapter (f->store, f->story, LOOM_POSITION_END, "Two | Ends", &error);
  second = loom_store_add_scene (f->store, f->chapter, LOOM_POSITION_END, "b", &error);
  third = loom_store_add_scene (f->store, two, LOOM_POSITION_END, "c", &error);
  g_assert_no_error (error);

  /* chapter 1: four generated words kept, then the writer's four */
  test_generate_priced (f->store, f->scene, "m/one", "One two three four.", 0.25);
  {
    /* spans one character short are not trusted: the words are unknown */
    g_autoptr(LoomProvenance) short_spans = loom_provenance_new (19, LOOM_SPAN_WRITER, 0);
    g_autoptr(LoomProvenance) typed = loom_provenance_new (20, LOOM_SPAN_WRITER, 0);
    g_autoptr(LoomProvenance) untrusted = NULL;

    g_assert_true (loom_scene_set_prose_tracked (second, "Five six seven eight",
                                                 loom_scene_get_prose_version (second),
                                                 short_spans, &error));
    g_assert_no_error (error);
    untrusted = stored (f, second);
    assert_spans (untrusted, "20 unknown");
    g_assert_true (loom_scene_set_prose_tracked (second, "Five six seven nine!",
                                                 loom_scene_get_prose_version (second), typed,
                                                 &error));
    g_assert_no_error (error);
  }

  /* chapter 2: three generated words, the writer pluralises one */
  test_generate_priced (f->store, third, "m/two", "Red fox runs", 0.5);
  edited = loom_provenance_new (12, LOOM_SPAN_AI, last_generation (f));
  loom_provenance_insert (edited, 7, 1, LOOM_SPAN_WRITER, 0);
  g_assert_true (loom_scene_set_prose_tracked (third, "Red foxs runs",
                                               loom_scene_get_prose_version (third), edited,
                                               &error));
  g_assert_no_error (error);

  report = loom_store_get_disclosure (f->store, f->story, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->chapters->len, ==, 2);
  c1 = &g_array_index (report->chapters, LoomDisclosureChapter, 0);
  c2 = &g_array_index (report->chapters, LoomDisclosureChapter, 1);
  assert_tally (c1->words, 4, 4, 0, 0);
  assert_tally (c2->words, 0, 2, 1, 0);
  assert_tally (report->words, 4, 6, 1, 0);
  g_assert_cmpfloat_with_epsilon (c1->cost, 0.25, 1e-9);
  g_assert_cmpfloat_with_epsilon (c2->cost, 0.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (report->cost, 0.75, 1e-9);

  g_assert_cmpuint (report->models->len, ==, 2);
  m = &g_array_index (report->models, LoomDisclosureModel, 0);
  g_assert_cmpstr (m->model, ==, "m/one");
  g_assert_cmpuint (m->words, ==, 4);
  g_assert_cmpuint (m->requests, ==, 1);
  m = &g_array_index (report->models, LoomDisclosureModel, 1);
  g_assert_cmpstr (m->model, ==, "m/two");
  g_assert_cmpuint (m->words, ==, 3);

  markdown = loom_disclosure_to_markdown (report);
  g_assert_nonnull (strstr (markdown, "| Written by the writer | 4 | 36 % |"));
  g_assert_nonnull (strstr (markdown, "| 2. Two \\| Ends | 0 | 2 | 1 | 0 | $0.5000 |"));
  g_assert_nonnull (strstr (markdown, "| m/one | 1 | 4 | $0.2500 |"));

  /* the same figures as the appendix of an export, on request only */
  {
    g_autofree char *path = g_build_filename (f->dir, "book.md", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autofree char *book = NULL;
    LoomExportOptions options;

    loom_export_options_init (&options);
    g_assert_true (loom_export_story (f->story, &options, file, NULL, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (path, &book, NULL, NULL));
    g_assert_null (strstr (book, "AI Disclosure"));
    g_clear_pointer (&book, g_free);

    options.disclosure = TRUE;
    g_assert_true (loom_export_story (f->story, &options, file, NULL, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (path, &book, NULL, NULL));
    g_assert_nonnull (strstr (book, "AI Disclosure"));
    g_assert_nonnull (strstr (book, "Written by the writer: 4 (36 %)"));
    g_assert_nonnull (strstr (book, "m/two: 3 generated words in the text"));
  }
}

/* A library of version 15 opens with its data as it was; a generated scene's prose is its
 * request's, any other prose unknown. */
static void
test_migrate_from_v15 (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomProvenance) generated = NULL;
  g_autoptr(LoomProvenance) typed = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *version = NULL;
  g_autofree char *expected = NULL;
  gint64 id = loom_scene_get_id (f->scene);
  gint64 typed_id;
  LoomScene *other;

  test_generate (f->store, f->scene, LOOM_GENERATION_COMPLETE, "m/one", "The boat left.");
  expected = g_strdup_printf ("14 ai%" G_GINT64_FORMAT, last_generation (f));
  other = loom_store_add_scene (f->store, f->chapter, LOOM_POSITION_END, "b", &error);
  g_assert_true (loom_scene_set_prose (other, "Typed long ago.", &error));
  g_assert_no_error (error);
  typed_id = loom_scene_get_id (other);
  g_clear_object (&f->store);

  test_sql_exec (f->path, TEST_SQL_UNDO_V16 "PRAGMA user_version = 15");
  before = test_dump_library (f->path);
  f->store = loom_store_open (f->path, &error);
  g_assert_no_error (error);
  version = test_sql_value (f->path, "PRAGMA user_version");
  g_assert_cmpint (atoi (version), ==, LOOM_STORE_SCHEMA_VERSION);
  after = test_dump_library (f->path);
  g_assert_cmpstr (after, ==, before);

  generated = stored (f, loom_store_lookup_scene (f->store, id));
  assert_spans (generated, expected);
  typed = stored (f, loom_store_lookup_scene (f->store, typed_id));
  assert_spans (typed, "15 unknown");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/provenance/typing-splits", test_typing_splits);
  g_test_add_func ("/provenance/delete-and-undo", test_delete_and_undo);
  g_test_add_func ("/provenance/rebuild", test_rebuild);
  g_test_add_func ("/provenance/fingerprint", test_fingerprint);
  g_test_add_func ("/provenance/stored-form", test_stored_form);
  g_test_add_func ("/provenance/shares", test_shares);
  g_test_add_func ("/provenance/shares-every-tally", test_shares_every_tally);
  g_test_add_func ("/provenance/report-shares", test_report_shares);
#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, test_one_scene_setup, func, test_one_scene_teardown)
  ADD ("/provenance/store/generation-and-restore", test_store_generation_and_restore);
  ADD ("/provenance/store/streaming", test_store_streaming);
  ADD ("/provenance/store/untracked", test_store_untracked);
  ADD ("/provenance/store/revise", test_store_revise);
  ADD ("/provenance/store/move-and-trash", test_store_move_and_trash);
  ADD ("/provenance/report", test_report);
  ADD ("/provenance/migrate-from-v15", test_migrate_from_v15);
  return g_test_run ();
}
