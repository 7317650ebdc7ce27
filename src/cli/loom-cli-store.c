/* loom-cli-store.c: story, chapter, scene, character and show
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-cli-store"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>
#include <gio/gunixinputstream.h>
#include <json-glib/json-glib.h>

#include "loom-cli.h"
#include "loom-chapter.h"
#include "loom-character.h"
#include "loom-deletion.h"
#include "loom-entry.h"
#include "loom-manuscript.h"
#include "loom-scene.h"
#include "loom-store.h"
#include "loom-store-summaries.h"
#include "loom-story.h"

typedef struct
{
  const char *const *names;  /* the options this command accepts, NULL-terminated */
  const char *values[8];     /* their values, by index into names */
  const char *positional[8];
  guint       n_positional;
  const char *bad;           /* the word parse_args() could not place */
} Args;

/* Like loom_cli_usage_error(), naming the option parse_args() did not know, if any. */
static int
args_usage_error (const Args *args,
                  const char *usage)
{
  g_autofree char *message = NULL;

  if (args->bad == NULL)
    return loom_cli_usage_error (usage);
  message = g_strdup_printf (_("Unknown or incomplete option “%s”. %s"), args->bad, usage);
  return loom_cli_usage_error (message);
}

/* Splits argv into the options in @names (each takes a value, except those ending in '!')
 * and positional words. On FALSE, args->bad names the word that did not fit. */
static gboolean
parse_args (int                argc,
            char             **argv,
            const char *const *names,
            Args              *args)
{
  memset (args, 0, sizeof *args);
  args->names = names;

  for (int i = 0; i < argc; i++)
    {
      gboolean matched = FALSE;

      if (argv[i][0] != '-' || g_str_equal (argv[i], "-"))
        {
          if (args->n_positional == G_N_ELEMENTS (args->positional))
            {
              args->bad = argv[i];
              return FALSE;
            }
          args->positional[args->n_positional++] = argv[i];
          continue;
        }

      for (guint n = 0; names != NULL && names[n] != NULL; n++)
        {
          gsize len = strlen (names[n]);
          gboolean is_flag = names[n][len - 1] == '!';

          if (is_flag && strncmp (argv[i], names[n], len - 1) == 0 && argv[i][len - 1] == '\0')
            {
              args->values[n] = "1";
              matched = TRUE;
            }
          else if (!is_flag && g_str_equal (argv[i], names[n]) && i + 1 < argc)
            {
              args->values[n] = argv[++i];
              matched = TRUE;
            }
          else if (!is_flag && g_str_has_prefix (argv[i], names[n]) && argv[i][len] == '=')
            {
              args->values[n] = argv[i] + len + 1;
              matched = TRUE;
            }
          if (matched)
            break;
        }

      if (!matched)
        {
          args->bad = argv[i];
          return FALSE;
        }
    }
  return TRUE;
}


/* ---------------------------------------------------------------------------------------- */

static int
story_command (LoomStore *store,
               int        argc,
               char     **argv)
{
  static const char *const new_opts[] = { "--premise", "--style", NULL };
  g_autoptr(GError) error = NULL;
  Args args;

  if (argc < 2)
    return loom_cli_usage_error (_("Say which story command: new, list or delete."));

  if (g_str_equal (argv[1], "new"))
    {
      LoomStory *story;

      if (!parse_args (argc - 2, argv + 2, new_opts, &args) || args.n_positional != 1)
        return args_usage_error (&args, _("Usage: story new TITLE [--premise TEXT]"));
      story = loom_store_create_story (store, args.positional[0], args.values[0],
                                       args.values[1], &error);
      if (story == NULL)
        return loom_cli_user_error (error);
      g_print ("%" G_GINT64_FORMAT "\n", loom_story_get_id (story));
      return LOOM_CLI_OK;
    }

  if (g_str_equal (argv[1], "list"))
    {
      GListModel *stories = loom_store_get_stories (store);

      if (argc != 2)
        return loom_cli_usage_error (_("Usage: story list"));
      for (guint i = 0; i < g_list_model_get_n_items (stories); i++)
        {
          g_autoptr(LoomStory) story = g_list_model_get_item (stories, i);
          g_autofree char *title = loom_manuscript_one_line (loom_story_get_title (story));

          g_print ("%" G_GINT64_FORMAT "\t%s\t%u\t%u\t%u\n", loom_story_get_id (story), title,
                   loom_story_get_chapter_count (story), loom_story_get_scene_count (story),
                   loom_story_get_word_count (story));
        }
      return LOOM_CLI_OK;
    }

  if (g_str_equal (argv[1], "delete"))
    {
      g_autoptr(LoomDeletion) deletion = NULL;
      LoomStory *story;
      gint64 id;

      if (argc != 3 || !loom_cli_parse_id (argv[2], &id))
        return loom_cli_usage_error (_("Usage: story delete STORY_ID"));
      if ((story = loom_store_lookup_story (store, id)) == NULL)
        return loom_cli_not_found (LOOM_CLI_STORY, id);
      deletion = loom_store_delete_story (store, story, &error);
      if (deletion == NULL)
        return loom_cli_user_error (error);
      return LOOM_CLI_OK;
    }

  return loom_cli_usage_error (_("Unknown story command; use new, list or delete."));
}

