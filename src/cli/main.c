/* main.c: storyloom-cli, the library without a window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "storyloom-cli"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "loom-cli.h"

static const char usage_text[] =
  "Usage: storyloom-cli [--db PATH] [--api-base URL] [--model ID] COMMAND\n"
  "\n"
  "  story new TITLE [--premise TEXT]        prints the new story's id\n"
  "  story list                              id, title, chapters, scenes, words\n"
  "  story delete STORY_ID\n"
  "  chapter add STORY_ID TITLE              prints the id\n"
  "  chapter move CHAPTER_ID POSITION        POSITION counts from 1\n"
  "  scene add CHAPTER_ID OUTLINE            prints the id\n"
  "  scene set SCENE_ID (--outline TEXT | --prose-file FILE|-)\n"
  "  scene move SCENE_ID CHAPTER_ID POSITION\n"
  "  character add STORY_ID NAME --traits TEXT [--backstory TEXT] [--aliases A,B]\n"
  "         [--include always|mentioned|never]                       prints the id\n"
  "  entry add STORY_ID place|object|group|lore NAME [--aliases A,B] [--description TEXT]\n"
  "         [--include always|mentioned|never]   a story bible entry; prints the id\n"
  "  entry list STORY_ID                     id, kind, name, aliases, inclusion, description\n"
  "  show STORY_ID [--json]                  the whole story, in order\n"
  "  generate (--scene ID | --chapter ID | --story ID) [--jobs N] [--regenerate] [--force]\n"
  "         [--yes]                          scenes in story order; --jobs N drafts N at once\n"
  "  outline STORY_ID [--yes]                chapters and scenes from the premise\n"
  "  characters STORY_ID [--yes]             adds the suggested characters\n"
  "  prompt SCENE_ID                         the messages that would be sent, as JSON; on\n"
  "                                          stderr what the context holds and left out\n"
  "  budget [STORY_ID] [--limit USD|none] [--monthly USD|none] [--ask-above USD|none]\n"
  "         [--accept-unknown-price MODEL | --ask-unknown-price MODEL]\n"
  "                                          spent and limit of the story and of this month\n"
  "                                          (US dollars); sets the limits; a request that\n"
  "                                          would cross one is not sent (exit status 3);\n"
  "                                          paid commands print their estimate and send\n"
  "                                          nothing above ask-above ($0.10 unless set)\n"
  "                                          without --yes (status 4); a model accepted\n"
  "                                          without a price is neither asked nor refused\n"
  "                                          for want of one\n"
  "  settings [--context-budget TOKENS|auto]\n"
  "                                          sets how many tokens a prompt may take (auto:\n"
  "                                          from the model); prints the library's settings\n"
  "  summarize (--scene ID | --story ID) [--yes]\n"
  "                                          a summary of the scene, or of each scene with\n"
  "                                          prose and no current summary, by the model\n"
  "  models [--refresh]                      the models, with prices; --refresh also keeps\n"
  "                                          them in the library for estimates\n"
  "  usage [STORY_ID]                        tokens and cost per scene and in total\n"
  "  revise SCENE_ID --action rewrite|expand|shorten|describe|continue|ask\n"
  "         [--from N --to M] [--instruction TEXT] [--words N] [--context TOKENS] [--apply]\n"
  "         [--yes]\n"
  "                                          the AI's change to a passage, as a word diff;\n"
  "                                          --apply makes it, keeping a revision\n"
  "  export STORY_ID --format md|txt|epub|docx -o FILE\n"
  "         [--no-title-page] [--no-chapter-titles] [--outlines] [--separator TEXT]\n"
  "         [--disclosure]                   --disclosure adds the provenance report\n"
  "  import FILE [--title TITLE] [--format md|txt]   prints the new story's id\n"
  "  revisions SCENE_ID [--json]             id, written, who, model, words, why kept\n"
  "  revision show REVISION_ID               the revision's text\n"
  "  revision restore REVISION_ID            makes it the scene's prose; the prose it\n"
  "                                          replaces is kept as a revision\n"
  "  provenance STORY_ID [--json | --markdown]\n"
  "                                          words by the writer, generated and kept,\n"
  "                                          generated then edited, unknown: per chapter,\n"
  "                                          in total and per model, with the cost\n"
  "  stats STORY_ID [--days N]               day, words written, words accepted from the\n"
  "                                          AI; the last N days (30), today last\n"
  "  goal STORY_ID [--target WORDS] [--deadline YYYY-MM-DD|none] [--daily WORDS]\n"
  "                                          sets the goals; prints them, today's words,\n"
  "                                          the streak and the projected finish\n"
  "  search STORY_ID QUERY [--whole-word] [--case]\n"
  "                                          scene id, chapter, scene, the match in context\n"
  "  replace STORY_ID QUERY REPLACEMENT [--whole-word] [--case]\n"
  "                                          in the prose of every scene; each changed\n"
  "                                          scene's prose is kept as a revision first\n"
"  spell languages                         the installed spelling dictionaries\n"
  "  spell language STORY_ID [LANG|default] sets the story's spelling language; prints it\n"
  "  spell check SCENE_ID                    outline|prose, line, column, misspelled word,\n"
  "                                          suggestions\n"
  "  trash list                              id, kind, title, story, deleted, what went with it\n"
  "  trash restore TRASH_ID                  puts it back where it was\n"
  "  trash empty                             deletes everything in the trash for good\n"
  "  restore-backup                          the newest intact backup replaces a damaged\n"
  "                                          library, which is kept beside it\n"
  "  toon decode [--no-strict] [--indent N] [FILE|-]\n"
  "  toon encode [--delimiter D] [--indent N] [FILE|-]\n"
  "\n"
  "The library is $STORYLOOM_DB when set, else $XDG_DATA_HOME/storyloom/library.db.\n"
  "The API key is $OPENROUTER_API_KEY, else the one stored in the keyring by Preferences;\n"
  "$STORYLOOM_API_BASE and $STORYLOOM_MODEL choose the server and the model.\n";

typedef int (*CommandFunc) (const LoomCliOptions *options,
                            int                   argc,
                            char                **argv);

static const struct
{
  const char  *name;
  CommandFunc  run;
} commands[] = {
  { "export", loom_cli_export },
  { "trash", loom_cli_trash },
  { "revisions", loom_cli_revisions },
  { "revision", loom_cli_revision },
  { "summarize", loom_cli_summarize },
  { "provenance", loom_cli_provenance },
  { "stats", loom_cli_stats },
  { "budget", loom_cli_budget },
  { "settings", loom_cli_settings },
  { "goal", loom_cli_goal },
  { "spell", loom_cli_spell },
  { "search", loom_cli_search },
  { "replace", loom_cli_replace },
  { "import", loom_cli_import },
  { "restore-backup", loom_cli_restore_backup },
};

/* The options before the command, into @options; *@command is where the command starts.
 * Returns -1 to go on, else the exit status (--help, --version or a mistake). */
