/* test-ai-client.c: LoomAiClient against the mock OpenRouter server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-ai-client"

#include "config.h"

#include <string.h>

#include "loom-ai-client.h"
#include "loom-mock-server.h"

#define TEST_KEY "sk-or-v1-test-0123456789abcdef-SECRET"

typedef struct
{
  LoomMockServer *server;
  SoupSession    *session;
  LoomAiClient   *client;
  GCancellable   *cancellable;
  GString        *text;
  guint           n_deltas;
  guint           cancel_after;
  gint64          cancelled_at;
  GAsyncResult   *result;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->server = loom_mock_server_new (&error);
  g_assert_no_error (error);
  f->session = soup_session_new ();
  f->client = loom_ai_client_new (f->session);
  loom_ai_client_set_base_url (f->client, loom_mock_server_get_base_url (f->server));
  loom_ai_client_set_api_key (f->client, TEST_KEY);
  /* keep backoff short; Retry-After is tested on its own */
  loom_ai_client_set_retry_delay (f->client, 5);
  f->cancellable = g_cancellable_new ();
  f->text = g_string_new (NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->result);
  g_clear_object (&f->client);
  g_clear_object (&f->session);
  g_clear_object (&f->server);
  g_clear_object (&f->cancellable);
  g_string_free (f->text, TRUE);

  /* let closing connections finish before the next test */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
delta_cb (const char *delta,
          gpointer    user_data)
{
  Fixture *f = user_data;

  g_assert_true (g_utf8_validate (delta, -1, NULL));
  g_string_append (f->text, delta);
  f->n_deltas++;

  if (f->cancel_after > 0 && f->n_deltas == f->cancel_after)
    {
      f->cancelled_at = g_get_monotonic_time ();
      g_cancellable_cancel (f->cancellable);
    }
}

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Fixture *f = user_data;

  g_assert_null (f->result);
  f->result = g_object_ref (result);
}

static void
wait_result (Fixture *f)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (f->result == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static JsonArray *
make_messages (void)
{
  JsonArray *messages = json_array_new ();

  loom_ai_messages_append (messages, "system", "You are a novelist's co-writer.");
  loom_ai_messages_append (messages, "user", "Write the scene: Mara leaves the café.");

  return messages;
}

static LoomAiResult *
run_chat (Fixture                 *f,
          const LoomAiChatOptions *options,
          GError                 **error)
{
  g_autoptr(JsonArray) messages = make_messages ();

  g_clear_object (&f->result);
  loom_ai_client_chat_async (f->client, messages, options, delta_cb, f, f->cancellable,
                             result_cb, f);
  wait_result (f);

  return loom_ai_client_chat_finish (f->client, f->result, error);
}

static LoomMockResponse *
response_with_deltas (const char *first,
                      ...)
{
  LoomMockResponse *response = loom_mock_response_new ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  va_list args;

  va_start (args, first);
  for (const char *s = first; s != NULL; s = va_arg (args, const char *))
    g_strv_builder_add (builder, s);
  va_end (args);

  response->deltas = g_strv_builder_end (builder);

  return response;
}

static LoomMockRequest *
request_at (Fixture *f,
            guint    i)
{
  GPtrArray *requests = loom_mock_server_get_requests (f->server);

  g_assert_cmpuint (i, <, requests->len);

  return g_ptr_array_index (requests, i);
}

/* Streaming */

static void
test_stream (Fixture       *f,
             gconstpointer  data)
{
  LoomAiChatOptions options = LOOM_AI_CHAT_OPTIONS_INIT;
  g_autoptr(LoomAiResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  LoomMockRequest *request;
  JsonObject *body;

  loom_mock_server_push (f->server, response_with_deltas ("The rain", " had", " stopped.", NULL));
  options.max_tokens = 800;
  options.temperature = 0.75;

  result = run_chat (f, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->text, ==, "The rain had stopped.");
  g_assert_cmpstr (f->text->str, ==, "The rain had stopped.");
  g_assert_cmpuint (f->n_deltas, ==, 3);
  g_assert_cmpstr (result->finish_reason, ==, "stop");
  g_assert_cmpstr (result->model, ==, "anthropic/claude-3.5-sonnet");
  g_assert_cmpint (result->prompt_tokens, >, 0);
  g_assert_cmpint (result->completion_tokens, ==, 3);
  g_assert_cmpfloat (result->cost, >, 0);

  /* what was sent */
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 1);
  request = request_at (f, 0);
  g_assert_cmpstr (request->method, ==, "POST");
  g_assert_cmpstr (request->path, ==, "/api/v1/chat/completions");
  g_assert_cmpstr (request->authorization, ==, "Bearer " TEST_KEY);
  g_assert_cmpstr (request->title, ==, "Storyloom");
  g_assert_nonnull (request->referer);
  g_assert_true (g_str_has_prefix (request->referer, "https://"));

  g_assert_true (json_parser_load_from_data (parser, request->body, -1, NULL));
  body = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (body, "model"), ==,
                   "anthropic/claude-3.5-sonnet");
  g_assert_true (json_object_get_boolean_member (body, "stream"));
  g_assert_cmpint (json_object_get_int_member (body, "max_tokens"), ==, 800);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (body, "temperature"),
                                  0.75, 1e-9);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (body, "messages")),
                    ==, 2);
  /* the standard way to ask for the usage chunk; OpenRouter's own field would upset OpenAI */
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (body,
                                                                                "stream_options"),
                                                 "include_usage"));
  g_assert_false (json_object_has_member (body, "usage"));
}

/* GTK's frame clock paints at G_PRIORITY_HIGH_IDLE + 20; an idle there stands in for it,
 * with frames always due (spinners, on a slow machine). */
#define REDRAW_PRIORITY (G_PRIORITY_HIGH_IDLE + 20)

typedef struct
{
  Fixture *f;
  guint    source_id;
  guint    turns;  /* while the answer was streaming in */
} Painter;

static gboolean
paint_cb (gpointer user_data)
{
  Painter *painter = user_data;

  if (painter->f->result == NULL)
    painter->turns++;

  return G_SOURCE_CONTINUE;
}

static void
slow_delta_cb (const char *delta,
               gpointer    user_data)
{
  Painter *painter = user_data;

  /* From the first words on (the server has written the whole answer by then), a window
   * would be painting. */
  if (painter->source_id == 0)
    painter->source_id = g_idle_add_full (REDRAW_PRIORITY, paint_cb, painter, NULL);
  /* a window laying out the new text */
  g_usleep (G_USEC_PER_SEC / 1000);
  delta_cb (delta, painter->f);
}

/* A fast server keeps the socket readable from the first byte to the last. Reads at the
 * default priority then took every turn of the main loop, and a window did not paint until
 * the answer was over (issue 19). Now what they bring waits its turn once it has had its
 * share, and all of it still arrives, in order, in several deltas. */
