/* bench-toon.c: TOON decode and encode throughput on one core
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Generates a tabular document of 36,000 rows × 8 fields (strings with spaces, commas and
 * quotes, integers, decimals, booleans, dates), about 5 MB, and prints the median MB/s
 * (10^6 bytes per second) of several decode and encode runs.
 *
 *   bench-toon [--runs N] [--write FILE]
 */

#define G_LOG_DOMAIN "bench-toon"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loom-toon.h"

#define N_ROWS 36000

static const char *first_names[] = {
  "Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Margaret", "Dennis",
};
static const char *last_names[] = {
  "Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson",
  "Hamilton", "Ritchie",
};
static const char *notes[] = {
  "met at the harbour, said \"tomorrow\", never came back",
  "owes the captain three silver coins, and a favour",
  "keeps a diary in cipher; the key is hidden somewhere",
  "first appears in chapter two, leaves in chapter nine",
  "speaks softly, laughs loudly, trusts nobody at all",
  "the \"quiet one\" of the crew, but sees everything",
};
static const char *places[] = {
  "Port Royal", "New Amsterdam", "Saint-Malo", "Bristol Docks", "Cape Town", "Valparaíso",
};

static LoomToonValue *
make_document (void)
{
  LoomToonValue *root = loom_toon_value_new_object ();
  LoomToonValue *rows = loom_toon_value_new_array ();
  GRand *rand = g_rand_new_with_seed (20261125);

  for (guint i = 0; i < N_ROWS; i++)
    {
      LoomToonValue *row = loom_toon_value_new_object ();
      g_autofree char *name = g_strdup_printf ("%s %c. %s",
                                               first_names[g_rand_int_range (rand, 0, 10)],
                                               'A' + g_rand_int_range (rand, 0, 26),
                                               last_names[g_rand_int_range (rand, 0, 10)]);
      g_autofree char *note = g_strdup_printf ("%s (%s), see page %d",
                                               notes[g_rand_int_range (rand, 0, 6)],
                                               places[g_rand_int_range (rand, 0, 6)],
                                               g_rand_int_range (rand, 1, 400));
      g_autofree char *date = g_strdup_printf ("%04d-%02d-%02d", g_rand_int_range (rand, 1700, 1800),
                                               g_rand_int_range (rand, 1, 13),
                                               g_rand_int_range (rand, 1, 29));

      loom_toon_value_object_set (row, "id", loom_toon_value_new_int (100000 + i));
      loom_toon_value_object_set (row, "name", loom_toon_value_new_string (name));
      loom_toon_value_object_set (row, "note", loom_toon_value_new_string (note));
      loom_toon_value_object_set (row, "chapter", loom_toon_value_new_int (g_rand_int_range (rand, 1, 60)));
      loom_toon_value_object_set (row, "weight",
                                  loom_toon_value_new_number (g_rand_int_range (rand, 0, 100000) / 100.0));
      loom_toon_value_object_set (row, "ratio",
                                  loom_toon_value_new_number (g_rand_int_range (rand, 0, 1000000) / 1e6));
      loom_toon_value_object_set (row, "alive", loom_toon_value_new_boolean (g_rand_boolean (rand)));
      loom_toon_value_object_set (row, "born", loom_toon_value_new_string (date));
      loom_toon_value_array_append (rows, row);
    }
  loom_toon_value_object_set (root, "characters", rows);
  g_rand_free (rand);
  return root;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *v,
        guint   n)
{
  qsort (v, n, sizeof *v, compare_doubles);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int
main (int    argc,
      char **argv)
{
  guint runs = 9;
  const char *write_path = NULL;
  g_autoptr(LoomToonValue) doc = NULL;
  g_autofree char *text = NULL;
  g_autofree double *decode_s = NULL;
  g_autofree double *encode_s = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  double decode_mbps, encode_mbps;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--runs") && i + 1 < argc)
        runs = MAX (1, atoi (argv[++i]));
      else if (g_str_equal (argv[i], "--write") && i + 1 < argc)
        write_path = argv[++i];
      else
        {
          g_printerr ("Usage: %s [--runs N] [--write FILE]\n", argv[0]);
          return 2;
        }
    }

  doc = make_document ();
  text = loom_toon_encode (doc, NULL, &error);
  g_assert_no_error (error);
  len = strlen (text);

  if (write_path != NULL && !g_file_set_contents (write_path, text, len, &error))
    {
      g_printerr ("bench-toon: %s\n", error->message);
      return 1;
    }

  decode_s = g_new (double, runs);
  encode_s = g_new (double, runs);

  for (guint r = 0; r < runs; r++)
    {
      gint64 t0, t1;
      LoomToonValue *value;
      char *out;

      t0 = g_get_monotonic_time ();
      value = loom_toon_decode (text, len, NULL, &error);
      t1 = g_get_monotonic_time ();
      g_assert_no_error (error);
      decode_s[r] = (t1 - t0) / 1e6;

      if (!loom_toon_value_equal (value, doc))
        g_error ("the decoded document differs from the generated one");

      t0 = g_get_monotonic_time ();
      out = loom_toon_encode (value, NULL, &error);
      t1 = g_get_monotonic_time ();
      g_assert_no_error (error);
      encode_s[r] = (t1 - t0) / 1e6;
      if (strcmp (out, text) != 0)
        g_error ("the re-encoded document differs from the original");

      g_free (out);
      loom_toon_value_unref (value);
    }

  decode_mbps = len / 1e6 / median (decode_s, runs);
  encode_mbps = len / 1e6 / median (encode_s, runs);

  g_print ("document: %u rows x 8 fields, %.2f MB\n", N_ROWS, len / 1e6);
  g_print ("decode: %.1f MB/s (median of %u runs)\n", decode_mbps, runs);
  g_print ("encode: %.1f MB/s (median of %u runs)\n", encode_mbps, runs);
  return 0;
}
