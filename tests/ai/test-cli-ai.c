/* test-cli-ai.c: storyloom-cli's AI commands against the mock server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-cli-ai"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <signal.h>
#include <json-glib/json-glib.h>

#include "loom-chapter.h"
#include "loom-mock-server.h"
#include "loom-model-catalog.h"
#include "loom-revision.h"
#include "loom-scene.h"
#include "loom-store.h"
#include "loom-store-summaries.h"
#include "loom-story.h"
#include "test-util.h"

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

static void
communicate_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Whether the next run_cli () turns the CLI's debug messages on. Only the CLI's environment
 * gets G_MESSAGES_DEBUG: in ours, GLib's own debug lines would reach stdout, our TAP stream. */
static gboolean cli_debug;

/* Runs the CLI with @env_base as STORYLOOM_API_BASE (NULL: unset), serving the mock meanwhile. */
static void
run_cli (const char  *env_base,
         Run         *run,
         const char  *first_arg,
         ...)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("STORYLOOM_CLI");
  va_list ap;

  if (cli == NULL)
    {
      g_test_skip ("STORYLOOM_CLI is not set");
      return;
    }

  g_ptr_array_add (args, (char *) cli);
  va_start (ap, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  if (env_base != NULL)
    g_subprocess_launcher_setenv (launcher, "STORYLOOM_API_BASE", env_base, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "STORYLOOM_API_BASE");
  g_subprocess_launcher_unsetenv (launcher, "OPENROUTER_API_KEY");
  /* never a real keyring from a test */
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS",
                                "unix:path=/nonexistent/storyloom-test-bus", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "STORYLOOM_MODEL");
  if (cli_debug)
    g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "G_MESSAGES_DEBUG");

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
  g_assert_no_error (error);

  g_subprocess_communicate_utf8_async (process, NULL, NULL, communicate_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_subprocess_communicate_utf8_finish (process, result, &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_exit_status (process);
}

static void
test_models (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomMockServer) server = loom_mock_server_new (&error);
  g_auto(Run) run = { 0 };
  g_auto(GStrv) lines = NULL;

  g_assert_no_error (error);
  run_cli (loom_mock_server_get_base_url (server), &run, "models", NULL);
  if (g_test_failed () || run.out == NULL)
    return;

  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  lines = g_strsplit (run.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4); /* and the empty string after the last \n */
  g_assert_cmpstr (lines[0], ==,
                   "anthropic/claude-3.5-sonnet\tAnthropic: Claude 3.5 Sonnet\t200000\t"
                   "0.000003\t0.000015");
  g_assert_cmpstr (lines[1], ==, "mock/tiny\tMock: Tiny\t8192\t0\t0");
  g_assert_cmpstr (lines[2], ==, "mock/no-name\tmock/no-name\t32768\t0.0000005\t0.0000015");
  g_assert_cmpstr (lines[3], ==, "");
}

/* With debug messages on, `$(storyloom-cli models)` still captures the models alone: the
 * messages go to stderr (issue 11). */
static void
test_debug_on_stderr (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomMockServer) server = loom_mock_server_new (&error);
  g_auto(Run) quiet = { 0 };
  g_auto(Run) debug = { 0 };

  g_assert_no_error (error);
  run_cli (loom_mock_server_get_base_url (server), &quiet, "models", NULL);
  if (g_test_failed () || quiet.out == NULL)
    return;

  cli_debug = TRUE;
  run_cli (loom_mock_server_get_base_url (server), &debug, "models", NULL);
  cli_debug = FALSE;

  g_assert_cmpint (debug.status, ==, 0);
  g_assert_cmpstr (debug.out, ==, quiet.out);
  g_assert_nonnull (strstr (debug.err, "HTTP 200"));
}

static void
test_api_base_flag (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomMockServer) server = loom_mock_server_new (&error);
  g_auto(Run) run = { 0 };

  /* the flag wins over the environment */
  run_cli ("https://nowhere.invalid/api/v1", &run,
           "--api-base", loom_mock_server_get_base_url (server), "models", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpuint (loom_mock_server_get_model_requests (server)->len, ==, 1);
}

/* models --refresh keeps the list in the library, where the estimates read the prices;
 * without it the library is not opened. */
static void
test_models_refresh (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomMockServer) server = loom_mock_server_new (&error);
  g_autofree char *dir = g_dir_make_tmp ("storyloom-cli-ai-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "library.db", NULL);
  g_auto(Run) plain = { 0 };
  g_auto(Run) refresh = { 0 };
  g_auto(Run) wrong = { 0 };

  run_cli (loom_mock_server_get_base_url (server), &plain, "--db", path, "models", NULL);
  g_assert_cmpint (plain.status, ==, 0);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  run_cli (loom_mock_server_get_base_url (server), &refresh, "--db", path, "models", "--refresh",
           NULL);
  g_assert_cmpint (refresh.status, ==, 0);
  g_assert_cmpstr (refresh.out, ==, plain.out);
  {
    g_autoptr(LoomStore) store = loom_store_open (path, &error);
    g_autoptr(LoomAiClient) client = loom_ai_client_new (NULL);
    g_autoptr(LoomAiModelInfo) info = NULL;
    g_autoptr(LoomAiModelInfo) tiny = NULL;

    g_assert_no_error (error);
    loom_ai_client_set_base_url (client, loom_mock_server_get_base_url (server));
    info = loom_model_catalog_lookup (store, client, "anthropic/claude-3.5-sonnet");
    g_assert_nonnull (info);
    g_assert_cmpint (info->context_length, ==, 200000);
    g_assert_cmpfloat_with_epsilon (info->completion_price, 0.000015, 1e-12);
    tiny = loom_model_catalog_lookup (store, client, "mock/tiny");
    g_assert_nonnull (tiny);
    loom_store_close (store);
    test_remove_tree (dir);
  }

  run_cli (loom_mock_server_get_base_url (server), &wrong, "models", "--fresh", NULL);
  g_assert_cmpint (wrong.status, ==, 2);
  g_assert_nonnull (strstr (wrong.err, "--refresh"));
}

