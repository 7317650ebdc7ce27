/* loom-cli-ai.c: the commands that talk to the model: models, generate, outline, characters,
 * prompt, usage
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-cli-ai"

#include "config.h"

#include <glib-unix.h>
#include <signal.h>
#include <string.h>

#include <glib/gi18n.h>

#include "loom-ai-client.h"
#include "loom-api-key.h"
#include "loom-chapter.h"
#include "loom-cli.h"
#include "loom-context-budget.h"
#include "loom-generator.h"
#include "loom-model-catalog.h"
#include "loom-prompt.h"
#include "loom-entry.h"
#include "loom-scene.h"
#include "loom-store.h"
#include "loom-story.h"

static const char *const ai_commands[] = {
  "models", "generate", "outline", "characters", "prompt", "usage", "revise", NULL
};

gboolean
loom_cli_is_ai_command (const char *name)
{
  return name != NULL && g_strv_contains (ai_commands, name);
}

/* The CLI is synchronous: run the main context until an async call has answered. */
void
loom_cli_store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

void
loom_cli_wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
}

/* Settings come from the environment, then the command line. */
LoomAiClient *
loom_cli_make_client (const LoomCliOptions *options)
{
  LoomAiClient *client = loom_ai_client_new_from_environment (NULL);

  if (options->api_base != NULL)
    loom_ai_client_set_base_url (client, options->api_base);
  if (options->model != NULL)
    loom_ai_client_set_model (client, options->model);

  return client;
}

/* For the commands that generate: the key from the environment, else the keyring; a server on
 * this computer may do without. Not used by models, which OpenRouter lists to anyone. */
gboolean
loom_cli_find_key (LoomAiClient  *client,
                   GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *key = NULL;

  if (loom_ai_client_get_has_api_key (client))
    return TRUE;

  loom_api_key_lookup_async (loom_ai_client_get_base_url (client), NULL, loom_cli_store_result_cb, &result);
  loom_cli_wait_for (&result);
  key = loom_api_key_lookup_finish (result, NULL, &local_error);
  if (key != NULL)
    {
      loom_ai_client_set_api_key (client, key);
      memset (key, 0, strlen (key));
    }

  /* the client decides whether no key is acceptable (loopback) and says so in its words */
  return loom_ai_client_check (client, error);
}

/* Before a command that spends: the server's prices, for the spending limits, fetched again
 * when the library's copy is a day old. A failure only means the copy kept before (or none:
 * "unknown price") serves. */
void
loom_cli_refresh_models (LoomStore    *store,
                         LoomAiClient *client)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  loom_model_catalog_refresh_async (store, client, FALSE, NULL, loom_cli_store_result_cb,
                                    &result);
  loom_cli_wait_for (&result);
  if (!loom_model_catalog_refresh_finish (result, &error))
    g_debug ("The list of models was not refreshed: %s", error->message);
}

/* For the commands that generate: a generator whose client is made from @options, with its key
 * found and the server's prices (and the models' context lengths) fresh. */
LoomGenerator *
loom_cli_new_generator (const LoomCliOptions  *options,
                        LoomStore             *store,
                        GError               **error)
{
  g_autoptr(LoomAiClient) client = loom_cli_make_client (options);

  if (!loom_cli_find_key (client, error))
    return NULL;
  loom_cli_refresh_models (store, client);
  return loom_generator_new (store, client);
}

/* Prices per token, in US dollars, as plain decimals ("0.000003", not "3e-06"). */
static char *
format_price (double price)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  gsize len;

  if (price < 0)
    return g_strdup ("-");

  g_ascii_formatd (buffer, sizeof buffer, "%.12f", price);
  len = strlen (buffer);
  while (len > 1 && buffer[len - 1] == '0')
    buffer[--len] = '\0';
  if (len > 1 && buffer[len - 1] == '.')
    buffer[--len] = '\0';

  return g_strdup (buffer);
}

/* --refresh: keeps the list in the library too, for estimates and context lengths. Without
 * it, `models` does not touch the library (it needs none). */
