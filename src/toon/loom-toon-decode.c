/* loom-toon-decode.c: TOON v4.0 decoder
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The text is split into lines once (comments dropped, blank lines kept as markers, depth
 * computed), then read by a recursive descent whose depth is capped at LOOM_TOON_MAX_DEPTH.
 * Values are built directly from slices of the input: no per-character allocation, and the
 * field names of a tabular header are shared by every row.
 */

#define G_LOG_DOMAIN "loom-toon-decode"

#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "loom-toon-private.h"

typedef struct
{
  const char *raw;   /* start of the line, for columns */
  const char *start; /* first character after the indentation */
  const char *end;   /* end of the content, without the line terminator */
  guint       depth;
  guint       lineno;
  gboolean    blank;
} Line;

typedef struct
{
  char    *name; /* GRefString */
  gint     parent;
  guint    level;
  gboolean is_group;
} FieldNode;

typedef struct
{
  GArray *nodes; /* FieldNode, depth first: the leaves are in cell order */
  guint   n_leaves;
  guint   max_level;
  gboolean flat; /* no groups and no duplicates: a row is appended member by member */
  GHashTable *seen; /* FieldKey → itself, while parsing: duplicates found in constant time */
} Fields;

/* A field's name within its group: the names a header lists must differ. */
typedef struct
{
  gint        parent;
  const char *name; /* the node's GRefString */
  gsize       len;
} FieldKey;

static guint
field_key_hash (gconstpointer key)
{
  const FieldKey *k = key;
  guint h = 5381 + (guint) k->parent;

  for (gsize i = 0; i < k->len; i++)
    h = h * 33 + (guchar) k->name[i];
  return h;
}

static gboolean
field_key_equal (gconstpointer a,
                 gconstpointer b)
{
  const FieldKey *x = a;
  const FieldKey *y = b;

  return x->parent == y->parent && x->len == y->len && memcmp (x->name, y->name, x->len) == 0;
}

typedef struct
{
  guint64     length;
  gboolean    keyed;
  char        delimiter;
  Fields     *fields;
  const char *bracket; /* the '[' */
  const char *rest;    /* after the colon */
} Header;

typedef enum {
  HEADER_OK,
  HEADER_NOT,   /* not a header; strict mode reports @reason, non-strict falls through */
  HEADER_ERROR, /* a header, but a broken one: the error is set */
} HeaderResult;

typedef struct
{
  gboolean strict;
  guint    indent_size;
  Line    *lines;
  guint    n_lines;
  guint    pos;
  guint    pending_blank; /* line number of the first blank line skipped since the last read */
  guint    array_span;    /* arrays whose first item has been read and which are still open */
  guint    depth;
  GError **error;
  gboolean failed;
} Decoder;

void
loom_toon_decode_options_init (LoomToonDecodeOptions *options)
{
  g_return_if_fail (options != NULL);

  options->strict = TRUE;
  options->indent_size = 2;
}

static void
fields_free (Fields *fields)
{
  if (fields == NULL)
    return;
  g_clear_pointer (&fields->seen, g_hash_table_unref);
  for (guint i = 0; i < fields->nodes->len; i++)
    g_ref_string_release (g_array_index (fields->nodes, FieldNode, i).name);
  g_array_unref (fields->nodes);
  g_free (fields);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fields, fields_free)

static guint
column_of (const Line *line,
           const char *at)
{
  if (at == NULL || at < line->raw)
    return 1;
  return (guint) g_utf8_strlen (line->raw, at - line->raw) + 1;
}

static gboolean G_GNUC_PRINTF (5, 6)
fail (Decoder     *d,
      LoomToonError code,
      const Line  *line,
      const char  *at,
      const char  *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  if (d->failed)
    return FALSE;
  d->failed = TRUE;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (line != NULL)
    g_set_error (d->error, LOOM_TOON_ERROR, code, "line %u, column %u: %s",
                 line->lineno, column_of (line, at), message);
  else
    g_set_error_literal (d->error, LOOM_TOON_ERROR, code, message);
  return FALSE;
}

static gboolean
enter (Decoder    *d,
       const Line *line,
       const char *at)
{
  if (++d->depth > LOOM_TOON_MAX_DEPTH)
    return fail (d, LOOM_TOON_ERROR_TOO_DEEP, line, at,
                 "the document nests deeper than %d levels", LOOM_TOON_MAX_DEPTH);
  return TRUE;
}

static void
leave (Decoder *d)
{
  d->depth--;
}

/* Lines */

typedef enum
{
  SCAN_LINE,
  SCAN_COMMENT,
  SCAN_ERROR,
} ScanResult;

/* Fills @line (its number set) with the line from @p to @line_end, before its LF: blank, or
 * where its content starts and how deep it is. A comment is not a line at all. */
static ScanResult
scan_line (Decoder    *d,
           Line       *line,
           const char *p,
           const char *line_end)
{
  const char *q = p;
  const char *r;
  guint indent;

  line->raw = p;
  line->blank = FALSE;
  line->depth = 0;

  /* Only a CR right before the LF (or at the end of input) is part of the terminator. */
  if (line_end > p && line_end[-1] == '\r')
    line_end--;
  line->end = line_end;

  while (q < line_end && *q == ' ')
    q++;
  indent = (guint) (q - p);

  if (q < line_end && *q == '#')
    return SCAN_COMMENT; /* gone before anything structural looks at the document */

  r = q;
  while (r < line_end && (*r == ' ' || *r == '\t'))
    r++;
  if (r == line_end)
    {
      line->blank = TRUE;
      line->start = line->end;
      return SCAN_LINE;
    }

  if (q < line_end && *q == '\t')
    {
      if (d->strict)
        {
          fail (d, LOOM_TOON_ERROR_INDENTATION, line, q, "indentation must use spaces, not tabs");
          return SCAN_ERROR;
        }
      while (q < line_end && (*q == ' ' || *q == '\t'))
        {
          indent += *q == '\t' ? d->indent_size : 1;
          q++;
        }
    }

  if (d->strict && indent % d->indent_size != 0)
    {
      fail (d, LOOM_TOON_ERROR_INDENTATION, line, q,
            "the line is indented by %u spaces, which is not a multiple of %u",
            indent, d->indent_size);
      return SCAN_ERROR;
    }

  line->start = q;
  line->depth = indent / d->indent_size;
  return SCAN_LINE;
}