static void
test_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomMockServer) server = loom_mock_server_new (&error);
  g_autoptr(LoomMockResponse) response = loom_mock_response_new ();
  g_auto(Run) plain = { 0 };
  g_auto(Run) failed = { 0 };
  g_auto(Run) extra = { 0 };
  g_auto(Run) later = { 0 };

  run_cli ("http://example.com/api/v1", &plain, "models", NULL);
  g_assert_cmpint (plain.status, ==, 1);
  g_assert_nonnull (strstr (plain.err, "https"));
  g_assert_cmpstr (plain.out, ==, "");

  response->status = 503;
  response->retry_after = 0; /* retried at once, so the test stays fast */
  response->error_message = g_strdup ("Down for maintenance");
  for (guint i = 0; i < 4; i++)
    loom_mock_server_push_models (server, loom_mock_response_copy (response));
  run_cli (loom_mock_server_get_base_url (server), &failed, "models", NULL);
  g_assert_cmpint (failed.status, ==, 1);
  g_assert_nonnull (strstr (failed.err, "Down for maintenance"));
  /* the CLI's client retries 503 like the app's */
  g_assert_cmpuint (loom_mock_server_get_model_requests (server)->len, ==, 4);

  run_cli (NULL, &extra, "models", "extra", NULL);
  g_assert_cmpint (extra.status, ==, 2);

  run_cli (NULL, &later, "usage", "1", "2", NULL);
  g_assert_cmpint (later.status, ==, 2);
}

/* budget sets and prints the limits; generate refuses exactly the scene that would cross the
 * story's limit, says which limit and what was spent, and exits with status 3. */
static void
test_budget (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomMockServer) server = loom_mock_server_new (&error);
  g_autofree char *dir = g_dir_make_tmp ("storyloom-cli-ai-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "library.db", NULL);
  g_autofree char *story_id = NULL;
  g_autofree char *scene_id = NULL;
  const char *base = NULL;
  g_auto(Run) set = { 0 };
  g_auto(Run) refused = { 0 };
  g_auto(Run) shown = { 0 };
  g_auto(Run) removed = { 0 };
  g_auto(Run) allowed = { 0 };
  g_auto(Run) bad = { 0 };
  g_auto(Run) ask = { 0 };
  g_auto(Run) asked = { 0 };
  g_auto(Run) confirmed = { 0 };
  g_auto(Run) characters = { 0 };

  g_assert_no_error (error);
  base = loom_mock_server_get_base_url (server);
  {
    g_autoptr(LoomStore) store = loom_store_open (path, &error);
    LoomStory *story;
    LoomChapter *chapter;
    LoomScene *scene;

    g_assert_no_error (error);
    story = loom_store_create_story (store, "Salt", "A caravan crosses the flats.", NULL, &error);
    chapter = loom_store_add_chapter (store, story, LOOM_POSITION_END, "Dust", &error);
    scene = loom_store_add_scene (store, chapter, LOOM_POSITION_END, "Ines counts the camels.",
                                  &error);
    g_assert_no_error (error);
    story_id = g_strdup_printf ("%" G_GINT64_FORMAT, loom_story_get_id (story));
    scene_id = g_strdup_printf ("%" G_GINT64_FORMAT, loom_scene_get_id (scene));
    loom_store_close (store);
  }

  /* a scene's estimate is about 1,334 answer tokens at $15 per million: about $0.02 */
  run_cli (base, &set, "--db", path, "budget", story_id, "--limit", "0.01", "--monthly", "5",
           NULL);
  g_assert_cmpint (set.status, ==, 0);
  g_assert_cmpstr (set.out, ==, "story\t0.000000\t0.010000\nmonth\t0.000000\t5.000000\n"
                   "ask-above\t-\t-\n");

  run_cli (base, &refused, "--db", path, "generate", "--scene", scene_id, NULL);
  g_assert_cmpint (refused.status, ==, 3);
  g_assert_nonnull (strstr (refused.err, "“Salt” has spent $0 of its $0.0100 limit"));
  g_assert_cmpuint (loom_mock_server_get_n_requests (server), ==, 0);

  run_cli (base, &removed, "--db", path, "budget", story_id, "--limit", "none", NULL);
  g_assert_cmpint (removed.status, ==, 0);
  g_assert_cmpstr (removed.out, ==, "story\t0.000000\t-\nmonth\t0.000000\t5.000000\n"
                   "ask-above\t-\t-\n");
  run_cli (base, &allowed, "--db", path, "generate", "--scene", scene_id, NULL);
  g_assert_cmpint (allowed.status, ==, 0);
  g_assert_cmpuint (loom_mock_server_get_n_requests (server), ==, 1);

  run_cli (base, &shown, "--db", path, "budget", NULL);
  g_assert_cmpint (shown.status, ==, 0);
  g_assert_true (g_str_has_prefix (shown.out, "month\t0.0"));
  g_assert_false (g_str_has_prefix (shown.out, "month\t0.000000"));

  run_cli (base, &bad, "--db", path, "budget", "--limit", "3", NULL);
  g_assert_cmpint (bad.status, ==, 2);

  /* Above the threshold a paid command prints its estimate, sends nothing and exits with 4;
   * --yes spends it. */
  run_cli (base, &ask, "--db", path, "budget", "--ask-above", "0.001", NULL);
  g_assert_cmpint (ask.status, ==, 0);
  g_assert_true (g_str_has_suffix (ask.out, "ask-above\t-\t0.001000\n"));
  run_cli (base, &asked, "--db", path, "generate", "--scene", scene_id, NULL);
  g_assert_cmpint (asked.status, ==, 4);
  g_assert_nonnull (strstr (asked.err, "Estimate: 1 request, about $0.0"));
  g_assert_nonnull (strstr (asked.err, "with --yes"));
  g_assert_cmpuint (loom_mock_server_get_n_requests (server), ==, 1);
  run_cli (base, &confirmed, "--db", path, "generate", "--scene", scene_id, "--yes", NULL);
  g_assert_cmpint (confirmed.status, ==, 0);
  g_assert_nonnull (strstr (confirmed.err, "Estimate: 1 request, about $0.0"));
  g_assert_cmpuint (loom_mock_server_get_n_requests (server), ==, 2);
  run_cli (base, &characters, "--db", path, "characters", story_id, NULL);
  g_assert_cmpint (characters.status, ==, 4);
  g_assert_cmpuint (loom_mock_server_get_n_requests (server), ==, 2);

  test_remove_tree (dir);
}