static int
keep_models (const LoomCliOptions *options,
             LoomAiClient         *client,
             GPtrArray            *models)
{
  g_autoptr(LoomStore) store = NULL;
  g_autoptr(GError) error = NULL;

  store = loom_cli_open_store (options, &error);
  if (store == NULL || !loom_model_catalog_save (store, client, models, &error))
    return loom_cli_user_error (error);
  return LOOM_CLI_OK;
}

static int
command_models (const LoomCliOptions *options,
                int                   argc,
                char                **argv)
{
  g_autoptr(LoomAiClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GError) error = NULL;
  gboolean refresh = argc == 2 && g_str_equal (argv[1], "--refresh");

  if (argc > 2 || (argc == 2 && !refresh))
    return loom_cli_usage_error (_("Usage: storyloom-cli models [--refresh]"));

  client = loom_cli_make_client (options);
  loom_ai_client_list_models_async (client, NULL, loom_cli_store_result_cb, &result);
  loom_cli_wait_for (&result);

  models = loom_ai_client_list_models_finish (client, result, &error);
  if (models == NULL)
    return loom_cli_user_error (error);
  if (refresh && keep_models (options, client, models) != LOOM_CLI_OK)
    return LOOM_CLI_ERROR;

  /* id, name, context length, prompt and completion price per token (US dollars) */
  for (guint i = 0; i < models->len; i++)
    {
      LoomAiModelInfo *info = g_ptr_array_index (models, i);
      g_autofree char *prompt = format_price (info->prompt_price);
      g_autofree char *completion = format_price (info->completion_price);
      g_autofree char *name = g_strdelimit (g_strdup (info->name), "\t\n\r", ' ');

      g_print ("%s\t%s\t%" G_GINT64_FORMAT "\t%s\t%s\n",
               info->id, name, info->context_length, prompt, completion);
    }

  return LOOM_CLI_OK;
}

/* The messages that would be sent for a scene, as JSON; the token estimate on stderr. */
/* On stderr, beside the token estimate: which story bible entries the prompt carries. */
static void
print_included_entries (GPtrArray *entries)
{
  g_autoptr(GString) names = g_string_new (NULL);

  if (entries->len == 0)
    return;
  for (guint i = 0; i < entries->len; i++)
    {
      LoomEntry *entry = g_ptr_array_index (entries, i);

      if (i > 0)
        g_string_append (names, ", ");
      g_string_append_printf (names, "%s (%s)", loom_entry_get_name (entry),
                              loom_entry_kind_to_string (loom_entry_get_kind (entry)));
    }
  /* Translators: the entries of the story bible a prompt includes, such as “The Mill
   * (place), the Vow (lore)” */
  g_printerr (_("From the story bible: %s.\n"), names->str);
}

/* The parts of the prompt's context, one a line, then the budget they were fitted to. */
static void
print_parts (LoomPrompt *prompt,
             gboolean    automatic)
{
  GPtrArray *parts = loom_prompt_get_parts (prompt);
  guint budget = loom_prompt_get_budget (prompt);

  for (guint i = 0; i < parts->len; i++)
    {
      g_autofree char *line = loom_prompt_part_describe (g_ptr_array_index (parts, i));

      g_printerr ("  %s\n", line);
    }
  if (automatic)
    /* Translators: %'u is a number of tokens */
    g_printerr (_("Context budget: %'u tokens (automatic; set it with storyloom-cli settings "
                  "--context-budget).\n"), budget);
  else
    g_printerr (_("Context budget: %'u tokens.\n"), budget);
}

