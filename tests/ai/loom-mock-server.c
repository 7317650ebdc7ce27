/* loom-mock-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-mock"

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "loom-mock-server.h"

struct _LoomMockServer
{
  GObject           parent_instance;

  SoupServer       *server;
  GMainContext     *context;   /* the thread-default context at creation: the server's own */
  char             *base_url;
  GQueue            script;
  GQueue            models_script;
  LoomMockResponse *fallback;
  char             *api_key;
  GPtrArray        *requests;
  GPtrArray        *model_requests;
  GList            *streams;
  guint             n_requests;
  guint             n_in_flight;
  guint             max_in_flight;
};

G_DEFINE_FINAL_TYPE (LoomMockServer, loom_mock_server, G_TYPE_OBJECT)

enum {
  REQUEST_STARTED,
  REQUEST_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* One response being written. */
typedef struct
{
  LoomMockServer    *server;   /* unowned: the server ends every stream when it goes */
  SoupServerMessage *message;  /* owned */
  GPtrArray         *pieces;   /* GBytes, written one per tick */
  guint              next;
  guint              delay_ms;
  gboolean           hold_open;
  guint              keep_alive_ms;
  gboolean           abort;
  gboolean           closing;
  GSource           *source;
  gulong             finished_handler;
} MockStream;

static const char *prose[] = {
  "The", "rain", "had", "not", "stopped", "for", "three", "days,", "and", "Mara", "had",
  "begun", "to", "count", "the", "drops", "on", "the", "café", "window", "as", "if", "they",
  "were", "letters", "she", "could", "not", "bring", "herself", "to", "open.", "Across",
  "the", "square", "the", "lamplighter", "—", "an", "old", "man", "with", "a", "limp", "—",
  "moved", "from", "post", "to", "post,", "and", "each", "flame", "seemed", "to", "ask",
  "her", "the", "same", "question.", "She", "finished", "her", "coffee,", "paid,", "and",
  "stepped", "out", "into", "the", "wet", "blue", "evening,", "ready", "at", "last", "to",
  "answer", "it.",
};

LoomMockResponse *
loom_mock_response_new (void)
{
  LoomMockResponse *response = g_new0 (LoomMockResponse, 1);

  response->status = 200;
  response->retry_after = -1;
  response->usage = TRUE;
  response->finish_reason = g_strdup ("stop");
  response->send_done = TRUE;
  response->error_after = -1;
  response->truncate_after = -1;

  return response;
}

LoomMockResponse *
loom_mock_response_copy (const LoomMockResponse *response)
{
  LoomMockResponse *copy = g_memdup2 (response, sizeof *response);

  copy->error_message = g_strdup (response->error_message);
  copy->deltas = g_strdupv (response->deltas);
  copy->reasoning = g_strdup (response->reasoning);
  copy->finish_reason = g_strdup (response->finish_reason);
  copy->content_type = g_strdup (response->content_type);
  copy->raw_body = g_strdup (response->raw_body);
  copy->location = g_strdup (response->location);

  return copy;
}

void
loom_mock_response_free (LoomMockResponse *response)
{
  if (response == NULL)
    return;

  g_free (response->error_message);
  g_strfreev (response->deltas);
  g_free (response->reasoning);
  g_free (response->finish_reason);
  g_free (response->content_type);
  g_free (response->raw_body);
  g_free (response->location);
  g_free (response);
}

static void
mock_request_free (LoomMockRequest *request)
{
  g_free (request->method);
  g_free (request->path);
  g_free (request->body);
  g_free (request->authorization);
  g_free (request->referer);
  g_free (request->title);
  g_free (request);
}

/* Bookkeeping */

/* A request is counted out once, whether its message finishes or its connection is dropped. */
static void
request_finished (LoomMockServer    *self,
                  SoupServerMessage *message)
{
  if (g_object_get_data (G_OBJECT (message), "loom-mock-in-flight") == NULL)
    return;

  g_object_set_data (G_OBJECT (message), "loom-mock-in-flight", NULL);
  g_assert (self->n_in_flight > 0);
  self->n_in_flight--;
  g_signal_emit (self, signals[REQUEST_FINISHED], 0);
}

static void
message_finished_cb (SoupServerMessage *message,
                     LoomMockServer    *self)
{
  g_signal_handlers_disconnect_by_func (message, message_finished_cb, self);
  request_finished (self, message);
}

static void
mock_stream_free (MockStream *stream)
{
  if (stream->source != NULL)
    {
      g_source_destroy (stream->source);
      g_source_unref (stream->source);
    }
  if (stream->finished_handler != 0)
    g_signal_handler_disconnect (stream->message, stream->finished_handler);
  g_clear_object (&stream->message);
  g_ptr_array_unref (stream->pieces);
  g_free (stream);
}

static void
mock_stream_end (MockStream *stream)
{
  LoomMockServer *self = stream->server;

  self->streams = g_list_remove (self->streams, stream);
  mock_stream_free (stream);
}

static void
stream_finished_cb (SoupServerMessage *message,
                    MockStream        *stream)
{
  /* the client went away, or the body was written: either way no more writes */
  g_signal_handler_disconnect (message, stream->finished_handler);
  stream->finished_handler = 0;
  mock_stream_end (stream);
}

static void
schedule_tick (MockStream *stream,
               guint       delay_ms);

static gboolean
stream_tick_cb (gpointer user_data)
{
  MockStream *stream = user_data;
  SoupMessageBody *body = soup_server_message_get_response_body (stream->message);

  g_clear_pointer (&stream->source, g_source_unref);

  if (stream->closing)
    {
      LoomMockServer *self = stream->server;
      g_autoptr(SoupServerMessage) message = g_object_ref (stream->message);
      g_autoptr(GIOStream) connection = NULL;

      mock_stream_end (stream);
      connection = soup_server_message_steal_connection (message);
      if (connection != NULL)
        g_io_stream_close (connection, NULL, NULL);
      request_finished (self, message);
      return G_SOURCE_REMOVE;
    }

  if (stream->next < stream->pieces->len)
    {
      soup_message_body_append_bytes (body, g_ptr_array_index (stream->pieces, stream->next++));
      soup_server_message_unpause (stream->message);
    }

  if (stream->next >= stream->pieces->len)
    {
      if (stream->hold_open)
        {
          /* a server that keeps the connection and says nothing more, or only comments */
          if (stream->keep_alive_ms > 0)
            {
              g_ptr_array_add (stream->pieces, g_bytes_new_static (": keep-alive\n\n", 14));
              schedule_tick (stream, stream->keep_alive_ms);
            }
          return G_SOURCE_REMOVE;
        }

      if (stream->abort)
        {
          /* give the last piece a moment to leave before the connection drops */
          stream->closing = TRUE;
          schedule_tick (stream, MAX (stream->delay_ms, 20));
          return G_SOURCE_REMOVE;
        }

      /* Counted out now, before the client can have the last bytes: a client that sends its
       * next request as soon as it reads [DONE] must never be seen with two in flight. */
      request_finished (stream->server, stream->message);
      soup_message_body_complete (body);
      soup_server_message_unpause (stream->message);
      /* "finished" ends the stream */
      return G_SOURCE_REMOVE;
    }

  schedule_tick (stream, stream->delay_ms);

  return G_SOURCE_REMOVE;
}

static void
schedule_tick (MockStream *stream,
               guint       delay_ms)
{
  stream->source = delay_ms > 0 ? g_timeout_source_new (delay_ms) : g_idle_source_new ();
  g_source_set_callback (stream->source, stream_tick_cb, stream, NULL);
  g_source_attach (stream->source, stream->server->context);
}

/* Building the answers */

static char *
node_to_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);

  return json_generator_to_data (generator, NULL);
}

