/* loom-toon-value.c: the value type, number grammar and number formatting
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-toon-value"

#include "config.h"

#include <math.h>
#include <string.h>

#include "loom-toon-private.h"

/* An object gets a hash index once it has this many members; below, a scan is faster. */
#define INDEX_THRESHOLD 16

/* 2^53: every integer below is exactly representable as a double. */
#define EXACT_LIMIT 9007199254740992.0

static const double pow10_table[] = {
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

G_DEFINE_QUARK (loom-toon-error-quark, loom_toon_error)

static LoomToonValue *
value_alloc (LoomToonKind kind,
             gsize        extra)
{
  LoomToonValue *value = g_malloc (sizeof (LoomToonValue) + extra);

  value->ref_count = 1;
  value->kind = kind;
  return value;
}

LoomToonValue *
loom_toon_value_new_null (void)
{
  return value_alloc (LOOM_TOON_NULL, 0);
}

LoomToonValue *
loom_toon_value_new_boolean (gboolean b)
{
  LoomToonValue *value = value_alloc (LOOM_TOON_BOOLEAN, 0);

  value->boolean = !!b;
  return value;
}

LoomToonValue *
loom_toon_value_new_int (gint64 i)
{
  LoomToonValue *value = value_alloc (LOOM_TOON_INT, 0);

  value->integer = i;
  return value;
}

LoomToonValue *
loom_toon_value_new_double (double d)
{
  LoomToonValue *value = value_alloc (LOOM_TOON_DOUBLE, 0);

  value->dbl = d;
  return value;
}

/* The data model's number: integral values in range become LOOM_TOON_INT (and -0 becomes 0). */
LoomToonValue *
loom_toon_value_new_number (double d)
{
  if (d == floor (d) && d >= -9223372036854775808.0 && d < 9223372036854775808.0)
    return loom_toon_value_new_int ((gint64) d);
  return loom_toon_value_new_double (d);
}

LoomToonValue *
loom_toon_value_new_string_take_buffer (gsize   capacity,
                                        char  **buffer)
{
  LoomToonValue *value = value_alloc (LOOM_TOON_STRING, capacity + 1);

  value->string.str = (char *) (value + 1);
  value->string.len = 0;
  value->string.str[0] = '\0';
  *buffer = value->string.str;
  return value;
}

LoomToonValue *
loom_toon_value_new_string_len (const char *str,
                                gsize       len)
{
  char *buffer;
  LoomToonValue *value;

  g_return_val_if_fail (str != NULL || len == 0, NULL);

  value = loom_toon_value_new_string_take_buffer (len, &buffer);
  if (len > 0)
    memcpy (buffer, str, len);
  buffer[len] = '\0';
  value->string.len = len;
  return value;
}

LoomToonValue *
loom_toon_value_new_string (const char *str)
{
  g_return_val_if_fail (str != NULL, NULL);

  return loom_toon_value_new_string_len (str, strlen (str));
}

LoomToonValue *
loom_toon_value_new_array_sized (guint capacity)
{
  LoomToonValue *value = value_alloc (LOOM_TOON_ARRAY, 0);

  value->array.items = capacity ? g_new (LoomToonValue *, capacity) : NULL;
  value->array.len = 0;
  value->array.cap = capacity;
  return value;
}

LoomToonValue *
loom_toon_value_new_array (void)
{
  return loom_toon_value_new_array_sized (0);
}

LoomToonValue *
loom_toon_value_new_object_sized (guint capacity)
{
  LoomToonValue *value = value_alloc (LOOM_TOON_OBJECT, 0);

  value->object.members = capacity ? g_new (LoomToonMember, capacity) : NULL;
  value->object.len = 0;
  value->object.cap = capacity;
  value->object.index = NULL;
  return value;
}

LoomToonValue *
loom_toon_value_new_object (void)
{
  return loom_toon_value_new_object_sized (0);
}

LoomToonValue *
loom_toon_value_ref (LoomToonValue *value)
{
  g_return_val_if_fail (value != NULL, NULL);

  g_atomic_int_inc (&value->ref_count);
  return value;
}

/* Iterative, so that freeing a deep value (built through the API) cannot exhaust the stack. */
void
loom_toon_value_unref (LoomToonValue *value)
{
  g_autoptr(GPtrArray) pending = NULL;

  if (value == NULL)
    return;

  while (value != NULL)
    {
      if (g_atomic_int_dec_and_test (&value->ref_count))
        {
          if (value->kind == LOOM_TOON_ARRAY)
            {
              if (value->array.len > 0 && pending == NULL)
                pending = g_ptr_array_new ();
              for (guint i = 0; i < value->array.len; i++)
                g_ptr_array_add (pending, value->array.items[i]);
              g_free (value->array.items);
            }
          else if (value->kind == LOOM_TOON_OBJECT)
            {
              if (value->object.len > 0 && pending == NULL)
                pending = g_ptr_array_new ();
              for (guint i = 0; i < value->object.len; i++)
                {
                  g_ref_string_release (value->object.members[i].key);
                  g_ptr_array_add (pending, value->object.members[i].value);
                }
              g_free (value->object.members);
              g_clear_pointer (&value->object.index, g_hash_table_unref);
            }
          g_free (value);
        }

      value = (pending != NULL && pending->len > 0) ? g_ptr_array_steal_index_fast (pending, pending->len - 1) : NULL;
    }
}

LoomToonKind
loom_toon_value_get_kind (const LoomToonValue *value)
{
  g_return_val_if_fail (value != NULL, LOOM_TOON_NULL);

  return value->kind;
}

gboolean
loom_toon_value_is_number (const LoomToonValue *value)
{
  g_return_val_if_fail (value != NULL, FALSE);

  return value->kind == LOOM_TOON_INT || value->kind == LOOM_TOON_DOUBLE;
}

gboolean
loom_toon_value_is_primitive (const LoomToonValue *value)
{
  g_return_val_if_fail (value != NULL, FALSE);

  return value->kind != LOOM_TOON_ARRAY && value->kind != LOOM_TOON_OBJECT;
}

gboolean
loom_toon_value_get_boolean (const LoomToonValue *value)
{
  g_return_val_if_fail (value != NULL && value->kind == LOOM_TOON_BOOLEAN, FALSE);

  return value->boolean;
}

gint64
loom_toon_value_get_int (const LoomToonValue *value)
{
  g_return_val_if_fail (value != NULL && loom_toon_value_is_number (value), 0);

  return value->kind == LOOM_TOON_INT ? value->integer : (gint64) value->dbl;
}

double
loom_toon_value_get_double (const LoomToonValue *value)
{
  g_return_val_if_fail (value != NULL && loom_toon_value_is_number (value), 0.0);

  return value->kind == LOOM_TOON_INT ? (double) value->integer : value->dbl;
}

const char *
loom_toon_value_get_string (const LoomToonValue *value,
                            gsize               *len)
{
  g_return_val_if_fail (value != NULL && value->kind == LOOM_TOON_STRING, NULL);

  if (len != NULL)
    *len = value->string.len;
  return value->string.str;
}

guint
loom_toon_value_get_length (const LoomToonValue *value)
{
  g_return_val_if_fail (value != NULL, 0);

  if (value->kind == LOOM_TOON_ARRAY)
    return value->array.len;
  if (value->kind == LOOM_TOON_OBJECT)
    return value->object.len;
  g_return_val_if_reached (0);
}

LoomToonValue *
loom_toon_value_array_get (const LoomToonValue *array,
                           guint                index)
{
  g_return_val_if_fail (array != NULL && array->kind == LOOM_TOON_ARRAY, NULL);
  g_return_val_if_fail (index < array->array.len, NULL);

  return array->array.items[index];
}

/* Takes ownership of @element. */
void
loom_toon_value_array_append (LoomToonValue *array,
                              LoomToonValue *element)
{
  g_return_if_fail (array != NULL && array->kind == LOOM_TOON_ARRAY);
  g_return_if_fail (element != NULL);

  if (array->array.len == array->array.cap)
    {
      array->array.cap = MAX (4, array->array.cap * 2);
      array->array.items = g_renew (LoomToonValue *, array->array.items, array->array.cap);
    }
  array->array.items[array->array.len++] = element;
}

const char *
loom_toon_value_object_get_key (const LoomToonValue *object,
                                guint                index,
                                gsize               *len)
{
  g_return_val_if_fail (object != NULL && object->kind == LOOM_TOON_OBJECT, NULL);
  g_return_val_if_fail (index < object->object.len, NULL);

  if (len != NULL)
    *len = g_ref_string_length (object->object.members[index].key);
  return object->object.members[index].key;
}

LoomToonValue *
loom_toon_value_object_get_value (const LoomToonValue *object,
                                  guint                index)
{
  g_return_val_if_fail (object != NULL && object->kind == LOOM_TOON_OBJECT, NULL);
  g_return_val_if_fail (index < object->object.len, NULL);

  return object->object.members[index].value;
}

static void
index_add (LoomToonValue *object,
           guint          i)
{
  const char *key = object->object.members[i].key;

  /* Keys holding U+0000 stay out of the index (it hashes C strings); finds scan for them. */
  if (strlen (key) == g_ref_string_length ((char *) key))
    g_hash_table_insert (object->object.index, (gpointer) key, GUINT_TO_POINTER (i + 1));
}

void
loom_toon_value_object_append_ref_key (LoomToonValue *object,
                                       char          *ref_key,
                                       LoomToonValue *value)
{
  if (object->object.len == object->object.cap)
    {
      object->object.cap = MAX (4, object->object.cap * 2);
      object->object.members = g_renew (LoomToonMember, object->object.members, object->object.cap);
    }
  object->object.members[object->object.len].key = ref_key;
  object->object.members[object->object.len].value = value;
  object->object.len++;

  if (object->object.index != NULL)
    index_add (object, object->object.len - 1);
  else if (object->object.len == INDEX_THRESHOLD)
    {
      object->object.index = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint i = 0; i < object->object.len; i++)
        index_add (object, i);
    }
}

