/* loom-ai-stream.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-ai"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "loom-ai-private.h"
#include "loom-ai-stream.h"
#include "loom-sse-parser.h"

struct _LoomAiStream
{
  LoomSseParser   *parser;
  JsonParser      *json;
  GString         *text;
  GString         *reasoning;
  LoomAiResult    *result;
  char            *provider;
  char            *model;
  char            *api_key;
  LoomAiDeltaFunc  delta_func;
  gpointer         delta_data;
  guint            n_deltas;
  guint            done : 1;
  guint            failed : 1;
};

LoomAiStream *
loom_ai_stream_new (const char      *provider,
                    const char      *model,
                    const char      *api_key,
                    LoomAiDeltaFunc  delta_func,
                    gpointer         delta_data)
{
  LoomAiStream *self = g_new0 (LoomAiStream, 1);

  self->parser = loom_sse_parser_new ();
  self->json = json_parser_new_immutable ();
  self->text = g_string_new (NULL);
  self->reasoning = g_string_new (NULL);
  self->result = loom_ai_result_new ();
  self->provider = g_strdup (provider);
  self->model = g_strdup (model);
  self->api_key = g_strdup (api_key);
  self->delta_func = delta_func;
  self->delta_data = delta_data;

  return self;
}

void
loom_ai_stream_free (LoomAiStream *self)
{
  if (self == NULL)
    return;

  loom_sse_parser_free (self->parser);
  g_object_unref (self->json);
  g_string_free (self->text, TRUE);
  g_string_free (self->reasoning, TRUE);
  loom_ai_result_free (self->result);
  g_free (self->provider);
  g_free (self->model);
  /* the key was only kept to hide it from messages; don't leave it lying in freed memory */
  if (self->api_key != NULL)
    {
      memset (self->api_key, 0, strlen (self->api_key));
      g_free (self->api_key);
    }
  g_free (self);
}

static GError *
bad_response (LoomAiStream *self,
              const char   *detail)
{
  return g_error_new (LOOM_AI_ERROR, LOOM_AI_ERROR_BAD_RESPONSE,
                      _("%s sent an answer that could not be read (%s). Try again."),
                      self->provider, detail);
}

static void
take_usage (LoomAiResult *result,
            JsonObject   *usage)
{
  if (usage == NULL)
    return;

  result->prompt_tokens = loom_ai_json_get_int (usage, "prompt_tokens", result->prompt_tokens);
  result->completion_tokens = loom_ai_json_get_int (usage, "completion_tokens",
                                                    result->completion_tokens);
  result->cost = loom_ai_json_get_double (usage, "cost", result->cost);
}

static void
take_metadata (LoomAiResult *result,
               JsonObject   *object)
{
  const char *model = loom_ai_json_get_string (object, "model");
  const char *id = loom_ai_json_get_string (object, "id");

  if (model != NULL && *model != '\0' && g_strcmp0 (model, result->model) != 0)
    {
      g_free (result->model);
      result->model = g_strdup (model);
    }
  if (id != NULL && result->id == NULL)
    result->id = g_strdup (id);
}

static gboolean
handle_chunk (LoomAiStream  *self,
              JsonObject    *chunk,
              GError       **error)
{
  JsonObject *error_object = loom_ai_json_get_object (chunk, "error");
  JsonArray *choices = loom_ai_json_get_array (chunk, "choices");

  if (error_object != NULL)
    {
      g_propagate_error (error, loom_ai_error_new_from_object (200, error_object, self->provider,
                                                               self->model, self->api_key));
      return FALSE;
    }

  take_metadata (self->result, chunk);
  take_usage (self->result, loom_ai_json_get_object (chunk, "usage"));

  if (choices == NULL)
    return TRUE;

  for (guint i = 0; i < json_array_get_length (choices); i++)
    {
      JsonNode *node = json_array_get_element (choices, i);
      JsonObject *choice;
      JsonObject *delta;
      const char *content;
      const char *reasoning;
      const char *finish_reason;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;

      choice = json_node_get_object (node);
      /* We ask for one completion; ignore any other. */
      if (loom_ai_json_get_int (choice, "index", 0) != 0)
        continue;

      delta = loom_ai_json_get_object (choice, "delta");
      content = loom_ai_json_get_string (delta, "content");
      reasoning = loom_ai_json_get_string (delta, "reasoning");
      if (reasoning == NULL)
        reasoning = loom_ai_json_get_string (delta, "reasoning_content");
      finish_reason = loom_ai_json_get_string (choice, "finish_reason");

      if (reasoning != NULL)
        g_string_append (self->reasoning, reasoning);

      if (content != NULL && *content != '\0')
        {
          g_string_append (self->text, content);
          self->n_deltas++;
          if (self->delta_func != NULL)
            self->delta_func (content, self->delta_data);
        }

      if (finish_reason != NULL && *finish_reason != '\0')
        {
          if (g_strcmp0 (finish_reason, "error") == 0)
            {
              g_set_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_SERVER,
                           _("%s had a problem while writing: it stopped with an error. "
                             "Try again later."),
                           self->provider);
              return FALSE;
            }

          g_free (self->result->finish_reason);
          self->result->finish_reason = g_strdup (finish_reason);
        }
    }

  return TRUE;
}

