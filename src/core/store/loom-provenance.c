/* loom-provenance.c: who wrote each character of a scene's prose
 *
 * A scene's provenance is a run-length list over the characters of its prose: each run has an
 * origin (the writer, a model's request, or unknown) and covers the text without gaps, so its
 * total length is the prose's length in characters. Characters rather than bytes because the
 * editor's buffer reports its edits in characters. Adjacent runs of the same origin and request
 * are always merged, so equal texts of equal history have equal lists.
 *
 * Nothing here knows the store: loom-store-provenance.c keeps a list beside each scene's prose
 * with a fingerprint of the prose it describes, and the editor keeps one in step with its
 * buffer. When the prose changed where nobody tracked it, loom_provenance_rebuild() carries the
 * origins of the words both texts share across a word diff and gives every new word the origin
 * the caller can vouch for: unknown, unless the caller knows better.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-provenance"

#include "config.h"

#include <string.h>

#include "loom-enums.h"
#include "loom-provenance.h"
#include "loom-word-diff.h"

struct _LoomProvenance
{
  GObject  parent_instance;

  GArray  *spans;   /* LoomSpan, none of length 0, no two neighbours alike */
  guint    length;  /* the sum of the spans' lengths */
};

G_DEFINE_FINAL_TYPE (LoomProvenance, loom_provenance, G_TYPE_OBJECT)

static const char *const origin_names[] = { "writer", "ai", "edited", "unknown" };

G_STATIC_ASSERT (G_N_ELEMENTS (origin_names) == LOOM_SPAN_N_ORIGINS);

const char *
loom_span_origin_to_string (LoomSpanOrigin origin)
{
  g_return_val_if_fail (origin < LOOM_SPAN_N_ORIGINS, "unknown");
  return origin_names[origin];
}

gboolean
loom_span_origin_from_string (const char     *text,
                              LoomSpanOrigin *origin)
{
  int i = loom_enum_index_of_name (origin_names, G_N_ELEMENTS (origin_names), text);

  if (i >= 0)
    *origin = (LoomSpanOrigin) i;
  return i >= 0;
}

static void
loom_provenance_finalize (GObject *object)
{
  LoomProvenance *self = LOOM_PROVENANCE (object);

  g_clear_pointer (&self->spans, g_array_unref);
  G_OBJECT_CLASS (loom_provenance_parent_class)->finalize (object);
}

static void
loom_provenance_class_init (LoomProvenanceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = loom_provenance_finalize;
}

static void
loom_provenance_init (LoomProvenance *self)
{
  self->spans = g_array_new (FALSE, FALSE, sizeof (LoomSpan));
}

static inline LoomSpan *
span_at (LoomProvenance *self,
         guint           index)
{
  return &g_array_index (self->spans, LoomSpan, index);
}

static gboolean
same_kind (const LoomSpan *a,
           const LoomSpan *b)
{
  return a->origin == b->origin && a->generation_id == b->generation_id;
}

/* Merges the span at @index with its neighbours where they are alike. */
static void
merge_around (LoomProvenance *self,
              guint           index)
{
  if (index + 1 < self->spans->len && index < self->spans->len &&
      same_kind (span_at (self, index), span_at (self, index + 1)))
    {
      span_at (self, index)->length += span_at (self, index + 1)->length;
      g_array_remove_index (self->spans, index + 1);
    }
  if (index > 0 && index < self->spans->len &&
      same_kind (span_at (self, index - 1), span_at (self, index)))
    {
      span_at (self, index - 1)->length += span_at (self, index)->length;
      g_array_remove_index (self->spans, index);
    }
}

/* Merges every pair of alike neighbours, in one pass. */
static void
normalize (LoomProvenance *self)
{
  guint out = 0;

  for (guint i = 0; i < self->spans->len; i++)
    {
      if (out > 0 && same_kind (span_at (self, out - 1), span_at (self, i)))
        span_at (self, out - 1)->length += span_at (self, i)->length;
      else
        *span_at (self, out++) = *span_at (self, i);
    }
  g_array_set_size (self->spans, out);
}

/* Makes a span begin at @offset (≤ the length), splitting the one across it; returns its
 * index (the number of spans when @offset is the end). */