static void
test_frames_while_streaming (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(LoomMockResponse) response = loom_mock_response_new ();
  g_autoptr(JsonArray) messages = make_messages ();
  g_autoptr(LoomAiResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  g_autoptr(GString) expected = g_string_new (NULL);
  Painter painter = { f, 0, 0 };

  /* about 1.5 MB, written at once (one chunk): a hundred reads of the client's */
  for (guint i = 0; i < 20000; i++)
    {
      g_string_append_printf (body, "data: {\"choices\":[{\"index\":0,\"delta\":"
                                    "{\"content\":\"word%u \"}}]}\n\n", i);
      g_string_append_printf (expected, "word%u ", i);
    }
  g_string_append (body, "data: {\"choices\":[{\"index\":0,\"delta\":{},"
                         "\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
  response->raw_body = g_strdup (body->str);
  response->split_every = body->len;
  loom_mock_server_push (f->server, g_steal_pointer (&response));

  loom_ai_client_chat_async (f->client, messages, NULL, slow_delta_cb, &painter,
                             f->cancellable, result_cb, f);
  wait_result (f);
  g_clear_handle_id (&painter.source_id, g_source_remove);

  result = loom_ai_client_chat_finish (f->client, f->result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->text, ==, expected->str);
  g_assert_cmpstr (f->text->str, ==, expected->str);
  g_test_message ("%u deltas handed over, %u turns for the painter meanwhile", f->n_deltas,
                  painter.turns);
  g_assert_cmpuint (f->n_deltas, >, 1);
  g_assert_cmpuint (painter.turns, >, 0);
}

static void
test_model_option (Fixture       *f,
                   gconstpointer  data)
{
  LoomAiChatOptions options = LOOM_AI_CHAT_OPTIONS_INIT;
  g_autoptr(LoomAiResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *body;

  loom_ai_client_set_model (f->client, "mock/tiny");
  result = run_chat (f, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->model, ==, "mock/tiny");

  options.model = "mock/other";
  g_clear_pointer (&result, loom_ai_result_free);
  result = run_chat (f, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->model, ==, "mock/other");

  g_assert_true (json_parser_load_from_data (parser, request_at (f, 1)->body, -1, NULL));
  body = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (body, "model"), ==, "mock/other");
  g_assert_false (json_object_has_member (body, "max_tokens"));
  g_assert_false (json_object_has_member (body, "temperature"));
}

static const char *utf8_deltas[] = {
  "Mara ordered a café crème", " — the last", " one 🙂", " before the naïve", " rain.\n", NULL
};

static void
check_split (Fixture *f,
             gsize    split_every,
             gboolean crlf)
{
  g_autoptr(LoomMockResponse) response = loom_mock_response_new ();
  g_autoptr(LoomAiResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = g_strjoinv ("", (char **) utf8_deltas);

  response->deltas = g_strdupv ((char **) utf8_deltas);
  response->split_every = split_every;
  /* each piece is its own HTTP chunk, and a chunked body is read a chunk at a time at most */
  response->crlf = crlf;
  response->comments = TRUE;
  response->reasoning = g_strdup ("Plan: café, then rain.");
  loom_mock_server_push (f->server, g_steal_pointer (&response));

  g_string_truncate (f->text, 0);
  f->n_deltas = 0;
  result = run_chat (f, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->text, ==, expected);
  g_assert_cmpstr (f->text->str, ==, expected);
  g_assert_cmpuint (f->n_deltas, ==, g_strv_length ((char **) utf8_deltas));
  g_assert_cmpstr (result->reasoning, ==, "Plan: café, then rain.");
  g_assert_null (strstr (result->text, "Plan"));
  g_assert_cmpint (result->completion_tokens, ==, 5);
}

static void
test_split_reads (Fixture       *f,
                  gconstpointer  data)
{
  /* pieces of these sizes cut lines, "\r\n" pairs and multi-byte characters */
  const gsize sizes[] = { 1, 2, 3, 5, 7, 13, 64 };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    check_split (f, sizes[i], FALSE);
}

static void
test_crlf (Fixture       *f,
           gconstpointer  data)
{
  const gsize sizes[] = { 0, 1, 3, 7, 11 };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    check_split (f, sizes[i], TRUE);
}

static void
test_mid_stream_error (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(LoomMockResponse) response = response_with_deltas ("One", " two", " three",
                                                               " four", NULL);
  g_autoptr(LoomAiResult) result = NULL;
  g_autoptr(GError) error = NULL;

  response->error_after = 2;
  response->error_message = g_strdup ("Upstream provider went away");
  loom_mock_server_push (f->server, g_steal_pointer (&response));
  /* would succeed, if the client retried */
  loom_mock_server_push (f->server, loom_mock_response_new ());

  result = run_chat (f, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_SERVER);
  g_assert_nonnull (strstr (error->message, "Upstream provider went away"));
  g_assert_cmpstr (f->text->str, ==, "One two");
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 1);
}

static void
test_truncated (Fixture       *f,
                gconstpointer  data)
{
  for (int abort = 0; abort <= 1; abort++)
    {
      g_autoptr(LoomMockResponse) response = response_with_deltas ("One", " two", " three",
                                                                   NULL);
      g_autoptr(LoomAiResult) result = NULL;
      g_autoptr(GError) error = NULL;

      loom_mock_server_reset_counters (f->server);
      g_string_truncate (f->text, 0);
      response->truncate_after = 2;
      response->abort = abort;
      loom_mock_server_push (f->server, g_steal_pointer (&response));
      loom_mock_server_push (f->server, loom_mock_response_new ());

      result = run_chat (f, NULL, &error);
      g_assert_null (result);
      g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_TRUNCATED);
      g_assert_cmpstr (f->text->str, ==, "One two");
      /* no silent retry once tokens have arrived */
      g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 1);
      g_test_message ("truncated (abort=%d): %s", abort, error->message);

      /* take the unused answer back out */
      g_clear_object (&f->server);
      f->server = loom_mock_server_new (NULL);
      loom_ai_client_set_base_url (f->client, loom_mock_server_get_base_url (f->server));
    }
}

/* HTTP errors */

typedef struct
{
  guint       status;
  const char *server_message;
  LoomAiError code;
  const char *phrase;
} ErrorCase;

static void
test_http_errors (Fixture       *f,
                  gconstpointer  data)
{
  const ErrorCase cases[] = {
    { 400, "This endpoint's maximum context length is 8192 tokens",
      LOOM_AI_ERROR_CONTEXT_TOO_LONG, "too long" },
    { 400, "messages: field required", LOOM_AI_ERROR_BAD_REQUEST, "rejected" },
    { 401, "User not found.", LOOM_AI_ERROR_UNAUTHORIZED, "Check the key in Preferences" },
    { 402, "Insufficient credits", LOOM_AI_ERROR_PAYMENT_REQUIRED, "credits" },
    { 403, "Input was flagged by moderation", LOOM_AI_ERROR_FORBIDDEN, "violence" },
    { 404, "No endpoints found for mock/unknown.", LOOM_AI_ERROR_UNKNOWN_MODEL,
      "anthropic/claude-3.5-sonnet" },
    { 500, "Internal Server Error", LOOM_AI_ERROR_SERVER, "Try again later" },
    { 504, "Gateway Timeout", LOOM_AI_ERROR_TIMEOUT, "too long to answer" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(LoomMockResponse) response = loom_mock_response_new ();
      g_autoptr(LoomAiResult) result = NULL;
      g_autoptr(GError) error = NULL;

      loom_mock_server_reset_counters (f->server);
      response->status = cases[i].status;
      response->error_message = g_strdup (cases[i].server_message);
      loom_mock_server_push (f->server, g_steal_pointer (&response));

      result = run_chat (f, NULL, &error);
      g_test_message ("HTTP %u: %s", cases[i].status, error ? error->message : "(none)");
      g_assert_null (result);
      g_assert_error (error, LOOM_AI_ERROR, (int) cases[i].code);
      /* the server's own words, without a doubled full stop, in a sentence of ours */
      {
        g_autofree char *bare = g_strdup (cases[i].server_message);
        gsize len = strlen (bare);

        if (len > 0 && bare[len - 1] == '.')
          bare[len - 1] = '\0';
        g_assert_nonnull (strstr (error->message, bare));
      }
      g_assert_nonnull (strstr (error->message, cases[i].phrase));
      g_assert_null (strstr (error->message, ".."));
      g_assert_true (g_str_has_suffix (error->message, "."));
      /* 500 and 504 are not in the retry list; 4xx never are */
      g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 1);
    }
}

