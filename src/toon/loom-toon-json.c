/* loom-toon-json.c: converting TOON values to and from JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-toon-json"

#include "config.h"

#include <math.h>
#include <string.h>

#include "loom-toon-json.h"
#include "loom-toon-private.h"

typedef struct
{
  const char *text;
  const char *p;
  const char *end;
  guint       depth;
  guint       max_depth;
  GError    **error;
  gboolean    failed;
} Reader;

struct _LoomToonJsonReader
{
  GString *scratch; /* the string being read, kept between texts */
  guint    max_depth;
  gsize    max_length;
};

static gboolean G_GNUC_PRINTF (4, 5)
reader_fail_code (Reader        *r,
                  LoomToonError  code,
                  const char    *at,
                  const char    *format,
                  ...)
{
  g_autofree char *message = NULL;
  guint line = 1;
  const char *line_start = r->text;
  va_list args;

  if (r->failed)
    return FALSE;
  r->failed = TRUE;

  for (const char *q = r->text; q < at && q < r->end; q++)
    if (*q == '\n')
      {
        line++;
        line_start = q + 1;
      }

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (r->error, LOOM_TOON_ERROR, code,
               "JSON line %u, column %u: %s", line,
               (guint) g_utf8_strlen (line_start, MIN (at, r->end) - line_start) + 1, message);
  return FALSE;
}

#define reader_fail(r, at, ...) reader_fail_code ((r), LOOM_TOON_ERROR_SYNTAX, (at), __VA_ARGS__)

static void
skip_ws (Reader *r)
{
  while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
    r->p++;
}

static gboolean
read_u4 (Reader   *r,
         gunichar *out)
{
  if (!loom_toon_read_hex4 (r->p, r->end, out))
    return FALSE;
  r->p += 4;
  return TRUE;
}

/* Reads a string at r->p ('"') into @out (cleared first). */
static gboolean
read_string (Reader  *r,
             GString *out)
{
  const char *open = r->p;

  g_string_truncate (out, 0);
  r->p++;
  for (;;)
    {
      const char *run = r->p;

      while (r->p < r->end && *r->p != '"' && *r->p != '\\' && (guchar) *r->p >= 0x20)
        r->p++;
      g_string_append_len (out, run, r->p - run);
      if (r->p >= r->end)
        return reader_fail (r, open, "the string has no closing quote");
      if (*r->p == '"')
        {
          r->p++;
          return TRUE;
        }
      if ((guchar) *r->p < 0x20)
        return reader_fail (r, r->p, "control characters must be escaped in JSON strings");

      r->p++;
      if (r->p >= r->end)
        return reader_fail (r, open, "the string has no closing quote");
      switch (*r->p++)
        {
        case '"': g_string_append_c (out, '"'); break;
        case '\\': g_string_append_c (out, '\\'); break;
        case '/': g_string_append_c (out, '/'); break;
        case 'b': g_string_append_c (out, '\b'); break;
        case 'f': g_string_append_c (out, '\f'); break;
        case 'n': g_string_append_c (out, '\n'); break;
        case 'r': g_string_append_c (out, '\r'); break;
        case 't': g_string_append_c (out, '\t'); break;
        case 'u':
          {
            gunichar c, low;
            const char *esc = r->p - 2;

            if (!read_u4 (r, &c))
              return reader_fail (r, esc, "\\u needs four hexadecimal digits");
            if (c >= 0xDC00 && c <= 0xDFFF)
              return reader_fail (r, esc, "lone low surrogate \\u%04X", c);
            if (c >= 0xD800 && c <= 0xDBFF)
              {
                if (r->end - r->p < 6 || r->p[0] != '\\' || r->p[1] != 'u')
                  return reader_fail (r, esc, "high surrogate \\u%04X without its low half", c);
                r->p += 2;
                if (!read_u4 (r, &low) || low < 0xDC00 || low > 0xDFFF)
                  return reader_fail (r, esc, "high surrogate \\u%04X without its low half", c);
                c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
              }
            g_string_append_unichar (out, c);
          }
          break;
        default:
          return reader_fail (r, r->p - 2, "invalid escape in a JSON string");
        }
    }
}

