/* loom-ai-stream.h: reads a chat completion, streamed (SSE chunks) or whole
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "loom-ai-types.h"

G_BEGIN_DECLS

/* Turns the bytes of a `chat.completion.chunk` event stream into content deltas and a result.
 * Reasoning deltas are kept apart from the prose; an `error` object in the stream is an error;
 * a stream that ends without `[DONE]` or a finish reason is LOOM_AI_ERROR_TRUNCATED. */
typedef struct _LoomAiStream LoomAiStream;

/* @provider, @model and @api_key only shape error messages (the key to hide it from them). */
LoomAiStream *loom_ai_stream_new           (const char       *provider,
                                            const char       *model,
                                            const char       *api_key,
                                            LoomAiDeltaFunc   delta_func,
                                            gpointer          delta_data);
void          loom_ai_stream_free          (LoomAiStream     *self);
/* The answer is stopped with LOOM_AI_ERROR_TOO_LONG well past this many tokens of text (0: a
 * limit of many novels' length, for when the server's default applies). */
void          loom_ai_stream_set_max_tokens (LoomAiStream    *self,
                                            int               max_tokens);
/* FALSE with @error on a stream error; feeding after an error or after `[DONE]` is ignored. */
gboolean      loom_ai_stream_feed          (LoomAiStream     *self,
                                            const char       *data,
                                            gsize             length,
                                            GError          **error);
/* At end of stream. */
gboolean      loom_ai_stream_finish        (LoomAiStream     *self,
                                            GError          **error);
gboolean      loom_ai_stream_is_done       (LoomAiStream     *self);
/* Whether any content delta has arrived: from then on a failure must not be retried silently. */
gboolean      loom_ai_stream_has_content   (LoomAiStream     *self);
guint         loom_ai_stream_get_n_deltas  (LoomAiStream     *self);
/* Events that brought prose or reasoning: what tells a live server from one that only keeps
 * the connection open. */
guint         loom_ai_stream_get_n_content_events (LoomAiStream *self);
const char   *loom_ai_stream_get_text      (LoomAiStream     *self);
/* After a successful loom_ai_stream_finish(). */
LoomAiResult *loom_ai_stream_steal_result  (LoomAiStream     *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoomAiStream, loom_ai_stream_free)

/* A non-streamed `chat.completion` body; a body with an `error` object is an error. */
LoomAiResult *loom_ai_parse_completion     (const char       *body,
                                            gsize             length,
                                            const char       *provider,
                                            const char       *model,
                                            const char       *api_key,
                                            GError          **error);

/* A `/models` body: {"data": [...]} or a bare list; a GPtrArray of LoomAiModelInfo. */
GPtrArray    *loom_ai_parse_models         (const char       *body,
                                            gsize             length,
                                            const char       *provider,
                                            GError          **error);

G_END_DECLS