static gboolean
handle_event (LoomAiStream  *self,
              LoomSseEvent  *event,
              GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (self->done)
    return TRUE;

  if (event->length == 6 && memcmp (event->data, "[DONE]", 6) == 0)
    {
      self->done = TRUE;
      return TRUE;
    }

  if (!g_utf8_validate (event->data, event->length, NULL))
    {
      g_propagate_error (error, bad_response (self, _("text that is not UTF-8")));
      return FALSE;
    }

  if (!json_parser_load_from_data (self->json, event->data, event->length, &local_error))
    {
      g_propagate_error (error, bad_response (self, local_error->message));
      return FALSE;
    }

  root = json_parser_get_root (self->json);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_propagate_error (error, bad_response (self, _("an event that is not a JSON object")));
      return FALSE;
    }

  if (g_strcmp0 (event->type, "error") == 0 &&
      loom_ai_json_get_object (json_node_get_object (root), "error") == NULL)
    {
      g_propagate_error (error, loom_ai_error_new_from_object (200, json_node_get_object (root),
                                                               self->provider, self->model,
                                                               self->api_key));
      return FALSE;
    }

  return handle_chunk (self, json_node_get_object (root), error);
}

gboolean
loom_ai_stream_feed (LoomAiStream  *self,
                     const char    *data,
                     gsize          length,
                     GError       **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->failed || self->done)
    return !self->failed;

  loom_sse_parser_feed (self->parser, data, length);

  if (loom_sse_parser_get_overflow (self->parser))
    {
      g_propagate_error (error, bad_response (self, _("an event larger than 8 MB")));
      self->failed = TRUE;
      return FALSE;
    }

  for (;;)
    {
      g_autoptr(LoomSseEvent) event = loom_sse_parser_pop (self->parser);

      if (event == NULL)
        break;

      if (!handle_event (self, event, error))
        {
          self->failed = TRUE;
          return FALSE;
        }
    }

  return TRUE;
}

gboolean
loom_ai_stream_finish (LoomAiStream  *self,
                       GError       **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->failed)
    return FALSE;

  /* A finish reason without [DONE] is complete; the usage chunk may then be missing. */
  if (!self->done && self->result->finish_reason == NULL)
    {
      g_set_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_TRUNCATED,
                   _("%s stopped answering before the end: the connection closed in the "
                     "middle of the text. Try again."),
                   self->provider);
      return FALSE;
    }

  return TRUE;
}

gboolean
loom_ai_stream_is_done (LoomAiStream *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->done;
}

gboolean
loom_ai_stream_has_content (LoomAiStream *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->n_deltas > 0;
}

guint
loom_ai_stream_get_n_deltas (LoomAiStream *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_deltas;
}

const char *
loom_ai_stream_get_text (LoomAiStream *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->text->str;
}

LoomAiResult *
loom_ai_stream_steal_result (LoomAiStream *self)
{
  LoomAiResult *result;

  g_return_val_if_fail (self != NULL, NULL);

  result = g_steal_pointer (&self->result);
  self->result = loom_ai_result_new ();

  result->text = g_strndup (self->text->str, self->text->len);
  if (self->reasoning->len > 0)
    result->reasoning = g_strndup (self->reasoning->str, self->reasoning->len);
  if (result->model == NULL)
    result->model = g_strdup (self->model);

  return result;
}

LoomAiResult *
loom_ai_parse_completion (const char  *body,
                          gsize        length,
                          const char  *provider,
                          const char  *model,
                          const char  *api_key,
                          GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(LoomAiResult) result = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *object;
  JsonObject *error_object;
  JsonArray *choices;
  JsonObject *choice = NULL;
  JsonObject *message;
  const char *content;
  const char *reasoning;
  const char *finish_reason;
  JsonNode *root;

  if (!json_parser_load_from_data (parser, body, length, &local_error) ||
      (root = json_parser_get_root (parser)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_BAD_RESPONSE,
                   _("%s sent an answer that could not be read (%s). Try again."),
                   provider, local_error ? local_error->message : _("not a JSON object"));
      return NULL;
    }

  object = json_node_get_object (root);
  error_object = loom_ai_json_get_object (object, "error");
  if (error_object != NULL)
    {
      g_propagate_error (error, loom_ai_error_new_from_object (200, error_object, provider,
                                                               model, api_key));
      return NULL;
    }

  choices = loom_ai_json_get_array (object, "choices");
  if (choices != NULL && json_array_get_length (choices) > 0 &&
      JSON_NODE_HOLDS_OBJECT (json_array_get_element (choices, 0)))
    choice = json_array_get_object_element (choices, 0);
  message = loom_ai_json_get_object (choice, "message");
  content = loom_ai_json_get_string (message, "content");

  if (message == NULL)
    {
      g_set_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_BAD_RESPONSE,
                   _("%s sent an answer that could not be read (%s). Try again."),
                   provider, _("no message in the answer"));
      return NULL;
    }

  finish_reason = loom_ai_json_get_string (choice, "finish_reason");
  if (g_strcmp0 (finish_reason, "error") == 0)
    {
      g_set_error (error, LOOM_AI_ERROR, LOOM_AI_ERROR_SERVER,
                   _("%s had a problem while writing: it stopped with an error. "
                     "Try again later."),
                   provider);
      return NULL;
    }

  result = loom_ai_result_new ();
  result->text = g_strdup (content ? content : "");
  reasoning = loom_ai_json_get_string (message, "reasoning");
  if (reasoning == NULL)
    reasoning = loom_ai_json_get_string (message, "reasoning_content");
  result->reasoning = g_strdup (reasoning);
  result->finish_reason = g_strdup (finish_reason);
  take_metadata (result, object);
  take_usage (result, loom_ai_json_get_object (object, "usage"));
  if (result->model == NULL)
    result->model = g_strdup (model);

  return g_steal_pointer (&result);
}