static JsonNode *
chunk_new (const char *model,
           const char *content,
           const char *reasoning,
           const char *finish_reason)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, "gen-mock-1");
  json_builder_set_member_name (builder, "provider");
  json_builder_add_string_value (builder, "Mock");
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, model);
  json_builder_set_member_name (builder, "object");
  json_builder_add_string_value (builder, "chat.completion.chunk");
  json_builder_set_member_name (builder, "created");
  json_builder_add_int_value (builder, 1732500000);
  json_builder_set_member_name (builder, "choices");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "index");
  json_builder_add_int_value (builder, 0);
  json_builder_set_member_name (builder, "delta");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, "assistant");
  json_builder_set_member_name (builder, "content");
  json_builder_add_string_value (builder, content ? content : "");
  json_builder_set_member_name (builder, "reasoning");
  if (reasoning != NULL)
    json_builder_add_string_value (builder, reasoning);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "finish_reason");
  if (finish_reason != NULL)
    json_builder_add_string_value (builder, finish_reason);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static JsonNode *
usage_new (gint64 prompt_tokens,
           gint64 completion_tokens)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, "gen-mock-1");
  json_builder_set_member_name (builder, "object");
  json_builder_add_string_value (builder, "chat.completion.chunk");
  json_builder_set_member_name (builder, "choices");
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "usage");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "prompt_tokens");
  json_builder_add_int_value (builder, prompt_tokens);
  json_builder_set_member_name (builder, "completion_tokens");
  json_builder_add_int_value (builder, completion_tokens);
  json_builder_set_member_name (builder, "total_tokens");
  json_builder_add_int_value (builder, prompt_tokens + completion_tokens);
  json_builder_set_member_name (builder, "cost");
  /* a price of $3 and $15 per million tokens, as for the default model */
  json_builder_add_double_value (builder,
                                 prompt_tokens * 0.000003 + completion_tokens * 0.000015);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static JsonNode *
