/* loom-word-diff.c
 *
 * The texts are cut into tokens — a word (letters, digits and marks, with an apostrophe or a
 * hyphen inside), a run of white space, or any other single character — and Myers' O(ND)
 * algorithm finds the shortest script of removed and added tokens between them. Long texts are
 * first cut at the tokens both have exactly once (patience diff), so that each piece is
 * compared on its own. A piece too different to be worth aligning (more than MAX_EDITS tokens)
 * is reported as removed and added whole, so time and memory stay bounded whatever the input.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-word-diff"

#include "config.h"

#include <string.h>

#include "loom-word-diff.h"
#include "loom-words.h"

#define MAX_EDITS 1500

typedef struct
{
  gsize  start;
  gsize  length;
  guint  hash;
} Token;

typedef enum
{
  CLASS_SPACE,
  CLASS_WORD,
  CLASS_JOINER,  /* ' ’ - inside a word */
  CLASS_OTHER,
} CharClass;

/* Chinese, Japanese, Thai and their neighbours put no space between words, so a run of their
 * letters can be a whole sentence: each of their characters counts as a word of its own, and a
 * changed word changes that word, not the sentence. */
static gboolean
written_without_spaces (gunichar c)
{
  switch (g_unichar_get_script (c))
    {
    case G_UNICODE_SCRIPT_HAN:
    case G_UNICODE_SCRIPT_HIRAGANA:
    case G_UNICODE_SCRIPT_KATAKANA:
    case G_UNICODE_SCRIPT_THAI:
    case G_UNICODE_SCRIPT_LAO:
    case G_UNICODE_SCRIPT_KHMER:
    case G_UNICODE_SCRIPT_MYANMAR:
      return TRUE;
    default:
      return FALSE;
    }
}

static CharClass
classify (gunichar c)
{
  if (g_unichar_isspace (c))
    return CLASS_SPACE;
  if (c >= 0x0e00 && written_without_spaces (c))
    return CLASS_OTHER;
  if (g_unichar_isalnum (c) || g_unichar_ismark (c))
    return CLASS_WORD;
  if (c == '\'' || c == 0x2019 || c == '-')
    return CLASS_JOINER;
  return CLASS_OTHER;
}

/* Reads the character at @p; invalid bytes come back one at a time as CLASS_OTHER. */
static const char *
next_char (const char *p,
           const char *end,
           CharClass  *cls)
{
  gunichar c = g_utf8_get_char_validated (p, end - p);

  if (c == (gunichar) -1 || c == (gunichar) -2)
    {
      *cls = CLASS_OTHER;
      return p + 1;
    }
  *cls = classify (c);
  return g_utf8_next_char (p);
}

static guint
hash_bytes (const char *p,
            gsize       length)
{
  guint h = 5381;

  for (gsize i = 0; i < length; i++)
    h = h * 33 + (guchar) p[i];
  return h;
}

static GArray *
tokenize (const char *text,
          gsize       length)
{
  GArray *tokens = g_array_new (FALSE, FALSE, sizeof (Token));
  const char *p = text;
  const char *end = text + length;

  while (p < end)
    {
      const char *start = p;
      CharClass cls;
      Token token;

      p = next_char (p, end, &cls);
      if (cls == CLASS_SPACE || cls == CLASS_WORD)
        {
          while (p < end)
            {
              CharClass next;
              const char *after = next_char (p, end, &next);

              if (next == cls)
                p = after;
              else if (cls == CLASS_WORD && next == CLASS_JOINER && after < end)
                {
                  CharClass following;

                  /* "don't", "well-known": a joiner between two word characters. */
                  next_char (after, end, &following);
                  if (following != CLASS_WORD)
                    break;
                  p = after;
                }
              else
                break;
            }
        }
      token.start = start - text;
      token.length = p - start;
      token.hash = hash_bytes (start, token.length);
      g_array_append_val (tokens, token);
    }
  return tokens;
}

