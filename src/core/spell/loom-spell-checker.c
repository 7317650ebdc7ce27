/* loom-spell-checker.c: words checked against an installed dictionary (Enchant 2)
 *
 * One Enchant broker per checker, and the dictionary of one language at a time. Words the
 * writer adds go to Enchant's personal word list for that language (shared with other
 * programs that use Enchant); words the writer ignores are forgotten when the program ends.
 * What a word is lives here too, so that the window and the command line flag the same words.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-spell-checker"

#include "config.h"

#include <string.h>

#include <enchant.h>
#include <glib/gi18n.h>

#include "loom-spell-checker.h"

/* Longer "words" are web addresses, file names or keyboard mashing: not worth a look-up. */
#define MAX_WORD_CHARS 48
#define MAX_LANGUAGE_CHARS 32
#define MAX_SUGGESTIONS 6

G_DEFINE_QUARK (loom-spell-error-quark, loom_spell_error)

struct _LoomSpellChecker
{
  GObject        parent_instance;

  EnchantBroker *broker;
  EnchantDict   *dict;      /* NULL: no dictionary, every word passes */
  char          *language;
};

G_DEFINE_FINAL_TYPE (LoomSpellChecker, loom_spell_checker, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LANGUAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  DICTIONARY_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---------------------------------------------------------------------------------------- */
/* What a word is                                                                           */

static gboolean
is_apostrophe (gunichar c)
{
  return c == '\'' || c == 0x2019;
}

/**
 * loom_spell_is_word_char:
 *
 * Letters, digits and combining marks make words; an apostrophe does too, between two of them
 * ("don't"), which loom_spell_word_bounds() decides. Hyphens split words: the dictionaries
 * know the parts of "well-known", not always the whole.
 */
gboolean
loom_spell_is_word_char (gunichar c)
{
  return g_unichar_isalnum (c) || g_unichar_ismark (c) || is_apostrophe (c);
}

static gboolean
is_letter (gunichar c)
{
  return g_unichar_isalnum (c) || g_unichar_ismark (c);
}

/* The end of the word starting at @p (a letter), in bytes. */
static const char *
word_end (const char *p,
          const char *end)
{
  while (p < end)
    {
      gunichar c = g_utf8_get_char (p);
      const char *next = g_utf8_next_char (p);

      if (is_apostrophe (c) && next < end && is_letter (g_utf8_get_char (next)))
        p = next;
      else if (is_letter (c))
        p = next;
      else
        break;
    }
  return p;
}

/**
 * loom_spell_word_bounds:
 * @text: valid UTF-8
 * @at: a byte offset into @text, on a character boundary
 *
 * Finds the word that holds or ends at @at, in bytes.
 *
 * Returns: %FALSE when @at touches no word
 */
gboolean
loom_spell_word_bounds (const char *text,
                        gsize       length,
                        gsize       at,
                        gsize      *start,
                        gsize      *end)
{
  const char *p;
  const char *limit = text + length;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (at <= length, FALSE);

  p = text + at;
  /* Back to the word's first letter: over letters, and apostrophes between letters. */
  while (p > text)
    {
      const char *prev = g_utf8_prev_char (p);
      gunichar c = g_utf8_get_char (prev);

      if (is_letter (c))
        p = prev;
      else if (is_apostrophe (c) && prev > text && p < limit &&
               is_letter (g_utf8_get_char (g_utf8_prev_char (prev))) &&
               is_letter (g_utf8_get_char (p)))
        p = prev;
      else
        break;
    }
  if (p >= limit || !is_letter (g_utf8_get_char (p)))
    return FALSE;
  *start = p - text;
  *end = word_end (p, limit) - text;
  return *end >= at;
}

/* Words with digits (“3rd”, “mp3”), all in capitals (“NASA”) or of one letter are left
 * alone, as most spelling checkers do. */
static gboolean
worth_checking (const char *word,
                gsize       length)
{
  glong chars = g_utf8_strlen (word, length);
  gboolean lower = FALSE;

  if (chars < 2 || chars > MAX_WORD_CHARS)
    return FALSE;
  for (const char *p = word; p < word + length; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isdigit (c))
        return FALSE;
      if (g_unichar_islower (c))
        lower = TRUE;
    }
  return lower;
}