static LoomToonValue *read_value (Reader  *r,
                                  GString *scratch);

/* One level deeper, at the opening bracket or brace; FALSE past the reader's depth. */
static gboolean
enter (Reader *r)
{
  if (++r->depth > r->max_depth)
    {
      reader_fail_code (r, LOOM_TOON_ERROR_TOO_DEEP, r->p,
                        "the JSON nests deeper than %u levels", r->max_depth);
      return FALSE;
    }
  r->p++;
  skip_ws (r);
  return TRUE;
}

typedef enum
{
  NEXT_ELEMENT,
  CLOSED,
  BROKEN,
} After;

/* After an element of a container that @close ends (@what names it in the message). */
static After
after_element (Reader     *r,
               char        close,
               const char *what)
{
  skip_ws (r);
  if (r->p < r->end && *r->p == ',')
    {
      r->p++;
      return NEXT_ELEMENT;
    }
  if (r->p < r->end && *r->p == close)
    {
      r->p++;
      r->depth--;
      return CLOSED;
    }
  reader_fail (r, r->p, "a comma or a closing %s was expected", what);
  return BROKEN;
}

/* One "key": value member into @object; FALSE when it failed. */
static gboolean
read_member (Reader        *r,
             GString       *scratch,
             LoomToonValue *object)
{
  g_autofree char *key = NULL;
  gsize key_len;
  LoomToonValue *member;

  skip_ws (r);
  if (r->p >= r->end || *r->p != '"')
    return reader_fail (r, r->p, "an object key (a string) was expected");
  if (!read_string (r, scratch))
    return FALSE;
  key_len = scratch->len;
  key = g_memdup2 (scratch->str, key_len + 1);
  skip_ws (r);
  if (r->p >= r->end || *r->p != ':')
    return reader_fail (r, r->p, "a colon was expected after the key");
  r->p++;
  member = read_value (r, scratch);
  if (member == NULL)
    return FALSE;
  loom_toon_value_object_set_len (object, key, key_len, member);
  return TRUE;
}

static LoomToonValue *
read_object (Reader  *r,
             GString *scratch)
{
  g_autoptr(LoomToonValue) object = loom_toon_value_new_object ();
  After after = NEXT_ELEMENT;

  if (!enter (r))
    return NULL;
  if (r->p < r->end && *r->p == '}')
    {
      r->p++;
      r->depth--;
      return g_steal_pointer (&object);
    }
  while (after == NEXT_ELEMENT)
    {
      if (!read_member (r, scratch, object))
        return NULL;
      after = after_element (r, '}', "brace");
    }
  return after == CLOSED ? g_steal_pointer (&object) : NULL;
}

static LoomToonValue *
read_array (Reader  *r,
            GString *scratch)
{
  g_autoptr(LoomToonValue) array = loom_toon_value_new_array ();
  After after = NEXT_ELEMENT;

  if (!enter (r))
    return NULL;
  if (r->p < r->end && *r->p == ']')
    {
      r->p++;
      r->depth--;
      return g_steal_pointer (&array);
    }
  while (after == NEXT_ELEMENT)
    {
      LoomToonValue *element = read_value (r, scratch);

      if (element == NULL)
        return NULL;
      loom_toon_value_array_append (array, element);
      after = after_element (r, ']', "bracket");
    }
  return after == CLOSED ? g_steal_pointer (&array) : NULL;
}

