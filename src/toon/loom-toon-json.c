/* loom-toon-json.c: converting TOON values to and from JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

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
  GError    **error;
  gboolean    failed;
} Reader;

static gboolean G_GNUC_PRINTF (3, 4)
reader_fail (Reader     *r,
             const char *at,
             const char *format,
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
  g_set_error (r->error, LOOM_TOON_ERROR, LOOM_TOON_ERROR_SYNTAX,
               "JSON line %u, column %u: %s", line,
               (guint) g_utf8_strlen (line_start, MIN (at, r->end) - line_start) + 1, message);
  return FALSE;
}

static void
skip_ws (Reader *r)
{
  while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
    r->p++;
}

static int
hexval (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static gboolean
read_u4 (Reader   *r,
         gunichar *out)
{
  gunichar v = 0;

  if (r->end - r->p < 4)
    return FALSE;
  for (int i = 0; i < 4; i++)
    {
      int h = hexval (r->p[i]);

      if (h < 0)
        return FALSE;
      v = v * 16 + (gunichar) h;
    }
  r->p += 4;
  *out = v;
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
      {
        g_autoptr(LoomToonValue) object = loom_toon_value_new_object ();

        if (++r->depth > LOOM_TOON_MAX_DEPTH)
          {
            reader_fail (r, r->p, "the JSON nests deeper than %d levels", LOOM_TOON_MAX_DEPTH);
            return NULL;
          }
        r->p++;
        skip_ws (r);
        if (r->p < r->end && *r->p == '}')
          r->p++;
        else
          for (;;)
            {
              g_autofree char *key = NULL;
              gsize key_len;
              LoomToonValue *member;

              skip_ws (r);
              if (r->p >= r->end || *r->p != '"')
                {
                  reader_fail (r, r->p, "an object key (a string) was expected");
                  return NULL;
                }
              if (!read_string (r, scratch))
                return NULL;
              key_len = scratch->len;
              key = g_memdup2 (scratch->str, key_len + 1);
              skip_ws (r);
              if (r->p >= r->end || *r->p != ':')
                {
                  reader_fail (r, r->p, "a colon was expected after the key");
                  return NULL;
                }
              r->p++;
              member = read_value (r, scratch);
              if (member == NULL)
                return NULL;
              loom_toon_value_object_set_len (object, key, key_len, member);
              skip_ws (r);
              if (r->p < r->end && *r->p == ',')
                {
                  r->p++;
                  continue;
                }
              if (r->p < r->end && *r->p == '}')
                {
                  r->p++;
                  break;
                }
              reader_fail (r, r->p, "a comma or a closing brace was expected");
              return NULL;
            }
        r->depth--;
        return g_steal_pointer (&object);
      }

    case '[':
      {
        g_autoptr(LoomToonValue) array = loom_toon_value_new_array ();

        if (++r->depth > LOOM_TOON_MAX_DEPTH)
          {
            reader_fail (r, r->p, "the JSON nests deeper than %d levels", LOOM_TOON_MAX_DEPTH);
            return NULL;
          }
        r->p++;
        skip_ws (r);
        if (r->p < r->end && *r->p == ']')
          r->p++;
        else
          for (;;)
            {
              LoomToonValue *element = read_value (r, scratch);

              if (element == NULL)
                return NULL;
              loom_toon_value_array_append (array, element);
              skip_ws (r);
              if (r->p < r->end && *r->p == ',')
                {
                  r->p++;
                  continue;
                }
              if (r->p < r->end && *r->p == ']')
                {
                  r->p++;
                  break;
                }
              reader_fail (r, r->p, "a comma or a closing bracket was expected");
              return NULL;
            }
        r->depth--;
        return g_steal_pointer (&array);
      }

    case '"':
      if (!read_string (r, scratch))
        return NULL;
      return loom_toon_value_new_string_len (scratch->str, scratch->len);

    default:
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
    }
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
  Reader r = { 0 };
  g_autoptr(GString) scratch = g_string_new (NULL);
  g_autoptr(LoomToonValue) value = NULL;
  const char *bad = NULL;
  gsize len;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  len = length < 0 ? strlen (text) : (gsize) length;
  r.text = r.p = text;
  r.end = text + len;
  r.error = error;

  if (!loom_toon_utf8_validate (text, len, &bad))
    {
      reader_fail (&r, bad, "the text is not valid UTF-8");
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

static void
write_string (GString    *out,
              const char *s,
              gsize       len)
{
  const char *end = s + len;

  g_string_append_c (out, '"');
  while (s < end)
    {
      const char *run = s;

      while (s < end && *s != '"' && *s != '\\' && (guchar) *s >= 0x20)
        s++;
      g_string_append_len (out, run, s - run);
      if (s == end)
        break;
      switch (*s)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        default: g_string_append_printf (out, "\\u%04x", (guchar) *s); break;
        }
      s++;
    }
  g_string_append_c (out, '"');
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

  switch (value->kind)
    {
    case LOOM_TOON_NULL:
      g_string_append (out, "null");
      break;
    case LOOM_TOON_BOOLEAN:
      g_string_append (out, value->boolean ? "true" : "false");
      break;
    case LOOM_TOON_INT:
      loom_toon_append_int (out, value->integer);
      break;
    case LOOM_TOON_DOUBLE:
      if (isfinite (value->dbl))
        loom_toon_append_double (out, value->dbl);
      else
        g_string_append (out, "null");
      break;
    case LOOM_TOON_STRING:
      write_string (out, value->string.str, value->string.len);
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
          write_string (out, key, g_ref_string_length ((char *) key));
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

/**
 * loom_toon_value_to_json_node:
 *
 * Returns: (transfer full): a json-glib tree of @value; integers stay gint64, doubles stay
 * doubles (json-glib prints them with %.17g, so prefer loom_toon_json_write() for text)
 */