/* The dictionaries spell "don't" with a typewriter apostrophe. */
static char *
normalize_word (const char *word,
                gssize      length)
{
  GString *out = g_string_new_len (word, length < 0 ? (gssize) strlen (word) : length);

  g_string_replace (out, "\u2019", "'", 0);
  return g_string_free (out, FALSE);
}

/* ---------------------------------------------------------------------------------------- */
/* Languages                                                                                */

/**
 * loom_spell_language_is_valid:
 *
 * Whether @language looks like a dictionary's language tag ("en_US", "de", "pt_BR"): letters,
 * digits, "_", "-" and "@", not too long. Says nothing of whether it is installed.
 */
gboolean
loom_spell_language_is_valid (const char *language)
{
  gsize length;

  if (language == NULL)
    return FALSE;
  length = strlen (language);
  if (length < 2 || length > MAX_LANGUAGE_CHARS || !g_ascii_isalpha (language[0]))
    return FALSE;
  for (const char *p = language; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-' && *p != '@')
      return FALSE;
  return TRUE;
}

/* A locale's language without its encoding or variant ("de_DE.UTF-8" gives "de_DE"), or
 * %NULL for the C locale, which names no language. */
static char *
locale_language (const char *locale)
{
  g_autofree char *name = g_strndup (locale, strcspn (locale, ".@"));

  if (g_str_equal (name, "C") || g_str_equal (name, "POSIX"))
    return NULL;
  return g_steal_pointer (&name);
}

/* The writer's language, "en_US" when the locale names none. */
static char *
writer_language (void)
{
  const char *const *names = g_get_language_names ();

  for (guint i = 0; names[i] != NULL; i++)
    {
      char *name = locale_language (names[i]);

      if (name != NULL)
        return name;
    }
  return g_strdup ("en_US");
}

/**
 * loom_spell_dictionary_package:
 * @language: (nullable): the language asked for, or %NULL for the writer's (the locale's)
 *
 * The Debian and Ubuntu package that most likely holds @language's dictionary: "de_DE" gives
 * "hunspell-de-de". Only a hint: some languages are packaged without the country. The
 * window's notice and the command line name the same one.
 *
 * Returns: (transfer full): a package name
 */
char *
loom_spell_dictionary_package (const char *language)
{
  g_autofree char *writer = NULL;
  g_autofree char *name = NULL;

  if (language == NULL || !loom_spell_language_is_valid (language))
    language = writer = writer_language ();
  name = g_ascii_strdown (language, strcspn (language, ".@"));
  g_strdelimit (name, "_", '-');
  return g_strconcat ("hunspell-", name, NULL);
}

/**
 * loom_spell_missing_dictionary_text:
 * @wanted: (nullable): the language the story asks for, or %NULL for the locale's
 * @used: (nullable): the language words are checked in instead, or %NULL when no dictionary
 *   is installed at all and no word is checked
 *
 * What the window tells the writer when the dictionary they need is missing: what happens
 * instead, and what to do about it.
 *
 * Returns: (transfer full): a sentence or two
 */
char *
loom_spell_missing_dictionary_text (const char *wanted,
                                    const char *used)
{
  g_autofree char *writer = NULL;
  g_autofree char *package = NULL;

  if (wanted == NULL || !loom_spell_language_is_valid (wanted))
    wanted = writer = writer_language ();
  package = loom_spell_dictionary_package (wanted);
  if (used == NULL)
    /* TRANSLATORS: %s is a package name, e.g. "hunspell-de-de" */
    return g_strdup_printf (_("No spelling dictionary is installed, so no word is checked. "
                              "Install one (for example the package %s) and open Storyloom "
                              "again."), package);
  /* TRANSLATORS: the first %s is the story's language ("de_DE"), the second the one words
   * are checked in instead ("en_US"), the third a package name ("hunspell-de-de"). "Spelling
   * Language" is the submenu of the text's context menu. */
  return g_strdup_printf (_("No spelling dictionary for “%s” is installed, so words are checked "
                            "in %s. Install one (for example the package %s), or choose "
                            "another language: right-click the text, then Spelling "
                            "Language."), wanted, used, package);
}

static void
collect_language (const char *tag,
                  const char *provider_name,
                  const char *provider_desc,
                  const char *provider_file,
                  void       *user_data)
{
  GPtrArray *languages = user_data;

  for (guint i = 0; i < languages->len; i++)
    if (g_str_equal (g_ptr_array_index (languages, i), tag))
      return;
  g_ptr_array_add (languages, g_strdup (tag));
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char **) a, *(const char **) b);
}