error_object_new (guint       code,
                  const char *message,
                  gboolean    numeric_code)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  if (numeric_code)
    json_builder_add_int_value (builder, code);
  else
    json_builder_add_string_value (builder, "server_error");
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  if (code == 403)
    {
      json_builder_set_member_name (builder, "metadata");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "reasons");
      json_builder_begin_array (builder);
      json_builder_add_string_value (builder, "violence");
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "flagged_input");
      json_builder_add_string_value (builder, "…");
      json_builder_set_member_name (builder, "provider_name");
      json_builder_add_string_value (builder, "Mock");
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static const char *
default_error_message (guint status)
{
  switch (status)
    {
    case 400: return "This endpoint's maximum context length is 8192 tokens. "
                     "However, you requested about 9000 tokens";
    case 401: return "No auth credentials found";
    case 402: return "Insufficient credits. Add more using https://openrouter.ai/credits";
    case 403: return "Input was flagged by moderation";
    case 404: return "No endpoints found for mock/unknown-model.";
    case 408: return "Request timed out";
    case 429: return "Rate limit exceeded: free-models-per-min";
    case 502: return "Provider returned error";
    case 503: return "No available model provider that meets your routing requirements";
    default:  return "Internal Server Error";
    }
}

static char **
make_deltas (const LoomMockResponse *response)
{
  GStrvBuilder *builder;
  guint n = response->n_deltas ? response->n_deltas : G_N_ELEMENTS (prose);
  char **deltas;

  if (response->deltas != NULL)
    return g_strdupv (response->deltas);

  builder = g_strv_builder_new ();
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *word = g_strdup_printf ("%s%s", i == 0 ? "" : " ",
                                               prose[i % G_N_ELEMENTS (prose)]);
      g_strv_builder_add (builder, word);
    }
  deltas = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);

  return deltas;
}

static void
add_event (GString    *out,
           const char *eol,
           JsonNode   *node)
{
  g_autofree char *json = node_to_string (node);

  g_string_append_printf (out, "data: %s%s%s", json, eol, eol);
}

