/* test-api-key.c: where the key comes from, and a keyring that isn't there
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-api-key"

#include "config.h"

#include <string.h>

#include "loom-ai-types.h"
#include "loom-api-key.h"

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (*slot == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }

  return *slot;
}

static void
test_env_first (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  LoomApiKeySource source = LOOM_API_KEY_SOURCE_NONE;

  g_setenv (LOOM_API_KEY_ENV, "  sk-or-from-env\n", TRUE);

  loom_api_key_lookup_async (NULL, NULL, store_result_cb, &result);
  key = loom_api_key_lookup_finish (wait_for (&result), &source, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, "sk-or-from-env");
  g_assert_cmpint (source, ==, LOOM_API_KEY_SOURCE_ENVIRONMENT);

  g_unsetenv (LOOM_API_KEY_ENV);
}

/* Issue 11: OPENROUTER_API_KEY is OpenRouter's; a server on this computer is not given it. */
static void
test_env_only_for_openrouter (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) openrouter = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *its_key = NULL;

  g_setenv (LOOM_API_KEY_ENV, "sk-or-from-env", TRUE);

  loom_api_key_lookup_async ("http://localhost:11434/v1", NULL, store_result_cb, &result);
  key = loom_api_key_lookup_finish (wait_for (&result), NULL, &error);
  g_assert_null (key);
  g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_NO_KEY);
  g_clear_error (&error);

  loom_api_key_lookup_async ("https://OpenRouter.ai/api/v1", NULL, store_result_cb, &openrouter);
  its_key = loom_api_key_lookup_finish (wait_for (&openrouter), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (its_key, ==, "sk-or-from-env");

  g_unsetenv (LOOM_API_KEY_ENV);
}

/* No variable and no secret service (the bus address points nowhere, as in CI): a clear
 * NO_KEY error saying where to set the key, quickly, neither a hang nor a crash. */
static void
test_no_key (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  LoomApiKeySource source = LOOM_API_KEY_SOURCE_KEYRING;
  gint64 start = g_get_monotonic_time ();

  g_setenv (LOOM_API_KEY_ENV, "", TRUE);

  loom_api_key_lookup_async (NULL, NULL, store_result_cb, &result);
  key = loom_api_key_lookup_finish (wait_for (&result), &source, &error);
  g_assert_null (key);
  g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_NO_KEY);
  g_assert_nonnull (strstr (error->message, "OPENROUTER_API_KEY"));
  g_assert_nonnull (strstr (error->message, "Preferences"));
  g_assert_cmpint (source, ==, LOOM_API_KEY_SOURCE_NONE);
  g_test_message ("no key after %" G_GINT64_FORMAT " ms: %s",
                  (g_get_monotonic_time () - start) / 1000, error->message);

  g_unsetenv (LOOM_API_KEY_ENV);
}

static char *
lookup (const char        *base_url,
        LoomApiKeySource  *source,
        GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  loom_api_key_lookup_async (base_url, NULL, store_result_cb, &result);
  return loom_api_key_lookup_finish (wait_for (&result), source, error);
}

/* No secret service: a key typed in Preferences cannot be stored, says it will not be
 * remembered, and is used for the session (its server only); removing it forgets it. */
static void
test_key_without_keyring (void)
{
  g_autoptr(GAsyncResult) stored = NULL;
  g_autoptr(GAsyncResult) cleared = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) clear_error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *other = NULL;
  g_autofree char *gone = NULL;
  LoomApiKeySource source = LOOM_API_KEY_SOURCE_NONE;

  g_unsetenv (LOOM_API_KEY_ENV);
  loom_api_key_store_async (NULL, " sk-or-never-shown ", NULL, store_result_cb, &stored);
  g_assert_false (loom_api_key_store_finish (wait_for (&stored), &error));
  g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_KEYRING);
  g_assert_null (strstr (error->message, "sk-or-never-shown"));
  g_assert_nonnull (strstr (error->message, "will not be remembered"));
  g_clear_error (&error);

  key = lookup (NULL, &source, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, "sk-or-never-shown");
  g_assert_cmpint (source, ==, LOOM_API_KEY_SOURCE_SESSION);

  other = lookup ("http://localhost:11434/v1", NULL, &error);
  g_assert_null (other);
  g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_NO_KEY);
  g_clear_error (&error);

  loom_api_key_clear_async (NULL, NULL, store_result_cb, &cleared);
  g_assert_false (loom_api_key_clear_finish (wait_for (&cleared), &clear_error));
  g_assert_error (clear_error, LOOM_AI_ERROR, LOOM_AI_ERROR_KEYRING);
  gone = lookup (NULL, &source, &error);
  g_assert_null (gone);
  g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_NO_KEY);
}