static void
test_error_not_json (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(LoomMockResponse) response = loom_mock_response_new ();
  g_autoptr(LoomAiResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* a proxy's HTML page: the status still decides */
  response->status = 401;
  response->content_type = g_strdup ("text/html");
  loom_mock_server_push (f->server, g_steal_pointer (&response));

  result = run_chat (f, NULL, &error);
  g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_UNAUTHORIZED);
}

/* Retries */

static void
test_retry (Fixture       *f,
            gconstpointer  data)
{
  const guint statuses[] = { 408, 429, 502, 503 };
  g_autoptr(LoomAiResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* each retryable status once, then success: 4 failures need 5 attempts */
  loom_ai_client_set_max_attempts (f->client, 5);
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      LoomMockResponse *response = loom_mock_response_new ();

      response->status = statuses[i];
      loom_mock_server_push (f->server, response);
    }
  loom_mock_server_push (f->server, response_with_deltas ("Fine", " now.", NULL));

  result = run_chat (f, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->text, ==, "Fine now.");
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 5);
}

static void
test_retry_exhausted (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(LoomAiResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (loom_ai_client_get_max_attempts (f->client), ==, 4);
  for (guint i = 0; i < 6; i++)
    {
      LoomMockResponse *response = loom_mock_response_new ();

      response->status = 503;
      response->error_message = g_strdup ("No available model provider");
      loom_mock_server_push (f->server, response);
    }

  result = run_chat (f, NULL, &error);
  g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_SERVER);
  g_assert_nonnull (strstr (error->message, "No available model provider"));
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 4);
}

static void
test_retry_after (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(LoomMockResponse) response = loom_mock_response_new ();
  g_autoptr(LoomAiResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 gap;

  response->status = 429;
  response->retry_after = 1;
  loom_mock_server_push (f->server, g_steal_pointer (&response));

  result = run_chat (f, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 2);

  /* the backoff alone would be ~5 ms: the second request waited for the header's second */
  gap = request_at (f, 1)->started_at - request_at (f, 0)->started_at;
  g_test_message ("Retry-After: 1 gave a gap of %" G_GINT64_FORMAT " ms", gap / 1000);
  g_assert_cmpint (gap, >=, 900 * 1000);
}

static void
test_retry_after_too_long (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(LoomMockResponse) response = loom_mock_response_new ();
  g_autoptr(LoomAiResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  /* an hour's wait is not done silently: the writer hears at once */
  response->status = 429;
  response->retry_after = 3600;
  loom_mock_server_push (f->server, g_steal_pointer (&response));

  result = run_chat (f, NULL, &error);
  g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_RATE_LIMITED);
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 1);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
}

static void
test_no_retry_4xx (Fixture       *f,
                   gconstpointer  data)
{
  const guint statuses[] = { 400, 401, 402, 403, 404 };

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      LoomMockResponse *response = loom_mock_response_new ();
      g_autoptr(LoomAiResult) result = NULL;
      g_autoptr(GError) error = NULL;

      g_clear_object (&f->server);
      f->server = loom_mock_server_new (NULL);
      loom_ai_client_set_base_url (f->client, loom_mock_server_get_base_url (f->server));

      response->status = statuses[i];
      response->retry_after = 0; /* even when invited to */
      loom_mock_server_push (f->server, response);
      loom_mock_server_push (f->server, loom_mock_response_new ());

      result = run_chat (f, NULL, &error);
      g_assert_nonnull (error);
      g_assert_true (error->domain == LOOM_AI_ERROR);
      g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 1);
    }
}

static void
test_no_retry_after_token (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(LoomMockResponse) response = response_with_deltas ("Paid", " for", " text", NULL);
  g_autoptr(LoomAiResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* the connection drops after the first token: not retried, even with attempts left */
  response->truncate_after = 1;
  response->abort = TRUE;
  loom_mock_server_push (f->server, g_steal_pointer (&response));
  loom_mock_server_push (f->server, loom_mock_response_new ());

  result = run_chat (f, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_TRUNCATED);
  g_assert_cmpstr (f->text->str, ==, "Paid");
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 1);
}

static void
test_network_error (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(LoomAiResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  /* a port that was free a moment ago: nothing listens there */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         NULL);
  address = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_assert_true (g_socket_bind (socket, address, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  url = g_strdup_printf ("http://127.0.0.1:%u/api/v1",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, NULL);

  loom_ai_client_set_base_url (f->client, url);
  loom_ai_client_set_max_attempts (f->client, 3);

  result = run_chat (f, NULL, &error);
  g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
}

static void
test_timeout (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 1, NULL);
  g_autoptr(LoomAiClient) client = loom_ai_client_new (session);
  g_autoptr(LoomAiResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  /* a server that takes the request and says nothing: timed out, retried, timed out */
  for (guint i = 0; i < 2; i++)
    {
      LoomMockResponse *silent = loom_mock_response_new ();

      silent->delay_ms = 4000;
      loom_mock_server_push (f->server, silent);
    }
  loom_ai_client_set_base_url (client, loom_mock_server_get_base_url (f->server));
  loom_ai_client_set_max_attempts (client, 2);
  loom_ai_client_set_retry_delay (client, 5);
  g_set_object (&f->client, client);

  result = run_chat (f, NULL, &error);
  g_test_message ("%s after %" G_GINT64_FORMAT " ms", error ? error->message : "(no error)",
                  (g_get_monotonic_time () - start) / 1000);
  g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_TIMEOUT);
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 2);
}

/* Cancel */

