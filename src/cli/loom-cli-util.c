/* loom-cli-util.c: what every command group of storyloom-cli shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-cli-util"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "loom-backup.h"
#include "loom-budget.h"
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
  return error->domain == LOOM_BUDGET_ERROR ? LOOM_CLI_OVER_BUDGET : LOOM_CLI_ERROR;
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

/* The command that restores @path's backup, as the writer would type it. */
static char *
restore_command (const LoomCliOptions *options)
{
  g_autofree char *quoted = NULL;

  if (options->db_path == NULL)
    return g_strdup ("storyloom-cli restore-backup");
  quoted = g_shell_quote (options->db_path);
  return g_strdup_printf ("storyloom-cli --db %s restore-backup", quoted);
}

/* One sentence for a damaged library: what happened, which backup is intact, and the command
 * that puts it in place. */
static void
set_damaged_error (const LoomCliOptions  *options,
                   const char            *path,
                   GError               **error)
{
  g_autofree char *name = g_filename_display_name (path);
  g_autofree char *backup = loom_backup_find_intact (path, NULL);
  g_autofree char *command = restore_command (options);

  if (backup != NULL)
    {
      g_autofree char *backup_name = g_filename_display_name (backup);

      g_set_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_DAMAGED,
                   _("The library “%s” is damaged, so nothing was read from it or written to "
                     "it. The newest intact backup is “%s”: run “%s” to put it in place (the "
                     "damaged file is kept beside it)."), name, backup_name, command);
    }
  else
    {
      g_autofree char *folder = loom_backup_get_folder (path);
      g_autofree char *folder_name = g_filename_display_name (folder);

      g_set_error (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_DAMAGED,
                   _("The library “%s” is damaged, so nothing was read from it or written to "
                     "it, and there is no intact backup in “%s”. Keep the file: do not delete "
                     "it or write to it."), name, folder_name);
    }
}

/* --db wins over STORYLOOM_DB, which wins over the default library. A damaged library is
 * refused whole: reading on would show parts of stories as if they were all there. */
LoomStore *
loom_cli_open_store (const LoomCliOptions  *options,
                     GError               **error)
{
  g_autofree char *path = loom_store_resolve_path (options->db_path);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(LoomStore) store = loom_store_open (path, &local_error);

  if (store != NULL && loom_store_check_integrity (store, &local_error))
    return g_steal_pointer (&store);
  if (g_error_matches (local_error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_DAMAGED))
    {
      g_clear_object (&store);
      set_damaged_error (options, path, error);
      return NULL;
    }
  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

/**
 * loom_cli_open_story:
 * @store: (out): the library, to be unreffed by the caller whatever the outcome
 * @status: (out): the exit status, set when %NULL is returned
 *
 * Opens the library and finds the story a command names, saying what went wrong otherwise.
 *
 * Returns: (transfer none) (nullable): the story
 */
LoomStory *
loom_cli_open_story (const LoomCliOptions  *options,
                     gint64                 story_id,
                     LoomStore            **store,
                     int                   *status)
{
  g_autoptr(GError) error = NULL;
  LoomStory *story;

  *store = loom_cli_open_store (options, &error);
  if (*store == NULL)
    {
      *status = loom_cli_user_error (error);
      return NULL;
    }
  story = loom_store_lookup_story (*store, story_id);
  if (story == NULL)
    *status = loom_cli_not_found (LOOM_CLI_STORY, story_id);
  return story;
}

/**
 * loom_cli_restore_backup:
 *
 * restore-backup: puts the newest intact backup in the place of a damaged library.
 */
int
loom_cli_restore_backup (const LoomCliOptions *options,
                         int                   argc,
                         char                **argv)
{
  g_autofree char *path = loom_store_resolve_path (options->db_path);
  g_autofree char *name = g_filename_display_name (path);
  g_autofree char *backup = NULL;
  g_autofree char *damaged = NULL;
  g_autoptr(GError) error = NULL;

  if (argc != 1)
    return loom_cli_usage_error (_("Usage: restore-backup"));

  /* Only a damaged library is replaced: a slip must not throw away today's work. */
  {
    g_autoptr(LoomStore) store = loom_store_open (path, &error);

    if (store != NULL && loom_store_check_integrity (store, &error))
      {
        g_autofree char *message =
          g_strdup_printf (_("The library “%s” is not damaged, so it was left as it is."), name);
        loom_cli_print_error (message);
        return LOOM_CLI_ERROR;
      }
    if (!g_error_matches (error, LOOM_STORE_ERROR, LOOM_STORE_ERROR_DAMAGED))
      return loom_cli_user_error (error);
    g_clear_error (&error);
  }

  backup = loom_backup_find_intact (path, NULL);
  if (backup == NULL)
    {
      set_damaged_error (options, path, &error);
      return loom_cli_user_error (error);
    }
  if (!loom_backup_restore (path, backup, &damaged, &error))
    return loom_cli_user_error (error);

  {
    g_autofree char *backup_name = g_filename_display_name (backup);
    g_autofree char *damaged_name = g_filename_display_name (damaged);

    g_print (_("Restored “%s” from the backup “%s”; the damaged library was kept as “%s”.\n"),
             name, backup_name, damaged_name);
  }
  return LOOM_CLI_OK;
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

void
loom_cli_json_add_int (JsonBuilder *builder,
                       const char  *name,
                       gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

void
loom_cli_json_add_string (JsonBuilder *builder,
                          const char  *name,
                          const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value == NULL)
    json_builder_add_null_value (builder);
  else
    json_builder_add_string_value (builder, value);
}