static void
answer_error (LoomMockServer         *self,
              SoupServerMessage      *message,
              const LoomMockResponse *response,
              const char             *authorization)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  g_autofree char *json = NULL;
  const char *base = response->error_message ? response->error_message
                                             : default_error_message (response->status);

  if (response->echo_authorization)
    text = g_strdup_printf ("%s (you sent “%s”)", base, authorization ? authorization : "");
  else
    text = g_strdup (base);

  node = error_object_new (response->status, text, TRUE);
  json = node_to_string (node);
  /* A server of another shape ({"message": …}, an HTML page) is scripted whole. */
  if (response->raw_body != NULL)
    {
      g_free (json);
      json = g_strdup (response->raw_body);
    }

  soup_server_message_set_status (message, response->status, NULL);
  if (response->retry_after >= 0)
    {
      g_autofree char *value = g_strdup_printf ("%d", response->retry_after);

      soup_message_headers_replace (soup_server_message_get_response_headers (message),
                                    "Retry-After", value);
    }
  soup_server_message_set_response (message,
                                    response->content_type ? response->content_type
                                                           : "application/json",
                                    SOUP_MEMORY_COPY, json, strlen (json));
}

static void
answer_models (SoupServerMessage *message)
{
  static const char models[] =
    "{\"data\":["
    "{\"id\":\"anthropic/claude-3.5-sonnet\",\"name\":\"Anthropic: Claude 3.5 Sonnet\","
    "\"context_length\":200000,"
    "\"pricing\":{\"prompt\":\"0.000003\",\"completion\":\"0.000015\",\"image\":\"0.0048\"}},"
    "{\"id\":\"mock/tiny\",\"name\":\"Mock: Tiny\",\"context_length\":8192,"
    "\"pricing\":{\"prompt\":\"0\",\"completion\":\"0\"}},"
    "{\"id\":\"mock/no-name\",\"context_length\":\"32768\","
    "\"pricing\":{\"prompt\":\"0.0000005\",\"completion\":\"0.0000015\"}}"
    "]}";

  soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (message, "application/json", SOUP_MEMORY_STATIC,
                                    models, strlen (models));
}

static void
answer_whole (SoupServerMessage      *message,
              const LoomMockResponse *response,
              const char             *model,
              gint64                  prompt_tokens)
{
  g_auto(GStrv) deltas = make_deltas (response);
  g_autofree char *text = g_strjoinv ("", deltas);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, "gen-mock-1");
  json_builder_set_member_name (builder, "object");
  json_builder_add_string_value (builder, "chat.completion");
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, model);
  json_builder_set_member_name (builder, "choices");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "index");
  json_builder_add_int_value (builder, 0);
  json_builder_set_member_name (builder, "message");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, "assistant");
  json_builder_set_member_name (builder, "content");
  json_builder_add_string_value (builder, text);
  if (response->reasoning != NULL)
    {
      json_builder_set_member_name (builder, "reasoning");
      json_builder_add_string_value (builder, response->reasoning);
    }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "finish_reason");
  json_builder_add_string_value (builder, response->finish_reason ? response->finish_reason
                                                                  : "stop");
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  if (response->usage)
    {
      g_autoptr(JsonNode) usage = usage_new (prompt_tokens, g_strv_length (deltas));

      json_object_set_member (json_node_get_object (root), "usage",
                              json_object_dup_member (json_node_get_object (usage), "usage"));
    }
  json = node_to_string (root);

  soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (message, "application/json", SOUP_MEMORY_COPY,
                                    json, strlen (json));
}