static int
command_prompt (const LoomCliOptions *options,
                int                   argc,
                char                **argv)
{
  g_autoptr(LoomStore) store = NULL;
  g_autoptr(LoomAiClient) client = NULL;
  g_autoptr(LoomPrompt) prompt = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  LoomPromptOptions prompt_options = LOOM_PROMPT_OPTIONS_INIT;
  gboolean automatic = FALSE;
  LoomScene *scene;
  gint64 id;
  guint tokens;

  if (argc != 2 || !loom_cli_parse_id (argv[1], &id))
    return loom_cli_usage_error (_("Usage: storyloom-cli prompt SCENE_ID"));

  store = loom_cli_open_store (options, &error);
  if (store == NULL)
    return loom_cli_user_error (error);

  scene = loom_store_lookup_scene (store, id);
  if (scene == NULL)
    return loom_cli_not_found (LOOM_CLI_SCENE, id);

  /* the budget for the model that generate would ask (its context from the library's list) */
  client = loom_cli_make_client (options);
  prompt_options.context_budget = loom_context_budget_get (store, client, &automatic);
  prompt = loom_prompt_new_for_scene (scene, &prompt_options, &error);
  if (prompt == NULL)
    return loom_cli_user_error (error);

  json = loom_prompt_to_json (prompt);
  g_print ("%s\n", json);
  tokens = loom_prompt_get_token_estimate (prompt);
  g_printerr (g_dngettext (GETTEXT_PACKAGE, "About %u prompt token.\n",
                           "About %u prompt tokens.\n", tokens), tokens);
  print_included_entries (loom_prompt_get_entries (prompt));
  print_parts (prompt, automatic);

  return LOOM_CLI_OK;
}

/* generate */

typedef struct
{
  GPtrArray *errors;   /* sentences, one per scene that did not complete */
  guint      completed;
  gboolean   over_budget; /* a spending limit refused a scene; the rest of its batch waits */
} GenerateRun;

static char *
describe_scene (LoomScene *scene)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, loom_scene_get_id (scene));

  return g_strdup_printf (_("scene %s (chapter %u, scene %u)"), id,
                          loom_chapter_get_number (loom_scene_get_chapter (scene)),
                          loom_scene_get_number (scene));
}

static void
scene_started_cb (LoomGenerator *generator,
                  LoomScene     *scene,
                  GenerateRun   *run)
{
  g_autofree char *what = describe_scene (scene);

  g_printerr (_("%s: generating\n"), what);
}

static void
scene_finished_cb (LoomGenerator *generator,
                   LoomScene     *scene,
                   const GError  *error,
                   GenerateRun   *run)
{
  g_autofree char *what = describe_scene (scene);

  if (error == NULL)
    {
      run->completed++;
      g_printerr (g_dngettext (GETTEXT_PACKAGE, "%s: complete, %u word\n",
                               "%s: complete, %u words\n", loom_scene_get_word_count (scene)),
                  what, loom_scene_get_word_count (scene));
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && run->over_budget)
    {
      g_printerr (_("%s: not sent\n"), what);
      return;
    }
  if (error->domain == LOOM_BUDGET_ERROR)
    run->over_budget = TRUE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_printerr (_("%s: cancelled\n"), what);
      g_ptr_array_add (run->errors,
                       g_strdup_printf (_("%s: cancelled; what was written is kept as a "
                                          "revision"), what));
      return;
    }

  g_printerr (_("%s: error: %s\n"), what, error->message);
  g_ptr_array_add (run->errors, g_strdup_printf ("%s: %s", what, error->message));
}

static gboolean
interrupt_cb (gpointer user_data)
{
  LoomGenerator *generator = user_data;

  /* the generator puts back each scene's earlier prose and keeps what was written */
  g_printerr (_("Stopping: the text written so far is kept as a revision.\n"));
  loom_generator_cancel_all (generator);

  return G_SOURCE_CONTINUE;
}

static void
report_queued (LoomGenerator *generator,
               LoomChapter   *chapter)
{
  GListModel *scenes = loom_chapter_get_scenes (chapter);

  for (guint i = 0; i < g_list_model_get_n_items (scenes); i++)
    {
      g_autoptr(LoomScene) scene = g_list_model_get_item (scenes, i);

      if (loom_generator_is_scene_pending (generator, scene) &&
          loom_scene_get_status (scene) != LOOM_SCENE_STATUS_GENERATING)
        {
          g_autofree char *what = describe_scene (scene);

          g_printerr (_("%s: queued\n"), what);
        }
    }
}