static void
test_cancel_mid_stream (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(LoomMockResponse) response = loom_mock_response_new ();
  g_autoptr(LoomAiResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 returned_at;
  gint64 deadline;

  response->n_deltas = 200;
  response->delay_ms = 20;
  loom_mock_server_push (f->server, g_steal_pointer (&response));
  f->cancel_after = 3;

  result = run_chat (f, NULL, &error);
  returned_at = g_get_monotonic_time ();
  g_assert_null (result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (f->n_deltas, ==, 3);
  g_test_message ("cancel → callback: %" G_GINT64_FORMAT " µs", returned_at - f->cancelled_at);
  g_assert_cmpint (returned_at - f->cancelled_at, <, 100 * 1000);

  /* the connection is closed: the server's next write fails and its request ends */
  deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  while (loom_mock_server_get_n_in_flight (f->server) > 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_test_message ("server saw the close after %" G_GINT64_FORMAT " µs",
                  g_get_monotonic_time () - f->cancelled_at);
}

static void
test_cancel_in_delta (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(LoomMockResponse) response = loom_mock_response_new ();
  g_autoptr(LoomAiResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GString *body = g_string_new (NULL);

  gsize first_write = 0;

  /* Five events in a first write, five in a second one 200 ms later. The five of one read
   * arrive as one delta (a window lays its text out once, not five times); cancelling in it
   * stops everything after, so the second write is never seen. */
  for (guint i = 0; i < 10; i++)
    {
      g_string_append_printf (body, "data: {\"choices\":[{\"index\":0,\"delta\":"
                                    "{\"content\":\"word%u \"}}]}\n\n", i);
      if (i == 4)
        first_write = body->len;
    }
  g_string_append (body, "data: [DONE]\n\n");
  response->raw_body = g_string_free (body, FALSE);
  response->split_every = first_write;
  response->delay_ms = 200;
  loom_mock_server_push (f->server, g_steal_pointer (&response));
  f->cancel_after = 1;

  result = run_chat (f, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (f->n_deltas, ==, 1);
  g_assert_cmpstr (f->text->str, ==, "word0 word1 word2 word3 word4 ");
}

static gboolean
cancel_cb (gpointer user_data)
{
  Fixture *f = user_data;

  f->cancelled_at = g_get_monotonic_time ();
  g_cancellable_cancel (f->cancellable);

  return G_SOURCE_REMOVE;
}

static void
test_cancel_during_backoff (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(LoomMockResponse) response = loom_mock_response_new ();
  g_autoptr(LoomAiResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 returned_at;

  response->status = 503;
  response->retry_after = 30;
  loom_mock_server_push (f->server, g_steal_pointer (&response));
  g_timeout_add (200, cancel_cb, f);

  result = run_chat (f, NULL, &error);
  returned_at = g_get_monotonic_time ();
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (returned_at - f->cancelled_at, <, 100 * 1000);
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 1);
}

static void
test_cancel_before (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(LoomAiResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (f->cancellable);
  result = run_chat (f, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 0);
}

/* The key */

static GPtrArray *logged;

static GLogWriterOutput
log_writer (GLogLevelFlags   log_level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_strcmp0 (fields[i].key, "MESSAGE") == 0 && fields[i].length < 0)
      g_ptr_array_add (logged, g_strdup (fields[i].value));

  /* debug lines would go to stdout and break TAP */
  if (log_level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO))
    return G_LOG_WRITER_HANDLED;

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static void
test_key_hidden (Fixture       *f,
                 gconstpointer  data)
{
  const guint statuses[] = { 401, 400, 403, 500 };

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_autoptr(LoomMockResponse) response = loom_mock_response_new ();
      g_autoptr(LoomAiResult) result = NULL;
      g_autoptr(GError) error = NULL;

      /* the server repeats the key back, as some proxies do */
      response->status = statuses[i];
      response->echo_authorization = TRUE;
      loom_mock_server_push (f->server, g_steal_pointer (&response));

      result = run_chat (f, NULL, &error);
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
      g_assert_null (strstr (error->message, TEST_KEY));
      g_assert_null (strstr (error->message, "0123456789abcdef"));
      g_assert_nonnull (strstr (error->message, "you sent"));
    }

  /* and nothing logged, at any level, ever held it */
  g_assert_cmpuint (logged->len, >, 0);
  for (guint i = 0; i < logged->len; i++)
    g_assert_null (strstr (g_ptr_array_index (logged, i), TEST_KEY));
}

static void
test_api_key_not_readable (Fixture       *f,
                           gconstpointer  data)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (f->client), "api-key");
  gboolean has_key = FALSE;

  g_assert_nonnull (pspec);
  g_assert_false (pspec->flags & G_PARAM_READABLE);
  g_object_get (f->client, "has-api-key", &has_key, NULL);
  g_assert_true (has_key);
}

/* URLs and keys before any request */

static void
test_https_only (Fixture       *f,
                 gconstpointer  data)
{
  const struct {
    const char *url;
    gboolean    allowed;
  } cases[] = {
    { "http://openrouter.ai/api/v1", FALSE },
    { "http://192.168.1.10:11434/v1", FALSE },
    { "http://example.com/v1", FALSE },
    { "ftp://example.com/v1", FALSE },
    { "not a url", FALSE },
    { "https:///v1", FALSE },
    { "https://openrouter.ai/api/v1", TRUE },
    { "https://example.com/v1", TRUE },
    { "http://localhost:11434/v1", TRUE },
    { "http://127.0.0.1:8080/v1", TRUE },
    { "http://[::1]:8080/v1", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      loom_ai_client_set_base_url (f->client, cases[i].url);
      /* keys belong to one server: this one's */
      loom_ai_client_set_api_key (f->client, TEST_KEY);
      if (cases[i].allowed)
        {
          g_assert_true (loom_ai_client_check (f->client, &error));
          g_assert_no_error (error);
        }
      else
        {
          g_assert_false (loom_ai_client_check (f->client, &error));
          g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_INVALID_URL);
          g_test_message ("%s: %s", cases[i].url, error->message);
        }
    }

  /* and chat refuses before sending anything */
  {
    g_autoptr(LoomAiResult) result = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *plain = g_strdup_printf ("http://example.invalid:%s",
                                              strrchr (loom_mock_server_get_base_url (f->server),
                                                       ':') + 1);

    loom_ai_client_set_base_url (f->client, plain);
    result = run_chat (f, NULL, &error);
    g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_INVALID_URL);
    g_assert_nonnull (strstr (error->message, "https"));
  }
}

static void
test_no_key (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(LoomAiResult) result = NULL;
  g_autoptr(GError) error = NULL;

  loom_ai_client_set_api_key (f->client, NULL);
  loom_ai_client_set_base_url (f->client, "https://openrouter.ai/api/v1");

  result = run_chat (f, NULL, &error);
  g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_NO_KEY);
  g_assert_nonnull (strstr (error->message, "OPENROUTER_API_KEY"));
  g_assert_nonnull (strstr (error->message, "Preferences"));

  /* a server on this computer needs none, and gets no Authorization header */
  g_clear_error (&error);
  loom_ai_client_set_base_url (f->client, loom_mock_server_get_base_url (f->server));
  result = run_chat (f, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (request_at (f, 0)->authorization);
}

static void
test_from_environment (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(LoomAiClient) client = NULL;
  g_autoptr(LoomAiClient) defaults = NULL;

  g_setenv ("STORYLOOM_API_BASE", "http://localhost:11434/v1", TRUE);
  g_setenv ("STORYLOOM_MODEL", "llama3.1:8b", TRUE);
  g_setenv ("OPENROUTER_API_KEY", "sk-env", TRUE);
  client = loom_ai_client_new_from_environment (NULL);
  g_assert_cmpstr (loom_ai_client_get_base_url (client), ==, "http://localhost:11434/v1");
  g_assert_cmpstr (loom_ai_client_get_model (client), ==, "llama3.1:8b");
  /* OPENROUTER_API_KEY is OpenRouter's alone */
  g_assert_false (loom_ai_client_get_has_api_key (client));
  loom_ai_client_set_base_url (client, "https://openrouter.ai/api/v1");
  g_assert_true (loom_ai_client_get_has_api_key (client));
  g_assert_nonnull (loom_ai_client_get_session (client));

  g_unsetenv ("STORYLOOM_API_BASE");
  g_unsetenv ("STORYLOOM_MODEL");
  g_unsetenv ("OPENROUTER_API_KEY");
  defaults = loom_ai_client_new_from_environment (NULL);
  g_assert_cmpstr (loom_ai_client_get_base_url (defaults), ==, "https://openrouter.ai/api/v1");
  g_assert_cmpstr (loom_ai_client_get_model (defaults), ==, "anthropic/claude-3.5-sonnet");
  g_assert_false (loom_ai_client_get_has_api_key (defaults));
  g_assert_cmpuint (loom_ai_client_get_max_attempts (defaults), ==, 4);
}

static void
test_bind_settings (Fixture       *f,
                    gconstpointer  data)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(LoomAiClient) follows = NULL;
  g_autoptr(LoomAiClient) overridden = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, "io.github.storyloom.Storyloom", TRUE);
  if (schema == NULL)
    {
      g_test_skip ("the app's compiled schema is not in GSETTINGS_SCHEMA_DIR");
      return;
    }

  /* GSETTINGS_BACKEND=memory in the test environment */
  settings = g_settings_new ("io.github.storyloom.Storyloom");
  g_settings_set_string (settings, "api-base", "http://localhost:11434/v1");
  g_settings_set_string (settings, "model", "llama3.1:8b");

  g_unsetenv ("STORYLOOM_API_BASE");
  g_unsetenv ("STORYLOOM_MODEL");
  follows = loom_ai_client_new (NULL);
  loom_ai_client_bind_settings (follows, settings);
  g_assert_cmpstr (loom_ai_client_get_base_url (follows), ==, "http://localhost:11434/v1");
  g_assert_cmpstr (loom_ai_client_get_model (follows), ==, "llama3.1:8b");
  g_settings_set_string (settings, "model", "mistral:7b");
  g_assert_cmpstr (loom_ai_client_get_model (follows), ==, "mistral:7b");

  /* the environment wins, and keeps winning when the settings change */
  g_setenv ("STORYLOOM_API_BASE", loom_mock_server_get_base_url (f->server), TRUE);
  overridden = loom_ai_client_new (NULL);
  loom_ai_client_bind_settings (overridden, settings);
  g_assert_cmpstr (loom_ai_client_get_base_url (overridden), ==,
                   loom_mock_server_get_base_url (f->server));
  g_assert_cmpstr (loom_ai_client_get_model (overridden), ==, "mistral:7b");
  g_settings_set_string (settings, "api-base", "https://openrouter.ai/api/v1");
  g_assert_cmpstr (loom_ai_client_get_base_url (overridden), ==,
                   loom_mock_server_get_base_url (f->server));
  g_assert_cmpstr (loom_ai_client_get_base_url (follows), ==, "https://openrouter.ai/api/v1");
  g_unsetenv ("STORYLOOM_API_BASE");
}