static int
parse_global_options (int             argc,
                      char          **argv,
                      LoomCliOptions *options,
                      int            *command)
{
  int i;

  for (i = 1; i < argc && argv[i][0] == '-'; i++)
    {
      const char **slot = NULL;
      const char *value = NULL;

      if (loom_cli_match_option (argc, argv, &i, "--db", &value))
        slot = &options->db_path;
      else if (loom_cli_match_option (argc, argv, &i, "--api-base", &value))
        slot = &options->api_base;
      else if (loom_cli_match_option (argc, argv, &i, "--model", &value))
        slot = &options->model;
      if (slot != NULL)
        {
          if (value == NULL)
            {
              g_printerr ("storyloom-cli: %s needs a value.\n", argv[i]);
              return LOOM_CLI_USAGE;
            }
          *slot = value;
          continue;
        }
      if (g_str_equal (argv[i], "--help") || g_str_equal (argv[i], "-h"))
        {
          g_print ("%s", usage_text);
          return LOOM_CLI_OK;
        }
      if (g_str_equal (argv[i], "--version"))
        {
          g_print ("storyloom-cli %s\n", PACKAGE_VERSION);
          return LOOM_CLI_OK;
        }
      g_printerr ("storyloom-cli: unknown option “%s”.\n%s", argv[i], usage_text);
      return LOOM_CLI_USAGE;
    }

  if (i >= argc)
    {
      g_printerr ("%s", usage_text);
      return LOOM_CLI_USAGE;
    }
  *command = i;
  return -1;
}

int
main (int    argc,
      char **argv)
{
  LoomCliOptions options = { 0 };
  int status;
  int i;

  /* debug and info messages (G_MESSAGES_DEBUG) go to stderr like the rest: stdout is the
   * result, for $(storyloom-cli …) to capture */
  g_log_writer_default_set_use_stderr (TRUE);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  status = parse_global_options (argc, argv, &options, &i);
  if (status >= 0)
    return status;

  if (g_str_equal (argv[i], "toon"))
    return loom_cli_toon (argc - i, argv + i);
  if (loom_cli_is_ai_command (argv[i]))
    return loom_cli_ai (&options, argc - i, argv + i);
  for (guint c = 0; c < G_N_ELEMENTS (commands); c++)
    if (g_str_equal (argv[i], commands[c].name))
      return commands[c].run (&options, argc - i, argv + i);
  return loom_cli_store (&options, argc - i, argv + i);
}