static gboolean
split_lines (Decoder    *d,
             const char *text,
             gsize       len)
{
  const char *p = text;
  const char *end = text + len;
  guint lineno = 0;
  gsize cap = 64;

  d->lines = g_new (Line, cap);
  d->n_lines = 0;

  while (p < end)
    {
      const char *nl = memchr (p, '\n', end - p);
      Line line;
      ScanResult scanned;

      line.lineno = ++lineno;
      scanned = scan_line (d, &line, p, nl ? nl : end);
      if (scanned == SCAN_ERROR)
        return FALSE;
      if (scanned == SCAN_LINE)
        {
          if (d->n_lines == cap)
            {
              cap *= 2;
              d->lines = g_renew (Line, d->lines, cap);
            }
          d->lines[d->n_lines++] = line;
        }
      if (nl == NULL)
        break;
      p = nl + 1;
    }

  return TRUE;
}

static const Line *
peek (Decoder *d)
{
  while (d->pos < d->n_lines && d->lines[d->pos].blank)
    {
      if (d->pending_blank == 0)
        d->pending_blank = d->lines[d->pos].lineno;
      d->pos++;
    }
  return d->pos < d->n_lines ? &d->lines[d->pos] : NULL;
}

static gboolean
consume (Decoder    *d,
         const Line *line)
{
  if (d->pending_blank != 0 && d->strict && d->array_span > 0)
    {
      Line blank = { 0 };

      blank.raw = blank.start = blank.end = line->raw;
      blank.lineno = d->pending_blank;
      return fail (d, LOOM_TOON_ERROR_BLANK_LINE, &blank, NULL,
                   "blank lines are not allowed inside an array");
    }
  d->pending_blank = 0;
  d->pos++;
  return TRUE;
}

/* Tokens */

static inline const char *
skip_spaces (const char *p,
             const char *end)
{
  while (p < end && *p == ' ')
    p++;
  return p;
}

static inline const char *
trim_end (const char *start,
          const char *end)
{
  while (end > start && end[-1] == ' ')
    end--;
  return end;
}

/* Returns the closing quote of the string opening at @p, or NULL. */
static const char *
find_closing_quote (const char *p,
                    const char *end)
{
  for (p++; p < end; p++)
    {
      if (*p == '\\')
        p++;
      else if (*p == '"')
        return p;
    }
  return NULL;
}

/* As find_closing_quote (), failing @d when there is none: @what names the quoted text
 * ("the string", "the key") in the sentence. */
static const char *
expect_closing_quote (Decoder    *d,
                      const Line *line,
                      const char *p,
                      const char *end,
                      const char *what)
{
  const char *close = find_closing_quote (p, end);

  if (close == NULL)
    fail (d, LOOM_TOON_ERROR_SYNTAX, line, p, "%s has no closing quote", what);
  return close;
}

/* Returns the first @c outside quoted strings, or NULL. */
static const char *
find_unquoted (const char *p,
               const char *end,
               char        c)
{
  while (p < end)
    {
      if (*p == c)
        return p;
      if (*p == '"')
        {
          const char *close = find_closing_quote (p, end);

          if (close == NULL)
            return NULL;
          p = close + 1;
        }
      else
        p++;
    }
  return NULL;
}

/* Unescapes the quoted string [open, close] into @dst (which has room for close - open
 * bytes); returns the length written or -1 after failing. */
static gssize
unescape (Decoder    *d,
          const Line *line,
          const char *open,
          const char *close,
          char       *dst)
{
  const char *p = open + 1;
  char *o = dst;

  while (p < close)
    {
      const char *bs = memchr (p, '\\', close - p);
      const char *stop = bs ? bs : close;

      memcpy (o, p, stop - p);
      o += stop - p;
      p = stop;
      if (bs == NULL)
        break;

      p++;
      switch (*p)
        {
        case '\\': *o++ = '\\'; p++; break;
        case '"': *o++ = '"'; p++; break;
        case 'n': *o++ = '\n'; p++; break;
        case 'r': *o++ = '\r'; p++; break;
        case 't': *o++ = '\t'; p++; break;
        case 'u':
          {
            gunichar c;

            if (!loom_toon_read_hex4 (p + 1, close, &c))
              {
                fail (d, LOOM_TOON_ERROR_SYNTAX, line, bs,
                      "\\u must be followed by four hexadecimal digits");
                return -1;
              }
            p += 5;
            if (c >= 0xDC00 && c <= 0xDFFF)
              {
                fail (d, LOOM_TOON_ERROR_SYNTAX, line, bs,
                      "\\u%04X is a lone low surrogate, not a character", c);
                return -1;
              }
            if (c >= 0xD800 && c <= 0xDBFF)
              {
                gunichar low;

                if (close - p < 6 || p[0] != '\\' || p[1] != 'u' ||
                    !loom_toon_read_hex4 (p + 2, close, &low) || low < 0xDC00 || low > 0xDFFF)
                  {
                    fail (d, LOOM_TOON_ERROR_SYNTAX, line, bs,
                          "\\u%04X is a high surrogate without its low half", c);
                    return -1;
                  }
                p += 6;
                c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
              }
            o += g_unichar_to_utf8 (c, o);
          }
          break;
        default:
          fail (d, LOOM_TOON_ERROR_SYNTAX, line, bs,
                "\\%c is not a valid escape (only \\\\, \\\", \\n, \\r, \\t and \\uXXXX are)",
                p < close && g_ascii_isprint (*p) ? *p : '?');
          return -1;
        }
    }
  return o - dst;
}

static LoomToonValue *
quoted_string (Decoder    *d,
               const Line *line,
               const char *open,
               const char *close)
{
  char *buffer;
  LoomToonValue *value = loom_toon_value_new_string_take_buffer (close - open, &buffer);
  gssize n = unescape (d, line, open, close, buffer);

  if (n < 0)
    {
      loom_toon_value_unref (value);
      return NULL;
    }
  buffer[n] = '\0';
  value->string.len = n;
  return value;
}

/* A key as a GRefString. */
static char *
quoted_key (Decoder    *d,
            const Line *line,
            const char *open,
            const char *close)
{
  g_autoptr(LoomToonValue) s = quoted_string (d, line, open, close);

  if (s == NULL)
    return NULL;
  return g_ref_string_new_len (s->string.str, s->string.len);
}

static LoomToonValue *
unquoted_value (const char *s,
                const char *e)
{
  gsize len = e - s;
  LoomToonValue *value = NULL;

  if (len == 0)
    return loom_toon_value_new_string_len ("", 0);

  switch (s[0])
    {
    case 't':
      if (len == 4 && memcmp (s, "true", 4) == 0)
        return loom_toon_value_new_boolean (TRUE);
      break;
    case 'f':
      if (len == 5 && memcmp (s, "false", 5) == 0)
        return loom_toon_value_new_boolean (FALSE);
      break;
    case 'n':
      if (len == 4 && memcmp (s, "null", 4) == 0)
        return loom_toon_value_new_null ();
      break;
    case '-':
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      if (loom_toon_parse_number (s, len, &value))
        return value;
      break;
    default:
      break;
    }
  return loom_toon_value_new_string_len (s, len);
}