/* Non-streaming and odd answers */

static void
test_non_streaming (Fixture       *f,
                    gconstpointer  data)
{
  LoomAiChatOptions options = LOOM_AI_CHAT_OPTIONS_INIT;
  g_autoptr(LoomAiResult) result = NULL;
  g_autoptr(GError) error = NULL;

  options.stream = FALSE;
  loom_mock_server_push (f->server, response_with_deltas ("All", " at", " once.", NULL));

  result = run_chat (f, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->text, ==, "All at once.");
  g_assert_cmpstr (result->finish_reason, ==, "stop");
  g_assert_cmpint (result->completion_tokens, ==, 3);
  g_assert_cmpuint (f->n_deltas, ==, 0);
  g_assert_nonnull (strstr (request_at (f, 0)->body, "\"stream\":false"));
}

static void
test_error_in_200 (Fixture       *f,
                   gconstpointer  data)
{
  LoomAiChatOptions options = LOOM_AI_CHAT_OPTIONS_INIT;
  g_autoptr(LoomMockResponse) response = loom_mock_response_new ();
  g_autoptr(LoomAiResult) result = NULL;
  g_autoptr(GError) error = NULL;

  options.stream = FALSE;
  response->content_type = g_strdup ("application/json");
  response->raw_body = g_strdup ("{\"error\":{\"code\":403,\"message\":\"Flagged as unsafe\","
                                 "\"metadata\":{\"reasons\":[\"self-harm\"]}}}");
  loom_mock_server_push (f->server, g_steal_pointer (&response));

  result = run_chat (f, &options, &error);
  g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_FORBIDDEN);
  g_assert_nonnull (strstr (error->message, "Flagged as unsafe"));
  g_assert_nonnull (strstr (error->message, "self-harm"));
}

static void
test_wrong_content_type (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(LoomMockResponse) response = loom_mock_response_new ();
  g_autoptr(LoomAiResult) result = NULL;
  g_autoptr(GError) error = NULL;

  response->content_type = g_strdup ("text/html");
  response->raw_body = g_strdup ("<html><body>Welcome to nginx!</body></html>");
  loom_mock_server_push (f->server, g_steal_pointer (&response));

  result = run_chat (f, NULL, &error);
  g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_BAD_RESPONSE);
  g_assert_nonnull (strstr (error->message, "text/html"));
}

static void
test_garbage_stream (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(LoomMockResponse) response = loom_mock_response_new ();
  g_autoptr(LoomAiResult) result = NULL;
  g_autoptr(GError) error = NULL;

  response->raw_body = g_strdup ("data: {\"choices\":[{\"delta\":{\"content\":\"ok\"}}]}\n\n"
                                 "data: {oops\n\n");
  loom_mock_server_push (f->server, g_steal_pointer (&response));

  result = run_chat (f, NULL, &error);
  g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_BAD_RESPONSE);
}

/* Models */

static void
models_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Fixture *f = user_data;

  f->result = g_object_ref (result);
}

static GPtrArray *
run_models (Fixture  *f,
            GError  **error)
{
  g_clear_object (&f->result);
  loom_ai_client_list_models_async (f->client, NULL, models_cb, f);
  wait_result (f);

  return loom_ai_client_list_models_finish (f->client, f->result, error);
}

static void
test_models (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GError) error = NULL;
  LoomAiModelInfo *info;

  models = run_models (f, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (models->len, ==, 3);

  info = g_ptr_array_index (models, 0);
  g_assert_cmpstr (info->id, ==, "anthropic/claude-3.5-sonnet");
  g_assert_cmpstr (info->name, ==, "Anthropic: Claude 3.5 Sonnet");
  g_assert_cmpint (info->context_length, ==, 200000);
  g_assert_cmpfloat_with_epsilon (info->prompt_price, 0.000003, 1e-15);
  g_assert_cmpfloat_with_epsilon (info->completion_price, 0.000015, 1e-15);

  info = g_ptr_array_index (models, 1);
  g_assert_cmpfloat (info->prompt_price, ==, 0.0);

  /* no name: the id stands in; a context length given as a string still reads */
  info = g_ptr_array_index (models, 2);
  g_assert_cmpstr (info->name, ==, "mock/no-name");
  g_assert_cmpint (info->context_length, ==, 32768);

  {
    GPtrArray *asked = loom_mock_server_get_model_requests (f->server);

    g_assert_cmpuint (asked->len, ==, 1);
    g_assert_cmpstr (((LoomMockRequest *) asked->pdata[0])->method, ==, "GET");
    g_assert_cmpstr (((LoomMockRequest *) asked->pdata[0])->path, ==, "/api/v1/models");
    g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 0);
  }

  /* no key needed for the list */
  g_clear_pointer (&models, g_ptr_array_unref);
  loom_ai_client_set_api_key (f->client, NULL);
  models = run_models (f, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (models->len, ==, 3);
}