/* A library where nobody chose asks above $0.10: a chapter of five scenes is refused without
 * --yes, one scene goes. A model of unknown price is refused with what to do, until it is
 * accepted on this server; then it goes without a question, within a limit too. */
static void
test_budget_defaults (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomMockServer) server = loom_mock_server_new (&error);
  g_autofree char *suite = g_strdup (g_getenv ("STORYLOOM_TEST_ASK_ABOVE"));
  g_autofree char *dir = g_dir_make_tmp ("storyloom-cli-ai-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "library.db", NULL);
  g_autofree char *story_id = NULL;
  g_autofree char *chapter_id = NULL;
  g_autofree char *first_id = NULL;
  g_autofree char *second_id = NULL;
  const char *base = NULL;
  g_auto(Run) shown = { 0 };
  g_auto(Run) chapter = { 0 };
  g_auto(Run) one = { 0 };
  g_auto(Run) unknown = { 0 };
  g_auto(Run) accept = { 0 };
  g_auto(Run) limit = { 0 };
  g_auto(Run) sent = { 0 };
  g_auto(Run) elsewhere = { 0 };
  g_auto(Run) taken_back = { 0 };
  g_auto(Run) asked = { 0 };

  g_assert_no_error (error);
  base = loom_mock_server_get_base_url (server);
  {
    g_autoptr(LoomStore) store = loom_store_open (path, &error);
    LoomStory *story;
    LoomChapter *dust;

    g_assert_no_error (error);
    story = loom_store_create_story (store, "Salt", "A caravan crosses the flats.", NULL, &error);
    dust = loom_store_add_chapter (store, story, LOOM_POSITION_END, "Dust", &error);
    for (guint i = 0; i < 5; i++)
      {
        g_autofree char *outline = g_strdup_printf ("Ines counts the camels, day %u.", i + 1);
        LoomScene *scene = loom_store_add_scene (store, dust, LOOM_POSITION_END, outline,
                                                 &error);

        g_assert_no_error (error);
        if (i == 0)
          first_id = g_strdup_printf ("%" G_GINT64_FORMAT, loom_scene_get_id (scene));
        else if (i == 1)
          second_id = g_strdup_printf ("%" G_GINT64_FORMAT, loom_scene_get_id (scene));
      }
    story_id = g_strdup_printf ("%" G_GINT64_FORMAT, loom_story_get_id (story));
    chapter_id = g_strdup_printf ("%" G_GINT64_FORMAT, loom_chapter_get_id (dust));
    loom_store_close (store);
  }

  g_unsetenv ("STORYLOOM_TEST_ASK_ABOVE");
  run_cli (base, &shown, "--db", path, "budget", NULL);
  g_assert_cmpint (shown.status, ==, 0);
  g_assert_true (g_str_has_suffix (shown.out, "ask-above\t-\t0.100000\n"));

  run_cli (base, &chapter, "--db", path, "generate", "--chapter", chapter_id, NULL);
  g_assert_cmpint (chapter.status, ==, 4);
  g_assert_nonnull (strstr (chapter.err, "Estimate: 5 requests, about $0.1"));
  g_assert_nonnull (strstr (chapter.err, "above $0.1000"));
  g_assert_cmpuint (loom_mock_server_get_n_requests (server), ==, 0);

  run_cli (base, &one, "--db", path, "generate", "--scene", first_id, NULL);
  g_assert_cmpint (one.status, ==, 0);
  g_assert_cmpuint (loom_mock_server_get_n_requests (server), ==, 1);

  run_cli (base, &unknown, "--db", path, "--model", "mock/unlisted", "generate", "--scene",
           second_id, NULL);
  g_assert_cmpint (unknown.status, ==, 4);
  g_assert_nonnull (strstr (unknown.err, "unknown price with mock/unlisted"));
  g_assert_nonnull (strstr (unknown.err, "The price of “mock/unlisted” is unknown"));
  g_assert_nonnull (strstr (unknown.err,
                            "“storyloom-cli budget --accept-unknown-price mock/unlisted”"));
  g_assert_cmpuint (loom_mock_server_get_n_requests (server), ==, 1);

  run_cli (base, &accept, "--db", path, "budget", "--accept-unknown-price", "mock/unlisted",
           NULL);
  g_assert_cmpint (accept.status, ==, 0);
  g_assert_nonnull (strstr (accept.err, "“mock/unlisted” on "));
  /* the budget lists it, on this server only */
  g_assert_true (g_str_has_suffix (accept.out, "ask-above\t-\t0.100000\n"
                                               "accept-unknown-price\t-\tmock/unlisted\n"));
  run_cli (base, &elsewhere, "--db", path, "--api-base", "http://localhost:11434/v1", "budget",
           NULL);
  g_assert_cmpint (elsewhere.status, ==, 0);
  g_assert_true (g_str_has_suffix (elsewhere.out, "ask-above\t-\t0.100000\n"));
  run_cli (base, &limit, "--db", path, "budget", story_id, "--limit", "5", NULL);
  g_assert_cmpint (limit.status, ==, 0);
  run_cli (base, &sent, "--db", path, "--model", "mock/unlisted", "generate", "--scene",
           second_id, NULL);
  g_assert_cmpint (sent.status, ==, 0);
  g_assert_cmpuint (loom_mock_server_get_n_requests (server), ==, 2);

  /* taken back: listed no more, and asked about again */
  run_cli (base, &taken_back, "--db", path, "budget", "--ask-unknown-price", "mock/unlisted",
           NULL);
  g_assert_cmpint (taken_back.status, ==, 0);
  g_assert_true (g_str_has_suffix (taken_back.out, "ask-above\t-\t0.100000\n"));
  run_cli (base, &asked, "--db", path, "--model", "mock/unlisted", "generate", "--scene",
           second_id, NULL);
  g_assert_cmpint (asked.status, ==, 4);
  g_assert_nonnull (strstr (asked.err, "--accept-unknown-price mock/unlisted"));
  g_assert_cmpuint (loom_mock_server_get_n_requests (server), ==, 2);

  if (suite != NULL)
    g_setenv ("STORYLOOM_TEST_ASK_ABOVE", suite, TRUE);
  test_remove_tree (dir);
}