/* A primitive token: [s, e) may carry surrounding spaces. */
static LoomToonValue *
primitive (Decoder    *d,
           const Line *line,
           const char *s,
           const char *e)
{
  s = skip_spaces (s, e);
  e = trim_end (s, e);

  if (s < e && *s == '"')
    {
      const char *close = expect_closing_quote (d, line, s, e, "the string");

      if (close == NULL)
        return NULL;
      if (close + 1 != e)
        {
          fail (d, LOOM_TOON_ERROR_SYNTAX, line, close + 1,
                "unexpected text after the closing quote");
          return NULL;
        }
      return quoted_string (d, line, s, close);
    }
  return unquoted_value (s, e);
}

/* Finds the next cell from *@p: sets [*cs, *ce) to the untrimmed token and advances *@p past
 * the delimiter. Returns FALSE after failing. */
static gboolean
next_cell (Decoder     *d,
           const Line  *line,
           const char **p,
           const char  *end,
           char         delimiter,
           const char **cs,
           const char **ce,
           gboolean    *more)
{
  const char *s = skip_spaces (*p, end);

  if (s < end && *s == '"')
    {
      const char *close = expect_closing_quote (d, line, s, end, "the string");
      const char *after;

      if (close == NULL)
        return FALSE;
      after = close + 1;
      while (after < end && *after == ' ')
        after++;
      if (after < end && *after != delimiter)
        return fail (d, LOOM_TOON_ERROR_SYNTAX, line, after,
                     "unexpected text after the closing quote");
      *cs = s;
      *ce = close + 1;
      *more = after < end;
      *p = after < end ? after + 1 : end;
      return TRUE;
    }
  else
    {
      const char *delim = delimiter == ' ' ? NULL : memchr (s, delimiter, end - s);

      *cs = s;
      *ce = delim ? delim : end;
      *more = delim != NULL;
      *p = delim ? delim + 1 : end;
      return TRUE;
    }
}

static const char *
delimiter_name (char delimiter)
{
  switch (delimiter)
    {
    case '\t': return "tab";
    case '|': return "pipe";
    default: return "comma";
    }
}

/* Headers */

static HeaderResult
header_not (const char  *at,
            const char **reason_at,
            const char **reason,
            const char  *why)
{
  *reason_at = at;
  *reason = why;
  return HEADER_NOT;
}

static gboolean
add_field (Decoder    *d,
           const Line *line,
           const char *at,
           Fields     *fields,
           char       *name,
           gint        parent,
           guint       level,
           gboolean    is_group)
{
  FieldNode node = { name, parent, level, is_group };
  FieldKey *key = g_new (FieldKey, 1);

  /* a hash set, not a scan of the siblings: a header of 100,000 fields took 40 s */
  key->parent = parent;
  key->name = name;
  key->len = g_ref_string_length (name);
  if (g_hash_table_contains (fields->seen, key))
    {
      g_free (key);
      if (d->strict)
        {
          fail (d, LOOM_TOON_ERROR_DUPLICATE_KEY, line, at,
                "the field \"%s\" is listed twice in the header", name);
          g_ref_string_release (name);
          return FALSE;
        }
      fields->flat = FALSE;
    }
  else
    g_hash_table_add (fields->seen, key);
  if (is_group)
    fields->flat = FALSE;
  else
    fields->n_leaves++;
  fields->max_level = MAX (fields->max_level, level);
  g_array_append_val (fields->nodes, node);
  return TRUE;
}

/* The field name at *@at; *@at moves past it. @open is the segment's brace and @in_group
 * whether the name is inside a nested group, for the error messages. */
static char *
parse_field_name (Decoder     *d,
                  const Line  *line,
                  const char **at,
                  const char  *end,
                  char         delimiter,
                  const char  *open,
                  gboolean     in_group)
{
  const char *p = *at;
  const char *s, *e;

  if (p < end && *p == '"')
    {
      const char *close = expect_closing_quote (d, line, p, end, "the field name");
      char *name;

      if (close == NULL)
        return NULL;
      name = quoted_key (d, line, p, close);
      *at = skip_spaces (close + 1, end);
      return name;
    }

  for (s = p; p < end && *p != delimiter && *p != '{' && *p != '}' && *p != '"' && *p != ':';)
    p++;
  e = trim_end (s, p);
  if (e == s)
    {
      if (p < end && *p == '}')
        fail (d, LOOM_TOON_ERROR_SYNTAX, line, p,
              in_group ? "a nested field group is empty" : "the fields segment is empty");
      else if (p >= end || *p == ':')
        fail (d, LOOM_TOON_ERROR_SYNTAX, line, open, "the fields segment has no closing brace");
      else
        fail (d, LOOM_TOON_ERROR_SYNTAX, line, p, "a field name is missing");
      return NULL;
    }
  if (d->strict)
    for (const char *q = s; q < e; q++)
      if ((*q == ',' || *q == '|' || *q == '\t') && *q != delimiter)
        {
          fail (d, LOOM_TOON_ERROR_SYNTAX, line, q,
                "the fields are separated by %s but the brackets declare %s",
                delimiter_name (*q), delimiter_name (delimiter));
          return NULL;
        }
  *at = p;
  return g_ref_string_new_len (s, e - s);
}

/* Parses the fields segment opening at @p ('{'); iterative, so nesting costs no stack. */
static Fields *
parse_fields (Decoder     *d,
              const Line  *line,
              const char  *p,
              const char  *end,
              char         delimiter,
              const char **after)
{
  g_autoptr(Fields) fields = g_new0 (Fields, 1);
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (gint)); /* open groups */
  gint top = -1;
  guint level = 0;
  const char *open = p;

  fields->nodes = g_array_new (FALSE, FALSE, sizeof (FieldNode));
  fields->seen = g_hash_table_new_full (field_key_hash, field_key_equal, g_free, NULL);
  fields->flat = TRUE;
  p++;

  for (;;)
    {
      const char *name_start;
      char *name;

      p = skip_spaces (p, end);
      name_start = p;
      name = parse_field_name (d, line, &p, end, delimiter, open, top >= 0);
      if (name == NULL)
        return NULL;

      if (p < end && *p == '{')
        {
          if (!add_field (d, line, name_start, fields, name, top, level, TRUE))
            return NULL;
          top = fields->nodes->len - 1;
          g_array_append_val (stack, top);
          if (++level > LOOM_TOON_MAX_DEPTH)
            {
              fail (d, LOOM_TOON_ERROR_TOO_DEEP, line, p,
                    "the field groups nest deeper than %d levels", LOOM_TOON_MAX_DEPTH);
              return NULL;
            }
          p++;
          continue;
        }
      if (!add_field (d, line, name_start, fields, name, top, level, FALSE))
        return NULL;

      /* after a field: a delimiter, or closing braces */
      for (;;)
        {
          p = skip_spaces (p, end);
          if (p < end && *p == delimiter)
            {
              p++;
              break;
            }
          if (p < end && *p == '}')
            {
              p++;
              if (top < 0)
                {
                  *after = p;
                  /* only parsing needs it; the rows need the nodes */
                  g_clear_pointer (&fields->seen, g_hash_table_unref);
                  return g_steal_pointer (&fields);
                }
              g_array_set_size (stack, stack->len - 1);
              top = stack->len > 0 ? g_array_index (stack, gint, stack->len - 1) : -1;
              level--;
              continue;
            }
          if (p >= end || *p == ':')
            fail (d, LOOM_TOON_ERROR_SYNTAX, line, open, "the fields segment has no closing brace");
          else
            fail (d, LOOM_TOON_ERROR_SYNTAX, line, p,
                  "unexpected character in the fields segment");
          return NULL;
        }
    }
}

