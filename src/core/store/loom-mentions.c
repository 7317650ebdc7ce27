/* loom-mentions.c: which names of the story bible a text mentions
 *
 * A name or alias is mentioned when its words appear in the text as whole words, in the same
 * order, whatever their case and however they are composed: both sides are normalised (NFKD,
 * case folded, NFKC), so "ÉMILE", "émile" and "e" + U+0301 "mile" are the same word. A word is
 * a run of letters, digits and combining marks (g_unichar_isalnum), so "Ann" is not in
 * "Annabel". Chinese and Japanese are written without spaces: each of their ideographs and
 * kana is a word of its own, so "李明" is found in "李明走了".
 *
 * The text is read once whatever the number of names: its words are looked up in a table of
 * the names' first words, and only a hit compares the words after it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-mentions"

#include "config.h"

#include <string.h>

#include "loom-character.h"
#include "loom-entry.h"
#include "loom-mentions.h"
#include "loom-story.h"

typedef struct
{
  gsize start;        /* in the text, bytes */
  gsize end;
  gsize folded;       /* offset of the folded word in the words' buffer */
} Word;

typedef struct
{
  GArray  *words;     /* of Word */
  GString *folded;    /* the folded words, each ended by a NUL */
} Words;

typedef struct
{
  char    *folded;    /* the term's folded words, each ended by a NUL */
  guint    n_words;
  GObject *item;      /* owned */
} Term;

struct _LoomMentions
{
  GPtrArray  *terms;  /* of Term */
  GHashTable *first;  /* the first folded word → GArray of term indices (guint) */
};

static gboolean
is_word_char (gunichar c)
{
  return g_unichar_isalnum (c) || g_unichar_ismark (c);
}

/* Scripts written without spaces between words: each character stands alone. */
static gboolean
stands_alone (gunichar c)
{
  switch (g_unichar_get_script (c))
    {
    case G_UNICODE_SCRIPT_HAN:
    case G_UNICODE_SCRIPT_HIRAGANA:
    case G_UNICODE_SCRIPT_KATAKANA:
      return TRUE;
    default:
      return FALSE;
    }
}

static void
append_folded (GString    *buffer,
               const char *word,
               gsize       length)
{
  gboolean ascii = TRUE;

  for (gsize i = 0; i < length; i++)
    if ((guchar) word[i] >= 0x80)
      {
        ascii = FALSE;
        break;
      }
  if (ascii)
    {
      /* the usual case, without the three copies below */
      for (gsize i = 0; i < length; i++)
        g_string_append_c (buffer, g_ascii_tolower (word[i]));
    }
  else
    {
      g_autofree char *decomposed = g_utf8_normalize (word, length, G_NORMALIZE_ALL);
      g_autofree char *folded = decomposed ? g_utf8_casefold (decomposed, -1) : NULL;
      g_autofree char *composed = folded ? g_utf8_normalize (folded, -1,
                                                             G_NORMALIZE_ALL_COMPOSE) : NULL;

      if (composed != NULL)
        g_string_append (buffer, composed);
    }
  g_string_append_c (buffer, '\0');
}

static void
add_word (Words      *words,
          const char *text,
          gsize       start,
          gsize       end)
{
  Word word = { start, end, words->folded->len };

  append_folded (words->folded, text + start, end - start);
  g_array_append_val (words->words, word);
}

/* The words of @text, folded. Invalid UTF-8 ends the text there. */
static void
split_words (const char *text,
             Words      *words)
{
  const char *p = text;
  const char *word_start = NULL;

  words->words = g_array_new (FALSE, FALSE, sizeof (Word));
  words->folded = g_string_new (NULL);
  while (*p != '\0')
    {
      gunichar c = g_utf8_get_char_validated (p, -1);
      const char *next;

      if (c == (gunichar) -1 || c == (gunichar) -2)
        break;
      next = g_utf8_next_char (p);
      if (!is_word_char (c) || stands_alone (c))
        {
          if (word_start != NULL)
            add_word (words, text, word_start - text, p - text);
          word_start = NULL;
          if (is_word_char (c))
            add_word (words, text, p - text, next - text);
        }
      else if (word_start == NULL)
        word_start = p;
      p = next;
    }
  if (word_start != NULL)
    add_word (words, text, word_start - text, p - text);
}

static void
words_clear (Words *words)
{
  g_clear_pointer (&words->words, g_array_unref);
  if (words->folded != NULL)
    g_string_free (words->folded, TRUE);
  words->folded = NULL;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Words, words_clear)

static void
term_free (gpointer data)
{
  Term *term = data;

  g_free (term->folded);
  g_clear_object (&term->item);
  g_free (term);
}

LoomMentions *
loom_mentions_new (void)
{
  LoomMentions *self = g_new0 (LoomMentions, 1);

  self->terms = g_ptr_array_new_with_free_func (term_free);
  self->first = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                       (GDestroyNotify) g_array_unref);
  return self;
}

void
loom_mentions_free (LoomMentions *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->first);
  g_ptr_array_unref (self->terms);
  g_free (self);
}

/**
 * loom_mentions_add:
 * @term: a name or an alias; one without any word is ignored
 * @item: what a mention of @term stands for (a reference is kept)
 */