static guint
split_at (LoomProvenance *self,
          guint           offset)
{
  guint start = 0;

  for (guint i = 0; i < self->spans->len; i++)
    {
      LoomSpan *span = span_at (self, i);

      if (offset == start)
        return i;
      if (offset < start + span->length)
        {
          LoomSpan tail = *span;

          tail.length = start + span->length - offset;
          span->length = offset - start;
          g_array_insert_val (self->spans, i + 1, tail);
          return i + 1;
        }
      start += span->length;
    }
  return self->spans->len;
}

/**
 * loom_provenance_new:
 *
 * Returns: (transfer full): @length characters of one origin (none when @length is 0)
 */
LoomProvenance *
loom_provenance_new (guint          length,
                     LoomSpanOrigin origin,
                     gint64         generation_id)
{
  LoomProvenance *self = g_object_new (LOOM_TYPE_PROVENANCE, NULL);

  loom_provenance_append (self, length, origin, generation_id);
  return self;
}

LoomProvenance *
loom_provenance_copy (LoomProvenance *self)
{
  LoomProvenance *copy;

  g_return_val_if_fail (LOOM_IS_PROVENANCE (self), NULL);

  copy = g_object_new (LOOM_TYPE_PROVENANCE, NULL);
  g_array_append_vals (copy->spans, self->spans->data, self->spans->len);
  copy->length = self->length;
  return copy;
}

guint
loom_provenance_get_length (LoomProvenance *self)
{
  g_return_val_if_fail (LOOM_IS_PROVENANCE (self), 0);
  return self->length;
}

const LoomSpan *
loom_provenance_get_spans (LoomProvenance *self,
                           guint          *n_spans)
{
  g_return_val_if_fail (LOOM_IS_PROVENANCE (self), NULL);
  g_return_val_if_fail (n_spans != NULL, NULL);

  *n_spans = self->spans->len;
  return (const LoomSpan *) (gpointer) self->spans->data;
}

gboolean
loom_provenance_equal (LoomProvenance *self,
                       LoomProvenance *other)
{
  g_return_val_if_fail (LOOM_IS_PROVENANCE (self), FALSE);
  g_return_val_if_fail (LOOM_IS_PROVENANCE (other), FALSE);

  if (self->spans->len != other->spans->len)
    return FALSE;
  for (guint i = 0; i < self->spans->len; i++)
    {
      if (!same_kind (span_at (self, i), span_at (other, i)) ||
          span_at (self, i)->length != span_at (other, i)->length)
        return FALSE;
    }
  return TRUE;
}

/* The origin of the character at @offset; unknown past the end. */
LoomSpanOrigin
loom_provenance_origin_at (LoomProvenance *self,
                           guint           offset,
                           gint64         *generation_id)
{
  guint start = 0;

  g_return_val_if_fail (LOOM_IS_PROVENANCE (self), LOOM_SPAN_UNKNOWN);

  for (guint i = 0; i < self->spans->len; i++)
    {
      const LoomSpan *span = span_at (self, i);

      if (offset < start + span->length)
        {
          if (generation_id != NULL)
            *generation_id = span->generation_id;
          return span->origin;
        }
      start += span->length;
    }
  if (generation_id != NULL)
    *generation_id = 0;
  return LOOM_SPAN_UNKNOWN;
}

void
loom_provenance_append (LoomProvenance *self,
                        guint           length,
                        LoomSpanOrigin  origin,
                        gint64          generation_id)
{
  g_return_if_fail (LOOM_IS_PROVENANCE (self));
  g_return_if_fail (origin < LOOM_SPAN_N_ORIGINS);

  loom_provenance_insert (self, self->length, length, origin, generation_id);
}

/* @length characters of one origin at @offset (clamped to the end): typing splits the span it
 * lands in. */
void
loom_provenance_insert (LoomProvenance *self,
                        guint           offset,
                        guint           length,
                        LoomSpanOrigin  origin,
                        gint64          generation_id)
{
  LoomSpan span = { length, origin, origin == LOOM_SPAN_AI || origin == LOOM_SPAN_EDITED
                                    ? generation_id : 0 };
  guint index;

  g_return_if_fail (LOOM_IS_PROVENANCE (self));
  g_return_if_fail (origin < LOOM_SPAN_N_ORIGINS);

  if (length == 0)
    return;
  index = split_at (self, MIN (offset, self->length));
  g_array_insert_val (self->spans, index, span);
  self->length += length;
  merge_around (self, index);
}

