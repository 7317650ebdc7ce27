/* loom-sse-parser.h: an incremental parser for Server-Sent Events
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * LoomSseEvent:
 * @type: the `event:` field, or %NULL (a "message")
 * @data: the `data:` lines joined with "\n"; not validated as UTF-8
 * @length: the length of @data in bytes
 * @id: the `id:` field, or %NULL
 */
typedef struct
{
  char  *type;
  char  *data;
  gsize  length;
  char  *id;
} LoomSseEvent;

void loom_sse_event_free (LoomSseEvent *event);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoomSseEvent, loom_sse_event_free)

/* Fed bytes as they come, cut anywhere (mid-line, between CR and LF, mid-UTF-8 character);
 * hands out whole events in order. Follows the WHATWG event-stream rules: lines end with LF,
 * CRLF or CR; lines starting with ':' are comments; a blank line dispatches the event; an event
 * without data is dropped. */
typedef struct _LoomSseParser LoomSseParser;

LoomSseParser *loom_sse_parser_new            (void);
void           loom_sse_parser_free           (LoomSseParser *self);
void           loom_sse_parser_feed           (LoomSseParser *self,
                                               const char    *data,
                                               gsize          length);
/* The next complete event, or %NULL; free it with loom_sse_event_free(). */
LoomSseEvent  *loom_sse_parser_pop            (LoomSseParser *self);
/* TRUE when bytes of an unfinished line or event are waiting: at end of stream, truncation. */
gboolean       loom_sse_parser_has_pending    (LoomSseParser *self);
guint          loom_sse_parser_get_n_comments (LoomSseParser *self);
/* TRUE once a line or an event grew past LOOM_SSE_MAX_EVENT bytes: its bytes were dropped and
 * the stream can't be trusted (a server that never sends a newline must not eat the memory). */
gboolean       loom_sse_parser_get_overflow   (LoomSseParser *self);

#define LOOM_SSE_MAX_EVENT (8 * 1024 * 1024)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoomSseParser, loom_sse_parser_free)

G_END_DECLS