static inline gboolean
same_token (const char  *a_text,
            const Token *a,
            const char  *b_text,
            const Token *b)
{
  return a->hash == b->hash && a->length == b->length &&
         memcmp (a_text + a->start, b_text + b->start, a->length) == 0;
}

/* Appends the edit script of a[0..n) → b[0..m) to @ops as '=', '-' and '+', backwards.
 * FALSE when it needs more than MAX_EDITS edits. */
static gboolean
myers (const char  *a_text,
       const Token *a,
       int          n,
       const char  *b_text,
       const Token *b,
       int          m,
       GByteArray  *ops)
{
  int max = MIN (n + m, MAX_EDITS);
  g_autofree int *v = g_new0 (int, 2 * max + 3);
  g_autoptr(GPtrArray) trace = g_ptr_array_new_with_free_func (g_free);
  int x = 0, y = 0;
  int found = -1;

#define V(k) v[(k) + max + 1]

  for (int d = 0; d <= max && found < 0; d++)
    {
      /* What iteration d - 1 left, for the way back: k in [-d - 1, d + 1]. */
      int *snapshot = g_new (int, 2 * d + 3);

      memcpy (snapshot, &V (-d - 1), (2 * d + 3) * sizeof (int));
      g_ptr_array_add (trace, snapshot);

      for (int k = -d; k <= d; k += 2)
        {
          if (k == -d || (k != d && V (k - 1) < V (k + 1)))
            x = V (k + 1);
          else
            x = V (k - 1) + 1;
          y = x - k;
          while (x < n && y < m && same_token (a_text, &a[x], b_text, &b[y]))
            x++, y++;
          V (k) = x;
          if (x >= n && y >= m)
            {
              found = d;
              break;
            }
        }
    }
#undef V

  if (found < 0)
    return FALSE;

  x = n;
  y = m;
  for (int d = found; d >= 0; d--)
    {
      int *snapshot = g_ptr_array_index (trace, d);
      int k = x - y;
      int prev_k, prev_x, prev_y;

#define S(k) snapshot[(k) + d + 1]
      if (k == -d || (k != d && S (k - 1) < S (k + 1)))
        prev_k = k + 1;
      else
        prev_k = k - 1;
      prev_x = d == 0 ? 0 : S (prev_k);
      prev_y = prev_x - prev_k;
#undef S
      if (d == 0)
        prev_x = prev_y = 0;

      while (x > prev_x && y > prev_y)
        {
          g_byte_array_append (ops, (const guint8 *) "=", 1);
          x--, y--;
        }
      if (d > 0)
        g_byte_array_append (ops, (const guint8 *) (x == prev_x ? "+" : "-"), 1);
      x = prev_x;
      y = prev_y;
    }
  return TRUE;
}

typedef struct
{
  const char  *a_text;
  const Token *a;
  const char  *b_text;
  const Token *b;
} DiffInput;

typedef struct
{
  int a;
  int b;
} Anchor;

typedef struct
{
  int count_a;
  int count_b;
  int pos_a;
  int pos_b;
} Occurrence;

/* Ranges this short go straight to Myers; the others look for anchors first. */
#define ANCHOR_MIN_TOKENS 64
#define ANCHOR_MAX_DEPTH  12

/* The tokens that occur exactly once in a[a_lo..a_hi) and once in b[b_lo..b_hi), the longest
 * run of them in the same order in both (patience sorting): an edit script must keep them,
 * so the texts between two of them can be compared on their own. */