gssize
loom_toon_value_object_find (const LoomToonValue *object,
                             const char          *key,
                             gsize                key_len)
{
  if (object->object.index != NULL && memchr (key, '\0', key_len) == NULL)
    {
      char stack_key[128];
      g_autofree char *heap_key = NULL;
      char *lookup = stack_key;
      gpointer found;

      if (key_len >= sizeof stack_key)
        lookup = heap_key = g_malloc (key_len + 1);
      memcpy (lookup, key, key_len);
      lookup[key_len] = '\0';
      found = g_hash_table_lookup (object->object.index, lookup);
      return found ? (gssize) GPOINTER_TO_UINT (found) - 1 : -1;
    }

  for (guint i = 0; i < object->object.len; i++)
    {
      const char *k = object->object.members[i].key;

      if (k[0] == (key_len ? key[0] : '\0') &&
          g_ref_string_length ((char *) k) == key_len &&
          memcmp (k, key, key_len) == 0)
        return i;
    }
  return -1;
}

void
loom_toon_value_object_replace (LoomToonValue *object,
                                guint          index,
                                LoomToonValue *value)
{
  loom_toon_value_unref (object->object.members[index].value);
  object->object.members[index].value = value;
}

LoomToonValue *
loom_toon_value_object_get_member (const LoomToonValue *object,
                                   const char          *key)
{
  gssize i;

  g_return_val_if_fail (object != NULL && object->kind == LOOM_TOON_OBJECT, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  i = loom_toon_value_object_find (object, key, strlen (key));
  return i < 0 ? NULL : object->object.members[i].value;
}

/* Takes ownership of @value. Returns TRUE when @key was new, FALSE when it replaced a value
 * (last write wins, keeping the first position). */
gboolean
loom_toon_value_object_set_len (LoomToonValue *object,
                                const char    *key,
                                gsize          key_len,
                                LoomToonValue *value)
{
  gssize i;

  g_return_val_if_fail (object != NULL && object->kind == LOOM_TOON_OBJECT, FALSE);
  g_return_val_if_fail (key != NULL && value != NULL, FALSE);

  i = loom_toon_value_object_find (object, key, key_len);
  if (i >= 0)
    {
      loom_toon_value_object_replace (object, i, value);
      return FALSE;
    }
  loom_toon_value_object_append_ref_key (object, g_ref_string_new_len (key, key_len), value);
  return TRUE;
}

gboolean
loom_toon_value_object_set (LoomToonValue *object,
                            const char    *key,
                            LoomToonValue *value)
{
  g_return_val_if_fail (key != NULL, FALSE);

  return loom_toon_value_object_set_len (object, key, strlen (key), value);
}

static gboolean
equal_shallow (const LoomToonValue *a,
               const LoomToonValue *b)
{
  if (loom_toon_value_is_number (a) && loom_toon_value_is_number (b))
    {
      if (a->kind == LOOM_TOON_INT && b->kind == LOOM_TOON_INT)
        return a->integer == b->integer;
      return loom_toon_value_get_double (a) == loom_toon_value_get_double (b);
    }
  if (a->kind != b->kind)
    return FALSE;

  switch (a->kind)
    {
    case LOOM_TOON_NULL:
      return TRUE;
    case LOOM_TOON_BOOLEAN:
      return a->boolean == b->boolean;
    case LOOM_TOON_STRING:
      return a->string.len == b->string.len &&
             memcmp (a->string.str, b->string.str, a->string.len) == 0;
    case LOOM_TOON_ARRAY:
      return a->array.len == b->array.len;
    case LOOM_TOON_OBJECT:
      if (a->object.len != b->object.len)
        return FALSE;
      /* key order is part of the value: TOON and our JSON both preserve it */
      for (guint i = 0; i < a->object.len; i++)
        {
          const char *ka = a->object.members[i].key;
          const char *kb = b->object.members[i].key;
          gsize la = g_ref_string_length ((char *) ka);

          if (la != g_ref_string_length ((char *) kb) || memcmp (ka, kb, la) != 0)
            return FALSE;
        }
      return TRUE;
    case LOOM_TOON_INT:
    case LOOM_TOON_DOUBLE:
    default:
      g_assert_not_reached ();
    }
}

/**
 * loom_toon_value_equal:
 *
 * Compares values: numbers by value (an int and a double may be equal), object members in
 * order. Iterative, so any depth compares without recursion.
 */
gboolean
loom_toon_value_equal (const LoomToonValue *a,
                       const LoomToonValue *b)
{
  g_autoptr(GPtrArray) pending = NULL;

  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  for (;;)
    {
      if (a != b)
        {
          if (!equal_shallow (a, b))
            return FALSE;
          if (a->kind == LOOM_TOON_ARRAY || a->kind == LOOM_TOON_OBJECT)
            {
              guint n = a->kind == LOOM_TOON_ARRAY ? a->array.len : a->object.len;

              if (pending == NULL && n > 0)
                pending = g_ptr_array_new ();
              for (guint i = 0; i < n; i++)
                {
                  g_ptr_array_add (pending, a->kind == LOOM_TOON_ARRAY ? a->array.items[i]
                                                                       : a->object.members[i].value);
                  g_ptr_array_add (pending, b->kind == LOOM_TOON_ARRAY ? b->array.items[i]
                                                                       : b->object.members[i].value);
                }
            }
        }
      if (pending == NULL || pending->len == 0)
        return TRUE;
      b = g_ptr_array_steal_index_fast (pending, pending->len - 1);
      a = g_ptr_array_steal_index_fast (pending, pending->len - 1);
    }
}

/* Numbers */

void
loom_toon_append_int (GString *out,
                      gint64   value)
{
  char buf[24];
  char *p = buf + sizeof buf;
  guint64 u = value < 0 ? (guint64) 0 - (guint64) value : (guint64) value;

  do
    {
      *--p = '0' + (char) (u % 10);
      u /= 10;
    }
  while (u != 0);
  if (value < 0)
    *--p = '-';
  g_string_append_len (out, p, buf + sizeof buf - p);
}

/* Writes digits × 10^(exp10 - ndigits + 1), i.e. d.ddd × 10^exp10, without an exponent. */
static void
append_plain (GString    *out,
              gboolean    negative,
              const char *digits,
              int         ndigits,
              int         exp10)
{
  if (negative)
    g_string_append_c (out, '-');

  if (exp10 < 0)
    {
      g_string_append (out, "0.");
      for (int i = 0; i < -exp10 - 1; i++)
        g_string_append_c (out, '0');
      g_string_append_len (out, digits, ndigits);
    }
  else if (ndigits <= exp10 + 1)
    {
      g_string_append_len (out, digits, ndigits);
      for (int i = 0; i < exp10 + 1 - ndigits; i++)
        g_string_append_c (out, '0');
    }
  else
    {
      g_string_append_len (out, digits, exp10 + 1);
      g_string_append_c (out, '.');
      g_string_append_len (out, digits + exp10 + 1, ndigits - exp10 - 1);
    }
}

gboolean
loom_toon_append_scalar (GString             *out,
                         const LoomToonValue *value)
{
  switch (value->kind)
    {
    case LOOM_TOON_NULL:
      g_string_append (out, "null");
      return TRUE;
    case LOOM_TOON_BOOLEAN:
      g_string_append (out, value->boolean ? "true" : "false");
      return TRUE;
    case LOOM_TOON_INT:
      loom_toon_append_int (out, value->integer);
      return TRUE;
    case LOOM_TOON_DOUBLE:
      if (isfinite (value->dbl))
        loom_toon_append_double (out, value->dbl);
      else
        g_string_append (out, "null");
      return TRUE;
    case LOOM_TOON_STRING:
    case LOOM_TOON_ARRAY:
    case LOOM_TOON_OBJECT:
    default:
      return FALSE;
    }
}

/* Canonical decimal form (spec §2): no exponent, no trailing zeros, -0 as 0, and the shortest
 * digits that read back as the same double. %.17g would print 0.1 as 0.10000000000000001. */
void
loom_toon_append_double (GString *out,
                         double   value)
{
  double a = fabs (value);
  char buf[G_ASCII_DTOSTR_BUF_SIZE + 8];
  char digits[24];
  int ndigits = 0;
  int exp10;
  char *p;

  if (value == 0.0 || !isfinite (value))
    {
      g_string_append_c (out, '0');
      return;
    }

  /* beyond 2^53 the exact integer has more digits than the shortest form (2^60 + 1 reads
   * back as 2^60) */
  if (value == floor (value) && a < EXACT_LIMIT)
    {
      loom_toon_append_int (out, (gint64) value);
      return;
    }

  /* Fast path: the fewest fractional digits k with round (a × 10^k) / 10^k == a. With both
   * operands exact doubles, that division is correctly rounded, i.e. what strtod would read. */
  for (int k = 1; k <= 22; k++)
    {
      double scaled = a * pow10_table[k];
      double m;

      if (scaled >= EXACT_LIMIT)
        break;
      m = nearbyint (scaled);
      if (m / pow10_table[k] == a)
        {
          gint64 mi = (gint64) m;
          char ibuf[24];
          int n = 0;

          while (mi > 0)
            {
              ibuf[n++] = '0' + (char) (mi % 10);
              mi /= 10;
            }
          for (int i = 0; i < n; i++)
            digits[i] = ibuf[n - 1 - i];
          ndigits = n;
          /* m has n digits and stands for m × 10^-k. */
          while (ndigits > 1 && digits[ndigits - 1] == '0')
            ndigits--;
          append_plain (out, value < 0, digits, ndigits, n - 1 - k);
          return;
        }
    }

  for (int precision = 15; precision <= 17; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%de", precision - 1);
      g_ascii_formatd (buf, sizeof buf, format, a);
      if (precision == 17 || g_ascii_strtod (buf, NULL) == a)
        break;
    }

  /* buf is "d.ddde±XX" (or "de±XX") */
  ndigits = 0;
  for (p = buf; *p != 'e' && *p != '\0'; p++)
    if (g_ascii_isdigit (*p) && ndigits < (int) sizeof digits)
      digits[ndigits++] = *p;
  exp10 = *p == 'e' ? atoi (p + 1) : 0;
  while (ndigits > 1 && digits[ndigits - 1] == '0')
    ndigits--;
  append_plain (out, value < 0, digits, ndigits, exp10);
}

/**
 * loom_toon_format_double:
 *
 * Returns: the canonical decimal form of @value (spec §2), "null" for NaN and infinities.
 */
char *
loom_toon_format_double (double value)
{
  GString *out = g_string_new (NULL);

  if (!isfinite (value))
    g_string_append (out, "null");
  else
    loom_toon_append_double (out, value);
  return g_string_free (out, FALSE);
}

/* Where the parts of a number token are, as scan_number () finds them. */
typedef struct
{
  gboolean    negative;
  const char *int_start;
  const char *frac_start;  /* NULL without a fraction */
  const char *frac_end;
  gboolean    has_exp;
  int         exp10;       /* the exponent, with its sign; capped at ±100,000 or so */
} NumberParts;

static const char *
skip_digits (const char *p,
             const char *end)
{
  while (p < end && g_ascii_isdigit (*p))
    p++;
  return p;
}

/* Whether [s, end) is a number as JSON writes it: a sign, no leading zeros, a fraction with
 * digits, an exponent with digits. */
static gboolean
scan_number (const char  *s,
             const char  *end,
             NumberParts *n)
{
  const char *p = s;

  memset (n, 0, sizeof *n);
  if (p < end && *p == '-')
    {
      n->negative = TRUE;
      p++;
    }
  if (p == end || !g_ascii_isdigit (*p))
    return FALSE;

  n->int_start = p;
  if (*p == '0')
    {
      p++;
      if (p < end && g_ascii_isdigit (*p))
        return FALSE;
    }
  else
    p = skip_digits (p, end);

  if (p < end && *p == '.')
    {
      n->frac_start = ++p;
      p = skip_digits (p, end);
      if (p == n->frac_start)
        return FALSE;
      n->frac_end = p;
    }

  if (p < end && (*p == 'e' || *p == 'E'))
    {
      const char *exp_start;
      gboolean exp_negative = FALSE;
      int exp_value = 0;

      n->has_exp = TRUE;
      p++;
      if (p < end && (*p == '+' || *p == '-'))
        exp_negative = *p++ == '-';
      exp_start = p;
      for (; p < end && g_ascii_isdigit (*p); p++)
        if (exp_value < 100000)
          exp_value = exp_value * 10 + (*p - '0');
      if (p == exp_start)
        return FALSE;
      n->exp10 = exp_negative ? -exp_value : exp_value;
    }

  return p == end;
}

/* Plain integers of up to 19 digits fit a guint64; those within gint64's range stay
 * integers. */
static gboolean
parse_integer (const NumberParts  *n,
               const char         *end,
               LoomToonValue     **out)
{
  guint64 v = 0;

  if (n->frac_start != NULL || n->has_exp || end - n->int_start > 19)
    return FALSE;

  for (const char *q = n->int_start; q < end; q++)
    v = v * 10 + (guint64) (*q - '0');
  if (v <= (guint64) G_MAXINT64)
    *out = loom_toon_value_new_int (n->negative ? -(gint64) v : (gint64) v);
  else if (n->negative && v == (guint64) G_MAXINT64 + 1)
    *out = loom_toon_value_new_int (G_MININT64);
  else
    return FALSE;
  return TRUE;
}

/* Clinger's fast path: a mantissa below 2^53 times an exact power of ten is one correctly
 * rounded operation. FALSE when the number needs more (the caller then uses strtod). */
static gboolean
parse_double_fast (const NumberParts *n,
                   const char        *end,
                   double            *d)
{
  guint64 mantissa = 0;
  int mantissa_digits = 0;
  int e10;

  for (const char *q = n->int_start; q < end; q++)
    {
      if (q == n->frac_end || *q == 'e' || *q == 'E')
        break;
      if (*q == '.')
        continue;
      if (mantissa_digits == 0 && *q == '0')
        continue;
      if (mantissa_digits >= 15)
        return FALSE;
      mantissa = mantissa * 10 + (guint64) (*q - '0');
      mantissa_digits++;
    }

  e10 = n->exp10 - (n->frac_start ? (int) (n->frac_end - n->frac_start) : 0);
  if (mantissa == 0)
    *d = 0.0;
  else if (e10 >= 0 && e10 <= 22)
    *d = (double) mantissa * pow10_table[e10];
  else if (e10 < 0 && e10 >= -22)
    *d = (double) mantissa / pow10_table[-e10];
  else
    return FALSE;
  if (n->negative)
    *d = -*d;
  return TRUE;
}

/* Any other number, through a NUL-terminated copy (which carries the sign); FALSE when it
 * overflows a double. */
static gboolean
parse_double_slow (const char *s,
                   gsize       len,
                   double     *d)
{
  char stack_buf[64];
  g_autofree char *heap_buf = NULL;
  char *buf = stack_buf;

  if (len >= sizeof stack_buf)
    buf = heap_buf = g_malloc (len + 1);
  memcpy (buf, s, len);
  buf[len] = '\0';
  *d = g_ascii_strtod (buf, NULL);
  return isfinite (*d);
}

/* Policy for numbers a gint64 cannot hold: integers beyond its range become the nearest
 * double (1e20 stays 1e20); a token that overflows a double stays a string, so nothing is
 * lost silently. */
gboolean
loom_toon_parse_number (const char     *s,
                        gsize           len,
                        LoomToonValue **out)
{
  const char *end = s + len;
  NumberParts n;
  double d;

  if (!scan_number (s, end, &n))
    return FALSE;
  if (out == NULL || parse_integer (&n, end, out))
    return TRUE;
  if (!parse_double_fast (&n, end, &d) && !parse_double_slow (s, len, &d))
    return FALSE;
  *out = loom_toon_value_new_number (d);
  return TRUE;
}

/* UTF-8 */

static gsize
utf8_sequence_length (const guchar *p,
                      const guchar *end)
{
  guchar c = p[0];

  if (c == 0)
    return 0;
  if (c < 0x80)
    return 1;
  if (c < 0xC2)
    return 0;
  if (c < 0xE0)
    return (end - p >= 2 && (p[1] & 0xC0) == 0x80) ? 2 : 0;
  if (c < 0xF0)
    {
      if (end - p < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
        return 0;
      if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] >= 0xA0))
        return 0;
      return 3;
    }
  if (c < 0xF5)
    {
      if (end - p < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80)
        return 0;
      if ((c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] >= 0x90))
        return 0;
      return 4;
    }
  return 0;
}