/* Puts @piece (a slice kept when its text was deleted) back at @offset, as undo does. */
void
loom_provenance_insert_spans (LoomProvenance *self,
                              guint           offset,
                              LoomProvenance *piece)
{
  guint index;
  guint n;

  g_return_if_fail (LOOM_IS_PROVENANCE (self));
  g_return_if_fail (LOOM_IS_PROVENANCE (piece));

  n = piece->spans->len;
  if (n == 0)
    return;
  index = split_at (self, MIN (offset, self->length));
  g_array_insert_vals (self->spans, index, piece->spans->data, n);
  self->length += piece->length;
  merge_around (self, index + n - 1);
  merge_around (self, index);
}

/* Makes spans begin at @offset and end at @offset + @length (both clamped to the text), with
 * the indices of the first of them and of the one after the last; FALSE when the range is
 * empty. */
static gboolean
split_range (LoomProvenance *self,
             guint           offset,
             guint           length,
             guint          *first,
             guint          *last)
{
  offset = MIN (offset, self->length);
  length = MIN (length, self->length - offset);
  if (length == 0)
    return FALSE;
  *first = split_at (self, offset);
  *last = split_at (self, offset + length);
  return TRUE;
}

void
loom_provenance_delete (LoomProvenance *self,
                        guint           offset,
                        guint           length)
{
  guint first, last;

  g_return_if_fail (LOOM_IS_PROVENANCE (self));

  if (!split_range (self, offset, length, &first, &last))
    return;
  length = 0;
  for (guint i = first; i < last; i++)
    length += span_at (self, i)->length;
  g_array_remove_range (self->spans, first, last - first);
  self->length -= length;
  merge_around (self, first);
}

/* The model's characters among @offset … @offset + @length become edited: the writer cut into
 * the word they belong to. */
void
loom_provenance_mark_edited (LoomProvenance *self,
                             guint           offset,
                             guint           length)
{
  guint first, last;

  g_return_if_fail (LOOM_IS_PROVENANCE (self));

  if (!split_range (self, offset, length, &first, &last))
    return;
  for (guint i = first; i < last; i++)
    {
      if (span_at (self, i)->origin == LOOM_SPAN_AI)
        span_at (self, i)->origin = LOOM_SPAN_EDITED;
    }
  normalize (self);
}

/* Walks the spans in order, handing out consecutive stretches of them. */
typedef struct
{
  LoomProvenance *source;
  guint           index;
  guint           used;  /* characters of the current span already handed out */
} SpanCursor;

static void
cursor_copy (SpanCursor     *cursor,
             guint           length,
             LoomProvenance *to)
{
  while (length > 0 && cursor->index < cursor->source->spans->len)
    {
      const LoomSpan *span = span_at (cursor->source, cursor->index);
      guint take = MIN (length, span->length - cursor->used);

      if (to != NULL)
        loom_provenance_append (to, take, span->origin, span->generation_id);
      cursor->used += take;
      length -= take;
      if (cursor->used == span->length)
        {
          cursor->index++;
          cursor->used = 0;
        }
    }
}

/**
 * loom_provenance_slice:
 *
 * Returns: (transfer full): the origins of @length characters from @offset
 */
LoomProvenance *
loom_provenance_slice (LoomProvenance *self,
                       guint           offset,
                       guint           length)
{
  LoomProvenance *slice;
  SpanCursor cursor = { self, 0, 0 };

  g_return_val_if_fail (LOOM_IS_PROVENANCE (self), NULL);

  slice = g_object_new (LOOM_TYPE_PROVENANCE, NULL);
  cursor_copy (&cursor, offset, NULL);
  cursor_copy (&cursor, length, slice);
  return slice;
}

/**
 * loom_provenance_rebuild:
 * @self: the provenance of @old_text
 * @inserted: the origin of what @new_text adds
 *
 * The provenance of @new_text, changed from @old_text where nobody tracked the change: the
 * words both share keep their origins, every other word of @new_text gets @inserted.
 *
 * Returns: (transfer full): the provenance of @new_text
 */