static void
answer_stream (LoomMockServer         *self,
               SoupServerMessage      *message,
               const LoomMockResponse *response,
               const char             *model,
               gint64                  prompt_tokens)
{
  g_auto(GStrv) deltas = make_deltas (response);
  g_autoptr(GString) out = g_string_new (NULL);
  const char *eol = response->crlf ? "\r\n" : "\n";
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (message);
  MockStream *stream;
  guint n = g_strv_length (deltas);
  gboolean cut = FALSE;
  GPtrArray *pieces;

  if (response->comments)
    g_string_append_printf (out, ": OPENROUTER PROCESSING%s%s", eol, eol);

  if (response->reasoning != NULL)
    {
      gsize half = strlen (response->reasoning) / 2;
      g_autofree char *first = NULL;
      g_autoptr(JsonNode) a = NULL;
      g_autoptr(JsonNode) b = NULL;

      /* cut on a character boundary */
      while (half > 0 && (response->reasoning[half] & 0xC0) == 0x80)
        half--;
      first = g_strndup (response->reasoning, half);
      a = chunk_new (model, "", first, NULL);
      b = chunk_new (model, "", response->reasoning + half, NULL);
      add_event (out, eol, a);
      add_event (out, eol, b);
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JsonNode) chunk = NULL;

      if (response->error_after >= 0 && i == (guint) response->error_after)
        break;
      if (response->truncate_after >= 0 && i == (guint) response->truncate_after)
        break;

      chunk = chunk_new (model, deltas[i], NULL, NULL);
      add_event (out, eol, chunk);

      if (response->comments && i % 5 == 4)
        g_string_append_printf (out, ": OPENROUTER PROCESSING%s%s", eol, eol);
    }

  if (response->error_after >= 0)
    {
      g_autoptr(JsonNode) node = error_object_new (502, response->error_message
                                                          ? response->error_message
                                                          : "Provider disconnected",
                                                   FALSE);
      JsonObject *object = json_node_get_object (node);
      g_autoptr(JsonNode) chunk = chunk_new (model, "", NULL, "error");

      /* OpenRouter's shape: the error object beside a choice that finishes with "error" */
      json_object_set_array_member (object, "choices",
                                    json_array_ref (json_object_get_array_member (
                                      json_node_get_object (chunk), "choices")));
      add_event (out, eol, node);
      cut = TRUE;
    }
  else if (response->truncate_after >= 0)
    {
      cut = TRUE;
    }

  if (!cut)
    {
      if (response->finish_reason != NULL)
        {
          g_autoptr(JsonNode) chunk = chunk_new (model, "", NULL, response->finish_reason);

          add_event (out, eol, chunk);
        }
      if (response->usage)
        {
          g_autoptr(JsonNode) usage = usage_new (prompt_tokens, n);

          add_event (out, eol, usage);
        }
      if (response->send_done)
        g_string_append_printf (out, "data: [DONE]%s%s", eol, eol);
    }

  pieces = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  if (response->raw_body != NULL)
    {
      g_string_assign (out, response->raw_body);
    }
  if (response->split_every > 0)
    {
      for (gsize at = 0; at < out->len; at += response->split_every)
        g_ptr_array_add (pieces, g_bytes_new (out->str + at,
                                              MIN (response->split_every, out->len - at)));
    }
  else
    {
      /* one piece per event: split after each blank line */
      const char *sep = response->crlf ? "\r\n\r\n" : "\n\n";
      gsize sep_len = strlen (sep);
      const char *p = out->str;
      const char *end = out->str + out->len;

      while (p < end)
        {
          const char *q = g_strstr_len (p, end - p, sep);
          gsize len = q ? (gsize) (q - p) + sep_len : (gsize) (end - p);

          g_ptr_array_add (pieces, g_bytes_new (p, len));
          p += len;
        }
    }

  soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
  /* Written chunks are dropped: kept, each lookup of the next one walks them all, which made
   * a 2,000-delta stream quadratic. */
  soup_message_body_set_accumulate (soup_server_message_get_response_body (message), FALSE);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_headers_set_content_type (headers,
                                         response->content_type ? response->content_type
                                                                : "text/event-stream",
                                         NULL);
  soup_message_headers_replace (headers, "Cache-Control", "no-cache");

  stream = g_new0 (MockStream, 1);
  stream->server = self;
  stream->message = g_object_ref (message);
  stream->pieces = pieces;
  stream->delay_ms = response->delay_ms;
  stream->hold_open = response->hold_open;
  stream->keep_alive_ms = response->keep_alive_ms;
  stream->abort = response->abort && cut;
  stream->finished_handler = g_signal_connect (message, "finished",
                                               G_CALLBACK (stream_finished_cb), stream);
  self->streams = g_list_prepend (self->streams, stream);

  soup_server_message_pause (message);
  schedule_tick (stream, stream->delay_ms);
}