void
loom_mentions_add (LoomMentions *self,
                   const char   *term,
                   GObject      *item)
{
  g_auto(Words) words = { 0 };
  Term *added;
  GArray *same_first;
  guint index;

  g_return_if_fail (self != NULL);
  g_return_if_fail (G_IS_OBJECT (item));

  if (term == NULL)
    return;
  split_words (term, &words);
  if (words.words->len == 0)
    return;

  added = g_new0 (Term, 1);
  added->n_words = words.words->len;
  added->folded = g_memdup2 (words.folded->str, words.folded->len);
  added->item = g_object_ref (item);
  index = self->terms->len;
  g_ptr_array_add (self->terms, added);

  /* the key is the term's own first word, which lives as long as the table */
  same_first = g_hash_table_lookup (self->first, added->folded);
  if (same_first == NULL)
    {
      same_first = g_array_new (FALSE, FALSE, sizeof (guint));
      g_hash_table_insert (self->first, added->folded, same_first);
    }
  g_array_append_val (same_first, index);
}

/**
 * loom_mentions_add_names:
 * @aliases: (nullable): other names, separated by commas
 *
 * Adds @name and each of its aliases for @item.
 */
void
loom_mentions_add_names (LoomMentions *self,
                         const char   *name,
                         const char   *aliases,
                         GObject      *item)
{
  g_auto(GStrv) split = loom_aliases_split (aliases);

  loom_mentions_add (self, name, item);
  for (guint i = 0; split[i] != NULL; i++)
    loom_mentions_add (self, split[i], item);
}

/**
 * loom_mentions_new_for_story:
 *
 * Every name and alias of @story's characters and bible entries, whatever their inclusion
 * rule. A name is known whole, and by its explicit aliases: a word of a name is not a name of
 * its own. Taking first words for names marked "Master" in "Master Oskar Brand" wherever a
 * master appeared, while "Oskar" stayed unknown; the writer gives "Oskar" as an alias.
 *
 * Returns: (transfer full): the matcher
 */
LoomMentions *
loom_mentions_new_for_story (LoomStory *story)
{
  LoomMentions *self = loom_mentions_new ();
  GListModel *characters = loom_story_get_characters (story);
  GListModel *entries = loom_story_get_entries (story);

  for (guint i = 0; i < g_list_model_get_n_items (characters); i++)
    {
      g_autoptr(LoomCharacter) character = g_list_model_get_item (characters, i);

      loom_mentions_add_names (self, loom_character_get_name (character),
                               loom_character_get_aliases (character), G_OBJECT (character));
    }
  for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr(LoomEntry) entry = g_list_model_get_item (entries, i);

      loom_mentions_add_names (self, loom_entry_get_name (entry),
                               loom_entry_get_aliases (entry), G_OBJECT (entry));
    }
  return self;
}

guint
loom_mentions_get_n_terms (LoomMentions *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->terms->len;
}

static gboolean
term_matches_at (const Term  *term,
                 const Words *words,
                 guint        at)
{
  const char *expected = term->folded;

  if (at + term->n_words > words->words->len)
    return FALSE;
  for (guint k = 0; k < term->n_words; k++)
    {
      const Word *word = &g_array_index (words->words, Word, at + k);

      if (strcmp (words->folded->str + word->folded, expected) != 0)
        return FALSE;
      expected += strlen (expected) + 1;
    }
  return TRUE;
}

/**
 * loom_mentions_scan:
 * @func: called for each mention, in the order of the text (several times for one place when
 *   several terms start there)
 *
 * Reads @text once and reports every mention of a term.
 */
void
loom_mentions_scan (LoomMentions    *self,
                    const char      *text,
                    LoomMentionFunc  func,
                    gpointer         user_data)
{
  g_auto(Words) words = { 0 };

  g_return_if_fail (self != NULL);
  g_return_if_fail (func != NULL);

  if (text == NULL || self->terms->len == 0)
    return;
  split_words (text, &words);
  for (guint i = 0; i < words.words->len; i++)
    {
      const Word *word = &g_array_index (words.words, Word, i);
      GArray *candidates = g_hash_table_lookup (self->first, words.folded->str + word->folded);

      for (guint c = 0; candidates != NULL && c < candidates->len; c++)
        {
          const Term *term = g_ptr_array_index (self->terms, g_array_index (candidates, guint, c));

          if (term_matches_at (term, &words, i))
            func (term->item, word->start,
                  g_array_index (words.words, Word, i + term->n_words - 1).end, user_data);
        }
    }
}

static void
collect_one (gpointer item,
             gsize    start,
             gsize    end,
             gpointer user_data)
{
  g_hash_table_add (user_data, item);
}

/**
 * loom_mentions_collect:
 * @found: a set of borrowed items (g_hash_table_new (NULL, NULL))
 *
 * Adds to @found every item @text mentions.
 */
void
loom_mentions_collect (LoomMentions *self,
                       const char   *text,
                       GHashTable   *found)
{
  loom_mentions_scan (self, text, collect_one, found);
}

/**
 * loom_text_mentions_name:
 *
 * Returns: whether @text mentions @name, by the rules of this file
 */
gboolean
loom_text_mentions_name (const char *text,
                         const char *name)
{
  g_autoptr(LoomMentions) mentions = loom_mentions_new ();
  g_autoptr(GObject) item = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(GHashTable) found = g_hash_table_new (NULL, NULL);

  loom_mentions_add (mentions, name, item);
  loom_mentions_collect (mentions, text, found);
  return g_hash_table_size (found) > 0;
}