gboolean
loom_toon_utf8_validate (const char  *s,
                         gsize        len,
                         const char **bad)
{
  const guchar *p = (const guchar *) s;
  const guchar *end = p + len;

  while (p < end)
    {
      /* Eight ASCII bytes at a time: no high bit and no NUL. */
      while (end - p >= 8)
        {
          guint64 w;

          memcpy (&w, p, 8);
          if ((w & G_GUINT64_CONSTANT (0x8080808080808080)) != 0 ||
              ((w - G_GUINT64_CONSTANT (0x0101010101010101)) & ~w & G_GUINT64_CONSTANT (0x8080808080808080)) != 0)
            break;
          p += 8;
        }
      if (p >= end)
        break;
      {
        gsize n = utf8_sequence_length (p, end);

        if (n == 0)
          {
            if (bad != NULL)
              *bad = (const char *) p;
            return FALSE;
          }
        p += n;
      }
    }
  return TRUE;
}

gboolean
loom_toon_read_hex4 (const char *p,
                     const char *end,
                     gunichar   *out)
{
  gunichar v = 0;

  if (end - p < 4)
    return FALSE;
  for (int i = 0; i < 4; i++)
    {
      int h = g_ascii_xdigit_value (p[i]);

      if (h < 0)
        return FALSE;
      v = v * 16 + (gunichar) h;
    }
  *out = v;
  return TRUE;
}

void
loom_toon_append_quoted (GString    *out,
                         const char *s,
                         gsize       len,
                         gboolean    json)
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
        case '\b':
        case '\f':
          if (json)
            {
              g_string_append (out, *s == '\b' ? "\\b" : "\\f");
              break;
            }
          G_GNUC_FALLTHROUGH;
        default:
          g_string_append_printf (out, "\\u%04x", (guchar) *s);
          break;
        }
      s++;
    }
  g_string_append_c (out, '"');
}