static GArray *
unique_anchors (const DiffInput *in,
                int              a_lo,
                int              a_hi,
                int              b_lo,
                int              b_hi)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  g_autoptr(GArray) occurrences = g_array_new (FALSE, FALSE, sizeof (Occurrence));
  g_autoptr(GArray) pairs = g_array_new (FALSE, FALSE, sizeof (Anchor));
  g_autofree int *tails = NULL;
  g_autofree int *previous = NULL;
  GArray *anchors;
  int n_tails = 0;

  for (int i = a_lo; i < a_hi; i++)
    {
      gpointer key = GUINT_TO_POINTER (in->a[i].hash);
      gpointer value;

      if (g_hash_table_lookup_extended (seen, key, NULL, &value))
        {
          /* Seen again, or another token with the same hash: not unique either way. */
          g_array_index (occurrences, Occurrence, GPOINTER_TO_UINT (value)).count_a = 2;
          continue;
        }
      g_array_append_val (occurrences, ((Occurrence) { 1, 0, i, -1 }));
      g_hash_table_insert (seen, key, GUINT_TO_POINTER (occurrences->len - 1));
    }
  for (int j = b_lo; j < b_hi; j++)
    {
      gpointer value;
      Occurrence *o;

      if (!g_hash_table_lookup_extended (seen, GUINT_TO_POINTER (in->b[j].hash), NULL, &value))
        continue;
      o = &g_array_index (occurrences, Occurrence, GPOINTER_TO_UINT (value));
      if (o->count_b++ == 0 && o->count_a == 1 &&
          !same_token (in->a_text, &in->a[o->pos_a], in->b_text, &in->b[j]))
        o->count_a = 2;
      o->pos_b = j;
    }
  for (guint k = 0; k < occurrences->len; k++)
    {
      Occurrence *o = &g_array_index (occurrences, Occurrence, k);

      if (o->count_a == 1 && o->count_b == 1)
        g_array_append_val (pairs, ((Anchor) { o->pos_a, o->pos_b }));
    }
  if (pairs->len == 0)
    return NULL;

  /* Longest increasing run of b positions, the pairs being in a's order. */
  tails = g_new (int, pairs->len);
  previous = g_new (int, pairs->len);
  for (guint k = 0; k < pairs->len; k++)
    {
      int b = g_array_index (pairs, Anchor, k).b;
      int lo = 0, hi = n_tails;

      while (lo < hi)
        {
          int mid = (lo + hi) / 2;

          if (g_array_index (pairs, Anchor, tails[mid]).b < b)
            lo = mid + 1;
          else
            hi = mid;
        }
      previous[k] = lo > 0 ? tails[lo - 1] : -1;
      tails[lo] = k;
      n_tails = MAX (n_tails, lo + 1);
    }
  anchors = g_array_sized_new (FALSE, FALSE, sizeof (Anchor), n_tails);
  g_array_set_size (anchors, n_tails);
  for (int k = tails[n_tails - 1], at = n_tails - 1; k >= 0; k = previous[k], at--)
    g_array_index (anchors, Anchor, at) = g_array_index (pairs, Anchor, k);
  return anchors;
}

/* Appends the edit script of a[a_lo..a_hi) → b[b_lo..b_hi) to @ops, backwards like myers ().
 * A long range is cut at the tokens both texts have once (as patience diff does), so that a
 * heavily edited long passage is compared piece by piece instead of hitting MAX_EDITS as a
 * whole; what is left too different is one removal and one addition. */
static void
diff_range (const DiffInput *in,
            int              a_lo,
            int              a_hi,
            int              b_lo,
            int              b_hi,
            guint            depth,
            GByteArray      *ops)
{
  g_autoptr(GArray) anchors = NULL;

  if ((a_hi - a_lo) + (b_hi - b_lo) >= ANCHOR_MIN_TOKENS && depth < ANCHOR_MAX_DEPTH)
    anchors = unique_anchors (in, a_lo, a_hi, b_lo, b_hi);
  if (anchors != NULL)
    {
      int a_end = a_hi;
      int b_end = b_hi;

      for (guint i = anchors->len; i > 0; i--)
        {
          const Anchor *anchor = &g_array_index (anchors, Anchor, i - 1);

          diff_range (in, anchor->a + 1, a_end, anchor->b + 1, b_end, depth + 1, ops);
          g_byte_array_append (ops, (const guint8 *) "=", 1);
          a_end = anchor->a;
          b_end = anchor->b;
        }
      diff_range (in, a_lo, a_end, b_lo, b_end, depth + 1, ops);
      return;
    }

  if (!myers (in->a_text, in->a + a_lo, a_hi - a_lo, in->b_text, in->b + b_lo, b_hi - b_lo, ops))
    {
      for (int j = b_lo; j < b_hi; j++)
        g_byte_array_append (ops, (const guint8 *) "+", 1);
      for (int i = a_lo; i < a_hi; i++)
        g_byte_array_append (ops, (const guint8 *) "-", 1);
    }
}