/* Parses a header whose bracket segment opens at @p. */
static HeaderResult
parse_header (Decoder     *d,
              const Line  *line,
              const char  *p,
              const char  *end,
              Header      *h,
              const char **reason_at,
              const char **reason)
{
  const char *digits;
  guint64 n = 0;

  memset (h, 0, sizeof *h);
  h->bracket = p;
  h->delimiter = ',';
  p++;

  digits = p;
  while (p < end && g_ascii_isdigit (*p))
    {
      if (n > G_MAXUINT32)
        return header_not (digits, reason_at, reason, "the array length is too large");
      n = n * 10 + (guint64) (*p - '0');
      p++;
    }
  if (p == digits)
    return header_not (digits, reason_at, reason,
                       "the array length in brackets must be a non-negative integer");
  if (*digits == '0' && p - digits > 1)
    return header_not (digits, reason_at, reason,
                       "the array length must not have leading zeros");
  h->length = n;

  if (p < end && *p == ':')
    {
      h->keyed = TRUE;
      p++;
    }
  if (p < end && (*p == '\t' || *p == '|'))
    h->delimiter = *p++;
  if (p >= end || *p != ']')
    return header_not (p, reason_at, reason,
                       "the array length in brackets must be a non-negative integer, "
                       "optionally followed by ':' and a tab or '|'");
  p++;

  if (p < end && *p == '{')
    {
      h->fields = parse_fields (d, line, p, end, h->delimiter, &p);
      if (h->fields == NULL)
        return HEADER_ERROR;
    }

  if (p >= end || *p != ':')
    {
      HeaderResult result;

      if (find_unquoted (p, end, ':') == NULL)
        {
          fail (d, LOOM_TOON_ERROR_SYNTAX, line, p, "the array header must end with a colon");
          result = HEADER_ERROR;
        }
      else
        result = header_not (p, reason_at, reason,
                             "nothing may come between the array header and its colon");
      g_clear_pointer (&h->fields, fields_free);
      return result;
    }
  p++;
  h->rest = p;

  if (h->keyed && h->fields == NULL)
    {
      fail (d, LOOM_TOON_ERROR_SYNTAX, line, h->bracket,
            "a keyed header like [N:] needs a fields segment {…}");
      return HEADER_ERROR;
    }
  return HEADER_OK;
}

/* Values */

static LoomToonValue *parse_object_body (Decoder *d, guint depth, LoomToonValue *object);
static LoomToonValue *parse_header_value (Decoder *d, const Line *line, Header *h,
                                          guint child_depth);

/* Where nested content would start: returns the next line if it is at @expected depth (or,
 * in non-strict mode, deeper), NULL if there is no nested content, and fails on a skipped
 * level. */
static const Line *
child_line (Decoder    *d,
            guint       expected,
            gboolean   *error)
{
  const Line *next = peek (d);

  *error = FALSE;
  if (next == NULL || next->depth < expected)
    return NULL;
  if (next->depth > expected && d->strict)
    {
      *error = TRUE;
      fail (d, LOOM_TOON_ERROR_INDENTATION, next, next->start,
            "the line is indented %u level%s deeper than its parent allows",
            next->depth - expected, next->depth - expected == 1 ? "" : "s");
      return NULL;
    }
  return next;
}

static gboolean
insert_member (Decoder       *d,
               const Line    *line,
               const char    *at,
               LoomToonValue *object,
               char          *ref_key,
               LoomToonValue *value)
{
  gsize key_len = g_ref_string_length (ref_key);
  gssize i = loom_toon_value_object_find (object, ref_key, key_len);

  if (i >= 0)
    {
      if (d->strict)
        {
          fail (d, LOOM_TOON_ERROR_DUPLICATE_KEY, line, at,
                "the key \"%s\" appears twice in the same object", ref_key);
          g_ref_string_release (ref_key);
          loom_toon_value_unref (value);
          return FALSE;
        }
      g_ref_string_release (ref_key);
      loom_toon_value_object_replace (object, i, value);
      return TRUE;
    }
  loom_toon_value_object_append_ref_key (object, ref_key, value);
  return TRUE;
}

/* Builds one row object from its cells (tabular rows and keyed entries). */
static LoomToonValue *
build_row (const Fields    *fields,
           LoomToonValue  **cells)
{
  LoomToonValue *row;
  LoomToonValue *stack_objects[16];
  g_autofree LoomToonValue **heap_objects = NULL;
  LoomToonValue **objects = stack_objects;
  guint leaf = 0;

  if (fields->flat)
    {
      row = loom_toon_value_new_object_sized (fields->n_leaves);
      for (guint i = 0; i < fields->nodes->len; i++)
        {
          FieldNode *node = &g_array_index (fields->nodes, FieldNode, i);

          loom_toon_value_object_append_ref_key (row, g_ref_string_acquire (node->name), cells[i]);
        }
      return row;
    }

  if (fields->max_level + 1 > G_N_ELEMENTS (stack_objects))
    objects = heap_objects = g_new (LoomToonValue *, fields->max_level + 1);

  row = loom_toon_value_new_object ();
  objects[0] = row;
  for (guint i = 0; i < fields->nodes->len; i++)
    {
      FieldNode *node = &g_array_index (fields->nodes, FieldNode, i);
      LoomToonValue *parent = objects[node->level];
      LoomToonValue *value;
      gsize name_len = g_ref_string_length (node->name);
      gssize existing;

      if (node->is_group)
        {
          value = loom_toon_value_new_object ();
          objects[node->level + 1] = value;
        }
      else
        value = cells[leaf++];

      /* duplicates only survive in non-strict mode: the last one wins */
      existing = loom_toon_value_object_find (parent, node->name, name_len);
      if (existing >= 0)
        loom_toon_value_object_replace (parent, existing, value);
      else
        loom_toon_value_object_append_ref_key (parent, g_ref_string_acquire (node->name), value);
    }
  return row;
}

