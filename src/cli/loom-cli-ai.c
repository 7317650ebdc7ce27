/* loom-cli-ai.c: the commands that talk to the model (models, for now)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "loom-ai-client.h"
#include "loom-api-key.h"
#include "loom-cli.h"
#include "loom-prompt.h"
#include "loom-scene.h"
#include "loom-store.h"

static const char *const ai_commands[] = {
  "models", "generate", "outline", "characters", "prompt", "usage", NULL
};

gboolean
loom_cli_is_ai_command (const char *name)
{
  return name != NULL && g_strv_contains (ai_commands, name);
}

static int
usage_error (const char *message)
{
  loom_cli_print_error (message);
  return LOOM_CLI_USAGE;
}

static int
user_error (const GError *error)
{
  loom_cli_print_error (error->message);
  return LOOM_CLI_ERROR;
}

/* The CLI is synchronous: run the main context until an async call has answered. */
static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
}

/* Settings come from the environment, then the command line. */
static LoomAiClient *
make_client (const LoomCliOptions *options)
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
G_GNUC_UNUSED static gboolean
find_key (LoomAiClient  *client,
          GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *key = NULL;

  if (loom_ai_client_get_has_api_key (client))
    return TRUE;

  loom_api_key_lookup_async (NULL, store_result_cb, &result);
  wait_for (&result);
  key = loom_api_key_lookup_finish (result, NULL, &local_error);
  if (key != NULL)
    {
      loom_ai_client_set_api_key (client, key);
      memset (key, 0, strlen (key));
    }

  /* the client decides whether no key is acceptable (loopback) and says so in its words */
  return loom_ai_client_check (client, error);
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

static int
command_models (const LoomCliOptions *options,
                int                   argc,
                char                **argv)
{
  g_autoptr(LoomAiClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GError) error = NULL;

  if (argc > 1)
    return usage_error (_("Usage: storyloom-cli models (it takes no arguments)."));

  client = make_client (options);
  loom_ai_client_list_models_async (client, NULL, store_result_cb, &result);
  wait_for (&result);

  models = loom_ai_client_list_models_finish (client, result, &error);
  if (models == NULL)
    return user_error (error);

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

static gboolean
parse_id (const char *text,
          gint64     *id)
{
  guint64 value;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &value, NULL))
    return FALSE;
  *id = (gint64) value;
  return TRUE;
}

static LoomStore *
open_store (const LoomCliOptions  *options,
            GError               **error)
{
  g_autofree char *path = loom_store_resolve_path (options->db_path);

  return loom_store_open (path, error);
}

/* The messages that would be sent for a scene, as JSON; the token estimate on stderr. */
static int
command_prompt (const LoomCliOptions *options,
                int                   argc,
                char                **argv)
{
  g_autoptr(LoomStore) store = NULL;
  g_autoptr(LoomPrompt) prompt = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  LoomScene *scene;
  gint64 id;

  if (argc != 2 || !parse_id (argv[1], &id))
    return usage_error (_("Usage: storyloom-cli prompt SCENE_ID"));

  store = open_store (options, &error);
  if (store == NULL)
    return user_error (error);

  scene = loom_store_lookup_scene (store, id);
  if (scene == NULL)
    {
      g_autofree char *message =
        g_strdup_printf (_("There is no scene with id %" G_GINT64_FORMAT " in this library."), id);

      loom_cli_print_error (message);
      return LOOM_CLI_ERROR;
    }

  prompt = loom_prompt_new_for_scene (scene, NULL, &error);
  if (prompt == NULL)
    return user_error (error);

  json = loom_prompt_to_json (prompt);
  g_print ("%s\n", json);
  g_printerr (_("About %u prompt tokens.\n"), loom_prompt_get_token_estimate (prompt));

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

  message = g_strdup_printf (_("The command “%s” is not available yet."), argv[0]);
  return usage_error (message);
}