static gboolean
parse_position (const char *text,
                guint      *position)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT - 1, &value, NULL))
    return FALSE;
  *position = (guint) value - 1;
  return TRUE;
}

static int
chapter_command (LoomStore *store,
                 int        argc,
                 char     **argv)
{
  g_autoptr(GError) error = NULL;
  Args args;
  gint64 id;

  if (argc < 2)
    return loom_cli_usage_error (_("Say which chapter command: add or move."));

  if (g_str_equal (argv[1], "add"))
    {
      LoomChapter *chapter;
      LoomStory *story;

      if (!parse_args (argc - 2, argv + 2, NULL, &args) || args.n_positional != 2 ||
          !loom_cli_parse_id (args.positional[0], &id))
        return args_usage_error (&args, _("Usage: chapter add STORY_ID TITLE"));
      if ((story = loom_store_lookup_story (store, id)) == NULL)
        return loom_cli_not_found (LOOM_CLI_STORY, id);
      chapter = loom_store_add_chapter (store, story, LOOM_POSITION_END, args.positional[1],
                                        &error);
      if (chapter == NULL)
        return loom_cli_user_error (error);
      g_print ("%" G_GINT64_FORMAT "\n", loom_chapter_get_id (chapter));
      return LOOM_CLI_OK;
    }

  if (g_str_equal (argv[1], "move"))
    {
      LoomChapter *chapter;
      guint position;

      if (argc != 4 || !loom_cli_parse_id (argv[2], &id) || !parse_position (argv[3], &position))
        return loom_cli_usage_error (_("Usage: chapter move CHAPTER_ID POSITION (from 1)"));
      if ((chapter = loom_store_lookup_chapter (store, id)) == NULL)
        return loom_cli_not_found (LOOM_CLI_CHAPTER, id);
      if (!loom_store_move_chapter (store, chapter, position, &error))
        return loom_cli_user_error (error);
      return LOOM_CLI_OK;
    }

  return loom_cli_usage_error (_("Unknown chapter command; use add or move."));
}

/* The whole file, checked as the store checks text: a NUL byte in it is refused with a
 * sentence, never allowed to cut the prose short. */
static char *
read_prose (const char  *file,
            GError     **error)
{
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_autofree char *what = NULL;
  gsize length;
  char nul = '\0';

  if (g_str_equal (file, "-"))
    {
      in = G_INPUT_STREAM (g_unix_input_stream_new (0, FALSE));
      what = g_strdup (_("standard input"));
    }
  else
    {
      g_autoptr(GFile) gfile = g_file_new_for_commandline_arg (file);
      g_autofree char *name = g_file_get_parse_name (gfile);

      in = G_INPUT_STREAM (g_file_read (gfile, NULL, error));
      if (in == NULL)
        return NULL;
      what = g_strdup_printf (_("file “%s”"), name);
    }

  out = g_memory_output_stream_new_resizable ();
  if (g_output_stream_splice (out, in, G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE, NULL, error) < 0)
    return NULL;
  length = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out));
  if (!loom_store_check_text_bytes (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)),
                                    length, what, error) ||
      !g_output_stream_write_all (out, &nul, 1, NULL, NULL, error) ||
      !g_output_stream_close (out, NULL, error))
    return NULL;
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
}