static const char outline_answer[] =
  "Here is a plan.\n\n"
  "```toon\n"
  "chapters[3]{title}:\n"
  "  The Night Ferry\n"
  "  What the House Kept\n"
  "  The Last Lamp\n"
  "scenes[7]{chapter,outline}:\n"
  "  1,\"She arrives on the last ferry; the harbour lamps are dark.\"\n"
  "  1,An old neighbour tells her who has been asking about the house.\n"
  "  2,\"Sorting the papers, she finds a letter addressed to her.\"\n"
  "  2,The buyer comes early and is too eager.\n"
  "  2,She walks the sea wall at night and remembers why she left.\n"
  "  3,\"She lights the lamps herself, one by one.\"\n"
  "  3,\"At dawn she signs nothing, and stays.\"\n"
  "```";

static const char characters_answer[] =
  "```toon\n"
  "characters[3]{name,traits,backstory}:\n"
  "  Wren Halloway,\"restless, exact, 34\",Left the coast at eighteen and has not been back.\n"
  "  Ambrose Kell,\"patient, superstitious\",Has lit the harbour lamps for fifty years.\n"
  "  Delphine Roux,\"charming, in a hurry\",Buys old houses for people who never visit them.\n"
  "```";

static const char summary_answer[] =
  "```toon\n"
  "summary: \"She comes home on the last ferry, and the harbour lamps are dark.\"\n"
  "facts[2]:\n"
  "  - The harbour lamps are dark.\n"
  "  - \"Ambrose Kell, the lamplighter, is still alive.\"\n"
  "```";

/* What a structured request (outline, characters, summary) asks for, seen in its system
 * message. */
static char **
structured_answer (JsonObject *request)
{
  JsonArray *messages = json_object_get_array_member (request, "messages");
  const char *system = NULL;
  const char *answer;
  GStrvBuilder *builder;
  char **deltas;

  if (messages != NULL && json_array_get_length (messages) > 0 &&
      JSON_NODE_HOLDS_OBJECT (json_array_get_element (messages, 0)))
    system = json_object_get_string_member_with_default (
      json_array_get_object_element (messages, 0), "content", NULL);
  if (system == NULL)
    return NULL;

  if (strstr (system, "chapters[") != NULL)
    answer = outline_answer;
  else if (strstr (system, "characters[") != NULL)
    answer = characters_answer;
  else if (strstr (system, "facts[") != NULL)
    answer = summary_answer;
  else
    return NULL;

  /* a delta per word, as a model streams them */
  builder = g_strv_builder_new ();
  for (const char *p = answer; *p != '\0';)
    {
      const char *q = p;

      while (*q == ' ' || *q == '\n')
        q++;
      while (*q != '\0' && *q != ' ' && *q != '\n')
        q++;
      {
        g_autofree char *piece = g_strndup (p, q - p);

        g_strv_builder_add (builder, piece);
      }
      p = q;
    }
  deltas = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);

  return deltas;
}

