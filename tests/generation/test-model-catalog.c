/* test-model-catalog.c: the servers' model lists, fetched from the mock server and kept in the
 * library
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-model-catalog"

#include "config.h"

#include <stdlib.h>

#include "loom-ai-client.h"
#include "loom-mock-server.h"
#include "loom-model-catalog.h"
#include "loom-store.h"
#include "test-util.h"

/* What Ollama and llama.cpp answer: ids, no prices, no context lengths. */
#define OLLAMA_MODELS \
  "{\"object\":\"list\",\"data\":[{\"id\":\"llama3:8b\",\"object\":\"model\"," \
  "\"owned_by\":\"library\"},{\"id\":\"mistral\",\"object\":\"model\"}]}"

typedef struct
{
  char           *dir;
  char           *path;
  LoomStore      *store;
  LoomMockServer *server;
  LoomAiClient   *client;
  GAsyncResult   *result;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();

  f->store = test_library_open ("storyloom-models-XXXXXX", &f->dir, &f->path);
  f->server = loom_mock_server_new (&error);
  g_assert_no_error (error);
  f->client = loom_ai_client_new (session);
  loom_ai_client_set_base_url (f->client, loom_mock_server_get_base_url (f->server));
  loom_ai_client_set_api_key (f->client, "sk-test-key");
  loom_ai_client_set_model (f->client, "anthropic/claude-3.5-sonnet");
  loom_ai_client_set_retry_delay (f->client, 10);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->result);
  g_clear_object (&f->client);
  g_clear_object (&f->server);
  test_library_close (&f->store, &f->dir, &f->path);
}

static void
refreshed_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Fixture *f = user_data;

  f->result = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  return ((Fixture *) data)->result != NULL;
}

static gboolean
refresh (Fixture   *f,
         gboolean   force,
         GError   **error)
{
  g_clear_object (&f->result);
  loom_model_catalog_refresh_async (f->store, f->client, force, NULL, refreshed_cb, f);
  test_spin_until (has_result, f, "the refresh of the model list");
  return loom_model_catalog_refresh_finish (f->result, error);
}

static void
push_body (Fixture    *f,
           guint       status,
           const char *body)
{
  LoomMockResponse *response = loom_mock_response_new ();

  response->status = status;
  response->raw_body = g_strdup (body);
  loom_mock_server_push_models (f->server, response);
}

static guint
n_lists (Fixture *f)
{
  return loom_mock_server_get_model_requests (f->server)->len;
}

/* OpenRouter's list: context lengths, and prices as strings of dollars per token. */
static void
test_openrouter (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomAiModelInfo) sonnet = NULL;
  g_autoptr(LoomAiModelInfo) no_name = NULL;
  g_autoptr(LoomAiModelInfo) tiny = NULL;
  g_autofree char *prices = NULL;
  g_autofree char *context = NULL;
  g_autofree char *free_prices = NULL;
  gint64 before = g_get_real_time () / 1000;

  g_assert_null (loom_model_catalog_lookup (f->store, f->client, NULL));
  g_assert_cmpint (loom_model_catalog_get_context_length (f->store, f->client, NULL), ==, 0);
  g_assert_cmpint (loom_model_catalog_get_date (f->store, f->client), ==, 0);

  g_assert_true (refresh (f, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_lists (f), ==, 1);
  g_assert_cmpint (loom_model_catalog_get_date (f->store, f->client), >=, before);

  sonnet = loom_model_catalog_lookup (f->store, f->client, NULL);
  g_assert_nonnull (sonnet);
  g_assert_cmpstr (sonnet->id, ==, "anthropic/claude-3.5-sonnet");
  g_assert_cmpint (sonnet->context_length, ==, 200000);
  g_assert_cmpfloat_with_epsilon (sonnet->prompt_price, 0.000003, 1e-12);
  g_assert_cmpfloat_with_epsilon (sonnet->completion_price, 0.000015, 1e-12);
  prices = loom_model_catalog_describe_prices (sonnet);
  g_assert_cmpstr (prices, ==,
                   "$3.00 per million prompt tokens, $15.00 per million answer tokens");
  context = loom_model_catalog_describe_context (sonnet);
  /* the C locale of the tests groups no digits */
  g_assert_cmpstr (context, ==, "200000 tokens");

  /* a context length given as a string is still one */
  no_name = loom_model_catalog_lookup (f->store, f->client, "mock/no-name");
  g_assert_cmpint (no_name->context_length, ==, 32768);
  g_assert_cmpint (loom_model_catalog_get_context_length (f->store, f->client, "mock/tiny"), ==,
                   8192);
  tiny = loom_model_catalog_lookup (f->store, f->client, "mock/tiny");
  free_prices = loom_model_catalog_describe_prices (tiny);
  g_assert_cmpstr (free_prices, ==, "free");

  g_assert_null (loom_model_catalog_lookup (f->store, f->client, "mock/unlisted"));
}