static int
scene_command (LoomStore *store,
               int        argc,
               char     **argv)
{
  static const char *const set_opts[] = { "--outline", "--prose-file", NULL };
  g_autoptr(GError) error = NULL;
  Args args;
  gint64 id;

  if (argc < 2)
    return loom_cli_usage_error (_("Say which scene command: add, set or move."));

  if (g_str_equal (argv[1], "add"))
    {
      LoomChapter *chapter;
      LoomScene *scene;

      if (!parse_args (argc - 2, argv + 2, NULL, &args) || args.n_positional != 2 ||
          !loom_cli_parse_id (args.positional[0], &id))
        return args_usage_error (&args, _("Usage: scene add CHAPTER_ID OUTLINE"));
      if ((chapter = loom_store_lookup_chapter (store, id)) == NULL)
        return loom_cli_not_found (LOOM_CLI_CHAPTER, id);
      scene = loom_store_add_scene (store, chapter, LOOM_POSITION_END, args.positional[1],
                                    &error);
      if (scene == NULL)
        return loom_cli_user_error (error);
      g_print ("%" G_GINT64_FORMAT "\n", loom_scene_get_id (scene));
      return LOOM_CLI_OK;
    }

  if (g_str_equal (argv[1], "set"))
    {
      LoomScene *scene;

      if (!parse_args (argc - 2, argv + 2, set_opts, &args) || args.n_positional != 1 ||
          !loom_cli_parse_id (args.positional[0], &id) ||
          (args.values[0] == NULL) == (args.values[1] == NULL))
        return args_usage_error (&args, _("Usage: scene set SCENE_ID (--outline TEXT | "
                                          "--prose-file FILE|-)"));
      if ((scene = loom_store_lookup_scene (store, id)) == NULL)
        return loom_cli_not_found (LOOM_CLI_SCENE, id);

      if (args.values[0] != NULL)
        {
          if (!loom_scene_set_outline (scene, args.values[0], &error))
            return loom_cli_user_error (error);
        }
      else
        {
          g_autofree char *prose = read_prose (args.values[1], &error);

          if (prose == NULL || !loom_scene_set_prose (scene, prose, &error))
            return loom_cli_user_error (error);
        }
      return LOOM_CLI_OK;
    }

  if (g_str_equal (argv[1], "move"))
    {
      LoomChapter *chapter;
      LoomScene *scene;
      gint64 chapter_id;
      guint position;

      if (argc != 5 || !loom_cli_parse_id (argv[2], &id) ||
          !loom_cli_parse_id (argv[3], &chapter_id) || !parse_position (argv[4], &position))
        return loom_cli_usage_error (_("Usage: scene move SCENE_ID CHAPTER_ID POSITION (from 1)"));
      if ((scene = loom_store_lookup_scene (store, id)) == NULL)
        return loom_cli_not_found (LOOM_CLI_SCENE, id);
      if ((chapter = loom_store_lookup_chapter (store, chapter_id)) == NULL)
        return loom_cli_not_found (LOOM_CLI_CHAPTER, chapter_id);
      if (!loom_store_move_scene (store, scene, chapter, position, &error))
        return loom_cli_user_error (error);
      return LOOM_CLI_OK;
    }

  return loom_cli_usage_error (_("Unknown scene command; use add, set or move."));
}