static void
handler_cb (SoupServer        *server,
            SoupServerMessage *message,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  LoomMockServer *self = user_data;
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (message);
  SoupMessageBody *request_body = soup_server_message_get_request_body (message);
  g_autoptr(LoomMockResponse) response = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  LoomMockRequest *request;
  const char *model = "anthropic/claude-3.5-sonnet";
  gboolean scripted = TRUE;
  gboolean stream = FALSE;
  gint64 prompt_tokens;

  request = g_new0 (LoomMockRequest, 1);
  request->method = g_strdup (soup_server_message_get_method (message));
  request->path = g_strdup (path);
  request->body = g_strndup (request_body->data, request_body->length);
  request->authorization = g_strdup (soup_message_headers_get_one (request_headers,
                                                                   "Authorization"));
  request->referer = g_strdup (soup_message_headers_get_one (request_headers, "HTTP-Referer"));
  request->title = g_strdup (soup_message_headers_get_one (request_headers, "X-Title"));
  request->started_at = g_get_monotonic_time ();

  /* The model list is asked for by itself (the window, when its copy is a day old): it has a
   * script and a record of its own, so that it never takes an answer meant for a chat, nor
   * counts among the chats. */
  if (g_str_has_suffix (path, "/models"))
    {
      g_ptr_array_add (self->model_requests, request);
      response = g_queue_pop_head (&self->models_script);
      /* the chats' default (an error, a slow stream) is not the list's */
      if (response == NULL)
        response = loom_mock_response_new ();
    }
  else
    {
      g_ptr_array_add (self->requests, request);
      self->n_requests++;
      self->n_in_flight++;
      self->max_in_flight = MAX (self->max_in_flight, self->n_in_flight);
      g_object_set_data (G_OBJECT (message), "loom-mock-in-flight", GINT_TO_POINTER (1));
      /* whole answers are counted out once written; "finished" covers the rest (a client
       * gone) */
      g_signal_connect (message, "wrote-body", G_CALLBACK (message_finished_cb), self);
      g_signal_connect (message, "finished", G_CALLBACK (message_finished_cb), self);
      g_signal_emit (self, signals[REQUEST_STARTED], 0);
      response = g_queue_pop_head (&self->script);
    }

  if (response == NULL)
    {
      response = loom_mock_response_copy (self->fallback);
      scripted = FALSE;
    }

  if (self->api_key != NULL)
    {
      g_autofree char *expected = g_strconcat ("Bearer ", self->api_key, NULL);

      if (g_strcmp0 (request->authorization, expected) != 0)
        {
          response->status = 401;
          g_clear_pointer (&response->error_message, g_free);
        }
    }

  if (response->location != NULL)
    {
      soup_server_message_set_status (message, response->status, NULL);
      soup_message_headers_replace (soup_server_message_get_response_headers (message),
                                    "Location", response->location);
      return;
    }

  if (response->status != 200)
    {
      answer_error (self, message, response, request->authorization);
      return;
    }

  if (g_str_has_suffix (path, "/models"))
    {
      if (response->raw_body != NULL)
        {
          soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
          soup_server_message_set_response (message,
                                            response->content_type ? response->content_type
                                                                   : "application/json",
                                            SOUP_MEMORY_COPY, response->raw_body,
                                            strlen (response->raw_body));
        }
      else
        answer_models (message);
      return;
    }

  if (!g_str_has_suffix (path, "/chat/completions") ||
      g_strcmp0 (request->method, "POST") != 0)
    {
      soup_server_message_set_status (message, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }

  if (json_parser_load_from_data (parser, request->body, -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      JsonObject *object = json_node_get_object (json_parser_get_root (parser));

      if (json_object_has_member (object, "model"))
        model = json_object_get_string_member_with_default (object, "model", model);
      stream = json_object_get_boolean_member_with_default (object, "stream", FALSE);

      /* unscripted, a request for TOON gets TOON, so that the whole app can be tried */
      if (!scripted && response->deltas == NULL && response->raw_body == NULL)
        response->deltas = structured_answer (object);
    }
  prompt_tokens = strlen (request->body) / 4 + 1;

  if (stream || response->raw_body != NULL)
    answer_stream (self, message, response, model, prompt_tokens);
  else
    answer_whole (message, response, model, prompt_tokens);
}

/* GObject */

static void
loom_mock_server_dispose (GObject *object)
{
  LoomMockServer *self = LOOM_MOCK_SERVER (object);

  while (self->streams != NULL)
    {
      MockStream *stream = self->streams->data;

      self->streams = g_list_delete_link (self->streams, self->streams);
      mock_stream_free (stream);
    }

  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);

  G_OBJECT_CLASS (loom_mock_server_parent_class)->dispose (object);
}

static void
loom_mock_server_finalize (GObject *object)
{
  LoomMockServer *self = LOOM_MOCK_SERVER (object);

  g_queue_clear_full (&self->script, (GDestroyNotify) loom_mock_response_free);
  g_queue_clear_full (&self->models_script, (GDestroyNotify) loom_mock_response_free);
  g_clear_pointer (&self->fallback, loom_mock_response_free);
  g_clear_pointer (&self->requests, g_ptr_array_unref);
  g_clear_pointer (&self->model_requests, g_ptr_array_unref);
  g_free (self->base_url);
  g_free (self->api_key);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (loom_mock_server_parent_class)->finalize (object);
}

static void
loom_mock_server_class_init (LoomMockServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = loom_mock_server_dispose;
  object_class->finalize = loom_mock_server_finalize;

  signals[REQUEST_STARTED] =
    g_signal_new ("request-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[REQUEST_FINISHED] =
    g_signal_new ("request-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
loom_mock_server_init (LoomMockServer *self)
{
  g_queue_init (&self->script);
  g_queue_init (&self->models_script);
  self->context = g_main_context_ref_thread_default ();
  self->fallback = loom_mock_response_new ();
  self->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) mock_request_free);
  self->model_requests = g_ptr_array_new_with_free_func ((GDestroyNotify) mock_request_free);
}

LoomMockServer *
loom_mock_server_new (GError **error)
{
  g_autoptr(LoomMockServer) self = g_object_new (LOOM_TYPE_MOCK_SERVER, NULL);
  g_autoptr(GSocketAddress) address = NULL;
  GSList *uris;
  GUri *uri;

  self->server = soup_server_new ("server-header", "loom-mock-server ", NULL);
  soup_server_add_handler (self->server, NULL, handler_cb, self, NULL);

  address = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  if (!soup_server_listen (self->server, address, 0, error))
    return NULL;

  uris = soup_server_get_uris (self->server);
  g_assert (uris != NULL);
  uri = uris->data;
  self->base_url = g_strdup_printf ("http://127.0.0.1:%d/api/v1", g_uri_get_port (uri));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return g_steal_pointer (&self);
}

const char *
loom_mock_server_get_base_url (LoomMockServer *self)
{
  g_return_val_if_fail (LOOM_IS_MOCK_SERVER (self), NULL);

  return self->base_url;
}

void
loom_mock_server_push (LoomMockServer   *self,
                       LoomMockResponse *response)
{
  g_return_if_fail (LOOM_IS_MOCK_SERVER (self));
  g_return_if_fail (response != NULL);

  g_queue_push_tail (&self->script, response);
}

void
loom_mock_server_push_models (LoomMockServer   *self,
                              LoomMockResponse *response)
{
  g_return_if_fail (LOOM_IS_MOCK_SERVER (self));
  g_return_if_fail (response != NULL);

  g_queue_push_tail (&self->models_script, response);
}

GPtrArray *
loom_mock_server_get_model_requests (LoomMockServer *self)
{
  g_return_val_if_fail (LOOM_IS_MOCK_SERVER (self), NULL);

  return self->model_requests;
}

void
loom_mock_server_set_default (LoomMockServer         *self,
                              const LoomMockResponse *response)
{
  g_return_if_fail (LOOM_IS_MOCK_SERVER (self));
  g_return_if_fail (response != NULL);

  loom_mock_response_free (self->fallback);
  self->fallback = loom_mock_response_copy (response);
}

void
loom_mock_server_set_api_key (LoomMockServer *self,
                              const char     *api_key)
{
  g_return_if_fail (LOOM_IS_MOCK_SERVER (self));

  g_free (self->api_key);
  self->api_key = g_strdup (api_key);
}

guint
loom_mock_server_get_n_requests (LoomMockServer *self)
{
  g_return_val_if_fail (LOOM_IS_MOCK_SERVER (self), 0);

  return self->n_requests;
}

guint
loom_mock_server_get_n_in_flight (LoomMockServer *self)
{
  g_return_val_if_fail (LOOM_IS_MOCK_SERVER (self), 0);

  return self->n_in_flight;
}

guint
loom_mock_server_get_max_in_flight (LoomMockServer *self)
{
  g_return_val_if_fail (LOOM_IS_MOCK_SERVER (self), 0);

  return self->max_in_flight;
}

GPtrArray *
loom_mock_server_get_requests (LoomMockServer *self)
{
  g_return_val_if_fail (LOOM_IS_MOCK_SERVER (self), NULL);

  return self->requests;
}

void
loom_mock_server_reset_counters (LoomMockServer *self)
{
  g_return_if_fail (LOOM_IS_MOCK_SERVER (self));

  self->n_requests = 0;
  self->max_in_flight = self->n_in_flight;
  g_ptr_array_set_size (self->requests, 0);
}