/**
 * loom_spell_checker_list_languages:
 *
 * Returns: (transfer full): the languages of the installed dictionaries, sorted; empty when
 *   none is installed
 */
char **
loom_spell_checker_list_languages (LoomSpellChecker *self)
{
  GPtrArray *languages = g_ptr_array_new ();

  g_return_val_if_fail (LOOM_IS_SPELL_CHECKER (self), NULL);

  enchant_broker_list_dicts (self->broker, collect_language, languages);
  g_ptr_array_sort (languages, compare_strings);
  g_ptr_array_add (languages, NULL);
  return (char **) g_ptr_array_free (languages, FALSE);
}

static gboolean
dictionary_exists (LoomSpellChecker *self,
                   const char       *language)
{
  return loom_spell_language_is_valid (language) &&
         enchant_broker_dict_exists (self->broker, language) == 1;
}

/**
 * loom_spell_checker_default_language:
 *
 * The language of the writer's locale ("de_DE.UTF-8" gives "de_DE", else "de") when its
 * dictionary is installed, else American English, else the first installed language.
 *
 * Returns: (transfer full) (nullable): %NULL when no dictionary is installed
 */
char *
loom_spell_checker_default_language (LoomSpellChecker *self)
{
  const char *const *names = g_get_language_names ();
  g_auto(GStrv) installed = NULL;

  g_return_val_if_fail (LOOM_IS_SPELL_CHECKER (self), NULL);

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *name = locale_language (names[i]);

      if (name != NULL && dictionary_exists (self, name))
        return g_steal_pointer (&name);
    }
  if (dictionary_exists (self, "en_US"))
    return g_strdup ("en_US");
  installed = loom_spell_checker_list_languages (self);
  return g_strdup (installed[0]);
}

/**
 * loom_spell_checker_get_language:
 *
 * Returns: (nullable): the language words are checked in, or %NULL when no dictionary is
 *   installed (then no word is flagged)
 */
const char *
loom_spell_checker_get_language (LoomSpellChecker *self)
{
  g_return_val_if_fail (LOOM_IS_SPELL_CHECKER (self), NULL);
  return self->language;
}

static void
clear_dict (LoomSpellChecker *self)
{
  if (self->dict != NULL)
    enchant_broker_free_dict (self->broker, g_steal_pointer (&self->dict));
}

/**
 * loom_spell_checker_set_language:
 * @language: (nullable): a language tag such as "en_US", or %NULL for the default
 *
 * Checks words in @language from now on. A language with no installed dictionary is refused
 * with a sentence, and the checker keeps its language.
 */