JsonNode *
loom_toon_value_to_json_node (const LoomToonValue *value)
{
  JsonNode *node;

  g_return_val_if_fail (value != NULL, NULL);

  switch (value->kind)
    {
    case LOOM_TOON_NULL:
      return json_node_init_null (json_node_alloc ());
    case LOOM_TOON_BOOLEAN:
      return json_node_init_boolean (json_node_alloc (), value->boolean);
    case LOOM_TOON_INT:
      return json_node_init_int (json_node_alloc (), value->integer);
    case LOOM_TOON_DOUBLE:
      if (!isfinite (value->dbl))
        return json_node_init_null (json_node_alloc ());
      return json_node_init_double (json_node_alloc (), value->dbl);
    case LOOM_TOON_STRING:
      {
        g_autofree char *copy = g_strndup (value->string.str, value->string.len);

        return json_node_init_string (json_node_alloc (), copy);
      }
    case LOOM_TOON_ARRAY:
      {
        JsonArray *array = json_array_sized_new (value->array.len);

        for (guint i = 0; i < value->array.len; i++)
          json_array_add_element (array, loom_toon_value_to_json_node (value->array.items[i]));
        node = json_node_init_array (json_node_alloc (), array);
        json_array_unref (array);
        return node;
      }
    case LOOM_TOON_OBJECT:
      {
        JsonObject *object = json_object_new ();

        for (guint i = 0; i < value->object.len; i++)
          json_object_set_member (object, value->object.members[i].key,
                                  loom_toon_value_to_json_node (value->object.members[i].value));
        node = json_node_init_object (json_node_alloc (), object);
        json_object_unref (object);
        return node;
      }
    default:
      g_assert_not_reached ();
    }
}

/**
 * loom_toon_value_from_json_node:
 *
 * Numbers take json-glib's reading as it is: for JSON text with large integers, use
 * loom_toon_json_parse() instead.
 *
 * Returns: (transfer full): the value of @node
 */
LoomToonValue *
loom_toon_value_from_json_node (JsonNode *node)
{
  g_return_val_if_fail (node != NULL, NULL);

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_NULL:
      return loom_toon_value_new_null ();
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_BOOLEAN:
          return loom_toon_value_new_boolean (json_node_get_boolean (node));
        case G_TYPE_INT64:
          return loom_toon_value_new_int (json_node_get_int (node));
        case G_TYPE_DOUBLE:
          return loom_toon_value_new_number (json_node_get_double (node));
        case G_TYPE_STRING:
          return loom_toon_value_new_string (json_node_get_string (node));
        default:
          return loom_toon_value_new_null ();
        }
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);
        LoomToonValue *value = loom_toon_value_new_array_sized (n);

        for (guint i = 0; i < n; i++)
          loom_toon_value_array_append (value,
                                        loom_toon_value_from_json_node (json_array_get_element (array, i)));
        return value;
      }
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        LoomToonValue *value = loom_toon_value_new_object ();
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;

        json_object_iter_init_ordered (&iter, object);
        while (json_object_iter_next_ordered (&iter, &name, &member))
          loom_toon_value_object_set (value, name, loom_toon_value_from_json_node (member));
        return value;
      }
    default:
      return loom_toon_value_new_null ();
    }
}
