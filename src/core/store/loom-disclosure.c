/* loom-disclosure.c: a story's disclosure report, who wrote its words
 *
 * The numbers come from loom_store_get_disclosure(); this file only holds them and writes
 * them out as Markdown, for the report's Export and for the appendix of an export.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "loom-disclosure"

#include "config.h"

#include <glib/gi18n.h>

#include "loom-disclosure.h"

static void
clear_chapter (gpointer data)
{
  LoomDisclosureChapter *chapter = data;

  g_free (chapter->title);
}

static void
clear_model (gpointer data)
{
  LoomDisclosureModel *model = data;

  g_free (model->model);
}

LoomDisclosure *
loom_disclosure_new (const char *title)
{
  LoomDisclosure *self = g_new0 (LoomDisclosure, 1);

  self->title = g_strdup (title);
  self->chapters = g_array_new (FALSE, TRUE, sizeof (LoomDisclosureChapter));
  g_array_set_clear_func (self->chapters, clear_chapter);
  self->models = g_array_new (FALSE, TRUE, sizeof (LoomDisclosureModel));
  g_array_set_clear_func (self->models, clear_model);
  return self;
}

void
loom_disclosure_free (LoomDisclosure *self)
{
  if (self == NULL)
    return;
  g_free (self->title);
  g_array_unref (self->chapters);
  g_array_unref (self->models);
  g_free (self);
}

guint
loom_word_tally_total (const LoomWordTally *tally)
{
  g_return_val_if_fail (tally != NULL, 0);
  return tally->writer + tally->kept + tally->edited + tally->unknown;
}

/**
 * loom_word_tally_percent:
 * @words: one of @tally's figures
 *
 * Returns: @words as a share of all @tally's words, in whole percent rounded to the nearest
 *   (0 when the tally is empty); the four shares need not add up to exactly 100
 */
guint
loom_word_tally_percent (const LoomWordTally *tally,
                         guint                words)
{
  guint total;

  g_return_val_if_fail (tally != NULL, 0);

  total = loom_word_tally_total (tally);
  return total == 0 ? 0 : (guint) ((words * 100.0) / total + 0.5);
}

