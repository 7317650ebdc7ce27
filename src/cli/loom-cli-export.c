/* loom-cli-export.c: export and import
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-cli-export"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "loom-cli.h"
#include "loom-export.h"
#include "loom-import.h"
#include "loom-store.h"
#include "loom-story.h"

#define EXPORT_USAGE N_("Usage: export STORY_ID --format md|txt|epub|docx -o FILE " \
                        "[--no-title-page] [--no-chapter-titles] [--outlines] " \
                        "[--separator TEXT] [--language TAG] [--summaries] [--disclosure]")
#define IMPORT_USAGE N_("Usage: import FILE [--title TITLE] [--format md|txt]")

static int
unknown_word (const char *word,
              const char *usage_text)
{
  g_autofree char *message = g_strdup_printf (_("Unknown or incomplete option “%s”. %s"), word,
                                              usage_text);
  return loom_cli_usage_error (message);
}

int
loom_cli_export (const LoomCliOptions *options,
                 int                   argc,
                 char                **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomStore) store = NULL;
  g_autoptr(GFile) file = NULL;
  LoomExportOptions export_options;
  const char *id_text = NULL, *format = NULL, *output = NULL;
  LoomStory *story;
  int status = 0;
  gint64 id;

  loom_export_options_init (&export_options);

  for (int i = 1; i < argc; i++)
    {
      const char *word = argv[i], *value = "";

      if (loom_cli_match_option (argc, argv, &i, "--format", &value))
        format = value;
      else if (loom_cli_match_option (argc, argv, &i, "--output", &value) ||
               loom_cli_match_option (argc, argv, &i, "-o", &value))
        output = value;
      else if (loom_cli_match_option (argc, argv, &i, "--separator", &value))
        export_options.scene_separator = value;
      else if (loom_cli_match_option (argc, argv, &i, "--language", &value))
        export_options.language = value;
      else if (g_str_equal (argv[i], "--no-title-page"))
        export_options.title_page = FALSE;
      else if (g_str_equal (argv[i], "--no-chapter-titles"))
        export_options.chapter_titles = FALSE;
      else if (g_str_equal (argv[i], "--outlines"))
        export_options.outlines = TRUE;
      else if (g_str_equal (argv[i], "--disclosure"))
        export_options.disclosure = TRUE;
      else if (g_str_equal (argv[i], "--summaries"))
        export_options.summaries = TRUE;
      else if (argv[i][0] != '-' && id_text == NULL)
        id_text = argv[i];
      else
        value = NULL;
      if (value == NULL)
        return unknown_word (word, _(EXPORT_USAGE));
    }

  if (id_text == NULL || output == NULL || *output == '\0')
    return loom_cli_usage_error (_(EXPORT_USAGE));
  if (!loom_cli_parse_id (id_text, &id))
    {
      g_autofree char *message = g_strdup_printf (_("“%s” is not a story id. Run “story list” "
                                                    "to see them."), id_text);
      return loom_cli_usage_error (message);
    }
  if (format == NULL)
    {
      /* The file's extension says it when --format does not. */
      const char *dot = strrchr (output, '.');

      if (dot == NULL || !loom_export_format_from_string (dot + 1, &export_options.format))
        return loom_cli_usage_error (_("Say which format with --format md, txt, epub or docx."));
    }
  else if (!loom_export_format_from_string (format, &export_options.format))
    {
      g_autofree char *message = g_strdup_printf (_("Unknown format “%s”. Use md, txt, epub "
                                                    "or docx."), format);
      return loom_cli_usage_error (message);
    }

  if ((story = loom_cli_open_story (options, id, &store, &status)) == NULL)
    return status;

  file = g_file_new_for_commandline_arg (output);
  if (!loom_export_story (story, &export_options, file, NULL, &error))
    return loom_cli_user_error (error);
  return LOOM_CLI_OK;
}

int
loom_cli_import (const LoomCliOptions *options,
                 int                   argc,
                 char                **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomStore) store = NULL;
  g_autoptr(GFile) file = NULL;
  const char *path = NULL, *title = NULL, *format = NULL;
  LoomImportFormat import_format = LOOM_IMPORT_FORMAT_AUTO;
  LoomStory *story;

  for (int i = 1; i < argc; i++)
    {
      const char *word = argv[i], *value = "";

      if (loom_cli_match_option (argc, argv, &i, "--title", &value))
        title = value;
      else if (loom_cli_match_option (argc, argv, &i, "--format", &value))
        format = value;
      else if (argv[i][0] != '-' && path == NULL)
        path = argv[i];
      else
        value = NULL;
      if (value == NULL)
        return unknown_word (word, _(IMPORT_USAGE));
    }

  if (path == NULL)
    return loom_cli_usage_error (_(IMPORT_USAGE));
  if (format != NULL)
    {
      if (g_ascii_strcasecmp (format, "md") == 0 || g_ascii_strcasecmp (format, "markdown") == 0)
        import_format = LOOM_IMPORT_FORMAT_MARKDOWN;
      else if (g_ascii_strcasecmp (format, "txt") == 0 ||
               g_ascii_strcasecmp (format, "text") == 0)
        import_format = LOOM_IMPORT_FORMAT_TEXT;
      else
        {
          g_autofree char *message = g_strdup_printf (_("Unknown format “%s”. Use md or txt."),
                                                      format);
          return loom_cli_usage_error (message);
        }
    }
  if (title != NULL && *title == '\0')
    return loom_cli_usage_error (_("The title cannot be empty. Leave out --title to use the file’s."));

  file = g_file_new_for_commandline_arg (path);
  if ((store = loom_cli_open_store (options, &error)) == NULL)
    return loom_cli_user_error (error);
  story = loom_import_file (store, file, import_format, title, NULL, &error);
  if (story == NULL)
    return loom_cli_user_error (error);
  g_print ("%" G_GINT64_FORMAT "\n", loom_story_get_id (story));
  return LOOM_CLI_OK;
}