static int
character_command (LoomStore *store,
                   int        argc,
                   char     **argv)
{
  static const char *const add_opts[] = {
    "--traits", "--backstory", "--aliases", "--include", NULL,
  };
  g_autoptr(GError) error = NULL;
  LoomInclusion inclusion = LOOM_INCLUSION_ALWAYS;
  g_autoptr(LoomCharacter) character = NULL;
  LoomCharacterEntry entry;
  GListModel *characters;
  LoomStory *story;
  Args args;
  gint64 id;

  if (argc < 2 || !g_str_equal (argv[1], "add"))
    return loom_cli_usage_error (_("Say which character command: add."));
  if (!parse_args (argc - 2, argv + 2, add_opts, &args) || args.n_positional != 2 ||
      !loom_cli_parse_id (args.positional[0], &id) || args.values[0] == NULL ||
      (args.values[3] != NULL && !loom_inclusion_from_string (args.values[3], &inclusion)))
    return args_usage_error (&args, _("Usage: character add STORY_ID NAME --traits TEXT "
                                      "[--backstory TEXT] [--aliases A,B] "
                                      "[--include always|mentioned|never]"));
  if ((story = loom_store_lookup_story (store, id)) == NULL)
    return loom_cli_not_found (LOOM_CLI_STORY, id);

  /* one transaction: the character comes with its aliases and rule, or not at all */
  entry = (LoomCharacterEntry) { args.positional[1], args.values[0], args.values[1],
                                 args.values[2], inclusion };
  if (!loom_store_add_characters (store, story, &entry, 1, &error))
    return loom_cli_user_error (error);
  characters = loom_story_get_characters (story);
  character = g_list_model_get_item (characters, g_list_model_get_n_items (characters) - 1);
  g_print ("%" G_GINT64_FORMAT "\n", loom_character_get_id (character));
  return LOOM_CLI_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* entry: the story bible                                                                   */

static int
entry_add (LoomStore *store,
           int        argc,
           char     **argv)
{
  static const char *const opts[] = { "--aliases", "--description", "--include", NULL };
  const char *usage = _("Usage: entry add STORY_ID place|object|group|lore NAME "
                        "[--aliases A,B] [--description TEXT] "
                        "[--include always|mentioned|never]");
  g_autoptr(GError) error = NULL;
  LoomInclusion inclusion = LOOM_INCLUSION_MENTIONED;
  LoomEntryKind kind;
  LoomStory *story;
  LoomEntry *entry;
  Args args;
  gint64 id;

  if (!parse_args (argc, argv, opts, &args) || args.n_positional != 3 ||
      !loom_cli_parse_id (args.positional[0], &id) ||
      !loom_entry_kind_from_string (args.positional[1], &kind) ||
      (args.values[2] != NULL && !loom_inclusion_from_string (args.values[2], &inclusion)))
    return args_usage_error (&args, usage);
  if ((story = loom_store_lookup_story (store, id)) == NULL)
    return loom_cli_not_found (LOOM_CLI_STORY, id);

  entry = loom_store_add_entry (store, story, kind, args.positional[2], args.values[0],
                                args.values[1], inclusion, &error);
  if (entry == NULL)
    return loom_cli_user_error (error);
  g_print ("%" G_GINT64_FORMAT "\n", loom_entry_get_id (entry));
  return LOOM_CLI_OK;
}

/* One tab-separated line per entry, characters first: id, kind, name, aliases, inclusion,
 * description (on one line). */
static int
entry_list (LoomStore *store,
            int        argc,
            char     **argv)
{
  GListModel *characters;
  GListModel *entries;
  LoomStory *story;
  gint64 id;

  if (argc != 1 || !loom_cli_parse_id (argv[0], &id))
    return loom_cli_usage_error (_("Usage: entry list STORY_ID"));
  if ((story = loom_store_lookup_story (store, id)) == NULL)
    return loom_cli_not_found (LOOM_CLI_STORY, id);

  characters = loom_story_get_characters (story);
  for (guint i = 0; i < g_list_model_get_n_items (characters); i++)
    {
      g_autoptr(LoomCharacter) character = g_list_model_get_item (characters, i);
      g_autofree char *traits = loom_manuscript_one_line (loom_character_get_traits (character));

      g_print ("%" G_GINT64_FORMAT "\tcharacter\t%s\t%s\t%s\t%s\n",
               loom_character_get_id (character), loom_character_get_name (character),
               loom_character_get_aliases (character),
               loom_inclusion_to_string (loom_character_get_inclusion (character)), traits);
    }
  entries = loom_story_get_entries (story);
  for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr(LoomEntry) entry = g_list_model_get_item (entries, i);
      g_autofree char *description =
        loom_manuscript_one_line (loom_entry_get_description (entry));

      g_print ("%" G_GINT64_FORMAT "\t%s\t%s\t%s\t%s\t%s\n", loom_entry_get_id (entry),
               loom_entry_kind_to_string (loom_entry_get_kind (entry)),
               loom_entry_get_name (entry), loom_entry_get_aliases (entry),
               loom_inclusion_to_string (loom_entry_get_inclusion (entry)), description);
    }
  return LOOM_CLI_OK;
}

