/* bench-revise.c: the word diff behind the review of an AI change (issue 15)
 *
 * A 5,000-word passage of realistic prose against three 5,000-word answers: a light edit
 * (about one word in twelve replaced, some dropped, some added — what Rewrite returns), a
 * heavy one (one word in three), and an unrelated text (the worst case, bounded by the diff's
 * edit limit). Prints the median of RUNS runs of loom_word_diff () and of building the whole
 * review (loom_review_new (): the diff, grouped into changes), with the target.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bench-revise"

#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gstdio.h>

#include "loom-chapter.h"
#include "loom-review.h"
#include "loom-scene.h"
#include "loom-store.h"
#include "loom-word-diff.h"
#include "bench-util.h"

#define RUNS       21
#define WORDS      5000
#define TARGET_MS  20.0

/* @text with one word in @every replaced, and a word dropped or added now and then. */
static char *
edit_words (const char *text,
            guint       every,
            guint       seed)
{
  g_auto(GStrv) words = g_strsplit (text, " ", -1);
  GString *out = g_string_new (NULL);
  GRand *rand = g_rand_new_with_seed (seed);

  for (guint i = 0; words[i] != NULL; i++)
    {
      guint roll = g_rand_int_range (rand, 0, every * 4);

      if (out->len > 0)
        g_string_append_c (out, ' ');
      if (roll == 0)
        g_string_append (out, "quietly");        /* replaced */
      else if (roll == 1)
        g_string_append_printf (out, "new %s", words[i]);  /* added */
      else if (roll == 2 && out->len > 0)
        g_string_truncate (out, out->len - 1);   /* dropped */
      else
        g_string_append (out, words[i]);
    }
  g_rand_free (rand);
  return g_string_free (out, FALSE);
}

static void
measure (const char *name,
         LoomScene  *scene,
         const char *passage,
         const char *answer)
{
  double diff_ms[RUNS];
  double review_ms[RUNS];
  guint n_changes = 0;

  for (guint run = 0; run < RUNS; run++)
    {
      double start = bench_now_ms ();
      g_autoptr(GArray) spans = loom_word_diff (passage, -1, answer, -1);
      double middle = bench_now_ms ();
      g_autoptr(LoomReview) review = loom_review_new (scene, LOOM_REVISE_REWRITE, passage, 0,
                                                      strlen (passage), answer);

      review_ms[run] = bench_now_ms () - middle;
      diff_ms[run] = middle - start;
      n_changes = loom_review_get_n_changes (review);
    }
  g_print ("%-34s diff %7.2f ms, review %7.2f ms (%u changes)%s\n", name,
           bench_median (diff_ms, RUNS), bench_median (review_ms, RUNS), n_changes,
           bench_median (diff_ms, RUNS) <= TARGET_MS ? "" : "  ← over the target");
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = bench_temp_library ("bench-revise", &dir);
  g_autoptr(LoomStore) store = NULL;
  g_autofree char *passage = bench_make_novel_prose (15, WORDS, TRUE);
  g_autofree char *light = edit_words (passage, 12, 1);
  g_autofree char *heavy = edit_words (passage, 3, 2);
  g_autofree char *other = bench_make_novel_prose (16, WORDS, TRUE);
  LoomStory *story;
  LoomChapter *chapter;
  LoomScene *scene;

  setlocale (LC_ALL, "");
  store = loom_store_open (path, &error);
  g_assert_no_error (error);
  story = loom_store_create_story (store, "Bench", NULL, NULL, &error);
  chapter = loom_store_add_chapter (store, story, 0, "One", &error);
  scene = loom_store_add_scene (store, chapter, 0, "A scene", &error);
  g_assert_no_error (error);

  g_print ("A %u-word passage against a %u-word answer; median of %d runs; target %.0f ms\n",
           WORDS, WORDS, RUNS, TARGET_MS);
  measure ("light edit (1 word in 12)", scene, passage, light);
  measure ("heavy edit (1 word in 3)", scene, passage, heavy);
  measure ("unrelated text (worst case)", scene, passage, other);

  g_clear_object (&store);
  bench_remove_library (path);
  g_rmdir (dir);
  return 0;
}