static void
test_prompt (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("storyloom-cli-ai-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "library.db", NULL);
  g_autofree char *scene_id = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(Run) run = { 0 };
  g_auto(Run) set = { 0 };
  g_auto(Run) small = { 0 };
  g_auto(Run) wrong = { 0 };
  g_auto(Run) unparsed = { 0 };
  g_auto(Run) automatic = { 0 };
  g_auto(Run) missing = { 0 };
  g_auto(Run) bad = { 0 };

  {
    g_autoptr(LoomStore) store = loom_store_open (path, &error);
    LoomStory *story;
    LoomChapter *chapter;
    LoomScene *first;
    LoomScene *scene;

    g_assert_no_error (error);
    story = loom_store_create_story (store, "Salt", "A caravan crosses the flats.", NULL, &error);
    chapter = loom_store_add_chapter (store, story, LOOM_POSITION_END, "Dust", &error);
    first = loom_store_add_scene (store, chapter, LOOM_POSITION_END, "The caravan sets out.",
                                  &error);
    loom_scene_set_prose (first, "The caravan left at dawn.", &error);
    loom_store_set_summary (store, first, "The caravan leaves the oasis.", NULL,
                            LOOM_SUMMARY_WRITER, NULL, NULL, &error);
    scene = loom_store_add_scene (store, chapter, LOOM_POSITION_END, "Ines counts the camels.",
                                  &error);
    loom_store_add_character (store, story, "Ines", "the caravan master", NULL, &error);
    g_assert_no_error (error);
    scene_id = g_strdup_printf ("%" G_GINT64_FORMAT, loom_scene_get_id (scene));
    loom_store_close (store);
  }

  run_cli (NULL, &run, "--db", path, "prompt", scene_id, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (json_parser_get_root (parser))),
                    ==, 2);
  g_assert_nonnull (strstr (run.out, "Ines counts the camels."));
  g_assert_nonnull (strstr (run.out, "characters[1]{name,traits,backstory}"));
  g_assert_nonnull (strstr (run.err, "prompt tokens"));
  /* what the prompt remembers, on stderr */
  g_assert_nonnull (strstr (run.out, "The caravan leaves the oasis."));
  g_assert_nonnull (strstr (run.err, "Chapter 1, “Dust”: summaries of the earlier scenes — "
                                     "included: 1 scene\n"));
  g_assert_nonnull (strstr (run.err, "End of the previous scene — included: its last 5 words"));
  g_assert_nonnull (strstr (run.err, "tokens (automatic;"));

  /* the library's budget: set, shown, used, and back to automatic */
  run_cli (NULL, &set, "--db", path, "settings", "--context-budget", "1200", NULL);
  g_assert_cmpint (set.status, ==, 0);
  g_assert_cmpstr (set.out, ==, "context-budget\t1200\tset\n");
  run_cli (NULL, &small, "--db", path, "prompt", scene_id, NULL);
  g_assert_cmpint (small.status, ==, 0);
  g_assert_nonnull (strstr (small.err, "Context budget: 1"));
  g_assert_null (strstr (small.err, "automatic"));
  run_cli (NULL, &wrong, "--db", path, "settings", "--context-budget", "12", NULL);
  g_assert_cmpint (wrong.status, ==, 1);
  g_assert_nonnull (strstr (wrong.err, "from 1000 to 1000000 tokens"));
  run_cli (NULL, &unparsed, "--db", path, "settings", "--context-budget", "many", NULL);
  g_assert_cmpint (unparsed.status, ==, 2);
  run_cli (NULL, &automatic, "--db", path, "settings", "--context-budget", "auto", NULL);
  g_assert_cmpint (automatic.status, ==, 0);
  g_assert_cmpstr (automatic.out, ==, "context-budget\t8000\tauto\n");

  run_cli (NULL, &missing, "--db", path, "prompt", "999", NULL);
  g_assert_cmpint (missing.status, ==, 1);
  run_cli (NULL, &bad, "--db", path, "prompt", "x", NULL);
  g_assert_cmpint (bad.status, ==, 2);

  test_remove_tree (dir);
}

/* A library with one story: two chapters, three scenes. */
typedef struct
{
  char           *dir;
  char           *path;
  char           *story_id;
  char           *chapter_id;
  char           *scene_id;     /* the second scene of the first chapter */
  char           *empty_story;  /* a story without chapters */
  LoomMockServer *server;
} Library;

static char *
id_string (gint64 id)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, id);
}

static void
library_set_up (Library       *l,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomStore) store = NULL;
  LoomStory *story;
  LoomStory *empty;
  LoomChapter *one;
  LoomChapter *two;
  LoomScene *scene;

  store = test_library_open ("storyloom-cli-ai-XXXXXX", &l->dir, &l->path);

  story = loom_store_create_story (store, "Salt", "A caravan crosses the flats.", NULL, &error);
  one = loom_store_add_chapter (store, story, LOOM_POSITION_END, "Dust", &error);
  two = loom_store_add_chapter (store, story, LOOM_POSITION_END, "Water", &error);
  loom_store_add_scene (store, one, LOOM_POSITION_END, "Ines counts the camels.", &error);
  scene = loom_store_add_scene (store, one, LOOM_POSITION_END, "A storm hides the road.", &error);
  loom_store_add_scene (store, two, LOOM_POSITION_END, "They reach the city.", &error);
  empty = loom_store_create_story (store, "The Lamplighter", "A woman returns home.", NULL,
                                   &error);
  g_assert_no_error (error);

  l->story_id = id_string (loom_story_get_id (story));
  l->chapter_id = id_string (loom_chapter_get_id (one));
  l->scene_id = id_string (loom_scene_get_id (scene));
  l->empty_story = id_string (loom_story_get_id (empty));
  loom_store_close (store);

  l->server = loom_mock_server_new (&error);
  g_assert_no_error (error);
}