/* Whether @self is one span that text of @origin inserted into it would extend. */
static gboolean
all_of (LoomProvenance *self,
        LoomSpanOrigin  origin,
        gint64          generation_id)
{
  LoomSpan span = { 0, origin, origin == LOOM_SPAN_AI || origin == LOOM_SPAN_EDITED
                               ? generation_id : 0 };

  return self->spans->len == 1 && same_kind (span_at (self, 0), &span);
}

LoomProvenance *
loom_provenance_rebuild (LoomProvenance *self,
                         const char     *old_text,
                         const char     *new_text,
                         LoomSpanOrigin  inserted,
                         gint64          generation_id)
{
  g_autoptr(LoomProvenance) rebuilt = NULL;
  g_autoptr(GArray) diff = NULL;
  SpanCursor cursor = { self, 0, 0 };
  glong new_length;

  g_return_val_if_fail (LOOM_IS_PROVENANCE (self), NULL);

  old_text = old_text != NULL ? old_text : "";
  new_text = new_text != NULL ? new_text : "";
  new_length = g_utf8_strlen (new_text, -1);
  if ((glong) self->length != g_utf8_strlen (old_text, -1))
    return loom_provenance_new (new_length, LOOM_SPAN_UNKNOWN, 0);
  /* Text all of one origin, changed by that same origin (unknown text rewritten from outside
   * the window, most often), stays one span whatever the diff: skip the diff, which costs tens
   * of milliseconds when a whole scene is replaced. */
  if (self->spans->len == 0 || all_of (self, inserted, generation_id))
    return loom_provenance_new (new_length, inserted, generation_id);

  rebuilt = g_object_new (LOOM_TYPE_PROVENANCE, NULL);
  diff = loom_word_diff (old_text, -1, new_text, -1);
  for (guint i = 0; i < diff->len; i++)
    {
      const LoomDiffSpan *d = &g_array_index (diff, LoomDiffSpan, i);
      guint old_chars = g_utf8_strlen (old_text + d->old_start, d->old_end - d->old_start);
      guint new_chars = g_utf8_strlen (new_text + d->new_start, d->new_end - d->new_start);

      if (d->kind == LOOM_DIFF_SAME)
        cursor_copy (&cursor, old_chars, rebuilt);
      else if (d->kind == LOOM_DIFF_REMOVED)
        cursor_copy (&cursor, old_chars, NULL);
      else
        loom_provenance_append (rebuilt, new_chars, inserted, generation_id);
    }

  /* A diff that does not cover the texts would misplace every origin after it. */
  if ((glong) rebuilt->length != new_length)
    return loom_provenance_new (new_length, LOOM_SPAN_UNKNOWN, 0);
  return g_steal_pointer (&rebuilt);
}

/* The word rules of loom_count_words(): a token between spaces (and dashes) counts when it
 * holds a letter, digit or mark. Only those characters say who wrote the word, so that a
 * comma the writer adds after a generated word leaves it the model's. */
static void
classify (gunichar  c,
          gboolean *space,
          gboolean *wordy)
{
  if (c < 0x80)
    {
      *space = g_ascii_isspace (c);
      *wordy = g_ascii_isalnum (c);
      return;
    }
  *space = g_unichar_isspace (c) || c == 0x2014 || c == 0x2013;
  *wordy = g_unichar_isalnum (c) || g_unichar_ismark (c);
}

static void
add_generation_words (GArray *by_generation,
                      gint64  generation_id)
{
  LoomGenerationWords entry = { generation_id, 1 };

  for (guint i = 0; i < by_generation->len; i++)
    {
      LoomGenerationWords *known = &g_array_index (by_generation, LoomGenerationWords, i);

      if (known->generation_id == generation_id)
        {
          known->words++;
          return;
        }
    }
  g_array_append_val (by_generation, entry);
}

typedef struct
{
  guint  origins;        /* a bit per LoomSpanOrigin seen on the word's letters */
  gint64 generation_id;  /* of the word's first generated letter */
  gboolean generated;
} Word;