/* true, false, null or a number. */
static LoomToonValue *
read_word (Reader *r)
{
  const char *start = r->p;
  LoomToonValue *value = NULL;

  while (r->p < r->end && (g_ascii_isalnum (*r->p) || *r->p == '-' || *r->p == '+' ||
                           *r->p == '.'))
    r->p++;
  if (r->p - start == 4 && memcmp (start, "true", 4) == 0)
    return loom_toon_value_new_boolean (TRUE);
  if (r->p - start == 5 && memcmp (start, "false", 5) == 0)
    return loom_toon_value_new_boolean (FALSE);
  if (r->p - start == 4 && memcmp (start, "null", 4) == 0)
    return loom_toon_value_new_null ();
  /* JSON's number grammar is TOON's */
  if (r->p > start && loom_toon_parse_number (start, r->p - start, &value))
    {
      if (value->kind == LOOM_TOON_STRING)
        g_clear_pointer (&value, loom_toon_value_unref);
      else
        return value;
    }
  if (r->p > start && loom_toon_parse_number (start, r->p - start, NULL))
    reader_fail (r, start, "the number %.*s is out of range", (int) MIN (r->p - start, 40), start);
  else
    reader_fail (r, start, "unexpected %s", r->p > start ? "word" : "character");
  return NULL;
}

static LoomToonValue *
read_value (Reader  *r,
            GString *scratch)
{
  skip_ws (r);
  if (r->p >= r->end)
    {
      reader_fail (r, r->p, "a value was expected");
      return NULL;
    }

  switch (*r->p)
    {
    case '{':
      return read_object (r, scratch);
    case '[':
      return read_array (r, scratch);
    case '"':
      if (!read_string (r, scratch))
        return NULL;
      return loom_toon_value_new_string_len (scratch->str, scratch->len);
    default:
      return read_word (r);
    }
}

static LoomToonValue *
read_text (const char *text,
           gsize       len,
           guint       max_depth,
           GString    *scratch,
           GError    **error)
{
  Reader r = { 0 };
  g_autoptr(LoomToonValue) value = NULL;
  const char *bad = NULL;

  r.text = r.p = text;
  r.end = text + len;
  r.max_depth = max_depth;
  r.error = error;

  if (!loom_toon_utf8_validate (text, len, &bad))
    {
      reader_fail_code (&r, LOOM_TOON_ERROR_INVALID_UTF8, bad, "the text is not valid UTF-8");
      return NULL;
    }

  value = read_value (&r, scratch);
  if (value == NULL)
    return NULL;
  skip_ws (&r);
  if (r.p < r.end)
    {
      reader_fail (&r, r.p, "unexpected text after the JSON value");
      return NULL;
    }
  return g_steal_pointer (&value);
}

/**
 * loom_toon_json_parse:
 *
 * Returns: (transfer full): the value of the JSON text, or %NULL with @error set
 */
LoomToonValue *
loom_toon_json_parse (const char *text,
                      gssize      length,
                      GError    **error)
{
  g_autoptr(GString) scratch = g_string_new (NULL);

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  return read_text (text, length < 0 ? strlen (text) : (gsize) length, LOOM_TOON_MAX_DEPTH,
                    scratch, error);
}

/**
 * loom_toon_json_reader_new:
 * @max_depth: the deepest nesting accepted (at most %LOOM_TOON_MAX_DEPTH)
 * @max_length: the longest text accepted, in bytes
 *
 * A reader for many texts in a row, such as the events of a stream: its buffer is kept from
 * one text to the next, and what it accepts is bounded, so that a hostile text costs an error,
 * never the stack or the memory.
 */
LoomToonJsonReader *
loom_toon_json_reader_new (guint max_depth,
                           gsize max_length)
{
  LoomToonJsonReader *reader = g_new0 (LoomToonJsonReader, 1);

  reader->scratch = g_string_sized_new (256);
  reader->max_depth = CLAMP (max_depth, 1, LOOM_TOON_MAX_DEPTH);
  reader->max_length = max_length;

  return reader;
}

void
loom_toon_json_reader_free (LoomToonJsonReader *reader)
{
  if (reader == NULL)
    return;

  g_string_free (reader->scratch, TRUE);
  g_free (reader);
}