static void
test_models_error (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(LoomMockResponse) response = loom_mock_response_new ();
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GError) error = NULL;

  response->status = 500;
  response->error_message = g_strdup ("Database on fire");
  loom_mock_server_push_models (f->server, g_steal_pointer (&response));

  models = run_models (f, &error);
  g_assert_null (models);
  g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_SERVER);
  g_assert_nonnull (strstr (error->message, "Database on fire"));
}

/* A body past the client's cap (32 MB for a model list, 64 KB for an error) is not read to
 * its end: what lies beyond never reaches the client, and memory stays bounded. */
static void
test_models_body_cap (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(LoomMockResponse) response = loom_mock_response_new ();
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GError) error = NULL;
  GString *body = g_string_new ("{\"data\":[");

  /* 33 MB of valid JSON: without the cap it would be read whole and give one model */
  while (body->len < 33 * 1024 * 1024)
    g_string_append (body, "                                                                ");
  g_string_append (body, "{\"id\":\"mock/past-the-cap\"}]}");
  response->raw_body = g_string_free (body, FALSE);
  loom_mock_server_push_models (f->server, g_steal_pointer (&response));

  models = run_models (f, &error);
  g_assert_null (models);
  g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_BAD_RESPONSE);
  g_assert_nonnull (strstr (error->message, "too large"));
}

static void
test_error_body_cap (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(LoomMockResponse) response = loom_mock_response_new ();
  g_autoptr(LoomAiResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GString *body = g_string_new ("{\"error\":{\"padding\":\"");

  /* 4 MB before the message: read whole, the message would be shown */
  while (body->len < 4 * 1024 * 1024)
    g_string_append (body, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
  g_string_append (body, "\",\"message\":\"Past the cap\",\"code\":500}}");
  response->status = 500;
  response->raw_body = g_string_free (body, FALSE);
  loom_mock_server_push (f->server, g_steal_pointer (&response));

  result = run_chat (f, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_SERVER);
  g_assert_null (strstr (error->message, "Past the cap"));
}

/* Hostile servers (issue 11) */

static LoomMockResponse *
response_with_raw (const char *body)
{
  LoomMockResponse *response = loom_mock_response_new ();

  response->raw_body = g_strdup (body);

  return response;
}

static void
test_lone_surrogate (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(LoomAiResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* json-glib decoded this escape to bytes that are not UTF-8, and the scene never recovered */
  loom_mock_server_push (f->server, response_with_raw (
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Mara waited. \"}}]}\n\n"
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Then \\ud800 nothing.\"}}]}\n\n"
    "data: [DONE]\n\n"));

  result = run_chat (f, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_BAD_RESPONSE);
  g_assert_nonnull (strstr (error->message, "could not be read"));
  g_assert_cmpstr (f->text->str, ==, "Mara waited. ");
}

static void
test_nul_in_delta (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(LoomAiResult) result = NULL;
  g_autoptr(GError) error = NULL;

  loom_mock_server_push (f->server, response_with_raw (
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"The door\\u0000 opened \"}}]}\n\n"
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"onto the sea.\"},"
    "\"finish_reason\":\"stop\"}]}\n\n"
    "data: [DONE]\n\n"));

  result = run_chat (f, NULL, &error);
  g_assert_no_error (error);
  /* only the NUL goes: the words after it are the writer's too */
  g_assert_cmpstr (f->text->str, ==, "The door opened onto the sea.");
  g_assert_cmpstr (result->text, ==, "The door opened onto the sea.");
}

static void
test_models_deep (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *deep = g_strnfill (200000, '[');

  /* json-glib recursed into this until the stack ran out */
  loom_mock_server_push_models (f->server, response_with_raw (deep));

  models = run_models (f, &error);
  g_assert_null (models);
  g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_BAD_RESPONSE);
  g_assert_nonnull (strstr (error->message, "list of models"));
}

static void
test_deep_event (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(LoomAiResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) body = g_string_new ("data: {\"choices\":");

  for (guint i = 0; i < 200000; i++)
    g_string_append_c (body, '[');
  g_string_append (body, "\n\n");
  loom_mock_server_push (f->server, response_with_raw (body->str));

  result = run_chat (f, NULL, &error);
  g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_BAD_RESPONSE);
}

static LoomMockResponse *
response_silent (void)
{
  LoomMockResponse *response = response_with_raw ("");

  response->hold_open = TRUE;

  return response;
}

static void
test_idle_timeout_silent (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(LoomAiResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* before, a server that says nothing took 4 attempts of 120 s to fail */
  loom_ai_client_set_max_attempts (f->client, 1);
  loom_ai_client_set_timeouts (f->client, 300, 0, 0);
  loom_mock_server_push (f->server, response_silent ());

  result = run_chat (f, NULL, &error);
  g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, "sent nothing for 1 second"));
}

static void
test_idle_timeout_keep_alive (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(LoomMockResponse) response = NULL;
  g_autoptr(LoomAiResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* comments keep a connection open but are not an answer: before, this never failed */
  response = response_with_raw (": OPENROUTER PROCESSING\n\n");
  response->hold_open = TRUE;
  response->keep_alive_ms = 20;
  loom_ai_client_set_max_attempts (f->client, 1);
  loom_ai_client_set_timeouts (f->client, 300, 0, 0);
  loom_mock_server_push (f->server, g_steal_pointer (&response));

  result = run_chat (f, NULL, &error);
  g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, "sent nothing for"));
}

static void
test_attempt_deadline (Fixture       *f,
                       gconstpointer  data)
{
  LoomMockResponse *response = loom_mock_response_new ();
  g_autoptr(LoomAiResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* a word every 20 ms for 4 s: never idle, but far over the attempt's 300 ms */
  response->n_deltas = 200;
  response->delay_ms = 20;
  loom_ai_client_set_timeouts (f->client, 5000, 300, 0);
  loom_mock_server_push (f->server, response);

  result = run_chat (f, NULL, &error);
  g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, "over one answer"));
  /* what came is the caller's (the generator keeps it); with prose, no silent retry */
  g_assert_cmpuint (f->n_deltas, >, 0);
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 1);
}

static void
test_total_deadline (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(LoomMockResponse) silent = response_silent ();
  g_autoptr(LoomAiResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* every attempt is silent and retried; all of them together stop at the total */
  loom_mock_server_set_default (f->server, silent);
  loom_ai_client_set_max_attempts (f->client, 20);
  loom_ai_client_set_retry_delay (f->client, 10);
  loom_ai_client_set_timeouts (f->client, 150, 0, 600);

  result = run_chat (f, NULL, &error);
  g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, "retries included"));
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), >=, 2);
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), <, 20);
}