static void
library_tear_down (Library       *l,
                   gconstpointer  data)
{
  g_clear_object (&l->server);
  test_remove_tree (l->dir);
  g_free (l->dir);
  g_free (l->path);
  g_free (l->story_id);
  g_free (l->chapter_id);
  g_free (l->scene_id);
  g_free (l->empty_story);
}

static guint
count_lines_with (const char *text,
                  const char *needle)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    n += strstr (lines[i], needle) != NULL;

  return n;
}

static void
test_generate_scene (Library       *l,
                     gconstpointer  data)
{
  const char *base = loom_mock_server_get_base_url (l->server);
  g_auto(Run) chapter = { 0 };
  g_auto(Run) again = { 0 };
  g_auto(Run) story = { 0 };
  g_auto(Run) usage = { 0 };
  g_auto(Run) show = { 0 };

  /* the first chapter, one scene at a time: the second waits its turn */
  run_cli (base, &chapter, "--db", l->path, "generate", "--chapter", l->chapter_id,
           "--jobs", "1", NULL);
  g_test_message ("%s", chapter.err);
  g_assert_cmpint (chapter.status, ==, 0);
  g_assert_cmpuint (count_lines_with (chapter.err, ": generating"), ==, 2);
  g_assert_cmpuint (count_lines_with (chapter.err, ": queued"), ==, 1);
  g_assert_cmpuint (count_lines_with (chapter.err, ": complete"), ==, 2);
  g_assert_cmpuint (loom_mock_server_get_max_in_flight (l->server), ==, 1);

  /* nothing left to do in that chapter */
  run_cli (base, &again, "--db", l->path, "generate", "--chapter", l->chapter_id, NULL);
  g_assert_cmpint (again.status, ==, 0);
  g_assert_nonnull (strstr (again.err, "Nothing to generate"));

  /* the story: only the scene without prose */
  run_cli (base, &story, "--db", l->path, "generate", "--story", l->story_id, NULL);
  g_assert_cmpint (story.status, ==, 0);
  g_assert_cmpuint (count_lines_with (story.err, ": complete"), ==, 1);
  g_assert_cmpuint (loom_mock_server_get_n_requests (l->server), ==, 3);

  run_cli (base, &show, "--db", l->path, "show", l->story_id, NULL);
  g_assert_cmpint (show.status, ==, 0);
  g_assert_cmpuint (count_lines_with (show.out, "[complete"), ==, 3);

  /* a line a scene, then the total: where, scene id, requests, tokens in, out, cost */
  run_cli (base, &usage, "--db", l->path, "usage", l->story_id, NULL);
  g_assert_cmpint (usage.status, ==, 0);
  g_assert_cmpuint (count_lines_with (usage.out, "\t"), ==, 4);
  g_assert_true (g_str_has_prefix (usage.out, "1.1\t"));
  g_assert_nonnull (strstr (usage.out, "\ntotal\t-\t3\t"));
}

static void
test_generate_errors (Library       *l,
                      gconstpointer  data)
{
  const char *base = loom_mock_server_get_base_url (l->server);
  LoomMockResponse *refused = loom_mock_response_new ();
  g_auto(Run) failed = { 0 };
  g_auto(Run) no_target = { 0 };
  g_auto(Run) bad_jobs = { 0 };
  g_auto(Run) missing = { 0 };
  g_auto(Run) no_key = { 0 };

  refused->status = 401;
  refused->error_message = g_strdup ("User not found");
  loom_mock_server_push (l->server, refused);
  run_cli (base, &failed, "--db", l->path, "generate", "--scene", l->scene_id, NULL);
  g_test_message ("%s", failed.err);
  g_assert_cmpint (failed.status, ==, 1);
  g_assert_nonnull (strstr (failed.err, ": error: "));
  g_assert_nonnull (strstr (failed.err, "1 scene did not complete"));
  g_assert_nonnull (strstr (failed.err, "User not found"));

  run_cli (base, &no_target, "--db", l->path, "generate", "--jobs", "2", NULL);
  g_assert_cmpint (no_target.status, ==, 2);
  run_cli (base, &bad_jobs, "--db", l->path, "generate", "--scene", l->scene_id, "--jobs", "0",
           NULL);
  g_assert_cmpint (bad_jobs.status, ==, 2);
  run_cli (base, &missing, "--db", l->path, "generate", "--scene", "9999", NULL);
  g_assert_cmpint (missing.status, ==, 1);

  /* OpenRouter without a key: said before any request, with where to set it */
  run_cli ("https://openrouter.ai/api/v1", &no_key, "--db", l->path, "generate", "--scene",
           l->scene_id, NULL);
  g_assert_cmpint (no_key.status, ==, 1);
  g_assert_nonnull (strstr (no_key.err, "OPENROUTER_API_KEY"));
  g_assert_null (strstr (no_key.err, "generating"));
}

static void
test_outline_characters (Library       *l,
                         gconstpointer  data)
{
  const char *base = loom_mock_server_get_base_url (l->server);
  g_auto(Run) outline = { 0 };
  g_auto(Run) again = { 0 };
  g_auto(Run) characters = { 0 };
  g_auto(Run) show = { 0 };

  /* the unscripted mock answers these requests with TOON */
  run_cli (base, &outline, "--db", l->path, "outline", l->empty_story, NULL);
  g_test_message ("%s%s", outline.out, outline.err);
  g_assert_cmpint (outline.status, ==, 0);
  g_assert_nonnull (strstr (outline.out, "3 chapters with 7 scenes"));

  run_cli (base, &again, "--db", l->path, "outline", l->empty_story, NULL);
  g_assert_cmpint (again.status, ==, 1);

  run_cli (base, &characters, "--db", l->path, "characters", l->empty_story, NULL);
  g_assert_cmpint (characters.status, ==, 0);
  g_assert_nonnull (strstr (characters.out, "3 characters"));

  run_cli (base, &show, "--db", l->path, "show", l->empty_story, NULL);
  g_assert_nonnull (strstr (show.out, "The Night Ferry"));
  g_assert_nonnull (strstr (show.out, "Ambrose Kell"));
}