/* Scenes a batch skipped because they hold the writer's own words: said, not silently left. */
static void
report_writers_scenes (LoomGenerator     *generator,
                       LoomStory         *story,
                       LoomChapter       *chapter,
                       LoomGenerateFlags  flags)
{
  g_autoptr(GPtrArray) skipped = NULL;

  if (flags & LOOM_GENERATE_OVER_WRITERS)
    return;
  skipped = loom_generator_list_writers_scenes (generator, story, chapter, flags);
  for (guint i = 0; i < skipped->len; i++)
    {
      LoomScene *scene = g_ptr_array_index (skipped, i);
      g_autofree char *what = describe_scene (scene);
      guint words = loom_scene_get_word_count (scene);

      g_printerr (g_dngettext (GETTEXT_PACKAGE,
                               "%s: skipped, it holds %u word you wrote or edited (add --force "
                               "to replace it)\n",
                               "%s: skipped, it holds %u words you wrote or edited (add --force "
                               "to replace them)\n", words),
                  what, words);
    }
}

typedef struct
{
  const char        *target;   /* "scene", "chapter" or "story" */
  gint64             id;
  guint64            jobs;
  LoomGenerateFlags  flags;
  gboolean           parallel;
  gboolean           yes;      /* the estimate is accepted, whatever the threshold */
} GenerateArgs;

static int
parse_generate_args (int           argc,
                     char        **argv,
                     GenerateArgs *args)
{
  const char *usage = _("Usage: storyloom-cli generate (--scene ID | --chapter ID | --story ID) "
                        "[--jobs N] [--regenerate] [--force] [--yes]");

  *args = (GenerateArgs) { NULL, 0, LOOM_GENERATOR_DEFAULT_MAX_JOBS, LOOM_GENERATE_MISSING,
                           FALSE, FALSE };
  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--regenerate"))
        args->flags |= LOOM_GENERATE_REGENERATE;
      /* Replacing words the writer typed is never the default, as in the window's question. */
      else if (g_str_equal (argv[i], "--force"))
        args->flags |= LOOM_GENERATE_OVER_WRITERS;
      else if (g_str_equal (argv[i], "--yes"))
        args->yes = TRUE;
      else if ((g_str_equal (argv[i], "--scene") || g_str_equal (argv[i], "--chapter") ||
                g_str_equal (argv[i], "--story")) && i + 1 < argc && args->target == NULL)
        {
          args->target = argv[i] + 2;
          if (!loom_cli_parse_id (argv[++i], &args->id))
            return loom_cli_usage_error (usage);
        }
      else if (g_str_equal (argv[i], "--jobs") && i + 1 < argc)
        {
          if (!g_ascii_string_to_unsigned (argv[++i], 10, 1, 64, &args->jobs, NULL))
            return loom_cli_usage_error (_("--jobs takes a number from 1 to 64."));
          /* Asking for several at once is the explicit choice of parallel drafting;
           * otherwise a chapter's scenes go in order, each continuing the one before. */
          args->parallel = args->jobs > 1;
        }
      else
        return loom_cli_usage_error (usage);
    }
  if (args->target == NULL)
    return loom_cli_usage_error (usage);
  return LOOM_CLI_OK;
}

/* A scene asked for by itself is not drafted over the writer's own words without --force:
 * said in one sentence, as the window asks first. */
static gboolean
check_writers_words (LoomStore         *store,
                     LoomScene         *scene,
                     LoomGenerateFlags  flags)
{
  g_autofree char *what = NULL;
  g_autofree char *message = NULL;
  guint words;

  if ((flags & LOOM_GENERATE_OVER_WRITERS) ||
      loom_scene_get_status (scene) == LOOM_SCENE_STATUS_GENERATING ||
      (words = loom_store_get_writers_words (store, scene)) == 0)
    return TRUE;

  what = describe_scene (scene);
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "The prose of %s has %u word you wrote or "
                                          "edited, so it was not generated. Add "
                                          "--force to replace it; it stays in the "
                                          "scene’s history.",
                                          "The prose of %s has %u words you wrote or "
                                          "edited, so it was not generated. Add "
                                          "--force to replace them; they stay in the "
                                          "scene’s history.", words),
                             what, words);
  loom_cli_print_error (message);
  return FALSE;
}