/* Ollama and llama.cpp list ids only: the model is known, its price and context are not. */
static void
test_no_prices (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomAiModelInfo) llama = NULL;
  g_autofree char *prices = NULL;
  g_autofree char *context = NULL;
  g_autofree char *unknown = NULL;

  push_body (f, 200, OLLAMA_MODELS);
  g_assert_true (refresh (f, FALSE, &error));
  g_assert_no_error (error);

  llama = loom_model_catalog_lookup (f->store, f->client, "llama3:8b");
  g_assert_nonnull (llama);
  g_assert_cmpint (llama->context_length, ==, 0);
  g_assert_cmpfloat (llama->prompt_price, <, 0);
  g_assert_cmpfloat (llama->completion_price, <, 0);
  prices = loom_model_catalog_describe_prices (llama);
  g_assert_cmpstr (prices, ==, "unknown price");
  context = loom_model_catalog_describe_context (llama);
  g_assert_cmpstr (context, ==, "unknown");
  unknown = loom_model_catalog_describe_prices (NULL);
  g_assert_cmpstr (unknown, ==, "unknown price");
}

/* Entries no model would send are read as unknown, never as a price or a length. */
static void
test_hostile_entries (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomAiModelInfo) a = NULL;
  g_autoptr(LoomAiModelInfo) b = NULL;
  g_autofree char *count = NULL;

  push_body (f, 200,
             "{\"data\":[{\"id\":5},\"text\",{\"id\":\"\"},"
             "{\"id\":\"a\",\"context_length\":-5,"
             "\"pricing\":{\"prompt\":\"nan\",\"completion\":\"-1\"}},"
             "{\"id\":\"b\",\"context_length\":1e300,\"pricing\":[1,2]}]}");
  g_assert_true (refresh (f, FALSE, &error));
  g_assert_no_error (error);

  a = loom_model_catalog_lookup (f->store, f->client, "a");
  g_assert_cmpint (a->context_length, ==, 0);
  g_assert_cmpfloat (a->prompt_price, <, 0);
  g_assert_cmpfloat (a->completion_price, <, 0);
  b = loom_model_catalog_lookup (f->store, f->client, "b");
  g_assert_cmpint (b->context_length, ==, 0);
  g_assert_cmpfloat (b->prompt_price, <, 0);
  count = test_sql_value (f->path, "SELECT count (*) FROM models");
  g_assert_cmpstr (count, ==, "2");
}

/* A list is fetched again when a day old or when asked, not at every call. */
static void
test_max_age (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *old = NULL;

  g_assert_true (refresh (f, FALSE, &error));
  g_assert_true (refresh (f, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_lists (f), ==, 1);

  g_assert_true (refresh (f, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_lists (f), ==, 2);

  /* written a day and a minute ago, by this program or another */
  old = g_strdup_printf ("UPDATE model_lists SET fetched_at = %" G_GINT64_FORMAT,
                         g_get_real_time () / 1000 - LOOM_MODEL_CATALOG_MAX_AGE_MS - 60000);
  test_sql_exec (f->path, old);
  g_assert_true (refresh (f, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_lists (f), ==, 3);
  g_assert_true (refresh (f, FALSE, &error));
  g_assert_cmpuint (n_lists (f), ==, 3);
}

/* A failed or unreadable fetch says why and keeps the list from before; a new list replaces
 * the old one whole. */
static void
test_failures_keep_list (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomAiModelInfo) sonnet = NULL;
  g_autoptr(LoomAiModelInfo) mistral = NULL;
  gint64 date;

  g_assert_true (refresh (f, FALSE, &error));
  date = loom_model_catalog_get_date (f->store, f->client);

  push_body (f, 200, "{\"data\": \"not a list\"");
  g_assert_false (refresh (f, TRUE, &error));
  g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_BAD_RESPONSE);
  g_assert_nonnull (strstr (error->message, "could not be read"));
  g_clear_error (&error);

  loom_ai_client_set_max_attempts (f->client, 1);
  push_body (f, 500, NULL);
  g_assert_false (refresh (f, TRUE, &error));
  g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_SERVER);
  g_clear_error (&error);

  g_assert_cmpint (loom_model_catalog_get_date (f->store, f->client), ==, date);
  sonnet = loom_model_catalog_lookup (f->store, f->client, NULL);
  g_assert_cmpint (sonnet->context_length, ==, 200000);

  push_body (f, 200, OLLAMA_MODELS);
  g_assert_true (refresh (f, TRUE, &error));
  g_assert_null (loom_model_catalog_lookup (f->store, f->client, NULL));
  mistral = loom_model_catalog_lookup (f->store, f->client, "mistral");
  g_assert_nonnull (mistral);
}