/* Splits [p, end) into exactly @n_cells values (failing on another count). */
static gboolean
parse_cells (Decoder        *d,
             const Line     *line,
             const char     *p,
             const char     *end,
             char            delimiter,
             guint           n_cells,
             LoomToonValue **cells)
{
  guint n = 0;
  gboolean more = TRUE;
  const char *start = p;

  if (skip_spaces (p, end) == end)
    more = FALSE;
  while (more)
    {
      const char *cs, *ce;

      if (!next_cell (d, line, &p, end, delimiter, &cs, &ce, &more))
        goto error;
      if (n == n_cells)
        {
          n++;
          break;
        }
      cells[n] = primitive (d, line, cs, ce);
      if (cells[n] == NULL)
        goto error;
      n++;
    }
  if (n != n_cells)
    {
      if (n > n_cells)
        {
          guint total = n_cells + 1;
          const char *xs, *xe;

          while (more && next_cell (d, line, &p, end, delimiter, &xs, &xe, &more))
            total++;
          n = total;
        }
      fail (d, LOOM_TOON_ERROR_COUNT, line, start,
            "the row has %u value%s but the header declares %u field%s",
            n, n == 1 ? "" : "s", n_cells, n_cells == 1 ? "" : "s");
      goto error;
    }
  return TRUE;

error:
  for (guint i = 0; i < MIN (n, n_cells); i++)
    if (cells[i] != NULL)
      g_clear_pointer (&cells[i], loom_toon_value_unref);
  return FALSE;
}

/* Is a line at row depth a row, rather than a key-value line ending the rows (§9.3)? */
static gboolean
is_row (const char *p,
        const char *end,
        char        delimiter)
{
  p = skip_spaces (p, end);
  if (p < end && *p == '"')
    {
      const char *close = find_closing_quote (p, end);

      if (close == NULL)
        return TRUE; /* the row parser reports it */
      p = skip_spaces (close + 1, end);
      return !(p < end && *p == ':');
    }
  else
    {
      const char *delim = memchr (p, delimiter, end - p);
      const char *cell_end = delim ? delim : end;

      return memchr (p, ':', cell_end - p) == NULL;
    }
}

/* Non-strict mode also reads the pre-v3 layout of an array opened on a hyphen line, with its
 * rows or items one level under the hyphen (where sibling fields go) instead of two: models
 * trained on older TOON write it. Returns the depth to read the rows at. */
static guint
legacy_hyphen_depth (Decoder    *d,
                     const Line *header_line,
                     guint       depth,
                     gboolean    list,
                     char        delimiter)
{
  const Line *next;

  if (d->strict || depth != header_line->depth + 2)
    return depth;
  next = peek (d);
  if (next == NULL || next->depth != header_line->depth + 1)
    return depth;
  if (list ? (next->start < next->end && next->start[0] == '-' &&
              (next->start + 1 == next->end || next->start[1] == ' '))
           : is_row (next->start, next->end, delimiter))
    return header_line->depth + 1;
  return depth;
}

static gboolean
count_mismatch (Decoder    *d,
                const Line *header_line,
                Header     *h,
                guint       count,
                const char *noun)
{
  return fail (d, LOOM_TOON_ERROR_COUNT, header_line, h->bracket,
               "the array declares %" G_GUINT64_FORMAT " %s%s but has %u",
               h->length, noun, h->length == 1 ? "" : "s", count);
}

/* The lines below a header that hold its values, one each: a table's rows or entries, or a
 * list's items. Tables and lists read them alike; only what one line holds differs. */
typedef enum
{
  BLOCK_ROWS,
  BLOCK_ENTRIES,
  BLOCK_ITEMS,
} BlockKind;

typedef struct
{
  BlockKind kind;
  guint     depth;
  guint     count;
  gboolean  legacy;  /* at the depth of an old encoder's hyphen-line object */
} Block;

static gboolean
block_begin (Decoder    *d,
             const Line *header_line,
             Header     *h,
             guint       depth,
             BlockKind   kind,
             Block      *b)
{
  const Line *line;
  gboolean bad;

  b->kind = kind;
  b->depth = depth;
  b->count = 0;
  b->legacy = FALSE;

  line = child_line (d, depth, &bad);
  if (bad)
    return FALSE;
  if (line != NULL)
    b->depth = line->depth;
  else if (kind != BLOCK_ENTRIES)
    {
      b->depth = legacy_hyphen_depth (d, header_line, depth, kind == BLOCK_ITEMS, h->delimiter);
      b->legacy = b->depth != depth;
    }
  return TRUE;
}

/* The block's next line, not yet consumed; NULL at its end, or with d->failed set when a
 * line is indented deeper than the block's. */
static const Line *
block_peek (Decoder *d,
            Block   *b)
{
  static const char *const lines_of[] = {
    [BLOCK_ROWS] = "rows of its table",
    [BLOCK_ENTRIES] = "entries of its table",
    [BLOCK_ITEMS] = "items of its list",
  };
  const Line *line = peek (d);

  if (line == NULL || line->depth < b->depth)
    return NULL;
  if (line->depth > b->depth)
    {
      fail (d, LOOM_TOON_ERROR_INDENTATION, line, line->start,
            "the line is indented deeper than the %s", lines_of[b->kind]);
      return NULL;
    }
  return line;
}

static gboolean
block_consume (Decoder    *d,
               Block      *b,
               const Line *line)
{
  if (!consume (d, line))
    return FALSE;
  /* the span starts with the first line: an item's own nested lines are inside it */
  if (++b->count == 1)
    d->array_span++;
  return TRUE;
}

static gboolean
block_end (Decoder    *d,
           const Line *header_line,
           Header     *h,
           Block      *b)
{
  if (b->count > 0)
    d->array_span--;
  if (d->failed)
    return FALSE;
  if (!d->strict || b->count == h->length)
    return TRUE;
  if (b->kind == BLOCK_ENTRIES)
    return fail (d, LOOM_TOON_ERROR_COUNT, header_line, h->bracket,
                 "the keyed table declares %" G_GUINT64_FORMAT " entr%s but has %u",
                 h->length, h->length == 1 ? "y" : "ies", b->count);
  return count_mismatch (d, header_line, h, b->count, b->kind == BLOCK_ROWS ? "row" : "item");
}