/* summarize: the unscripted mock answers with a summary in TOON */
static void
test_summarize (Library       *l,
                gconstpointer  data)
{
  const char *base = loom_mock_server_get_base_url (l->server);
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomStore) store = loom_store_open (l->path, &error);
  g_auto(Run) story = { 0 };
  g_auto(Run) again = { 0 };
  g_auto(Run) one = { 0 };
  g_auto(Run) show = { 0 };
  g_auto(Run) missing = { 0 };
  g_auto(Run) bad = { 0 };
  g_autofree char *other_id = NULL;
  LoomScene *scene;
  gint64 id;

  g_assert_no_error (error);
  id = g_ascii_strtoll (l->scene_id, NULL, 10);
  scene = loom_store_lookup_scene (store, id);
  g_assert_true (loom_scene_set_prose (scene, "The storm came down on the road.", &error));
  scene = loom_store_lookup_scene (store, id - 1);
  g_assert_true (loom_scene_set_prose (scene, "Ines counted forty camels.", &error));
  g_assert_no_error (error);
  other_id = id_string (id - 1);
  loom_store_close (store);

  run_cli (base, &story, "--db", l->path, "summarize", "--story", l->story_id, NULL);
  g_test_message ("%s%s", story.out, story.err);
  g_assert_cmpint (story.status, ==, 0);
  g_assert_nonnull (strstr (story.out, "Summarized 2 scenes"));
  g_assert_nonnull (strstr (story.err, "(2 of 2)"));
  g_assert_cmpuint (loom_mock_server_get_n_requests (l->server), ==, 2);

  run_cli (base, &again, "--db", l->path, "summarize", "--story", l->story_id, NULL);
  g_assert_cmpint (again.status, ==, 0);
  g_assert_nonnull (strstr (again.out, "current summary"));
  g_assert_cmpuint (loom_mock_server_get_n_requests (l->server), ==, 2);

  run_cli (base, &one, "--db", l->path, "summarize", "--scene", other_id, NULL);
  g_assert_cmpint (one.status, ==, 0);
  g_assert_cmpuint (loom_mock_server_get_n_requests (l->server), ==, 3);

  run_cli (base, &show, "--db", l->path, "show", l->story_id, "--json", NULL);
  g_assert_cmpint (show.status, ==, 0);
  g_assert_nonnull (strstr (show.out, "\"text\":\"She comes home on the last ferry"));
  g_assert_nonnull (strstr (show.out, "\"Ambrose Kell, the lamplighter, is still alive.\""));
  g_assert_nonnull (strstr (show.out, "\"origin\":\"generated\""));
  g_assert_nonnull (strstr (show.out, "\"summary\":null"));

  run_cli (base, &missing, "--db", l->path, "summarize", "--scene", "9999", NULL);
  g_assert_cmpint (missing.status, ==, 1);
  run_cli (base, &bad, "--db", l->path, "summarize", "--chapter", l->chapter_id, NULL);
  g_assert_cmpint (bad.status, ==, 2);
  g_assert_cmpuint (loom_mock_server_get_n_requests (l->server), ==, 3);
}

static gboolean
quit_after_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;

  return G_SOURCE_REMOVE;
}

/* Ctrl-C while a scene streams: the scene is as before and what was written is a revision. */
static void
test_generate_interrupt (Library       *l,
                         gconstpointer  data)
{
  g_autoptr(LoomMockResponse) slow = loom_mock_response_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomStore) store = NULL;
  g_autoptr(GListModel) revisions = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *cli = g_getenv ("STORYLOOM_CLI");
  gboolean waited = FALSE;
  LoomRevision *partial = NULL;
  LoomScene *scene;
  gint64 id;

  if (cli == NULL)
    {
      g_test_skip ("STORYLOOM_CLI is not set");
      return;
    }

  slow->n_deltas = 400;
  slow->delay_ms = 20;
  loom_mock_server_set_default (l->server, slow);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "STORYLOOM_API_BASE",
                                loom_mock_server_get_base_url (l->server), TRUE);
  g_subprocess_launcher_unsetenv (launcher, "OPENROUTER_API_KEY");
  process = g_subprocess_launcher_spawn (launcher, &error, cli, "--db", l->path, "generate",
                                         "--scene", l->scene_id, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, communicate_cb, &result);

  /* let some prose arrive, then interrupt */
  while (loom_mock_server_get_n_requests (l->server) == 0 && result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_timeout_add (300, quit_after_cb, &waited);
  while (!waited && result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (result);
  g_subprocess_send_signal (process, SIGINT);

  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_subprocess_communicate_utf8_finish (process, result, &out, &err, &error);
  g_assert_no_error (error);
  g_test_message ("%s", err);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);
  g_assert_nonnull (strstr (err, "Stopping"));
  g_assert_nonnull (strstr (err, ": cancelled"));

  store = loom_store_open (l->path, &error);
  g_assert_no_error (error);
  id = g_ascii_strtoll (l->scene_id, NULL, 10);
  scene = loom_store_lookup_scene (store, id);
  g_assert_nonnull (scene);
  g_assert_cmpint (loom_scene_get_status (scene), ==, LOOM_SCENE_STATUS_DRAFT);
  g_assert_cmpuint (loom_scene_get_word_count (scene), ==, 0);

  revisions = loom_store_list_revisions (store, scene, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (revisions); i++)
    {
      g_autoptr(LoomRevision) revision = g_list_model_get_item (revisions, i);

      if (loom_revision_get_origin (revision) == LOOM_REVISION_PARTIAL)
        partial = revision;
    }
  g_assert_nonnull (partial);
  g_assert_true (g_str_has_prefix (loom_revision_get_prose (partial), "The rain had"));
  loom_store_close (store);
}

/* Issue 11: `--jobs 8` really runs eight at once. libsoup allows two connections to a host
 * unless told otherwise, so the server counts what is in flight. */
