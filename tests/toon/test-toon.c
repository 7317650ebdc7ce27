/* test-toon.c: the TOON library beyond the spec fixtures
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-toon"

#include "config.h"

#include <locale.h>
#include <math.h>
#include <string.h>

#include "loom-toon-json.h"

static LoomToonValue *
decode_ok (const char *text,
           gboolean    strict)
{
  LoomToonDecodeOptions options;
  g_autoptr(GError) error = NULL;
  LoomToonValue *value;

  loom_toon_decode_options_init (&options);
  options.strict = strict;
  value = loom_toon_decode (text, -1, &options, &error);
  g_assert_no_error (error);
  g_assert_nonnull (value);
  return value;
}

static char *
decode_to_json (const char *text,
                gboolean    strict)
{
  g_autoptr(LoomToonValue) value = decode_ok (text, strict);

  return loom_toon_json_write (value);
}

static GError *
decode_error (const char *text,
              gssize      length,
              gboolean    strict)
{
  LoomToonDecodeOptions options;
  GError *error = NULL;
  g_autoptr(LoomToonValue) value = NULL;

  loom_toon_decode_options_init (&options);
  options.strict = strict;
  value = loom_toon_decode (text, length, &options, &error);
  g_assert_null (value);
  g_assert_nonnull (error);
  g_assert_true (error->domain == LOOM_TOON_ERROR);
  return error;
}

/* Messages */

