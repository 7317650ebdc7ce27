/* test-word-diff.c: the word comparison shown between a revision and the current prose
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-word-diff"

#include "config.h"

#include <string.h>

#include "loom-word-diff.h"

/* The diff as "=same -removed +added" pieces, for comparing with what a reader would mark. */
static char *
render (const char *old_text,
        const char *new_text)
{
  g_autoptr(GArray) spans = loom_word_diff (old_text, -1, new_text, -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < spans->len; i++)
    {
      LoomDiffSpan *span = &g_array_index (spans, LoomDiffSpan, i);

      if (span->kind == LOOM_DIFF_SAME)
        g_string_append_printf (out, "[=%.*s]", (int) (span->old_end - span->old_start),
                                old_text + span->old_start);
      else if (span->kind == LOOM_DIFF_REMOVED)
        g_string_append_printf (out, "[-%.*s]", (int) (span->old_end - span->old_start),
                                old_text + span->old_start);
      else
        g_string_append_printf (out, "[+%.*s]", (int) (span->new_end - span->new_start),
                                new_text + span->new_start);
    }
  return g_string_free (out, FALSE);
}

static void
assert_diff (const char *old_text,
             const char *new_text,
             const char *expected)
{
  g_autofree char *got = render (old_text, new_text);
  g_assert_cmpstr (got, ==, expected);
}

/* The same and removed runs give the old text back, the same and added the new one. */
static void
assert_rebuilds (const char *old_text,
                 gsize       old_len,
                 const char *new_text,
                 gsize       new_len)
{
  g_autoptr(GArray) spans = loom_word_diff (old_text, old_len, new_text, new_len);
  g_autoptr(GString) old_back = g_string_new (NULL);
  g_autoptr(GString) new_back = g_string_new (NULL);

  for (guint i = 0; i < spans->len; i++)
    {
      LoomDiffSpan *span = &g_array_index (spans, LoomDiffSpan, i);

      if (span->kind != LOOM_DIFF_ADDED)
        g_string_append_len (old_back, old_text + span->old_start, span->old_end - span->old_start);
      if (span->kind != LOOM_DIFF_REMOVED)
        g_string_append_len (new_back, new_text + span->new_start, span->new_end - span->new_start);
      if (i > 0)
        g_assert_cmpint (span->kind, !=, g_array_index (spans, LoomDiffSpan, i - 1).kind);
    }
  g_assert_cmpmem (old_back->str, old_back->len, old_text, old_len);
  g_assert_cmpmem (new_back->str, new_back->len, new_text, new_len);
}

static void
test_words (void)
{
  assert_diff ("The cat sat.", "The cat sat.", "[=The cat sat.]");
  assert_diff ("The cat sat.", "The dog sat.", "[=The ][-cat][+dog][= sat.]");
  assert_diff ("She ran.", "She ran home.", "[=She ran][+ home][=.]");
  assert_diff ("Quietly she left.", "She left.", "[-Quietly she][+She][= left.]");
  assert_diff ("", "New words.", "[+New words.]");
  assert_diff ("Old words.", "", "[-Old words.]");
  assert_diff (NULL, NULL, "");
  /* A replaced phrase reads as one change, not word by word interleaved. */
  assert_diff ("a red old boat", "a blue new boat", "[=a ][-red old][+blue new][= boat]");
}

static void
test_unicode_words (void)
{
  /* Apostrophes and hyphens inside a word keep it whole; accents and other scripts are
   * letters. */
  assert_diff ("Zoë’s café opened.", "Zoë’s bistro opened.",
               "[=Zoë’s ][-café][+bistro][= opened.]");
  assert_diff ("a well-known man", "a well-liked man", "[=a ][-well-known][+well-liked][= man]");
  assert_diff ("don't go", "do not go", "[-don't][+do not][= go]");
  assert_diff ("Москва — город.", "Москва — столица.", "[=Москва — ][-город][+столица][=.]");
  assert_diff ("naïve\u00a0idea", "naïve\u00a0plan", "[=naïve\u00a0][-idea][+plan]");
}

static void
test_cjk (void)
{
  /* No spaces between words: one changed character is one change, not the whole sentence. */
  assert_diff ("我今天去学校。", "我明天去学校。", "[=我][-今][+明][=天去学校。]");
  assert_diff ("猫が座った。", "犬が座った。", "[-猫][+犬][=が座った。]");
  assert_diff ("静かな夜", "静かな朝だった", "[=静かな][-夜][+朝だった]");
  /* Latin words beside them still count whole. */
  assert_diff ("Mara说再见。", "Ivo说再见。", "[-Mara][+Ivo][=说再见。]");
}

static void
test_whitespace_only (void)
{
  assert_diff ("She left.  He stayed.", "She left. He stayed.",
               "[=She left.][-  ][+ ][=He stayed.]");
  assert_diff ("One.\nTwo.", "One.\n\nTwo.", "[=One.][-\n][+\n\n][=Two.]");
  assert_diff ("a b", "a b ", "[=a b][+ ]");
}

static void
test_counts (void)
{
  const char *old_text = "The old man walked slowly to the sea.";
  const char *new_text = "The man ran to the grey sea.";
  g_autoptr(GArray) spans = loom_word_diff (old_text, -1, new_text, -1);
  guint removed = 0;
  guint added = 0;

  loom_word_diff_count (spans, old_text, new_text, &removed, &added);
  g_assert_cmpuint (removed, ==, 3);  /* old, walked slowly */
  g_assert_cmpuint (added, ==, 2);    /* ran, grey */
}

static void
test_rebuilds (void)
{
  static const char *const words[] = {
    "the", "sea", " ", " ", "\n\n", ",", "Mara", "’s", "well-known", "café", ".", "…", "\xff",
  };
  GRand *rand = g_rand_new_with_seed (1984);

  for (guint round = 0; round < 300; round++)
    {
      g_autoptr(GString) a = g_string_new (NULL);
      g_autoptr(GString) b = g_string_new (NULL);
      guint n = g_rand_int_range (rand, 0, 60);

      for (guint i = 0; i < n; i++)
        {
          const char *word = words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))];

          /* b is a with random words changed, dropped and added. */
          g_string_append (a, word);
          switch (g_rand_int_range (rand, 0, 5))
            {
            case 0:
              break;
            case 1:
              g_string_append (b, words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
              break;
            default:
              g_string_append (b, word);
            }
        }
      assert_rebuilds (a->str, a->len, b->str, b->len);
    }
  g_rand_free (rand);
}

/* Two long unrelated texts: bounded work, still a correct (if coarse) answer. */
static void
test_large_change (void)
{
  g_autoptr(GString) a = g_string_new (NULL);
  g_autoptr(GString) b = g_string_new (NULL);

  for (guint i = 0; i < 20000; i++)
    {
      g_string_append_printf (a, "alpha%u ", i);
      g_string_append_printf (b, "beta%u ", i);
    }
  g_string_prepend (a, "Same start. ");
  g_string_prepend (b, "Same start. ");
  assert_rebuilds (a->str, a->len, b->str, b->len);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/word-diff/words", test_words);
  g_test_add_func ("/word-diff/unicode-words", test_unicode_words);
  g_test_add_func ("/word-diff/cjk", test_cjk);
  g_test_add_func ("/word-diff/whitespace-only", test_whitespace_only);
  g_test_add_func ("/word-diff/counts", test_counts);
  g_test_add_func ("/word-diff/rebuilds", test_rebuilds);
  g_test_add_func ("/word-diff/large-change", test_large_change);
  return g_test_run ();
}