static int
confirm_batch (LoomGenerator      *generator,
               LoomStory          *story,
               LoomChapter        *chapter,
               const GenerateArgs *args)
{
  /* `generate` drafts and does not summarize (`summarize` does, asked for on its own), so
   * the estimate counts the drafts alone: summarize_after stays FALSE. */
  LoomPaidAction action = { chapter ? LOOM_PAID_CHAPTER : LOOM_PAID_STORY, story, chapter, NULL,
                            args->flags, NULL, FALSE };

  return loom_cli_confirm_action (generator, &action, args->yes);
}

/* Queues what @args names and says which scenes wait and which were skipped. */
static int
queue_target (LoomStore          *store,
              LoomGenerator      *generator,
              const GenerateArgs *args,
              guint              *queued)
{
  g_autoptr(GError) error = NULL;
  int status;

  if (g_str_equal (args->target, "scene"))
    {
      LoomScene *scene = loom_store_lookup_scene (store, args->id);
      LoomPaidAction action = { LOOM_PAID_SCENE, NULL, NULL, NULL, 0, NULL };

      if (scene == NULL)
        return loom_cli_not_found (LOOM_CLI_SCENE, args->id);
      if (!check_writers_words (store, scene, args->flags))
        return LOOM_CLI_ERROR;
      action.scene = scene;
      if ((status = loom_cli_confirm_action (generator, &action, args->yes)) != LOOM_CLI_OK)
        return status;
      if (!loom_generator_generate_scene (generator, scene, &error))
        return loom_cli_user_error (error);
      *queued = 1;
    }
  else if (g_str_equal (args->target, "chapter"))
    {
      LoomChapter *chapter = loom_store_lookup_chapter (store, args->id);

      if (chapter == NULL)
        return loom_cli_not_found (LOOM_CLI_CHAPTER, args->id);
      if ((status = confirm_batch (generator, NULL, chapter, args)) != LOOM_CLI_OK)
        return status;
      *queued = loom_generator_generate_chapter (generator, chapter, args->flags, &error);
      if (error != NULL)
        return loom_cli_user_error (error);
      report_writers_scenes (generator, loom_chapter_get_story (chapter), chapter, args->flags);
      report_queued (generator, chapter);
    }
  else
    {
      LoomStory *story = loom_store_lookup_story (store, args->id);
      GListModel *chapters;

      if (story == NULL)
        return loom_cli_not_found (LOOM_CLI_STORY, args->id);
      if ((status = confirm_batch (generator, story, NULL, args)) != LOOM_CLI_OK)
        return status;
      *queued = loom_generator_generate_story (generator, story, args->flags, &error);
      if (error != NULL)
        return loom_cli_user_error (error);
      report_writers_scenes (generator, story, NULL, args->flags);
      chapters = loom_story_get_chapters (story);
      for (guint i = 0; i < g_list_model_get_n_items (chapters); i++)
        {
          g_autoptr(LoomChapter) chapter = g_list_model_get_item (chapters, i);

          report_queued (generator, chapter);
        }
    }
  return LOOM_CLI_OK;
}

/* Runs the queue to its end (Ctrl+C stops it, keeping what was written) and sums it up. */
static int
wait_for_generator (LoomGenerator *generator,
                    GenerateRun   *run)
{
  g_autofree char *summary = NULL;
  guint sigint_id;

  sigint_id = g_unix_signal_add (SIGINT, interrupt_cb, generator);
  while (loom_generator_get_busy (generator))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (sigint_id);

  if (run->errors->len == 0)
    return LOOM_CLI_OK;

  summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u scene did not complete:",
                                          "%u scenes did not complete:", run->errors->len),
                             run->errors->len);
  loom_cli_print_error (summary);
  for (guint i = 0; i < run->errors->len; i++)
    g_printerr ("  %s\n", (const char *) g_ptr_array_index (run->errors, i));
  return run->over_budget ? LOOM_CLI_OVER_BUDGET : LOOM_CLI_ERROR;
}