static LoomToonValue *
parse_tabular_rows (Decoder    *d,
                    const Line *header_line,
                    Header     *h,
                    guint       row_depth)
{
  g_autoptr(LoomToonValue) array =
    loom_toon_value_new_array_sized ((guint) MIN (h->length, 1u << 16));
  g_autofree LoomToonValue **cells = g_new (LoomToonValue *, h->fields->n_leaves);
  const Line *line;
  Block b;

  if (!block_begin (d, header_line, h, row_depth, BLOCK_ROWS, &b))
    return NULL;

  while ((line = block_peek (d, &b)) != NULL && is_row (line->start, line->end, h->delimiter))
    {
      if (!block_consume (d, &b, line) ||
          !parse_cells (d, line, line->start, line->end, h->delimiter, h->fields->n_leaves, cells))
        return NULL;
      loom_toon_value_array_append (array, build_row (h->fields, cells));
    }

  if (!block_end (d, header_line, h, &b))
    return NULL;
  return g_steal_pointer (&array);
}

/* An entry's key, up to its colon (*colon): NULL when the line has none. */
static char *
entry_key (Decoder     *d,
           const Line  *line,
           const char **colon)
{
  const char *s = line->start;

  if (*s == '"')
    {
      const char *close = expect_closing_quote (d, line, s, line->end, "the key");

      if (close == NULL)
        return NULL;
      *colon = skip_spaces (close + 1, line->end);
      if (*colon >= line->end || **colon != ':')
        {
          fail (d, LOOM_TOON_ERROR_SYNTAX, line, *colon,
                "expected a colon after the entry's key");
          return NULL;
        }
      return quoted_key (d, line, s, close);
    }

  *colon = find_unquoted (s, line->end, ':');
  if (*colon == NULL)
    {
      fail (d, LOOM_TOON_ERROR_SYNTAX, line, s,
            "expected an entry \"key: values\" in the keyed table, but there is no colon");
      return NULL;
    }
  return g_ref_string_new_len (s, trim_end (s, *colon) - s);
}

static LoomToonValue *
parse_keyed_entries (Decoder    *d,
                     const Line *header_line,
                     Header     *h,
                     guint       entry_depth)
{
  g_autoptr(LoomToonValue) object = loom_toon_value_new_object ();
  g_autofree LoomToonValue **cells = g_new (LoomToonValue *, h->fields->n_leaves);
  const Line *line;
  Block b;

  if (!block_begin (d, header_line, h, entry_depth, BLOCK_ENTRIES, &b))
    return NULL;

  while ((line = block_peek (d, &b)) != NULL)
    {
      const char *colon;
      char *key;

      if (!block_consume (d, &b, line) || (key = entry_key (d, line, &colon)) == NULL)
        return NULL;
      if (!parse_cells (d, line, colon + 1, line->end, h->delimiter, h->fields->n_leaves, cells))
        {
          g_ref_string_release (key);
          return NULL;
        }
      if (!insert_member (d, line, line->start, object, key, build_row (h->fields, cells)))
        return NULL;
    }

  if (!block_end (d, header_line, h, &b))
    return NULL;
  return g_steal_pointer (&object);
}

static LoomToonValue *
parse_inline_array (Decoder    *d,
                    const Line *line,
                    Header     *h,
                    const char *p,
                    const char *end)
{
  g_autoptr(LoomToonValue) array =
    loom_toon_value_new_array_sized ((guint) MIN (h->length, 1u << 16));
  gboolean more = TRUE;

  while (more)
    {
      const char *cs, *ce;
      LoomToonValue *v;

      if (!next_cell (d, line, &p, end, h->delimiter, &cs, &ce, &more))
        return NULL;
      v = primitive (d, line, cs, ce);
      if (v == NULL)
        return NULL;
      loom_toon_value_array_append (array, v);
    }

  if (d->strict && array->array.len != h->length)
    {
      count_mismatch (d, line, h, array->array.len, "value");
      return NULL;
    }
  return g_steal_pointer (&array);
}

static LoomToonValue *parse_list_items (Decoder *d, const Line *header_line, Header *h,
                                        guint item_depth);

/* The value a header line introduces; @child_depth is where its rows or items live. */
static LoomToonValue *
parse_header_value (Decoder    *d,
                    const Line *line,
                    Header     *h,
                    guint       child_depth)
{
  const char *rest = skip_spaces (h->rest, line->end);
  LoomToonValue *value;

  if (!enter (d, line, h->bracket))
    return NULL;

  if (h->fields != NULL)
    {
      if (rest != line->end)
        {
          fail (d, LOOM_TOON_ERROR_SYNTAX, line, rest,
                h->keyed ? "a keyed header carries no inline entries; put them on the lines below"
                         : "a tabular header carries no inline values; put the rows on the lines below");
          value = NULL;
        }
      else if (h->keyed)
        value = parse_keyed_entries (d, line, h, child_depth);
      else
        value = parse_tabular_rows (d, line, h, child_depth);
    }
  else if (rest != line->end)
    value = parse_inline_array (d, line, h, rest, line->end);
  else if (h->length == 0 && d->strict)
    value = loom_toon_value_new_array ();
  else
    value = parse_list_items (d, line, h, child_depth);

  leave (d);
  return value;
}

/* The value after "key:" (@p is past the colon): a primitive, an empty array, or the object on
 * the lines below at @child_depth. NULL after failing. */
static LoomToonValue *
parse_member_value (Decoder    *d,
                    const Line *line,
                    const char *s,
                    const char *p,
                    guint       child_depth)
{
  g_autoptr(LoomToonValue) value = NULL;
  const Line *next;
  gboolean bad;

  p = skip_spaces (p, line->end);
  if (line->end - p == 2 && p[0] == '[' && p[1] == ']')
    return loom_toon_value_new_array ();
  if (p != line->end)
    return primitive (d, line, p, line->end);

  next = child_line (d, child_depth, &bad);
  if (bad)
    return NULL;
  value = loom_toon_value_new_object ();
  if (next == NULL)
    return g_steal_pointer (&value);
  if (!enter (d, line, s))
    return NULL;
  if (parse_object_body (d, next->depth, value) == NULL)
    g_clear_pointer (&value, loom_toon_value_unref);
  leave (d);
  return g_steal_pointer (&value);
}

/* The member whose array header @h follows @key: its value goes to *@value. Returns @key, or
 * NULL (with @key released) if either failed. */
static char *
header_member (Decoder        *d,
               const Line     *line,
               Header         *h,
               char           *key,
               guint           child_depth,
               LoomToonValue **value)
{
  if (key != NULL)
    {
      *value = parse_header_value (d, line, h, child_depth);
      if (*value == NULL)
        g_clear_pointer (&key, g_ref_string_release);
    }
  fields_free (h->fields);
  return key;
}

/* The quoted key at @s and, after its colon, where its value starts (*@value_at), or its array
 * header's value (*@value). Returns the key, or NULL after failing @d. */