gboolean
loom_spell_checker_set_language (LoomSpellChecker  *self,
                                 const char        *language,
                                 GError           **error)
{
  g_autofree char *fallback = NULL;
  EnchantDict *dict = NULL;

  g_return_val_if_fail (LOOM_IS_SPELL_CHECKER (self), FALSE);

  if (language == NULL)
    language = fallback = loom_spell_checker_default_language (self);
  if (g_strcmp0 (language, self->language) == 0 && (language == NULL || self->dict != NULL))
    return TRUE;

  if (language != NULL && !loom_spell_language_is_valid (language))
    {
      g_set_error (error, LOOM_SPELL_ERROR, LOOM_SPELL_ERROR_INVALID,
                   _("“%s” is not a language. Write it as a dictionary names it, for example "
                     "en_US or de_DE."), language);
      return FALSE;
    }
  if (language != NULL && dictionary_exists (self, language))
    dict = enchant_broker_request_dict (self->broker, language);
  if (language != NULL && dict == NULL)
    {
      g_autofree char *package = loom_spell_dictionary_package (language);

      /* TRANSLATORS: the first %s is a language ("de_DE"), the second a package name
       * ("hunspell-de-de") */
      g_set_error (error, LOOM_SPELL_ERROR, LOOM_SPELL_ERROR_NO_DICTIONARY,
                   _("No spelling dictionary for “%s” is installed. Install one (for example "
                     "the package %s) or choose another language."), language, package);
      return FALSE;
    }

  clear_dict (self);
  self->dict = dict;
  g_free (self->language);
  self->language = g_strdup (language);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANGUAGE]);
  return TRUE;
}

/* ---------------------------------------------------------------------------------------- */
/* Words                                                                                    */

/**
 * loom_spell_checker_check_word:
 *
 * Returns: %TRUE when @word is spelled right, or is not checked (see worth_checking()), or
 *   there is no dictionary
 */
gboolean
loom_spell_checker_check_word (LoomSpellChecker *self,
                               const char       *word,
                               gssize            length)
{
  g_autofree char *normal = NULL;

  g_return_val_if_fail (LOOM_IS_SPELL_CHECKER (self), TRUE);
  g_return_val_if_fail (word != NULL, TRUE);

  if (length < 0)
    length = strlen (word);
  if (self->dict == NULL || !worth_checking (word, length))
    return TRUE;
  if (memchr (word, 0xe2, length) == NULL)
    return enchant_dict_check (self->dict, word, length) <= 0;
  normal = normalize_word (word, length);
  return enchant_dict_check (self->dict, normal, -1) <= 0;
}

/**
 * loom_spell_checker_get_suggestions:
 *
 * Returns: (transfer full): at most a handful of words the writer may have meant, the
 *   likeliest first; empty when there are none
 */
char **
loom_spell_checker_get_suggestions (LoomSpellChecker *self,
                                    const char       *word,
                                    gssize            length)
{
  g_autofree char *normal = NULL;
  GPtrArray *out = g_ptr_array_new ();
  char **suggestions;
  size_t n = 0;

  g_return_val_if_fail (LOOM_IS_SPELL_CHECKER (self), NULL);
  g_return_val_if_fail (word != NULL, NULL);

  normal = normalize_word (word, length);
  if (self->dict != NULL && *normal != '\0')
    {
      suggestions = enchant_dict_suggest (self->dict, normal, -1, &n);
      for (size_t i = 0; i < n && out->len < MAX_SUGGESTIONS; i++)
        if (g_utf8_validate (suggestions[i], -1, NULL))
          g_ptr_array_add (out, g_strdup (suggestions[i]));
      if (suggestions != NULL)
        enchant_dict_free_string_list (self->dict, suggestions);
    }
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (out, FALSE);
}

/* Lets @word pass from now on, through @accept: for good or for this session. */
static void
accept_word (LoomSpellChecker *self,
             const char       *word,
             gssize            length,
             void            (*accept) (EnchantDict *dict, const char *word, ssize_t len))
{
  g_autofree char *normal = NULL;

  if (self->dict == NULL)
    return;
  normal = normalize_word (word, length);
  accept (self->dict, normal, -1);
  g_signal_emit (self, signals[DICTIONARY_CHANGED], 0);
}

/**
 * loom_spell_checker_add_word:
 *
 * Adds @word to the writer's personal dictionary of this language, for good.
 */