static void
test_answer_too_long (Fixture       *f,
                      gconstpointer  data)
{
  LoomMockResponse *response = loom_mock_response_new ();
  LoomAiChatOptions options = LOOM_AI_CHAT_OPTIONS_INIT;
  g_autoptr(LoomAiResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* 20,000 words asked to stop at 10 tokens: before, the whole answer was taken */
  response->n_deltas = 20000;
  loom_mock_server_push (f->server, response);
  options.max_tokens = 10;

  result = run_chat (f, &options, &error);
  g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_TOO_LONG);
  g_assert_nonnull (strstr (error->message, "maximum length of 10 tokens"));
  g_assert_nonnull (strstr (error->message, "The text so far is kept"));
  g_assert_cmpuint (f->text->len, >, 0);
  g_assert_cmpuint (f->text->len, <, 10 * 16 + 4096 + 100);
}

static void
test_redirect_other_origin (Fixture       *f,
                            gconstpointer  data)
{
  LoomMockResponse *response = loom_mock_response_new ();
  g_autoptr(LoomAiResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* before, libsoup followed this to any host, and its answer became prose */
  response->status = 302;
  response->location = g_strdup ("http://127.0.0.2:9/api/v1/chat/completions");
  loom_mock_server_push (f->server, response);

  result = run_chat (f, NULL, &error);
  g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_INVALID_URL);
  g_assert_nonnull (strstr (error->message, "http://127.0.0.2:9"));
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 1);
  g_assert_cmpuint (f->text->len, ==, 0);
}

static void
test_redirect_same_origin (Fixture       *f,
                           gconstpointer  data)
{
  LoomMockResponse *response = loom_mock_response_new ();
  g_autoptr(LoomAiResult) result = NULL;
  g_autoptr(GError) error = NULL;

  response->status = 307;
  response->location = g_strdup ("/api/v2/chat/completions");
  loom_mock_server_push (f->server, response);

  result = run_chat (f, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (f->text->len, >, 0);
  g_assert_cmpstr (request_at (f, 1)->path, ==, "/api/v2/chat/completions");
  g_assert_cmpstr (request_at (f, 1)->method, ==, "POST");
  g_assert_cmpstr (request_at (f, 1)->authorization, ==, "Bearer " TEST_KEY);
}

static void
test_one_session (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(LoomAiClient) a = loom_ai_client_new (NULL);
  g_autoptr(LoomAiClient) b = loom_ai_client_new_from_environment (NULL);
  SoupSession *session = loom_ai_client_get_session (a);

  /* every client without a session of its own shares one, with the whole policy */
  g_assert_true (session == loom_ai_client_get_session (b));
  g_assert_cmpuint (soup_session_get_max_conns_per_host (session), >=, 8);
  g_assert_cmpuint (soup_session_get_max_conns (session), >=, 8);
  g_assert_true (g_str_has_prefix (soup_session_get_user_agent (session), "Storyloom/"));
  g_assert_cmpuint (soup_session_get_timeout (session), >, 0);
}

/* The sockets this process has open: the client's and the mock server's ends alike. */
static guint
count_sockets (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc/self/fd", name, NULL);
      g_autofree char *target = g_file_read_link (path, NULL);

      if (target != NULL && g_str_has_prefix (target, "socket:"))
        n++;
    }
  return n;
}

static void
test_no_idle_connections (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(LoomAiClient) client = loom_ai_client_new (NULL);
  guint before;
  gint64 deadline;

  if (!g_file_test ("/proc/self/fd", G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("needs /proc to count open sockets");
      return;
    }
  g_object_unref (f->client);
  f->client = g_object_ref (client);
  loom_ai_client_set_base_url (client, loom_mock_server_get_base_url (f->server));
  loom_ai_client_set_api_key (client, TEST_KEY);
  before = count_sockets ();

  /* Drafts one after another, as a chapter's are: none may leave its connection open. */
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(LoomAiResult) result = NULL;
      g_autoptr(GError) error = NULL;

      loom_mock_server_push (f->server, response_with_deltas ("The tide", " turned.", NULL));
      result = run_chat (f, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (result->text, ==, "The tide turned.");
    }
  g_assert_cmpuint (loom_mock_server_get_n_requests (f->server), ==, 4);

  /* The closing is asynchronous on both ends; it takes a few turns of the loop. */
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (count_sockets () > before && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  g_assert_cmpuint (count_sockets (), ==, before);
}

static void
test_key_per_origin (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(LoomAiClient) client = NULL;
  g_autoptr(JsonArray) messages = make_messages ();
  g_autoptr(GError) error = NULL;
  g_autofree char *other = NULL;
  LoomAiResult *result;
  const char *base = loom_mock_server_get_base_url (f->server);

  /* OpenRouter's key from the environment, a local server configured: it gets no key */
  g_setenv ("OPENROUTER_API_KEY", "sk-or-v1-for-openrouter-only", TRUE);
  g_setenv ("STORYLOOM_API_BASE", base, TRUE);
  client = loom_ai_client_new_from_environment (f->session);
  g_unsetenv ("OPENROUTER_API_KEY");
  g_unsetenv ("STORYLOOM_API_BASE");
  g_assert_false (loom_ai_client_get_has_api_key (client));

  loom_ai_client_chat_async (client, messages, NULL, delta_cb, f, NULL, result_cb, f);
  wait_result (f);
  result = loom_ai_client_chat_finish (client, f->result, &error);
  g_assert_no_error (error);
  loom_ai_result_free (result);
  g_assert_null (request_at (f, 0)->authorization);

  /* a key set for this server goes to it */
  loom_ai_client_set_api_key (client, "sk-local");
  g_assert_true (loom_ai_client_get_has_api_key (client));
  g_clear_object (&f->result);
  loom_ai_client_chat_async (client, messages, NULL, delta_cb, f, NULL, result_cb, f);
  wait_result (f);
  result = loom_ai_client_chat_finish (client, f->result, &error);
  g_assert_no_error (error);
  loom_ai_result_free (result);
  g_assert_cmpstr (request_at (f, 1)->authorization, ==, "Bearer sk-local");

  /* the same mock under another name is another origin: the key stays home */
  other = g_strdup_printf ("http://localhost%s", strrchr (base, ':'));
  loom_ai_client_set_base_url (client, other);
  g_assert_false (loom_ai_client_get_has_api_key (client));
  g_clear_object (&f->result);
  loom_ai_client_chat_async (client, messages, NULL, delta_cb, f, NULL, result_cb, f);
  wait_result (f);
  result = loom_ai_client_chat_finish (client, f->result, &error);
  g_assert_no_error (error);
  loom_ai_result_free (result);
  g_assert_null (request_at (f, 2)->authorization);
}

static void
test_sentences (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomAiResult) result = NULL;

  /* the server's name inside a sentence is its host, not "The server at …" */
  loom_ai_client_set_base_url (f->client, "https://ai.example.com/v1");
  g_assert_false (loom_ai_client_check (f->client, &error));
  g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_NO_KEY);
  g_assert_true (g_str_has_prefix (error->message, "No API key is set for ai.example.com. "));
  g_clear_error (&error);

  loom_ai_client_set_base_url (f->client, "http://127.0.0.1:9/v1");
  loom_ai_client_set_max_attempts (f->client, 1);
  result = run_chat (f, NULL, &error);
  g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_NETWORK);
  g_assert_true (g_str_has_prefix (error->message, "Could not reach 127.0.0.1: "));
}

