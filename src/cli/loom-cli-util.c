/* loom-cli-util.c: what every command group of storyloom-cli shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-cli-util"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

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

/* One whole sentence per kind of thing, so that translations need not assemble words. */
int
loom_cli_not_found (LoomCliThing thing,
                    gint64       id)
{
  g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  g_autofree char *message = NULL;

  switch (thing)
    {
    case LOOM_CLI_STORY:
      message = g_strdup_printf (_("There is no story with id %s in this library. Run “story "
                                   "list” to see them."), number);
      break;
    case LOOM_CLI_CHAPTER:
      message = g_strdup_printf (_("There is no chapter with id %s in this library. Run “show "
                                   "STORY_ID --json” to see them."), number);
      break;
    case LOOM_CLI_SCENE:
      message = g_strdup_printf (_("There is no scene with id %s in this library. Run “show "
                                   "STORY_ID --json” to see them."), number);
      break;
    default:
      message = g_strdup_printf (_("There is no character with id %s in this library."),
                                 number);
      break;
    }
  loom_cli_print_error (message);
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

/* @text on one line of a tab-separated listing. */
char *
loom_cli_one_line (const char *text)
{
  char *copy = g_strdup (text ? text : "");

  for (char *p = copy; *p != '\0'; p++)
    if (*p == '\t' || *p == '\n' || *p == '\r')
      *p = ' ';
  return copy;
}
