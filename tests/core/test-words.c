/* test-words.c: word counts as a writer counts them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-words"

#include "config.h"

#include "loom-words.h"

static void
test_counts (void)
{
  static const struct { const char *text; guint words; } cases[] = {
    { NULL, 0 },
    { "", 0 },
    { "   \n\t ", 0 },
    { "One", 1 },
    { "One two  three", 3 },
    { "Don't stop", 2 },
    { "a well-known fact", 3 },
    { "Wait — what?", 2 },
    { "Wait—what?", 2 },
    { "… and then …", 2 },
    { "1984 was a year.", 4 },
    { "Zoë’s café", 2 },
    { "line\nbreak\r\nagain", 3 },
    { "non\u00a0breaking", 2 },
    { "\"Quoted,\" she said.", 3 },
    { "bad \xff bytes", 2 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      /* Escaped: the TAP stream is ASCII lines, and some cases hold bad bytes or line breaks. */
      g_autofree char *shown = cases[i].text ? g_strescape (cases[i].text, NULL)
                                             : g_strdup ("(null)");

      g_test_message ("case %u: %s", i, shown);
      g_assert_cmpuint (loom_count_words (cases[i].text, -1), ==, cases[i].words);
    }
  /* A length limits the count. */
  g_assert_cmpuint (loom_count_words ("one two three", 7), ==, 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/words/counts", test_counts);
  return g_test_run ();
}
