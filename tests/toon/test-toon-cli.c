/* test-toon-cli.c: storyloom-cli toon decode|encode, run as a user would
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-toon-cli"

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static const char *
cli_path (void)
{
  const char *path = g_getenv ("STORYLOOM_CLI");

  if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("storyloom-cli is not built (STORYLOOM_CLI); the command-line tests did not run");
      return NULL;
    }
  return path;
}

/* Runs storyloom-cli with @args (NULL-terminated), feeding @input on standard input. */
static gboolean
run_cli (Run        *run,
         const char *input,
         ...)
{
  const char *cli = cli_path ();
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  va_list args;
  const char *arg;

  memset (run, 0, sizeof *run);
  if (cli == NULL)
    return FALSE;

  g_ptr_array_add (argv, (char *) cli);
  va_start (args, input);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input ? input : "", NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_exit_status (process);
  return TRUE;
}

static void
test_decode (void)
{
  g_auto(Run) run;

  if (!run_cli (&run, "title: Dune\nchapters[2]{n,name}:\n  1,\"Arrakis, at night\"\n  2,Sietch\n"
                "big: 100000000000000000000\n", "toon", "decode", NULL))
    return;
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==,
                   "{\"title\":\"Dune\",\"chapters\":[{\"n\":1,\"name\":\"Arrakis, at night\"},"
                   "{\"n\":2,\"name\":\"Sietch\"}],\"big\":100000000000000000000}\n");
  g_assert_cmpstr (run.err, ==, "");
}

static void
test_decode_file_and_options (void)
{
  g_auto(Run) run;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  int fd = g_file_open_tmp ("toon-cli-XXXXXX.toon", &path, &error);

  g_assert_no_error (error);
  g_close (fd, NULL);
  g_file_set_contents (path, "a:\n    b[3]: 1,2\n", -1, &error);
  g_assert_no_error (error);

  /* strict: the count is wrong */
  if (!run_cli (&run, NULL, "toon", "decode", "--indent", "4", path, NULL))
    goto out;
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_true (strstr (run.err, "line 2, column 6: the array declares 3 values but has 2") != NULL);
  g_assert_cmpint (strchr (run.err, '\n') - run.err + 1, ==, strlen (run.err)); /* one line */
  run_clear (&run);

  /* non-strict: tolerated */
  run_cli (&run, NULL, "toon", "decode", "--no-strict", "--indent=4", path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "{\"a\":{\"b\":[1,2]}}\n");

out:
  g_unlink (path);
}

static void
test_decode_errors (void)
{
  g_auto(Run) run;

  if (!run_cli (&run, "a: 1\nb:\n  c: 2\n  oops\n", "toon", "decode", "-", NULL))
    return;
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_cmpstr (run.err, ==, "storyloom-cli: standard input: line 4, column 3: "
                                "expected \"key: value\" but the line has no colon\n");
  run_clear (&run);

  run_cli (&run, "a: caf\xC3\n", "toon", "decode", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_true (strstr (run.err, "not valid UTF-8") != NULL);
  run_clear (&run);

  run_cli (&run, NULL, "toon", "decode", "/nonexistent/file.toon", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_true (strstr (run.err, "/nonexistent/file.toon") != NULL);
}

static void
test_encode (void)
{
  g_auto(Run) run;

  if (!run_cli (&run, "{\"cast\":[{\"name\":\"Mara\",\"age\":31},{\"name\":\"Ilse, the elder\",\"age\":64}],"
                "\"n\":100000000000000000000,\"pi\":3.14159}",
                "toon", "encode", NULL))
    return;
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "cast[2]{name,age}:\n  Mara,31\n  \"Ilse, the elder\",64\n"
                                "n: 100000000000000000000\npi: 3.14159\n");
  run_clear (&run);

  run_cli (&run, "{\"a\":{\"tags\":[\"x|y\",\"z\"]}}", "toon", "encode", "--delimiter", "|",
           "--indent", "4", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "a:\n    tags[2|]: \"x|y\"|z\n");
  run_clear (&run);

  run_cli (&run, "[\"a b\",\"c\"]", "toon", "encode", "--delimiter", "\t", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "[2\t]: a b\tc\n");
  run_clear (&run);

  run_cli (&run, "{\"a\": [1, 2,]}", "toon", "encode", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_cmpstr (run.err, ==, "storyloom-cli: standard input: JSON line 1, column 13: "
                                "unexpected character\n");
}

static void
test_usage (void)
{
  static const char *bad[][4] = {
    { "toon", NULL },
    { "toon", "frobnicate", NULL },
    { "toon", "decode", "--delimiter", "|" },
    { "toon", "encode", "--delimiter", ";" },
    { "toon", "decode", "--indent", "0" },
    { "toon", "encode", "--no-strict", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_auto(Run) run;

      if (!run_cli (&run, "", bad[i][0], bad[i][1], bad[i][2], bad[i][3], NULL))
        return;
      g_assert_cmpint (run.status, ==, 2);
      g_assert_true (strstr (run.err, "Usage:") != NULL);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/toon/cli/decode", test_decode);
  g_test_add_func ("/toon/cli/decode-file-and-options", test_decode_file_and_options);
  g_test_add_func ("/toon/cli/decode-errors", test_decode_errors);
  g_test_add_func ("/toon/cli/encode", test_encode);
  g_test_add_func ("/toon/cli/usage", test_usage);

  return g_test_run ();
}