/**
 * loom_toon_json_reader_read:
 *
 * Every string in the value is valid UTF-8: the escape of a lone surrogate is an error.
 *
 * Returns: (transfer full): the value of @text, or %NULL with @error set
 *   (%LOOM_TOON_ERROR_TOO_DEEP, %LOOM_TOON_ERROR_TOO_LARGE, %LOOM_TOON_ERROR_INVALID_UTF8 or
 *   %LOOM_TOON_ERROR_SYNTAX)
 */
LoomToonValue *
loom_toon_json_reader_read (LoomToonJsonReader  *reader,
                            const char          *text,
                            gsize                length,
                            GError             **error)
{
  LoomToonValue *value;

  g_return_val_if_fail (reader != NULL, NULL);
  g_return_val_if_fail (text != NULL || length == 0, NULL);

  if (length > reader->max_length)
    {
      g_set_error (error, LOOM_TOON_ERROR, LOOM_TOON_ERROR_TOO_LARGE,
                   "the JSON text is longer than %" G_GSIZE_FORMAT " bytes", reader->max_length);
      return NULL;
    }

  value = read_text (text, length, reader->max_depth, reader->scratch, error);

  /* one huge string must not stay allocated for the rest of the stream */
  if (reader->scratch->allocated_len > 64 * 1024)
    {
      g_string_free (reader->scratch, TRUE);
      reader->scratch = g_string_sized_new (256);
    }

  return value;
}

typedef struct
{
  const LoomToonValue *container;
  guint                next;
} WriteFrame;

/* Writes a scalar, or opens a container and pushes it: iterative, so that a value of any depth
 * (built through the API) writes without recursion. */
static void
write_start (GString             *out,
             GArray              *stack,
             const LoomToonValue *value)
{
  WriteFrame frame = { value, 0 };

  if (loom_toon_append_scalar (out, value))
    return;
  switch (value->kind)
    {
    case LOOM_TOON_STRING:
      loom_toon_append_quoted (out, value->string.str, value->string.len, TRUE);
      break;
    case LOOM_TOON_ARRAY:
      g_string_append_c (out, '[');
      g_array_append_val (stack, frame);
      break;
    case LOOM_TOON_OBJECT:
      g_string_append_c (out, '{');
      g_array_append_val (stack, frame);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
write_value (GString             *out,
             const LoomToonValue *value)
{
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (WriteFrame));

  write_start (out, stack, value);
  while (stack->len > 0)
    {
      WriteFrame *top = &g_array_index (stack, WriteFrame, stack->len - 1);
      const LoomToonValue *container = top->container;
      guint i = top->next;

      if (container->kind == LOOM_TOON_ARRAY)
        {
          if (i == container->array.len)
            {
              g_string_append_c (out, ']');
              g_array_set_size (stack, stack->len - 1);
              continue;
            }
          if (i > 0)
            g_string_append_c (out, ',');
          top->next++;
          write_start (out, stack, container->array.items[i]);
        }
      else
        {
          const char *key;

          if (i == container->object.len)
            {
              g_string_append_c (out, '}');
              g_array_set_size (stack, stack->len - 1);
              continue;
            }
          if (i > 0)
            g_string_append_c (out, ',');
          key = container->object.members[i].key;
          loom_toon_append_quoted (out, key, g_ref_string_length ((char *) key), TRUE);
          g_string_append_c (out, ':');
          top->next++;
          write_start (out, stack, container->object.members[i].value);
        }
    }
}

/**
 * loom_toon_json_write:
 *
 * Returns: (transfer full): compact JSON for @value
 */
char *
loom_toon_json_write (const LoomToonValue *value)
{
  GString *out;

  g_return_val_if_fail (value != NULL, NULL);

  out = g_string_new (NULL);
  write_value (out, value);
  return g_string_free (out, FALSE);
}