void
loom_spell_checker_add_word (LoomSpellChecker *self,
                             const char       *word,
                             gssize            length)
{
  g_return_if_fail (LOOM_IS_SPELL_CHECKER (self));
  g_return_if_fail (word != NULL);

  accept_word (self, word, length, enchant_dict_add);
}

/**
 * loom_spell_checker_ignore_word:
 *
 * Lets @word pass until the program ends.
 */
void
loom_spell_checker_ignore_word (LoomSpellChecker *self,
                                const char       *word,
                                gssize            length)
{
  g_return_if_fail (LOOM_IS_SPELL_CHECKER (self));
  g_return_if_fail (word != NULL);

  accept_word (self, word, length, enchant_dict_add_to_session);
}

/**
 * loom_spell_checker_find_misspelled:
 * @text: UTF-8; invalid bytes end the search
 *
 * Returns: (transfer full) (element-type LoomSpellSpan): the misspelled words of @text, in
 *   order
 */
GArray *
loom_spell_checker_find_misspelled (LoomSpellChecker *self,
                                    const char       *text,
                                    gssize            length)
{
  GArray *spans = g_array_new (FALSE, FALSE, sizeof (LoomSpellSpan));
  const char *valid_end;
  const char *p;
  const char *at;   /* where @chars counts up to */
  glong chars = 0;

  g_return_val_if_fail (LOOM_IS_SPELL_CHECKER (self), spans);
  g_return_val_if_fail (text != NULL, spans);

  if (length < 0)
    length = strlen (text);
  g_utf8_validate (text, length, &valid_end);
  p = at = text;
  while (p < valid_end)
    {
      gunichar c = g_utf8_get_char (p);
      const char *end;

      if (!is_letter (c))
        {
          p = g_utf8_next_char (p);
          continue;
        }
      end = word_end (p, valid_end);
      if (!loom_spell_checker_check_word (self, p, end - p))
        {
          LoomSpellSpan span;

          chars += g_utf8_pointer_to_offset (at, p);
          span.start = p - text;
          span.end = end - text;
          span.start_char = chars;
          span.end_char = chars + g_utf8_pointer_to_offset (p, end);
          chars = span.end_char;
          at = end;
          g_array_append_val (spans, span);
        }
      p = end;
    }
  return spans;
}

/* ---------------------------------------------------------------------------------------- */

static void
loom_spell_checker_finalize (GObject *object)
{
  LoomSpellChecker *self = (LoomSpellChecker *) object;

  clear_dict (self);
  g_clear_pointer (&self->broker, enchant_broker_free);
  g_clear_pointer (&self->language, g_free);

  G_OBJECT_CLASS (loom_spell_checker_parent_class)->finalize (object);
}

static void
loom_spell_checker_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  LoomSpellChecker *self = LOOM_SPELL_CHECKER (object);

  switch (prop_id)
    {
    case PROP_LANGUAGE:
      g_value_set_string (value, self->language);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
loom_spell_checker_class_init (LoomSpellCheckerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = loom_spell_checker_finalize;
  object_class->get_property = loom_spell_checker_get_property;

  properties[PROP_LANGUAGE] =
    g_param_spec_string ("language", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * LoomSpellChecker::dictionary-changed:
   *
   * A word was added or ignored: words that were flagged may pass now, so views check them
   * again. (A new language changes everything: that is #LoomSpellChecker:language.)
   */
  signals[DICTIONARY_CHANGED] =
    g_signal_new ("dictionary-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 0);
}

static void
loom_spell_checker_init (LoomSpellChecker *self)
{
  self->broker = enchant_broker_init ();
}

/**
 * loom_spell_checker_new:
 *
 * A checker in the default language (loom_spell_checker_default_language()).
 */
LoomSpellChecker *
loom_spell_checker_new (void)
{
  LoomSpellChecker *self = g_object_new (LOOM_TYPE_SPELL_CHECKER, NULL);

  loom_spell_checker_set_language (self, NULL, NULL);
  return self;
}