static void
end_word (Word          *word,
          LoomWordTally *tally,
          GArray        *by_generation)
{
  if (word->origins == 0)
    return;
  if (word->origins & (1u << LOOM_SPAN_UNKNOWN))
    tally->unknown++;
  else if ((word->origins & (1u << LOOM_SPAN_EDITED)) ||
           (word->origins & (1u << LOOM_SPAN_AI) && word->origins & (1u << LOOM_SPAN_WRITER)))
    tally->edited++;
  else if (word->origins & (1u << LOOM_SPAN_AI))
    tally->kept++;
  else
    tally->writer++;
  if (by_generation != NULL && word->generated &&
      !(word->origins & (1u << LOOM_SPAN_UNKNOWN)))
    add_generation_words (by_generation, word->generation_id);
  *word = (Word) { 0 };
}

/**
 * loom_provenance_tally:
 * @self: the provenance of @text
 * @tally: (inout): where the words are added
 * @by_generation: (nullable) (element-type LoomGenerationWords): where each request's
 *   generated words are added
 *
 * Counts @text's words by origin. A word counts as unknown when any of its letters is, as
 * edited when it has edited letters or both the model's and the writer's, as kept when all
 * its letters are the model's. Characters past the end of @self are unknown.
 */
void
loom_provenance_tally (LoomProvenance *self,
                       const char     *text,
                       LoomWordTally  *tally,
                       GArray         *by_generation)
{
  guint index = 0;
  guint left = 0;
  LoomSpanOrigin origin = LOOM_SPAN_UNKNOWN;
  gint64 generation_id = 0;
  Word word = { 0 };

  g_return_if_fail (LOOM_IS_PROVENANCE (self));
  g_return_if_fail (tally != NULL);

  if (text == NULL)
    return;
  for (const char *p = text; *p != '\0';)
    {
      gunichar c = (guchar) *p < 0x80 ? (gunichar) *p : g_utf8_get_char_validated (p, -1);
      gboolean space, wordy;

      /* Invalid bytes are skipped as loom_count_words() skips them, as one character each. */
      if (c == (gunichar) -1 || c == (gunichar) -2)
        c = 0xfffd, p++;
      else
        p = g_utf8_next_char (p);

      while (left == 0 && index < self->spans->len)
        {
          origin = span_at (self, index)->origin;
          generation_id = span_at (self, index)->generation_id;
          left = span_at (self, index++)->length;
        }
      if (left == 0)
        origin = LOOM_SPAN_UNKNOWN, generation_id = 0;
      else
        left--;

      classify (c, &space, &wordy);
      if (space)
        end_word (&word, tally, by_generation);
      else if (wordy)
        {
          word.origins |= 1u << origin;
          if (!word.generated && (origin == LOOM_SPAN_AI || origin == LOOM_SPAN_EDITED))
            {
              word.generated = TRUE;
              word.generation_id = generation_id;
            }
        }
    }
  end_word (&word, tally, by_generation);
}

/* The stored form, one word per span: its length, a letter for its origin (w, a, e, u) and for
 * the model's spans the request's id, as "300a12 4w 96a12". */
static const char origin_letters[] = "waeu";

G_STATIC_ASSERT (G_N_ELEMENTS (origin_letters) == LOOM_SPAN_N_ORIGINS + 1);

char *
loom_provenance_to_string (LoomProvenance *self)
{
  GString *out;

  g_return_val_if_fail (LOOM_IS_PROVENANCE (self), NULL);

  out = g_string_sized_new (self->spans->len * 8);
  for (guint i = 0; i < self->spans->len; i++)
    {
      const LoomSpan *span = span_at (self, i);

      if (i > 0)
        g_string_append_c (out, ' ');
      g_string_append_printf (out, "%u%c", span->length, origin_letters[span->origin]);
      if (span->generation_id != 0)
        g_string_append_printf (out, "%" G_GINT64_FORMAT, span->generation_id);
    }
  return g_string_free (out, FALSE);
}