static void
add_span (GArray       *spans,
          LoomDiffKind  kind,
          gsize         old_start,
          gsize         old_end,
          gsize         new_start,
          gsize         new_end)
{
  LoomDiffSpan *last = spans->len > 0 ? &g_array_index (spans, LoomDiffSpan, spans->len - 1)
                                      : NULL;
  LoomDiffSpan span = { kind, old_start, old_end, new_start, new_end };

  if (old_start == old_end && new_start == new_end)
    return;
  if (last != NULL && last->kind == kind)
    {
      last->old_end = old_end;
      last->new_end = new_end;
      return;
    }
  g_array_append_val (spans, span);
}

/* Byte offset where token @i begins, or the end of the text. */
static gsize
token_start (GArray *tokens,
             guint   i,
             gsize   length)
{
  return i < tokens->len ? g_array_index (tokens, Token, i).start : length;
}

static gboolean
only_space (const char *text,
            gsize       start,
            gsize       end)
{
  for (gsize i = start; i < end; i++)
    if (!g_ascii_isspace (text[i]))
      return FALSE;
  return TRUE;
}

/* A space alone between two changes is read as part of one change ("red old" → "blue new"
 * rather than "red" → "blue", "old" → "new"): the runs from the first change to the last are
 * joined into one removed and one added run. */
static GArray *
join_changes (GArray     *spans,
              const char *old_text)
{
  GArray *joined = g_array_new (FALSE, FALSE, sizeof (LoomDiffSpan));

  for (guint i = 0; i < spans->len;)
    {
      LoomDiffSpan *first = &g_array_index (spans, LoomDiffSpan, i);
      guint last = i;

      if (first->kind == LOOM_DIFF_SAME)
        {
          g_array_append_val (joined, *first);
          i++;
          continue;
        }

      /* Extend over "space, change" pairs. */
      for (;;)
        {
          guint j = last + 1;

          while (j < spans->len && g_array_index (spans, LoomDiffSpan, j).kind != LOOM_DIFF_SAME)
            j++;
          last = j - 1;
          if (j + 1 < spans->len &&
              only_space (old_text, g_array_index (spans, LoomDiffSpan, j).old_start,
                          g_array_index (spans, LoomDiffSpan, j).old_end) &&
              g_array_index (spans, LoomDiffSpan, j + 1).kind != LOOM_DIFF_SAME)
            {
              last = j + 1;
              continue;
            }
          break;
        }

      {
        LoomDiffSpan *end = &g_array_index (spans, LoomDiffSpan, last);
        LoomDiffSpan removed = { LOOM_DIFF_REMOVED, first->old_start, end->old_end,
                                 first->new_start, first->new_start };
        LoomDiffSpan added = { LOOM_DIFF_ADDED, end->old_end, end->old_end,
                               first->new_start, end->new_end };

        if (removed.old_start != removed.old_end)
          g_array_append_val (joined, removed);
        if (added.new_start != added.new_end)
          g_array_append_val (joined, added);
      }
      i = last + 1;
    }
  g_array_unref (spans);
  return joined;
}

/**
 * loom_word_diff:
 * @old_text: (nullable): the earlier text
 * @old_length: its length in bytes, or -1 if nul-terminated
 * @new_text: (nullable): the later text
 * @new_length: its length in bytes, or -1 if nul-terminated
 *
 * Compares two texts word by word. Removed runs come before the added runs that replace them.
 * Reading the same and removed runs in order gives @old_text back; the same and added runs
 * give @new_text.
 *
 * Returns: (transfer full) (element-type LoomDiffSpan): the runs, in order
 */