/* A cell of a Markdown table: a pipe or a line break would end it. */
static char *
cell (const char *text)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (const char *p = text != NULL ? text : ""; *p != '\0'; p++)
    {
      if (*p == '|')
        g_string_append (out, "\\|");
      else if (*p == '\n' || *p == '\r')
        g_string_append_c (out, ' ');
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * loom_disclosure_format_cost:
 * @unpriced: how many of the requests have no price
 *
 * Returns: (transfer full): @cost in US dollars with a point whatever the locale (the amounts
 *   are the server's), saying how many requests had no price
 */
char *
loom_disclosure_format_cost (double cost,
                             guint  unpriced)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (buf, sizeof buf, "%.4f", cost);
  if (unpriced == 0)
    return g_strdup_printf ("$%s", buf);
  return g_strdup_printf (ngettext ("$%s (%u request without a price)",
                                    "$%s (%u requests without a price)", unpriced),
                          buf, unpriced);
}


static void
append_totals (GString             *out,
               const LoomWordTally *words)
{
  const struct { const char *label; guint value; } rows[] = {
    { N_("Written by the writer"), words->writer },
    { N_("Generated and kept unchanged"), words->kept },
    { N_("Generated, then edited by the writer"), words->edited },
    { N_("Origin unknown"), words->unknown },
  };

  g_string_append_printf (out, "| | %s | %s |\n|---|---:|---:|\n", _("Words"), _("Share"));
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    g_string_append_printf (out, "| %s | %u | %u %% |\n", _(rows[i].label), rows[i].value,
                            loom_word_tally_percent (words, rows[i].value));
  g_string_append_printf (out, "| %s | %u | |\n\n", _("Total"), loom_word_tally_total (words));
}

static void
append_chapters (GString              *out,
                 const LoomDisclosure *self)
{
  if (self->chapters->len == 0)
    return;
  g_string_append_printf (out, "### %s\n\n| %s | %s | %s | %s | %s | %s |\n"
                          "|---|---:|---:|---:|---:|---:|\n", _("By chapter"), _("Chapter"),
                          _("Writer"), _("Generated, kept"), _("Generated, edited"),
                          _("Unknown"), _("Cost"));
  for (guint i = 0; i < self->chapters->len; i++)
    {
      const LoomDisclosureChapter *c = &g_array_index (self->chapters, LoomDisclosureChapter, i);
      g_autofree char *title = cell (c->title);
      g_autofree char *cost = loom_disclosure_format_cost (c->cost, c->unpriced);

      g_string_append_printf (out, "| %u. %s | %u | %u | %u | %u | %s |\n", c->number, title,
                              c->words.writer, c->words.kept, c->words.edited, c->words.unknown,
                              cost);
    }
  g_string_append_c (out, '\n');
}

static void
append_models (GString              *out,
               const LoomDisclosure *self)
{
  if (self->models->len == 0)
    {
      g_string_append_printf (out, "%s\n\n", _("No AI model was used for this story."));
      return;
    }
  g_string_append_printf (out, "### %s\n\n| %s | %s | %s | %s |\n|---|---:|---:|---:|\n",
                          _("Models"), _("Model"), _("Requests"), _("Generated words in the text"),
                          _("Cost"));
  for (guint i = 0; i < self->models->len; i++)
    {
      const LoomDisclosureModel *m = &g_array_index (self->models, LoomDisclosureModel, i);
      g_autofree char *name = cell (m->model);
      g_autofree char *cost = loom_disclosure_format_cost (m->cost, m->unpriced);

      g_string_append_printf (out, "| %s | %u | %u | %s |\n", name, m->requests, m->words, cost);
    }
  g_string_append_c (out, '\n');
}

/**
 * loom_disclosure_to_markdown:
 *
 * Returns: (transfer full): the report as a Markdown section with tables
 */
char *
loom_disclosure_to_markdown (const LoomDisclosure *self)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *title = NULL;
  g_autofree char *cost = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  title = cell (self->title);
  g_string_append_printf (out, "## %s\n\n", _("AI Disclosure"));
  g_string_append_printf (out, _("Who wrote the words of “%s”, as Storyloom recorded it."),
                          title);
  g_string_append (out, "\n\n");
  append_totals (out, &self->words);
  append_chapters (out, self);
  append_models (out, self);
  cost = loom_disclosure_format_cost (self->cost, self->unpriced);
  g_string_append_printf (out, _("Total cost of the AI requests: %s."), cost);
  g_string_append (out, "\n\n");
  g_string_append (out, _("Words of unknown origin were written where Storyloom could not "
                          "follow them (by another program, in an import, or before it kept "
                          "track); they are not counted as the writer’s."));
  g_string_append_c (out, '\n');
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * loom_disclosure_to_text:
 *
 * Returns: (transfer full): the report as plain paragraphs, one figure a line, for the
 *   appendix of an exported book
 */
char *
loom_disclosure_to_text (const LoomDisclosure *self)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *cost = NULL;
  const LoomWordTally *words;

  g_return_val_if_fail (self != NULL, NULL);

  words = &self->words;
  g_string_append_printf (out, _("Who wrote the words of “%s”, as Storyloom recorded it."),
                          self->title);
  g_string_append (out, "\n\n");
  g_string_append_printf (out, "%s: %u (%u %%)\n%s: %u (%u %%)\n%s: %u (%u %%)\n"
                          "%s: %u (%u %%)\n\n",
                          _("Written by the writer"), words->writer,
                          loom_word_tally_percent (words, words->writer),
                          _("Generated and kept unchanged"), words->kept,
                          loom_word_tally_percent (words, words->kept),
                          _("Generated, then edited by the writer"), words->edited,
                          loom_word_tally_percent (words, words->edited),
                          _("Origin unknown"), words->unknown,
                          loom_word_tally_percent (words, words->unknown));
  for (guint i = 0; i < self->models->len; i++)
    {
      const LoomDisclosureModel *m = &g_array_index (self->models, LoomDisclosureModel, i);

      g_string_append_printf (out, ngettext ("%s: %u generated word in the text\n",
                                             "%s: %u generated words in the text\n", m->words),
                              m->model, m->words);
    }
  if (self->models->len == 0)
    g_string_append_printf (out, "%s\n", _("No AI model was used for this story."));
  cost = loom_disclosure_format_cost (self->cost, self->unpriced);
  g_string_append_c (out, '\n');
  g_string_append_printf (out, _("Total cost of the AI requests: %s."), cost);
  return g_string_free (g_steal_pointer (&out), FALSE);
}
