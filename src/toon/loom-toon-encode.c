/* loom-toon-encode.c: TOON v4.0 encoder
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Output follows the canonical forms of the spec's encoder fixtures: inline primitive arrays,
 * tabular arrays (with nested field groups) for uniform objects, keyed tables for objects of
 * uniform objects, expanded lists otherwise, minimal quoting, canonical numbers.
 */

#define G_LOG_DOMAIN "loom-toon-encode"

#include "config.h"

#include <math.h>
#include <string.h>

#include "loom-toon-private.h"

typedef struct _Shape Shape;

typedef struct
{
  const char *key; /* borrowed from the first row */
  gsize       key_len;
  Shape      *group; /* NULL for a primitive column */
} Column;

struct _Shape
{
  GArray *columns; /* Column */
};

typedef struct
{
  GString *out;
  guint    indent_size;
  char     delimiter;
  guint    depth;
  gboolean failed;
  GError **error;
} Encoder;

/* Characters that force quotes anywhere in a string (the delimiter is checked apart). */
static const guint8 special_char[256] = {
  [0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1, [0x06] = 1, [0x07] = 1,
  [0x08] = 1, [0x09] = 1, [0x0a] = 1, [0x0b] = 1, [0x0c] = 1, [0x0d] = 1, [0x0e] = 1, [0x0f] = 1,
  [0x10] = 1, [0x11] = 1, [0x12] = 1, [0x13] = 1, [0x14] = 1, [0x15] = 1, [0x16] = 1, [0x17] = 1,
  [0x18] = 1, [0x19] = 1, [0x1a] = 1, [0x1b] = 1, [0x1c] = 1, [0x1d] = 1, [0x1e] = 1, [0x1f] = 1,
  [':'] = 1, ['"'] = 1, ['\\'] = 1, ['['] = 1, [']'] = 1, ['{'] = 1, ['}'] = 1,
};

void
loom_toon_encode_options_init (LoomToonEncodeOptions *options)
{
  g_return_if_fail (options != NULL);

  options->indent_size = 2;
  options->delimiter = LOOM_TOON_DELIMITER_COMMA;
}

static void
shape_free (Shape *shape)
{
  if (shape == NULL)
    return;
  for (guint i = 0; i < shape->columns->len; i++)
    shape_free (g_array_index (shape->columns, Column, i).group);
  g_array_unref (shape->columns);
  g_free (shape);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Shape, shape_free)

static gboolean
fail_too_deep (Encoder *e)
{
  if (!e->failed)
    g_set_error (e->error, LOOM_TOON_ERROR, LOOM_TOON_ERROR_TOO_DEEP,
                 "the value nests deeper than %d levels", LOOM_TOON_MAX_DEPTH);
  e->failed = TRUE;
  return FALSE;
}

/* Strings */

/* Would the decoder read this unquoted token as a number, or as the numeric-looking string
 * an older decoder might take for one ("05", "+1", "1.", ".5")? */
static gboolean
is_numeric_like (const char *s,
                 gsize       len)
{
  gsize i = 0;
  gsize digits = 0;

  if (i < len && (s[i] == '-' || s[i] == '+'))
    i++;
  while (i < len && g_ascii_isdigit (s[i]))
    i++, digits++;
  if (i < len && s[i] == '.')
    {
      i++;
      while (i < len && g_ascii_isdigit (s[i]))
        i++, digits++;
    }
  if (digits == 0)
    return FALSE;
  if (i < len && (s[i] == 'e' || s[i] == 'E'))
    {
      gsize exp_digits = 0;

      i++;
      if (i < len && (s[i] == '+' || s[i] == '-'))
        i++;
      while (i < len && g_ascii_isdigit (s[i]))
        i++, exp_digits++;
      if (exp_digits == 0)
        return FALSE;
    }
  return i == len;
}

static gboolean
needs_quotes (const char *s,
              gsize       len,
              char        delimiter)
{
  if (len == 0)
    return TRUE;
  if (s[0] == ' ' || s[len - 1] == ' ' || s[0] == '-' || s[0] == '#')
    return TRUE;
  for (gsize i = 0; i < len; i++)
    if (special_char[(guchar) s[i]] || s[i] == delimiter)
      return TRUE;
  switch (s[0])
    {
    case 't':
      return len == 4 && memcmp (s, "true", 4) == 0;
    case 'f':
      return len == 5 && memcmp (s, "false", 5) == 0;
    case 'n':
      return len == 4 && memcmp (s, "null", 4) == 0;
    case '+': case '.':
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      return is_numeric_like (s, len);
    default:
      return FALSE;
    }
}

static void
append_string (GString    *out,
               const char *s,
               gsize       len,
               char        delimiter)
{
  if (needs_quotes (s, len, delimiter))
    loom_toon_append_quoted (out, s, len, FALSE);
  else
    g_string_append_len (out, s, len);
}

/* Keys are bare only when they match ^[A-Za-z_][A-Za-z0-9_.]*$ (§7.3). */
static void
append_key (GString    *out,
            const char *key,
            gsize       len)
{
  gboolean bare = len > 0 && (g_ascii_isalpha (key[0]) || key[0] == '_');

  for (gsize i = 1; bare && i < len; i++)
    bare = g_ascii_isalnum (key[i]) || key[i] == '_' || key[i] == '.';
  if (bare)
    g_string_append_len (out, key, len);
  else
    loom_toon_append_quoted (out, key, len, FALSE);
}

static void
append_primitive (GString             *out,
                  const LoomToonValue *value,
                  char                 delimiter)
{
  if (loom_toon_append_scalar (out, value))
    return;
  g_assert (value->kind == LOOM_TOON_STRING);
  append_string (out, value->string.str, value->string.len, delimiter);
}

/* Shapes: when are objects uniform enough for rows? */

static inline LoomToonValue *
member_at (const LoomToonValue *object,
           guint                hint,
           const char          *key,
           gsize                key_len)
{
  gssize i;

  /* rows usually list their keys in the header's order, often sharing the very string */
  if (hint < object->object.len)
    {
      const char *k = object->object.members[hint].key;

      if (k == key ||
          (g_ref_string_length ((char *) k) == key_len && memcmp (k, key, key_len) == 0))
        return object->object.members[hint].value;
    }
  i = loom_toon_value_object_find (object, key, key_len);
  return i < 0 ? NULL : object->object.members[i].value;
}

/* The shape shared by @n rows, or NULL: every row a non-empty object with the same keys, each
 * column all primitives or all objects of one shape (a nested field group). */
static Shape *
uniform_shape (LoomToonValue **rows,
               guint           n,
               guint           depth)
{
  g_autoptr(Shape) shape = NULL;
  const LoomToonValue *first;
  g_autofree LoomToonValue **column = NULL;

  if (n == 0 || depth > LOOM_TOON_MAX_DEPTH)
    return NULL;
  first = rows[0];
  for (guint r = 0; r < n; r++)
    if (rows[r]->kind != LOOM_TOON_OBJECT || rows[r]->object.len == 0 ||
        rows[r]->object.len != first->object.len)
      return NULL;

  shape = g_new0 (Shape, 1);
  shape->columns = g_array_sized_new (FALSE, FALSE, sizeof (Column), first->object.len);
  column = g_new (LoomToonValue *, n);

  for (guint c = 0; c < first->object.len; c++)
    {
      Column col = { first->object.members[c].key, 0, NULL };
      gboolean all_primitive = TRUE;
      gboolean all_objects = TRUE;

      col.key_len = g_ref_string_length ((char *) col.key);
      for (guint r = 0; r < n; r++)
        {
          LoomToonValue *v = member_at (rows[r], c, col.key, col.key_len);

          if (v == NULL)
            return NULL;
          column[r] = v;
          if (v->kind == LOOM_TOON_ARRAY)
            return NULL;
          if (v->kind == LOOM_TOON_OBJECT)
            all_primitive = FALSE;
          else
            all_objects = FALSE;
        }
      if (!all_primitive)
        {
          if (!all_objects)
            return NULL;
          col.group = uniform_shape (column, n, depth + 1);
          if (col.group == NULL)
            return NULL;
        }
      g_array_append_val (shape->columns, col);
    }
  return g_steal_pointer (&shape);
}

/* Output */

static void
begin_line (Encoder *e,
            guint    depth)
{
  static const char spaces[] = "                                                                ";
  guint n = depth * e->indent_size;

  if (e->out->len > 0)
    g_string_append_c (e->out, '\n');
  for (; n > sizeof spaces - 1; n -= sizeof spaces - 1)
    g_string_append_len (e->out, spaces, sizeof spaces - 1);
  g_string_append_len (e->out, spaces, n);
}

static void
append_fields (Encoder     *e,
               const Shape *shape)
{
  g_string_append_c (e->out, '{');
  for (guint i = 0; i < shape->columns->len; i++)
    {
      const Column *col = &g_array_index (shape->columns, Column, i);

      if (i > 0)
        g_string_append_c (e->out, e->delimiter);
      append_key (e->out, col->key, col->key_len);
      if (col->group != NULL)
        append_fields (e, col->group);
    }
  g_string_append_c (e->out, '}');
}

static void
append_header (Encoder     *e,
               const char  *key,
               gsize        key_len,
               guint        length,
               gboolean     keyed,
               const Shape *shape)
{
  if (key != NULL)
    append_key (e->out, key, key_len);
  g_string_append_c (e->out, '[');
  loom_toon_append_int (e->out, length);
  if (keyed)
    g_string_append_c (e->out, ':');
  if (e->delimiter != ',')
    g_string_append_c (e->out, e->delimiter);
  g_string_append_c (e->out, ']');
  if (shape != NULL)
    append_fields (e, shape);
  g_string_append_c (e->out, ':');
}

static void
append_cells (Encoder             *e,
              const Shape         *shape,
              const LoomToonValue *row,
              gboolean            *first)
{
  for (guint i = 0; i < shape->columns->len; i++)
    {
      const Column *col = &g_array_index (shape->columns, Column, i);
      const LoomToonValue *v = member_at (row, i, col->key, col->key_len);

      if (col->group != NULL)
        append_cells (e, col->group, v, first);
      else
        {
          if (!*first)
            g_string_append_c (e->out, e->delimiter);
          *first = FALSE;
          append_primitive (e->out, v, e->delimiter);
        }
    }
}

static gboolean
all_primitive (const LoomToonValue *array)
{
  for (guint i = 0; i < array->array.len; i++)
    if (!loom_toon_value_is_primitive (array->array.items[i]))
      return FALSE;
  return TRUE;
}

static Shape *
keyed_shape (const LoomToonValue *object,
             guint                depth)
{
  g_autofree LoomToonValue **values = NULL;

  /* a single entry reads better nested; the keyed form needs at least two (fixtures) */
  if (object->object.len < 2)
    return NULL;
  values = g_new (LoomToonValue *, object->object.len);
  for (guint i = 0; i < object->object.len; i++)
    values[i] = object->object.members[i].value;
  return uniform_shape (values, object->object.len, depth);
}

static gboolean encode_object_fields (Encoder *e, const LoomToonValue *object, guint depth);
static gboolean encode_list_items (Encoder *e, const LoomToonValue *array, guint depth);

/* @container's header after @key (if any), then its rows at @depth: one line of cells an
 * array's item (the tabular form), or "key: cells" an object's member (the keyed form). */
static void
append_table (Encoder             *e,
              const char          *key,
              gsize                key_len,
              const LoomToonValue *container,
              const Shape         *shape,
              guint                depth)
{
  gboolean keyed = container->kind == LOOM_TOON_OBJECT;
  guint n = keyed ? container->object.len : container->array.len;

  append_header (e, key, key_len, n, keyed, shape);
  for (guint i = 0; i < n; i++)
    {
      gboolean first = TRUE;

      begin_line (e, depth);
      if (keyed)
        {
          const char *entry = container->object.members[i].key;

          append_key (e->out, entry, g_ref_string_length ((char *) entry));
          g_string_append (e->out, ": ");
        }
      append_cells (e, shape,
                    keyed ? container->object.members[i].value : container->array.items[i],
                    &first);
    }
}

/* An array member (@key NULL: a list item): "[]", inline primitives, a table or a list. */
static gboolean
encode_array_value (Encoder             *e,
                    const char          *key,
                    gsize                key_len,
                    const LoomToonValue *value,
                    guint                child_depth)
{
  g_autoptr(Shape) shape = NULL;

  if (value->array.len == 0)
    {
      if (key != NULL)
        {
          append_key (e->out, key, key_len);
          g_string_append (e->out, ": []");
        }
      else
        append_header (e, NULL, 0, 0, FALSE, NULL);
    }
  else if (all_primitive (value))
    {
      append_header (e, key, key_len, value->array.len, FALSE, NULL);
      g_string_append_c (e->out, ' ');
      for (guint i = 0; i < value->array.len; i++)
        {
          if (i > 0)
            g_string_append_c (e->out, e->delimiter);
          append_primitive (e->out, value->array.items[i], e->delimiter);
        }
    }
  else if (key != NULL &&
           (shape = uniform_shape (value->array.items, value->array.len, e->depth)) != NULL)
    {
      append_table (e, key, key_len, value, shape, child_depth);
    }
  else
    {
      append_header (e, key, key_len, value->array.len, FALSE, NULL);
      return encode_list_items (e, value, child_depth);
    }
  return TRUE;
}

/* An object member: in the keyed form if its values share a shape, else field by field. */
static gboolean
encode_object_value (Encoder             *e,
                     const char          *key,
                     gsize                key_len,
                     const LoomToonValue *value,
                     guint                child_depth)
{
  g_autoptr(Shape) shape = NULL;

  if (key != NULL && (shape = keyed_shape (value, e->depth)) != NULL)
    {
      append_table (e, key, key_len, value, shape, child_depth);
      return TRUE;
    }
  append_key (e->out, key, key_len);
  g_string_append_c (e->out, ':');
  return encode_object_fields (e, value, child_depth);
}

/* Everything after "key" (or "- key") on a member's line, and its nested lines. */
static gboolean
encode_member_value (Encoder             *e,
                     const char          *key,
                     gsize                key_len,
                     const LoomToonValue *value,
                     guint                child_depth)
{
  gboolean ok = TRUE;

  if (++e->depth > LOOM_TOON_MAX_DEPTH)
    return fail_too_deep (e);

  if (loom_toon_value_is_primitive (value))
    {
      if (key != NULL)
        {
          append_key (e->out, key, key_len);
          g_string_append (e->out, ": ");
        }
      append_primitive (e->out, value, e->delimiter);
    }
  else if (value->kind == LOOM_TOON_ARRAY)
    ok = encode_array_value (e, key, key_len, value, child_depth);
  else
    ok = encode_object_value (e, key, key_len, value, child_depth);

  e->depth--;
  return ok && !e->failed;
}

static gboolean
encode_object_fields (Encoder             *e,
                      const LoomToonValue *object,
                      guint                depth)
{
  for (guint i = 0; i < object->object.len; i++)
    {
      const char *key = object->object.members[i].key;

      begin_line (e, depth);
      if (!encode_member_value (e, key, g_ref_string_length ((char *) key),
                                object->object.members[i].value, depth + 1))
        return FALSE;
    }
  return TRUE;
}

static gboolean
encode_list_items (Encoder             *e,
                   const LoomToonValue *array,
                   guint                depth)
{
  for (guint i = 0; i < array->array.len; i++)
    {
      const LoomToonValue *item = array->array.items[i];

      begin_line (e, depth);
      if (item->kind == LOOM_TOON_OBJECT)
        {
          const char *key;

          if (item->object.len == 0)
            {
              g_string_append_c (e->out, '-');
              continue;
            }
          /* §10: the first field shares the hyphen's line, its nested lines sit two levels
           * down, the other fields one level down */
          g_string_append (e->out, "- ");
          key = item->object.members[0].key;
          if (++e->depth > LOOM_TOON_MAX_DEPTH)
            return fail_too_deep (e);
          if (!encode_member_value (e, key, g_ref_string_length ((char *) key),
                                    item->object.members[0].value, depth + 2))
            return FALSE;
          for (guint m = 1; m < item->object.len; m++)
            {
              key = item->object.members[m].key;
              begin_line (e, depth + 1);
              if (!encode_member_value (e, key, g_ref_string_length ((char *) key),
                                        item->object.members[m].value, depth + 2))
                return FALSE;
            }
          e->depth--;
        }
      else
        {
          g_string_append (e->out, "- ");
          /* anonymous arrays in a list never use the tabular form: decoders refuse it */
          if (!encode_member_value (e, NULL, 0, item, depth + 1))
            return FALSE;
        }
    }
  return TRUE;
}

/* The document: the root's keyless forms (keyed, tabular or a list), or its fields. */
static gboolean
encode_root (Encoder             *e,
             const LoomToonValue *value)
{
  if (value->kind == LOOM_TOON_OBJECT)
    {
      g_autoptr(Shape) shape = keyed_shape (value, 0);

      if (shape == NULL)
        return encode_object_fields (e, value, 0);
      /* the keyless keyed form is only valid at the root (§5) */
      append_table (e, NULL, 0, value, shape, 1);
      return TRUE;
    }
  if (value->kind == LOOM_TOON_ARRAY && value->array.len > 0 && !all_primitive (value))
    {
      g_autoptr(Shape) shape = uniform_shape (value->array.items, value->array.len, 0);

      if (shape == NULL)
        {
          append_header (e, NULL, 0, value->array.len, FALSE, NULL);
          return encode_list_items (e, value, 1);
        }
      append_table (e, NULL, 0, value, shape, 1);
      return TRUE;
    }
  if (value->kind == LOOM_TOON_ARRAY && value->array.len == 0)
    {
      g_string_append (e->out, "[]");
      return TRUE;
    }
  return encode_member_value (e, NULL, 0, value, 1);
}

/**
 * loom_toon_encode:
 * @value: the value
 * @options: (nullable): indentation and delimiter; %NULL for 2 spaces and commas
 * @error: set when @value nests deeper than %LOOM_TOON_MAX_DEPTH
 *
 * Returns: (transfer full): the TOON document, without a trailing newline
 */
char *
loom_toon_encode (const LoomToonValue         *value,
                  const LoomToonEncodeOptions *options,
                  GError                     **error)
{
  LoomToonEncodeOptions defaults;
  Encoder e = { 0 };
  gboolean ok;

  g_return_val_if_fail (value != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (options == NULL)
    {
      loom_toon_encode_options_init (&defaults);
      options = &defaults;
    }
  g_return_val_if_fail (options->indent_size > 0, NULL);
  g_return_val_if_fail (options->delimiter == ',' || options->delimiter == '\t' ||
                        options->delimiter == '|', NULL);

  e.out = g_string_sized_new (256);
  e.indent_size = options->indent_size;
  e.delimiter = (char) options->delimiter;
  e.error = error;

  ok = encode_root (&e, value);
  if (!ok || e.failed)
    {
      if (!e.failed)
        fail_too_deep (&e);
      g_string_free (e.out, TRUE);
      return NULL;
    }
  return g_string_free (e.out, FALSE);
}
