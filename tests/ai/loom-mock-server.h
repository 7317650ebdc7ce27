/* loom-mock-server.h: a scriptable OpenRouter stand-in on 127.0.0.1, for tests and for trying
 * the app without a key
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/**
 * LoomMockResponse:
 * @status: 200 to answer; anything else fails with an OpenRouter-shaped error body
 * @error_message: the error's message (for @status != 200 and for @error_after)
 * @retry_after: seconds for a Retry-After header, or -1
 * @deltas: (nullable): the content deltas; %NULL for @n_deltas words of plausible prose
 * @n_deltas: how many deltas of generated prose when @deltas is %NULL (0: about 60)
 * @reasoning: (nullable): reasoning text, sent as two `reasoning` deltas before the content
 * @crlf: end lines with CRLF instead of LF
 * @comments: send `: OPENROUTER PROCESSING` comment lines before and between events
 * @usage: send the usage chunk (empty `choices`) before `[DONE]`
 * @finish_reason: the finish reason sent after the deltas (default "stop"), %NULL for none
 * @send_done: send `data: [DONE]` at the end
 * @split_every: 0 to write each event whole; else write the stream in pieces of this many
 *   bytes, wherever they fall (mid-line, between CR and LF, mid-UTF-8 character)
 * @delay_ms: the pause before each write
 * @error_after: -1; else after this many deltas send an `error` object (HTTP stays 200)
 * @truncate_after: -1; else after this many deltas end the body without a finish reason or
 *   `[DONE]`
 * @abort: when truncating, drop the connection instead of ending the body cleanly
 * @echo_authorization: put the request's Authorization header in the error message, to prove
 *   that the client hides the key
 * @content_type: (nullable): overrides the response's content type
 * @raw_body: (nullable): sent as the whole body instead of anything above (for `/models` too,
 *   and as the error body when @status is not 200)
 * @hold_open: after the body, neither end it nor close the connection (a hung server); with
 *   an empty @raw_body not even the headers are sent
 * @keep_alive_ms: while holding open, send a `: keep-alive` comment this often (0: silence)
 * @location: (nullable): answer with @status (a 3xx) and this Location header, no body
 *
 * Make one with loom_mock_response_new(), set what the test needs, hand it to
 * loom_mock_server_push() (which takes it).
 */
typedef struct
{
  guint     status;
  char     *error_message;
  int       retry_after;
  char    **deltas;
  guint     n_deltas;
  char     *reasoning;
  gboolean  crlf;
  gboolean  comments;
  gboolean  usage;
  char     *finish_reason;
  gboolean  send_done;
  gsize     split_every;
  guint     delay_ms;
  int       error_after;
  int       truncate_after;
  gboolean  abort;
  gboolean  echo_authorization;
  char     *content_type;
  char     *raw_body;
  gboolean  hold_open;
  guint     keep_alive_ms;
  char     *location;
} LoomMockResponse;

LoomMockResponse *loom_mock_response_new   (void);
LoomMockResponse *loom_mock_response_copy  (const LoomMockResponse *response);
void              loom_mock_response_free  (LoomMockResponse       *response);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoomMockResponse, loom_mock_response_free)

/* What the server saw of one request. */
typedef struct
{
  char *method;
  char *path;
  char *body;
  char *authorization;
  char *referer;
  char *title;
  gint64 started_at; /* g_get_monotonic_time() */
} LoomMockRequest;

#define LOOM_TYPE_MOCK_SERVER (loom_mock_server_get_type ())

G_DECLARE_FINAL_TYPE (LoomMockServer, loom_mock_server, LOOM, MOCK_SERVER, GObject)

/* Signals: "request-started" and "request-finished" (no arguments), as the counters change. */

/* Listens on 127.0.0.1 at a random port, on the thread-default main context, where all its
 * work happens: it may run on a thread of its own (create it there), but then script it before
 * starting requests, and read its counters only when that thread is idle. */
LoomMockServer   *loom_mock_server_new              (GError           **error);
/* "http://127.0.0.1:PORT/api/v1", to use as the client's base URL */
const char       *loom_mock_server_get_base_url     (LoomMockServer    *self);

/* Answers to the coming requests, in order (any path but `/models`); once they are used up,
 * the default. */
void              loom_mock_server_push             (LoomMockServer    *self,
                                                     LoomMockResponse  *response);
/* `/models` has a script and a record of its own, apart from the counters and requests below
 * (the window asks for the list by itself): answers to its coming requests, in order; once
 * they are used up, a list of three models with OpenRouter's prices. */
void              loom_mock_server_push_models      (LoomMockServer    *self,
                                                     LoomMockResponse  *response);
/* Every `/models` request so far, oldest first (element-type LoomMockRequest). */
GPtrArray        *loom_mock_server_get_model_requests (LoomMockServer  *self);
/* Replaces the default answer (a copy is kept). */
void              loom_mock_server_set_default      (LoomMockServer    *self,
                                                     const LoomMockResponse *response);
/* When set, requests without "Authorization: Bearer KEY" get 401. */
void              loom_mock_server_set_api_key      (LoomMockServer    *self,
                                                     const char        *api_key);

guint             loom_mock_server_get_n_requests   (LoomMockServer    *self);
guint             loom_mock_server_get_n_in_flight  (LoomMockServer    *self);
guint             loom_mock_server_get_max_in_flight (LoomMockServer   *self);
/* Every request so far, oldest first (element-type LoomMockRequest). */
GPtrArray        *loom_mock_server_get_requests     (LoomMockServer    *self);
void              loom_mock_server_reset_counters   (LoomMockServer    *self);

G_END_DECLS