static gboolean
parse_span (const char  *word,
            LoomSpan    *span)
{
  const char *letter;
  char *end = NULL;
  guint64 length;

  if (!g_ascii_isdigit (*word))
    return FALSE;
  length = g_ascii_strtoull (word, &end, 10);
  if (length == 0 || length > G_MAXINT || *end == '\0' ||
      (letter = strchr (origin_letters, *end)) == NULL)
    return FALSE;
  span->length = (guint) length;
  span->origin = (LoomSpanOrigin) (letter - origin_letters);
  span->generation_id = 0;
  if (end[1] == '\0')
    return TRUE;
  if (!g_ascii_isdigit (end[1]))
    return FALSE;
  span->generation_id = g_ascii_strtoll (end + 1, &end, 10);
  return *end == '\0' && span->generation_id > 0;
}

/**
 * loom_provenance_new_from_string:
 *
 * Returns: (transfer full) (nullable): the provenance loom_provenance_to_string() wrote, or
 *   %NULL when @text is not one (another program wrote the column)
 */
LoomProvenance *
loom_provenance_new_from_string (const char *text)
{
  g_autoptr(LoomProvenance) self = g_object_new (LOOM_TYPE_PROVENANCE, NULL);
  g_auto(GStrv) words = NULL;

  if (text == NULL)
    return NULL;
  words = g_strsplit (text, " ", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      LoomSpan span;

      if (*words[i] == '\0' && words[i + 1] == NULL && i == 0)
        break;  /* an empty prose's */
      if (!parse_span (words[i], &span) || self->length + (guint64) span.length > G_MAXINT)
        return NULL;
      loom_provenance_append (self, span.length, span.origin, span.generation_id);
    }
  return g_steal_pointer (&self);
}

/* Restoring from the trash may give the requests new ids, all moved by @delta. */
void
loom_provenance_shift_generations (LoomProvenance *self,
                                   gint64          delta)
{
  g_return_if_fail (LOOM_IS_PROVENANCE (self));

  for (guint i = 0; i < self->spans->len; i++)
    {
      if (span_at (self, i)->generation_id != 0)
        span_at (self, i)->generation_id += delta;
    }
}

/* One pass over @text, eight bytes at a time, for what a save needs: the 64-bit FNV-1a hash of
 * the words, the byte length and the characters (every byte but a continuation byte, 10xxxxxx,
 * starts one, as g_utf8_strlen() counts valid UTF-8). */
static guint64
measure (const char *text,
         gsize      *bytes,
         glong      *chars)
{
  const guint64 high = G_GUINT64_CONSTANT (0x8080808080808080);
  guint64 hash = G_GUINT64_CONSTANT (0xcbf29ce484222325);
  gsize length = text != NULL ? strlen (text) : 0;
  gsize continuations = 0;
  gsize i = 0;

  for (; i + 8 <= length; i += 8)
    {
      guint64 word;

      memcpy (&word, text + i, 8);
      hash = (hash ^ word) * G_GUINT64_CONSTANT (0x100000001b3);
      continuations += __builtin_popcountll (word & high & ~(word << 1));
    }
  for (; i < length; i++)
    {
      hash = (hash ^ (guchar) text[i]) * G_GUINT64_CONSTANT (0x100000001b3);
      continuations += ((guchar) text[i] & 0xc0) == 0x80;
    }
  *bytes = length;
  *chars = (glong) (length - continuations);
  return hash;
}

/* What the store keeps beside a provenance to know whether it still describes the prose: the
 * length and a hash (see measure ()). Not a cryptographic hash on purpose: it runs on every
 * save of the prose, and it guards against accidents, not against an attacker. */
char *
loom_provenance_fingerprint (const char *text)
{
  gsize bytes;
  glong chars;
  guint64 hash = measure (text, &bytes, &chars);

  return g_strdup_printf ("%016" G_GINT64_MODIFIER "x-%" G_GSIZE_FORMAT, hash, bytes);
}

/* The characters of valid UTF-8 @text, as g_utf8_strlen() counts them, with the fingerprint
 * in *fingerprint when not %NULL: the two a save needs, in one pass. */
glong
loom_provenance_count_chars (const char  *text,
                             char       **fingerprint)
{
  gsize bytes;
  glong chars;
  guint64 hash = measure (text, &bytes, &chars);

  if (fingerprint != NULL)
    *fingerprint = g_strdup_printf ("%016" G_GINT64_MODIFIER "x-%" G_GSIZE_FORMAT, hash, bytes);
  return chars;
}