static int
entry_command (LoomStore *store,
               int        argc,
               char     **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "add"))
    return entry_add (store, argc - 2, argv + 2);
  if (argc >= 2 && g_str_equal (argv[1], "list"))
    return entry_list (store, argc - 2, argv + 2);
  return loom_cli_usage_error (_("Say which entry command: add or list."));
}

/* ---------------------------------------------------------------------------------------- */
/* show                                                                                     */

/* null when the scene has none */
static void
build_summary_json (JsonBuilder *builder,
                    LoomScene   *scene,
                    LoomSummary *summary)
{
  g_auto(GStrv) facts = NULL;

  json_builder_set_member_name (builder, "summary");
  if (summary == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }
  json_builder_begin_object (builder);
  loom_cli_json_add_string (builder, "text", summary->summary);
  json_builder_set_member_name (builder, "facts");
  json_builder_begin_array (builder);
  facts = loom_summary_dup_facts (summary);
  for (guint i = 0; facts[i] != NULL; i++)
    json_builder_add_string_value (builder, facts[i]);
  json_builder_end_array (builder);
  loom_cli_json_add_string (builder, "origin", loom_summary_origin_to_string (summary->origin));
  loom_cli_json_add_string (builder, "model", summary->model);
  /* the prose changed since it was summarised */
  json_builder_set_member_name (builder, "outdated");
  json_builder_add_boolean_value (builder, loom_summary_is_outdated (summary, scene));
  loom_cli_json_add_int (builder, "updated_at", summary->updated_at);
  json_builder_end_object (builder);
}

static void
build_scene_json (JsonBuilder *builder,
                  LoomScene   *scene,
                  GHashTable  *summaries)
{
  gint64 id = loom_scene_get_id (scene);

  json_builder_begin_object (builder);
  loom_cli_json_add_int (builder, "id", loom_scene_get_id (scene));
  loom_cli_json_add_int (builder, "number", loom_scene_get_number (scene));
  loom_cli_json_add_string (builder, "outline", loom_scene_get_outline (scene));
  loom_cli_json_add_string (builder, "prose", loom_scene_get_prose (scene));
  loom_cli_json_add_string (builder, "status",
                            loom_scene_status_to_string (loom_scene_get_status (scene)));
  loom_cli_json_add_string (builder, "error_message", loom_scene_get_error_message (scene));
  /* its prose was generated from inputs that changed since (LoomScene:stale-inputs) */
  json_builder_set_member_name (builder, "outdated");
  json_builder_add_boolean_value (builder, loom_scene_get_outdated (scene));
  loom_cli_json_add_int (builder, "regeneration_count",
                         loom_scene_get_regeneration_count (scene));
  loom_cli_json_add_int (builder, "words", loom_scene_get_word_count (scene));
  build_summary_json (builder, scene, g_hash_table_lookup (summaries, &id));
  json_builder_end_object (builder);
}

/* Aliases as a list, and the inclusion rule, for characters and entries alike. */
static void
add_bible_fields (JsonBuilder   *builder,
                  const char    *aliases,
                  LoomInclusion  inclusion)
{
  g_auto(GStrv) split = loom_aliases_split (aliases);

  json_builder_set_member_name (builder, "aliases");
  json_builder_begin_array (builder);
  for (guint i = 0; split[i] != NULL; i++)
    json_builder_add_string_value (builder, split[i]);
  json_builder_end_array (builder);
  loom_cli_json_add_string (builder, "include", loom_inclusion_to_string (inclusion));
}