static void
test_cancelled (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;

  g_unsetenv (LOOM_API_KEY_ENV);
  g_cancellable_cancel (cancellable);
  loom_api_key_lookup_async (NULL, cancellable, store_result_cb, &result);
  key = loom_api_key_lookup_finish (wait_for (&result), NULL, &error);
  g_assert_null (key);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Against a real (private, throw-away) keyring: see with-keyring.sh. */
static void
test_keyring_round_trip (void)
{
  g_autoptr(GAsyncResult) stored = NULL;
  g_autoptr(GAsyncResult) found = NULL;
  g_autoptr(GAsyncResult) cleared = NULL;
  g_autoptr(GAsyncResult) cleared_again = NULL;
  g_autoptr(GAsyncResult) gone = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *none = NULL;
  LoomApiKeySource source = LOOM_API_KEY_SOURCE_NONE;

  if (g_getenv ("STORYLOOM_TEST_KEYRING") == NULL)
    {
      g_test_skip ("no private keyring (run through with-keyring.sh)");
      return;
    }

  g_unsetenv (LOOM_API_KEY_ENV);

  loom_api_key_store_async (NULL, " sk-or-v1-stored\n", NULL, store_result_cb, &stored);
  loom_api_key_store_finish (wait_for (&stored), &error);
  g_assert_no_error (error);

  loom_api_key_lookup_async (NULL, NULL, store_result_cb, &found);
  key = loom_api_key_lookup_finish (wait_for (&found), &source, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, "sk-or-v1-stored");
  g_assert_cmpint (source, ==, LOOM_API_KEY_SOURCE_KEYRING);

  /* the environment still comes first */
  g_setenv (LOOM_API_KEY_ENV, "sk-env", TRUE);
  {
    g_autoptr(GAsyncResult) env = NULL;
    g_autofree char *env_key = NULL;

    loom_api_key_lookup_async (NULL, NULL, store_result_cb, &env);
    env_key = loom_api_key_lookup_finish (wait_for (&env), &source, &error);
    g_assert_cmpstr (env_key, ==, "sk-env");
    g_assert_cmpint (source, ==, LOOM_API_KEY_SOURCE_ENVIRONMENT);
  }
  g_unsetenv (LOOM_API_KEY_ENV);

  loom_api_key_clear_async (NULL, NULL, store_result_cb, &cleared);
  g_assert_true (loom_api_key_clear_finish (wait_for (&cleared), &error));
  g_assert_no_error (error);
  /* clearing what is not there is not an error */
  loom_api_key_clear_async (NULL, NULL, store_result_cb, &cleared_again);
  g_assert_true (loom_api_key_clear_finish (wait_for (&cleared_again), &error));
  g_assert_no_error (error);

  loom_api_key_lookup_async (NULL, NULL, store_result_cb, &gone);
  none = loom_api_key_lookup_finish (wait_for (&gone), NULL, &error);
  g_assert_null (none);
  g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_NO_KEY);
  g_assert_nonnull (strstr (error->message, "Preferences"));
}

/* Issue 11: a key is stored for a server's origin and found for that origin only. */
static void
test_keyring_per_origin (void)
{
  const char *local = "http://127.0.0.1:8080/v1";
  g_autoptr(GAsyncResult) stored = NULL;
  g_autoptr(GAsyncResult) found = NULL;
  g_autoptr(GAsyncResult) other = NULL;
  g_autoptr(GAsyncResult) openrouter = NULL;
  g_autoptr(GAsyncResult) cleared = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *none = NULL;
  g_autofree char *nothing = NULL;

  if (g_getenv ("STORYLOOM_TEST_KEYRING") == NULL)
    {
      g_test_skip ("no private keyring (run through with-keyring.sh)");
      return;
    }
  g_unsetenv (LOOM_API_KEY_ENV);

  loom_api_key_store_async (local, "sk-local", NULL, store_result_cb, &stored);
  g_assert_true (loom_api_key_store_finish (wait_for (&stored), &error));
  g_assert_no_error (error);

  /* the same origin, another path */
  loom_api_key_lookup_async ("http://127.0.0.1:8080/api", NULL, store_result_cb, &found);
  key = loom_api_key_lookup_finish (wait_for (&found), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, "sk-local");

  /* another port, and OpenRouter: not theirs */
  loom_api_key_lookup_async ("http://127.0.0.1:8081/v1", NULL, store_result_cb, &other);
  none = loom_api_key_lookup_finish (wait_for (&other), NULL, &error);
  g_assert_null (none);
  g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_NO_KEY);
  g_clear_error (&error);
  loom_api_key_lookup_async (NULL, NULL, store_result_cb, &openrouter);
  nothing = loom_api_key_lookup_finish (wait_for (&openrouter), NULL, &error);
  g_assert_null (nothing);
  g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_NO_KEY);
  g_clear_error (&error);

  loom_api_key_clear_async (local, NULL, store_result_cb, &cleared);
  g_assert_true (loom_api_key_clear_finish (wait_for (&cleared), &error));
}

static void
test_schema (void)
{
  const SecretSchema *schema = loom_api_key_get_schema ();

  g_assert_cmpstr (schema->name, ==, "io.github.storyloom.Storyloom.ApiKey");
  g_assert_cmpstr (schema->attributes[0].name, ==, "provider");
}

int
main (int   argc,
      char *argv[])
{
  gboolean private_keyring = g_getenv ("STORYLOOM_TEST_KEYRING") != NULL;

  /* Never touch a real keyring from a test: either with-keyring.sh gave us a private one, or
   * the session bus address points nowhere. */
  if (!private_keyring)
    g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/storyloom-test-bus", TRUE);
  g_unsetenv ("DISPLAY");

  g_test_init (&argc, &argv, NULL);

  loom_api_key_set_keyring_timeout (private_keyring ? 10000 : 3000);

  g_test_add_func ("/api-key/schema", test_schema);
  g_test_add_func ("/api-key/env-first", test_env_first);
  g_test_add_func ("/api-key/env-only-for-openrouter", test_env_only_for_openrouter);
  g_test_add_func ("/api-key/cancelled", test_cancelled);
  if (private_keyring)
    {
      g_test_add_func ("/api-key/keyring-round-trip", test_keyring_round_trip);
      g_test_add_func ("/api-key/keyring-per-origin", test_keyring_per_origin);
    }
  else
    {
      g_test_add_func ("/api-key/no-key", test_no_key);
      g_test_add_func ("/api-key/key-without-keyring", test_key_without_keyring);
    }

  return g_test_run ();
}
