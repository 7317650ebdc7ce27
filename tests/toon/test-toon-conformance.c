/* test-toon-conformance.c: every fixture of the TOON v4.0 specification, one test case each
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The fixtures live in ../shared/toon-spec/fixtures (TOON_SPEC_FIXTURES overrides it) and are
 * read, never copied. They are JSON with integers beyond gint64 (1e20), so they go through our
 * own JSON reader, not json-glib.
 */

#define G_LOG_DOMAIN "test-toon-conformance"

#include "config.h"

#include <locale.h>

#include "loom-toon-json.h"

typedef struct
{
  gboolean       decode;
  char          *file;
  LoomToonValue *test; /* the fixture's test object */
} Case;

/* Non-strict "optional leniency" cases we choose to reject, with the reason. Empty: every
 * optional leniency of the v4.0 fixtures is implemented. A name listed here is skipped, not
 * passed. */
static const struct
{
  const char *name;
  const char *reason;
} rejected[] = {
  { NULL, NULL },
};

static void
case_free (gpointer data)
{
  Case *c = data;

  g_free (c->file);
  loom_toon_value_unref (c->test);
  g_free (c);
}

static LoomToonValue *
member (LoomToonValue *object,
        const char    *key)
{
  return loom_toon_value_object_get_member (object, key);
}

static const char *
string_member (LoomToonValue *object,
               const char    *key)
{
  LoomToonValue *v = member (object, key);

  return v && loom_toon_value_get_kind (v) == LOOM_TOON_STRING ? loom_toon_value_get_string (v, NULL) : NULL;
}

static const char *
rejection_reason (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (rejected); i++)
    if (rejected[i].name != NULL && g_str_equal (rejected[i].name, name))
      return rejected[i].reason;
  return NULL;
}

/* Tabular and keyed rows take the first row's key order, so the round trip compares objects
 * as sets of members. */
static gboolean
equal_unordered (LoomToonValue *a,
                 LoomToonValue *b)
{
  LoomToonKind ka = loom_toon_value_get_kind (a);
  LoomToonKind kb = loom_toon_value_get_kind (b);

  if (ka == LOOM_TOON_ARRAY && kb == LOOM_TOON_ARRAY)
    {
      if (loom_toon_value_get_length (a) != loom_toon_value_get_length (b))
        return FALSE;
      for (guint i = 0; i < loom_toon_value_get_length (a); i++)
        if (!equal_unordered (loom_toon_value_array_get (a, i), loom_toon_value_array_get (b, i)))
          return FALSE;
      return TRUE;
    }
  if (ka == LOOM_TOON_OBJECT && kb == LOOM_TOON_OBJECT)
    {
      if (loom_toon_value_get_length (a) != loom_toon_value_get_length (b))
        return FALSE;
      for (guint i = 0; i < loom_toon_value_get_length (a); i++)
        {
          LoomToonValue *other = member (b, loom_toon_value_object_get_key (a, i, NULL));

          if (other == NULL || !equal_unordered (loom_toon_value_object_get_value (a, i), other))
            return FALSE;
        }
      return TRUE;
    }
  return loom_toon_value_equal (a, b);
}