/* The writer reads a server's own words, whole, whatever shape its error body has, and never
 * a parser's line and column. */
static void
test_server_words (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GString) long_text = g_string_new ("The model mock/long is resting");
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomAiResult) result = NULL;
  LoomMockResponse *response;

  /* {"message": …} on a 4xx, far longer than a toast: kept whole, not cut with "…" */
  for (guint i = 0; i < 20; i++)
    g_string_append (long_text, ", and it will be back when the tide has turned");
  g_string_append (long_text, ", said the server at the very end");
  response = loom_mock_response_new ();
  response->status = 422;
  response->raw_body = g_strdup_printf ("{\"message\": \"%s.\"}", long_text->str);
  loom_mock_server_push (f->server, response);
  result = run_chat (f, NULL, &error);
  g_assert_null (result);
  g_assert_nonnull (error);
  g_test_message ("422: %s", error->message);
  g_assert_nonnull (strstr (error->message, long_text->str));
  g_assert_null (strstr (error->message, "…"));
  g_clear_error (&error);

  /* {"error": {"message": …}} on a 5xx that is not retried */
  response = loom_mock_response_new ();
  response->status = 500;
  response->raw_body = g_strdup ("{\"error\": {\"message\": \"The GPU caught fire\", \"code\": 500}}");
  loom_mock_server_push (f->server, response);
  result = run_chat (f, NULL, &error);
  g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_SERVER);
  g_assert_nonnull (strstr (error->message, "The GPU caught fire"));
  g_clear_error (&error);

  /* a gateway's HTML page: the status in words, no markup */
  response = loom_mock_response_new ();
  response->status = 500;
  response->content_type = g_strdup ("text/html");
  response->raw_body = g_strdup ("<!DOCTYPE html><html><body><h1>500</h1><p>nginx</p></body>"
                                 "</html>");
  loom_mock_server_push (f->server, response);
  result = run_chat (f, NULL, &error);
  g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_SERVER);
  g_test_message ("HTML: %s", error->message);
  g_assert_null (strstr (error->message, "<"));
  g_assert_nonnull (strstr (error->message, "Internal Server Error"));
  g_clear_error (&error);

  /* a broken event in a stream, and a broken whole answer: no parser's words */
  response = loom_mock_response_new ();
  response->raw_body = g_strdup ("data: {\"choices\":[{\"delta\":{\"content\":\"ok\"}}]}\n\n"
                                 "data: {\"choices\": [1, 2,, 3]}\n\n");
  loom_mock_server_push (f->server, response);
  result = run_chat (f, NULL, &error);
  g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_BAD_RESPONSE);
  g_test_message ("stream: %s", error->message);
  g_assert_false (g_regex_match_simple ("JSON|line [0-9]|column|unexpected", error->message,
                                        0, 0));
  g_assert_nonnull (strstr (error->message, "Try again"));
  g_clear_error (&error);

  {
    LoomAiChatOptions options = LOOM_AI_CHAT_OPTIONS_INIT;

    options.stream = FALSE;
    response = loom_mock_response_new ();
    response->content_type = g_strdup ("application/json");
    response->raw_body = g_strdup ("{\"choices\": [");
    loom_mock_server_push (f->server, response);
    result = run_chat (f, &options, &error);
    g_assert_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_BAD_RESPONSE);
    g_test_message ("whole: %s", error->message);
    g_assert_false (g_regex_match_simple ("JSON|line [0-9]|column|unexpected", error->message,
                                          0, 0));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* every message, debug included, goes through our writer, which keeps it to look for the key */
  logged = g_ptr_array_new_with_free_func (g_free);
  g_log_set_writer_func (log_writer, NULL, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/ai-client/stream", test_stream);
  ADD ("/ai-client/frames-while-streaming", test_frames_while_streaming);
  ADD ("/ai-client/model-option", test_model_option);
  ADD ("/ai-client/split-reads", test_split_reads);
  ADD ("/ai-client/crlf", test_crlf);
  ADD ("/ai-client/mid-stream-error", test_mid_stream_error);
  ADD ("/ai-client/truncated", test_truncated);
  ADD ("/ai-client/http-errors", test_http_errors);
  ADD ("/ai-client/error-not-json", test_error_not_json);
  ADD ("/ai-client/retry", test_retry);
  ADD ("/ai-client/retry-exhausted", test_retry_exhausted);
  ADD ("/ai-client/retry-after", test_retry_after);
  ADD ("/ai-client/retry-after-too-long", test_retry_after_too_long);
  ADD ("/ai-client/no-retry-4xx", test_no_retry_4xx);
  ADD ("/ai-client/no-retry-after-token", test_no_retry_after_token);
  ADD ("/ai-client/network-error", test_network_error);
  ADD ("/ai-client/timeout", test_timeout);
  ADD ("/ai-client/cancel-mid-stream", test_cancel_mid_stream);
  ADD ("/ai-client/cancel-in-delta", test_cancel_in_delta);
  ADD ("/ai-client/cancel-during-backoff", test_cancel_during_backoff);
  ADD ("/ai-client/cancel-before", test_cancel_before);
  ADD ("/ai-client/key-hidden", test_key_hidden);
  ADD ("/ai-client/api-key-not-readable", test_api_key_not_readable);
  ADD ("/ai-client/https-only", test_https_only);
  ADD ("/ai-client/no-key", test_no_key);
  ADD ("/ai-client/from-environment", test_from_environment);
  ADD ("/ai-client/bind-settings", test_bind_settings);
  ADD ("/ai-client/non-streaming", test_non_streaming);
  ADD ("/ai-client/error-in-200", test_error_in_200);
  ADD ("/ai-client/wrong-content-type", test_wrong_content_type);
  ADD ("/ai-client/garbage-stream", test_garbage_stream);
  ADD ("/ai-client/models", test_models);
  ADD ("/ai-client/models-error", test_models_error);
  ADD ("/ai-client/models-body-cap", test_models_body_cap);
  ADD ("/ai-client/error-body-cap", test_error_body_cap);
  ADD ("/ai-client/hostile/lone-surrogate", test_lone_surrogate);
  ADD ("/ai-client/hostile/nul-in-delta", test_nul_in_delta);
  ADD ("/ai-client/hostile/models-deep", test_models_deep);
  ADD ("/ai-client/hostile/deep-event", test_deep_event);
  ADD ("/ai-client/hostile/idle-timeout-silent", test_idle_timeout_silent);
  ADD ("/ai-client/hostile/idle-timeout-keep-alive", test_idle_timeout_keep_alive);
  ADD ("/ai-client/hostile/attempt-deadline", test_attempt_deadline);
  ADD ("/ai-client/hostile/total-deadline", test_total_deadline);
  ADD ("/ai-client/hostile/answer-too-long", test_answer_too_long);
  ADD ("/ai-client/hostile/redirect-other-origin", test_redirect_other_origin);
  ADD ("/ai-client/hostile/redirect-same-origin", test_redirect_same_origin);
  ADD ("/ai-client/hostile/one-session", test_one_session);
  ADD ("/ai-client/hostile/key-per-origin", test_key_per_origin);
  ADD ("/ai-client/no-idle-connections", test_no_idle_connections);
  ADD ("/ai-client/hostile/sentences", test_sentences);
  ADD ("/ai-client/server-words", test_server_words);

  return g_test_run ();
}