static int
command_generate (const LoomCliOptions *options,
                  int                   argc,
                  char                **argv)
{
  /* First, so that it is freed last: the generator's signals fill it. */
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(LoomStore) store = NULL;
  g_autoptr(LoomGenerator) generator = NULL;
  g_autoptr(GError) error = NULL;
  GenerateRun run = { errors, 0, FALSE };
  GenerateArgs args;
  guint queued = 0;
  int status;

  if ((status = parse_generate_args (argc, argv, &args)) != LOOM_CLI_OK)
    return status;

  store = loom_cli_open_store (options, &error);
  if (store == NULL)
    return loom_cli_user_error (error);

  generator = loom_cli_new_generator (options, store, &error);
  if (generator == NULL)
    return loom_cli_user_error (error);
  loom_generator_set_max_jobs (generator, (guint) args.jobs);
  loom_generator_set_parallel_batches (generator, args.parallel);
  g_signal_connect (generator, "scene-started", G_CALLBACK (scene_started_cb), &run);
  g_signal_connect (generator, "scene-finished", G_CALLBACK (scene_finished_cb), &run);

  if ((status = queue_target (store, generator, &args, &queued)) != LOOM_CLI_OK)
    return status;
  if (queued == 0)
    {
      g_printerr (_("Nothing to generate: every scene has prose (use --regenerate to write them "
                    "again).\n"));
      return LOOM_CLI_OK;
    }
  return wait_for_generator (generator, &run);
}

/* outline, characters */

static int
command_structured (const LoomCliOptions *options,
                    int                   argc,
                    char                **argv)
{
  gboolean outline = g_str_equal (argv[0], "outline");
  g_autoptr(LoomStore) store = NULL;
  g_autoptr(LoomGenerator) generator = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  LoomPaidAction action = { outline ? LOOM_PAID_OUTLINE : LOOM_PAID_CHARACTERS, NULL, NULL, NULL,
                            0, NULL };
  gboolean yes = argc == 3 && g_str_equal (argv[2], "--yes");
  LoomStory *story;
  gint64 id;
  int status;

  if ((argc != 2 && !yes) || !loom_cli_parse_id (argv[1], &id))
    {
      g_autofree char *usage = g_strdup_printf (_("Usage: storyloom-cli %s STORY_ID [--yes]"),
                                                argv[0]);

      return loom_cli_usage_error (usage);
    }

  store = loom_cli_open_store (options, &error);
  if (store == NULL)
    return loom_cli_user_error (error);
  story = loom_store_lookup_story (store, id);
  if (story == NULL)
    return loom_cli_not_found (LOOM_CLI_STORY, id);

  generator = loom_cli_new_generator (options, store, &error);
  if (generator == NULL)
    return loom_cli_user_error (error);

  if (outline && loom_story_get_chapter_count (story) > 0)
    {
      g_autofree char *message =
        g_strdup_printf (_("“%s” already has chapters. “outline” plans a story that has none "
                           "yet; the window can add an outline after existing chapters."),
                         loom_story_get_title (story));
      loom_cli_print_error (message);
      return LOOM_CLI_ERROR;
    }

  action.story = story;
  if ((status = loom_cli_confirm_action (generator, &action, yes)) != LOOM_CLI_OK)
    return status;
  if (outline)
    {
      gssize n;

      loom_generator_outline_story_async (generator, story, NULL, loom_cli_store_result_cb, &result);
      loom_cli_wait_for (&result);
      n = loom_generator_outline_story_finish (generator, result, &error);
      if (n < 0)
        return loom_cli_user_error (error);
      g_print (g_dngettext (GETTEXT_PACKAGE, "Added %u chapter with %u scenes.\n",
                            "Added %u chapters with %u scenes.\n", (gulong) n),
               (guint) n, loom_story_get_scene_count (story));
    }
  else
    {
      gssize n;

      loom_generator_suggest_characters_async (generator, story, NULL, loom_cli_store_result_cb, &result);
      loom_cli_wait_for (&result);
      n = loom_generator_suggest_characters_finish (generator, result, &error);
      if (n < 0)
        return loom_cli_user_error (error);
      g_print (g_dngettext (GETTEXT_PACKAGE, "Added %u character.\n", "Added %u characters.\n",
                            (gulong) n),
               (guint) n);
    }

  return LOOM_CLI_OK;
}