static void
test_error_messages (void)
{
  static const struct
  {
    const char *text;
    LoomToonError code;
    const char *message;
  } cases[] = {
    { "title: Dune\nchapters: 3\nitems[3]{id}:\n  1\n  2", LOOM_TOON_ERROR_COUNT,
      "line 3, column 6: the array declares 3 rows but has 2" },
    { "tags[2]: a,b,c", LOOM_TOON_ERROR_COUNT,
      "line 1, column 5: the array declares 2 values but has 3" },
    { "a: 1\nb:\n  c: 2\n  oops", LOOM_TOON_ERROR_SYNTAX,
      "line 4, column 3: expected \"key: value\" but the line has no colon" },
    { "name: Ada\nname: Bob", LOOM_TOON_ERROR_DUPLICATE_KEY,
      "line 2, column 1: the key \"name\" appears twice in the same object" },
    { "items[2]:\n  - a\n\n  - b", LOOM_TOON_ERROR_BLANK_LINE,
      "line 3, column 1: blank lines are not allowed inside an array" },
    { "a:\n   b: 1", LOOM_TOON_ERROR_INDENTATION,
      "line 2, column 4: the line is indented by 3 spaces, which is not a multiple of 2" },
    { "rows[1]{a,b}:\n  1,\"x", LOOM_TOON_ERROR_SYNTAX,
      "line 2, column 5: the string has no closing quote" },
    { "s: \"caf\\é\"", LOOM_TOON_ERROR_SYNTAX,
      "line 1, column 8: \\? is not a valid escape (only \\\\, \\\", \\n, \\r, \\t and \\uXXXX are)" },
    { "m[2:]{v}:\n  a: 1,2\n  b: 3", LOOM_TOON_ERROR_COUNT,
      "line 2, column 5: the row has 2 values but the header declares 1 field" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = decode_error (cases[i].text, -1, TRUE);

      g_assert_error (error, LOOM_TOON_ERROR, (int) cases[i].code);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

/* UTF-8 */

static void
test_utf8 (void)
{
  static const char *bad[] = {
    "a: caf\xC3",            /* truncated sequence */
    "a: \xC0\xAF",           /* overlong slash */
    "a: \xED\xA0\x80",       /* UTF-16 surrogate */
    "a: \xF4\x90\x80\x80",   /* beyond U+10FFFF */
    "a: ok\nb: \xFF",        /* stray byte on line 2 */
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) e = decode_error (bad[i], -1, TRUE);

      g_assert_error (e, LOOM_TOON_ERROR, LOOM_TOON_ERROR_INVALID_UTF8);
      g_assert_true (strstr (e->message, "not valid UTF-8") != NULL);
    }

  error = decode_error (bad[4], -1, TRUE);
  g_assert_true (g_str_has_prefix (error->message, "line 2, column 4: "));

  /* an embedded NUL is not text either */
  g_clear_error (&error);
  error = decode_error ("a: x\0y", 6, TRUE);
  g_assert_error (error, LOOM_TOON_ERROR, LOOM_TOON_ERROR_INVALID_UTF8);

  /* non-strict mode replaces what it cannot read */
  json = decode_to_json ("a: caf\xC3\nb: 2", FALSE);
  g_assert_cmpstr (json, ==, "{\"a\":\"caf\xEF\xBF\xBD\",\"b\":2}");
}

/* Depth */

static void
test_deep_nesting (void)
{
  const guint levels = 100000;
  g_autoptr(GString) text = g_string_new ("items[1]{");
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomToonValue) deep = NULL;
  g_autofree char *encoded = NULL;
  LoomToonDecodeOptions options;

  /* 100,000 nested field groups on one line */
  for (guint i = 0; i < levels; i++)
    g_string_append (text, "a{");
  g_string_append_c (text, 'b');
  for (guint i = 0; i <= levels; i++)
    g_string_append_c (text, '}');
  g_string_append (text, ":\n  1");
  error = decode_error (text->str, text->len, TRUE);
  g_assert_error (error, LOOM_TOON_ERROR, LOOM_TOON_ERROR_TOO_DEEP);
  g_assert_cmpstr (error->message, ==,
                   "line 1, column 2011: the field groups nest deeper than 1000 levels");
  g_clear_error (&error);

  /* 100,000 nested arrays in JSON */
  g_string_truncate (text, 0);
  for (guint i = 0; i < levels; i++)
    g_string_append_c (text, '[');
  for (guint i = 0; i < levels; i++)
    g_string_append_c (text, ']');
  g_assert_null (loom_toon_json_parse (text->str, text->len, &error));
  g_assert_error (error, LOOM_TOON_ERROR, LOOM_TOON_ERROR_TOO_DEEP);
  g_assert_true (strstr (error->message, "deeper than 1000 levels") != NULL);
  g_clear_error (&error);

  /* 5,000 nested objects, one space per level (100,000 would take 5 GB of indentation) */
  g_string_truncate (text, 0);
  for (guint i = 0; i < 5000; i++)
    {
      for (guint s = 0; s < i; s++)
        g_string_append_c (text, ' ');
      g_string_append (text, "k:\n");
    }
  loom_toon_decode_options_init (&options);
  options.indent_size = 1;
  g_assert_null (loom_toon_decode (text->str, text->len, &options, &error));
  g_assert_error (error, LOOM_TOON_ERROR, LOOM_TOON_ERROR_TOO_DEEP);
  g_assert_true (strstr (error->message, "nests deeper than 1000 levels") != NULL);
  g_clear_error (&error);

  /* and as deep as we allow, it works */
  g_string_truncate (text, 0);
  for (guint i = 0; i < 900; i++)
    {
      for (guint s = 0; s < i; s++)
        g_string_append_c (text, ' ');
      g_string_append (text, "k:\n");
    }
  {
    g_autoptr(LoomToonValue) ok = loom_toon_decode (text->str, text->len, &options, &error);

    g_assert_no_error (error);
    g_assert_nonnull (ok);
  }

  /* a value 100,000 levels deep, built through the API: encoding refuses it, freeing it does
   * not recurse */
  deep = loom_toon_value_new_null ();
  for (guint i = 0; i < levels; i++)
    {
      LoomToonValue *wrap = loom_toon_value_new_array ();

      loom_toon_value_array_append (wrap, deep);
      deep = wrap;
    }
  encoded = loom_toon_encode (deep, NULL, &error);
  g_assert_null (encoded);
  g_assert_error (error, LOOM_TOON_ERROR, LOOM_TOON_ERROR_TOO_DEEP);

  /* comparing and writing JSON do not recurse either */
  {
    g_autoptr(LoomToonValue) twin = loom_toon_value_new_null ();
    g_autofree char *json = NULL;

    for (guint i = 0; i < levels; i++)
      {
        LoomToonValue *wrap = loom_toon_value_new_array ();

        loom_toon_value_array_append (wrap, twin);
        twin = wrap;
      }
    g_assert_true (loom_toon_value_equal (deep, twin));
    json = loom_toon_json_write (deep);
    g_assert_cmpuint (strlen (json), ==, 2 * levels + 4);
    g_assert_true (g_str_has_prefix (json, "[[[[") && strstr (json, "[[null]]") != NULL);
  }
}

/* Lenient entry point */

static void
test_lenient (void)
{
  static const struct
  {
    const char *answer;
    const char *json;
  } cases[] = {
    /* fenced, prose around, a wrong count the model could not keep */
    { "Here is the outline you asked for:\n\n```toon\nchapters[2]{n,title}:\n  1,The Storm\n"
      "  2,\"Landfall, at last\"\n  3,Epilogue\n```\n\nLet me know if you want changes!",
      "{\"chapters\":[{\"n\":1,\"title\":\"The Storm\"},{\"n\":2,\"title\":\"Landfall, at last\"},"
      "{\"n\":3,\"title\":\"Epilogue\"}]}" },
    /* no fence at all */
    { "name: Mara\ntraits: stubborn, kind", "{\"name\":\"Mara\",\"traits\":\"stubborn, kind\"}" },
    /* TOON tag in capitals, block indented as a whole, four-space levels, fence never closed */
    { "Sure.\n```TOON\n    hero:\n        name: Ilse\n        age: 31\n", "{\"hero\":{\"name\":\"Ilse\",\"age\":31}}" },
    /* a bare fence, CRLF, blank line inside the list, duplicate key */
    { "```\r\nitems[2]:\r\n  - a\r\n\r\n  - b\r\nitems[1]: c\r\n```\r\n", "{\"items\":[\"c\"]}" },
    /* the pre-v3 layout: rows and items of a hyphen-line array one level under the hyphen */
    { "```toon\nitems[2]:\n  - users[2]{id,name}:\n    1,Ada\n    2,Bob\n    status: active\n"
      "  - tags[2]:\n    - a\n    - b\n    n: 1\n```",
      "{\"items\":[{\"users\":[{\"id\":1,\"name\":\"Ada\"},{\"id\":2,\"name\":\"Bob\"}],"
      "\"status\":\"active\"},{\"tags\":[\"a\",\"b\"],\"n\":1}]}" },
    /* the first toon block wins over a json block */
    { "```json\n{\"no\": 1}\n```\n```toon\nyes: 1\n```", "{\"yes\":1}" },
  };
  g_autoptr(GError) error = NULL;
  const char *block;
  gsize block_len;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(LoomToonValue) value = loom_toon_decode_lenient (cases[i].answer, -1, &error);
      g_autofree char *json = NULL;

      g_assert_no_error (error);
      g_assert_nonnull (value);
      json = loom_toon_json_write (value);
      g_assert_cmpstr (json, ==, cases[i].json);
    }

  g_assert_true (loom_toon_extract_block ("a\n```toon\nx: 1\n```\nb", -1, &block, &block_len));
  g_assert_cmpint (block_len, ==, 5);
  g_assert_true (strncmp (block, "x: 1\n", 5) == 0);
  g_assert_false (loom_toon_extract_block ("x: 1", -1, &block, &block_len));

  /* what cannot be read is still an error, with its line */
  g_assert_null (loom_toon_decode_lenient ("```toon\na: 1\nnot a field\n```", -1, &error));
  g_assert_error (error, LOOM_TOON_ERROR, LOOM_TOON_ERROR_SYNTAX);
  g_assert_true (g_str_has_prefix (error->message, "line 2"));
}