static void
run_case (gconstpointer data)
{
  const Case *c = data;
  LoomToonValue *options = member (c->test, "options");
  LoomToonValue *should_error = member (c->test, "shouldError");
  gboolean expect_error = should_error && loom_toon_value_get_boolean (should_error);
  const char *name = string_member (c->test, "name");
  const char *reason = rejection_reason (name);
  g_autoptr(GError) error = NULL;

  if (reason != NULL)
    {
      g_test_skip (reason);
      return;
    }

  if (c->decode)
    {
      LoomToonDecodeOptions opts;
      LoomToonValue *input = member (c->test, "input");
      gsize input_len;
      const char *text = loom_toon_value_get_string (input, &input_len);
      g_autoptr(LoomToonValue) got = NULL;

      loom_toon_decode_options_init (&opts);
      if (options && member (options, "strict"))
        opts.strict = loom_toon_value_get_boolean (member (options, "strict"));
      if (options && member (options, "indentSize"))
        opts.indent_size = loom_toon_value_get_int (member (options, "indentSize"));

      g_test_message ("input:\n%s", text);
      got = loom_toon_decode (text, input_len, &opts, &error);
      if (expect_error)
        {
          if (got != NULL)
            {
              g_autofree char *json = loom_toon_json_write (got);

              g_test_message ("expected an error, got %s", json);
            }
          g_assert_null (got);
          g_assert_nonnull (error);
          if (error != NULL)
            {
              g_assert_true (error->domain == LOOM_TOON_ERROR);
              g_test_message ("error: %s", error->message);
            }
        }
      else
        {
          LoomToonValue *expected = member (c->test, "expected");
          g_autofree char *expected_json = loom_toon_json_write (expected);
          g_autofree char *got_json = NULL;

          g_assert_no_error (error);
          g_assert_nonnull (got);
          if (got == NULL)
            return;
          got_json = loom_toon_json_write (got);
          if (!loom_toon_value_equal (expected, got))
            g_assert_cmpstr (got_json, ==, expected_json);
        }
    }
  else
    {
      LoomToonEncodeOptions opts;
      g_autofree char *got = NULL;
      const char *expected = string_member (c->test, "expected");

      loom_toon_encode_options_init (&opts);
      if (options && member (options, "delimiter"))
        opts.delimiter = string_member (options, "delimiter")[0];
      if (options && member (options, "indentSize"))
        opts.indent_size = loom_toon_value_get_int (member (options, "indentSize"));

      got = loom_toon_encode (member (c->test, "input"), &opts, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (got, ==, expected);
      if (got == NULL)
        return;

      /* and what we write, we read back */
      {
        LoomToonDecodeOptions dopts;
        g_autoptr(LoomToonValue) back = NULL;

        loom_toon_decode_options_init (&dopts);
        dopts.indent_size = opts.indent_size;
        back = loom_toon_decode (got, -1, &dopts, &error);
        g_assert_no_error (error);
        g_assert_true (back != NULL && equal_unordered (back, member (c->test, "input")));
      }
    }
}

static void
fixtures_missing (gconstpointer data)
{
  g_autofree char *message =
    g_strdup_printf ("the TOON spec fixtures are not at %s (set TOON_SPEC_FIXTURES); "
                     "the conformance suite did not run", (const char *) data);

  g_printerr ("%s\n", message);
  g_test_skip (message);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char **) a, *(char **) b);
}

static guint
add_category (const char *root,
              const char *category)
{
  g_autofree char *dir_path = g_build_filename (root, category, NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *entry;
  guint added = 0;

  if (dir == NULL)
    return 0;
  while ((entry = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (entry, ".json"))
      g_ptr_array_add (names, g_strdup (entry));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      const char *file = names->pdata[i];
      g_autofree char *path = g_build_filename (dir_path, file, NULL);
      g_autofree char *contents = NULL;
      gsize length;
      g_autoptr(GError) error = NULL;
      g_autoptr(LoomToonValue) doc = NULL;
      g_autofree char *stem = g_strndup (file, strlen (file) - 5);
      LoomToonValue *tests;

      if (!g_file_get_contents (path, &contents, &length, &error) ||
          (doc = loom_toon_json_parse (contents, length, &error)) == NULL)
        g_error ("%s: %s", path, error->message);

      tests = member (doc, "tests");
      for (guint t = 0; t < loom_toon_value_get_length (tests); t++)
        {
          Case *c = g_new0 (Case, 1);
          LoomToonValue *test = loom_toon_value_array_get (tests, t);
          g_autofree char *name = g_strdup (string_member (test, "name"));
          g_autofree char *test_path = NULL;

          g_strdelimit (name, "/", '_');
          c->decode = g_str_equal (category, "decode");
          c->file = g_strdup (file);
          c->test = loom_toon_value_ref (test);
          test_path = g_strdup_printf ("/toon/conformance/%s/%s/%03u %s", category, stem, t, name);
          g_test_add_data_func_full (test_path, c, run_case, case_free);
          added++;
        }
    }
  return added;
}

int
main (int   argc,
      char *argv[])
{
  const char *root = g_getenv ("TOON_SPEC_FIXTURES");
  static char *missing_root;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();

  if (root == NULL || *root == '\0')
    root = g_getenv ("TOON_SPEC_FIXTURES_DEFAULT");
  if (root == NULL || *root == '\0')
    root = "../shared/toon-spec/fixtures";

  if (!g_file_test (root, G_FILE_TEST_IS_DIR) ||
      add_category (root, "decode") + add_category (root, "encode") == 0)
    {
      missing_root = g_strdup (root);
      g_test_add_data_func ("/toon/conformance/fixtures-missing", missing_root, fixtures_missing);
    }

  return g_test_run ();
}