static char *
quoted_member_key (Decoder        *d,
                   const Line     *line,
                   const char     *s,
                   guint           child_depth,
                   const char    **value_at,
                   LoomToonValue **value)
{
  const char *end = line->end;
  const char *close = expect_closing_quote (d, line, s, end, "the key");
  const char *p;

  if (close == NULL)
    return NULL;
  p = close + 1;
  if (p < end && *p == '[')
    {
      Header h;
      const char *reason_at = NULL, *reason = NULL;
      HeaderResult r = parse_header (d, line, p, end, &h, &reason_at, &reason);

      if (r == HEADER_ERROR)
        return NULL;
      if (r == HEADER_NOT)
        {
          fail (d, LOOM_TOON_ERROR_SYNTAX, line, reason_at, "%s", reason);
          return NULL;
        }
      return header_member (d, line, &h, quoted_key (d, line, s, close), child_depth, value);
    }
  p = skip_spaces (p, end);
  if (p >= end || *p != ':')
    {
      fail (d, LOOM_TOON_ERROR_SYNTAX, line, p, "expected a colon after the key");
      return NULL;
    }
  *value_at = p + 1;
  return quoted_key (d, line, s, close);
}

/* The unquoted key at @s, as quoted_member_key () reads a quoted one. */
static char *
bare_member_key (Decoder        *d,
                 const Line     *line,
                 const char     *s,
                 guint           child_depth,
                 const char    **value_at,
                 LoomToonValue **value)
{
  const char *end = line->end;
  const char *q = s;

  while (q < end && *q != ':' && *q != '[')
    q++;
  if (q >= end)
    {
      fail (d, LOOM_TOON_ERROR_SYNTAX, line, s,
            "expected \"key: value\" but the line has no colon");
      return NULL;
    }
  if (q == s)
    {
      fail (d, LOOM_TOON_ERROR_SYNTAX, line, s,
            *q == '[' ? "an array header without a key may only start the document "
                        "or a list item"
                      : "the line starts with a colon; a key is missing");
      return NULL;
    }
  if (*q == '[')
    {
      Header h;
      const char *reason_at = NULL, *reason = NULL;
      HeaderResult r = parse_header (d, line, q, end, &h, &reason_at, &reason);

      if (r == HEADER_ERROR)
        return NULL;
      if (r == HEADER_OK)
        return header_member (d, line, &h, g_ref_string_new_len (s, q - s), child_depth, value);
      if (d->strict)
        {
          fail (d, LOOM_TOON_ERROR_SYNTAX, line, reason_at, "%s", reason);
          return NULL;
        }
      /* non-strict: the whole text before the first colon is a literal key (§6) */
      q = find_unquoted (s, end, ':');
      if (q == NULL)
        {
          fail (d, LOOM_TOON_ERROR_SYNTAX, line, s,
                "expected \"key: value\" but the line has no colon");
          return NULL;
        }
    }
  *value_at = q + 1;
  return g_ref_string_new_len (s, trim_end (s, q) - s);
}

/* Parses "key: value", "key:" or "key[N]…:" at @s into @object; nested content lives at
 * @child_depth. */
static gboolean
parse_member (Decoder       *d,
              const Line    *line,
              const char    *s,
              LoomToonValue *object,
              guint          child_depth)
{
  const char *value_at = NULL;
  LoomToonValue *value = NULL;
  char *key;

  if (*s == '"')
    key = quoted_member_key (d, line, s, child_depth, &value_at, &value);
  else
    key = bare_member_key (d, line, s, child_depth, &value_at, &value);
  if (key == NULL)
    return FALSE;
  if (value == NULL)
    value = parse_member_value (d, line, s, value_at, child_depth);
  if (value == NULL)
    {
      g_ref_string_release (key);
      return FALSE;
    }
  return insert_member (d, line, s, object, key, value);
}

/* Fields at @depth until a line with less indentation. Returns @object, or NULL. */
static LoomToonValue *
parse_object_body (Decoder       *d,
                   guint          depth,
                   LoomToonValue *object)
{
  const Line *line;

  while ((line = peek (d)) != NULL && line->depth >= depth)
    {
      if (line->depth > depth)
        {
          fail (d, LOOM_TOON_ERROR_INDENTATION, line, line->start,
                "the line is indented deeper than the lines around it, "
                "but the line before opens nothing");
          return NULL;
        }
      if (!consume (d, line))
        return NULL;
      if (!parse_member (d, line, line->start, object, depth + 1))
        return NULL;
    }
  return object;
}

/* Does [s, end) read as a key-value pair (or keyed header) rather than a primitive? */
static gboolean
looks_like_member (Decoder    *d,
                   const Line *line,
                   const char *s,
                   const char *end,
                   gboolean   *error)
{
  *error = FALSE;
  if (s < end && *s == '"')
    {
      const char *close = expect_closing_quote (d, line, s, end, "the string");
      const char *p;

      if (close == NULL)
        {
          *error = TRUE;
          return FALSE;
        }
      p = skip_spaces (close + 1, end);
      return p < end && (*p == ':' || *p == '[');
    }
  return find_unquoted (s, end, ':') != NULL;
}

static LoomToonValue *
parse_list_item (Decoder    *d,
                 const Line *line,
                 const char *s,
                 guint       item_depth)
{
  const char *end = line->end;
  gboolean bad;

  s = skip_spaces (s, end);
  if (s == end)
    return loom_toon_value_new_object ();
  if (end - s == 2 && s[0] == '[' && s[1] == ']')
    return loom_toon_value_new_array ();

  if (*s == '[')
    {
      Header h;
      const char *reason_at = NULL, *reason = NULL;
      HeaderResult r = parse_header (d, line, s, end, &h, &reason_at, &reason);
      LoomToonValue *value;

      if (r == HEADER_ERROR)
        return NULL;
      if (r == HEADER_OK)
        {
          if (h.keyed || h.fields != NULL)
            {
              fail (d, LOOM_TOON_ERROR_SYNTAX, line, s,
                    h.keyed ? "a keyed header without a key is only allowed at the start of "
                              "the document"
                            : "a tabular header in a list item needs a key");
              fields_free (h.fields);
              return NULL;
            }
          value = parse_header_value (d, line, &h, item_depth + 1);
          return value;
        }
      if (d->strict)
        {
          fail (d, LOOM_TOON_ERROR_SYNTAX, line, reason_at, "%s", reason);
          return NULL;
        }
    }

  if (looks_like_member (d, line, s, end, &bad))
    {
      g_autoptr(LoomToonValue) object = loom_toon_value_new_object ();

      if (!enter (d, line, s))
        return NULL;
      if (!parse_member (d, line, s, object, item_depth + 2) ||
          parse_object_body (d, item_depth + 1, object) == NULL)
        {
          leave (d);
          return NULL;
        }
      leave (d);
      return g_steal_pointer (&object);
    }
  if (bad)
    return NULL;
  return primitive (d, line, s, end);
}