/* Numbers */

static void
test_number_grammar (void)
{
  static const struct
  {
    const char *token;
    LoomToonKind kind;
    gint64 i;
    double d;
    const char *s;
  } cases[] = {
    { "0", LOOM_TOON_INT, 0, 0, NULL },
    { "-0", LOOM_TOON_INT, 0, 0, NULL },
    { "-0.0", LOOM_TOON_INT, 0, 0, NULL },
    { "42", LOOM_TOON_INT, 42, 0, NULL },
    { "1e6", LOOM_TOON_INT, 1000000, 0, NULL },
    { "-1E+03", LOOM_TOON_INT, -1000, 0, NULL },
    { "1.5000", LOOM_TOON_DOUBLE, 0, 1.5, NULL },
    { "3E-02", LOOM_TOON_DOUBLE, 0, 0.03, NULL },
    { "0.1", LOOM_TOON_DOUBLE, 0, 0.1, NULL },
    { "2.5e-310", LOOM_TOON_DOUBLE, 0, 2.5e-310, NULL },
    { "1.7976931348623157e308", LOOM_TOON_DOUBLE, 0, 1.7976931348623157e308, NULL },
    { "0.30000000000000004", LOOM_TOON_DOUBLE, 0, 0.30000000000000004, NULL },
    { "9223372036854775807", LOOM_TOON_INT, G_MAXINT64, 0, NULL },
    { "-9223372036854775808", LOOM_TOON_INT, G_MININT64, 0, NULL },
    { "9223372036854775808", LOOM_TOON_DOUBLE, 0, 9223372036854775808.0, NULL },
    { "100000000000000000000", LOOM_TOON_DOUBLE, 0, 1e20, NULL },
    { "05", LOOM_TOON_STRING, 0, 0, "05" },
    { "-05", LOOM_TOON_STRING, 0, 0, "-05" },
    { ".5", LOOM_TOON_STRING, 0, 0, ".5" },
    { "1.", LOOM_TOON_STRING, 0, 0, "1." },
    { "+1", LOOM_TOON_STRING, 0, 0, "+1" },
    { "1e", LOOM_TOON_STRING, 0, 0, "1e" },
    { "1e+", LOOM_TOON_STRING, 0, 0, "1e+" },
    { "-", LOOM_TOON_STRING, 0, 0, "-" },
    { "0x10", LOOM_TOON_STRING, 0, 0, "0x10" },
    { "1_000", LOOM_TOON_STRING, 0, 0, "1_000" },
    { "1,5", LOOM_TOON_STRING, 0, 0, "1,5" },
    { "NaN", LOOM_TOON_STRING, 0, 0, "NaN" },
    { "Infinity", LOOM_TOON_STRING, 0, 0, "Infinity" },
    /* beyond a double: kept as the string it is, not turned into infinity */
    { "1e999", LOOM_TOON_STRING, 0, 0, "1e999" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *doc = g_strdup_printf ("v: %s", cases[i].token);
      g_autoptr(LoomToonValue) root = decode_ok (doc, TRUE);
      LoomToonValue *v = loom_toon_value_object_get_member (root, "v");

      g_test_message ("token %s", cases[i].token);
      g_assert_cmpint (loom_toon_value_get_kind (v), ==, cases[i].kind);
      if (cases[i].kind == LOOM_TOON_INT)
        g_assert_cmpint (loom_toon_value_get_int (v), ==, cases[i].i);
      else if (cases[i].kind == LOOM_TOON_DOUBLE)
        g_assert_cmpfloat (loom_toon_value_get_double (v), ==, cases[i].d);
      else
        g_assert_cmpstr (loom_toon_value_get_string (v, NULL), ==, cases[i].s);
    }
}

static void
test_number_format (void)
{
  static const struct
  {
    double value;
    const char *text;
  } cases[] = {
    { 0.0, "0" },
    { -0.0, "0" },
    { 0.1, "0.1" },
    { -2.5, "-2.5" },
    { 0.1 + 0.2, "0.30000000000000004" },
    { 1.0 / 3.0, "0.3333333333333333" },
    { 2.0 / 3.0, "0.6666666666666666" },
    { 1e20, "100000000000000000000" },
    { 1e21, "1000000000000000000000" },
    { 1e-7, "0.0000001" },
    { 123456.789, "123456.789" },
    { 9007199254740993.0, "9007199254740992" },
    { 1.7976931348623157e308, NULL },
    { 5e-324, NULL },
    { 1.2345678901234567e-5, "0.000012345678901234568" },
    { 4.35, "4.35" },
    { 1e15 + 0.3, "1000000000000000.2" },
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = loom_toon_format_double (cases[i].value);

      g_assert_null (strchr (text, 'e'));
      g_assert_cmpfloat (g_ascii_strtod (text, NULL), ==, cases[i].value);
      if (cases[i].text != NULL)
        g_assert_cmpstr (text, ==, cases[i].text);
    }

  /* random doubles of every magnitude: exact round trip, no exponent, and never more
   * significant digits than the shortest of %.15g/%.16g/%.17g that round-trips */
  for (guint i = 0; i < 20000; i++)
    {
      union { guint64 bits; double d; } u;
      g_autofree char *text = NULL;
      char shortest[64];
      guint sig = 0, shortest_sig = 0;
      gboolean leading = TRUE;

      u.bits = ((guint64) g_rand_int (rand) << 32) | g_rand_int (rand);
      if (!isfinite (u.d))
        continue;
      if (i % 2)
        u.d = g_rand_double_range (rand, -1e6, 1e6);
      text = loom_toon_format_double (u.d);
      g_assert_null (strchr (text, 'e'));
      g_assert_cmpfloat (g_ascii_strtod (text, NULL), ==, u.d);

      for (int precision = 15; precision <= 17; precision++)
        {
          char format[8];

          g_snprintf (format, sizeof format, "%%.%de", precision - 1);
          g_ascii_formatd (shortest, sizeof shortest, format, u.d);
          if (g_ascii_strtod (shortest, NULL) == u.d)
            break;
        }
      for (const char *p = shortest; *p && *p != 'e'; p++)
        if (g_ascii_isdigit (*p))
          shortest_sig++;
      for (const char *p = shortest + strlen (shortest); p > shortest; p--)
        if (p[-1] == 'e')
          {
            /* drop trailing zeros of the mantissa */
            const char *q = p - 2;

            while (q > shortest && *q == '0')
              q--, shortest_sig--;
            break;
          }
      for (const char *p = text; *p; p++)
        if (g_ascii_isdigit (*p) && (*p != '0' || !leading))
          {
            sig++;
            leading = FALSE;
          }
      {
        /* trailing zeros of an integer part are not significant */
        const char *p = text + strlen (text);

        if (strchr (text, '.') == NULL)
          while (p > text && p[-1] == '0' && sig > 0)
            p--, sig--;
      }
      if (sig > shortest_sig)
        g_test_message ("%s has %u digits, %s %u", text, sig, shortest, shortest_sig);
      g_assert_cmpuint (sig, <=, shortest_sig);
    }
}

static void
test_locale (void)
{
  g_autofree char *old = g_strdup (setlocale (LC_ALL, NULL));
  g_autoptr(LoomToonValue) value = NULL;
  g_autoptr(LoomToonValue) json = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *written = NULL;

  if (setlocale (LC_ALL, "de_DE.UTF-8") == NULL)
    {
      g_test_skip ("the de_DE.UTF-8 locale is not installed here (CI installs it); "
                   "the comma-decimal test did not run");
      return;
    }
  g_assert_cmpstr (localeconv ()->decimal_point, ==, ",");

  value = decode_ok ("a: 1.5\nb: 0.30000000000000004\nc: 2.5e-3\nd: 1,5\ne[2]: 3.25,4", TRUE);
  g_assert_cmpfloat (loom_toon_value_get_double (loom_toon_value_object_get_member (value, "a")), ==, 1.5);
  g_assert_cmpfloat (loom_toon_value_get_double (loom_toon_value_object_get_member (value, "b")), ==, 0.30000000000000004);
  g_assert_cmpfloat (loom_toon_value_get_double (loom_toon_value_object_get_member (value, "c")), ==, 0.0025);
  g_assert_cmpstr (loom_toon_value_get_string (loom_toon_value_object_get_member (value, "d"), NULL), ==, "1,5");

  text = loom_toon_encode (value, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, "a: 1.5\nb: 0.30000000000000004\nc: 0.0025\nd: \"1,5\"\ne[2]: 3.25,4");

  json = loom_toon_json_parse ("[0.1, 1e-7, 12345.678901234567]", -1, &error);
  g_assert_no_error (error);
  written = loom_toon_json_write (json);
  g_assert_cmpstr (written, ==, "[0.1,0.0000001,12345.678901234567]");

  setlocale (LC_ALL, old);
}

static void
test_big_integers (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomToonValue) v = loom_toon_json_parse ("{\"big\": 100000000000000000000, "
                                                     "\"max\": 9223372036854775807, "
                                                     "\"odd\": 9007199254740993, "
                                                     "\"neg\": -100000000000000000000}",
                                                     -1, &error);
  g_autofree char *toon = NULL;
  g_autofree char *json = NULL;
  g_autoptr(LoomToonValue) back = NULL;

  g_assert_no_error (error);
  g_assert_cmpfloat (loom_toon_value_get_double (loom_toon_value_object_get_member (v, "big")), ==, 1e20);
  g_assert_cmpint (loom_toon_value_get_int (loom_toon_value_object_get_member (v, "max")), ==, G_MAXINT64);
  g_assert_cmpint (loom_toon_value_get_int (loom_toon_value_object_get_member (v, "odd")), ==,
                   G_GINT64_CONSTANT (9007199254740993));

  toon = loom_toon_encode (v, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (toon, ==, "big: 100000000000000000000\nmax: 9223372036854775807\n"
                             "odd: 9007199254740993\nneg: -100000000000000000000");
  back = decode_ok (toon, TRUE);
  g_assert_true (loom_toon_value_equal (back, v));
  json = loom_toon_json_write (back);
  g_assert_cmpstr (json, ==, "{\"big\":100000000000000000000,\"max\":9223372036854775807,"
                             "\"odd\":9007199254740993,\"neg\":-100000000000000000000}");

  /* a JSON number beyond doubles is an error, not infinity */
  g_assert_null (loom_toon_json_parse ("[1e400]", -1, &error));
  g_assert_error (error, LOOM_TOON_ERROR, LOOM_TOON_ERROR_SYNTAX);
  g_assert_true (strstr (error->message, "1e400 is out of range") != NULL);
}

/* JSON */

static void
test_json (void)
{
  const char *text = "{\"z\":1,\"a\":[true,false,null,-1.25,\"\\u00e9\\ud83d\\ude80\\n\\t\\\"\\\\\\/\\b\\f\\u0001\"],"
                     "\"\":{},\"m\":[[],{}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomToonValue) value = loom_toon_json_parse (text, -1, &error);
  g_autoptr(LoomToonJsonReader) reader = loom_toon_json_reader_new (3, 200);
  g_autoptr(LoomToonValue) again = NULL;
  g_autofree char *written = NULL;

  g_assert_no_error (error);
  written = loom_toon_json_write (value);
  g_assert_cmpstr (written, ==, "{\"z\":1,\"a\":[true,false,null,-1.25,\"é🚀\\n\\t\\\"\\\\/\\b\\f\\u0001\"],"
                                "\"\":{},\"m\":[[],{}]}");

  /* a reader kept for many texts reads them the same, within its bounds */
  for (guint i = 0; i < 2; i++)
    {
      g_clear_pointer (&again, loom_toon_value_unref);
      again = loom_toon_json_reader_read (reader, text, strlen (text), &error);
      g_assert_no_error (error);
      g_assert_true (loom_toon_value_equal (value, again));
    }
  g_assert_null (loom_toon_json_reader_read (reader, "[[[[1]]]]", 9, &error));
  g_assert_error (error, LOOM_TOON_ERROR, LOOM_TOON_ERROR_TOO_DEEP);
  g_clear_error (&error);
  g_clear_pointer (&again, loom_toon_value_unref);
  g_assert_nonnull (again = loom_toon_json_reader_read (reader, "[[[1]]]", 7, &error));
  g_clear_pointer (&again, loom_toon_value_unref);
  g_clear_pointer (&written, g_free);
  written = g_strnfill (201, ' ');
  g_assert_null (loom_toon_json_reader_read (reader, written, 201, &error));
  g_assert_error (error, LOOM_TOON_ERROR, LOOM_TOON_ERROR_TOO_LARGE);
  g_clear_error (&error);
  g_clear_pointer (&written, g_free);

  /* errors say where */
  static const struct
  {
    const char *text;
    const char *message;
  } bad[] = {
    { "{\"a\" 1}", "JSON line 1, column 6: a colon was expected after the key" },
    { "[1,\n 2,,]", "JSON line 2, column 4: unexpected character" },
    { "\"abc", "JSON line 1, column 1: the string has no closing quote" },
    { "[1] x", "JSON line 1, column 5: unexpected text after the JSON value" },
    { "[\"\\ud800\"]", "JSON line 1, column 3: high surrogate \\uD800 without its low half" },
    { "tru", "JSON line 1, column 1: unexpected word" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) e = NULL;

      g_assert_null (loom_toon_json_parse (bad[i].text, -1, &e));
      g_assert_error (e, LOOM_TOON_ERROR, LOOM_TOON_ERROR_SYNTAX);
      g_assert_cmpstr (e->message, ==, bad[i].message);
    }
}

/* Round trip property */

static const char *const string_atoms[] = {
  "", " ", "a", "Ada", "hello world", ",", ":", "|", "\t", "\n", "\r", "\"", "\\", "-", "- x",
  "#", "#tag", "[", "]", "{", "}", "[2]: x", "true", "false", "null", "42", "-7", "05", "1e6",
  "+1", ".5", "3.", "é", "你好", "🚀", "\x01", "\x1f", "key: value", "a,b", "a|b", "  pad  ",
  "[]", "x\u00a0", "__proto__", "0", "-0", "1.5", "Infinity",
};

static LoomToonValue *random_value (GRand *rand, guint depth);

static char *
random_string (GRand *rand)
{
  GString *s = g_string_new (NULL);
  guint parts = g_rand_int_range (rand, 1, 4);

  for (guint i = 0; i < parts; i++)
    g_string_append (s, string_atoms[g_rand_int_range (rand, 0, G_N_ELEMENTS (string_atoms))]);
  return g_string_free (s, FALSE);
}

static LoomToonValue *
random_primitive (GRand *rand)
{
  switch (g_rand_int_range (rand, 0, 7))
    {
    case 0:
      return loom_toon_value_new_null ();
    case 1:
      return loom_toon_value_new_boolean (g_rand_boolean (rand));
    case 2:
      return loom_toon_value_new_int ((gint64) g_rand_int (rand) - (gint64) G_MAXINT32);
    case 3:
      {
        union { guint64 bits; double d; } u;

        u.bits = ((guint64) g_rand_int (rand) << 32) | g_rand_int (rand);
        return isfinite (u.d) ? loom_toon_value_new_number (u.d) : loom_toon_value_new_int (1);
      }
    case 4:
      return loom_toon_value_new_number (g_rand_int_range (rand, -100000, 100000) / 100.0);
    default:
      {
        g_autofree char *s = random_string (rand);

        return loom_toon_value_new_string (s);
      }
    }
}

/* objects sharing a key set (in varying order), so tabular and keyed forms come up */
static LoomToonValue *
random_uniform_object (GRand       *rand,
                       const char **keys,
                       guint        n_keys,
                       guint        nested_at)
{
  LoomToonValue *object = loom_toon_value_new_object ();

  for (guint k = 0; k < n_keys; k++)
    {
      if (k == nested_at)
        {
          static const char *sub[] = { "x", "y z" };

          loom_toon_value_object_set (object, keys[k], random_uniform_object (rand, sub, 2, G_MAXUINT));
        }
      else
        loom_toon_value_object_set (object, keys[k], random_primitive (rand));
    }
  return object;
}

static LoomToonValue *
random_value (GRand *rand,
              guint  depth)
{
  guint choice = depth >= 4 ? 0 : g_rand_int_range (rand, 0, 6);

  switch (choice)
    {
    case 0:
    case 1:
      return random_primitive (rand);
    case 2:
      {
        LoomToonValue *array = loom_toon_value_new_array ();
        guint n = g_rand_int_range (rand, 0, 5);

        for (guint i = 0; i < n; i++)
          loom_toon_value_array_append (array, random_value (rand, depth + 1));
        return array;
      }
    case 3:
      {
        static const char *keys[] = { "id", "name", "a b", "#", "x.y" };
        LoomToonValue *array = loom_toon_value_new_array ();
        guint n = g_rand_int_range (rand, 1, 5);
        guint n_keys = g_rand_int_range (rand, 1, 6);
        guint nested_at = g_rand_boolean (rand) ? (guint) g_rand_int_range (rand, 0, n_keys) : G_MAXUINT;

        for (guint i = 0; i < n; i++)
          loom_toon_value_array_append (array, random_uniform_object (rand, keys, n_keys, nested_at));
        return array;
      }
    case 4:
      {
        static const char *keys[] = { "host", "port" };
        LoomToonValue *object = loom_toon_value_new_object ();
        guint n = g_rand_int_range (rand, 0, 4);

        for (guint i = 0; i < n; i++)
          {
            g_autofree char *key = random_string (rand);

            loom_toon_value_object_set (object, key, random_uniform_object (rand, keys, 2, G_MAXUINT));
          }
        return object;
      }
    default:
      {
        LoomToonValue *object = loom_toon_value_new_object ();
        guint n = g_rand_int_range (rand, 0, 5);

        for (guint i = 0; i < n; i++)
          {
            g_autofree char *key = random_string (rand);

            loom_toon_value_object_set (object, key, random_value (rand, depth + 1));
          }
        return object;
      }
    }
}

/* Rows take their header's key order, so objects compare as sets of members. */
static gboolean
equal_unordered (LoomToonValue *a,
                 LoomToonValue *b)
{
  if (loom_toon_value_get_kind (a) == LOOM_TOON_OBJECT && loom_toon_value_get_kind (b) == LOOM_TOON_OBJECT)
    {
      if (loom_toon_value_get_length (a) != loom_toon_value_get_length (b))
        return FALSE;
      for (guint i = 0; i < loom_toon_value_get_length (a); i++)
        {
          gsize len;
          const char *key = loom_toon_value_object_get_key (a, i, &len);
          LoomToonValue *other = NULL;

          for (guint j = 0; j < loom_toon_value_get_length (b); j++)
            {
              gsize other_len;
              const char *other_key = loom_toon_value_object_get_key (b, j, &other_len);

              if (other_len == len && memcmp (key, other_key, len) == 0)
                other = loom_toon_value_object_get_value (b, j);
            }
          if (other == NULL || !equal_unordered (loom_toon_value_object_get_value (a, i), other))
            return FALSE;
        }
      return TRUE;
    }
  if (loom_toon_value_get_kind (a) == LOOM_TOON_ARRAY && loom_toon_value_get_kind (b) == LOOM_TOON_ARRAY)
    {
      if (loom_toon_value_get_length (a) != loom_toon_value_get_length (b))
        return FALSE;
      for (guint i = 0; i < loom_toon_value_get_length (a); i++)
        if (!equal_unordered (loom_toon_value_array_get (a, i), loom_toon_value_array_get (b, i)))
          return FALSE;
      return TRUE;
    }
  return loom_toon_value_equal (a, b);
}

static void
test_round_trip (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261125);
  static const LoomToonDelimiter delimiters[] = {
    LOOM_TOON_DELIMITER_COMMA, LOOM_TOON_DELIMITER_TAB, LOOM_TOON_DELIMITER_PIPE,
  };

  for (guint i = 0; i < 3000; i++)
    {
      g_autoptr(LoomToonValue) value = random_value (rand, 0);
      LoomToonEncodeOptions eopts;
      LoomToonDecodeOptions dopts;
      g_autofree char *text = NULL;
      g_autoptr(LoomToonValue) back = NULL;
      g_autoptr(GError) error = NULL;

      loom_toon_encode_options_init (&eopts);
      eopts.delimiter = delimiters[i % 3];
      eopts.indent_size = 1 + i % 4;
      loom_toon_decode_options_init (&dopts);
      dopts.indent_size = eopts.indent_size;

      text = loom_toon_encode (value, &eopts, &error);
      g_assert_no_error (error);
      back = loom_toon_decode (text, -1, &dopts, &error);
      if (error != NULL || !equal_unordered (value, back))
        {
          g_autofree char *json = loom_toon_json_write (value);
          g_autofree char *back_json = back ? loom_toon_json_write (back) : NULL;

          g_test_message ("value %u: %s\nTOON:\n%s\nback: %s", i, json, text,
                          back_json ? back_json : error->message);
        }
      g_assert_no_error (error);
      g_assert_true (equal_unordered (value, back));

      /* JSON too */
      {
        g_autofree char *json = loom_toon_json_write (value);
        g_autoptr(LoomToonValue) from_json = loom_toon_json_parse (json, -1, &error);

        g_assert_no_error (error);
        g_assert_true (loom_toon_value_equal (value, from_json));
      }
    }
}