static void
test_generate_jobs (Library       *l,
                    gconstpointer  data)
{
  const char *base = loom_mock_server_get_base_url (l->server);
  g_autoptr(LoomMockResponse) slow = loom_mock_response_new ();
  g_autoptr(LoomStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Run) run = { 0 };
  LoomStory *story;
  LoomChapter *chapter;
  gint64 id = g_ascii_strtoll (l->empty_story, NULL, 10);

  store = loom_store_open (l->path, &error);
  g_assert_no_error (error);
  story = loom_store_lookup_story (store, id);
  g_assert_nonnull (story);
  chapter = loom_store_add_chapter (store, story, LOOM_POSITION_END, "Lamps", &error);
  for (guint i = 0; i < 8; i++)
    loom_store_add_scene (store, chapter, LOOM_POSITION_END, "She lights a lamp.", &error);
  g_assert_no_error (error);
  loom_store_close (store);

  /* each answer takes a second, so that all eight overlap */
  slow->n_deltas = 20;
  slow->delay_ms = 50;
  loom_mock_server_set_default (l->server, slow);

  run_cli (base, &run, "--db", l->path, "generate", "--story", l->empty_story, "--jobs", "8",
           NULL);
  g_test_message ("%s", run.err);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpuint (count_lines_with (run.err, ": complete"), ==, 8);
  g_assert_cmpuint (loom_mock_server_get_max_in_flight (l->server), ==, 8);
}

/* Prose the writer typed is never replaced by the command line without --force (issue 13). */
static void
test_generate_over_writers_words (Library       *l,
                                  gconstpointer  data)
{
  const char *base = loom_mock_server_get_base_url (l->server);
  g_autoptr(GError) error = NULL;
  g_auto(Run) refused = { 0 };
  g_auto(Run) story = { 0 };
  g_auto(Run) forced = { 0 };

  {
    g_autoptr(LoomStore) store = loom_store_open (l->path, &error);
    gint64 id = g_ascii_strtoll (l->scene_id, NULL, 10);

    g_assert_no_error (error);
    g_assert_true (loom_scene_set_prose (loom_store_lookup_scene (store, id),
                                         "The storm is mine, typed word by word.", &error));
    g_assert_no_error (error);
    loom_store_close (store);
  }

  run_cli (base, &refused, "--db", l->path, "generate", "--scene", l->scene_id, NULL);
  g_test_message ("%s", refused.err);
  g_assert_cmpint (refused.status, ==, 1);
  g_assert_nonnull (strstr (refused.err, "8 words you wrote or edited"));
  g_assert_nonnull (strstr (refused.err, "--force"));
  g_assert_cmpuint (loom_mock_server_get_n_requests (l->server), ==, 0);

  /* A batch drafts the others and names the scene it left alone. */
  run_cli (base, &story, "--db", l->path, "generate", "--story", l->story_id, "--regenerate",
           NULL);
  g_test_message ("%s", story.err);
  g_assert_cmpint (story.status, ==, 0);
  g_assert_cmpuint (count_lines_with (story.err, ": skipped, it holds 8 words"), ==, 1);
  g_assert_cmpuint (count_lines_with (story.err, ": complete"), ==, 2);
  g_assert_cmpuint (loom_mock_server_get_n_requests (l->server), ==, 2);

  run_cli (base, &forced, "--db", l->path, "generate", "--scene", l->scene_id, "--force", NULL);
  g_assert_cmpint (forced.status, ==, 0);
  g_assert_cmpuint (count_lines_with (forced.err, ": complete"), ==, 1);
  {
    g_autoptr(LoomStore) store = loom_store_open (l->path, &error);
    LoomScene *scene = loom_store_lookup_scene (store, g_ascii_strtoll (l->scene_id, NULL, 10));
    g_autoptr(GListModel) revisions = loom_store_list_revisions (store, scene, &error);
    g_autoptr(LoomRevision) kept = g_list_model_get_item (revisions, 0);

    g_assert_no_error (error);
    g_assert_cmpstr (loom_revision_get_prose (kept), ==, "The storm is mine, typed word by word.");
    g_assert_cmpint (loom_revision_get_author (kept), ==, LOOM_PROSE_WRITER);
  }
}

/* Sets the prose of the library's scene, as the writer would have typed it. */
static void
set_scene_prose (Library    *l,
                 const char *prose)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomStore) store = loom_store_open (l->path, &error);
  LoomScene *scene;

  g_assert_no_error (error);
  scene = loom_store_lookup_scene (store, g_ascii_strtoll (l->scene_id, NULL, 10));
  g_assert_true (loom_scene_set_prose (scene, prose, &error));
  g_assert_no_error (error);
  loom_store_close (store);
}

static char *
scene_prose_and_revisions (Library *l)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomStore) store = loom_store_open (l->path, &error);
  g_autoptr(GListModel) revisions = NULL;
  LoomScene *scene;
  char *out;

  g_assert_no_error (error);
  scene = loom_store_lookup_scene (store, g_ascii_strtoll (l->scene_id, NULL, 10));
  g_assert_true (loom_scene_load_prose (scene, &error));
  revisions = loom_store_list_revisions (store, scene, &error);
  out = g_strdup_printf ("%s|%u", loom_scene_get_prose (scene),
                         g_list_model_get_n_items (revisions));
  loom_store_close (store);
  return out;
}

/* revise prints the change as a word diff and writes nothing; --apply makes it and keeps the
 * prose before as a revision. Positions count characters ("é" is one). */