/* Each server has its own list; a trailing slash is the same server. */
static void
test_per_server (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomAiModelInfo) sonnet = NULL;
  g_autofree char *slash = g_strconcat (loom_mock_server_get_base_url (f->server), "/", NULL);

  g_assert_true (refresh (f, FALSE, &error));
  loom_ai_client_set_base_url (f->client, slash);
  sonnet = loom_model_catalog_lookup (f->store, f->client, NULL);
  g_assert_nonnull (sonnet);

  loom_ai_client_set_base_url (f->client, "http://127.0.0.1:1/v1");
  g_assert_null (loom_model_catalog_lookup (f->store, f->client, NULL));
  g_assert_cmpint (loom_model_catalog_get_date (f->store, f->client), ==, 0);
}

/* The list outlives the program; Preferences' own listing is kept too. */
static void
test_restart_and_save (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomAiModelInfo) sonnet = NULL;
  g_autoptr(GPtrArray) models = g_ptr_array_new_with_free_func (
    (GDestroyNotify) loom_ai_model_info_free);
  LoomAiModelInfo *info = loom_ai_model_info_new ();

  g_assert_true (refresh (f, FALSE, &error));
  g_clear_object (&f->store);
  f->store = loom_store_open (f->path, &error);
  g_assert_no_error (error);
  sonnet = loom_model_catalog_lookup (f->store, f->client, NULL);
  g_assert_cmpint (sonnet->context_length, ==, 200000);

  info->id = g_strdup ("mock/other");
  info->name = g_strdup ("Other");
  info->context_length = 4096;
  info->prompt_price = 0.000001;
  info->completion_price = -1;
  g_ptr_array_add (models, info);
  g_assert_true (loom_model_catalog_save (f->store, f->client, models, &error));
  g_assert_no_error (error);
  g_assert_null (loom_model_catalog_lookup (f->store, f->client, NULL));
  g_clear_pointer (&sonnet, loom_ai_model_info_free);
  sonnet = loom_model_catalog_lookup (f->store, f->client, "mock/other");
  g_assert_cmpint (sonnet->context_length, ==, 4096);
  g_assert_cmpfloat (sonnet->completion_price, <, 0);
}

/* A library of version 10 opens with its data unchanged and an empty cache. */
static void
test_migrate_from_v10 (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *version = NULL;
  LoomStory *story = NULL;
  LoomChapter *chapter = NULL;

  test_add_one_scene (f->store, &story, &chapter);
  g_clear_object (&f->store);
  test_sql_exec (f->path, TEST_SQL_UNDO_V16
                          TEST_SQL_UNDO_V15 TEST_SQL_UNDO_V14 TEST_SQL_UNDO_V11 TEST_SQL_UNDO_V12 TEST_SQL_UNDO_V13
                 "PRAGMA user_version = 10");
  before = test_dump_library (f->path);

  f->store = loom_store_open (f->path, &error);
  g_assert_no_error (error);
  version = test_sql_value (f->path, "PRAGMA user_version");
  g_assert_cmpint (atoi (version), ==, LOOM_STORE_SCHEMA_VERSION);
  after = test_dump_library (f->path);
  g_assert_cmpstr (after, ==, before);
  g_assert_null (loom_model_catalog_lookup (f->store, f->client, NULL));
  g_assert_true (refresh (f, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (loom_model_catalog_get_context_length (f->store, f->client, NULL), ==,
                   200000);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/model-catalog/openrouter", test_openrouter);
  ADD ("/model-catalog/no-prices", test_no_prices);
  ADD ("/model-catalog/hostile-entries", test_hostile_entries);
  ADD ("/model-catalog/max-age", test_max_age);
  ADD ("/model-catalog/failures-keep-list", test_failures_keep_list);
  ADD ("/model-catalog/per-server", test_per_server);
  ADD ("/model-catalog/restart-and-save", test_restart_and_save);
  ADD ("/model-catalog/migrate-from-v10", test_migrate_from_v10);
#undef ADD
  return g_test_run ();
}