/* Fuzzer findings become cases here: each must fail cleanly or decode, never crash. */
static void
test_fuzz_regressions (void)
{
  static const char *inputs[] = {
    "[1]:\n  - [1]:\n    - ",
    "a[0]:\n  - x",
    "[2:]{a{b},c}:\n  k: 1,2\n  k: 3,4",
    "x[1]{\"a\\u0000b\",a}:\n  1,2",
    "- a",
    "\"\\ud83d\\ude80\"[1]: x",
    "k: \"",
    "[1]{a}:\n  \"x\":",
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    for (int strict = 0; strict <= 1; strict++)
      {
        LoomToonDecodeOptions options;
        g_autoptr(GError) error = NULL;
        g_autoptr(LoomToonValue) value = NULL;

        loom_toon_decode_options_init (&options);
        options.strict = strict;
        value = loom_toon_decode (inputs[i], -1, &options, &error);
        g_assert_true ((value == NULL) != (error == NULL));
      }
}

/* Issue 11: a header's duplicate fields are found by a hash set. Scanning the siblings made a
 * 100,000-field header take 40 s, far past this test's time limit. */
static void
test_wide_header (void)
{
  const guint n = 100000;
  g_autoptr(GString) text = g_string_new ("rows[1]{");
  g_autoptr(GError) error = NULL;
  g_autoptr(LoomToonValue) value = NULL;
  LoomToonValue *row;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "%sf%u", i ? "," : "", i);
  g_string_append (text, "}:\n  ");
  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "%s%u", i ? "," : "", i);

  value = loom_toon_decode (text->str, text->len, NULL, &error);
  g_assert_no_error (error);
  row = loom_toon_value_array_get (loom_toon_value_object_get_member (value, "rows"), 0);
  g_assert_cmpuint (loom_toon_value_get_length (row), ==, n);
  g_assert_cmpint (loom_toon_value_get_int (loom_toon_value_object_get_member (row, "f99999")),
                   ==, 99999);

  /* the same name twice, at the far end, is still found */
  g_string_assign (text, "rows[1]{");
  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "f%u,", i);
  g_string_append (text, "f7}:\n  ");
  for (guint i = 0; i <= n; i++)
    g_string_append_printf (text, "%s%u", i ? "," : "", i);
  g_clear_pointer (&value, loom_toon_value_unref);
  value = loom_toon_decode (text->str, text->len, NULL, &error);
  g_assert_null (value);
  g_assert_error (error, LOOM_TOON_ERROR, LOOM_TOON_ERROR_DUPLICATE_KEY);
  g_assert_nonnull (strstr (error->message, "\"f7\" is listed twice"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/toon/errors/messages", test_error_messages);
  g_test_add_func ("/toon/errors/utf8", test_utf8);
  g_test_add_func ("/toon/errors/deep-nesting", test_deep_nesting);
  g_test_add_func ("/toon/errors/wide-header", test_wide_header);
  g_test_add_func ("/toon/lenient", test_lenient);
  g_test_add_func ("/toon/numbers/grammar", test_number_grammar);
  g_test_add_func ("/toon/numbers/format", test_number_format);
  g_test_add_func ("/toon/numbers/locale", test_locale);
  g_test_add_func ("/toon/numbers/big-integers", test_big_integers);
  g_test_add_func ("/toon/json", test_json);
  g_test_add_func ("/toon/round-trip", test_round_trip);
  g_test_add_func ("/toon/fuzz-regressions", test_fuzz_regressions);

  return g_test_run ();
}
