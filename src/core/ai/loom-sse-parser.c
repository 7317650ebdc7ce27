/* loom-sse-parser.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-sse-parser"

#include "config.h"

#include <string.h>

#include "loom-sse-parser.h"

struct _LoomSseParser
{
  GByteArray *line;      /* the unfinished line */
  GString    *data;      /* the event's data lines so far, each followed by \n */
  char       *type;
  char       *id;
  GQueue      events;
  guint       n_comments;
  guint       has_data : 1;
  guint       overflow : 1;
  guint       after_cr : 1;  /* the last byte was CR: a following LF belongs to it */
  guint       at_start : 1;  /* nothing seen yet: a BOM may come */
};

void
loom_sse_event_free (LoomSseEvent *event)
{
  if (event == NULL)
    return;

  g_free (event->type);
  g_free (event->data);
  g_free (event->id);
  g_free (event);
}

LoomSseParser *
loom_sse_parser_new (void)
{
  LoomSseParser *self = g_new0 (LoomSseParser, 1);

  self->line = g_byte_array_new ();
  self->data = g_string_new (NULL);
  g_queue_init (&self->events);
  self->at_start = TRUE;

  return self;
}

void
loom_sse_parser_free (LoomSseParser *self)
{
  if (self == NULL)
    return;

  g_byte_array_unref (self->line);
  g_string_free (self->data, TRUE);
  g_free (self->type);
  g_free (self->id);
  g_queue_clear_full (&self->events, (GDestroyNotify) loom_sse_event_free);
  g_free (self);
}

static void
dispatch (LoomSseParser *self)
{
  LoomSseEvent *event;

  if (!self->has_data)
    {
      g_clear_pointer (&self->type, g_free);
      return;
    }

  /* the last data line's \n is a separator, not content */
  if (self->data->len > 0 && self->data->str[self->data->len - 1] == '\n')
    g_string_truncate (self->data, self->data->len - 1);

  event = g_new0 (LoomSseEvent, 1);
  event->type = g_steal_pointer (&self->type);
  event->length = self->data->len;
  event->data = g_strndup (self->data->str, self->data->len);
  event->id = g_strdup (self->id);
  g_queue_push_tail (&self->events, event);

  g_string_truncate (self->data, 0);
  self->has_data = FALSE;
}

static void
process_line (LoomSseParser *self,
              const char    *line,
              gsize          length)
{
  const char *colon;
  const char *value;
  gsize field_len;
  gsize value_len;

  if (length == 0)
    {
      dispatch (self);
      return;
    }

  if (line[0] == ':')
    {
      self->n_comments++;
      return;
    }

  colon = memchr (line, ':', length);
  if (colon != NULL)
    {
      field_len = colon - line;
      value = colon + 1;
      value_len = length - field_len - 1;
      if (value_len > 0 && value[0] == ' ')
        {
          value++;
          value_len--;
        }
    }
  else
    {
      field_len = length;
      value = "";
      value_len = 0;
    }

#define FIELD_IS(name) (field_len == strlen (name) && memcmp (line, name, field_len) == 0)
  if (FIELD_IS ("data"))
    {
      if (self->data->len + value_len + 1 > LOOM_SSE_MAX_EVENT)
        {
          self->overflow = TRUE;
          return;
        }
      g_string_append_len (self->data, value, value_len);
      g_string_append_c (self->data, '\n');
      self->has_data = TRUE;
    }
  else if (FIELD_IS ("event"))
    {
      g_free (self->type);
      self->type = g_strndup (value, value_len);
    }
  else if (FIELD_IS ("id"))
    {
      if (memchr (value, '\0', value_len) == NULL)
        {
          g_free (self->id);
          self->id = g_strndup (value, value_len);
        }
    }
  /* "retry" and unknown fields are ignored, as the spec says */
#undef FIELD_IS
}

void
loom_sse_parser_feed (LoomSseParser *self,
                      const char    *data,
                      gsize          length)
{
  const char *p = data;
  const char *end = data + length;

  g_return_if_fail (self != NULL);
  g_return_if_fail (data != NULL || length == 0);

  if (self->at_start && length > 0)
    {
      /* A UTF-8 BOM may itself be split; keep bytes until there are three to look at. */
      g_byte_array_append (self->line, (const guint8 *) data, length);
      if (self->line->len < 3 && memcmp (self->line->data, "\xEF\xBB\xBF", self->line->len) == 0)
        return;

      self->at_start = FALSE;
      {
        g_autoptr(GByteArray) pending = g_steal_pointer (&self->line);
        gsize skip = (pending->len >= 3 && memcmp (pending->data, "\xEF\xBB\xBF", 3) == 0) ? 3 : 0;

        self->line = g_byte_array_new ();
        loom_sse_parser_feed (self, (const char *) pending->data + skip, pending->len - skip);
      }
      return;
    }

  while (p < end)
    {
      const char *eol;

      if (self->after_cr)
        {
          self->after_cr = FALSE;
          if (*p == '\n')
            {
              p++;
              continue;
            }
        }

      /* find the next CR or LF */
      for (eol = p; eol < end && *eol != '\n' && *eol != '\r'; eol++)
        ;

      if (eol == end)
        {
          if (self->line->len + (end - p) > LOOM_SSE_MAX_EVENT)
            {
              self->overflow = TRUE;
              g_byte_array_set_size (self->line, 0);
              break;
            }
          g_byte_array_append (self->line, (const guint8 *) p, end - p);
          break;
        }

      if (self->line->len > 0)
        {
          g_byte_array_append (self->line, (const guint8 *) p, eol - p);
          process_line (self, (const char *) self->line->data, self->line->len);
          g_byte_array_set_size (self->line, 0);
        }
      else
        {
          process_line (self, p, eol - p);
        }

      if (*eol == '\r')
        self->after_cr = TRUE;
      p = eol + 1;
    }
}

LoomSseEvent *
loom_sse_parser_pop (LoomSseParser *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_queue_pop_head (&self->events);
}

gboolean
loom_sse_parser_has_pending (LoomSseParser *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->line->len > 0 || self->has_data;
}

gboolean
loom_sse_parser_get_overflow (LoomSseParser *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->overflow;
}

guint
loom_sse_parser_get_n_comments (LoomSseParser *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_comments;
}
