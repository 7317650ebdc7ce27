/* loom-cli-toon.c: storyloom-cli toon decode|encode
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-cli-toon"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loom-cli.h"
#include "loom-toon-json.h"

static const char toon_usage[] =
  "Usage: storyloom-cli toon decode [--no-strict] [--indent N] [FILE|-]\n"
  "       storyloom-cli toon encode [--delimiter ',' | '\\t' | '|'] [--indent N] [FILE|-]\n"
  "\n"
  "decode reads TOON and prints compact JSON; encode reads JSON and prints TOON.\n"
  "Without FILE, or with -, the input is read from standard input.\n";

static int
usage_error (const char *message)
{
  if (message != NULL)
    g_printerr ("storyloom-cli: %s\n", message);
  g_printerr ("%s", toon_usage);
  return LOOM_CLI_USAGE;
}

static gboolean
read_input (const char  *path,
            char       **contents,
            gsize       *length,
            GError     **error)
{
  GString *buffer;
  char chunk[65536];
  size_t n;

  if (path != NULL && !g_str_equal (path, "-"))
    return g_file_get_contents (path, contents, length, error);

  buffer = g_string_new (NULL);
  while ((n = fread (chunk, 1, sizeof chunk, stdin)) > 0)
    g_string_append_len (buffer, chunk, n);
  if (ferror (stdin))
    {
      g_string_free (buffer, TRUE);
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_IO,
                           "Could not read standard input.");
      return FALSE;
    }
  *length = buffer->len;
  *contents = g_string_free (buffer, FALSE);
  return TRUE;
}

static gboolean
parse_indent (const char *text,
              guint      *indent)
{
  guint64 n;

  if (!g_ascii_string_to_unsigned (text, 10, 1, 16, &n, NULL))
    return FALSE;
  *indent = (guint) n;
  return TRUE;
}

static gboolean
parse_delimiter (const char        *text,
                 LoomToonDelimiter *delimiter)
{
  if (g_str_equal (text, ",") || g_str_equal (text, "comma"))
    *delimiter = LOOM_TOON_DELIMITER_COMMA;
  else if (g_str_equal (text, "\t") || g_str_equal (text, "\\t") || g_str_equal (text, "tab"))
    *delimiter = LOOM_TOON_DELIMITER_TAB;
  else if (g_str_equal (text, "|") || g_str_equal (text, "pipe"))
    *delimiter = LOOM_TOON_DELIMITER_PIPE;
  else
    return FALSE;
  return TRUE;
}

static void
print_error (const char *what,
             GError     *error)
{
  g_autofree char *message = g_strdup_printf ("%s: %s", what, error->message);

  loom_cli_print_error (message);
}

typedef struct
{
  gboolean           decode;
  gboolean           strict;
  guint              indent;
  LoomToonDelimiter  delimiter;
  const char        *path;
} ToonArgs;

/* The options and the file after the command, into @args. Returns -1 to go on, else the exit
 * status (--help, or the usage after a mistake). */
static int
parse_options (int       argc,
               char    **argv,
               ToonArgs *args)
{
  for (int i = 2; i < argc; i++)
    {
      const char *value_text = NULL;

      if (g_str_equal (argv[i], "--help") || g_str_equal (argv[i], "-h"))
        {
          g_print ("%s", toon_usage);
          return LOOM_CLI_OK;
        }
      else if (args->decode && g_str_equal (argv[i], "--no-strict"))
        args->strict = FALSE;
      else if (loom_cli_match_option (argc, argv, &i, "--indent", &value_text))
        {
          if (value_text == NULL || !parse_indent (value_text, &args->indent))
            return usage_error ("--indent needs a number of spaces from 1 to 16.");
        }
      else if (!args->decode &&
               loom_cli_match_option (argc, argv, &i, "--delimiter", &value_text))
        {
          if (value_text == NULL || !parse_delimiter (value_text, &args->delimiter))
            return usage_error ("--delimiter must be ',', a tab ('\\t') or '|'.");
        }
      else if (argv[i][0] == '-' && argv[i][1] != '\0')
        {
          g_autofree char *message = g_strdup_printf ("Unknown option “%s”.", argv[i]);

          return usage_error (message);
        }
      else if (args->path == NULL)
        args->path = argv[i];
      else
        return usage_error ("Only one input file may be given.");
    }
  return -1;
}

/* The command line into @args, as parse_options () returns. */
static int
parse_args (int       argc,
            char    **argv,
            ToonArgs *args)
{
  if (argc < 2)
    return usage_error ("toon needs a command: decode or encode.");
  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      g_print ("%s", toon_usage);
      return LOOM_CLI_OK;
    }
  if (g_str_equal (argv[1], "decode"))
    args->decode = TRUE;
  else if (g_str_equal (argv[1], "encode"))
    args->decode = FALSE;
  else
    {
      g_autofree char *message = g_strdup_printf ("Unknown toon command “%s”.", argv[1]);

      return usage_error (message);
    }
  return parse_options (argc, argv, args);
}

/* @contents decoded from TOON to compact JSON, or encoded from JSON to TOON. */
static char *
convert (const ToonArgs  *args,
         const char      *contents,
         gsize            length,
         GError         **error)
{
  g_autoptr(LoomToonValue) value = NULL;

  if (args->decode)
    {
      LoomToonDecodeOptions options;

      loom_toon_decode_options_init (&options);
      options.strict = args->strict;
      options.indent_size = args->indent;
      value = loom_toon_decode (contents, length, &options, error);
      return value != NULL ? loom_toon_json_write (value) : NULL;
    }
  else
    {
      LoomToonEncodeOptions options;

      loom_toon_encode_options_init (&options);
      options.indent_size = args->indent;
      options.delimiter = args->delimiter;
      value = loom_toon_json_parse (contents, length, error);
      return value != NULL ? loom_toon_encode (value, &options, error) : NULL;
    }
}

int
loom_cli_toon (int    argc,
               char **argv)
{
  ToonArgs args = { .strict = TRUE, .indent = 2, .delimiter = LOOM_TOON_DELIMITER_COMMA };
  const char *label;
  g_autofree char *contents = NULL;
  g_autofree char *output = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  int status;

  status = parse_args (argc, argv, &args);
  if (status >= 0)
    return status;

  label = args.path != NULL && !g_str_equal (args.path, "-") ? args.path : "standard input";
  if (!read_input (args.path, &contents, &length, &error))
    {
      loom_cli_print_error (error->message);
      return LOOM_CLI_ERROR;
    }

  output = convert (&args, contents, length, &error);
  if (output == NULL)
    {
      print_error (label, error);
      return LOOM_CLI_ERROR;
    }

  /* a newline so the shell prompt starts on its own line; decoding TOON ignores it */
  fwrite (output, 1, strlen (output), stdout);
  fputc ('\n', stdout);
  if (fflush (stdout) != 0)
    {
      loom_cli_print_error ("Could not write the output.");
      return LOOM_CLI_ERROR;
    }
  return LOOM_CLI_OK;
}