/* usage */

static char *
format_cost (double cost)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.6f", MAX (cost, 0)));
}

static int
command_usage (const LoomCliOptions *options,
               int                   argc,
               char                **argv)
{
  g_autoptr(LoomStore) store = NULL;
  g_autoptr(GArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *total_cost = NULL;
  LoomStory *story = NULL;
  LoomUsage total = { 0 };
  gint64 id;

  if (argc > 2 || (argc == 2 && !loom_cli_parse_id (argv[1], &id)))
    return loom_cli_usage_error (_("Usage: storyloom-cli usage [STORY_ID]"));

  store = loom_cli_open_store (options, &error);
  if (store == NULL)
    return loom_cli_user_error (error);
  if (argc == 2 && (story = loom_store_lookup_story (store, id)) == NULL)
    return loom_cli_not_found (LOOM_CLI_STORY, id);

  rows = loom_store_get_usage (store, story, &error);
  if (rows == NULL)
    return loom_cli_user_error (error);

  /* where, scene id, requests, prompt tokens, completion tokens, cost in US dollars */
  for (guint i = 0; i < rows->len; i++)
    {
      const LoomUsage *row = &g_array_index (rows, LoomUsage, i);
      g_autofree char *cost = format_cost (row->cost);
      g_autofree char *where = NULL;

      if (row->scene_id == 0)
        where = g_strdup ("story");
      else
        where = g_strdup_printf ("%u.%u", row->chapter_number, row->scene_number);

      g_print ("%s\t%" G_GINT64_FORMAT "\t%u\t%" G_GINT64_FORMAT "\t%" G_GINT64_FORMAT "\t%s\n",
               where, row->scene_id, row->requests, row->prompt_tokens, row->completion_tokens,
               cost);

      total.requests += row->requests;
      total.prompt_tokens += row->prompt_tokens;
      total.completion_tokens += row->completion_tokens;
      total.cost += MAX (row->cost, 0);
    }

  total_cost = format_cost (total.cost);
  g_print ("total\t-\t%u\t%" G_GINT64_FORMAT "\t%" G_GINT64_FORMAT "\t%s\n",
           total.requests, total.prompt_tokens, total.completion_tokens, total_cost);

  return LOOM_CLI_OK;
}

int
loom_cli_ai (const LoomCliOptions  *options,
             int                    argc,
             char                 **argv)
{
  g_autofree char *message = NULL;

  g_return_val_if_fail (argc >= 1, LOOM_CLI_USAGE);

  if (g_str_equal (argv[0], "models"))
    return command_models (options, argc, argv);
  if (g_str_equal (argv[0], "prompt"))
    return command_prompt (options, argc, argv);
  if (g_str_equal (argv[0], "generate"))
    return command_generate (options, argc, argv);
  if (g_str_equal (argv[0], "outline") || g_str_equal (argv[0], "characters"))
    return command_structured (options, argc, argv);
  if (g_str_equal (argv[0], "usage"))
    return command_usage (options, argc, argv);
  if (g_str_equal (argv[0], "revise"))
    return loom_cli_revise (options, argc, argv);

  message = g_strdup_printf (_("The command “%s” is not available yet."), argv[0]);
  return loom_cli_usage_error (message);
}