static void
build_entries_json (JsonBuilder *builder,
                    LoomStory   *story)
{
  GListModel *entries = loom_story_get_entries (story);

  json_builder_set_member_name (builder, "entries");
  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr(LoomEntry) entry = g_list_model_get_item (entries, i);

      json_builder_begin_object (builder);
      loom_cli_json_add_int (builder, "id", loom_entry_get_id (entry));
      loom_cli_json_add_string (builder, "kind",
                                loom_entry_kind_to_string (loom_entry_get_kind (entry)));
      loom_cli_json_add_string (builder, "name", loom_entry_get_name (entry));
      loom_cli_json_add_string (builder, "description", loom_entry_get_description (entry));
      add_bible_fields (builder, loom_entry_get_aliases (entry), loom_entry_get_inclusion (entry));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static char *
story_to_json (LoomStory  *story,
               GHashTable *summaries)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  GListModel *chapters = loom_story_get_chapters (story);
  GListModel *characters = loom_story_get_characters (story);

  json_builder_begin_object (builder);
  loom_cli_json_add_int (builder, "id", loom_story_get_id (story));
  loom_cli_json_add_string (builder, "title", loom_story_get_title (story));
  loom_cli_json_add_string (builder, "premise", loom_story_get_premise (story));
  loom_cli_json_add_int (builder, "created_at", loom_story_get_created_at (story));

  json_builder_set_member_name (builder, "chapters");
  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (chapters); i++)
    {
      g_autoptr(LoomChapter) chapter = g_list_model_get_item (chapters, i);
      GListModel *scenes = loom_chapter_get_scenes (chapter);

      json_builder_begin_object (builder);
      loom_cli_json_add_int (builder, "id", loom_chapter_get_id (chapter));
      loom_cli_json_add_int (builder, "number", loom_chapter_get_number (chapter));
      loom_cli_json_add_string (builder, "title", loom_chapter_get_title (chapter));
      json_builder_set_member_name (builder, "scenes");
      json_builder_begin_array (builder);
      for (guint j = 0; j < g_list_model_get_n_items (scenes); j++)
        {
          g_autoptr(LoomScene) scene = g_list_model_get_item (scenes, j);
          build_scene_json (builder, scene, summaries);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "characters");
  json_builder_begin_array (builder);
  for (guint i = 0; i < g_list_model_get_n_items (characters); i++)
    {
      g_autoptr(LoomCharacter) character = g_list_model_get_item (characters, i);

      json_builder_begin_object (builder);
      loom_cli_json_add_int (builder, "id", loom_character_get_id (character));
      loom_cli_json_add_string (builder, "name", loom_character_get_name (character));
      loom_cli_json_add_string (builder, "traits", loom_character_get_traits (character));
      loom_cli_json_add_string (builder, "backstory", loom_character_get_backstory (character));
      add_bible_fields (builder, loom_character_get_aliases (character),
                        loom_character_get_inclusion (character));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  build_entries_json (builder, story);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static void
print_story_text (LoomStory *story)
{
  GListModel *chapters = loom_story_get_chapters (story);
  GListModel *characters = loom_story_get_characters (story);

  g_print ("%s\n", loom_story_get_title (story));
  if (*loom_story_get_premise (story) != '\0')
    g_print ("\n%s\n", loom_story_get_premise (story));

  for (guint i = 0; i < g_list_model_get_n_items (chapters); i++)
    {
      g_autoptr(LoomChapter) chapter = g_list_model_get_item (chapters, i);
      GListModel *scenes = loom_chapter_get_scenes (chapter);

      guint chapter_words = loom_chapter_get_word_count (chapter);

      g_print ("\n%s %u: %s (", _("Chapter"), loom_chapter_get_number (chapter),
               loom_chapter_get_title (chapter));
      g_print (g_dngettext (GETTEXT_PACKAGE, "%u word", "%u words", chapter_words), chapter_words);
      g_print (")\n");
      for (guint j = 0; j < g_list_model_get_n_items (scenes); j++)
        {
          g_autoptr(LoomScene) scene = g_list_model_get_item (scenes, j);
          const char *prose = loom_scene_get_prose (scene);

          guint scene_words = loom_scene_get_word_count (scene);

          g_print ("\n  %s %u [%s, ", _("Scene"), loom_scene_get_number (scene),
                   loom_scene_status_to_string (loom_scene_get_status (scene)));
          if (loom_scene_get_outdated (scene))
            /* TRANSLATORS: after a scene's status in `show`: its inputs changed since */
            g_print ("%s, ", _("outdated"));
          g_print (g_dngettext (GETTEXT_PACKAGE, "%u word", "%u words", scene_words), scene_words);
          g_print ("]: %s\n", loom_scene_get_outline (scene));
          if (loom_scene_get_error_message (scene) != NULL)
            g_print ("  %s\n", loom_scene_get_error_message (scene));
          if (prose != NULL)
            g_print ("\n%s\n", prose);
        }
    }

  if (g_list_model_get_n_items (characters) > 0)
    g_print ("\n%s\n", _("Characters"));
  for (guint i = 0; i < g_list_model_get_n_items (characters); i++)
    {
      g_autoptr(LoomCharacter) character = g_list_model_get_item (characters, i);
      const char *backstory = loom_character_get_backstory (character);

      g_print ("  %s: %s%s%s\n", loom_character_get_name (character),
               loom_character_get_traits (character), backstory ? ". " : "",
               backstory ? backstory : "");
    }
}

/* Reads every scene's prose before anything is printed, so that a scene whose prose cannot be
 * read is reported rather than shown empty. */
static gboolean
load_story_prose (LoomStory  *story,
                  GError    **error)
{
  GListModel *chapters = loom_story_get_chapters (story);

  for (guint i = 0; i < g_list_model_get_n_items (chapters); i++)
    {
      g_autoptr(LoomChapter) chapter = g_list_model_get_item (chapters, i);
      GListModel *scenes = loom_chapter_get_scenes (chapter);

      for (guint j = 0; j < g_list_model_get_n_items (scenes); j++)
        {
          g_autoptr(LoomScene) scene = g_list_model_get_item (scenes, j);

          if (!loom_scene_load_prose (scene, error))
            return FALSE;
        }
    }
  return TRUE;
}

static int
show_command (LoomStore *store,
              int        argc,
              char     **argv)
{
  static const char *const opts[] = { "--json!", NULL };
  g_autoptr(GError) error = NULL;
  LoomStory *story;
  Args args;
  gint64 id;

  if (!parse_args (argc - 1, argv + 1, opts, &args) || args.n_positional != 1 ||
      !loom_cli_parse_id (args.positional[0], &id))
    return args_usage_error (&args, _("Usage: show STORY_ID [--json]"));
  if ((story = loom_store_lookup_story (store, id)) == NULL)
    return loom_cli_not_found (LOOM_CLI_STORY, id);
  if (!load_story_prose (story, &error))
    return loom_cli_user_error (error);

  if (args.values[0] != NULL)
    {
      g_autoptr(GHashTable) summaries = loom_store_list_summaries (store, story, &error);
      g_autofree char *json = NULL;

      if (summaries == NULL)
        return loom_cli_user_error (error);
      json = story_to_json (story, summaries);
      g_print ("%s\n", json);
    }
  else
    print_story_text (story);
  return LOOM_CLI_OK;
}

/* ---------------------------------------------------------------------------------------- */

int
loom_cli_store (const LoomCliOptions *options,
                int                   argc,
                char                **argv)
{
  static const struct {
    const char *name;
    int (*run) (LoomStore *store, int argc, char **argv);
  } commands[] = {
    { "story", story_command },
    { "chapter", chapter_command },
    { "scene", scene_command },
    { "character", character_command },
    { "entry", entry_command },
    { "show", show_command },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomStore) store = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (!g_str_equal (argv[0], commands[i].name))
        continue;
      if ((store = loom_cli_open_store (options, &error)) == NULL)
        return loom_cli_user_error (error);
      return commands[i].run (store, argc, argv);
    }

  {
    g_autofree char *message = g_strdup_printf (_("Unknown command “%s”. Run with --help for "
                                                  "the list."), argv[0]);
    return loom_cli_usage_error (message);
  }
}
