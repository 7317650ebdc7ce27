/* loom-cli-util.c: what every command group of storyloom-cli shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "loom-cli.h"

void
loom_cli_print_error (const char *message)
{
  g_printerr ("storyloom-cli: %s\n", message);
}

int
loom_cli_usage_error (const char *message)
{
  loom_cli_print_error (message);
  return LOOM_CLI_USAGE;
}

int
loom_cli_user_error (const GError *error)
{
  loom_cli_print_error (error->message);
  return LOOM_CLI_ERROR;
}

/* Ids are positive 64-bit integers, written in decimal. */
gboolean
loom_cli_parse_id (const char *text,
                   gint64     *id)
{
  guint64 value;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &value, NULL))
    return FALSE;
  *id = (gint64) value;
  return TRUE;
}

/* --db wins over STORYLOOM_DB, which wins over the default library. */
LoomStore *
loom_cli_open_store (const LoomCliOptions  *options,
                     GError               **error)
{
  g_autofree char *path = loom_store_resolve_path (options->db_path);

  return loom_store_open (path, error);
}

/**
 * loom_cli_match_option:
 *
 * Reads "--name VALUE" or "--name=VALUE" at argv[*i], moving *i past the value.
 *
 * Returns: %TRUE when argv[*i] is the option; *value is then %NULL if its value is missing
 */
gboolean
loom_cli_match_option (int          argc,
                       char       **argv,
                       int         *i,
                       const char  *name,
                       const char **value)
{
  gsize len = strlen (name);

  if (strncmp (argv[*i], name, len) != 0)
    return FALSE;
  if (argv[*i][len] == '=')
    *value = argv[*i] + len + 1;
  else if (argv[*i][len] != '\0')
    return FALSE;
  else if (*i + 1 < argc)
    *value = argv[++*i];
  else
    *value = NULL;
  return TRUE;
}