static void
test_revise (Library       *l,
             gconstpointer  data)
{
  const char *base = loom_mock_server_get_base_url (l->server);
  LoomMockResponse *answer = loom_mock_response_new ();
  LoomMockResponse *again = loom_mock_response_new ();
  LoomMockResponse *refused = loom_mock_response_new ();
  g_auto(Run) shown = { 0 };
  g_auto(Run) applied = { 0 };
  g_auto(Run) failed = { 0 };
  g_auto(Run) outside = { 0 };
  g_auto(Run) no_action = { 0 };
  g_autofree char *after_show = NULL;
  g_autofree char *after_apply = NULL;
  g_autofree char *after_failure = NULL;

  set_scene_prose (l, "Café noir. The storm hid the road. Ines waited.");
  answer->deltas = g_strdupv ((char *[]) { "The storm ", "swallowed the road.", NULL });
  answer->usage = TRUE;
  loom_mock_server_push (l->server, answer);
  run_cli (base, &shown, "--db", l->path, "revise", l->scene_id, "--action", "rewrite",
           "--from", "11", "--to", "34", "--instruction", "more menace", NULL);
  g_test_message ("%s", shown.err);
  g_assert_cmpint (shown.status, ==, 0);
  g_assert_cmpstr (shown.out, ==, "The storm [-hid-]{+swallowed+} the road.\n");
  g_assert_nonnull (strstr (shown.err, "1 change proposed"));
  g_assert_nonnull (strstr (shown.err, " tokens, $0.0"));
  after_show = scene_prose_and_revisions (l);
  g_assert_cmpstr (after_show, ==, "Café noir. The storm hid the road. Ines waited.|0");
  {
    GPtrArray *requests = loom_mock_server_get_requests (l->server);
    LoomMockRequest *sent = g_ptr_array_index (requests, 0);

    g_assert_nonnull (strstr (sent->body, "more menace"));
    g_assert_nonnull (strstr (sent->body, "A storm hides the road."));
  }

  again->deltas = g_strdupv ((char *[]) { "The storm swallowed the road.", NULL });
  loom_mock_server_push (l->server, again);
  run_cli (base, &applied, "--db", l->path, "revise", l->scene_id, "--action", "rewrite",
           "--from", "11", "--to", "34", "--apply", NULL);
  g_assert_cmpint (applied.status, ==, 0);
  after_apply = scene_prose_and_revisions (l);
  g_assert_cmpstr (after_apply, ==,
                   "Café noir. The storm swallowed the road. Ines waited.|1");

  refused->status = 402;
  refused->error_message = g_strdup ("Insufficient credits");
  loom_mock_server_push (l->server, refused);
  run_cli (base, &failed, "--db", l->path, "revise", l->scene_id, "--action", "shorten",
           "--apply", NULL);
  g_assert_cmpint (failed.status, ==, 1);
  g_assert_nonnull (strstr (failed.err, "Insufficient credits"));
  after_failure = scene_prose_and_revisions (l);
  g_assert_cmpstr (after_failure, ==, after_apply);

  run_cli (base, &outside, "--db", l->path, "revise", l->scene_id, "--action", "expand",
           "--from", "3", "--to", "900", NULL);
  g_assert_cmpint (outside.status, ==, 1);
  g_assert_nonnull (strstr (outside.err, "--from and --to"));
  run_cli (base, &no_action, "--db", l->path, "revise", l->scene_id, "--action", "polish",
           NULL);
  g_assert_cmpint (no_action.status, ==, 2);
  g_assert_cmpuint (loom_mock_server_get_n_requests (l->server), ==, 3);
}

/* revise refuses a passage too long for the model by the model's own context, which it reads
 * from the server's list, before any chat request; --context gives another. */
static void
test_revise_context (Library       *l,
                     gconstpointer  data)
{
  const char *base = loom_mock_server_get_base_url (l->server);
  LoomMockResponse *answer = loom_mock_response_new ();
  g_autoptr(GString) prose = g_string_new (NULL);
  g_auto(Run) refused = { 0 };
  g_auto(Run) wider = { 0 };
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  /* about 4,000 tokens, twice that with the answer: more than mock/tiny's 8,192 */
  for (guint i = 0; i < 440; i++)
    g_string_append (prose, "The wind bit at the tents all night. ");
  set_scene_prose (l, prose->str);
  before = scene_prose_and_revisions (l);
  run_cli (base, &refused, "--db", l->path, "--model", "mock/tiny", "revise", l->scene_id,
           "--action", "rewrite", NULL);
  if (g_test_failed () || refused.err == NULL)
    return;
  g_test_message ("%s", refused.err);
  g_assert_cmpint (refused.status, ==, 1);
  g_assert_nonnull (strstr (refused.err, "mock/tiny"));
  g_assert_true (strstr (refused.err, "8192") != NULL || strstr (refused.err, "8,192") != NULL);
  g_assert_cmpuint (loom_mock_server_get_model_requests (l->server)->len, ==, 1);
  g_assert_cmpuint (loom_mock_server_get_n_requests (l->server), ==, 0);
  after = scene_prose_and_revisions (l);
  g_assert_cmpstr (after, ==, before);

  answer->deltas = g_strdupv ((char *[]) { "The wind bit.", NULL });
  loom_mock_server_push (l->server, answer);
  run_cli (base, &wider, "--db", l->path, "--model", "mock/tiny", "revise", l->scene_id,
           "--action", "rewrite", "--context", "100000", NULL);
  g_assert_cmpint (wider.status, ==, 0);
  g_assert_cmpuint (loom_mock_server_get_n_requests (l->server), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli-ai/models", test_models);
  g_test_add_func ("/cli-ai/api-base-flag", test_api_base_flag);
  g_test_add_func ("/cli-ai/models-refresh", test_models_refresh);
  g_test_add_func ("/cli-ai/debug-on-stderr", test_debug_on_stderr);
  g_test_add_func ("/cli-ai/errors", test_errors);
  g_test_add_func ("/cli-ai/prompt", test_prompt);
  g_test_add_func ("/cli-ai/budget", test_budget);
  g_test_add_func ("/cli-ai/budget-defaults", test_budget_defaults);
  g_test_add ("/cli-ai/generate", Library, NULL, library_set_up, test_generate_scene,
              library_tear_down);
  g_test_add ("/cli-ai/generate-jobs", Library, NULL, library_set_up, test_generate_jobs,
              library_tear_down);
  g_test_add ("/cli-ai/generate-over-writers-words", Library, NULL, library_set_up,
              test_generate_over_writers_words, library_tear_down);
  g_test_add ("/cli-ai/generate-errors", Library, NULL, library_set_up, test_generate_errors,
              library_tear_down);
  g_test_add ("/cli-ai/generate-interrupt", Library, NULL, library_set_up,
              test_generate_interrupt, library_tear_down);
  g_test_add ("/cli-ai/outline-characters", Library, NULL, library_set_up,
              test_outline_characters, library_tear_down);
  g_test_add ("/cli-ai/revise", Library, NULL, library_set_up, test_revise, library_tear_down);
  g_test_add ("/cli-ai/revise-context", Library, NULL, library_set_up, test_revise_context,
              library_tear_down);
  g_test_add ("/cli-ai/summarize", Library, NULL, library_set_up, test_summarize,
              library_tear_down);

  return g_test_run ();
}