static LoomToonValue *
parse_list_items (Decoder    *d,
                  const Line *header_line,
                  Header     *h,
                  guint       item_depth)
{
  g_autoptr(LoomToonValue) array = loom_toon_value_new_array ();
  const Line *line;
  Block b;

  if (!block_begin (d, header_line, h, item_depth, BLOCK_ITEMS, &b))
    return NULL;

  while ((line = block_peek (d, &b)) != NULL)
    {
      const char *s = line->start;
      LoomToonValue *item;

      if (!(s < line->end && s[0] == '-' && (s + 1 == line->end || s[1] == ' ')))
        {
          if (b.legacy)
            break; /* the hyphen-line object's next field */
          fail (d, LOOM_TOON_ERROR_SYNTAX, line, s,
                "expected a list item starting with \"- \"");
          return NULL;
        }
      if (!block_consume (d, &b, line) ||
          (item = parse_list_item (d, line, s + 1, b.depth)) == NULL)
        return NULL;
      loom_toon_value_array_append (array, item);
    }

  if (!block_end (d, header_line, h, &b))
    return NULL;
  return g_steal_pointer (&array);
}

static gboolean
is_last_line (Decoder *d)
{
  guint i = d->pos + 1;

  while (i < d->n_lines && d->lines[i].blank)
    i++;
  return i >= d->n_lines;
}

/* The root array that "[]" or an array header on the document's first @line starts, with
 * nothing after it. NULL if it failed (*@failed) or the line is not a header after all. */
static LoomToonValue *
parse_root_array (Decoder    *d,
                  const Line *line,
                  gboolean   *failed)
{
  const char *s = line->start;
  g_autoptr(LoomToonValue) value = NULL;
  const Line *extra;

  *failed = TRUE;
  if (line->end - s == 2 && s[1] == ']')
    {
      if (!consume (d, line))
        return NULL;
      value = loom_toon_value_new_array ();
    }
  else
    {
      Header h;
      const char *reason_at = NULL, *reason = NULL;
      HeaderResult r = parse_header (d, line, s, line->end, &h, &reason_at, &reason);

      if (r == HEADER_ERROR)
        return NULL;
      if (r != HEADER_OK)
        {
          *failed = FALSE;
          return NULL;
        }
      if (!consume (d, line))
        {
          fields_free (h.fields);
          return NULL;
        }
      value = parse_header_value (d, line, &h, 1);
      fields_free (h.fields);
      if (value == NULL)
        return NULL;
    }

  extra = peek (d);
  if (extra != NULL)
    {
      fail (d, LOOM_TOON_ERROR_SYNTAX, extra, extra->start,
            "unexpected content after the document's root %s",
            value->kind == LOOM_TOON_OBJECT ? "table" : "array");
      return NULL;
    }
  return g_steal_pointer (&value);
}

static LoomToonValue *
parse_document (Decoder *d)
{
  const Line *line = peek (d);
  g_autoptr(LoomToonValue) value = NULL;
  const char *s;

  if (line == NULL)
    return loom_toon_value_new_object ();

  if (line->depth != 0)
    {
      fail (d, LOOM_TOON_ERROR_INDENTATION, line, line->start,
            "the first line of the document must not be indented");
      return NULL;
    }

  s = line->start;
  if (*s == '[')
    {
      gboolean failed;

      value = parse_root_array (d, line, &failed);
      if (value != NULL || failed)
        return g_steal_pointer (&value);
    }

  /* a single line that is not a key-value pair is a primitive */
  if (is_last_line (d))
    {
      gboolean bad;

      if (!looks_like_member (d, line, s, line->end, &bad))
        {
          if (bad)
            return NULL;
          if (!consume (d, line))
            return NULL;
          return primitive (d, line, s, line->end);
        }
    }

  value = loom_toon_value_new_object ();
  if (parse_object_body (d, 0, value) == NULL)
    return NULL;
  return g_steal_pointer (&value);
}

static LoomToonValue *
decode_text (const char                  *text,
             gsize                        len,
             const LoomToonDecodeOptions *options,
             GError                     **error)
{
  Decoder d = { 0 };
  LoomToonValue *value = NULL;

  d.strict = options->strict;
  d.indent_size = options->indent_size;
  d.error = error;

  if (split_lines (&d, text, len))
    value = parse_document (&d);

  if (d.failed)
    g_clear_pointer (&value, loom_toon_value_unref);
  else if (value == NULL)
    g_set_error_literal (error, LOOM_TOON_ERROR, LOOM_TOON_ERROR_SYNTAX,
                         "the document could not be read");
  g_free (d.lines);
  return value;
}

/**
 * loom_toon_decode:
 * @text: the document
 * @length: its length in bytes, or -1 when NUL-terminated
 * @options: (nullable): strictness and indentation; %NULL for strict, 2 spaces
 * @error: where to report why the document was refused
 *
 * Strict mode (the default) enforces every rule of the spec: counts, indentation, blank
 * lines inside arrays, duplicate keys, escapes and UTF-8. Non-strict mode tolerates what §14
 * lets it: wrong counts, any indentation (tabs count as one level), blank lines, duplicate
 * keys (the last wins), malformed headers read as literal keys, ill-formed UTF-8
 * (replaced by U+FFFD), and the pre-v3 layout of an array opened on a list item's hyphen line
 * (rows or items one level under the hyphen rather than two).
 *
 * Returns: (transfer full): the value, or %NULL with @error set ("line 4, column 3: …")
 */
LoomToonValue *
loom_toon_decode (const char                  *text,
                  gssize                       length,
                  const LoomToonDecodeOptions *options,
                  GError                     **error)
{
  LoomToonDecodeOptions defaults;
  const char *bad = NULL;
  gsize len;

  g_return_val_if_fail (text != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (options == NULL)
    {
      loom_toon_decode_options_init (&defaults);
      options = &defaults;
    }
  g_return_val_if_fail (options->indent_size > 0, NULL);

  len = length < 0 ? strlen (text) : (gsize) length;

  if (!loom_toon_utf8_validate (text, len, &bad))
    {
      if (options->strict)
        {
          guint lineno = 1;
          const char *line_start = text;

          for (const char *p = text; p < bad; p++)
            if (*p == '\n')
              {
                lineno++;
                line_start = p + 1;
              }
          g_set_error (error, LOOM_TOON_ERROR, LOOM_TOON_ERROR_INVALID_UTF8,
                       "line %u, column %u: the text is not valid UTF-8 (byte 0x%02X)",
                       lineno, (guint) g_utf8_strlen (line_start, bad - line_start) + 1,
                       (guchar) *bad);
          return NULL;
        }
      else
        {
          g_autofree char *valid = g_utf8_make_valid (text, len);

          return decode_text (valid, strlen (valid), options, error);
        }
    }

  return decode_text (text, len, options, error);
}