GArray *
loom_word_diff (const char *old_text,
                gssize      old_length,
                const char *new_text,
                gssize      new_length)
{
  GArray *spans = g_array_new (FALSE, FALSE, sizeof (LoomDiffSpan));
  g_autoptr(GArray) a = NULL;
  g_autoptr(GArray) b = NULL;
  g_autoptr(GByteArray) ops = g_byte_array_new ();
  gsize old_len, new_len;
  guint prefix = 0;
  guint suffix = 0;
  guint ai, bi;

  if (old_text == NULL)
    old_text = "", old_length = 0;
  if (new_text == NULL)
    new_text = "", new_length = 0;
  old_len = old_length < 0 ? strlen (old_text) : (gsize) old_length;
  new_len = new_length < 0 ? strlen (new_text) : (gsize) new_length;

  a = tokenize (old_text, old_len);
  b = tokenize (new_text, new_len);

  /* What both begin and end with needs no search. */
  while (prefix < a->len && prefix < b->len &&
         same_token (old_text, &g_array_index (a, Token, prefix),
                     new_text, &g_array_index (b, Token, prefix)))
    prefix++;
  while (suffix < a->len - prefix && suffix < b->len - prefix &&
         same_token (old_text, &g_array_index (a, Token, a->len - 1 - suffix),
                     new_text, &g_array_index (b, Token, b->len - 1 - suffix)))
    suffix++;

  add_span (spans, LOOM_DIFF_SAME, 0, token_start (a, prefix, old_len),
            0, token_start (b, prefix, new_len));

  {
    DiffInput in = { old_text, (const Token *) a->data, new_text, (const Token *) b->data };

    diff_range (&in, prefix, a->len - suffix, prefix, b->len - suffix, 0, ops);
  }

  /* The script is backwards. Between two unchanged tokens, everything removed comes out
   * first, then everything added, so that a replaced phrase reads as one change. */
  ai = prefix;
  bi = prefix;
  for (guint i = ops->len; i > 0;)
    {
      guint n_removed = 0;
      guint n_added = 0;

      if (ops->data[i - 1] == '=')
        {
          add_span (spans, LOOM_DIFF_SAME, token_start (a, ai, old_len),
                    token_start (a, ai + 1, old_len), token_start (b, bi, new_len),
                    token_start (b, bi + 1, new_len));
          ai++, bi++, i--;
          continue;
        }
      for (; i > 0 && ops->data[i - 1] != '='; i--)
        {
          if (ops->data[i - 1] == '-')
            n_removed++;
          else
            n_added++;
        }
      add_span (spans, LOOM_DIFF_REMOVED, token_start (a, ai, old_len),
                token_start (a, ai + n_removed, old_len), token_start (b, bi, new_len),
                token_start (b, bi, new_len));
      ai += n_removed;
      add_span (spans, LOOM_DIFF_ADDED, token_start (a, ai, old_len), token_start (a, ai, old_len),
                token_start (b, bi, new_len), token_start (b, bi + n_added, new_len));
      bi += n_added;
    }

  add_span (spans, LOOM_DIFF_SAME, token_start (a, ai, old_len), old_len,
            token_start (b, bi, new_len), new_len);
  return join_changes (spans, old_text);
}

/**
 * loom_word_diff_count:
 *
 * Counts the words (as loom_count_words() does) in the removed and in the added runs.
 */
void
loom_word_diff_count (GArray     *spans,
                      const char *old_text,
                      const char *new_text,
                      guint      *words_removed,
                      guint      *words_added)
{
  guint removed = 0;
  guint added = 0;

  g_return_if_fail (spans != NULL);

  for (guint i = 0; i < spans->len; i++)
    {
      LoomDiffSpan *span = &g_array_index (spans, LoomDiffSpan, i);

      if (span->kind == LOOM_DIFF_REMOVED)
        removed += loom_count_words (old_text + span->old_start, span->old_end - span->old_start);
      else if (span->kind == LOOM_DIFF_ADDED)
        added += loom_count_words (new_text + span->new_start, span->new_end - span->new_start);
    }
  if (words_removed != NULL)
    *words_removed = removed;
  if (words_added != NULL)
    *words_added = added;
}
